#include "common/model/keys.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

// std::string compares bytes as unsigned char (char_traits<char> is
// memcmp-like), which is RocksDB's default bytewise order.

std::string Uint64Key(uint64_t value) {
  std::string key;
  keys::AppendUint64(&key, value);
  return key;
}

std::string Int64Key(int64_t value) {
  std::string key;
  keys::AppendInt64(&key, value);
  return key;
}

std::string StringKey(absl::string_view value) {
  std::string key;
  keys::AppendString(&key, value);
  return key;
}

// Checks that the encodings of `values` sort exactly as the values do.
template <typename T, typename Encode>
void ExpectOrderPreserved(std::vector<T> values, Encode encode) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  for (size_t i = 1; i < values.size(); ++i) {
    EXPECT_LT(encode(values[i - 1]), encode(values[i]))
        << "at sorted index " << i;
  }
}

TEST(KeysTest, Uint64IsBigEndian) {
  EXPECT_EQ(Uint64Key(0x0102030405060708),
            std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(Uint64Key(0), std::string(8, '\0'));
  EXPECT_EQ(Uint64Key(std::numeric_limits<uint64_t>::max()),
            std::string(8, '\xFF'));
}

TEST(KeysTest, Int64FlipsSignBit) {
  EXPECT_EQ(Int64Key(0), std::string("\x80\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(Int64Key(-1), std::string("\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8));
  EXPECT_EQ(Int64Key(std::numeric_limits<int64_t>::min()),
            std::string(8, '\0'));
  EXPECT_EQ(Int64Key(std::numeric_limits<int64_t>::max()),
            std::string(8, '\xFF'));
}

TEST(KeysTest, Uint64OrderMatchesValueOrder) {
  std::vector<uint64_t> values = {0,
                                  1,
                                  255,
                                  256,
                                  65535,
                                  65536,
                                  0xFFFFFFFF,
                                  0x100000000,
                                  (uint64_t{1} << 63) - 1,
                                  uint64_t{1} << 63,
                                  std::numeric_limits<uint64_t>::max() - 1,
                                  std::numeric_limits<uint64_t>::max()};
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    values.push_back(rng());
    values.push_back(rng() >> (rng() % 64));  // Small values too.
  }
  ExpectOrderPreserved(values, Uint64Key);
}

TEST(KeysTest, Int64OrderMatchesValueOrder) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> values = {kMin,  kMin + 1, -65536, -256, -255,
                                 -1,    0,        1,      255,  256,
                                 65536, kMax - 1, kMax};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const int64_t v = static_cast<int64_t>(rng());
    values.push_back(v);
    values.push_back(v >> (rng() % 64));  // Small magnitudes, both signs.
  }
  ExpectOrderPreserved(values, Int64Key);
}

TEST(KeysTest, IntegersRoundTrip) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{0x0102030405060708},
                     std::numeric_limits<uint64_t>::max()}) {
    std::string key = Uint64Key(v);
    absl::string_view in = key;
    uint64_t out = 0;
    ASSERT_TRUE(keys::ConsumeUint64(&in, &out));
    EXPECT_EQ(out, v);
    EXPECT_TRUE(in.empty());
  }
  for (int64_t v :
       {std::numeric_limits<int64_t>::min(), int64_t{-1}, int64_t{0},
        int64_t{1}, std::numeric_limits<int64_t>::max()}) {
    std::string key = Int64Key(v);
    absl::string_view in = key;
    int64_t out = 0;
    ASSERT_TRUE(keys::ConsumeInt64(&in, &out));
    EXPECT_EQ(out, v);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeysTest, StringEscapesZeroAndTerminates) {
  EXPECT_EQ(StringKey(""), std::string("\x00\x01", 2));
  EXPECT_EQ(StringKey("ab"), std::string("ab\x00\x01", 4));
  EXPECT_EQ(StringKey(std::string("a\0b", 3)), std::string("a\x00\xFF"
                                                           "b\x00\x01",
                                                           6));
  EXPECT_EQ(StringKey("\xFF"), std::string("\xFF\x00\x01", 3));
}

