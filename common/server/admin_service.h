// The gRPC edge of parley.admin.v1.AdminService. A domain service serves it
// over its own store's Backups; the gateway over its router to the three.
#ifndef PARLEY_COMMON_SERVER_ADMIN_SERVICE_H_
#define PARLEY_COMMON_SERVER_ADMIN_SERVICE_H_

#include "common/server/service_host.h"
#include "parley/admin/v1/admin_service.grpc.pb.h"

namespace parley {

// Raw methods, parsed by PARLEY_PARSED_UNARY: malformed bytes get a clear
// INVALID_ARGUMENT.
template <typename Backend>
class AdminServiceImpl final
    : public admin::v1::AdminService::WithRawCallbackMethod_CreateBackup<
          admin::v1::AdminService::WithRawCallbackMethod_ListBackups<
              admin::v1::AdminService::Service>> {
 public:
  explicit AdminServiceImpl(ServiceHost<Backend>* host) : host_(host) {}

  PARLEY_PARSED_UNARY(Backend, CreateBackup, admin::v1::CreateBackupRequest,
                      admin::v1::Backup)
  PARLEY_PARSED_UNARY(Backend, ListBackups, admin::v1::ListBackupsRequest,
                      admin::v1::ListBackupsResponse)

 private:
  ServiceHost<Backend>* host_;
};

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_ADMIN_SERVICE_H_
