// The store check's second half: history, the change log and request ids
// against the current records.
#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status.h"
#include "common/store/store_check_internal.h"
#include "google/protobuf/util/message_differencer.h"

namespace parley::store_check_internal {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::parley::common::v1::Revision;
using ::parley::store::v1::ChangeEntry;
using ::parley::store::v1::IdempotencyEntry;

// One revision in a record's history: its change and when it was made.
struct HistoryEntry {
  int64_t revision = 0;
  uint64_t sequence = 0;
  int64_t micros = 0;
};

// What the check needs of a change-log entry.
struct Change {
  std::string id;
  int64_t revision = 0;
  Revision::Change change = Revision::CHANGE_UNSPECIFIED;
  int64_t micros = 0;
};

int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

const char* ChangeName(Revision::Change change) {
  switch (change) {
    case Revision::CHANGE_CREATE:
      return "a create";
    case Revision::CHANGE_UPDATE:
      return "an update";
    case Revision::CHANGE_DELETE:
      return "a delete";
    default:
      return "an unknown change";
  }
}

// Checks one collection's history; problems go into `result_`.
class HistoryChecker {
 public:
  HistoryChecker(Collection& collection, const rocksdb::Snapshot* snapshot,
                 const std::map<std::string, std::string>& records,
                 CollectionCheck* result)
      : collection_(collection),
        store_(collection.store()),
        snapshot_(snapshot),
        records_(records),
        result_(result) {}

  absl::Status Run() {
    RETURN_IF_ERROR(ReadHistories());
    RETURN_IF_ERROR(ReadChanges());
    RETURN_IF_ERROR(CheckHistories());
    CheckChangesAreInHistory();
    return CheckRequestIds();
  }

 private:
  void Problem(std::string record, std::string problem) {
    AddProblem(result_, std::move(record), std::move(problem));
  }

  std::string Name(absl::string_view id) const {
    return collection_.NameOf(id);
  }

  absl::Status ReadHistories() {
    bool malformed = false;
    RETURN_IF_ERROR(ScanPrefix(
        store_, Cf::kIndexes, snapshot_,
        Segment(collection_.schema().collection) + 'h',
        [&](absl::string_view rest, absl::string_view value) {
          std::string id;
          uint64_t revision = 0;
          HistoryEntry entry;
          if (!keys::ConsumeString(&rest, &id) ||
              !keys::ConsumeUint64(&rest, &revision) || !rest.empty() ||
              !keys::ConsumeUint64(&value, &entry.sequence) ||
              !keys::ConsumeInt64(&value, &entry.micros)) {
            malformed = true;
            return;
          }
          entry.revision = static_cast<int64_t>(revision);
          histories_[id].push_back(entry);
          ++result_->history_entries;
        }));
    if (malformed) Problem("", "a history entry is malformed");
    return absl::OkStatus();
  }

  absl::Status ReadChanges() {
    bool unreadable = false;
    RETURN_IF_ERROR(ScanPrefix(
        store_, Cf::kChangeLog, snapshot_, "",
        [&](absl::string_view key, absl::string_view value) {
          uint64_t sequence = 0;
          ChangeEntry entry;
          if (!keys::ConsumeUint64(&key, &sequence) || !key.empty() ||
              !entry.ParseFromArray(value.data(),
                                    static_cast<int>(value.size()))) {
            unreadable = true;
            return;
          }
          if (entry.collection() != collection_.schema().collection) return;
          ++result_->changes;
          if (entry.sequence() != sequence) {
            Problem(Name(entry.id()),
                    absl::StrCat("change ", sequence, " says it is change ",
                                 entry.sequence()));
          }
          changes_[sequence] = {entry.id(), entry.revision(), entry.change(),
                                Micros(entry.change_time())};
        }));
    if (unreadable) Problem("", "a change-log entry is unreadable");
    return absl::OkStatus();
  }

  // Every record's history against the change log and the record.
  absl::Status CheckHistories() {
    std::map<std::string, bool> ids;
    for (const auto& [id, bytes] : records_) ids[id] = true;
    for (const auto& [id, history] : histories_) ids.emplace(id, false);
    for (const auto& [id, current] : ids) {
      const std::string name = Name(id);
      auto found = histories_.find(id);
      if (found == histories_.end()) {
        Problem(name, "the record has no history");
        continue;
      }
      const std::vector<HistoryEntry>& history = found->second;
      int64_t expected = 1;
      for (size_t i = 0; i < history.size(); ++i) {
        const HistoryEntry& entry = history[i];
        if (entry.revision != expected) {
          Problem(
              name,
              expected == entry.revision - 1
                  ? absl::StrCat("history revision ", expected, " is missing")
                  : absl::StrCat("history revisions ", expected, " to ",
                                 entry.revision - 1, " are missing"));
        }
        expected = entry.revision + 1;
        CheckHistoryEntry(name, id, entry, i + 1 == history.size());
      }
      RETURN_IF_ERROR(CheckLatest(name, id, history.back(), current));
    }
    return absl::OkStatus();
  }

  void CheckHistoryEntry(const std::string& name, const std::string& id,
                         const HistoryEntry& entry, bool last) {
    auto it = changes_.find(entry.sequence);
    if (it == changes_.end()) {
      // Dropped by the change log's retention, which keeps the newest.
      if (!last && entry.sequence <= store_->changes_trimmed_through()) return;
      Problem(name, absl::StrCat("history revision ", entry.revision,
                                 " points at change ", entry.sequence,
                                 ", which the change log lacks"));
      return;
    }
    const Change& change = it->second;
    if (change.id != id || change.revision != entry.revision) {
      Problem(name, absl::StrCat("history revision ", entry.revision,
                                 " points at change ", entry.sequence,
                                 ", which is revision ", change.revision,
                                 " of ", Name(change.id)));
      return;
    }
    if (change.micros != entry.micros) {
      Problem(name, absl::StrCat("history revision ", entry.revision,
                                 " and its change disagree on the time"));
    }
    const Revision::Change want =
        entry.revision == 1 ? Revision::CHANGE_CREATE : Revision::CHANGE_UPDATE;
    const bool ok =
        change.change == want || (last && entry.revision > 1 &&
                                  change.change == Revision::CHANGE_DELETE);
    if (!ok) {
      Problem(name, absl::StrCat("revision ", entry.revision, " is ",
                                 ChangeName(change.change)));
    }
  }

