// absl::Status helpers every layer uses: the RETURN_IF_ERROR family that
// Abseil 20220623 lacks, and field violations that become a
// google.rpc.BadRequest (mapped to the wire by common/api/grpc_status.h).
#ifndef PARLEY_COMMON_BASE_STATUS_H_
#define PARLEY_COMMON_BASE_STATUS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

#define PARLEY_STATUS_CONCAT_INNER_(a, b) a##b
#define PARLEY_STATUS_CONCAT_(a, b) PARLEY_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status parley_status_ = (expr);          \
    if (!parley_status_.ok()) return parley_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, StatusOrExpr());`
#define ASSIGN_OR_RETURN(lhs, expr)                                          \
  PARLEY_ASSIGN_OR_RETURN_IMPL_(PARLEY_STATUS_CONCAT_(parley_or_, __LINE__), \
                                lhs, expr)
#define PARLEY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(tmp).value()

namespace parley {

// Collects every bad field of a request, so one reply tells the user all
// there is to fix.
class FieldViolations {
 public:
  // `field` is a path in the request: "exchange.transfers[0].count.low".
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  // OK if empty; otherwise INVALID_ARGUMENT carrying a google.rpc.BadRequest,
  // its message "<summary>: field: description; ...".
  absl::Status ToStatus(absl::string_view summary = "invalid request") const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT with a BadRequest naming one field.
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

// The BadRequest carried by a status, if any.
bool GetBadRequest(const absl::Status& status, google::rpc::BadRequest* out);

// Attaches `bad_request` to `status` (replacing any), as FieldViolations
// does: for statuses read back from the wire.
void SetBadRequest(const google::rpc::BadRequest& bad_request,
                   absl::Status* status);

// At most `max` bytes of `text` (not splitting a UTF-8 sequence), saying how
// long it was if cut.
std::string ClipText(absl::string_view text, size_t max);

}  // namespace parley

#endif  // PARLEY_COMMON_BASE_STATUS_H_
