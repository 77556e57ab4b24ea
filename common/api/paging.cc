#include "common/api/paging.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/fingerprint.h"
#include "common/base/status.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace parley {

std::string EncodePageToken(const ::parley::api::v1::PageToken& token) {
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

absl::StatusOr<::parley::api::v1::PageToken> DecodePageToken(
    const std::string& text, uint64_t query_fingerprint) {
  std::string bytes;
  ::parley::api::v1::PageToken token;
  if (text.size() > 4096 || !absl::WebSafeBase64Unescape(text, &bytes) ||
      !token.ParseFromString(bytes)) {
    return InvalidField("page_token",
                        "not a page token this service issued; pass the "
                        "next_page_token of a previous response");
  }
  if (token.query_fingerprint() != query_fingerprint) {
    return InvalidField("page_token",
                        "belongs to a query with other filters; repeat the "
                        "original filters or start without a token");
  }
  return token;
}

uint64_t QueryFingerprint(const google::protobuf::Message& request) {
  const auto* descriptor = request.GetDescriptor();
  const auto* reflection = request.GetReflection();
  // A copy without the paging fields, only if any is set (a batch's creates
  // have none, and a copy of each would cost as much as the rest).
  std::unique_ptr<google::protobuf::Message> copy;
  for (const char* name : {"page_size", "page_token"}) {
    const auto* field = descriptor->FindFieldByName(name);
    if (field == nullptr || !reflection->HasField(request, field)) continue;
    if (copy == nullptr) {
      copy.reset(request.New());
      copy->CopyFrom(request);
    }
    reflection->ClearField(copy.get(), field);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    (copy != nullptr ? *copy : request).SerializeToCodedStream(&coded);
  }
  return Fingerprint64(absl::StrCat(descriptor->full_name(), "\n", bytes));
}

}  // namespace parley
