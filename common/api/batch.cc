#include "common/api/batch.h"

#include "absl/strings/str_cat.h"
#include "common/base/status.h"

namespace parley {

absl::Status CheckBatchSize(int size) {
  if (size < 1 || size > kMaxBatchRequests) {
    return InvalidField("requests",
                        absl::StrCat("1 to ", kMaxBatchRequests,
                                     " requests per call, not ", size));
  }
  return absl::OkStatus();
}

std::string BatchPath(int index) {
  return absl::StrCat("requests[", index, "]");
}

void SetBatchError(const absl::Status& status, common::v1::BatchError* out) {
  out->set_code(absl::StatusCodeToString(status.code()));
  out->set_message(std::string(status.message()));
  google::rpc::BadRequest bad;
  if (!GetBadRequest(status, &bad)) return;
  for (const auto& v : bad.field_violations()) {
    auto* violation = out->add_field_violations();
    violation->set_field(v.field());
    violation->set_description(v.description());
  }
}

}  // namespace parley