std::vector<std::string> EdgeStrings() {
  using std::string_literals::operator""s;
  return {""s,      "\0"s,      "\0\0"s,      "\0\x01"s,  "\0\xFF"s,  "\x01"s,
          "a"s,     "a\0"s,     "a\0\0"s,     "a\0\x01"s, "a\0\xFF"s, "a\x01"s,
          "a\xFF"s, "a\xFF\0"s, "a\xFF\xFF"s, "ab"s,      "b"s,       "\xFE"s,
          "\xFF"s,  "\xFF\0"s,  "\xFF\x01"s,  "\xFF\xFF"s};
}

// Random strings over bytes that stress the escaping.
std::vector<std::string> RandomStrings(int n, uint64_t seed) {
  static constexpr char kAlphabet[] = {'\x00', '\x01', '\x02', 'a',
                                       '\x7F', '\x80', '\xFE', '\xFF'};
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string s(rng() % 7, '\0');
    for (char& c : s) c = kAlphabet[rng() % sizeof(kAlphabet)];
    out.push_back(std::move(s));
  }
  return out;
}

TEST(KeysTest, StringOrderMatchesValueOrder) {
  std::vector<std::string> values = EdgeStrings();
  for (std::string& s : RandomStrings(3000, 1)) values.push_back(std::move(s));
  ExpectOrderPreserved(values, StringKey);
}

TEST(KeysTest, StringsRoundTrip) {
  std::vector<std::string> values = EdgeStrings();
  for (std::string& s : RandomStrings(500, 2)) values.push_back(std::move(s));
  for (const std::string& v : values) {
    std::string key = StringKey(v);
    key.append("tail");
    absl::string_view in = key;
    std::string out = "junk";
    ASSERT_TRUE(keys::ConsumeString(&in, &out)) << testing::PrintToString(v);
    EXPECT_EQ(out, v);
    EXPECT_EQ(in, "tail");
  }
}

TEST(KeysTest, CompositeKeysSortAsTuples) {
  using Tuple = std::pair<std::string, uint64_t>;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  std::vector<Tuple> values;
  for (const std::string& s : EdgeStrings()) {
    for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{256}, kMax}) {
      values.emplace_back(s, n);
    }
  }
  std::mt19937_64 rng(3);
  for (std::string& s : RandomStrings(1000, 3)) {
    values.emplace_back(std::move(s), rng() % 4 == 0 ? kMax : rng() % 1000);
  }
  ExpectOrderPreserved(values, [](const Tuple& t) {
    std::string key;
    keys::AppendString(&key, t.first);
    keys::AppendUint64(&key, t.second);
    return key;
  });
}

TEST(KeysTest, StringSegmentsDoNotCollide) {
  // ("a", "b") < ("ab", ""), as the header promises.
  std::string a_b;
  keys::AppendString(&a_b, "a");
  keys::AppendString(&a_b, "b");
  std::string ab_empty;
  keys::AppendString(&ab_empty, "ab");
  keys::AppendString(&ab_empty, "");
  EXPECT_LT(a_b, ab_empty);
  // A segment's key is never a prefix of a longer segment's key.
  EXPECT_NE(StringKey("ab").rfind(StringKey("a"), 0), 0u);
  EXPECT_NE(StringKey(std::string("a\0", 2)).rfind(StringKey("a"), 0), 0u);
}

TEST(KeysTest, CompositeRoundTrip) {
  const std::string s1("k\0\xFF", 3);
  std::string key;
  keys::AppendString(&key, s1);
  keys::AppendUint64(&key, 42);
  keys::AppendInt64(&key, -7);
  keys::AppendString(&key, "");
  keys::AppendString(&key, "\xFF\xFF");

  absl::string_view in = key;
  std::string s;
  uint64_t u = 0;
  int64_t i = 0;
  ASSERT_TRUE(keys::ConsumeString(&in, &s));
  EXPECT_EQ(s, s1);
  ASSERT_TRUE(keys::ConsumeUint64(&in, &u));
  EXPECT_EQ(u, 42u);
  ASSERT_TRUE(keys::ConsumeInt64(&in, &i));
  EXPECT_EQ(i, -7);
  ASSERT_TRUE(keys::ConsumeString(&in, &s));
  EXPECT_EQ(s, "");
  ASSERT_TRUE(keys::ConsumeString(&in, &s));
  EXPECT_EQ(s, "\xFF\xFF");
  EXPECT_TRUE(in.empty());
  EXPECT_FALSE(keys::ConsumeUint64(&in, &u));
  EXPECT_FALSE(keys::ConsumeString(&in, &s));
}

