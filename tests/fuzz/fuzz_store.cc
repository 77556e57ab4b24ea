#include "tests/fuzz/fuzz_store.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace parley::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr char kPrefix[] = "parley-fuzz-";

fs::path ScratchRoot() {
  std::error_code error;
  if (fs::is_directory("/dev/shm", error)) return "/dev/shm";
  return fs::temp_directory_path();
}

// Removes the folders of fuzz processes that no longer run.
void RemoveAbandoned(const fs::path& root) {
  std::error_code error;
  std::vector<fs::path> gone;
  for (const auto& entry : fs::directory_iterator(root, error)) {
    const std::string name = entry.path().filename().string();
    if (!absl::StartsWith(name, kPrefix)) continue;
    const std::string rest = name.substr(sizeof(kPrefix) - 1);
    int pid = 0;
    if (!absl::SimpleAtoi(rest.substr(0, rest.find('-')), &pid)) continue;
    if (pid > 0 && !fs::exists(absl::StrCat("/proc/", pid), error)) {
      gone.push_back(entry.path());
    }
  }
  for (const auto& path : gone) fs::remove_all(path, error);
}

std::vector<std::string>& Made() {
  static auto* dirs = new std::vector<std::string>;
  return *dirs;
}

std::vector<std::function<void()>>& Closers() {
  static auto* closers = new std::vector<std::function<void()>>;
  return *closers;
}

void RemoveMade() {
  for (auto it = Closers().rbegin(); it != Closers().rend(); ++it) (*it)();
  std::error_code error;
  for (const auto& dir : Made()) fs::remove_all(dir, error);
}

}  // namespace

std::string MakeScratchDir() {
  const fs::path root = ScratchRoot();
  static std::once_flag once;
  std::call_once(once, [&root] { RemoveAbandoned(root); });
  std::string pattern =
      (root / absl::StrCat(kPrefix, getpid(), "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("fuzz: mkdtemp");
    std::abort();
  }
  Made().push_back(pattern);
  return pattern;
}

void CloseAtExit(std::function<void()> close) {
  // Registered once what is to be closed is open: exit handlers run in
  // reverse order, so this one runs before the destructors of the statics
  // RocksDB and gRPC made when they started.
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(RemoveMade); });
  Closers().push_back(std::move(close));
}

FuzzStore::FuzzStore() : dir_(MakeScratchDir()) {
  Reset();
  CloseAtExit([this] { Close(); });
}

void FuzzStore::Reset() {
  Close();
  std::error_code error;
  fs::remove_all(absl::StrCat(dir_, "/", generation_), error);
  ++generation_;
  auto store = Store::Open({.path = absl::StrCat(dir_, "/", generation_),
                            .block_cache_bytes = 8 << 20});
  if (!store.ok()) {
    std::fprintf(stderr, "fuzz: cannot open a store: %s\n",
                 store.status().ToString().c_str());
    std::abort();
  }
  store_ = *std::move(store);
}

void FuzzStore::Close() { store_.reset(); }

}  // namespace parley::fuzz
