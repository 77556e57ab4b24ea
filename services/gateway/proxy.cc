#include "services/gateway/proxy.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/grpc_status.h"
#include "common/base/status.h"
#include "common/server/call_log.h"
#include "common/server/metrics.h"
#include "common/server/service_host.h"

namespace parley::gateway {

bool IsHopHeader(absl::string_view key) {
  return absl::StartsWith(key, ":") || absl::StartsWith(key, "grpc-") ||
         key == "content-type" || key == "user-agent" || key == "te" ||
         key == "host";
}

namespace {

bool IsAsciiText(absl::string_view value) {
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// What one forwarded call keeps alive until the service answers.
struct ForwardedCall {
  std::unique_ptr<grpc::ClientContext> client;
  std::string method;
  std::string caller;
  absl::Time start;
};

}  // namespace

bool ForwardsHeader(absl::string_view key, absl::string_view value) {
  if (IsHopHeader(key) || key == "authorization" ||
      absl::StartsWith(key, "x-parley-")) {
    return false;
  }
  return absl::EndsWith(key, "-bin") || IsAsciiText(value);
}

absl::StatusOr<Caller> AdmitForward(
    const ProxyTarget& target, const std::string& method_name,
    const google::protobuf::Message& request_type,
    grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
    absl::Time start) {
  Upstream* upstream = target.upstream;
  const std::string method =
      absl::StrCat("/", upstream->service, "/", method_name);
  absl::StatusOr<Caller> caller =
      target.admission->Admit(*context, upstream->service, method_name);
  if (!caller.ok()) {
    RecordCall(&Metrics::Default(), method, ToGrpcStatus(caller.status()),
               absl::Now() - start,
               target.admission->Identify(context->client_metadata()));
    return caller.status();
  }
  // Read in place: the bytes forwarded are still the caller's own.
  google::protobuf::Arena arena(RequestArenaOptions());
  google::protobuf::Message* parsed = request_type.New(&arena);
  if (absl::Status read = ParseRequest(request, parsed); !read.ok()) {
    RecordCall(&Metrics::Default(), method, ToGrpcStatus(read),
               absl::Now() - start, caller->actor);
    return read;
  }
  return caller;
}

std::unique_ptr<grpc::ClientContext> UpstreamContext(
    const ProxyTarget& target, grpc::CallbackServerContext* context,
    const Caller& caller, bool default_deadline) {
  // Carries the caller's deadline and cancellation to the service.
  auto client = grpc::ClientContext::FromCallbackServerContext(*context);
  if (default_deadline &&
      context->deadline() == std::chrono::system_clock::time_point::max()) {
    client->set_deadline(
        absl::ToChronoTime(absl::Now() + target.default_deadline));
  }
  for (const auto& [key, value] : context->client_metadata()) {
    const absl::string_view k(key.data(), key.size());
    const absl::string_view v(value.data(), value.size());
    if (!ForwardsHeader(k, v)) continue;
    client->AddMetadata(std::string(k), std::string(v));
  }
  StampUpstreamCall(target.service_credential, caller.actor, client.get());
  return client;
}

grpc::ServerUnaryReactor* Forward(const ProxyTarget& target,
                                  const std::string& method_name,
                                  const google::protobuf::Message& request_type,
                                  grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Upstream* upstream = target.upstream;
  const absl::Time start = absl::Now();
  absl::StatusOr<Caller> caller =
      AdmitForward(target, method_name, request_type, context, *request, start);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  auto* call = new ForwardedCall;
  call->start = start;
  call->caller = caller->actor;
  call->client = UpstreamContext(target, context, *caller, true);
  call->method = absl::StrCat("/", upstream->service, "/", method_name);
  upstream->generic->UnaryCall(
      call->client.get(), call->method, grpc::StubOptions(), request, response,
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
        RecordCall(&Metrics::Default(), call->method, status,
                   absl::Now() - call->start, call->caller);
        delete call;
        reactor->Finish(status);
      });
  return reactor;
}

}  // namespace parley::gateway
