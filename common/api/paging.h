// Opaque page tokens (AIP-158): web-safe base64 of a PageToken that names
// the query it belongs to, so a token from another query is refused.
#ifndef PARLEY_COMMON_API_PAGING_H_
#define PARLEY_COMMON_API_PAGING_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "parley/api/v1/page_token.pb.h"

namespace parley {

std::string EncodePageToken(const ::parley::api::v1::PageToken& token);

// INVALID_ARGUMENT naming `page_token` if malformed or if it belongs to a
// query with another fingerprint.
absl::StatusOr<::parley::api::v1::PageToken> DecodePageToken(
    const std::string& text, uint64_t query_fingerprint);

// Fingerprint of a List request's filters: the request with its
// `page_size` and `page_token` fields cleared, serialized deterministically.
uint64_t QueryFingerprint(const google::protobuf::Message& request);

}  // namespace parley

#endif  // PARLEY_COMMON_API_PAGING_H_
