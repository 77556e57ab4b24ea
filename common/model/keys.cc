#include "common/model/keys.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace parley::keys {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;
constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xFF';
constexpr char kTerminator = '\x01';

}  // namespace

void AppendUint64(std::string* key, uint64_t value) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  key->append(buf, sizeof(buf));
}

void AppendInt64(std::string* key, int64_t value) {
  // Flipping the sign bit maps INT64_MIN..INT64_MAX onto 0..UINT64_MAX in
  // order.
  AppendUint64(key, static_cast<uint64_t>(value) ^ kSignBit);
}

void AppendString(std::string* key, absl::string_view value) {
  key->reserve(key->size() + value.size() + 2);
  for (char c : value) {
    key->push_back(c);
    // 0x00 0xFF sorts after the terminator 0x00 0x01, so "a\0" > "a".
    if (c == kEscape) key->push_back(kEscapedZero);
  }
  key->push_back(kEscape);
  key->push_back(kTerminator);
}

// On failure the readers leave `*in` and `*value` unchanged.

bool ConsumeUint64(absl::string_view* in, uint64_t* value) {
  if (in->size() < 8) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | static_cast<unsigned char>((*in)[i]);
  }
  in->remove_prefix(8);
  *value = v;
  return true;
}

bool ConsumeInt64(absl::string_view* in, int64_t* value) {
  uint64_t v;
  if (!ConsumeUint64(in, &v)) return false;
  *value = static_cast<int64_t>(v ^ kSignBit);
  return true;
}

bool ConsumeString(absl::string_view* in, std::string* value) {
  std::string out;
  absl::string_view rest = *in;
  while (true) {
    const size_t zero = rest.find(kEscape);
    if (zero == absl::string_view::npos || zero + 1 >= rest.size()) {
      return false;  // No terminator, or a 0x00 cut off at the end.
    }
    out.append(rest.data(), zero);
    const char next = rest[zero + 1];
    rest.remove_prefix(zero + 2);
    if (next == kTerminator) break;
    if (next != kEscapedZero) return false;
    out.push_back(kEscape);
  }
  *in = rest;
  *value = std::move(out);
  return true;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string next(prefix);
  // Trailing 0xFF bytes cannot be incremented; drop them and carry left.
  while (!next.empty() && static_cast<unsigned char>(next.back()) == 0xFF) {
    next.pop_back();
  }
  if (next.empty()) return next;
  next.back() = static_cast<char>(static_cast<unsigned char>(next.back()) + 1);
  return next;
}

}  // namespace parley::keys
