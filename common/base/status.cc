#include "common/base/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace parley {
namespace {

constexpr absl::string_view kBadRequestUrl =
    "type.googleapis.com/google.rpc.BadRequest";

// An error travels back in HTTP/2 trailers (grpc-message, and the details
// base64-encoded in grpc-status-details-bin), which clients refuse past
// 8 KiB in all: however many fields are bad, both stay well inside.
constexpr size_t kMaxMessageBytes = 2048;
constexpr size_t kMaxListedBytes = 1500;      // the violations in the message
constexpr size_t kMaxDetailBytes = 3000;      // the BadRequest, serialized
constexpr size_t kMaxDescriptionBytes = 300;  // one field or description

// At most `max` bytes of `text`, not splitting a UTF-8 sequence.
absl::string_view Prefix(absl::string_view text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return text.substr(0, end);
}

std::string Clipped(absl::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  return absl::StrCat(Prefix(text, max), "... (", text.size(), " bytes)");
}

}  // namespace

void FieldViolations::Add(std::string field, std::string description) {
  violations_.emplace_back(std::move(field), std::move(description));
}

absl::Status FieldViolations::ToStatus(absl::string_view summary) const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::string listed;
  size_t detail_bytes = 0, unlisted = 0, omitted = 0;
  for (const auto& [field, description] : violations_) {
    const std::string f = Clipped(field, kMaxDescriptionBytes);
    const std::string d = Clipped(description, kMaxDescriptionBytes);
    // Each violation's bytes and (at most) 8 of keys and lengths.
    detail_bytes += f.size() + d.size() + 8;
    if (detail_bytes <= kMaxDetailBytes) {
      auto* v = bad_request.add_field_violations();
      v->set_field(f);
      v->set_description(d);
    } else {
      ++omitted;
    }
    const std::string part = absl::StrCat(f, ": ", d);
    if (listed.empty() || listed.size() + part.size() <= kMaxListedBytes) {
      absl::StrAppend(&listed, listed.empty() ? "" : "; ", part);
    } else {
      ++unlisted;
    }
  }
  if (unlisted > 0) {
    absl::StrAppend(&listed, "; and ", unlisted, " more");
    if (omitted > 0) {
      absl::StrAppend(&listed, " (", bad_request.field_violations_size(),
                      " of ", violations_.size(), " in the details)");
    }
  }
  absl::Status status =
      absl::InvalidArgumentError(absl::StrCat(summary, ": ", listed));
  status.SetPayload(kBadRequestUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidField(absl::string_view field,
                          absl::string_view description) {
  FieldViolations v;
  v.Add(std::string(field), std::string(description));
  return v.ToStatus();
}

bool GetBadRequest(const absl::Status& status, google::rpc::BadRequest* out) {
  auto payload = status.GetPayload(kBadRequestUrl);
  return payload.has_value() && out->ParseFromString(std::string(*payload));
}

void SetBadRequest(const google::rpc::BadRequest& bad_request,
                   absl::Status* status) {
  status->SetPayload(kBadRequestUrl,
                     absl::Cord(bad_request.SerializeAsString()));
}

std::string ClipText(absl::string_view text, size_t max) {
  return Clipped(text, max);
}

}  // namespace parley
