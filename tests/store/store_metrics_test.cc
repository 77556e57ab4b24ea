// The store's figures in the metrics, on a real RocksDB in a temp folder:
// WAL syncs, writes and write groups, bytes, compaction, size; read at
// scrape time, and never once the store is detached.
#include "common/service/store_metrics.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/server/metrics.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lib/metrics_text.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

using ::parley::testing::SampleValue;
using ::testing::HasSubstr;
using ::testing::Not;

class StoreMetricsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    testing::StoreTest::SetUp();
    store_metrics_->Attach(store());
  }
  void TearDown() override { store_metrics_->Detach(); }

  // The value of an unlabelled store figure now; fails the test if absent.
  double Figure(const std::string& name) {
    const auto value = SampleValue(metrics_.Text(), name);
    EXPECT_TRUE(value.has_value()) << name << " missing from:\n"
                                   << metrics_.Text();
    return value.value_or(-1);
  }

  void WriteOne(const std::string& key) {
    rocksdb::WriteBatch batch;
    batch.Put(store()->cf(Cf::kRecords), key, std::string(100, 'v'));
    ASSERT_TRUE(store()->Write(&batch).ok());
  }

  Metrics metrics_;
  std::shared_ptr<StoreMetrics> store_metrics_ = StoreMetrics::AddTo(&metrics_);
};

TEST_F(StoreMetricsTest, SyncedWritesAreCountedAndConsistent) {
  const double syncs0 = Figure("parley_store_wal_syncs_total");
  const double writes0 = Figure("parley_store_writes_total");
  const double groups0 = Figure("parley_store_write_groups_total");
  const double bytes0 = Figure("parley_store_bytes_written_total");
  const double wal0 = Figure("parley_store_wal_bytes_written_total");
  const double timed0 = Figure("parley_store_wal_sync_seconds_count");
  const double took0 = Figure("parley_store_wal_sync_seconds_sum");

  constexpr int kWrites = 20;
  for (int i = 0; i < kWrites; ++i) WriteOne(absl::StrCat("k", i));

  const double syncs = Figure("parley_store_wal_syncs_total") - syncs0;
  const double writes = Figure("parley_store_writes_total") - writes0;
  const double groups = Figure("parley_store_write_groups_total") - groups0;
  // One after another, each write is its own group and its own sync.
  EXPECT_EQ(writes, kWrites);
  EXPECT_GT(groups, 0);
  EXPECT_LE(groups, writes);
  EXPECT_GT(syncs, 0);
  EXPECT_LE(syncs, writes);
  // Every sync is timed.
  EXPECT_EQ(Figure("parley_store_wal_sync_seconds_count") - timed0, syncs);
  EXPECT_GT(Figure("parley_store_wal_sync_seconds_sum") - took0, 0);
  EXPECT_GE(Figure("parley_store_bytes_written_total") - bytes0, kWrites * 100);
  EXPECT_GE(Figure("parley_store_wal_bytes_written_total") - wal0,
            kWrites * 100);
  const double all_writes = Figure("parley_store_writes_total");
  const double all_groups = Figure("parley_store_write_groups_total");
  EXPECT_DOUBLE_EQ(Figure("parley_store_writes_per_group"),
                   all_writes / all_groups);
  // The writes are in the live WAL, not yet in any SST file.
  EXPECT_GE(Figure("parley_store_size_bytes"), kWrites * 100);
  EXPECT_GE(Figure("parley_store_compaction_pending"), 0);
  EXPECT_GE(Figure("parley_store_pending_compaction_bytes"), 0);
}

TEST_F(StoreMetricsTest, ConcurrentWritersShareGroups) {
  const double writes0 = Figure("parley_store_writes_total");
  const double groups0 = Figure("parley_store_write_groups_total");
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) WriteOne(absl::StrCat("t", t, "-", i));
    });
  }
  for (auto& w : writers) w.join();
  const double writes = Figure("parley_store_writes_total") - writes0;
  const double groups = Figure("parley_store_write_groups_total") - groups0;
  // Every write is counted once, led or carried; groups can only be fewer.
  EXPECT_EQ(writes, 200);
  EXPECT_GT(groups, 0);
  EXPECT_LE(groups, writes);
  EXPECT_GE(Figure("parley_store_writes_per_group"), 1.0);
}

TEST_F(StoreMetricsTest, SizeCountsFlushedFiles) {
  for (int i = 0; i < 50; ++i) WriteOne(absl::StrCat("k", i));
  ASSERT_TRUE(store()->Flush().ok());
  EXPECT_GT(Figure("parley_store_size_bytes"), 0);
}

TEST_F(StoreMetricsTest, NothingIsReadOnceDetached) {
  WriteOne("k");
  metrics_.RecordCall("/x.Y/Z", grpc::StatusCode::OK, absl::Milliseconds(1));
  EXPECT_THAT(metrics_.Text(), HasSubstr("parley_store_writes_total"));
  store_metrics_->Detach();
  EXPECT_THAT(metrics_.Text(), Not(HasSubstr("parley_store_")));
  // The call metrics are still there.
  EXPECT_THAT(metrics_.Text(), HasSubstr("parley_rpc_calls_total"));
}

// Scrapes racing a detach and close: the store is closed (and its memory
// freed) right after StoreMetrics::Detach returns, while scrapes continue.
TEST(StoreMetricsCloseTest, ScrapesDuringDetachAndCloseAreSafe) {
  testing::TempDir dir;
  Metrics metrics;
  std::shared_ptr<StoreMetrics> store_metrics = StoreMetrics::AddTo(&metrics);
  for (int round = 0; round < 5; ++round) {
    auto store = Store::Open({.path = dir.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_metrics->Attach(store->get());
    std::atomic<bool> stop{false};
    std::atomic<int> scrapes{0};
    std::thread scraper([&] {
      while (!stop.load()) {
        (void)metrics.Text();
        ++scrapes;
      }
    });
    while (scrapes.load() < 3) std::this_thread::yield();
    store_metrics->Detach();
    store->reset();
    const int after_close = scrapes.load();
    while (scrapes.load() < after_close + 3) std::this_thread::yield();
    stop = true;
    scraper.join();
    EXPECT_THAT(metrics.Text(), Not(HasSubstr("parley_store_")));
  }
}

}  // namespace
}  // namespace parley
