// AdminService's backup methods over a domain service's store: what the
// edge (common/server/admin_service.h) calls, with the caller's name handed
// to the store's Backups for its log.
#ifndef PARLEY_COMMON_SERVICE_BACKUP_ADMIN_H_
#define PARLEY_COMMON_SERVICE_BACKUP_ADMIN_H_

#include "absl/status/status.h"
#include "common/server/auth.h"
#include "common/store/backups.h"
#include "parley/admin/v1/admin_service.pb.h"

namespace parley {

class BackupAdmin {
 public:
  // `backups` must outlive this.
  explicit BackupAdmin(Backups* backups) : backups_(backups) {}

  absl::Status CreateBackup(const admin::v1::CreateBackupRequest& request,
                            const Caller& caller, admin::v1::Backup* out) {
    return backups_->CreateBackup(request, caller.actor, out);
  }
  absl::Status ListBackups(const admin::v1::ListBackupsRequest& request,
                           admin::v1::ListBackupsResponse* out) {
    return backups_->ListBackups(request, out);
  }

 private:
  Backups* backups_;
};

}  // namespace parley

#endif  // PARLEY_COMMON_SERVICE_BACKUP_ADMIN_H_
