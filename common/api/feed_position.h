// Opaque change-feed positions (ListChanges' and WatchChanges' `after` and
// `position`): web-safe base64 of a FeedPosition naming the service, so a
// position from another service is refused rather than misread.
#ifndef PARLEY_COMMON_API_FEED_POSITION_H_
#define PARLEY_COMMON_API_FEED_POSITION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parley {

std::string EncodeFeedPosition(absl::string_view service, uint64_t sequence);

// The sequence a position holds; "" is 0 (before the first change).
// INVALID_ARGUMENT naming `field` if it is malformed or another service's.
absl::StatusOr<uint64_t> DecodeFeedPosition(absl::string_view text,
                                            absl::string_view service,
                                            absl::string_view field);

}  // namespace parley

#endif  // PARLEY_COMMON_API_FEED_POSITION_H_
