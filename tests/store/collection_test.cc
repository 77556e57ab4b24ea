// Collection behaviour on a real RocksDB, with the exchanges schema.
#include "common/store/collection.h"

#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "gtest/gtest.h"
#include "parley/exchanges/v1/exchange.pb.h"
#include "rocksdb/statistics.h"
#include "services/exchanges/schema.h"
#include "services/exchanges/validation.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/grpc_helpers.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

using exchanges::v1::Exchange;

Exchange MakeExchange(
    const std::string& occurred, int64_t to_ua, int64_t to_ru,
    const std::string& agreement = "agreements/istanbul-2025") {
  Exchange e;
  e.set_kind(exchanges::v1::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e.set_occurred(occurred);
  e.set_agreement(agreement);
  for (auto [from, to, n] :
       {std::tuple{"RU", "UA", to_ua}, {"UA", "RU", to_ru}}) {
    *e.add_transfers() =
        testing::MakeTransfer(from, to, exchanges::v1::CATEGORY_REMAINS, n);
  }
  auto* s = e.add_sources();
  s->set_publisher("Kyiv Independent");
  s->set_reliability(common::v1::Source::RELIABILITY_REPORTED);
  FieldViolations v;
  exchanges::ValidateExchange(&e, "exchange", &v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
  return e;
}

class CollectionTest : public testing::StoreTest {
 protected:
  Collection exchanges() {
    return Collection(store(), &exchanges::ExchangeSchema());
  }
  static absl::Status Valid(Message* m) {
    FieldViolations v;
    exchanges::ValidateExchange(static_cast<Exchange*>(m), "exchange", &v);
    return v.ToStatus();
  }
  int CountKeys(Cf cf) {
    int n = 0;
    auto it = store()->NewIterator(cf, rocksdb::ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
    return n;
  }
  // Remains delivered one way ("RU>UA") under the Istanbul agreement, over
  // every span.
  model::v1::RollupValue Delivered(const std::string& direction) {
    const std::string prefix =
        exchanges::AgreementPrefix("agreements/istanbul-2025");
    model::v1::RollupValue total;
    EXPECT_TRUE(
        exchanges()
            .ScanRollups(prefix, keys::PrefixSuccessor(prefix),
                         [&](absl::string_view key,
                             const model::v1::RollupValue& value) {
                           exchanges::DeliveryRollup d;
                           ASSERT_TRUE(exchanges::ParseDeliveryRollup(
                               key.substr(prefix.size()), &d));
                           if (d.category == exchanges::v1::CATEGORY_REMAINS &&
                               absl::StrCat(d.from_party, ">", d.to_party) ==
                                   direction) {
                             AddRollup(value, &total);
                           }
                         })
            .ok());
    return total;
  }
};

TEST_F(CollectionTest, CreateWritesRecordIndexesChangeLogAndRollupsTogether) {
  auto created =
      exchanges().Create(MakeExchange("2026-W05", 1000, 38), "w05", {"alice"});
  ASSERT_TRUE(created.ok()) << created.status();
  const auto& meta = GetMetadata(**created);
  EXPECT_EQ(meta.name(), "exchanges/w05");
  EXPECT_EQ(meta.revision(), 1);
  EXPECT_EQ(meta.creator(), "alice");
  EXPECT_FALSE(meta.etag().empty());

  EXPECT_EQ(CountKeys(Cf::kRecords), 1);
  EXPECT_EQ(CountKeys(Cf::kChangeLog), 1);
  // party RU, party UA, category, kind, agreement, date, history.
  EXPECT_EQ(CountKeys(Cf::kIndexes), 7);
  EXPECT_EQ(Delivered("RU>UA").best_sum(), 1000);
  EXPECT_EQ(Delivered("UA>RU").best_sum(), 38);
}

TEST_F(CollectionTest, RequestIdReturnsTheFirstResultAndStoresNothingNew) {
  WriteContext context{"alice", "req-1", 77};
  auto first =
      exchanges().Create(MakeExchange("2026-W05", 1000, 38), "", context);
  ASSERT_TRUE(first.ok());
  auto again =
      exchanges().Create(MakeExchange("2026-W05", 1000, 38), "", context);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(GetMetadata(**again).name(), GetMetadata(**first).name());
  EXPECT_EQ(CountKeys(Cf::kRecords), 1);
  EXPECT_EQ(Delivered("RU>UA").best_sum(), 1000);

  context.request_fingerprint = 78;  // same key, another request
  auto reused =
      exchanges().Create(MakeExchange("2025-11", 1000, 30), "", context);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CountKeys(Cf::kRecords), 1);
}

TEST_F(CollectionTest, StaleEtagIsAbortedAndNothingChanges) {
  auto created =
      exchanges().Create(MakeExchange("2026-W05", 1000, 38), "w05", {"a"});
  ASSERT_TRUE(created.ok());
  Exchange patch;
  patch.mutable_metadata()->set_etag(GetMetadata(**created).etag());
  patch.set_description("first edit");
  const google::protobuf::FieldMask mask = testing::Mask({"description"});
  ASSERT_TRUE(exchanges().Update("w05", patch, mask, Valid, {"bob"}).ok());

  patch.set_description("second edit on a stale read");
  auto stale = exchanges().Update("w05", patch, mask, Valid, {"carol"});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  auto now = exchanges().Get("w05");
  EXPECT_EQ(static_cast<const Exchange&>(**now).description(), "first edit");
  EXPECT_EQ(GetMetadata(**now).revision(), 2);
  EXPECT_EQ(GetMetadata(**now).updater(), "bob");

  EXPECT_EQ(exchanges().Delete("w05", "1-stale", {"x"}).code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(exchanges().Get("w05").ok());
}

TEST_F(CollectionTest, HistoryAndAsOfReads) {
  auto created =
      exchanges().Create(MakeExchange("2026-W05", 1000, 38), "w05", {"a"});
  ASSERT_TRUE(created.ok());
  const absl::Time after_create = absl::Now();
  absl::SleepFor(absl::Milliseconds(2));
  Exchange patch;
  patch.set_description("corrected");
  ASSERT_TRUE(exchanges().Update("w05", patch, {}, Valid, {"b"}).ok());
  const absl::Time after_update = absl::Now();
  absl::SleepFor(absl::Milliseconds(2));
  ASSERT_TRUE(exchanges().Delete("w05", "", {"c"}).ok());

  auto then = exchanges().Get("w05", after_create);
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(static_cast<const Exchange&>(**then).description(), "");
  auto later = exchanges().Get("w05", after_update);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(static_cast<const Exchange&>(**later).description(), "corrected");
  EXPECT_EQ(exchanges().Get("w05").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(exchanges().Get("w05", absl::Now()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(exchanges().Get("w05", absl::UnixEpoch()).status().code(),
            absl::StatusCode::kNotFound);

  bool more = true;
  auto revisions = exchanges().Revisions("w05", 0, 10, &more);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 3u);
  EXPECT_FALSE(more);
  EXPECT_EQ((*revisions)[0].change(), common::v1::Revision::CHANGE_CREATE);
  EXPECT_EQ((*revisions)[1].actor(), "b");
  ASSERT_EQ((*revisions)[1].changed_fields_size(), 1);
  EXPECT_EQ((*revisions)[1].changed_fields(0), "description");
  EXPECT_EQ((*revisions)[2].change(), common::v1::Revision::CHANGE_DELETE);
  EXPECT_EQ((*revisions)[2].revision(), 3);

  // Ids are not reused: history stays unambiguous.
  EXPECT_EQ(exchanges()
                .Create(MakeExchange("2025-11", 1, 1), "w05", {"a"})
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
}

// What a batch decides from the reads it makes at once: a new id is
// created, an id in use is updated or left alone, a deleted id is not
// reused, and a request id seen before returns its first result.
TEST_F(CollectionTest, PutManyDecidesEachItemFromItsOwnReads) {
  Collection c = exchanges();
  ASSERT_TRUE(c.Create(MakeExchange("2025-11-01", 5, 5), "same", {"a"}).ok());
  ASSERT_TRUE(c.Create(MakeExchange("2025-11-02", 5, 5), "gone", {"a"}).ok());
  ASSERT_TRUE(c.Delete("gone", "", {"a"}).ok());
  ASSERT_TRUE(
      c.Create(MakeExchange("2025-11-03", 5, 5), "", {"a", "req-1", 7}).ok());

  Exchange same = MakeExchange("2025-11-01", 5, 5);
  Exchange changed = MakeExchange("2025-11-01", 6, 5);
  Exchange fresh = MakeExchange("2025-11-04", 1, 1);
  Exchange reused = MakeExchange("2025-11-05", 1, 1);
  Exchange retried = MakeExchange("2025-11-03", 5, 5);
  Exchange changed_too = changed;
  ASSERT_TRUE(c.Create(MakeExchange("2025-11-06", 5, 5), "other", {"a"}).ok());
  std::vector<BatchItemResult> results = c.PutMany({
      {&same, "same", {"b"}, true},
      {&fresh, "fresh", {"b"}, true},
      {&reused, "gone", {"b"}, true},
      {&retried, "any", {"b", "req-1", 7}, true},
      {&changed, "other", {"b"}, true},
      {&changed_too, "missing", {"b"}, false},
  });
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].outcome, BatchOutcome::kUnchanged);
  EXPECT_EQ(results[1].outcome, BatchOutcome::kCreated);
  EXPECT_EQ(results[2].outcome, BatchOutcome::kRefused);
  EXPECT_EQ(results[2].status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(results[3].outcome, BatchOutcome::kAlreadyDone);
  EXPECT_EQ(results[4].outcome, BatchOutcome::kUpdated);
  EXPECT_EQ(results[5].status.code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(GetMetadata(*results[1].record).revision(), 1);
  // A create's bytes, put together from its metadata and its prepared
  // body, are the record's own serialization.
  std::string fresh_key;
  keys::AppendString(&fresh_key, "exchanges");
  keys::AppendString(&fresh_key, "fresh");
  auto stored = store()->Get(Cf::kRecords, fresh_key);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, results[1].record->SerializeAsString());
  EXPECT_EQ(GetMetadata(*results[4].record).revision(), 2);
  EXPECT_EQ(GetMetadata(*c.Get("same").value()).revision(), 1);
  EXPECT_FALSE(c.Exists("gone"));
  EXPECT_FALSE(c.Exists("missing"));
  // The same batch again: nothing new is stored.
  Exchange fresh_again = MakeExchange("2025-11-04", 1, 1);
  auto again = c.PutMany({{&fresh_again, "fresh", {"b"}, true}});
  EXPECT_EQ(again[0].outcome, BatchOutcome::kUnchanged);
  EXPECT_EQ(GetMetadata(*c.Get("fresh").value()).revision(), 1);
}

TEST_F(CollectionTest, ReopenKeepsEverything) {
  ASSERT_TRUE(
      exchanges()
          .Create(MakeExchange("2026-W05", 1000, 38), "w05", {"a", "req", 1})
          .ok());
  Reopen();
  EXPECT_TRUE(exchanges().Get("w05").ok());
  EXPECT_EQ(Delivered("RU>UA").best_sum(), 1000);
  auto retry = exchanges().Create(MakeExchange("2026-W05", 1000, 38), "",
                                  {"a", "req", 1});
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(GetMetadata(**retry).name(), "exchanges/w05");
  ListQuery query;
  query.span = *DateSpan::Parse("2026-01-28");
  auto listed = exchanges().List(query);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->records.size(), 1u);
}

TEST_F(CollectionTest, SpanFilterIsARangeScanNotAFullScan) {
  // One exchange a day for three years; then ask for one week.
  const absl::CivilDay start(2023, 1, 1);
  for (int i = 0; i < 3 * 365; ++i) {
    const std::string day = FormatDay(start + i);
    ASSERT_TRUE(
        exchanges()
            .Create(MakeExchange(day, 1, 1), absl::StrCat("d", i), {"a"})
            .ok());
  }
  auto* stats = store()->statistics();
  const uint64_t before = stats->getTickerCount(rocksdb::NUMBER_DB_NEXT);
  ListQuery query;
  query.span = *DateSpan::Parse("2024-W10");
  query.page_size = 100;
  auto listed = exchanges().List(query);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->records.size(), 7u);
  EXPECT_LT(stats->getTickerCount(rocksdb::NUMBER_DB_NEXT) - before, 30u);
}

TEST_F(CollectionTest, LongSpansAreFoundByTheDaysTheyCover) {
  ASSERT_TRUE(
      exchanges().Create(MakeExchange("2025", 5, 5), "year", {"a"}).ok());
  ASSERT_TRUE(
      exchanges().Create(MakeExchange("2025-06-10", 1, 1), "day", {"a"}).ok());
  ListQuery query;
  query.span = *DateSpan::Parse("2025-06");
  auto listed = exchanges().List(query);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->records.size(), 2u);
  query.span = *DateSpan::Parse("2026-01");
  EXPECT_EQ(exchanges().List(query)->records.size(), 0u);
}

// After many creates, updates and deletes from several threads, the rollups
// equal a full recount of the records.
TEST_F(CollectionTest, RollupsAgreeWithAFullScan) {
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([this, t] {
      std::mt19937 rng(t);
      for (int i = 0; i < 60; ++i) {
        const std::string id = absl::StrCat("t", t, "-", i % 20);
        const int op = rng() % 3;
        Exchange e =
            MakeExchange(absl::StrFormat("2026-01-%02d", 1 + rng() % 28),
                         rng() % 1000, rng() % 50);
        if (op == 0) {
          (void)exchanges().Create(e, id, {"w"});
        } else if (op == 1) {
          (void)exchanges().Update(id, e, {}, Valid, {"w"});
        } else {
          (void)exchanges().Delete(id, "", {"w"});
        }
      }
    });
  }
  for (auto& w : writers) w.join();

  std::map<std::string, model::v1::RollupValue> recount;
  ASSERT_TRUE(exchanges()
                  .ForEach([&](const Message& m) {
                    for (const auto& t :
                         static_cast<const Exchange&>(m).transfers()) {
                      AddToRollup(t.count(), +1,
                                  &recount[t.from_party().country() + ">" +
                                           t.to_party().country()]);
                    }
                  })
                  .ok());
  for (const char* direction : {"RU>UA", "UA>RU"}) {
    const auto kept = Delivered(direction);
    EXPECT_EQ(kept.count(), recount[direction].count()) << direction;
    EXPECT_EQ(kept.best_sum(), recount[direction].best_sum()) << direction;
    EXPECT_EQ(kept.low_sum(), recount[direction].low_sum()) << direction;
  }
}

TEST_F(CollectionTest, ConcurrentWritersShareWalSyncs) {
  auto* stats = store()->statistics();
  const uint64_t syncs_before = stats->getTickerCount(rocksdb::WAL_FILE_SYNCED);
  std::vector<std::thread> writers;
  constexpr int kThreads = 16, kEach = 20;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_TRUE(exchanges()
                        .Create(MakeExchange("2026-W05", 1, 1),
                                absl::StrCat("c", t, "-", i), {"w"})
                        .ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(CountKeys(Cf::kRecords), kThreads * kEach);
  // Every write was synced, but fewer syncs than writes: they grouped.
  const uint64_t syncs =
      stats->getTickerCount(rocksdb::WAL_FILE_SYNCED) - syncs_before;
  EXPECT_GT(syncs, 0u);
  EXPECT_LE(syncs, static_cast<uint64_t>(kThreads * kEach));
}

}  // namespace
}  // namespace parley
