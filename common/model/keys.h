// Order-preserving key encodings: the byte order of encoded keys is the
// order of the values, so a range of values is one RocksDB range scan.
#ifndef PARLEY_COMMON_MODEL_KEYS_H_
#define PARLEY_COMMON_MODEL_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace parley::keys {

// Appends a big-endian uint64 (8 bytes).
void AppendUint64(std::string* key, uint64_t value);
// Appends an int64 so that negative values sort before positive (sign bit
// flipped, big-endian).
void AppendInt64(std::string* key, int64_t value);
// Appends a string segment that sorts as the string does and is
// self-delimiting, so that ("a", "b") < ("ab", "") holds and no segment is a
// prefix-collision of another: 0x00 is escaped as 0x00 0xFF and the segment
// ends with 0x00 0x01.
void AppendString(std::string* key, absl::string_view value);

// Readers consume from the front of `*in`; false if malformed.
bool ConsumeUint64(absl::string_view* in, uint64_t* value);
bool ConsumeInt64(absl::string_view* in, int64_t* value);
bool ConsumeString(absl::string_view* in, std::string* value);

// The smallest key greater than every key that starts with `prefix`; empty
// if there is none (prefix all 0xFF).
std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace parley::keys

#endif  // PARLEY_COMMON_MODEL_KEYS_H_
