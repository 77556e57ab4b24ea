// A store's consistency check: a full scan of a collection's current
// records recomputes everything derived from them (index entries, the date
// index, rollup totals) and compares it with what is stored, and checks that
// history and the change log agree with the records. What a crash must
// never leave behind shows up here, named by record. Also: rebuilding a
// collection's rollups from its records.
#ifndef PARLEY_COMMON_STORE_STORE_CHECK_H_
#define PARLEY_COMMON_STORE_STORE_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/collection.h"

namespace parley {

// One disagreement: which record (its name, "exchanges/x"), or which key
// when no record is to blame, and what is wrong.
struct StoreProblem {
  std::string record;
  std::string problem;
};

struct CollectionCheck {
  std::string collection;
  // What the scan saw.
  int64_t records = 0;
  int64_t index_entries = 0;
  int64_t date_entries = 0;
  int64_t history_entries = 0;
  int64_t changes = 0;
  int64_t rollups = 0;
  int64_t request_ids = 0;
  // Every problem found, the first kMaxProblemsKept of them kept.
  int64_t problem_count = 0;
  std::vector<StoreProblem> problems;
};

// A badly broken store would otherwise make a report of millions of lines.
inline constexpr int kMaxProblemsKept = 200;

struct StoreCheckReport {
  std::vector<CollectionCheck> collections;
  bool consistent() const;
  // {"consistent": ..., "collections": [{"collection", counts...,
  // "problems": [{"record", "problem"}]}]}
  std::string ToJson() const;
};

// Checks one collection as of one snapshot of the store, so it may run
// beside writers. An error status means the store could not be read (or
// holds unreadable bytes); disagreements are problems in the result.
//
// What must hold:
// - every current record has exactly its schema's index entries and date
//   entry, and no entry names a record that lacks it;
// - the date index's longest span covers every record's span;
// - each rollup equals the sum over the current records;
// - each record's history is revisions 1..N with no gap, each pointing at a
//   change-log entry of that record and revision; the last is the current
//   record (same content, revision and etag), or a delete if it is gone;
// - every change-log entry of the collection is in its record's history;
// - every request id resolves to a revision that history has.
absl::StatusOr<CollectionCheck> CheckCollection(Collection& collection);

// Every collection, in order.
absl::StatusOr<StoreCheckReport> CheckStore(
    const std::vector<Collection*>& collections);

// Rewrites the collection's rollups from its current records in one batch
// (stale keys deleted, every total put whole). For migrations, when a schema
// gains or changes rollups: run it before serving, as writes that land
// between its scan and its batch would be lost from the totals.
absl::Status RebuildRollups(Collection& collection);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_STORE_CHECK_H_
