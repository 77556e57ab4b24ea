#include "services/gateway/proxy.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"

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

grpc::ServerUnaryReactor* Forward(const ProxyTarget& target,
                                  const std::string& method_name,
                                  grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Upstream* upstream = target.upstream;
  absl::StatusOr<Caller> caller =
      target.admission->Admit(*context, upstream->service, method_name);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  const std::string method =
      absl::StrCat("/", upstream->service, "/", method_name);
  auto* call = new ForwardedCall;
  // Carries the caller's deadline and cancellation to the service.
  call->client = grpc::ClientContext::FromCallbackServerContext(*context);
  if (context->deadline() == std::chrono::system_clock::time_point::max()) {
    call->client->set_deadline(
        absl::ToChronoTime(absl::Now() + target.default_deadline));
  }
  for (const auto& [key, value] : context->client_metadata()) {
    const absl::string_view k(key.data(), key.size());
    // The user's token stops here, and nobody names the caller but us.
    if (IsHopHeader(k) || k == "authorization" || k == kCallerHeader) continue;
    call->client->AddMetadata(std::string(k),
                              std::string(value.data(), value.size()));
  }
  StampUpstreamCall(target.service_credential, caller->actor,
                    call->client.get());
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
