// Collection reads that scan: List through an index, a date range, the
// records or, as of a past time, the history.
#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status.h"
#include "common/model/keys.h"
#include "common/model/window.h"
#include "common/store/collection.h"

namespace parley {
namespace {

using ::parley::common::v1::Revision;
using ::parley::store::v1::ChangeEntry;

enum Plan : uint32_t {
  kPrimaryScan = 0,
  kDateScan = 1,
  kTermScan = 2,
  kHistoryScan = 3
};

// A page may filter out many candidates; past this many it returns what it
// has and a token, so no call scans without bound.
constexpr int kMaxScannedPerPage = 20000;
}  // namespace

absl::StatusOr<ListResult> Collection::List(const ListQuery& query) {
  // A past read_time reads history; otherwise the most selective index.
  const Plan plan = query.read_time.has_value() ? kHistoryScan
                    : !query.terms.empty()      ? kTermScan
                    : query.span.has_value()    ? kDateScan
                                                : kPrimaryScan;
  std::string resume_after;
  if (query.resume.has_value()) {
    if (query.resume->plan != plan) {
      return InvalidField("page_token", "belongs to another query");
    }
    resume_after = query.resume->last_key;
  }
  if (plan == kHistoryScan) return ListAsOf(query, resume_after);

  // One snapshot for the whole page: index and records agree.
  const rocksdb::Snapshot* snapshot = store_->db()->GetSnapshot();
  struct Release {
    rocksdb::DB* db;
    const rocksdb::Snapshot* s;
    ~Release() { db->ReleaseSnapshot(s); }
  } release{store_->db(), snapshot};

  std::string prefix;
  keys::AppendString(&prefix, schema_->collection);
  std::string lower, upper;
  Cf cf = Cf::kIndexes;
  int64_t span_first = 0, span_last = 0;
  if (query.span.has_value()) {
    span_first = DayNumber(query.span->first());
    span_last = DayNumber(query.span->last());
  }
  switch (plan) {
    case kPrimaryScan:
      cf = Cf::kRecords;
      lower = prefix;
      upper = keys::PrefixSuccessor(prefix);
      break;
    case kTermScan:
      prefix.push_back('t');
      keys::AppendString(&prefix, query.terms.front().index);
      keys::AppendString(&prefix, query.terms.front().value);
      lower = prefix;
      upper = keys::PrefixSuccessor(prefix);
      break;
    case kDateScan: {
      prefix.push_back('d');
      ASSIGN_OR_RETURN(const int64_t longest_days, LongestSpanDays(snapshot));
      // A record starting up to (longest - 1) days before the window can
      // still reach into it.
      lower = prefix;
      keys::AppendInt64(&lower, span_first - longest_days + 1);
      upper = prefix;
      keys::AppendInt64(&upper, span_last + 1);
      break;
    }
  }
  if (!resume_after.empty()) {
    if (!absl::StartsWith(resume_after, prefix)) {
      return InvalidField("page_token", "belongs to another query");
    }
    lower = std::max(lower, resume_after);
  }

  rocksdb::ReadOptions options;
  options.snapshot = snapshot;
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
  auto it = store_->NewIterator(cf, options);

  ListResult result;
  int scanned = 0;
  std::string last_key;
  for (it->Seek(lower); it->Valid(); it->Next()) {
    absl::string_view key(it->key().data(), it->key().size());
    if (key == resume_after) continue;
    if (static_cast<int>(result.records.size()) >= query.page_size ||
        scanned >= kMaxScannedPerPage) {
      result.next = ListCursor{.plan = plan, .last_key = last_key};
      break;
    }
    ++scanned;
    last_key.assign(key.data(), key.size());

    std::unique_ptr<Message> record;
    if (plan == kPrimaryScan) {
      record = NewRecord();
      if (!record->ParseFromArray(it->value().data(),
                                  static_cast<int>(it->value().size()))) {
        return absl::DataLossError("record is unreadable");
      }
    } else {
      absl::string_view rest = key.substr(prefix.size());
      if (plan == kDateScan) {
        int64_t first = 0, last = 0;
        absl::string_view value(it->value().data(), it->value().size());
        if (!keys::ConsumeInt64(&rest, &first) ||
            !keys::ConsumeInt64(&value, &last)) {
          return absl::DataLossError("date index entry is malformed");
        }
        if (last < span_first) continue;
      }
      std::string id;
      if (!keys::ConsumeString(&rest, &id)) {
        return absl::DataLossError("index entry is malformed");
      }
      auto current = ReadCurrent(id, snapshot);
      if (absl::IsNotFound(current.status())) continue;
      RETURN_IF_ERROR(current.status());
      record = *std::move(current);
    }

    if (!Matches(query, *record, plan == kDateScan,
                 plan == kTermScan ? 1 : 0)) {
      continue;
    }
    result.records.push_back(std::move(record));
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "listing"));
  return result;
}

