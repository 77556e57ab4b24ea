#include "common/api/feed_position.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/status.h"
#include "parley/api/v1/page_token.pb.h"

namespace parley {

std::string EncodeFeedPosition(absl::string_view service, uint64_t sequence) {
  ::parley::api::v1::FeedPosition position;
  position.set_service(std::string(service));
  position.set_sequence(sequence);
  return absl::WebSafeBase64Escape(position.SerializeAsString());
}

absl::StatusOr<uint64_t> DecodeFeedPosition(absl::string_view text,
                                            absl::string_view service,
                                            absl::string_view field) {
  if (text.empty()) return 0;
  std::string bytes;
  ::parley::api::v1::FeedPosition position;
  if (text.size() > 256 || !absl::WebSafeBase64Unescape(text, &bytes) ||
      !position.ParseFromString(bytes)) {
    return InvalidField(field,
                        "not a change-feed position; pass the `position` of "
                        "an earlier change or response, or nothing to start "
                        "from the first change");
  }
  if (position.service() != service) {
    return InvalidField(
        field, absl::StrCat("a position in the ", position.service(),
                            " service's feed, not the ", service, " one's"));
  }
  return position.sequence();
}

}  // namespace parley
