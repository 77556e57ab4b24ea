// main() of a fuzz target in the normal build, which has no libFuzzer: runs
// LLVMFuzzerTestOneInput once on every file given, or every file under a
// directory given (in name order), so a target's corpus replays as a
// regression test with gcc. A crash, sanitizer report or abort fails it, as
// it would fail the fuzzer.
//
//   parley_fuzz_date_span tests/fuzz/corpus/date_span [more files or dirs]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional, as in libFuzzer: targets that need one-time setup define it.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc,
                                                          char*** argv);

namespace {

namespace fs = std::filesystem;

// The files named, directories expanded (recursively, sorted); false if a
// path does not exist.
bool CollectInputs(const char* arg, std::vector<fs::path>* out) {
  std::error_code error;
  const fs::path path(arg);
  if (fs::is_regular_file(path, error)) {
    out->push_back(path);
    return true;
  }
  if (!fs::is_directory(path, error)) return false;
  std::vector<fs::path> found;
  for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file()) found.push_back(entry.path());
  }
  if (error) return false;
  std::sort(found.begin(), found.end());
  out->insert(out->end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    if (!CollectInputs(argv[i], &inputs)) {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
  }
  size_t bytes = 0;
  for (const fs::path& input : inputs) {
    std::ifstream file(input, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof()) {
      std::fprintf(stderr, "%s: cannot read\n", input.c_str());
      return 2;
    }
    // A copy of exactly the input's size, as libFuzzer hands it over, so
    // that a read past the end is caught by ASan where it is enabled.
    std::vector<uint8_t> copy(data.begin(), data.end());
    LLVMFuzzerTestOneInput(copy.data(), copy.size());
    bytes += copy.size();
  }
  std::fprintf(stderr, "replayed %zu inputs (%zu bytes)\n", inputs.size(),
               bytes);
  return inputs.empty() ? 1 : 0;
}
