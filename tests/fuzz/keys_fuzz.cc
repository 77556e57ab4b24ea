// Key decoding (common/keys): the readers take bytes from the store and from
// page tokens, which a client can forge (the token is plain base64 and its
// fingerprint public), so they must refuse any malformed input without
// reading out of bounds. Input: byte 0 chooses a check, the rest is its
// data.
//
// Properties: a reader that accepts bytes consumed exactly the canonical
// encoding of what it returns; one that refuses leaves its input alone;
// encodings sort as their values do, tuples included; PrefixSuccessor is
// above every key with the prefix.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/model/keys.h"
#include "tests/fuzz/fuzz_input.h"

namespace parley::fuzz {
namespace {

int Sign(int c) { return (c > 0) - (c < 0); }

int Compare(absl::string_view a, absl::string_view b) {
  return Sign(a.compare(b));
}

std::string Hex(absl::string_view s) { return absl::BytesToHexString(s); }

// Reads a sequence of segments (kinds from `kinds`) from `data`, checking
// each read.
void DecodeSequence(absl::string_view kinds, absl::string_view data) {
  absl::string_view in = data;
  for (char kind : kinds) {
    const absl::string_view before = in;
    std::string encoded;
    bool ok = false;
    switch (static_cast<uint8_t>(kind) % 3) {
      case 0: {
        uint64_t value = 7;
        ok = keys::ConsumeUint64(&in, &value);
        if (ok) keys::AppendUint64(&encoded, value);
        if (!ok) PARLEY_FUZZ_CHECK(value == 7, Hex(before));
        break;
      }
      case 1: {
        int64_t value = 7;
        ok = keys::ConsumeInt64(&in, &value);
        if (ok) keys::AppendInt64(&encoded, value);
        if (!ok) PARLEY_FUZZ_CHECK(value == 7, Hex(before));
        break;
      }
      case 2: {
        std::string value = "unchanged";
        ok = keys::ConsumeString(&in, &value);
        if (ok) keys::AppendString(&encoded, value);
        if (!ok) PARLEY_FUZZ_CHECK(value == "unchanged", Hex(before));
        break;
      }
    }
    if (!ok) {
      PARLEY_FUZZ_CHECK(
          in.data() == before.data() && in.size() == before.size(),
          Hex(before));
      return;
    }
    const size_t used = before.size() - in.size();
    PARLEY_FUZZ_CHECK(in.data() == before.data() + used, Hex(before));
    PARLEY_FUZZ_CHECK(
        before.substr(0, used) == encoded,
        absl::StrCat(Hex(before.substr(0, used)), " vs ", Hex(encoded)));
  }
}

// Encodings of (a_string, a_int) and (b_string, b_int) sort as the tuples.
void CheckOrder(absl::string_view a, absl::string_view b, int64_t x,
                int64_t y) {
  std::string ea, eb;
  keys::AppendString(&ea, a);
  keys::AppendString(&eb, b);
  PARLEY_FUZZ_CHECK(Compare(ea, eb) == Compare(a, b),
                    absl::StrCat(Hex(a), " vs ", Hex(b)));
  keys::AppendInt64(&ea, x);
  keys::AppendInt64(&eb, y);
  const int want = a != b ? Compare(a, b) : (x > y) - (x < y);
  PARLEY_FUZZ_CHECK(Compare(ea, eb) == want,
                    absl::StrCat(Hex(a), ",", x, " vs ", Hex(b), ",", y));
  std::string ua, ub;
  keys::AppendUint64(&ua, static_cast<uint64_t>(x));
  keys::AppendUint64(&ub, static_cast<uint64_t>(y));
  const auto ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  PARLEY_FUZZ_CHECK(Compare(ua, ub) == (ux > uy) - (ux < uy),
                    absl::StrCat(ux, " vs ", uy));
}

void CheckSuccessor(absl::string_view prefix, absl::string_view suffix) {
  const std::string next = keys::PrefixSuccessor(prefix);
  const std::string key = absl::StrCat(prefix, suffix);
  if (next.empty()) {
    // Only a prefix of all 0xFF (or none) has no successor.
    for (char c : prefix) {
      PARLEY_FUZZ_CHECK(static_cast<uint8_t>(c) == 0xFF, Hex(prefix));
    }
    return;
  }
  PARLEY_FUZZ_CHECK(Compare(prefix, next) < 0, Hex(prefix));
  PARLEY_FUZZ_CHECK(Compare(key, next) < 0,
                    absl::StrCat(Hex(key), " vs ", Hex(next)));
  // Nor is it itself a key with the prefix.
  PARLEY_FUZZ_CHECK(!absl::StartsWith(next, prefix), Hex(prefix));
}

int64_t Int64From(absl::string_view bytes) {
  uint64_t v = 0;
  std::memcpy(&v, bytes.data(), std::min<size_t>(bytes.size(), 8));
  return static_cast<int64_t>(v);
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  FuzzInput input(data, size);
  const uint8_t check = input.TakeByte();
  switch (check % 3) {
    case 0: {
      // A line of segment kinds, then the bytes to read them from.
      const absl::string_view kinds = input.TakeLine();
      DecodeSequence(kinds.substr(0, 16), input.Rest());
      break;
    }
    case 1: {
      // Two 8-byte integers, the first string's length, then the two
      // strings (so that they may hold any byte).
      std::string numbers(16, '\0');
      for (char& c : numbers) c = static_cast<char>(input.TakeByte());
      const size_t split = input.TakeByte();
      const absl::string_view rest = input.Rest();
      const absl::string_view a = rest.substr(0, std::min(split, rest.size()));
      const absl::string_view b = rest.substr(a.size());
      CheckOrder(a, b, Int64From(numbers.substr(0, 8)),
                 Int64From(numbers.substr(8)));
      break;
    }
    case 2: {
      const size_t split = input.TakeByte();
      const absl::string_view rest = input.Rest();
      const absl::string_view prefix =
          rest.substr(0, std::min(split, rest.size()));
      CheckSuccessor(prefix, rest.substr(prefix.size()));
      break;
    }
  }
  return 0;
}
