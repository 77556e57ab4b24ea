// The change log as readers outside the service see it: in commit order,
// nothing twice, nothing missing (the change feed, issue 17).
//
// Every write numbers its change-log entries while its batch is built, and
// concurrent writers' batches commit in any order (RocksDB groups their
// syncs). A reader that took "the newest entry" as its position could skip
// an entry numbered before it that commits after. So the sequencer keeps the
// numbers handed out and not yet resolved (written, or refused), and
// readers read only up to the committed watermark: every number at or below
// it has been written or never will be. A number whose write failed is a gap
// that nobody saw; after a crash the next number resumes after the last
// entry on disk, which every reader's position is at or below.
#ifndef PARLEY_COMMON_STORE_CHANGE_LOG_H_
#define PARLEY_COMMON_STORE_CHANGE_LOG_H_

#include <cstdint>
#include <functional>
#include <map>

#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "parley/store/v1/store.pb.h"
#include "rocksdb/write_batch.h"

namespace parley {

class Store;

class ChangeSequencer {
 public:
  explicit ChangeSequencer(uint64_t last_on_disk) : last_(last_on_disk) {}
  ChangeSequencer(const ChangeSequencer&) = delete;
  ChangeSequencer& operator=(const ChangeSequencer&) = delete;

  // The next number, pending until Resolve.
  uint64_t Next();
  // The numbers of a batch once it is written or refused; tells the
  // listeners when the watermark moves.
  void Resolve(const std::vector<uint64_t>& sequences);
  // Every number at or below this is resolved.
  uint64_t Committed() const;

  // `on_commit` runs (on the writer's thread, so it must only hand work
  // off) each time the watermark moves. Unsubscribe waits for a call in
  // progress, so after it returns the callback is never called again.
  int Subscribe(std::function<void()> on_commit);
  void Unsubscribe(int id);

 private:
  mutable absl::Mutex mu_;
  uint64_t last_ ABSL_GUARDED_BY(mu_);
  absl::btree_set<uint64_t> pending_ ABSL_GUARDED_BY(mu_);
  absl::Mutex listeners_mu_;
  int next_listener_ ABSL_GUARDED_BY(listeners_mu_) = 0;
  std::map<int, std::function<void()>> listeners_
      ABSL_GUARDED_BY(listeners_mu_);
};

// The change-log numbers a batch writes (its puts to Cf::kChangeLog).
std::vector<uint64_t> ChangeSequencesIn(Store* store,
                                        const rocksdb::WriteBatch& batch);

// Reads committed entries after `after`, in order, until `fn` returns false
// or `max_scanned` entries have been read; returns the number of the last
// entry read (`after` if none). `reached_end`, if given, says whether the
// read went through every committed entry (a gap at the end, a refused
// write's number, counts as read).
absl::StatusOr<uint64_t> ReadChanges(
    Store* store, uint64_t after, size_t max_scanned,
    const std::function<bool(const ::parley::store::v1::ChangeEntry&)>& fn,
    bool* reached_end = nullptr);

// The number of the newest committed entry (0 if none): a position that a
// reader may keep, since an entry is there.
absl::StatusOr<uint64_t> NewestCommittedChange(Store* store);

// Drops the entries committed before `before`, except each record's newest
// revision (what its current state, reads at a time and the store check
// need); the history keeps every revision's number and time. Returns how
// many were dropped. Readers whose position is older are refused from then
// on (Store::changes_trimmed_through).
absl::StatusOr<int64_t> TrimChanges(Store* store, absl::Time before);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_CHANGE_LOG_H_
