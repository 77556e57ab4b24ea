// The store check on a real RocksDB: a store written through Collection
// passes; each kind of damage a crash could leave (a lost index entry, a
// wrong rollup, a gap in history ...) is reported, naming the record.
#include "common/store/store_check.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/api/validation.h"
#include "common/model/keys.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "parley/exchanges/v1/exchange.pb.h"
#include "services/exchanges/schema.h"
#include "services/exchanges/validation.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

using exchanges::v1::Exchange;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Exchange MakeExchange(const std::string& occurred, int64_t to_ua,
                      int64_t to_ru) {
  Exchange e;
  e.set_kind(exchanges::v1::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e.set_occurred(occurred);
  e.set_agreement(testing::kIstanbul);
  *e.add_transfers() =
      testing::MakeTransfer("RU", "UA", exchanges::v1::CATEGORY_REMAINS, to_ua);
  *e.add_transfers() =
      testing::MakeTransfer("UA", "RU", exchanges::v1::CATEGORY_REMAINS, to_ru);
  *e.add_sources() = testing::Reported("Kyiv Independent");
  FieldViolations v;
  exchanges::ValidateExchange(&e, "exchange", &v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
  return e;
}

absl::Status Valid(Message* m) {
  FieldViolations v;
  exchanges::ValidateExchange(static_cast<Exchange*>(m), "exchange", &v);
  return v.ToStatus();
}

std::string Segment(absl::string_view s) {
  std::string key;
  keys::AppendString(&key, s);
  return key;
}

// A problem naming `record` whose text has `text`.
auto ProblemWith(const std::string& record, const std::string& text) {
  return AllOf(Field(&StoreProblem::record, HasSubstr(record)),
               Field(&StoreProblem::problem, HasSubstr(text)));
}

class StoreCheckTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    collection_ =
        std::make_unique<Collection>(store(), &exchanges::ExchangeSchema());
    // Three records: one created with a request id, one updated twice, one
    // deleted; every derived entry exists.
    ASSERT_TRUE(collection_
                    ->Create(MakeExchange("2026-W05", 1000, 38), "w05",
                             {"alice", "req-w05", 7})
                    .ok());
    auto nov = collection_->Create(MakeExchange("2025-11", 1000, 30), "nov",
                                   {"alice"});
    ASSERT_TRUE(nov.ok());
    for (int n : {31, 32}) {
      Exchange patch;
      patch.mutable_metadata()->set_name("exchanges/nov");
      *patch.add_transfers() =
          testing::MakeTransfer("UA", "RU", exchanges::v1::CATEGORY_REMAINS, n);
      google::protobuf::FieldMask mask;
      mask.add_paths("transfers");
      ASSERT_TRUE(collection_->Update("nov", patch, mask, Valid, {"bob"}).ok());
    }
    ASSERT_TRUE(
        collection_->Create(MakeExchange("2025-12-24", 5, 5), "gone", {"alice"})
            .ok());
    ASSERT_TRUE(collection_->Delete("gone", "", {"alice"}).ok());
  }

  CollectionCheck Check() {
    absl::StatusOr<CollectionCheck> check = CheckCollection(*collection_);
    EXPECT_TRUE(check.ok()) << check.status();
    return check.ok() ? *std::move(check) : CollectionCheck();
  }

  // Index keys of `id` of one kind ('t' terms, 'd' date, 'h' history).
  std::vector<std::string> IndexKeys(char kind, const std::string& id) {
    const std::string prefix = Segment("exchanges") + kind;
    std::vector<std::string> found;
    auto it = store()->NewIterator(Cf::kIndexes, rocksdb::ReadOptions());
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
         it->Next()) {
      if (absl::StrContains(it->key().ToString(), Segment(id))) {
        found.push_back(it->key().ToString());
      }
    }
    return found;
  }

  std::string HistoryKey(const std::string& id, uint64_t revision) {
    std::string key = Segment("exchanges") + 'h' + Segment(id);
    keys::AppendUint64(&key, revision);
    return key;
  }

  void Delete(Cf cf, const std::string& key) {
    rocksdb::WriteBatch batch;
    batch.Delete(store()->cf(cf), key);
    ASSERT_TRUE(store()->Write(&batch).ok());
  }

  // The first rollup key of the collection (within it), and its value.
  // The first rollup some current record adds to (a record moved or
  // deleted leaves its old keys at zero).
  std::string FirstRollupKey() {
    std::string first;
    EXPECT_TRUE(collection_
                    ->ScanRollups("", "\xff",
                                  [&](absl::string_view key,
                                      const model::v1::RollupValue& value) {
                                    if (first.empty() && value.count() != 0) {
                                      first = std::string(key);
                                    }
                                  })
                    .ok());
    EXPECT_FALSE(first.empty());
    return first;
  }

  std::unique_ptr<Collection> collection_;
};

