#include "common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/status.pb.h"

namespace parley {
namespace {

constexpr absl::string_view kBadRequestUrl =
    "type.googleapis.com/google.rpc.BadRequest";

}  // namespace

void FieldViolations::Add(std::string field, std::string description) {
  violations_.emplace_back(std::move(field), std::move(description));
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const auto& [field, description] : violations_) {
    auto* v = bad_request.add_field_violations();
    v->set_field(field);
    v->set_description(description);
    parts.push_back(absl::StrCat(field, ": ", description));
  }
  absl::Status status = absl::InvalidArgumentError(
      absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")));
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

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  google::rpc::BadRequest bad_request;
  if (!GetBadRequest(status, &bad_request)) return grpc::Status(code, message);
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad_request;
      if (any.UnpackTo(&bad_request)) {
        result.SetPayload(kBadRequestUrl,
                          absl::Cord(bad_request.SerializeAsString()));
      }
    }
  }
  return result;
}

}  // namespace parley