absl::StatusOr<int64_t> Collection::LongestSpanDays(
    const rocksdb::Snapshot* snapshot) {
  std::string meta_key = "m";
  keys::AppendString(&meta_key, schema_->collection);
  ASSIGN_OR_RETURN(auto longest, store_->Get(Cf::kMeta, meta_key, snapshot));
  uint64_t days = 1;
  if (longest.has_value()) {
    absl::string_view in(*longest);
    if (!keys::ConsumeUint64(&in, &days)) {
      return absl::DataLossError("the longest span entry is malformed");
    }
  }
  // Spans are at most 9999 years: far inside int64.
  return static_cast<int64_t>(std::max<uint64_t>(days, 1));
}

bool Collection::Matches(const ListQuery& query, const Message& record,
                         bool span_checked, size_t terms_checked) const {
  if (query.span.has_value() && !span_checked) {
    auto date = schema_->date ? schema_->date(record) : std::nullopt;
    if (!date.has_value() ||
        PlaceInWindow(*date, *query.span) == Placement::kOutside) {
      return false;
    }
  }
  if (query.terms.size() > terms_checked) {
    const auto terms = schema_->index_terms(record);
    for (const auto& wanted : query.terms) {
      if (std::find(terms.begin(), terms.end(), wanted) == terms.end()) {
        return false;
      }
    }
  }
  return !query.matches || query.matches(record);
}

absl::StatusOr<ListResult> Collection::ListAsOf(
    const ListQuery& query, const std::string& resume_after) {
  std::string prefix;
  keys::AppendString(&prefix, schema_->collection);
  prefix.push_back('h');
  // Resume after every revision of the last record of the previous page.
  std::string lower =
      resume_after.empty() ? prefix : keys::PrefixSuccessor(resume_after);
  if (!resume_after.empty() && !absl::StartsWith(resume_after, prefix)) {
    return InvalidField("page_token", "belongs to another query");
  }
  const std::string upper = keys::PrefixSuccessor(prefix);
  rocksdb::ReadOptions options;
  rocksdb::Slice upper_slice(upper);
  options.iterate_upper_bound = &upper_slice;
  auto it = store_->NewIterator(Cf::kIndexes, options);
  const int64_t limit = absl::ToUnixMicros(*query.read_time);

  ListResult result;
  int scanned = 0;
  // The record whose revisions are being read: its key prefix and the
  // change of its last revision made by read_time (0: none yet).
  std::string record_prefix;
  uint64_t seq = 0;
  const auto flush = [&]() -> absl::Status {
    if (record_prefix.empty() || seq == 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(ChangeEntry entry, ReadChange(seq));
    if (entry.change() == Revision::CHANGE_DELETE) return absl::OkStatus();
    auto record = NewRecord();
    if (!record->ParseFromString(entry.snapshot())) {
      return absl::DataLossError("snapshot is unreadable");
    }
    if (Matches(query, *record, false, 0))
      result.records.push_back(std::move(record));
    return absl::OkStatus();
  };
  for (it->Seek(lower); it->Valid(); it->Next()) {
    absl::string_view key(it->key().data(), it->key().size());
    absl::string_view rest = key.substr(prefix.size());
    std::string id;
    if (!keys::ConsumeString(&rest, &id)) {
      return absl::DataLossError("history key is malformed");
    }
    const std::string this_prefix = HistoryPrefix(id);
    if (this_prefix != record_prefix) {
      RETURN_IF_ERROR(flush());
      if (static_cast<int>(result.records.size()) >= query.page_size ||
          ++scanned > kMaxScannedPerPage) {
        result.next =
            ListCursor{.plan = kHistoryScan, .last_key = record_prefix};
        return result;
      }
      record_prefix = this_prefix;
      seq = 0;
    }
    absl::string_view value(it->value().data(), it->value().size());
    uint64_t s = 0;
    int64_t micros = 0;
    if (!keys::ConsumeUint64(&value, &s) ||
        !keys::ConsumeInt64(&value, &micros)) {
      return absl::DataLossError("history entry is malformed");
    }
    if (micros <= limit) seq = s;
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading history"));
  RETURN_IF_ERROR(flush());
  return result;
}

}  // namespace parley
