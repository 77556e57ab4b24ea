// Restoring a store from its backups (common/backups.h), offline: the
// service is stopped. A restore is built beside the data folder and only
// put in its place once it is whole, so a failed restore leaves the folder
// as it was.
#ifndef PARLEY_COMMON_STORE_RESTORE_H_
#define PARLEY_COMMON_STORE_RESTORE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace parley {

struct RestoreRequest {
  // The BackupEngine folder (a service's --backup_dir, or a copy of it).
  std::string backup_dir;
  // Which backup; 0 is the newest. Either way it is verified first.
  uint32_t backup_id = 0;
  // The store's folder.
  std::string data_dir;
  // If `data_dir` holds a store: false refuses; true moves it aside, to
  // `<data_dir>.before-restore-<UTC time>`, once the restore is whole.
  bool replace = false;
};

struct RestoreResult {
  uint32_t backup_id = 0;
  // Where the replaced store went ("" if there was none).
  std::string set_aside;
};

// Errors name what is wrong: no backups, a backup that does not verify, a
// folder in use by a running service, a store there without `replace`.
absl::StatusOr<RestoreResult> RestoreBackup(const RestoreRequest& request);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_RESTORE_H_
