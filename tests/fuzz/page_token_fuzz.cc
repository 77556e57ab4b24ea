// Page tokens (common/paging): a List request's page_token comes straight
// from the client. Input: byte 0 chooses a check, the rest is its data.
//
// Properties: decoding never fails other than as INVALID_ARGUMENT naming
// page_token; a token decoded is one of the query's own and encodes back to
// a token that decodes to the same; a token for another query is refused;
// a request's fingerprint ignores its paging fields and survives a round
// trip through the wire.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/paging.h"
#include "common/base/status.h"
#include "google/protobuf/util/message_differencer.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"
#include "tests/fuzz/fuzz_input.h"

namespace parley::fuzz {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::parley::api::v1::PageToken;

constexpr uint64_t kQuery = 0x5eed5eed5eed5eedull;

void CheckRefusal(const absl::Status& status) {
  PARLEY_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument,
                    status.ToString());
  google::rpc::BadRequest bad;
  PARLEY_FUZZ_CHECK(GetBadRequest(status, &bad) &&
                        bad.field_violations_size() == 1 &&
                        bad.field_violations(0).field() == "page_token",
                    status.ToString());
}

// A token as a client sent it.
void CheckDecode(const std::string& text) {
  absl::StatusOr<PageToken> token = DecodePageToken(text, kQuery);
  if (!token.ok()) {
    CheckRefusal(token.status());
    return;
  }
  PARLEY_FUZZ_CHECK(token->query_fingerprint() == kQuery, text);
  absl::StatusOr<PageToken> again =
      DecodePageToken(EncodePageToken(*token), kQuery);
  PARLEY_FUZZ_CHECK(again.ok() && MessageDifferencer::Equals(*again, *token),
                    text);
}

// A token forged from any PageToken bytes, with the query's fingerprint (it
// is public: FNV-1a of the request).
void CheckForged(const std::string& bytes) {
  PageToken token;
  if (!token.ParseFromString(bytes)) return;
  token.set_query_fingerprint(kQuery);
  const std::string text = EncodePageToken(token);
  absl::StatusOr<PageToken> decoded = DecodePageToken(text, kQuery);
  if (text.size() > 4096) {
    // Longer than any token we issue: refused without decoding.
    PARLEY_FUZZ_CHECK(!decoded.ok(), text);
    CheckRefusal(decoded.status());
    return;
  }
  PARLEY_FUZZ_CHECK(decoded.ok(), decoded.status().ToString());
  PARLEY_FUZZ_CHECK(MessageDifferencer::Equals(*decoded, token),
                    token.ShortDebugString());
  absl::StatusOr<PageToken> other = DecodePageToken(text, kQuery + 1);
  PARLEY_FUZZ_CHECK(!other.ok(), text);
  CheckRefusal(other.status());
}

void CheckFingerprint(const std::string& bytes) {
  exchanges::v1::ListExchangesRequest request;
  if (!request.ParseFromString(bytes)) return;
  const uint64_t fingerprint = QueryFingerprint(request);
  exchanges::v1::ListExchangesRequest paged = request;
  paged.set_page_size(request.page_size() == 1 ? 2 : 1);
  paged.set_page_token(absl::StrCat(request.page_token(), "x"));
  PARLEY_FUZZ_CHECK(QueryFingerprint(paged) == fingerprint,
                    request.ShortDebugString());
  exchanges::v1::ListExchangesRequest reparsed;
  PARLEY_FUZZ_CHECK(reparsed.ParseFromString(request.SerializeAsString()),
                    request.ShortDebugString());
  PARLEY_FUZZ_CHECK(QueryFingerprint(reparsed) == fingerprint,
                    request.ShortDebugString());
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  FuzzInput input(data, size);
  const uint8_t check = input.TakeByte();
  const std::string rest(input.Rest());
  switch (check % 3) {
    case 0:
      CheckDecode(rest);
      break;
    case 1:
      CheckForged(rest);
      break;
    case 2:
      CheckFingerprint(rest);
      break;
  }
  return 0;
}
