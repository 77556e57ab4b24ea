#include "common/service/change_feed.h"

#include <algorithm>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/api/feed_position.h"
#include "common/api/validation.h"
#include "common/base/log.h"
#include "common/store/change_log.h"

ABSL_FLAG(int, watch_heartbeat_ms, 5000,
          "WatchChanges: an idle stream sends its position this often");
ABSL_FLAG(int, watch_stall_seconds, 60,
          "WatchChanges: a client that takes no message for this long is cut "
          "off (RESOURCE_EXHAUSTED)");
ABSL_FLAG(absl::Duration, change_retention, absl::ZeroDuration(),
          "how long the change feed keeps changes, e.g. 2160h (0: forever; "
          "each record's newest revision is always kept)");

namespace parley {

using ::parley::common::v1::Change;
using ::parley::store::v1::ChangeEntry;

namespace {

constexpr int kDefaultFeedPage = 100;
constexpr int kMaxFeedPage = 1000;
// Entries of other kinds stepped over in one read at most: a filtered read
// of a busy log answers with its position rather than scanning it all.
constexpr size_t kMaxScanned = 10000;

}  // namespace

ChangeFeedOptions ChangeFeedOptionsFromFlags() {
  ChangeFeedOptions options;
  options.heartbeat =
      absl::Milliseconds(std::max(10, absl::GetFlag(FLAGS_watch_heartbeat_ms)));
  options.stall =
      absl::Seconds(std::max(1, absl::GetFlag(FLAGS_watch_stall_seconds)));
  options.retention = absl::GetFlag(FLAGS_change_retention);
  return options;
}

absl::Status ValidateFeedPageSize(int page_size, int* limit) {
  if (page_size < 0) {
    return InvalidField("page_size", "must not be negative");
  }
  *limit =
      page_size == 0 ? kDefaultFeedPage : std::min(page_size, kMaxFeedPage);
  return absl::OkStatus();
}

ChangeFeed::ChangeFeed(Store* store, std::string service,
                       const std::vector<Collection*>& collections,
                       ChangeFeedOptions options)
    : store_(store), service_(std::move(service)), options_(options) {
  for (Collection* c : collections) collections_[c->schema().collection] = c;
  last_trim_ = absl::Now();
  subscription_ = store_->changes().Subscribe([this] {
    absl::MutexLock lock(&mu_);
    for (Watcher* w : watchers_) w->Wake();
  });
  // Often enough for the heartbeat, at least once a second.
  const absl::Duration tick = std::clamp(
      options_.heartbeat / 2, absl::Milliseconds(10), absl::Seconds(1));
  ticker_ = std::thread([this, tick] {
    while (!stop_.WaitForNotificationWithTimeout(tick)) Tick();
  });
}

ChangeFeed::~ChangeFeed() {
  Close();
  stop_.Notify();
  ticker_.join();
  store_->changes().Unsubscribe(subscription_);
}

absl::StatusOr<FeedCursor> ChangeFeed::Open(
    const google::protobuf::RepeatedPtrField<std::string>& kinds,
    const std::string& after, bool from_now) const {
  FeedCursor cursor;
  FieldViolations v;
  for (int i = 0; i < kinds.size(); ++i) {
    if (!collections_.contains(kinds[i])) {
      std::vector<std::string> known;
      for (const auto& [name, c] : collections_) known.push_back(name);
      std::sort(known.begin(), known.end());
      v.Add(Path("", "kinds", i),
            absl::StrCat("\"", kinds[i], "\" is not a kind of the ", service_,
                         " service (", absl::StrJoin(known, ", "), ")"));
      continue;
    }
    cursor.kinds.insert(kinds[i]);
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(const uint64_t newest, NewestCommittedChange(store_));
  if (from_now) {
    cursor.sequence = newest;
    return cursor;
  }
  ASSIGN_OR_RETURN(cursor.sequence,
                   DecodeFeedPosition(after, service_, "after"));
  const uint64_t trimmed = store_->changes_trimmed_through();
  if (cursor.sequence < trimmed) {
    return absl::FailedPreconditionError(absl::StrCat(
        after.empty() ? "the feed's first changes"
                      : "the changes after that position",
        " are no longer kept (--change_retention): resync from a full export, "
        "then follow the feed from_now"));
  }
  if (cursor.sequence > newest) {
    return absl::FailedPreconditionError(
        "that position is ahead of this service's change log (was the store "
        "restored from an older backup?): resync from a full export, then "
        "follow the feed from_now");
  }
  return cursor;
}

absl::Status ChangeFeed::Read(FeedCursor* cursor, int limit,
                              google::protobuf::RepeatedPtrField<Change>* out,
                              bool* caught_up) const {
  // A live watch whose position the retention has since passed must not
  // step over the dropped changes unawares.
  if (cursor->sequence < store_->changes_trimmed_through()) {
    return absl::FailedPreconditionError(
        "the changes after this position are no longer kept "
        "(--change_retention): resync from a full export, then follow the "
        "feed from_now");
  }
  int taken = 0;
  absl::Status converted;
  ASSIGN_OR_RETURN(const uint64_t last,
                   ReadChanges(
                       store_, cursor->sequence, kMaxScanned,
                       [&](const ChangeEntry& entry) {
                         if (!cursor->kinds.empty() &&
                             !cursor->kinds.contains(entry.collection())) {
                           return true;
                         }
                         converted = ToChange(entry, out->Add());
                         if (!converted.ok()) return false;
                         return ++taken < limit;
                       },
                       caught_up));
  RETURN_IF_ERROR(converted);
  cursor->sequence = last;
  return absl::OkStatus();
}

std::string ChangeFeed::Position(uint64_t sequence) const {
  return EncodeFeedPosition(service_, sequence);
}

absl::Status ChangeFeed::ToChange(const ChangeEntry& entry, Change* out) const {
  auto it = collections_.find(entry.collection());
  if (it == collections_.end()) {
    return absl::DataLossError(absl::StrCat("change ", entry.sequence(),
                                            " is of an unknown collection \"",
                                            entry.collection(), "\""));
  }
  const Collection& collection = *it->second;
  out->set_position(Position(entry.sequence()));
  out->set_name(collection.NameOf(entry.id()));
  out->set_kind(entry.collection());
  out->set_revision(entry.revision());
  *out->mutable_commit_time() = entry.change_time();
  out->set_actor(entry.actor());
  *out->mutable_changed_fields() = entry.changed_fields();
  switch (entry.change()) {
    case common::v1::Revision::CHANGE_CREATE:
      out->set_operation(Change::OPERATION_CREATED);
      break;
    case common::v1::Revision::CHANGE_UPDATE:
      out->set_operation(Change::OPERATION_UPDATED);
      break;
    case common::v1::Revision::CHANGE_DELETE:
      out->set_operation(Change::OPERATION_DELETED);
      break;
    default:
      return absl::DataLossError(
          absl::StrCat("change ", entry.sequence(), " has no operation"));
  }
  const auto* prototype = collection.schema().prototype;
  if (entry.change() != common::v1::Revision::CHANGE_DELETE) {
    out->mutable_record()->set_type_url(absl::StrCat(
        "type.googleapis.com/", prototype->GetDescriptor()->full_name()));
    out->mutable_record()->set_value(entry.snapshot());
    return absl::OkStatus();
  }
  // A delete keeps the record as it was; the feed gives only its name,
  // revision and etag.
  std::unique_ptr<google::protobuf::Message> before(prototype->New());
  if (!before->ParseFromString(entry.snapshot())) {
    return absl::DataLossError(
        absl::StrCat("change ", entry.sequence(), "'s snapshot is unreadable"));
  }
  const auto& meta = GetMetadata(*before);
  auto* tombstone = out->mutable_tombstone();
  tombstone->set_name(out->name());
  tombstone->set_revision(meta.revision());
  tombstone->set_etag(meta.etag());
  *tombstone->mutable_delete_time() = entry.change_time();
  return absl::OkStatus();
}

void ChangeFeed::Add(Watcher* watcher) {
  absl::MutexLock lock(&mu_);
  watchers_.insert(watcher);
  if (closed_) watcher->Close();
}

void ChangeFeed::Remove(Watcher* watcher) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(watcher);
}

void ChangeFeed::Close() {
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  closed_ = true;
  for (Watcher* w : watchers_) w->Close();
}

bool ChangeFeed::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

void ChangeFeed::Tick() {
  const absl::Time now = absl::Now();
  bool trim = false;
  {
    absl::MutexLock lock(&mu_);
    for (Watcher* w : watchers_) w->Tick(now);
    if (!closed_ && options_.retention > absl::ZeroDuration() &&
        now - last_trim_ >= options_.trim_interval) {
      last_trim_ = now;
      trim = true;
    }
  }
  if (trim) {
    auto dropped = Trim(now);
    if (!dropped.ok()) {
      Log(LogLevel::kWarning, "trimming the change log failed",
          {{"error", dropped.status().ToString()}});
    } else if (*dropped > 0) {
      Log(LogLevel::kInfo, "trimmed the change log", {{"dropped", *dropped}});
    }
  }
}

absl::StatusOr<int64_t> ChangeFeed::Trim(absl::Time now) {
  if (options_.retention <= absl::ZeroDuration()) return 0;
  return TrimChanges(store_, now - options_.retention);
}

}  // namespace parley
