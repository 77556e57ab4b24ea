// Change-feed positions (common/api/feed_position.h): the opaque `after`
// a client sends back to ListChanges and WatchChanges. Input: the first
// line is decoded as a position of service "exchanges"; the rest as 8
// bytes of a sequence and a service name (letters, up to 64).
//
// Properties: decoding never crashes and an error is INVALID_ARGUMENT
// naming the field; a position decoded is re-encoded to a
// position that decodes to the same sequence; every encoded position
// decodes back for its own service only, and "" is sequence 0.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/feed_position.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using parley::DecodeFeedPosition;
  using parley::EncodeFeedPosition;
  parley::fuzz::FuzzInput in(data, size);
  const absl::string_view text = in.TakeLine();
  const absl::StatusOr<uint64_t> decoded =
      DecodeFeedPosition(text, "exchanges", "after");
  if (!decoded.ok()) {
    PARLEY_FUZZ_CHECK(
        decoded.status().code() == absl::StatusCode::kInvalidArgument,
        decoded.status().ToString());
    PARLEY_FUZZ_CHECK(absl::StrContains(decoded.status().message(), "after"),
                      decoded.status().ToString());
  } else {
    if (text.empty()) PARLEY_FUZZ_CHECK(*decoded == 0, text);
    const std::string again = EncodeFeedPosition("exchanges", *decoded);
    const absl::StatusOr<uint64_t> round =
        DecodeFeedPosition(again, "exchanges", "after");
    PARLEY_FUZZ_CHECK(round.ok() && *round == *decoded, again);
  }

  uint64_t sequence = 0;
  for (int i = 0; i < 8; ++i) sequence = sequence << 8 | in.TakeByte();
  // A service name as services have them: lower-case letters.
  std::string service;
  for (char c : in.Rest().substr(0, 64)) {
    service.push_back(static_cast<char>('a' + static_cast<uint8_t>(c) % 26));
  }
  if (service.empty()) service = "incidents";
  const std::string position = EncodeFeedPosition(service, sequence);
  const absl::StatusOr<uint64_t> back =
      DecodeFeedPosition(position, service, "after");
  PARLEY_FUZZ_CHECK(back.ok() && *back == sequence,
                    absl::StrCat(service, " ", sequence, " -> ", position));
  const std::string other = service == "exchanges" ? "incidents" : "exchanges";
  PARLEY_FUZZ_CHECK(!DecodeFeedPosition(position, other, "after").ok(),
                    absl::StrCat(position, " decoded for ", other));
  return 0;
}
