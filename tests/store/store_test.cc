// The Store on a real RocksDB in a temp folder.
#include "common/store.h"

#include <thread>

#include "common/estimate.h"
#include "common/keys.h"
#include "gtest/gtest.h"
#include "rocksdb/statistics.h"
#include "tests/lib/records.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

class RawStoreTest : public testing::StoreTest {};

TEST_F(RawStoreTest, BatchIsAtomicAcrossColumnFamiliesAndSurvivesReopen) {
  std::string log_key;
  keys::AppendUint64(&log_key, 1);
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kRecords), "r", "record");
  batch.Put(store()->cf(Cf::kIndexes), "i", "");
  batch.Put(store()->cf(Cf::kChangeLog), log_key, "change");
  store::v1::RollupValue delta;
  delta.set_count(1);
  batch.Merge(store()->cf(Cf::kRollups), "x", delta.SerializeAsString());
  ASSERT_TRUE(store()->Write(&batch).ok());
  Reopen();
  EXPECT_EQ(**store()->Get(Cf::kRecords, "r"), "record");
  EXPECT_TRUE(store()->Get(Cf::kIndexes, "i")->has_value());
  EXPECT_EQ(**store()->Get(Cf::kChangeLog, log_key), "change");
  EXPECT_TRUE(store()->Get(Cf::kRollups, "x")->has_value());
  EXPECT_FALSE(store()->Get(Cf::kRecords, "missing")->has_value());
}

TEST_F(RawStoreTest, RollupMergeSumsConcurrentDeltas) {
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([this] {
      for (int i = 0; i < 25; ++i) {
        store::v1::RollupValue delta;
        AddToRollup(testing::NormalizedExact(2), +1, &delta);
        rocksdb::WriteBatch batch;
        batch.Merge(store()->cf(Cf::kRollups), "total",
                    delta.SerializeAsString());
        ASSERT_TRUE(store()->Write(&batch).ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  store::v1::RollupValue total;
  ASSERT_TRUE(total.ParseFromString(**store()->Get(Cf::kRollups, "total")));
  EXPECT_EQ(total.count(), 200);
  EXPECT_EQ(total.best_sum(), 400);
}

TEST_F(RawStoreTest, MaxMergeKeepsTheLargest) {
  for (uint64_t v : {3u, 9u, 4u}) {
    std::string value;
    keys::AppendUint64(&value, v);
    rocksdb::WriteBatch batch;
    batch.Merge(store()->cf(Cf::kMeta), "m", value);
    ASSERT_TRUE(store()->Write(&batch).ok());
  }
  const std::string stored = **store()->Get(Cf::kMeta, "m");
  absl::string_view in = stored;
  uint64_t max = 0;
  ASSERT_TRUE(keys::ConsumeUint64(&in, &max));
  EXPECT_EQ(max, 9u);
}

TEST_F(RawStoreTest, SequenceResumesAfterTheChangeLog) {
  const uint64_t first = store()->NextSequence();
  std::string key;
  keys::AppendUint64(&key, first + 10);
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kChangeLog), key, "x");
  ASSERT_TRUE(store()->Write(&batch).ok());
  Reopen();
  EXPECT_EQ(store()->NextSequence(), first + 11);
}

TEST_F(RawStoreTest, WritesAreSynced) {
  const uint64_t before =
      store()->statistics()->getTickerCount(rocksdb::WAL_FILE_SYNCED);
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kRecords), "k", "v");
  ASSERT_TRUE(store()->Write(&batch).ok());
  EXPECT_GT(store()->statistics()->getTickerCount(rocksdb::WAL_FILE_SYNCED),
            before);
}

}  // namespace
}  // namespace parley
