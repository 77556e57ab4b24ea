// The one mapping between absl::Status and the wire (grpc::Status), with
// any google.rpc.BadRequest carried as google.rpc.Status details
// (grpc-status-details-bin) for grpcurl and clients to show.
#ifndef PARLEY_COMMON_API_GRPC_STATUS_H_
#define PARLEY_COMMON_API_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace parley {

// The one mapping to the wire: same code and message, and any BadRequest as
// google.rpc.Status details (grpc-status-details-bin) for grpcurl to show.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients of our services (gateway, tests).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace parley

#endif  // PARLEY_COMMON_API_GRPC_STATUS_H_