  // The last revision is the record as it stands, or its delete.
  absl::Status CheckLatest(const std::string& name, const std::string& id,
                           const HistoryEntry& last, bool current) {
    auto it = changes_.find(last.sequence);
    if (it == changes_.end() || it->second.id != id) return absl::OkStatus();
    const bool deleted = it->second.change == Revision::CHANGE_DELETE;
    if (!current) {
      if (!deleted) {
        Problem(name, absl::StrCat("the record is missing, but its history "
                                   "ends at revision ",
                                   last.revision, ", ",
                                   ChangeName(it->second.change)));
      }
      return absl::OkStatus();
    }
    const std::string& bytes = records_.at(id);
    std::unique_ptr<Message> record(collection_.schema().prototype->New());
    record->ParseFromString(bytes);  // readable: DeriveFromRecords kept it
    const auto& meta = GetMetadata(*record);
    if (deleted) {
      Problem(name, absl::StrCat("the record exists, but its history ends "
                                 "with its delete (revision ",
                                 last.revision, ")"));
      return absl::OkStatus();
    }
    if (meta.revision() != last.revision) {
      Problem(name, absl::StrCat("the record is at revision ", meta.revision(),
                                 " (etag ", meta.etag(),
                                 "), its history at revision ", last.revision));
      return absl::OkStatus();
    }
    std::string key;
    keys::AppendUint64(&key, last.sequence);
    rocksdb::ReadOptions options;
    options.snapshot = snapshot_;
    std::string value;
    RETURN_IF_ERROR(FromRocksStatus(
        store_->db()->Get(options, store_->cf(Cf::kChangeLog), key, &value),
        "reading the change log"));
    ChangeEntry entry;
    std::unique_ptr<Message> snapshot(collection_.schema().prototype->New());
    if (!entry.ParseFromString(value) ||
        !snapshot->ParseFromString(entry.snapshot())) {
      Problem(name, absl::StrCat("revision ", last.revision,
                                 "'s snapshot is unreadable"));
    } else if (entry.snapshot() != bytes &&
               !MessageDifferencer::Equals(*snapshot, *record)) {
      Problem(name, absl::StrCat("revision ", last.revision,
                                 " in history differs from the record (etag ",
                                 GetMetadata(*snapshot).etag(), " against ",
                                 meta.etag(), ")"));
    }
    return absl::OkStatus();
  }

  // Each change of the collection is its record's revision in history.
  void CheckChangesAreInHistory() {
    for (const auto& [sequence, change] : changes_) {
      auto found = histories_.find(change.id);
      const HistoryEntry* entry = nullptr;
      if (found != histories_.end()) {
        auto& history = found->second;
        auto it = std::lower_bound(
            history.begin(), history.end(), change.revision,
            [](const HistoryEntry& e, int64_t r) { return e.revision < r; });
        if (it != history.end() && it->revision == change.revision) {
          entry = &*it;
        }
      }
      if (entry == nullptr) {
        Problem(Name(change.id),
                absl::StrCat("change ", sequence, " (revision ",
                             change.revision, ", ", ChangeName(change.change),
                             ") is not in the record's history"));
      } else if (entry->sequence != sequence) {
        Problem(Name(change.id),
                absl::StrCat("changes ", sequence, " and ", entry->sequence,
                             " both claim revision ", change.revision));
      }
    }
  }

  // A retried request finds the revision its first attempt made.
  absl::Status CheckRequestIds() {
    std::string prefix = "i";
    keys::AppendString(&prefix, collection_.schema().collection);
    return ScanPrefix(
        store_, Cf::kMeta, snapshot_, prefix,
        [&](absl::string_view key, absl::string_view value) {
          ++result_->request_ids;
          std::string request_id;
          IdempotencyEntry entry;
          if (!keys::ConsumeString(&key, &request_id) ||
              !entry.ParseFromArray(value.data(),
                                    static_cast<int>(value.size()))) {
            Problem("", "a request id entry is unreadable");
            return;
          }
          const int64_t revision = std::max<int64_t>(entry.revision(), 1);
          auto found = histories_.find(entry.id());
          const bool known =
              found != histories_.end() &&
              std::any_of(found->second.begin(), found->second.end(),
                          [&](const HistoryEntry& e) {
                            return e.revision == revision;
                          });
          if (!known) {
            Problem(Name(entry.id()),
                    absl::StrCat("request id \"", absl::CHexEscape(request_id),
                                 "\" made revision ", revision,
                                 ", which history lacks"));
          }
        });
  }

  Collection& collection_;
  Store* store_;
  const rocksdb::Snapshot* snapshot_;
  const std::map<std::string, std::string>& records_;
  CollectionCheck* result_;
  std::map<std::string, std::vector<HistoryEntry>> histories_;
  std::map<uint64_t, Change> changes_;
};

}  // namespace

absl::Status CheckHistory(Collection& collection,
                          const rocksdb::Snapshot* snapshot,
                          const std::map<std::string, std::string>& records,
                          CollectionCheck* result) {
  return HistoryChecker(collection, snapshot, records, result).Run();
}

}  // namespace parley::store_check_internal
