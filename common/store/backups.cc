#include "common/store/backups.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "rocksdb/env.h"

namespace parley {
Backups::Backups(Store* store, BackupOptions options)
    : store_(store), options_(std::move(options)) {}

Backups::~Backups() = default;

void Backups::Cancel() {
  cancelled_.store(true);
  // StopBackup is the one engine call that is safe beside a running backup.
  if (rocksdb::BackupEngine* engine = live_engine_.load()) engine->StopBackup();
}

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
  absl::Status opened = FromRocksStatus(
      rocksdb::BackupEngine::Open(engine_options, rocksdb::Env::Default(),
                                  &engine),
      absl::StrCat("opening the backup folder ", options_.backup_dir));
  if (!opened.ok()) return opened;
  engine_.reset(engine);
  live_engine_.store(engine);
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
    const admin::v1::CreateBackupRequest& request, absl::string_view actor,
    admin::v1::Backup* out) {
  if (absl::Status s = CheckService(request.service()); !s.ok()) return s;
  const absl::Status shutting_down =
      absl::UnavailableError("the service is shutting down: no backup taken");
  if (cancelled_.load()) return shutting_down;
  absl::MutexLock lock(&mutex_);
  absl::StatusOr<rocksdb::BackupEngine*> engine = Engine();
  if (!engine.ok()) return engine.status();
  if (cancelled_.load()) return shutting_down;

  // Flushing first keeps the WAL out of the backup: a restore then opens
  // from table files alone.
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  absl::Status created =
      FromRocksStatus((*engine)->CreateNewBackup(options, store_->db(), &id),
                      "creating the backup");
  if (!created.ok()) {
    // A cut-off backup is not listed; its files are collected next time.
    (*engine)->GarbageCollect();
    return cancelled_.load() ? shutting_down : created;
  }
  absl::Status verified =
      FromRocksStatus((*engine)->VerifyBackup(id, true),
                      "verifying the new backup's checksums");
  if (!verified.ok()) {
    (*engine)->DeleteBackup(id);
    return verified;
  }
  if (options_.keep > 0) {
    absl::Status purged = FromRocksStatus(
        (*engine)->PurgeOldBackups(options_.keep), "deleting old backups");
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
       {"caller", std::string(actor)}});
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

}  // namespace parley
