#include "common/store/change_log.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status.h"
#include "common/model/keys.h"
#include "common/store/collection_internal.h"
#include "common/store/store.h"

namespace parley {

using ::parley::store::v1::ChangeEntry;

uint64_t ChangeSequencer::Next() {
  absl::MutexLock lock(&mu_);
  const uint64_t next = ++last_;
  pending_.insert(next);
  return next;
}

void ChangeSequencer::Resolve(const std::vector<uint64_t>& sequences) {
  if (sequences.empty()) return;
  bool moved = false;
  {
    absl::MutexLock lock(&mu_);
    const uint64_t lowest = pending_.empty() ? 0 : *pending_.begin();
    for (uint64_t s : sequences) pending_.erase(s);
    // The watermark moves when the lowest pending number is resolved.
    moved = pending_.empty() || *pending_.begin() != lowest;
  }
  if (!moved) return;
  absl::MutexLock lock(&listeners_mu_);
  for (const auto& [id, listener] : listeners_) listener();
}

uint64_t ChangeSequencer::Committed() const {
  absl::MutexLock lock(&mu_);
  return pending_.empty() ? last_ : *pending_.begin() - 1;
}

int ChangeSequencer::Subscribe(std::function<void()> on_commit) {
  absl::MutexLock lock(&listeners_mu_);
  const int id = next_listener_++;
  listeners_.emplace(id, std::move(on_commit));
  return id;
}

void ChangeSequencer::Unsubscribe(int id) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(id);
}

std::vector<uint64_t> ChangeSequencesIn(Store* store,
                                        const rocksdb::WriteBatch& batch) {
  class Collect final : public rocksdb::WriteBatch::Handler {
   public:
    explicit Collect(uint32_t change_log) : change_log_(change_log) {}
    rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                          const rocksdb::Slice&) override {
      if (cf != change_log_) return rocksdb::Status::OK();
      absl::string_view rest(key.data(), key.size());
      uint64_t sequence = 0;
      if (keys::ConsumeUint64(&rest, &sequence)) found.push_back(sequence);
      return rocksdb::Status::OK();
    }
    // Everything else in the batch is not ours to read.
    rocksdb::Status DeleteCF(uint32_t, const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&,
                            const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&,
                                  const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    void LogData(const rocksdb::Slice&) override {}
    std::vector<uint64_t> found;

   private:
    uint32_t change_log_;
  };
  Collect collect(store->cf(Cf::kChangeLog)->GetID());
  // Only a malformed batch fails here, and RocksDB would have refused it;
  // its numbers then stay pending, which stops the feed rather than let it
  // pass an entry unseen.
  (void)batch.Iterate(&collect);
  return std::move(collect.found);
}

absl::StatusOr<uint64_t> ReadChanges(
    Store* store, uint64_t after, size_t max_scanned,
    const std::function<bool(const ChangeEntry&)>& fn, bool* reached_end) {
  // Read first, so that every entry at or below it is visible below.
  const uint64_t committed = store->changes().Committed();
  if (reached_end != nullptr) *reached_end = true;
  if (after >= committed) return after;
  std::string start;
  keys::AppendUint64(&start, after + 1);
  std::string end;
  keys::AppendUint64(&end, committed + 1);
  rocksdb::ReadOptions options;
  rocksdb::Slice upper(end);
  options.iterate_upper_bound = &upper;
  auto it = store->NewIterator(Cf::kChangeLog, options);
  uint64_t last = after;
  size_t scanned = 0;
  bool stopped = false;
  for (it->Seek(start); it->Valid(); it->Next()) {
    if (scanned == max_scanned) {
      stopped = true;
      break;
    }
    ChangeEntry entry;
    if (!entry.ParseFromArray(it->value().data(),
                              static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("change log entry after ", last, " is unreadable"));
    }
    last = entry.sequence();
    ++scanned;
    if (!fn(entry)) {
      it->Next();
      stopped = it->Valid();
      break;
    }
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the change log"));
  if (reached_end != nullptr) *reached_end = !stopped;
  return last;
}

absl::StatusOr<uint64_t> NewestCommittedChange(Store* store) {
  const uint64_t committed = store->changes().Committed();
  std::string key;
  keys::AppendUint64(&key, committed);
  auto it = store->NewIterator(Cf::kChangeLog, rocksdb::ReadOptions());
  it->SeekForPrev(key);
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the change log"));
  if (!it->Valid()) return 0;
  absl::string_view rest(it->key().data(), it->key().size());
  uint64_t sequence = 0;
  if (!keys::ConsumeUint64(&rest, &sequence)) {
    return absl::DataLossError("change log key is malformed");
  }
  return sequence;
}

absl::StatusOr<int64_t> TrimChanges(Store* store, absl::Time before) {
  const uint64_t committed = store->changes().Committed();
  auto it = store->NewIterator(Cf::kChangeLog, rocksdb::ReadOptions());
  auto history = store->NewIterator(Cf::kIndexes, rocksdb::ReadOptions());
  rocksdb::WriteBatch batch;
  int64_t dropped = 0;
  uint64_t through = store->changes_trimmed_through();
  const auto write = [&]() -> absl::Status {
    std::string value;
    keys::AppendUint64(&value, through);
    batch.Put(store->cf(Cf::kMeta),
              rocksdb::Slice(Store::kChangesTrimmedKey.data(),
                             Store::kChangesTrimmedKey.size()),
              value);
    RETURN_IF_ERROR(store->Write(&batch));
    store->set_changes_trimmed_through(through);
    batch.Clear();
    return absl::OkStatus();
  };
  // From the start each time: the newest revisions kept by an earlier trim
  // may have been superseded since.
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ChangeEntry entry;
    if (!entry.ParseFromArray(it->value().data(),
                              static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a change log entry is unreadable");
    }
    if (entry.sequence() > committed ||
        collection_internal::FromTimestamp(entry.change_time()) >= before) {
      break;
    }
    // Kept if no later revision of its record is in the history.
    std::string next =
        collection_internal::HistoryPrefixOf(entry.collection(), entry.id());
    keys::AppendUint64(&next, static_cast<uint64_t>(entry.revision() + 1));
    history->Seek(next);
    RETURN_IF_ERROR(FromRocksStatus(history->status(), "reading history"));
    const bool superseded = history->Valid() && history->key() == next;
    if (superseded) {
      batch.Delete(store->cf(Cf::kChangeLog), it->key());
      ++dropped;
    }
    through = std::max(through, entry.sequence());
    if (batch.Count() >= 10000) RETURN_IF_ERROR(write());
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the change log"));
  if (through != store->changes_trimmed_through() || batch.Count() > 0) {
    RETURN_IF_ERROR(write());
  }
  return dropped;
}

}  // namespace parley
