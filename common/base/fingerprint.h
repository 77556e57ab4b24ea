#ifndef PARLEY_COMMON_BASE_FINGERPRINT_H_
#define PARLEY_COMMON_BASE_FINGERPRINT_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace parley {

// FNV-1a, 64 bit: stable across processes and releases (unlike absl::Hash),
// so it may be persisted in idempotency entries and page tokens.
inline uint64_t Fingerprint64(absl::string_view data) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace parley

#endif  // PARLEY_COMMON_BASE_FINGERPRINT_H_
