// The change log as the feed reads it (common/store/change_log.h), on a
// real RocksDB: the committed watermark under out-of-order commits and
// failed writes, concurrent writers against a polling reader, and trimming.
#include "common/store/change_log.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/store/collection.h"
#include "common/store/store_check.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parley/exchanges/v1/exchange.pb.h"
#include "services/exchanges/schema.h"
#include "services/exchanges/validation.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/grpc_helpers.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

using ::parley::store::v1::ChangeEntry;

TEST(ChangeSequencerTest, TheWatermarkWaitsForTheLowestPendingNumber) {
  ChangeSequencer sequencer(10);
  int moves = 0;
  const int id = sequencer.Subscribe([&] { ++moves; });
  const uint64_t a = sequencer.Next(), b = sequencer.Next(),
                 c = sequencer.Next();
  EXPECT_EQ(a, 11u);
  EXPECT_EQ(sequencer.Committed(), 10u);
  // b commits first: a reader must not pass a, which may still commit.
  sequencer.Resolve({b});
  EXPECT_EQ(sequencer.Committed(), 10u);
  EXPECT_EQ(moves, 0);
  sequencer.Resolve({a});
  EXPECT_EQ(sequencer.Committed(), 12u);
  EXPECT_EQ(moves, 1);
  sequencer.Unsubscribe(id);
  sequencer.Resolve({c});
  EXPECT_EQ(sequencer.Committed(), 13u);
  EXPECT_EQ(moves, 1);  // not called once unsubscribed
}

class ChangeLogTest : public testing::StoreTest {
 protected:
  Collection exchanges() {
    return Collection(store(), &exchanges::ExchangeSchema());
  }
  static exchanges::v1::Exchange Repatriation(int day) {
    exchanges::v1::Exchange e;
    e.set_kind(exchanges::v1::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
    e.set_occurred(absl::StrCat("2026-01-", day < 10 ? "0" : "", day));
    *e.add_transfers() = testing::MakeTransfer(
        "RU", "UA", exchanges::v1::CATEGORY_REMAINS, 100 + day);
    auto* s = e.add_sources();
    s->set_publisher("Kyiv Independent");
    s->set_reliability(common::v1::Source::RELIABILITY_REPORTED);
    return e;
  }
  // Every committed entry after `after`: (sequence, "id@revision").
  std::vector<std::pair<uint64_t, std::string>> Read(uint64_t after,
                                                     uint64_t* last) {
    std::vector<std::pair<uint64_t, std::string>> out;
    auto read = ReadChanges(store(), after, 1000000, [&](const ChangeEntry& e) {
      out.emplace_back(e.sequence(), absl::StrCat(e.id(), "@", e.revision()));
      return true;
    });
    EXPECT_TRUE(read.ok()) << read.status();
    if (last != nullptr) *last = read.ok() ? *read : after;
    return out;
  }
};

TEST_F(ChangeLogTest, AReaderPollingConcurrentWritersSeesEachEntryOnceInOrder) {
  constexpr int kWriters = 8;
  constexpr int kEach = 40;
  std::atomic<int> done{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      Collection c = exchanges();
      for (int i = 0; i < kEach; ++i) {
        auto made = c.Create(Repatriation(1 + i % 28), absl::StrCat(w, "-", i),
                             {.actor = "test"});
        EXPECT_TRUE(made.ok()) << made.status();
      }
      ++done;
    });
  }
  std::vector<std::pair<uint64_t, std::string>> seen;
  uint64_t position = 0;
  while (done.load() < kWriters) {
    for (auto& e : Read(position, &position)) seen.push_back(e);
  }
  for (auto& t : writers) t.join();
  for (auto& e : Read(position, &position)) seen.push_back(e);

  ASSERT_EQ(seen.size(), size_t{kWriters * kEach});
  std::set<std::string> ids;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (i > 0) EXPECT_LT(seen[i - 1].first, seen[i].first);
    EXPECT_TRUE(ids.insert(seen[i].second).second) << seen[i].second;
  }
  // What a fresh reader sees is the same.
  EXPECT_EQ(Read(0, nullptr), seen);
}

TEST_F(ChangeLogTest, ARefusedWriteLeavesAGapNobodyWaitsOn) {
  Collection c = exchanges();
  ASSERT_TRUE(c.Create(Repatriation(1), "a", {.actor = "t"}).ok());
  const uint64_t before = store()->changes().Committed();
  // A number handed out and its batch refused (as a full disk refuses it).
  const uint64_t lost = store()->NextSequence();
  store()->changes().Resolve({lost});
  EXPECT_EQ(store()->changes().Committed(), lost);
  // A reader at the newest entry is caught up, the gap after it included.
  bool reached_end = false;
  auto read = ReadChanges(
      store(), before, 100, [](const ChangeEntry&) { return true; },
      &reached_end);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, before);
  EXPECT_TRUE(reached_end);
  ASSERT_TRUE(c.Create(Repatriation(2), "b", {.actor = "t"}).ok());
  uint64_t last = 0;
  const auto entries = Read(before, &last);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].second, "b@1");
  EXPECT_GT(entries[0].first, lost);
  // The newest entry, not the gap, is the position a reader may keep.
  auto newest = NewestCommittedChange(store());
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(*newest, entries[0].first);
}

TEST_F(ChangeLogTest, TrimmingKeepsEachRecordsNewestRevision) {
  Collection c = exchanges();
  ASSERT_TRUE(c.Create(Repatriation(1), "a", {.actor = "t"}).ok());
  ASSERT_TRUE(c.Create(Repatriation(2), "b", {.actor = "t"}).ok());
  exchanges::v1::Exchange patch;
  patch.set_description("corrected");
  auto updated =
      c.Update("a", patch, testing::Mask({"description"}),
               [](Message*) { return absl::OkStatus(); }, {.actor = "t"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_TRUE(c.Delete("b", "", {.actor = "t"}).ok());
  uint64_t last = 0;
  ASSERT_EQ(Read(0, &last).size(), 4u);

  auto dropped = TrimChanges(store(), absl::Now() + absl::Seconds(1));
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  // a@1 and b@1 are superseded; a@2 and the delete b@2 are kept.
  EXPECT_EQ(*dropped, 2);
  EXPECT_EQ(store()->changes_trimmed_through(), last);
  std::vector<std::string> kept;
  for (auto& [seq, key] : Read(0, nullptr)) kept.push_back(key);
  EXPECT_THAT(kept, ::testing::ElementsAre("a@2", "b@2"));
  // An old revision keeps its number and time, not its body; the newest
  // reads whole.
  auto revisions = c.Revisions("a", 0, 10, nullptr);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].revision(), 1);
  EXPECT_TRUE((*revisions)[0].has_change_time());
  EXPECT_FALSE((*revisions)[0].has_snapshot());
  EXPECT_TRUE((*revisions)[1].has_snapshot());
  // The trim mark survives a restart, and the store still checks clean.
  Reopen();
  EXPECT_EQ(store()->changes_trimmed_through(), last);
  Collection again = exchanges();
  auto check = CheckCollection(again);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_THAT(check->problems, ::testing::IsEmpty());
}

}  // namespace
}  // namespace parley
