#include "common/store/store_check.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "common/store/store_check_internal.h"
#include "google/protobuf/util/message_differencer.h"
#include "nlohmann/json.hpp"

namespace parley {
namespace store_check_internal {

// Calls fn(key after the prefix, value) for every key of `cf` that starts
// with `prefix` ("" for all), in key order.
absl::Status ScanPrefix(
    Store* store, Cf cf, const rocksdb::Snapshot* snapshot,
    const std::string& prefix,
    const std::function<void(absl::string_view rest, absl::string_view value)>&
        fn) {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  const std::string upper = keys::PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
  auto it = store->NewIterator(cf, options);
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    absl::string_view key(it->key().data(), it->key().size());
    if (!absl::StartsWith(key, prefix)) break;
    key.remove_prefix(prefix.size());
    fn(key, absl::string_view(it->value().data(), it->value().size()));
  }
  return FromRocksStatus(it->status(), "scanning the store");
}

}  // namespace store_check_internal

namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::parley::model::v1::RollupValue;
using store_check_internal::AddProblem;
using store_check_internal::CheckHistory;
using store_check_internal::Printable;
using store_check_internal::ScanPrefix;
using store_check_internal::Segment;
using store_check_internal::Snapshot;

std::string Describe(const RollupValue& value) {
  const std::string text = value.ShortDebugString();
  return text.empty() ? "{}" : absl::StrCat("{", text, "}");
}

bool IsZero(const RollupValue& value) { return value.ByteSizeLong() == 0; }

// One derived index entry the current records need.
struct Needed {
  std::string value;
  std::string record;  // "exchanges/x"
  std::string what;    // "index party=UA", "date entry"
};

// Everything the current records imply.
struct Derived {
  // Full index key -> what must be there.
  std::map<std::string, Needed> index;
  // Rollup key within the collection -> total, and the records behind it.
  std::map<std::string, RollupValue> rollups;
  std::map<std::string, std::vector<std::string>> rollup_records;
  int64_t longest_span = 0;
  // Id -> the record's bytes, as stored.
  std::map<std::string, std::string> records;
};

// A scan of current records: their derived entries, and any record that
// cannot be read (reported through `problem`).
absl::Status DeriveFromRecords(
    Collection& collection, const rocksdb::Snapshot* snapshot, Derived* derived,
    const std::function<void(std::string record, std::string problem)>&
        problem) {
  const CollectionSchema& schema = collection.schema();
  const std::string prefix = Segment(schema.collection);
  std::unique_ptr<Message> record(schema.prototype->New());
  return ScanPrefix(
      collection.store(), Cf::kRecords, snapshot, prefix,
      [&](absl::string_view rest, absl::string_view bytes) {
        std::string id;
        if (!keys::ConsumeString(&rest, &id) || !rest.empty()) {
          problem(Printable(prefix), "a record key is malformed");
          return;
        }
        const std::string name = collection.NameOf(id);
        record->Clear();
        if (!record->ParseFromArray(bytes.data(),
                                    static_cast<int>(bytes.size()))) {
          problem(name, "the record is unreadable");
          return;
        }
        if (GetMetadata(*record).name() != name) {
          problem(name, absl::StrCat("the record names itself \"",
                                     GetMetadata(*record).name(), "\""));
        }
        derived->records.emplace(id, std::string(bytes));
        if (schema.index_terms) {
          for (const IndexTerm& term : schema.index_terms(*record)) {
            std::string key = prefix;
            key.push_back('t');
            keys::AppendString(&key, term.index);
            keys::AppendString(&key, term.value);
            keys::AppendString(&key, id);
            derived->index[key] = {
                "", name,
                absl::StrCat("index entry ", term.index, "=", term.value)};
          }
        }
        if (schema.date) {
          if (auto span = schema.date(*record)) {
            std::string key = prefix;
            key.push_back('d');
            keys::AppendInt64(&key, DayNumber(span->first()));
            keys::AppendString(&key, id);
            std::string last;
            keys::AppendInt64(&last, DayNumber(span->last()));
            derived->index[key] = {last, name,
                                   absl::StrCat("date entry ", span->text())};
            derived->longest_span =
                std::max(derived->longest_span, span->length_days());
          }
        }
        if (schema.rollups) {
          RollupDeltas deltas;
          schema.rollups(*record, +1, &deltas);
          for (const auto& [key, delta] : deltas) {
            AddRollup(delta, &derived->rollups[key]);
            auto& names = derived->rollup_records[key];
            if (names.size() < 3) names.push_back(name);
          }
        }
      });
}

