// Internals of the store check (common/store_check.h), shared by its
// halves: derived entries and rollups (store_check.cc), history, the change
// log and request ids (store_check_history.cc).
#ifndef PARLEY_COMMON_STORE_STORE_CHECK_INTERNAL_H_
#define PARLEY_COMMON_STORE_STORE_CHECK_INTERNAL_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "common/model/keys.h"
#include "common/store/collection.h"
#include "common/store/store.h"
#include "common/store/store_check.h"

namespace parley::store_check_internal {

// The layout common/collection.cc writes (S: keys::AppendString, U64/I64:
// keys::Append(U)Int64). Kept in step with it by tests/store/
// store_check_test.cc, where a store made through Collection must pass.
//   records    S(collection) S(id)                      -> record
//   indexes    S(collection) 't' S(index) S(value) S(id) -> ""
//              S(collection) 'd' I64(first day) S(id)    -> I64(last day)
//              S(collection) 'h' S(id) U64(revision)     -> U64(seq) I64(us)
//   meta       'm' S(collection)                         -> U64(longest span)
//              'i' S(collection) S(request id)           -> IdempotencyEntry
//   changelog  U64(seq)                                  -> ChangeEntry
//   rollups    S(collection) <the schema's rollup key>   -> RollupValue

inline std::string Segment(absl::string_view value) {
  std::string key;
  keys::AppendString(&key, value);
  return key;
}

inline std::string Printable(absl::string_view key) {
  return absl::CHexEscape(key);
}

// A snapshot released when it goes out of scope.
class Snapshot {
 public:
  explicit Snapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~Snapshot() { db_->ReleaseSnapshot(snapshot_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

// Calls fn(key after the prefix, value) for every key of `cf` that starts
// with `prefix` ("" for all), in key order.
absl::Status ScanPrefix(Store* store, Cf cf, const rocksdb::Snapshot* snapshot,
                        const std::string& prefix,
                        const std::function<void(absl::string_view rest,
                                                 absl::string_view value)>& fn);

// Counts a problem and keeps it if there is room.
inline void AddProblem(CollectionCheck* result, std::string record,
                       std::string problem) {
  ++result->problem_count;
  if (result->problems.size() < kMaxProblemsKept) {
    result->problems.push_back({std::move(record), std::move(problem)});
  }
}

// Checks the collection's history, change log and request ids against its
// current records (id -> the record's stored bytes).
absl::Status CheckHistory(Collection& collection,
                          const rocksdb::Snapshot* snapshot,
                          const std::map<std::string, std::string>& records,
                          CollectionCheck* result);

}  // namespace parley::store_check_internal

#endif  // PARLEY_COMMON_STORE_STORE_CHECK_INTERNAL_H_
