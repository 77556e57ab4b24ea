// Online backups of a store with RocksDB's BackupEngine (restore:
// common/restore.h). A backup is consistent (one point of the store) while
// writes continue, incremental (files shared with earlier backups are not
// copied again), and checksummed before it is reported.
#ifndef PARLEY_COMMON_STORE_BACKUPS_H_
#define PARLEY_COMMON_STORE_BACKUPS_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/store/store.h"
#include "parley/admin/v1/admin_service.pb.h"
#include "rocksdb/utilities/backup_engine.h"

namespace parley {

struct BackupOptions {
  // Short service name ("exchanges"), reported in each Backup.
  std::string service;
  // Where the BackupEngine keeps its files; created if missing.
  std::string backup_dir;
  // Older backups beyond this many are deleted after each new one.
  int keep = 7;
};

class Backups {
 public:
  Backups(Store* store, BackupOptions options);
  Backups(const Backups&) = delete;
  Backups& operator=(const Backups&) = delete;
  ~Backups();

  // The AdminService methods for this store (served through
  // common/service/backup_admin.h). `request.service` must be empty or this
  // service's name; `actor` is who asked, for the log.
  absl::Status CreateBackup(const admin::v1::CreateBackupRequest& request,
                            absl::string_view actor, admin::v1::Backup* out);
  absl::Status ListBackups(const admin::v1::ListBackupsRequest& request,
                           admin::v1::ListBackupsResponse* out);

  // The service is stopping: a backup under way stops soon (its call gets
  // UNAVAILABLE, nothing is listed), and none starts, so that shutdown is
  // not held up by copying a store.
  void Cancel();

 private:
  absl::Status CheckService(absl::string_view requested) const;
  // Opens the engine on first use, so a service whose backup folder is not
  // writable still serves its data and says so when a backup is asked for.
  absl::StatusOr<rocksdb::BackupEngine*> Engine()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Describe(const rocksdb::BackupInfo& info, admin::v1::Backup* out) const;

  Store* store_;
  BackupOptions options_;
  // One backup at a time: the engine's writes are not concurrent-safe.
  absl::Mutex mutex_;
  std::unique_ptr<rocksdb::BackupEngine> engine_ ABSL_GUARDED_BY(mutex_);
  // The engine, for Cancel(), which must not wait for mutex_.
  std::atomic<rocksdb::BackupEngine*> live_engine_{nullptr};
  std::atomic<bool> cancelled_{false};
};

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_BACKUPS_H_
