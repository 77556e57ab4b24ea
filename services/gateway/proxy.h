// The transparent proxy: every method of a domain service, served by the
// gateway as raw bytes and forwarded as they came (checked to be the request
// message, never re-encoded) to the service, with metadata,
// deadline and cancellation carried through and the service's status and
// error details (BadRequest) returned unchanged. Registered under the
// service's own name, so reflection on the gateway describes it.
#ifndef PARLEY_SERVICES_GATEWAY_PROXY_H_
#define PARLEY_SERVICES_GATEWAY_PROXY_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/server/auth.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

// Whether a caller's header travels on to the service: not the caller's
// token, not our own x-parley-* headers (only the gateway sets those), not
// gRPC's or HTTP/2's, and only values gRPC can send (ASCII text, or any
// bytes under a "-bin" key).
bool ForwardsHeader(absl::string_view key, absl::string_view value);

// Where the proxy sends a service's calls, and who may make them.
struct ProxyTarget {
  Upstream* upstream;
  absl::Duration default_deadline;
  // Presented to the service in place of the user's token.
  std::string service_credential;
  const Admission* admission;
};

// Admits one call (the user's token and role), checks that its bytes are a
// `request_type` (else INVALID_ARGUMENT naming the message, where the
// service could only say INTERNAL), then forwards them unchanged to the
// target's service as `method_name`, on the user's behalf.
grpc::ServerUnaryReactor* Forward(const ProxyTarget& target,
                                  const std::string& method_name,
                                  const google::protobuf::Message& request_type,
                                  grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response);

// `GrpcService` is a generated service (exchanges::v1::ExchangesService):
// its name and methods are registered, each handled by Forward.
template <typename GrpcService>
class ProxyService final : public GrpcService::Service {
 public:
  explicit ProxyService(ProxyTarget target) : target_(std::move(target)) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            GrpcService::service_full_name());
    for (int i = 0; i < service->method_count(); ++i) {
      std::string method = service->method(i)->name();
      const google::protobuf::Message* request_type =
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(
              service->method(i)->input_type());
      this->MarkMethodRawCallback(
          i,
          new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                   grpc::ByteBuffer>(
              [this, method, request_type](grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) {
                return Forward(target_, method, *request_type, context, request,
                               response);
              }));
    }
  }

 private:
  const ProxyTarget target_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_PROXY_H_
