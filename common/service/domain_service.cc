#include "common/service/domain_service.h"

#include <cstdio>
#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/files.h"
#include "common/base/log.h"
#include "common/service/store_metrics.h"
#include "common/store/restore.h"
#include "common/store/store_check.h"

ABSL_FLAG(std::string, data_dir, "",
          "folder of the service's RocksDB; default ./data/<service>");
ABSL_FLAG(std::string, backup_dir, "",
          "folder of the store's backups; default <data_dir>/../backups/"
          "<service>");
ABSL_FLAG(int, backups_to_keep, 7,
          "after each backup, delete the older ones beyond this many");
ABSL_FLAG(std::string, restore_from, "",
          "restore a backup from this backup folder into --data_dir (which "
          "must be empty or absent), then exit");
ABSL_FLAG(uint32_t, restore_backup_id, 0,
          "with --restore_from: the backup to restore; 0 is the newest");
ABSL_FLAG(bool, check_store, false,
          "check the store in --data_dir (the service must be stopped): "
          "recompute indexes and rollups from the records, check history and "
          "the change log against them, print a JSON report, then exit 0 if "
          "it is consistent, 1 if not, 2 if it could not be checked");
ABSL_FLAG(bool, restore_replace, false,
          "with --restore_from: if --data_dir holds a store, set it aside as "
          "<data_dir>.before-restore-<time> once the restore is whole");

namespace parley {
namespace {

std::string DataDirFromFlags(const std::string& service) {
  std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty()) data_dir = absl::StrCat("data/", service);
  return data_dir;
}

// The store's figures in Metrics::Default(): one collector per process,
// pointed at whichever store is open.
StoreMetrics& ProcessStoreMetrics() {
  // Metrics::Default() keeps the collector, and is never destroyed.
  static StoreMetrics* metrics = StoreMetrics::AddTo(&Metrics::Default()).get();
  return *metrics;
}

// --restore_from: restore, report, and exit without serving.
int Restore(const std::string& data_dir) {
  const std::string from = absl::GetFlag(FLAGS_restore_from);
  const uint32_t id = absl::GetFlag(FLAGS_restore_backup_id);
  absl::StatusOr<RestoreResult> restored =
      RestoreBackup({.backup_dir = from,
                     .backup_id = id,
                     .data_dir = data_dir,
                     .replace = absl::GetFlag(FLAGS_restore_replace)});
  if (!restored.ok()) {
    Log(LogLevel::kError, "restore failed",
        {{"from", from},
         {"data_dir", data_dir},
         {"error", restored.status().ToString()}});
    return 1;
  }
  Log(LogLevel::kInfo, "restored",
      {{"from", from},
       {"backup_id", static_cast<int64_t>(restored->backup_id)},
       {"data_dir", data_dir},
       {"set_aside", restored->set_aside}});
  return 0;
}

// --check_store: open the store, check every collection, print the report.
int CheckStoreAndExit(const std::string& data_dir,
                      const WithCollections& with_collections) {
  // Without a store there, opening would make an empty one, which passes.
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT")) {
    Log(LogLevel::kError, "--check_store: no store here",
        {{"data_dir", data_dir}});
    return 2;
  }
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open({.path = data_dir});
  if (!store.ok()) {
    Log(LogLevel::kError, "--check_store: cannot open the store",
        {{"data_dir", data_dir}, {"error", store.status().ToString()}});
    return 2;
  }
  absl::StatusOr<StoreCheckReport> report;
  const absl::Status built = with_collections(
      store->get(), [&](const std::vector<Collection*>& collections) {
        report = CheckStore(collections);
        return absl::OkStatus();
      });
  if (!built.ok()) {
    Log(LogLevel::kError, "--check_store: cannot bring the store up to date",
        {{"data_dir", data_dir}, {"error", built.ToString()}});
    return 2;
  }
  if (!report.ok()) {
    Log(LogLevel::kError, "--check_store: cannot read the store",
        {{"data_dir", data_dir}, {"error", report.status().ToString()}});
    return 2;
  }
  std::printf("%s\n", report->ToJson().c_str());
  std::fflush(stdout);
  return report->consistent() ? 0 : 1;
}

}  // namespace

ServiceStore::ServiceStore(const std::string& service)
    : data_dir_(DataDirFromFlags(service)) {
  backups_.service = service;
  backups_.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  if (backups_.backup_dir.empty()) {
    backups_.backup_dir =
        (std::filesystem::path(FolderPath(data_dir_)).parent_path() /
         "backups" / service)
            .string();
  }
  backups_.keep = absl::GetFlag(FLAGS_backups_to_keep);
}

absl::StatusOr<Store*> ServiceStore::Open() {
  Log(LogLevel::kInfo, "opening store", {{"data_dir", data_dir_}});
  absl::StatusOr<std::unique_ptr<Store>> opened =
      Store::Open({.path = data_dir_});
  if (!opened.ok()) {
    return absl::Status(opened.status().code(),
                        absl::StrCat("cannot open the store in ", data_dir_,
                                     ": ", opened.status().message()));
  }
  store_ = *std::move(opened);
  ProcessStoreMetrics().Attach(store_.get());
  return store_.get();
}

void ServiceStore::Close() {
  if (store_ == nullptr) return;
  ProcessStoreMetrics().Detach();  // no scrape reads it from here on
  store_.reset();                  // flush and close
}

std::optional<int> RunStoreModes(const std::string& service,
                                 const WithCollections& with_collections) {
  const std::string data_dir = DataDirFromFlags(service);
  if (!absl::GetFlag(FLAGS_restore_from).empty()) return Restore(data_dir);
  if (absl::GetFlag(FLAGS_check_store)) {
    return CheckStoreAndExit(data_dir, with_collections);
  }
  return std::nullopt;
}

}  // namespace parley
