#include "common/store/restore.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>  // renameat2, RENAME_EXCHANGE
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/files.h"
#include "common/store/store.h"
#include "rocksdb/env.h"
#include "rocksdb/utilities/backup_engine.h"

namespace parley {
namespace {

namespace fs = std::filesystem;

bool HasEntries(const std::string& dir) {
  std::error_code error;
  return fs::exists(dir, error) && !fs::is_empty(dir, error);
}

// True if a process holds the store's LOCK (RocksDB takes it with fcntl):
// a running service must not have its folder replaced under it.
bool StoreInUse(const std::string& data_dir) {
  const std::string lock = data_dir + "/LOCK";
  const int fd = open(lock.c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock probe = {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool held = fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  close(fd);
  return held;
}

}  // namespace

absl::StatusOr<RestoreResult> RestoreBackup(const RestoreRequest& request) {
  const std::string data_dir = FolderPath(request.data_dir);
  const bool occupied = HasEntries(data_dir);
  if (occupied && !request.replace) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the data folder ", data_dir,
        " is not empty: restore into an empty or new folder, or give "
        "--restore_replace to set the current store aside"));
  }
  if (occupied && StoreInUse(data_dir)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a running service holds the store in ", data_dir, ": stop it first"));
  }
  std::error_code error;
  if (!fs::is_directory(request.backup_dir, error)) {
    return absl::NotFoundError(
        absl::StrCat("no backup folder at ", request.backup_dir));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  absl::Status opened = FromRocksStatus(
      rocksdb::BackupEngineReadOnly::Open(
          rocksdb::BackupEngineOptions(request.backup_dir),
          rocksdb::Env::Default(), &raw),
      absl::StrCat("opening the backup folder ", request.backup_dir));
  if (!opened.ok()) return opened;
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no backups in ", request.backup_dir));
  }
  RestoreResult result;
  result.backup_id = request.backup_id;
  if (result.backup_id == 0) {
    result.backup_id = std::max_element(infos.begin(), infos.end(),
                                        [](const auto& a, const auto& b) {
                                          return a.backup_id < b.backup_id;
                                        })
                           ->backup_id;
  }
  absl::Status verified =
      FromRocksStatus(engine->VerifyBackup(result.backup_id, true),
                      absl::StrCat("verifying backup ", result.backup_id));
  if (!verified.ok()) return verified;

  // Built beside the target, then renamed into place: on the same
  // filesystem, so the switch is one rename. Named for this attempt, so no
  // later restore clears a folder an interrupted one left behind.
  const std::string staging = absl::StrCat(
      data_dir, ".restoring-",
      absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone()));
  fs::remove_all(staging, error);
  absl::Status restored = FromRocksStatus(
      engine->RestoreDBFromBackup(result.backup_id, staging, staging),
      absl::StrCat("restoring backup ", result.backup_id));
  if (!restored.ok()) {
    fs::remove_all(staging, error);
    return restored;
  }
  if (occupied) {
    result.set_aside = absl::StrCat(
        data_dir, ".before-restore-",
        absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone()));
    // One atomic swap, so a crash never leaves data_dir empty: the restored
    // store takes its place, and the old one, now at staging, is then
    // renamed aside. Where the filesystem cannot swap, two renames.
    if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, data_dir.c_str(),
                  RENAME_EXCHANGE) == 0) {
      fs::rename(staging, result.set_aside, error);
      if (error) {
        return absl::UnavailableError(
            absl::StrCat("backup ", result.backup_id, " is in place at ",
                         data_dir, "; the store it replaced is at ", staging,
                         " and could not be renamed: ", error.message()));
      }
      return result;
    }
    fs::rename(data_dir, result.set_aside, error);
  } else {
    fs::remove(data_dir, error);  // an empty folder, or nothing
    error.clear();
  }
  if (!error) fs::rename(staging, data_dir, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat(
        "backup ", result.backup_id, " was restored into ", staging,
        " but could not be moved to ", data_dir, ": ", error.message()));
  }
  return result;
}

}  // namespace parley
