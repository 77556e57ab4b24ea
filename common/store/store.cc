#include "common/store/store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/status.h"
#include "common/model/keys.h"
#include "common/store/insert_hints.h"
#include "common/store/merge_operators.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"

ABSL_FLAG(int64_t, min_free_disk_mb, 128,
          "refuse writes (RESOURCE_EXHAUSTED) while the disk holding the "
          "store has less free space than this, in MiB; reads go on, and "
          "writes resume once space is freed; 0: never refuse");

namespace parley {
namespace {

// Merge operands a key may gather in a memtable before they are folded.
constexpr size_t kMaxSuccessiveMerges = 16;

constexpr const char* kCfNames[kCfCount] = {"records", "indexes", "meta",
                                            "changelog", "rollups"};

absl::StatusOr<uint64_t> StatvfsFreeBytes(const std::string& path) {
  struct statvfs fs;
  if (statvfs(path.c_str(), &fs) != 0) {
    return absl::UnavailableError(
        absl::StrCat("statvfs ", path, ": ", std::strerror(errno)));
  }
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

std::string Mebibytes(uint64_t bytes) {
  return absl::StrFormat("%.1f MiB", static_cast<double>(bytes) / (1 << 20));
}

}  // namespace

absl::Status FromRocksStatus(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNoSpace()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the disk holding the store is full: ", message));
  }
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
  store->min_free_bytes_ =
      options.min_free_bytes >= 0
          ? options.min_free_bytes
          : absl::GetFlag(FLAGS_min_free_disk_mb) * (int64_t{1} << 20);
  store->free_bytes_ =
      options.free_bytes ? options.free_bytes : StatvfsFreeBytes;
  store->free_check_nanos_ =
      absl::ToInt64Nanoseconds(options.free_space_check_interval);
  store->statistics_ = rocksdb::CreateDBStatistics();

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.statistics = store->statistics_;
  // Let several writers' batches share one WAL sync while the leader syncs.
  db_options.enable_pipelined_write = false;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  // A synced write should cost one sync: a recycled WAL file is already
  // its full size, so fdatasync has no file length to commit as well.
  db_options.recycle_log_file_num = 4;
  // Small column families (meta, rollups) flush rarely and would pin every
  // WAL file since their last flush: past this much WAL the oldest are
  // flushed, bounding the disk it takes and what a restart replays.
  db_options.max_total_wal_size = 256 << 20;
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Block checksums by XXH3: Debian's RocksDB is built for any x86-64, so
  // its CRC32C is the software one, and flushes spent more on it than on
  // compression.
  table.checksum = rocksdb::kXXH3;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName,
                           rocksdb::ColumnFamilyOptions());
  for (int i = 0; i < kCfCount; ++i) {
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf_options.compression = rocksdb::kLZ4Compression;
    // Not the two newest levels: what a flush writes is soon compacted
    // again, and they stay small, so compressing them costs CPU while
    // writes are coming in and saves little disk.
    cf_options.compression_per_level = {
        rocksdb::kNoCompression,  rocksdb::kNoCompression,
        rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
        rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
        rocksdb::kLZ4Compression};
    // No DeleteRange on these two: before RocksDB 9.x, range tombstones
    // shared the insert hints of point keys (RocksDB issue 5118).
    if (static_cast<Cf>(i) == Cf::kRecords) {
      cf_options.memtable_insert_with_hint_prefix_extractor = RecordStreams();
    } else if (static_cast<Cf>(i) == Cf::kIndexes) {
      cf_options.memtable_insert_with_hint_prefix_extractor = IndexStreams();
    }
    if (static_cast<Cf>(i) == Cf::kRollups) {
      cf_options.merge_operator = NewRollupMergeOperator();
    } else if (static_cast<Cf>(i) == Cf::kMeta) {
      cf_options.merge_operator = NewMaxMergeOperator();
    }
    // A hot total (a day's rollup, the longest span) takes a merge operand
    // per write; a small CF's memtable flushes rarely, so a read would fold
    // thousands of them. Folding every few writes keeps reads flat.
    cf_options.max_successive_merges = kMaxSuccessiveMerges;
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
  // Measured now, so that the first writes need not; unknown, never refused.
  auto measured = store->free_bytes_(options.path);
  store->free_bytes_seen_ =
      measured.ok() ? *measured : std::numeric_limits<uint64_t>::max();
  store->free_checked_nanos_ = absl::GetCurrentTimeNanos();
  // handles[0] is the default family, which we do not use but must close.
  store->db_->DestroyColumnFamilyHandle(handles[0]);
  for (int i = 0; i < kCfCount; ++i) store->handles_[i] = handles[i + 1];

  // Resume the change-log sequence after its last entry.
  uint64_t last_sequence = 0;
  auto it = store->NewIterator(Cf::kChangeLog, rocksdb::ReadOptions());
  it->SeekToLast();
  if (it->Valid()) {
    absl::string_view key(it->key().data(), it->key().size());
    uint64_t last = 0;
    if (!keys::ConsumeUint64(&key, &last)) {
      return absl::DataLossError("change log key is malformed");
    }
    last_sequence = last;
  }
  if (auto st = FromRocksStatus(it->status(), "reading change log"); !st.ok())
    return st;
  store->changes_ = std::make_unique<ChangeSequencer>(last_sequence);
  auto trimmed = store->Get(
      Cf::kMeta,
      rocksdb::Slice(kChangesTrimmedKey.data(), kChangesTrimmedKey.size()));
  if (!trimmed.ok()) return trimmed.status();
  if (trimmed->has_value()) {
    absl::string_view rest(**trimmed);
    uint64_t through = 0;
    if (!keys::ConsumeUint64(&rest, &through)) {
      return absl::DataLossError("the change log's trim mark is malformed");
    }
    store->trimmed_through_ = through;
  }
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

absl::Status Store::CheckFreeSpace(size_t incoming) {
  if (min_free_bytes_ <= 0) return absl::OkStatus();
  const int64_t now = absl::GetCurrentTimeNanos();
  int64_t checked = free_checked_nanos_.load(std::memory_order_relaxed);
  if (now - checked >= free_check_nanos_ &&
      free_checked_nanos_.compare_exchange_strong(checked, now)) {
    // One writer measures; a failed measure keeps the last figure, so a
    // flaky statvfs never refuses writes by itself.
    if (auto measured = free_bytes_(path_); measured.ok())
      free_bytes_seen_.store(*measured, std::memory_order_relaxed);
  }
  const uint64_t free = free_bytes_seen_.load(std::memory_order_relaxed);
  if (free >= static_cast<uint64_t>(min_free_bytes_) + incoming) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "the disk holding the store is full: ", Mebibytes(free), " free at ",
      path_, ", and writes keep ", Mebibytes(min_free_bytes_),
      " free (--min_free_disk_mb); reads go on, and writes resume once "
      "space is freed"));
}

