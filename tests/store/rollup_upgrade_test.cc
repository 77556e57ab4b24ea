// Rollup upgrades on a real RocksDB: a store whose exchanges were written
// before the per-day rollups (or before versions were recorded), or whose
// statements were written before they were counted, gets them rebuilt from
// its records on the next start, once.
#include "common/store/rollup_upgrade.h"

#include <memory>
#include <string>

#include "common/store/store_check.h"
#include "gtest/gtest.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/schema.h"
#include "services/negotiations/domain.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/negotiations_records.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

namespace ex = exchanges::v1;

const Caller kWriter{"writer"};

class RollupUpgradeTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    testing::StoreTest::SetUp();
    domain_ = std::make_unique<exchanges::Exchanges>(store());
  }

  void CreateRepatriation(const std::string& id, const std::string& occurred,
                          int64_t returned) {
    ex::CreateExchangeRequest req;
    *req.mutable_exchange() =
        testing::Repatriation(occurred, returned, 1, /*agreement=*/"");
    req.set_exchange_id(id);
    ex::Exchange out;
    ASSERT_TRUE(domain_->CreateExchange(req, kWriter, &out).ok());
  }

  // Drops every rollup of the exchanges collection and its version: the
  // store as a build before the per-day rollups left it.
  void ForgetRollups() {
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(store()->db()->NewIterator(
        rocksdb::ReadOptions(), store()->cf(Cf::kRollups)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      batch.Delete(store()->cf(Cf::kRollups), it->key());
    }
    ASSERT_TRUE(it->status().ok());
    batch.Delete(store()->cf(Cf::kMeta), "rollups-version|exchanges");
    ASSERT_TRUE(store()->Write(&batch).ok());
  }

  int64_t ExchangesIn(const std::string& span) {
    ex::SummarizeExchangesRequest req;
    req.set_span(span);
    ex::SummarizeExchangesResponse out;
    EXPECT_TRUE(domain_->SummarizeExchanges(req, &out).ok());
    return out.exchanges();
  }

  bool Consistent() {
    auto report = CheckStore(domain_->collections());
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() && report->consistent();
  }

  std::unique_ptr<exchanges::Exchanges> domain_;
};

TEST_F(RollupUpgradeTest, AStoreWithoutTheRollupsGetsThemRebuilt) {
  CreateRepatriation("a", "2026-W05", 1000);
  CreateRepatriation("b", "2025-11", 30);
  ForgetRollups();
  ASSERT_EQ(ExchangesIn("2026-W05"), 0);
  ASSERT_FALSE(Consistent());

  ASSERT_TRUE(UpgradeRollups(domain_->collections()).ok());
  EXPECT_EQ(ExchangesIn("2026-W05"), 1);
  EXPECT_EQ(ExchangesIn("2025-11/2026-02"), 2);
  EXPECT_TRUE(Consistent());
  auto version = store()->Get(Cf::kMeta, "rollups-version|exchanges");
  ASSERT_TRUE(version.ok());
  ASSERT_TRUE(version->has_value());
  EXPECT_EQ(**version,
            std::to_string(exchanges::ExchangeSchema().rollups_version));
}

TEST_F(RollupUpgradeTest, AStoreAtTheSchemasVersionIsLeftAlone) {
  CreateRepatriation("a", "2026-W05", 1000);
  ASSERT_TRUE(UpgradeRollups(domain_->collections()).ok());
  // Damage made after the upgrade is not the upgrade's to repair: a second
  // start does not rescan the store (the store check reports it instead).
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(store()->db()->NewIterator(
      rocksdb::ReadOptions(), store()->cf(Cf::kRollups)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    batch.Delete(store()->cf(Cf::kRollups), it->key());
  }
  ASSERT_TRUE(store()->Write(&batch).ok());
  ASSERT_TRUE(UpgradeRollups(domain_->collections()).ok());
  EXPECT_EQ(ExchangesIn("2026-W05"), 0);
  EXPECT_FALSE(Consistent());
}

// A store whose statements were written before they were counted (rollups
// version 1 of statements: none): the first start counts them.
TEST_F(RollupUpgradeTest, StatementsWrittenBeforeTheirCountsGetCounted) {
  negotiations::Negotiations talks(store());
  for (const char* id : {"a", "b", "c"}) {
    negotiations::v1::CreateStatementRequest req;
    *req.mutable_statement() = testing::MedinskyAccusation();
    req.set_statement_id(id);
    negotiations::v1::Statement out;
    ASSERT_TRUE(talks.CreateStatement(req, kWriter, &out).ok());
  }
  ForgetRollups();
  rocksdb::WriteBatch older;
  older.Put(store()->cf(Cf::kMeta), "rollups-version|statements", "1");
  ASSERT_TRUE(store()->Write(&older).ok());
  const auto counted = [&] {
    negotiations::v1::SummarizeStatementsRequest req;
    req.set_about(testing::kPowChannel);
    negotiations::v1::SummarizeStatementsResponse out;
    EXPECT_TRUE(talks.SummarizeStatements(req, &out).ok());
    return out.speakers_size() == 1 ? out.speakers(0).statement_count() : 0;
  };
  ASSERT_EQ(counted(), 0);

  ASSERT_TRUE(UpgradeRollups(talks.collections()).ok());
  EXPECT_EQ(counted(), 3);
  auto report = CheckStore(talks.collections());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->consistent());
}

TEST_F(RollupUpgradeTest, AnUnreadableVersionStopsTheStart) {
  rocksdb::WriteBatch batch;
  batch.Put(store()->cf(Cf::kMeta), "rollups-version|exchanges", "two");
  ASSERT_TRUE(store()->Write(&batch).ok());
  const absl::Status s = UpgradeRollups(domain_->collections());
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("exchanges"), std::string::npos) << s;
}

}  // namespace
}  // namespace parley
