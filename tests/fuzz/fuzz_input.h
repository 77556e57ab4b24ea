// Splits one fuzz input into the parts a target needs: leading selector
// bytes, text lines and the rest. Built for both builds (no libFuzzer
// header): a seed is written the same way, see make_seeds.cc.
#ifndef PARLEY_TESTS_FUZZ_FUZZ_INPUT_H_
#define PARLEY_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"

namespace parley::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  // The next byte; 0 once the input is used up.
  uint8_t TakeByte() {
    if (rest_.empty()) return 0;
    const auto byte = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return byte;
  }

  // Up to the next '\n' (not included, but consumed), or all that is left.
  absl::string_view TakeLine() {
    const size_t end = rest_.find('\n');
    const absl::string_view line = rest_.substr(0, end);
    rest_.remove_prefix(end == absl::string_view::npos ? rest_.size()
                                                       : end + 1);
    return line;
  }

  // Everything not yet taken.
  absl::string_view Rest() const { return rest_; }
  bool empty() const { return rest_.empty(); }

 private:
  absl::string_view rest_;
};

// Protobuf logs every string it meets that is not UTF-8, and fuzzing sends
// many: only what stops the process is printed.
inline void QuietProtobufLogs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level,
                                     const char* file, int line,
                                     const std::string& message) {
    if (level >= google::protobuf::LOGLEVEL_DFATAL) {
      std::fprintf(stderr, "[protobuf %s:%d] %s\n", file, line,
                   message.c_str());
    }
  });
}

// A property the code under test must keep was broken: say which, and abort
// so that libFuzzer (or the replay) reports the input as a crash.
[[noreturn]] inline void Violated(const char* what, absl::string_view detail) {
  std::fprintf(stderr, "fuzz invariant violated: %s: %.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define PARLEY_FUZZ_CHECK(condition, detail)          \
  do {                                                \
    if (!(condition)) {                               \
      ::parley::fuzz::Violated(#condition, (detail)); \
    }                                                 \
  } while (false)

}  // namespace parley::fuzz

#endif  // PARLEY_TESTS_FUZZ_FUZZ_INPUT_H_
