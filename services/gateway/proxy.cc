#include "services/gateway/proxy.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/time/clock.h"

namespace parley::gateway {
namespace {

// Headers that belong to one hop of HTTP/2 or to gRPC itself, not to the call.
bool IsHopHeader(absl::string_view key) {
  return absl::StartsWith(key, ":") || absl::StartsWith(key, "grpc-") ||
         key == "content-type" || key == "user-agent" || key == "te" ||
         key == "host";
}

// What one forwarded call keeps alive until the service answers.
struct ForwardedCall {
  std::unique_ptr<grpc::ClientContext> client;
};

}  // namespace

grpc::ServerUnaryReactor* Forward(Upstream* upstream,
                                  absl::Duration default_deadline,
                                  const std::string& method,
                                  grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto* call = new ForwardedCall;
  // Carries the caller's deadline and cancellation to the service.
  call->client = grpc::ClientContext::FromCallbackServerContext(*context);
  if (context->deadline() == std::chrono::system_clock::time_point::max()) {
    call->client->set_deadline(
        absl::ToChronoTime(absl::Now() + default_deadline));
  }
  for (const auto& [key, value] : context->client_metadata()) {
    const absl::string_view k(key.data(), key.size());
    if (IsHopHeader(k)) continue;
    call->client->AddMetadata(std::string(k),
                              std::string(value.data(), value.size()));
  }
  upstream->generic->UnaryCall(
      call->client.get(), method, grpc::StubOptions(), request, response,
      [reactor, context, call](grpc::Status status) {
        // Nothing has been sent to the caller yet: the service's headers
        // can still go out as ours.
        for (const auto& [key, value] :
             call->client->GetServerInitialMetadata()) {
          const absl::string_view k(key.data(), key.size());
          if (IsHopHeader(k)) continue;
          context->AddInitialMetadata(std::string(k),
                                      std::string(value.data(), value.size()));
        }
        for (const auto& [key, value] :
             call->client->GetServerTrailingMetadata()) {
          const absl::string_view k(key.data(), key.size());
          if (IsHopHeader(k)) continue;
          context->AddTrailingMetadata(std::string(k),
                                       std::string(value.data(), value.size()));
        }
        delete call;
        reactor->Finish(status);
      });
  return reactor;
}

}  // namespace parley::gateway
