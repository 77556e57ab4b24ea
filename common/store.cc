#include "common/store.h"

#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/merge_operators.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"

namespace parley {
namespace {

constexpr const char* kCfNames[kCfCount] = {"records", "indexes", "meta",
                                            "changelog", "rollups"};

}  // namespace

absl::Status FromRocksStatus(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (s.IsIOError() || s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsNotFound()) return absl::NotFoundError(message);
  return absl::InternalError(message);
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const StoreOptions& options) {
  auto store = std::unique_ptr<Store>(new Store());
  store->path_ = options.path;
  store->statistics_ = rocksdb::CreateDBStatistics();

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.statistics = store->statistics_;
  // Let several writers' batches share one WAL sync while the leader syncs.
  db_options.enable_pipelined_write = false;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName,
                           rocksdb::ColumnFamilyOptions());
  for (int i = 0; i < kCfCount; ++i) {
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf_options.compression = rocksdb::kLZ4Compression;
    if (static_cast<Cf>(i) == Cf::kRollups) {
      cf_options.merge_operator = NewRollupMergeOperator();
    } else if (static_cast<Cf>(i) == Cf::kMeta) {
      cf_options.merge_operator = NewMaxMergeOperator();
    }
    descriptors.emplace_back(kCfNames[i], cf_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &db);
  if (!s.ok()) {
    return FromRocksStatus(s, absl::StrCat("opening store at ", options.path));
  }
  store->db_.reset(db);
  // handles[0] is the default family, which we do not use but must close.
  store->db_->DestroyColumnFamilyHandle(handles[0]);
  for (int i = 0; i < kCfCount; ++i) store->handles_[i] = handles[i + 1];

  // Resume the change-log sequence after its last entry.
  auto it = store->NewIterator(Cf::kChangeLog, rocksdb::ReadOptions());
  it->SeekToLast();
  if (it->Valid()) {
    absl::string_view key(it->key().data(), it->key().size());
    uint64_t last = 0;
    if (!keys::ConsumeUint64(&key, &last)) {
      return absl::DataLossError("change log key is malformed");
    }
    store->last_sequence_ = last;
  }
  if (auto st = FromRocksStatus(it->status(), "reading change log"); !st.ok())
    return st;
  return store;
}

Store::~Store() {
  if (!db_) return;
  // A clean close: memtables flushed so the next open replays no WAL.
  (void)Flush();
  for (auto* handle : handles_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close();
}

absl::Status Store::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocksStatus(db_->Write(options, batch), "writing");
}

absl::StatusOr<std::optional<std::string>> Store::Get(
    Cf which, const rocksdb::Slice& key, const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(options, cf(which), key, &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocksStatus(s, "reading");
  return value;
}

std::unique_ptr<rocksdb::Iterator> Store::NewIterator(
    Cf which, const rocksdb::ReadOptions& options) {
  return std::unique_ptr<rocksdb::Iterator>(
      db_->NewIterator(options, cf(which)));
}

absl::Mutex& Store::LockFor(absl::string_view key) {
  return locks_[absl::HashOf(key) % locks_.size()];
}

absl::Status Store::Flush() {
  rocksdb::FlushOptions options;
  options.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> all(handles_.begin(),
                                                handles_.end());
  return FromRocksStatus(db_->Flush(options, all), "flushing");
}

}  // namespace parley
