#include "common/api/grpc_status.h"

#include "common/base/status.h"
#include "google/rpc/status.pb.h"

namespace parley {
namespace {

// An error travels back in HTTP/2 trailers (grpc-message, and the details
// base64-encoded in grpc-status-details-bin), which clients refuse past
// 8 KiB in all; FieldViolations keeps a BadRequest well inside that.
constexpr size_t kMaxMessageBytes = 2048;

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  // Messages may quote what the caller sent (an etag, a name).
  const std::string message = ClipText(status.message(), kMaxMessageBytes);
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
        SetBadRequest(bad_request, &result);
      }
    }
  }
  return result;
}

}  // namespace parley
