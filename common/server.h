// The bootstrap every domain service shares: flags with PARLEY_* overrides,
// JSON logs, health (NOT_SERVING until the store is open and again before
// shutdown), reflection, a worker pool for blocking store calls, and a
// graceful stop on SIGTERM (stop accepting, finish in-flight calls, flush,
// close). A domain's main() is one call to RunService.
#ifndef PARLEY_COMMON_SERVER_H_
#define PARLEY_COMMON_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/admin_service.h"
#include "common/auth.h"
#include "common/backups.h"
#include "common/collection.h"
#include "common/executor.h"
#include "common/rollup_upgrade.h"
#include "common/service_host.h"
#include "common/status.h"
#include "common/store.h"
#include "grpcpp/grpcpp.h"

namespace parley {

struct ServiceConfig {
  // Short name: "exchanges"; used for logs and the default data folder.
  std::string name;
  // Fully qualified gRPC service, reported by health:
  // "parley.exchanges.v1.ExchangesService".
  std::string grpc_service;
  int default_port = 0;
  // A stateless service (the gateway) opens no store.
  bool stateless = false;
  // Faces users (the gateway): serves TLS, or plaintext only when
  // --plaintext says so.
  bool public_endpoint = false;
};

// The pieces of one service the bootstrap drives.
class ServiceParts {
 public:
  virtual ~ServiceParts() = default;
  // The gRPC services to register.
  virtual std::vector<grpc::Service*> services() = 0;
  // The store is open (null for a stateless service): bring it up to date
  // and become ready. An error stops the start.
  virtual absl::Status Attach(Store* store) = 0;
  // Shutdown has begun: stop long work (a backup) that would hold it up.
  virtual void Stopping() {}
  // The server has stopped: finish queued work, release the store.
  virtual void Detach() = 0;
  // Who decides who the callers are (named in the call log).
  virtual const Admission* admission() const = 0;
  // The gRPC services whose handlers record their own calls (ServiceHost,
  // the gateway's forwarding): the call log interceptor leaves them alone.
  virtual std::vector<std::string> logged_services() const { return {}; }
  // The store's collections, once attached: what --check_store checks.
  virtual std::vector<Collection*> collections() { return {}; }
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
  // A domain service's backups (--backup_dir, --backups_to_keep).
  BackupOptions backups;
};

using MakeParts = std::function<absl::StatusOr<std::unique_ptr<ServiceParts>>(
    const ServiceEnv&)>;

// Runs a service until SIGTERM or SIGINT and returns the exit code.
// `make_parts` is called once flags are parsed; its error stops the start.
// A domain service given --restore_from restores a backup into --data_dir
// and exits instead.
int RunServiceLoop(int argc, char** argv, const ServiceConfig& config,
                   const MakeParts& make_parts);

// What a domain service's handlers record themselves, rather than the call
// log interceptor: its admin methods (raw). Its own methods are typed, and
// gRPC answers their unreadable requests before any handler (ServiceHost).
inline std::vector<std::string> DomainLoggedServices() {
  return {"parley.admin.v1.AdminService"};
}

// main() of a domain service: `Edge` is the gRPC CallbackService, built
// from a ServiceHost<Domain>*; `Domain` is built from the open Store* and
// names its collections (`std::vector<Collection*> collections()`). The
// service also serves AdminService (backups) for its store.
template <typename Domain, typename Edge>
int RunService(int argc, char** argv, const ServiceConfig& config) {
  class Parts final : public ServiceParts {
   public:
    explicit Parts(const ServiceEnv& env)
        : env_(env),
          executor_(env.workers),
          host_(&executor_, env.config.grpc_service, env.admission.get()),
          edge_(&host_),
          admin_host_(&executor_, "parley.admin.v1.AdminService",
                      env.admission.get(), &Metrics::Default()),
          admin_(&admin_host_) {}
    std::vector<grpc::Service*> services() override {
      return {&edge_, &admin_};
    }
    absl::Status Attach(Store* store) override {
      domain_ = std::make_unique<Domain>(store);
      // Before any call reaches the domain.
      RETURN_IF_ERROR(UpgradeRollups(domain_->collections()));
      backups_ = std::make_unique<Backups>(store, env_.backups);
      host_.Attach(domain_.get());
      admin_host_.Attach(backups_.get());
      return absl::OkStatus();
    }
    void Detach() override {
      host_.Detach();
      admin_host_.Detach();
      executor_.Shutdown();
      domain_.reset();
      backups_.reset();
    }
    void Stopping() override {
      if (backups_ != nullptr) backups_->Cancel();
    }
    const Admission* admission() const override { return env_.admission.get(); }
    std::vector<std::string> logged_services() const override {
      return DomainLoggedServices();
    }
    std::vector<Collection*> collections() override {
      return domain_->collections();
    }

   private:
    ServiceEnv env_;
    Executor executor_;
    ServiceHost<Domain> host_;
    Edge edge_;
    ServiceHost<Backups> admin_host_;
    AdminServiceImpl<Backups> admin_;
    std::unique_ptr<Domain> domain_;
    std::unique_ptr<Backups> backups_;
  };
  return RunServiceLoop(argc, argv, config,
                        [](const ServiceEnv& env)
                            -> absl::StatusOr<std::unique_ptr<ServiceParts>> {
                          return std::make_unique<Parts>(env);
                        });
}

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_H_
