// The gateway's channels to the domain services: addresses from flags,
// keepalive, message size limits, and the deadline given to calls that
// carry none.
#ifndef PARLEY_SERVICES_GATEWAY_UPSTREAMS_H_
#define PARLEY_SERVICES_GATEWAY_UPSTREAMS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"

namespace parley::gateway {

// One domain service as the gateway reaches it.
struct Upstream {
  // Short name: "exchanges".
  std::string name;
  // Its gRPC service: "parley.exchanges.v1.ExchangesService".
  std::string service;
  std::string address;
  std::shared_ptr<grpc::Channel> channel;
  // For forwarding calls as bytes.
  std::unique_ptr<grpc::GenericStub> generic;
};

struct UpstreamOptions {
  std::string exchanges_address;
  std::string negotiations_address;
  std::string incidents_address;
  // Deadline for forwarded calls and report sections that carry none.
  absl::Duration default_deadline = absl::Seconds(10);
  int max_message_bytes = 16 << 20;
  // Presented to the domain services on every call ("" for none).
  std::string service_credential;
  // How the channels are secured: null for plaintext; mutual TLS from
  // UpstreamCredentialsFromFlags.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The name the services' certificates must carry, if not their address's
  // host (--upstream_server_name).
  std::string server_name;
};

// Marks a call to a domain service as the gateway's, on behalf of `actor`:
// the service credential as its bearer token, the user as x-parley-caller.
void StampUpstreamCall(const std::string& service_credential,
                       const std::string& actor, grpc::ClientContext* client);

// Options from the flags --exchanges_address, --negotiations_address,
// --incidents_address, --default_deadline_ms, --max_message_bytes and
// --upstream_server_name.
UpstreamOptions UpstreamOptionsFromFlags();

// TLS to the domain services from --upstream_ca_file (the CA their
// certificates must be signed by) and --upstream_cert_file /
// --upstream_key_file (the gateway's client certificate, for services that
// require one: mutual TLS); the files are read again every
// --tls_reload_seconds, so renewed certificates are used without a restart.
// Null (plaintext) when none is given. Errors name the flag.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
UpstreamCredentialsFromFlags();

class Upstreams {
 public:
  // Channels connect lazily: a service that is down now may be up later.
  explicit Upstreams(const UpstreamOptions& options);
  // For tests: every service over one channel each, given.
  Upstreams(std::shared_ptr<grpc::Channel> exchanges,
            std::shared_ptr<grpc::Channel> negotiations,
            std::shared_ptr<grpc::Channel> incidents,
            absl::Duration default_deadline,
            std::string service_credential = "");

  Upstream& exchanges() { return exchanges_; }
  Upstream& negotiations() { return negotiations_; }
  Upstream& incidents() { return incidents_; }
  absl::Duration default_deadline() const { return default_deadline_; }
  const std::string& service_credential() const { return service_credential_; }

  exchanges::v1::ExchangesService::Stub& exchanges_stub() {
    return *exchanges_stub_;
  }
  negotiations::v1::NegotiationsService::Stub& negotiations_stub() {
    return *negotiations_stub_;
  }
  incidents::v1::IncidentsService::Stub& incidents_stub() {
    return *incidents_stub_;
  }

 private:
  void MakeStubs();

  Upstream exchanges_;
  Upstream negotiations_;
  Upstream incidents_;
  absl::Duration default_deadline_;
  std::string service_credential_;
  std::unique_ptr<exchanges::v1::ExchangesService::Stub> exchanges_stub_;
  std::unique_ptr<negotiations::v1::NegotiationsService::Stub>
      negotiations_stub_;
  std::unique_ptr<incidents::v1::IncidentsService::Stub> incidents_stub_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_UPSTREAMS_H_
