// AdminService on the gateway: routes each request by its `service` field to
// that domain service's own AdminService, for admins only (admission says
// so: common/auth.h).
#ifndef PARLEY_SERVICES_GATEWAY_ADMIN_H_
#define PARLEY_SERVICES_GATEWAY_ADMIN_H_

#include "absl/status/statusor.h"
#include "common/server/auth.h"
#include "parley/admin/v1/admin_service.grpc.pb.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

class AdminRouter {
 public:
  explicit AdminRouter(Upstreams* upstreams) : upstreams_(upstreams) {}
  AdminRouter(const AdminRouter&) = delete;
  AdminRouter& operator=(const AdminRouter&) = delete;

  absl::Status CreateBackup(const admin::v1::CreateBackupRequest& request,
                            const Caller& caller, admin::v1::Backup* out);
  absl::Status ListBackups(const admin::v1::ListBackupsRequest& request,
                           const Caller& caller,
                           admin::v1::ListBackupsResponse* out);

 private:
  // The named service's upstream; INVALID_ARGUMENT naming `service` if none.
  absl::StatusOr<Upstream*> Route(absl::string_view service);
  // A context for one upstream call on `caller`'s behalf.
  std::unique_ptr<grpc::ClientContext> Context(const Caller& caller) const;

  Upstreams* upstreams_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_ADMIN_H_