TEST_F(StoreCheckTest, AStoreWrittenThroughCollectionIsConsistent) {
  CollectionCheck check = Check();
  EXPECT_THAT(check.problems, IsEmpty());
  EXPECT_EQ(check.problem_count, 0);
  EXPECT_EQ(check.records, 2);
  // nov: 3 revisions, w05: 1, gone: create and delete.
  EXPECT_EQ(check.history_entries, 6);
  EXPECT_EQ(check.changes, 6);
  EXPECT_EQ(check.date_entries, 2);
  EXPECT_GT(check.index_entries, 0);
  EXPECT_GT(check.rollups, 0);
  EXPECT_EQ(check.request_ids, 1);

  // And after a restart, from table files and the WAL.
  collection_.reset();
  Reopen();
  collection_ =
      std::make_unique<Collection>(store(), &exchanges::ExchangeSchema());
  absl::StatusOr<StoreCheckReport> report = CheckStore({collection_.get()});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->consistent());
  nlohmann::json json = nlohmann::json::parse(report->ToJson());
  EXPECT_EQ(json["consistent"], true);
  EXPECT_EQ(json["collections"][0]["collection"], "exchanges");
  EXPECT_EQ(json["collections"][0]["records"], 2);
}

TEST_F(StoreCheckTest, AMissingIndexEntryNamesTheRecord) {
  const std::vector<std::string> terms = IndexKeys('t', "w05");
  ASSERT_FALSE(terms.empty());
  Delete(Cf::kIndexes, terms.front());
  CollectionCheck check = Check();
  EXPECT_EQ(check.problem_count, 1);
  EXPECT_THAT(check.problems,
              Contains(ProblemWith("exchanges/w05", "is missing")));

  StoreCheckReport report{{check}};
  EXPECT_FALSE(report.consistent());
  nlohmann::json json = nlohmann::json::parse(report.ToJson());
  EXPECT_EQ(json["consistent"], false);
  EXPECT_EQ(json["collections"][0]["problems"][0]["record"], "exchanges/w05");
}

TEST_F(StoreCheckTest, AMissingDateEntryNamesTheRecord) {
  const std::vector<std::string> dates = IndexKeys('d', "nov");
  ASSERT_EQ(dates.size(), 1u);
  Delete(Cf::kIndexes, dates.front());
  EXPECT_THAT(Check().problems,
              Contains(ProblemWith("exchanges/nov", "date entry 2025-11")));
}

TEST_F(StoreCheckTest, AnIndexEntryOfADeletedRecordIsStale) {
  // As if the delete had removed the record but not its entries.
  std::string key = Segment("exchanges") + 't' + Segment("kind") +
                    Segment("1") + Segment("gone");
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kIndexes), key, "");
  ASSERT_TRUE(store()->Write(&batch).ok());
  EXPECT_THAT(
      Check().problems,
      Contains(ProblemWith("exchanges/gone", "index entry kind=1 is stale")));
}

