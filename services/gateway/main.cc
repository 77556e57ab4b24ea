// parley-gateway: the one endpoint for the whole API. It admits users by
// bearer token and role, forwards the domain services' calls as they came and
// composes the cross-domain reports.
#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/server/auth.h"
#include "common/server/server.h"
#include "services/gateway/gateway.h"

ABSL_FLAG(std::string, tokens_file, "",
          "bearer tokens and their roles, one per line: <sha256 hex of the "
          "token> <reader|editor|admin> <name> (required); read again when "
          "it changes, so tokens are added and revoked without a restart");

ABSL_FLAG(bool, ready_after_stores, true,
          "report SERVING on grpc.health.v1 only once every domain service "
          "has answered its own health check (so that no traffic comes "
          "before the stores can be reached); false: at once");

ABSL_FLAG(int, ready_wait_seconds, 60,
          "with --ready_after_stores: how long to wait for every store "
          "before saying ready all the same (reports then list what is "
          "missing), so that a gateway started while a store is down (a "
          "restore) does not stay out of service");

int main(int argc, char** argv) {
  return parley::RunServiceLoop(
      argc, argv,
      {.name = "gateway",
       .grpc_service = "parley.reports.v1.ReportService",
       .default_port = 50051,
       .public_endpoint = true},
      [](const parley::ServiceEnv& env)
          -> absl::StatusOr<std::unique_ptr<parley::ServiceParts>> {
        const std::string path = absl::GetFlag(FLAGS_tokens_file);
        if (path.empty()) {
          return absl::FailedPreconditionError(
              "--tokens_file: required; it maps bearer tokens to roles");
        }
        absl::StatusOr<std::shared_ptr<parley::TokenAdmission>> admission =
            parley::TokenAdmission::FromFile(path);
        if (!admission.ok()) {
          return absl::Status(
              admission.status().code(),
              absl::StrCat("--tokens_file: ", admission.status().message()));
        }
        parley::gateway::UpstreamOptions options =
            parley::gateway::UpstreamOptionsFromFlags();
        options.service_credential = env.service_credential;
        absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> upstream =
            parley::gateway::UpstreamCredentialsFromFlags();
        if (!upstream.ok()) return upstream.status();
        options.credentials = *std::move(upstream);
        return std::make_unique<parley::gateway::Gateway>(
            std::make_unique<parley::gateway::Upstreams>(options), env.workers,
            *std::move(admission), absl::GetFlag(FLAGS_ready_after_stores),
            absl::Seconds(
                std::max(0, absl::GetFlag(FLAGS_ready_wait_seconds))));
      });
}