// Runs the check of one collection; problems go into `result_`.
// Checks one collection; problems go into `result_`.
class Checker {
 public:
  Checker(Collection& collection, CollectionCheck* result)
      : collection_(collection),
        store_(collection.store()),
        snapshot_(collection.store()->db()),
        prefix_(Segment(collection.schema().collection)),
        result_(result) {
    result_->collection = collection.schema().collection;
  }

  absl::Status Run() {
    RETURN_IF_ERROR(
        DeriveFromRecords(collection_, snapshot_.get(), &derived_,
                          [this](std::string record, std::string problem) {
                            Problem(std::move(record), std::move(problem));
                          }));
    result_->records = static_cast<int64_t>(derived_.records.size());
    RETURN_IF_ERROR(CheckIndexes());
    RETURN_IF_ERROR(CheckLongestSpan());
    RETURN_IF_ERROR(CheckRollups());
    return CheckHistory(collection_, snapshot_.get(), derived_.records,
                        result_);
  }

 private:
  void Problem(std::string record, std::string problem) {
    AddProblem(result_, std::move(record), std::move(problem));
  }

  std::string Name(absl::string_view id) const {
    return collection_.NameOf(id);
  }

  // An index key after the collection ('t' or 'd' onwards): what it says
  // ("index entry kind=1", "date entry from day 20480") and the record id.
  static std::pair<std::string, std::string> DescribeEntry(
      absl::string_view rest) {
    const char kind = rest.front();
    rest.remove_prefix(1);
    std::string index, value, id;
    int64_t day = 0;
    if (kind == 't' && keys::ConsumeString(&rest, &index) &&
        keys::ConsumeString(&rest, &value) && keys::ConsumeString(&rest, &id)) {
      return {absl::StrCat("index entry ", index, "=", value), id};
    }
    if (kind == 'd' && keys::ConsumeInt64(&rest, &day) &&
        keys::ConsumeString(&rest, &id)) {
      return {absl::StrCat("date entry from day ", day), id};
    }
    return {absl::StrCat("malformed index entry ", Printable(rest)), ""};
  }

  // Term and date entries against what the records need (history entries,
  // under the same prefix, are CheckHistory's).
  absl::Status CheckIndexes() {
    std::map<std::string, Needed> needed = derived_.index;
    bool malformed = false;
    RETURN_IF_ERROR(ScanPrefix(
        store_, Cf::kIndexes, snapshot_.get(), prefix_,
        [&](absl::string_view rest, absl::string_view value) {
          const std::string key = absl::StrCat(prefix_, rest);
          if (!rest.empty() && rest.front() == 'h') return;
          const bool term = !rest.empty() && rest.front() == 't';
          const bool date = !rest.empty() && rest.front() == 'd';
          if (!term && !date) {
            malformed = true;
            return;
          }
          ++(term ? result_->index_entries : result_->date_entries);
          auto it = needed.find(key);
          if (it == needed.end()) {
            const auto [what, id] = DescribeEntry(rest);
            Problem(Name(id), absl::StrCat(what, " is stale: ",
                                           derived_.records.contains(id)
                                               ? "the record does not have it"
                                               : "the record does not exist"));
            return;
          }
          if (it->second.value != value) {
            Problem(it->second.record,
                    absl::StrCat(it->second.what, " holds another end day"));
          }
          needed.erase(it);
        }));
    if (malformed)
      Problem(collection_.schema().collection, "an index key is malformed");
    for (const auto& [key, entry] : needed) {
      Problem(entry.record, absl::StrCat(entry.what, " is missing"));
    }
    return absl::OkStatus();
  }

  // A span filter reaches back by the longest span stored: a shorter one
  // would hide records from span listings.
  absl::Status CheckLongestSpan() {
    if (derived_.longest_span == 0) return absl::OkStatus();
    std::string key = "m";
    keys::AppendString(&key, collection_.schema().collection);
    rocksdb::ReadOptions options;
    options.snapshot = snapshot_.get();
    std::string value;
    const rocksdb::Status s =
        store_->db()->Get(options, store_->cf(Cf::kMeta), key, &value);
    uint64_t longest = 0;
    if (s.ok()) {
      absl::string_view in(value);
      if (!keys::ConsumeUint64(&in, &longest)) {
        Problem(collection_.schema().collection,
                "the longest span stored is unreadable");
        return absl::OkStatus();
      }
    } else if (!s.IsNotFound()) {
      return FromRocksStatus(s, "reading the longest span");
    }
    if (static_cast<int64_t>(longest) < derived_.longest_span) {
      Problem(
          collection_.schema().collection,
          absl::StrCat("the longest span stored is ", longest,
                       " days, but a record spans ", derived_.longest_span));
    }
    return absl::OkStatus();
  }

