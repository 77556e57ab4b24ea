// The Store on a real RocksDB in a temp folder.
#include "common/store/store.h"

#include <atomic>
#include <thread>

#include "common/model/estimate.h"
#include "common/model/keys.h"
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
  model::v1::RollupValue delta;
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

TEST_F(RawStoreTest, MultiGetAnswersEachKeyInOrder) {
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kMeta), "b", "two");
  batch.Put(store()->cf(Cf::kMeta), "a", "one");
  ASSERT_TRUE(store()->Write(&batch).ok());
  // One in a table file, one in the memtable.
  ASSERT_TRUE(store()
                  ->db()
                  ->Flush(rocksdb::FlushOptions(), store()->cf(Cf::kMeta))
                  .ok());
  batch.Clear();
  batch.Put(store()->cf(Cf::kMeta), "c", "three");
  ASSERT_TRUE(store()->Write(&batch).ok());

  auto found = store()->MultiGet(Cf::kMeta, {"c", "", "missing", "a", "b"});
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 5u);
  EXPECT_EQ((*found)[0], "three");
  EXPECT_FALSE((*found)[1].has_value());  // an empty key reads nothing
  EXPECT_FALSE((*found)[2].has_value());
  EXPECT_EQ((*found)[3], "one");
  EXPECT_EQ((*found)[4], "two");
  // Another column family does not answer for this one.
  auto elsewhere = store()->MultiGet(Cf::kRecords, {"a"});
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE((*elsewhere)[0].has_value());
  EXPECT_TRUE(store()->MultiGet(Cf::kMeta, {})->empty());
}

TEST_F(RawStoreTest, RollupMergeSumsConcurrentDeltas) {
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([this] {
      for (int i = 0; i < 25; ++i) {
        model::v1::RollupValue delta;
        AddToRollup(testing::NormalizedExact(2), +1, &delta);
        rocksdb::WriteBatch batch;
        batch.Merge(store()->cf(Cf::kRollups), "total",
                    delta.SerializeAsString());
        ASSERT_TRUE(store()->Write(&batch).ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  model::v1::RollupValue total;
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

// A full disk: writes refused, naming it, with nothing written; reads go
// on; writes resume when space returns, without reopening.
TEST(StoreDiskFullTest, WritesWaitForSpaceAndReadsGoOn) {
  testing::TempDir dir;
  std::atomic<uint64_t> free_bytes{uint64_t{1} << 30};
  auto opened = Store::Open(
      {.path = dir.path() + "/db",
       .min_free_bytes = 64 << 20,
       .free_bytes = [&](const std::string&) -> absl::StatusOr<uint64_t> {
         return free_bytes.load();
       },
       .free_space_check_interval = absl::ZeroDuration()});
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  const auto put = [&](const std::string& key) {
    rocksdb::WriteBatch batch;
    batch.Put(store.cf(Cf::kRecords), key, "value");
    return store.Write(&batch);
  };
  ASSERT_TRUE(put("before").ok());

  free_bytes = 10 << 20;
  const absl::Status refused = put("while-full");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_NE(refused.message().find("disk holding the store is full"),
            std::string::npos)
      << refused;
  EXPECT_TRUE(store.Get(Cf::kRecords, "before")->has_value());
  EXPECT_FALSE(store.Get(Cf::kRecords, "while-full")->has_value());

  free_bytes = uint64_t{1} << 30;
  EXPECT_TRUE(put("after").ok());
  EXPECT_TRUE(store.Get(Cf::kRecords, "after")->has_value());
}

TEST(StoreDiskFullTest, NoReserveNeverRefuses) {
  testing::TempDir dir;
  auto opened = Store::Open(
      {.path = dir.path() + "/db",
       .min_free_bytes = 0,
       .free_bytes = [](const std::string&) -> absl::StatusOr<uint64_t> {
         return 0;
       }});
  ASSERT_TRUE(opened.ok()) << opened.status();
  rocksdb::WriteBatch batch;
  batch.Put((*opened)->cf(Cf::kRecords), "k", "v");
  EXPECT_TRUE((*opened)->Write(&batch).ok());
}

TEST(FromRocksStatusTest, EachKindOfFailureHasItsCode) {
  const absl::Status no_space = FromRocksStatus(
      rocksdb::Status::NoSpace("While appending to file", "000004.log"),
      "writing");
  EXPECT_EQ(no_space.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(no_space.message().find("disk holding the store is full"),
            std::string::npos)
      << no_space;
  EXPECT_EQ(
      FromRocksStatus(rocksdb::Status::IOError("flaky disk"), "reading").code(),
      absl::StatusCode::kUnavailable);
  EXPECT_EQ(FromRocksStatus(rocksdb::Status::Busy(), "writing").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(FromRocksStatus(rocksdb::Status::Corruption("bad block"), "reading")
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(FromRocksStatus(rocksdb::Status::OK(), "writing").ok());
}

}  // namespace
}  // namespace parley
