// Online backups with RocksDB's BackupEngine and restore into an empty
// folder: a restored store serves every record acknowledged before the
// backup began, even with writers running during it.
#include "common/store/backups.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/store/restore.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/exchanges/domain.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/temp_store.h"

namespace parley::testing {
namespace {

namespace ex = ::parley::exchanges::v1;
using ::testing::HasSubstr;

class BackupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({.path = dir_.path() + "/data"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<exchanges::Exchanges>(store_.get());
    backups_ = std::make_unique<Backups>(
        store_.get(),
        BackupOptions{
            .service = "exchanges", .backup_dir = backup_dir(), .keep = 3});
  }

  std::string backup_dir() const { return dir_.path() + "/backups"; }

  // Creates agreement `id`; its etag once acknowledged.
  absl::StatusOr<std::string> Create(exchanges::Exchanges& domain,
                                     const std::string& id) {
    ex::CreateAgreementRequest request;
    *request.mutable_agreement() = Istanbul();
    request.mutable_agreement()->set_title(absl::StrCat("agreement ", id));
    request.set_agreement_id(id);
    ex::Agreement created;
    absl::Status s =
        domain.CreateAgreement(request, {.actor = "test"}, &created);
    if (!s.ok()) return s;
    return created.metadata().etag();
  }

  absl::StatusOr<ex::Agreement> Get(exchanges::Exchanges& domain,
                                    const std::string& id) {
    ex::GetAgreementRequest request;
    request.set_name("agreements/" + id);
    ex::Agreement out;
    absl::Status s = domain.GetAgreement(request, &out);
    if (!s.ok()) return s;
    return out;
  }

  admin::v1::Backup TakeBackup() {
    admin::v1::Backup backup;
    absl::Status s = backups_->CreateBackup({}, "test", &backup);
    EXPECT_TRUE(s.ok()) << s;
    return backup;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<exchanges::Exchanges> domain_;
  std::unique_ptr<Backups> backups_;
};

TEST_F(BackupsTest, RestoredStoreServesEveryRecordWrittenBeforeTheBackup) {
  std::vector<std::pair<std::string, std::string>> before;  // id, etag
  for (int i = 0; i < 200; ++i) {
    const std::string id = absl::StrCat("before-", i);
    absl::StatusOr<std::string> etag = Create(*domain_, id);
    ASSERT_TRUE(etag.ok()) << etag.status();
    before.emplace_back(id, *etag);
  }
  // Writers keep going while the backup is taken.
  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        if (Create(*domain_, absl::StrCat("during-", w, "-", i)).ok()) ++during;
      }
    });
  }
  while (during.load() < 20) std::this_thread::yield();
  const admin::v1::Backup backup = TakeBackup();
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_GT(during.load(), 0);
  EXPECT_EQ(backup.service(), "exchanges");
  EXPECT_GT(backup.backup_id(), 0u);
  EXPECT_GT(backup.size_bytes(), 0u);
  EXPECT_GT(backup.create_time().seconds(), 0);

  const std::string restored_dir = dir_.path() + "/restored";
  absl::StatusOr<RestoreResult> restored =
      RestoreBackup({.backup_dir = backup_dir(), .data_dir = restored_dir});
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->backup_id, backup.backup_id());
  EXPECT_EQ(restored->set_aside, "");
  auto store = Store::Open({.path = restored_dir});
  ASSERT_TRUE(store.ok()) << store.status();
  exchanges::Exchanges restored_domain(store->get());
  for (const auto& [id, etag] : before) {
    absl::StatusOr<ex::Agreement> got = Get(restored_domain, id);
    ASSERT_TRUE(got.ok()) << id << ": " << got.status();
    EXPECT_EQ(got->metadata().etag(), etag) << id;
    EXPECT_EQ(got->title(), "agreement " + id);
  }
  // The restored store takes writes.
  absl::StatusOr<std::string> after = Create(restored_domain, "after-restore");
  EXPECT_TRUE(after.ok()) << after.status();
}

TEST_F(BackupsTest, RestoreByIdGivesThatBackupsState) {
  ASSERT_TRUE(Create(*domain_, "first").ok());
  const admin::v1::Backup one = TakeBackup();
  ASSERT_TRUE(Create(*domain_, "second").ok());
  const admin::v1::Backup two = TakeBackup();
  EXPECT_GT(two.backup_id(), one.backup_id());

  const std::string old_dir = dir_.path() + "/old";
  ASSERT_TRUE(RestoreBackup({.backup_dir = backup_dir(),
                             .backup_id = one.backup_id(),
                             .data_dir = old_dir})
                  .ok());
  auto store = Store::Open({.path = old_dir});
  ASSERT_TRUE(store.ok());
  exchanges::Exchanges old_domain(store->get());
  EXPECT_TRUE(Get(old_domain, "first").ok());
  EXPECT_EQ(Get(old_domain, "second").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(BackupsTest, ListsBackupsAndKeepsTheNewest) {
  std::vector<uint32_t> ids;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Create(*domain_, absl::StrCat("r", i)).ok());
    ids.push_back(TakeBackup().backup_id());
  }
  admin::v1::ListBackupsResponse listed;
  ASSERT_TRUE(backups_->ListBackups({}, &listed).ok());
  ASSERT_EQ(listed.backups_size(), 3);  // keep = 3
  EXPECT_EQ(listed.backups(0).backup_id(), ids[2]);
  EXPECT_EQ(listed.backups(2).backup_id(), ids[4]);
  EXPECT_EQ(listed.backups(2).backup_dir(), backup_dir());
}