TEST_F(StoreCheckTest, AWrongRollupNamesTheRecordsBehindIt) {
  const std::string key = FirstRollupKey();
  model::v1::RollupValue extra;
  extra.set_count(1);
  extra.set_best_sum(5);
  rocksdb::WriteBatch batch;
  batch.Merge(store()->cf(Cf::kRollups), Segment("exchanges") + key,
              extra.SerializeAsString());
  ASSERT_TRUE(store()->Write(&batch).ok());
  CollectionCheck check = Check();
  ASSERT_EQ(check.problem_count, 1);
  EXPECT_THAT(check.problems[0].record, HasSubstr("exchanges/"));
  EXPECT_THAT(check.problems[0].problem, HasSubstr("the records give"));

  // Rebuilding puts the totals right, and only them.
  ASSERT_TRUE(RebuildRollups(*collection_).ok());
  EXPECT_THAT(Check().problems, IsEmpty());
}

TEST_F(StoreCheckTest, RebuildRollupsDropsTotalsNoRecordGives) {
  model::v1::RollupValue orphan;
  orphan.set_count(3);
  rocksdb::WriteBatch batch;
  batch.Merge(store()->cf(Cf::kRollups), Segment("exchanges") + "orphan",
              orphan.SerializeAsString());
  ASSERT_TRUE(store()->Write(&batch).ok());
  EXPECT_THAT(Check().problems,
              Contains(ProblemWith("orphan", "the records give {}")));

  ASSERT_TRUE(RebuildRollups(*collection_).ok());
  CollectionCheck check = Check();
  EXPECT_THAT(check.problems, IsEmpty());
  absl::StatusOr<model::v1::RollupValue> gone = collection_->Rollup("orphan");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->count(), 0);
}

TEST_F(StoreCheckTest, AGapInHistoryNamesTheRecord) {
  Delete(Cf::kIndexes, HistoryKey("nov", 2));
  EXPECT_THAT(Check().problems,
              AllOf(Contains(ProblemWith("exchanges/nov",
                                         "history revision 2 is missing")),
                    Contains(ProblemWith("exchanges/nov",
                                         "not in the record's history"))));
}

TEST_F(StoreCheckTest, HistoryBehindTheRecordNamesIt) {
  Delete(Cf::kIndexes, HistoryKey("nov", 3));
  EXPECT_THAT(Check().problems,
              Contains(ProblemWith("exchanges/nov", "at revision 3 (etag 3-")));
}

TEST_F(StoreCheckTest, AMissingChangeLogEntryNamesTheRecord) {
  // w05 was the first change.
  std::string key;
  keys::AppendUint64(&key, 1);
  Delete(Cf::kChangeLog, key);
  EXPECT_THAT(Check().problems,
              Contains(ProblemWith("exchanges/w05", "the change log lacks")));
}

TEST_F(StoreCheckTest, ARecordWithoutHistoryIsNamed) {
  Delete(Cf::kIndexes, HistoryKey("w05", 1));
  EXPECT_THAT(
      Check().problems,
      AllOf(Contains(ProblemWith("exchanges/w05", "has no history")),
            Contains(ProblemWith("exchanges/w05", "request id \"req-w05\""))));
}

TEST_F(StoreCheckTest, ARecordLostWithoutItsDeleteIsNamed) {
  Delete(Cf::kRecords, Segment("exchanges") + Segment("w05"));
  EXPECT_THAT(
      Check().problems,
      AllOf(Contains(ProblemWith("exchanges/w05", "the record is missing")),
            Contains(ProblemWith("exchanges/w05", "does not exist"))));
}

TEST_F(StoreCheckTest, ARecordThatDiffersFromItsLatestRevisionIsNamed) {
  auto record = collection_->Get("w05");
  ASSERT_TRUE(record.ok());
  static_cast<Exchange&>(**record).set_description("changed behind history");
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kRecords), Segment("exchanges") + Segment("w05"),
            (*record)->SerializeAsString());
  ASSERT_TRUE(store()->Write(&batch).ok());
  EXPECT_THAT(
      Check().problems,
      Contains(ProblemWith("exchanges/w05", "differs from the record")));
}

}  // namespace
}  // namespace parley
