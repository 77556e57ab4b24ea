// The bootstrap every process of the suite shares: flags with PARLEY_*
// overrides, JSON logs, metrics, TLS or plaintext, health (NOT_SERVING until
// the service is ready and again before shutdown), reflection, the call log,
// and a graceful stop on SIGTERM (NOT_SERVING, drain, stop accepting, finish
// in-flight calls). What a service serves and how it gets ready are its
// ServiceParts; a domain service's (its store) are common/service's
// RunService, the gateway's its own.
#ifndef PARLEY_COMMON_SERVER_SERVER_H_
#define PARLEY_COMMON_SERVER_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/auth.h"
#include "grpcpp/grpcpp.h"

namespace parley {

struct ServiceConfig {
  // Short name: "exchanges"; used for logs and the default data folder.
  std::string name;
  // Fully qualified gRPC service, reported by health:
  // "parley.exchanges.v1.ExchangesService".
  std::string grpc_service;
  int default_port = 0;
  // Faces users (the gateway): serves TLS, or plaintext only when
  // --plaintext says so.
  bool public_endpoint = false;
  // Run once flags are parsed, before anything listens: a one-off mode
  // instead of serving (a domain service's restore or store check) returns
  // the process's exit code; nullopt goes on to serve.
  std::function<std::optional<int>()> one_off;
};

// The pieces of one service the bootstrap drives.
class ServiceParts {
 public:
  virtual ~ServiceParts() = default;
  // The gRPC services to register.
  virtual std::vector<grpc::Service*> services() = 0;
  // The server listens, NOT_SERVING: get ready to serve (a domain service
  // opens its store and brings it up to date). An error stops the start.
  virtual absl::Status Start() = 0;
  // Start has succeeded, and grpc.health.v1 says SERVING for the server as
  // a whole ("": alive, for liveness probes). Say when the service itself
  // (ServiceConfig::grpc_service, for readiness probes) is SERVING by
  // calling `set_serving` (from any thread, until Stopping). By default at
  // once; the gateway waits until it can reach its stores.
  virtual void Serve(std::function<void(bool)> set_serving) {
    set_serving(true);
  }
  // Shutdown has begun: stop long work (a backup) that would hold it up.
  virtual void Stopping() {}
  // The server has stopped (or Start failed): finish queued work, release
  // what Start took (close the store).
  virtual void Stop() = 0;
  // Who decides who the callers are (named in the call log).
  virtual const Admission* admission() const = 0;
  // The gRPC services whose handlers record their own calls (ServiceHost,
  // the gateway's forwarding): the call log interceptor leaves them alone.
  virtual std::vector<std::string> logged_services() const { return {}; }
};

// What the bootstrap hands a service's parts, from its flags.
struct ServiceEnv {
  ServiceConfig config;
  // The shared service credential (--service_token_file), "" if none: what
  // a domain service demands of its callers and the gateway presents.
  std::string service_credential;
  // Admits calls to a domain service: the credential, if there is one.
  std::shared_ptr<const Admission> admission;
  // Threads for blocking calls (--workers).
  int workers = 1;
};

using MakeParts = std::function<absl::StatusOr<std::unique_ptr<ServiceParts>>(
    const ServiceEnv&)>;

// Runs a service until SIGTERM or SIGINT and returns the exit code.
// `make_parts` is called once flags are parsed (and config.one_off has
// declined); its error stops the start.
int RunServiceLoop(int argc, char** argv, const ServiceConfig& config,
                   const MakeParts& make_parts);

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_SERVER_H_