TEST_F(BackupsTest, NoBackupOnceTheServiceIsStopping) {
  ASSERT_TRUE(Create(*domain_, "r").ok());
  backups_->Cancel();
  admin::v1::Backup backup;
  absl::Status s = backups_->CreateBackup({}, "t", &backup);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("shutting down"));
  admin::v1::ListBackupsResponse listed;
  ASSERT_TRUE(backups_->ListBackups({}, &listed).ok());
  EXPECT_EQ(listed.backups_size(), 0);
}

TEST_F(BackupsTest, AnotherServicesNameIsInvalid) {
  admin::v1::CreateBackupRequest request;
  request.set_service("incidents");
  admin::v1::Backup backup;
  absl::Status s = backups_->CreateBackup(request, "t", &backup);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("service"));
  EXPECT_FALSE(std::filesystem::exists(backup_dir()));
}

TEST_F(BackupsTest, RestoreNeverOverwritesAStoreUnlessAskedTo) {
  ASSERT_TRUE(Create(*domain_, "backed-up").ok());
  TakeBackup();
  // A store in the folder: refused, naming the way out, nothing touched.
  const std::string target = dir_.path() + "/target";
  {
    auto other = Store::Open({.path = target});
    ASSERT_TRUE(other.ok());
    exchanges::Exchanges domain(other->get());
    ASSERT_TRUE(Create(domain, "only-in-target").ok());
  }
  absl::StatusOr<RestoreResult> refused =
      RestoreBackup({.backup_dir = backup_dir(), .data_dir = target});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("--restore_replace"));
  // Any other non-empty folder too.
  const std::string occupied = dir_.path() + "/occupied";
  std::filesystem::create_directories(occupied);
  std::ofstream(occupied + "/notes.txt") << "keep me";
  EXPECT_EQ(RestoreBackup({.backup_dir = backup_dir(), .data_dir = occupied})
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(std::filesystem::exists(occupied + "/notes.txt"));

  // A failed restore (no such backup) leaves the store as it was.
  EXPECT_FALSE(RestoreBackup({.backup_dir = backup_dir(),
                              .backup_id = 999,
                              .data_dir = target,
                              .replace = true})
                   .ok());
  // Nothing is left beside the target: no staging folder.
  auto staging_left = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (entry.path().filename().string().rfind("target.restoring", 0) == 0) {
        return true;
      }
    }
    return false;
  };
  EXPECT_FALSE(staging_left());
  {
    auto still = Store::Open({.path = target});
    ASSERT_TRUE(still.ok());
    exchanges::Exchanges domain(still->get());
    EXPECT_TRUE(Get(domain, "only-in-target").ok());
  }

  // Asked to replace: the backup in place, the old store set aside whole.
  absl::StatusOr<RestoreResult> replaced = RestoreBackup(
      {.backup_dir = backup_dir(), .data_dir = target + "/", .replace = true});
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_THAT(replaced->set_aside, HasSubstr("target.before-restore-"));
  EXPECT_FALSE(staging_left());
  {
    auto now = Store::Open({.path = target});
    ASSERT_TRUE(now.ok());
    exchanges::Exchanges domain(now->get());
    EXPECT_TRUE(Get(domain, "backed-up").ok());
    EXPECT_EQ(Get(domain, "only-in-target").status().code(),
              absl::StatusCode::kNotFound);
  }
  auto aside = Store::Open({.path = replaced->set_aside});
  ASSERT_TRUE(aside.ok());
  exchanges::Exchanges old_domain(aside->get());
  EXPECT_TRUE(Get(old_domain, "only-in-target").ok());
}

TEST_F(BackupsTest, RestoreFromNothingSaysSo) {
  const std::string target = dir_.path() + "/r";
  EXPECT_EQ(
      RestoreBackup({.backup_dir = dir_.path() + "/none", .data_dir = target})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  std::filesystem::create_directories(dir_.path() + "/empty-backups");
  EXPECT_EQ(RestoreBackup({.backup_dir = dir_.path() + "/empty-backups",
                           .data_dir = target})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(target));
}

}  // namespace
}  // namespace parley::testing
