// What every batch method (AIP-233, AIP-234) does alike: how many requests
// a call may hold, and how a refused request's error is reported beside the
// others' results.
#ifndef PARLEY_COMMON_API_BATCH_H_
#define PARLEY_COMMON_API_BATCH_H_

#include <string>

#include "absl/status/status.h"
#include "parley/common/v1/batch.pb.h"

namespace parley {

// Most requests in one batch call.
inline constexpr int kMaxBatchRequests = 1000;

// INVALID_ARGUMENT naming `requests` for none or more than
// kMaxBatchRequests.
absl::Status CheckBatchSize(int size);

// "requests[3]": where request `index` of a batch is, for field paths.
std::string BatchPath(int index);

// `status` as a batch result reports it: its code's name, its message and
// its BadRequest's fields.
void SetBatchError(const absl::Status& status, common::v1::BatchError* out);

}  // namespace parley

#endif  // PARLEY_COMMON_API_BATCH_H_
