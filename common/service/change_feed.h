// A domain service's change feed (ListChanges, WatchChanges): every create,
// update and delete of its records in commit order, read from the store's
// change log up to its committed watermark (common/store/change_log.h), so
// that a client resuming from a position gets each change exactly once.
// One rule for every service: a domain holds a ChangeFeed over its
// collections and its two methods are one line each.
#ifndef PARLEY_COMMON_SERVICE_CHANGE_FEED_H_
#define PARLEY_COMMON_SERVICE_CHANGE_FEED_H_

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/base/status.h"
#include "common/store/collection.h"
#include "common/store/store.h"
#include "google/protobuf/repeated_field.h"
#include "parley/common/v1/change.pb.h"

namespace parley {

// Where one reader of the feed is, and what it reads.
struct FeedCursor {
  // The last change-log entry read (0: before the first).
  uint64_t sequence = 0;
  // Kinds (collection names) to return; empty for all.
  absl::flat_hash_set<std::string> kinds;
};

struct ChangeFeedOptions {
  // An idle watch sends its position this often.
  absl::Duration heartbeat = absl::Seconds(5);
  // A watch whose client has not taken a sent message for this long is cut
  // off (RESOURCE_EXHAUSTED): it holds one message, never a backlog.
  absl::Duration stall = absl::Seconds(60);
  // Changes older than this are dropped from the log (0: kept forever),
  // checked every `trim_interval`.
  absl::Duration retention = absl::ZeroDuration();
  absl::Duration trim_interval = absl::Minutes(10);
};

// From --watch_heartbeat_ms, --watch_stall_seconds, --change_retention.
ChangeFeedOptions ChangeFeedOptionsFromFlags();

class ChangeFeed {
 public:
  // A live reader (WatchChanges), woken when changes commit and ticked
  // about once a second for heartbeats and stalls.
  class Watcher {
   public:
    virtual ~Watcher() = default;
    virtual void Wake() = 0;
    virtual void Tick(absl::Time now) = 0;
    // The service is shutting down: finish with UNAVAILABLE.
    virtual void Close() = 0;
  };

  ChangeFeed(Store* store, std::string service,
             const std::vector<Collection*>& collections,
             ChangeFeedOptions options = ChangeFeedOptionsFromFlags());
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;
  ~ChangeFeed();

  // A reader's cursor from a request: `kinds` each one of this service's
  // (INVALID_ARGUMENT naming kinds[i]), `after` a position of this
  // service's feed (INVALID_ARGUMENT naming it) that the log still holds
  // and that is not ahead of it (FAILED_PRECONDITION); `from_now` starts at
  // the newest change instead.
  absl::StatusOr<FeedCursor> Open(
      const google::protobuf::RepeatedPtrField<std::string>& kinds,
      const std::string& after, bool from_now) const;

  // Up to `limit` changes after the cursor, which moves past them (and past
  // the entries of other kinds it stepped over); `caught_up` when nothing
  // committed is left after it.
  absl::Status Read(FeedCursor* cursor, int limit,
                    google::protobuf::RepeatedPtrField<common::v1::Change>* out,
                    bool* caught_up) const;

  std::string Position(uint64_t sequence) const;
  const ChangeFeedOptions& options() const { return options_; }

  void Add(Watcher* watcher);
  void Remove(Watcher* watcher);
  // Closes every watch, now and from now on (before the server shuts down,
  // so that open streams do not hold it up).
  void Close();
  bool closed() const;

  // Drops changes older than the retention now (the ticker does this every
  // trim_interval); returns how many were dropped.
  absl::StatusOr<int64_t> Trim(absl::Time now);

 private:
  void Tick();
  absl::Status ToChange(const ::parley::store::v1::ChangeEntry& entry,
                        common::v1::Change* out) const;

  Store* store_;
  std::string service_;
  ChangeFeedOptions options_;
  absl::flat_hash_map<std::string, Collection*> collections_;
  int subscription_ = -1;

  mutable absl::Mutex mu_;
  absl::flat_hash_set<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_trim_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread ticker_;
};

// ListChanges of any service: its request has `kinds`, `after`,
// `page_size` and `from_now`; its response `changes`, `position` and
// `caught_up`.
absl::Status ValidateFeedPageSize(int page_size, int* limit);
template <typename Request, typename Response>
absl::Status ListChanges(const ChangeFeed& feed, const Request& request,
                         Response* out) {
  int limit = 0;
  RETURN_IF_ERROR(ValidateFeedPageSize(request.page_size(), &limit));
  ASSIGN_OR_RETURN(
      FeedCursor cursor,
      feed.Open(request.kinds(), request.after(), request.from_now()));
  bool caught_up = true;
  if (!request.from_now()) {
    RETURN_IF_ERROR(
        feed.Read(&cursor, limit, out->mutable_changes(), &caught_up));
  }
  out->set_position(feed.Position(cursor.sequence));
  out->set_caught_up(caught_up);
  return absl::OkStatus();
}

}  // namespace parley

#endif  // PARLEY_COMMON_SERVICE_CHANGE_FEED_H_
