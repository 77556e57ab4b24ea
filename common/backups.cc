#include "common/backups.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "rocksdb/env.h"

namespace parley {
namespace {

absl::Status FromIo(const rocksdb::IOStatus& s, absl::string_view what) {
  return FromRocksStatus(s, what);
}

}  // namespace

Backups::Backups(Store* store, BackupOptions options)
    : store_(store), options_(std::move(options)) {}

Backups::~Backups() = default;

absl::Status Backups::CheckService(absl::string_view requested) const {
  if (requested.empty() || requested == options_.service)
    return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("service: this is the ", options_.service,
                   " service, not \"", requested, "\""));
}

absl::StatusOr<rocksdb::BackupEngine*> Backups::Engine() {
  if (engine_ != nullptr) return engine_.get();
  std::error_code error;
  std::filesystem::create_directories(options_.backup_dir, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create the backup folder ", options_.backup_dir,
                     ": ", error.message()));
  }
  rocksdb::BackupEngineOptions engine_options(options_.backup_dir);
  // Every file the engine writes is synced, so a backup that is listed
  // survives a crash of the machine.
  engine_options.sync = true;
  rocksdb::BackupEngine* engine = nullptr;
  absl::Status opened =
      FromIo(rocksdb::BackupEngine::Open(engine_options,
                                         rocksdb::Env::Default(), &engine),
             absl::StrCat("opening the backup folder ", options_.backup_dir));
  if (!opened.ok()) return opened;
  engine_.reset(engine);
  return engine;
}

void Backups::Describe(const rocksdb::BackupInfo& info,
                       admin::v1::Backup* out) const {
  out->set_service(options_.service);
  out->set_backup_id(info.backup_id);
  out->mutable_create_time()->set_seconds(info.timestamp);
  out->set_size_bytes(info.size);
  out->set_file_count(info.number_files);
  out->set_backup_dir(options_.backup_dir);
}

absl::Status Backups::CreateBackup(
    const admin::v1::CreateBackupRequest& request, const Caller& caller,
    admin::v1::Backup* out) {
  if (absl::Status s = CheckService(request.service()); !s.ok()) return s;
  absl::MutexLock lock(&mutex_);
  absl::StatusOr<rocksdb::BackupEngine*> engine = Engine();
  if (!engine.ok()) return engine.status();

  // Flushing first keeps the WAL out of the backup: a restore then opens
  // from table files alone.
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  absl::Status created =
      FromIo((*engine)->CreateNewBackup(options, store_->db(), &id),
             "creating the backup");
  if (!created.ok()) {
    // A cut-off backup is not listed; its files are collected next time.
    (*engine)->GarbageCollect();
    return created;
  }
  absl::Status verified = FromIo((*engine)->VerifyBackup(id, true),
                                 "verifying the new backup's checksums");
  if (!verified.ok()) {
    (*engine)->DeleteBackup(id);
    return verified;
  }
  if (options_.keep > 0) {
    absl::Status purged = FromIo((*engine)->PurgeOldBackups(options_.keep),
                                 "deleting old backups");
    if (!purged.ok()) {
      Log(LogLevel::kWarning, "backup taken, old ones not deleted",
          {{"error", purged.ToString()}});
    }
  }
  rocksdb::BackupInfo info;
  absl::Status described = FromRocksStatus((*engine)->GetBackupInfo(id, &info),
                                           "reading the new backup's info");
  if (!described.ok()) return described;
  Describe(info, out);
  Log(LogLevel::kInfo, "backup taken",
      {{"backup_id", static_cast<int64_t>(id)},
       {"bytes", static_cast<int64_t>(info.size)},
       {"dir", options_.backup_dir},
       {"caller", caller.actor}});
  return absl::OkStatus();
}

absl::Status Backups::ListBackups(const admin::v1::ListBackupsRequest& request,
                                  admin::v1::ListBackupsResponse* out) {
  if (absl::Status s = CheckService(request.service()); !s.ok()) return s;
  absl::MutexLock lock(&mutex_);
  absl::StatusOr<rocksdb::BackupEngine*> engine = Engine();
  if (!engine.ok()) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  for (const rocksdb::BackupInfo& info : infos) {
    Describe(info, out->add_backups());
  }
  return absl::OkStatus();
}

absl::Status RestoreBackup(const std::string& backup_dir, uint32_t backup_id,
                           const std::string& data_dir) {
  std::error_code error;
  if (std::filesystem::exists(data_dir, error) &&
      !std::filesystem::is_empty(data_dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the data folder ", data_dir,
        " is not empty: restore only into an empty or new folder"));
  }
  if (!std::filesystem::is_directory(backup_dir, error)) {
    return absl::NotFoundError(
        absl::StrCat("no backup folder at ", backup_dir));
  }
  rocksdb::BackupEngineReadOnly* engine = nullptr;
  absl::Status opened =
      FromIo(rocksdb::BackupEngineReadOnly::Open(
                 rocksdb::BackupEngineOptions(backup_dir),
                 rocksdb::Env::Default(), &engine),
             absl::StrCat("opening the backup folder ", backup_dir));
  if (!opened.ok()) return opened;
  std::unique_ptr<rocksdb::BackupEngineReadOnly> owned(engine);
  std::vector<rocksdb::BackupInfo> infos;
  owned->GetBackupInfo(&infos);
  if (infos.empty()) {
    return absl::NotFoundError(absl::StrCat("no backups in ", backup_dir));
  }
  if (backup_id != 0) {
    absl::Status verified =
        FromIo(owned->VerifyBackup(backup_id, true),
               absl::StrCat("verifying backup ", backup_id));
    if (!verified.ok()) return verified;
    return FromIo(owned->RestoreDBFromBackup(backup_id, data_dir, data_dir),
                  absl::StrCat("restoring backup ", backup_id));
  }
  return FromIo(owned->RestoreDBFromLatestBackup(data_dir, data_dir),
                "restoring the newest backup");
}

}  // namespace parley
