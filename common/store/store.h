// The one RocksDB of a service and its column families. Nothing but the
// owning service opens it.
#ifndef PARLEY_COMMON_STORE_STORE_H_
#define PARLEY_COMMON_STORE_STORE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/change_log.h"
#include "rocksdb/db.h"
#include "rocksdb/statistics.h"

namespace parley {

// Column families: what each holds is fixed here so that every service lays
// its data out alike.
enum class Cf {
  kRecords = 0,    // collection/id -> current record
  kIndexes = 1,    // secondary index entries and per-record history
  kMeta = 2,       // idempotency keys, sequences, span-length maxima
  kChangeLog = 3,  // sequence -> ChangeEntry (every revision, with snapshot)
  kRollups = 4,    // totals kept at write time (merge operator sums deltas)
};
inline constexpr int kCfCount = 5;

struct StoreOptions {
  std::string path;
  // Block cache for reads.
  size_t block_cache_bytes = 64 << 20;
  // Memtables of all column families together: past this the largest is
  // flushed, so a bulk load's memory stays flat.
  size_t write_buffer_bytes = 256 << 20;
  // Writes are refused (RESOURCE_EXHAUSTED) while the disk holding the store
  // has less free than this, so that RocksDB never runs out of space in the
  // middle of a write: its WAL writer aborts the process on a failed append
  // (Debian's RocksDB keeps its assertions). Reads go on; writes resume once
  // space is freed. Negative: --min_free_disk_mb's; 0: no reserve.
  int64_t min_free_bytes = -1;
  // How the free space of the disk holding `path` is measured (statvfs);
  // tests give their own.
  std::function<absl::StatusOr<uint64_t>(const std::string& path)> free_bytes;
  // Measured this often at most: a statvfs per write would cost more than
  // the write's share of a WAL sync.
  absl::Duration free_space_check_interval = absl::Milliseconds(100);
};

class Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const StoreOptions& options);

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // Flushes memtables and closes the database.
  ~Store();

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Cf which) {
    return handles_[static_cast<int>(which)];
  }
  const std::string& path() const { return path_; }

  // Writes atomically and durably: acknowledged only once the WAL is synced.
  // RocksDB's write groups let concurrent callers share one sync. Refused
  // with RESOURCE_EXHAUSTED, writing nothing, while the disk is (nearly)
  // full (StoreOptions::min_free_bytes).
  absl::Status Write(rocksdb::WriteBatch* batch);

  // Point read; nullopt if absent. `snapshot` may be null.
  absl::StatusOr<std::optional<std::string>> Get(
      Cf cf, const rocksdb::Slice& key,
      const rocksdb::Snapshot* snapshot = nullptr);

  // Point reads of many keys of one CF at once (RocksDB's batched MultiGet:
  // a batch's checks in one pass down the levels); nullopt where absent. An
  // empty key reads nothing and gets nullopt.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      Cf cf, const std::vector<std::string>& keys);

  std::unique_ptr<rocksdb::Iterator> NewIterator(
      Cf cf, const rocksdb::ReadOptions& options);

  // Next change-log sequence number: strictly increasing across restarts,
  // pending (unseen by the change feed) until its batch is written or
  // refused (change_log.h).
  uint64_t NextSequence() { return changes_->Next(); }
  ChangeSequencer& changes() { return *changes_; }

  // Change-log entries at or below this number may have been dropped
  // (TrimChanges); a feed position below it is refused.
  uint64_t changes_trimmed_through() const { return trimmed_through_.load(); }
  void set_changes_trimmed_through(uint64_t s) { trimmed_through_.store(s); }
  // Where changes_trimmed_through is kept (Cf::kMeta).
  static constexpr absl::string_view kChangesTrimmedKey =
      "changes-trimmed-through";

  // Serialises read-check-write of one key (a record, an idempotency key)
  // without serialising unrelated writers, so their syncs still group.
  absl::Mutex& LockFor(absl::string_view key);

  absl::Status Flush();

  rocksdb::Statistics* statistics() { return statistics_.get(); }

 private:
  Store() = default;

  // OK while the disk keeps min_free_bytes_ free after `incoming` more bytes.
  absl::Status CheckFreeSpace(size_t incoming);

  std::string path_;
  int64_t min_free_bytes_ = 0;
  int64_t free_check_nanos_ = 0;
  std::function<absl::StatusOr<uint64_t>(const std::string&)> free_bytes_;
  std::atomic<int64_t> free_checked_nanos_{0};
  std::atomic<uint64_t> free_bytes_seen_{0};
  std::unique_ptr<rocksdb::DB> db_;
  std::array<rocksdb::ColumnFamilyHandle*, kCfCount> handles_{};
  std::shared_ptr<rocksdb::Statistics> statistics_;
  std::unique_ptr<ChangeSequencer> changes_;
  std::atomic<uint64_t> trimmed_through_{0};
  std::array<absl::Mutex, 512> locks_;
};

// Holds the lock stripes of some keys (Store::LockFor), taken in one fixed
// order (by address), so writers that each hold several never deadlock.
// Keys that share a stripe take it once; empty keys are skipped.
class StripeLocks {
 public:
  StripeLocks(Store* store, const std::vector<std::string>& keys);
  StripeLocks(const StripeLocks&) = delete;
  StripeLocks& operator=(const StripeLocks&) = delete;
  ~StripeLocks();

 private:
  std::vector<absl::Mutex*> held_;
};

// rocksdb::Status -> absl::Status: no space is RESOURCE_EXHAUSTED (saying
// the disk is full), I/O errors are UNAVAILABLE, corruption is DATA_LOSS.
absl::Status FromRocksStatus(const rocksdb::Status& status,
                             absl::string_view what);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_STORE_H_