  absl::Status CheckRollups() {
    std::map<std::string, RollupValue> expected = derived_.rollups;
    bool unreadable = false;
    RETURN_IF_ERROR(ScanPrefix(
        store_, Cf::kRollups, snapshot_.get(), prefix_,
        [&](absl::string_view key, absl::string_view value) {
          ++result_->rollups;
          RollupValue stored;
          if (!stored.ParseFromArray(value.data(),
                                     static_cast<int>(value.size()))) {
            unreadable = true;
            return;
          }
          RollupValue want;
          if (auto it = expected.find(std::string(key)); it != expected.end()) {
            want = it->second;
            expected.erase(it);
          }
          if (!MessageDifferencer::Equals(stored, want)) {
            RollupProblem(std::string(key), stored, want);
          }
        }));
    if (unreadable) Problem("", "a rollup value is unreadable");
    for (const auto& [key, want] : expected) {
      if (!IsZero(want)) RollupProblem(key, RollupValue(), want);
    }
    return absl::OkStatus();
  }

  void RollupProblem(const std::string& key, const RollupValue& stored,
                     const RollupValue& want) {
    auto it = derived_.rollup_records.find(key);
    const std::vector<std::string> none;
    const auto& records =
        it == derived_.rollup_records.end() ? none : it->second;
    Problem(records.empty() ? Printable(key) : absl::StrJoin(records, ", "),
            absl::StrCat("rollup ", Printable(key), " is ", Describe(stored),
                         "; the records give ", Describe(want)));
  }

  Collection& collection_;
  Store* store_;
  Snapshot snapshot_;
  const std::string prefix_;
  CollectionCheck* result_;
  Derived derived_;
};

}  // namespace

bool StoreCheckReport::consistent() const {
  return std::all_of(
      collections.begin(), collections.end(),
      [](const CollectionCheck& c) { return c.problem_count == 0; });
}

std::string StoreCheckReport::ToJson() const {
  nlohmann::json out;
  out["consistent"] = consistent();
  out["collections"] = nlohmann::json::array();
  for (const CollectionCheck& c : collections) {
    nlohmann::json problems = nlohmann::json::array();
    for (const StoreProblem& p : c.problems) {
      problems.push_back({{"record", p.record}, {"problem", p.problem}});
    }
    out["collections"].push_back({{"collection", c.collection},
                                  {"records", c.records},
                                  {"index_entries", c.index_entries},
                                  {"date_entries", c.date_entries},
                                  {"history_entries", c.history_entries},
                                  {"changes", c.changes},
                                  {"rollups", c.rollups},
                                  {"request_ids", c.request_ids},
                                  {"problem_count", c.problem_count},
                                  {"problems", std::move(problems)}});
  }
  // Keys are C-escaped already; replace keeps any other byte printable.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<CollectionCheck> CheckCollection(Collection& collection) {
  CollectionCheck result;
  Checker checker(collection, &result);
  RETURN_IF_ERROR(checker.Run());
  return result;
}

absl::StatusOr<StoreCheckReport> CheckStore(
    const std::vector<Collection*>& collections) {
  StoreCheckReport report;
  for (Collection* collection : collections) {
    ASSIGN_OR_RETURN(CollectionCheck check, CheckCollection(*collection));
    report.collections.push_back(std::move(check));
  }
  return report;
}

absl::Status RebuildRollups(Collection& collection) {
  Store* store = collection.store();
  Snapshot snapshot(store->db());
  Derived derived;
  absl::Status unreadable;
  RETURN_IF_ERROR(DeriveFromRecords(
      collection, snapshot.get(), &derived,
      [&](std::string record, std::string problem) {
        if (unreadable.ok()) {
          unreadable = absl::DataLossError(
              absl::StrCat("cannot rebuild rollups: ", record, ": ", problem));
        }
      }));
  RETURN_IF_ERROR(unreadable);
  const std::string prefix = Segment(collection.schema().collection);
  rocksdb::WriteBatch batch;
  RETURN_IF_ERROR(ScanPrefix(
      store, Cf::kRollups, snapshot.get(), prefix,
      [&](absl::string_view key, absl::string_view) {
        if (!derived.rollups.contains(std::string(key))) {
          batch.Delete(store->cf(Cf::kRollups), absl::StrCat(prefix, key));
        }
      }));
  for (const auto& [key, total] : derived.rollups) {
    // A Put replaces the value and every merge operand before it.
    batch.Put(store->cf(Cf::kRollups), absl::StrCat(prefix, key),
              total.SerializeAsString());
  }
  return store->Write(&batch);
}

}  // namespace parley
