// The transparent proxy: every method of a domain service, served by the
// gateway as raw bytes and forwarded as they came (checked to be the request
// message, never re-encoded) to the service, with metadata,
// deadline and cancellation carried through and the service's status and
// error details (BadRequest) returned unchanged. Registered under the
// service's own name, so reflection on the gateway describes it.
#ifndef PARLEY_SERVICES_GATEWAY_PROXY_H_
#define PARLEY_SERVICES_GATEWAY_PROXY_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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

// The gateway's open forwarded streams (WatchChanges), so that a shutdown
// ends them at once, telling each caller to resume elsewhere, rather than
// wait out the grace period.
class OpenStreams {
 public:
  class Stream {
   public:
    virtual ~Stream() = default;
    // Ends the stream with UNAVAILABLE.
    virtual void Close() = 0;
  };
  // False (and nothing added) once closing: the caller refuses the stream.
  bool Add(Stream* stream);
  void Remove(Stream* stream);
  void CloseAll();

 private:
  absl::Mutex mu_;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<Stream*> open_ ABSL_GUARDED_BY(mu_);
};

// Where the proxy sends a service's calls, and who may make them.
struct ProxyTarget {
  Upstream* upstream;
  absl::Duration default_deadline;
  // Presented to the service in place of the user's token.
  std::string service_credential;
  const Admission* admission;
  // Where forwarded streams register (null: not tracked).
  OpenStreams* streams = nullptr;
};

// Headers that belong to one hop of HTTP/2 or to gRPC itself, not to the call.
bool IsHopHeader(absl::string_view key);

// Admits a call to be forwarded (the user's token and role) and checks that
// its bytes are a `request_type`; a refusal is recorded in the metrics.
absl::StatusOr<Caller> AdmitForward(
    const ProxyTarget& target, const std::string& method_name,
    const google::protobuf::Message& request_type,
    grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
    absl::Time start);

// The upstream call's context: the caller's deadline (or, with
// `default_deadline`, the target's when it has none), cancellation and
// forwardable headers, stamped as the gateway's on the caller's behalf.
std::unique_ptr<grpc::ClientContext> UpstreamContext(
    const ProxyTarget& target, grpc::CallbackServerContext* context,
    const Caller& caller, bool default_deadline);

// A server-streaming call forwarded as Forward does a unary one: each
// message the service sends is passed on as it came, the next read from the
// service only once the caller has taken the last (so a slow caller holds
// one message here), and the service's status and trailers end it. No
// default deadline: a stream such as WatchChanges lasts until cancelled.
grpc::ServerWriteReactor<grpc::ByteBuffer>* ForwardStream(
    const ProxyTarget& target, const std::string& method_name,
    const google::protobuf::Message& request_type,
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request);

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
      if (service->method(i)->server_streaming()) {
        this->MarkMethodRawCallback(
            i, new grpc::internal::CallbackServerStreamingHandler<
                   grpc::ByteBuffer, grpc::ByteBuffer>(
                   [this, method, request_type](
                       grpc::CallbackServerContext* context,
                       const grpc::ByteBuffer* request) {
                     return ForwardStream(target_, method, *request_type,
                                          context, request);
                   }));
        continue;
      }
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
