// A real RocksDB store in a unique temporary folder, removed afterwards.
#ifndef PARLEY_TESTS_LIB_TEMP_STORE_H_
#define PARLEY_TESTS_LIB_TEMP_STORE_H_

#include <filesystem>
#include <memory>
#include <string>

#include "common/store/store.h"
#include "gtest/gtest.h"

namespace parley::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "parley-test-XXXXXX")
            .string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Test base: `store()` is open on a fresh folder; Reopen() closes and opens
// it again, as a restart would.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto store = Store::Open({.path = dir_.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  Store* store() { return store_.get(); }

 private:
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_TEMP_STORE_H_
