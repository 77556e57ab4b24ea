#include "services/gateway/admin.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/grpc_status.h"
#include "common/base/status.h"

namespace parley::gateway {

absl::StatusOr<Upstream*> AdminRouter::Route(absl::string_view service) {
  for (Upstream* upstream :
       {&upstreams_->exchanges(), &upstreams_->negotiations(),
        &upstreams_->incidents()}) {
    if (upstream->name == service) return upstream;
  }
  FieldViolations v;
  v.Add("service", service.empty()
                       ? "required: exchanges, negotiations or incidents"
                       : absl::StrCat("unknown service \"", service,
                                      "\": exchanges, negotiations or "
                                      "incidents"));
  return v.ToStatus();
}

std::unique_ptr<grpc::ClientContext> AdminRouter::Context(
    const Caller& caller) const {
  auto client = std::make_unique<grpc::ClientContext>();
  // A backup copies the store: allow it longer than a read, within the
  // caller's own deadline.
  client->set_deadline(absl::ToChronoTime(std::min(
      caller.deadline,
      absl::Now() +
          std::max(absl::Minutes(10), upstreams_->default_deadline()))));
  StampUpstreamCall(upstreams_->service_credential(), caller.actor,
                    client.get());
  return client;
}

absl::Status AdminRouter::CreateBackup(
    const admin::v1::CreateBackupRequest& request, const Caller& caller,
    admin::v1::Backup* out) {
  ASSIGN_OR_RETURN(Upstream * upstream, Route(request.service()));
  auto stub = admin::v1::AdminService::NewStub(upstream->channel);
  return FromGrpcStatus(
      stub->CreateBackup(Context(caller).get(), request, out));
}

absl::Status AdminRouter::ListBackups(
    const admin::v1::ListBackupsRequest& request, const Caller& caller,
    admin::v1::ListBackupsResponse* out) {
  ASSIGN_OR_RETURN(Upstream * upstream, Route(request.service()));
  auto stub = admin::v1::AdminService::NewStub(upstream->channel);
  return FromGrpcStatus(stub->ListBackups(Context(caller).get(), request, out));
}

}  // namespace parley::gateway