TEST(KeysTest, ShortIntegersAreMalformed) {
  const std::string seven(7, '\x01');
  absl::string_view in = seven;
  uint64_t u = 99;
  int64_t i = 99;
  EXPECT_FALSE(keys::ConsumeUint64(&in, &u));
  EXPECT_FALSE(keys::ConsumeInt64(&in, &i));
  EXPECT_EQ(in, seven);  // Nothing consumed.
  EXPECT_EQ(u, 99u);
  EXPECT_EQ(i, 99);
  in = absl::string_view();
  EXPECT_FALSE(keys::ConsumeUint64(&in, &u));
}

TEST(KeysTest, MalformedStringsAreRejected) {
  const std::vector<std::string> malformed = {
      std::string(""),
      std::string("abc"),            // No terminator.
      std::string("ab\x00", 3),      // 0x00 cut off.
      std::string("ab\x00\x02", 4),  // 0x00 followed by neither 0x01 nor 0xFF.
      std::string("\x00\x00", 2),
      std::string("a\x00\xFF", 3),  // Escaped zero, then no terminator.
      std::string("\xFF\x01"),      // 0x01 without 0x00 is not a terminator.
  };
  for (const std::string& key : malformed) {
    SCOPED_TRACE(testing::PrintToString(key));
    absl::string_view in = key;
    std::string out = "unchanged";
    EXPECT_FALSE(keys::ConsumeString(&in, &out));
    EXPECT_EQ(in, key);
    EXPECT_EQ(out, "unchanged");
  }
}

TEST(KeysTest, PrefixSuccessor) {
  EXPECT_EQ(keys::PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(keys::PrefixSuccessor("a\xFE"), "a\xFF");
  EXPECT_EQ(keys::PrefixSuccessor("ab\xFF"), "ac");
  EXPECT_EQ(keys::PrefixSuccessor("a\xFF\xFF"), "b");
  EXPECT_EQ(keys::PrefixSuccessor(std::string("\x00", 1)), "\x01");
  EXPECT_EQ(keys::PrefixSuccessor(std::string("a\x00", 2)),
            std::string("a\x01", 2));
  EXPECT_EQ(keys::PrefixSuccessor("\xFF\xFF"), "");
  EXPECT_EQ(keys::PrefixSuccessor(""), "");
}

TEST(KeysTest, PrefixSuccessorBoundsEveryKeyWithThePrefix) {
  std::vector<std::string> strings = EdgeStrings();
  for (std::string& s : RandomStrings(200, 4)) strings.push_back(std::move(s));
  for (const std::string& prefix : strings) {
    const std::string next = keys::PrefixSuccessor(prefix);
    if (next.empty()) {
      // Only an all-0xFF (or empty) prefix has no successor.
      EXPECT_EQ(prefix.find_first_not_of('\xFF'), std::string::npos);
      continue;
    }
    EXPECT_GT(next, prefix);
    // Exactly the keys in [prefix, next) start with the prefix.
    std::vector<std::string> candidates = strings;
    for (const std::string& suffix : strings) {
      candidates.push_back(prefix + suffix);
      candidates.push_back(next + suffix);
    }
    candidates.push_back(next.substr(0, next.size() - 1));
    for (const std::string& key : candidates) {
      const bool has_prefix = key.rfind(prefix, 0) == 0;
      EXPECT_EQ(has_prefix, prefix <= key && key < next)
          << testing::PrintToString(prefix) << " "
          << testing::PrintToString(key);
    }
  }
}

}  // namespace
}  // namespace parley
