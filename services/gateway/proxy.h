// The transparent proxy: every method of a domain service, served by the
// gateway as raw bytes and forwarded unparsed to the service, with metadata,
// deadline and cancellation carried through and the service's status and
// error details (BadRequest) returned unchanged. Registered under the
// service's own name, so reflection on the gateway describes it.
#ifndef PARLEY_SERVICES_GATEWAY_PROXY_H_
#define PARLEY_SERVICES_GATEWAY_PROXY_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

// Where the proxy sends a service's calls, and who may make them.
struct ProxyTarget {
  Upstream* upstream;
  absl::Duration default_deadline;
  // Presented to the service in place of the user's token.
  std::string service_credential;
  const Admission* admission;
};

// Admits one call (the user's token and role), then forwards it to the
// target's service as `method_name` of its service, on the user's behalf.
grpc::ServerUnaryReactor* Forward(const ProxyTarget& target,
                                  const std::string& method_name,
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
      this->MarkMethodRawCallback(
          i, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                      grpc::ByteBuffer>(
                 [this, method](grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request,
                                grpc::ByteBuffer* response) {
                   return Forward(target_, method, context, request, response);
                 }));
    }
  }

 private:
  const ProxyTarget target_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_PROXY_H_