absl::Status Store::Write(rocksdb::WriteBatch* batch) {
  absl::Status status = CheckFreeSpace(batch->GetDataSize());
  if (status.ok()) {
    rocksdb::WriteOptions options;
    options.sync = true;
    status = FromRocksStatus(db_->Write(options, batch), "writing");
  }
  // Written or refused, its change-log numbers are settled either way.
  changes_->Resolve(ChangeSequencesIn(this, *batch));
  return status;
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

absl::StatusOr<std::vector<std::optional<std::string>>> Store::MultiGet(
    Cf which, const std::vector<std::string>& keys) {
  std::vector<rocksdb::Slice> slices;
  std::vector<size_t> asked;  // index in `keys` of each slice
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].empty()) continue;
    slices.emplace_back(keys[i]);
    asked.push_back(i);
  }
  std::vector<rocksdb::PinnableSlice> values(slices.size());
  std::vector<rocksdb::Status> statuses(slices.size());
  if (!slices.empty()) {
    db_->MultiGet(rocksdb::ReadOptions(), cf(which), slices.size(),
                  slices.data(), values.data(), statuses.data());
  }
  std::vector<std::optional<std::string>> found(keys.size());
  for (size_t j = 0; j < slices.size(); ++j) {
    if (statuses[j].IsNotFound()) continue;
    if (!statuses[j].ok()) return FromRocksStatus(statuses[j], "reading");
    found[asked[j]] = values[j].ToString();
  }
  return found;
}

std::unique_ptr<rocksdb::Iterator> Store::NewIterator(
    Cf which, const rocksdb::ReadOptions& options) {
  return std::unique_ptr<rocksdb::Iterator>(
      db_->NewIterator(options, cf(which)));
}

absl::Mutex& Store::LockFor(absl::string_view key) {
  return locks_[absl::HashOf(key) % locks_.size()];
}

StripeLocks::StripeLocks(Store* store, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (!key.empty()) held_.push_back(&store->LockFor(key));
  }
  std::sort(held_.begin(), held_.end());
  held_.erase(std::unique(held_.begin(), held_.end()), held_.end());
  for (absl::Mutex* mu : held_) mu->Lock();
}

StripeLocks::~StripeLocks() {
  for (auto it = held_.rbegin(); it != held_.rend(); ++it) (*it)->Unlock();
}

absl::Status Store::Flush() {
  rocksdb::FlushOptions options;
  options.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> all(handles_.begin(),
                                                handles_.end());
  return FromRocksStatus(db_->Flush(options, all), "flushing");
}

}  // namespace parley
