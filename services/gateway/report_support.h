// What every report shares: its two times resolved, calls to the domain
// services bounded by the report's deadline, paging through Lists, and the
// sections that could not be filled.
#ifndef PARLEY_SERVICES_GATEWAY_REPORT_SUPPORT_H_
#define PARLEY_SERVICES_GATEWAY_REPORT_SUPPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/model/date_span.h"
#include "common/model/estimate.h"
#include "common/server/server.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "parley/reports/v1/reports_service.pb.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

// Most records a report reads from one List, so one report cannot pull a
// whole store through the gateway.
inline constexpr size_t kMaxListedRecords = 20000;

struct ReportContext {
  absl::CivilDay as_of;
  // Unset: now (current state, the fast paths).
  std::optional<google::protobuf::Timestamp> known_at;
  // When every upstream call must have answered: a little before the
  // caller's deadline, so a partial report still reaches the caller.
  absl::Time deadline;
  // On whose behalf the upstream calls are made, and the gateway's
  // credential to the domain services.
  std::string actor;
  std::string service_credential;
};

// Resolves `as_of` (a DateSpan string; its last day; default today, UTC)
// and `known_at` (default now). Violations name the fields.
absl::StatusOr<ReportContext> ResolveContext(
    const std::string& as_of, bool has_known_at,
    const google::protobuf::Timestamp& known_at, const Caller& caller,
    const Upstreams& upstreams);

void FillTimes(const ReportContext& context, reports::v1::ReportTimes* out);

// Records a section that could not be filled.
void AddMissing(
    const std::string& section, const std::string& service,
    const grpc::Status& status,
    google::protobuf::RepeatedPtrField<reports::v1::MissingSection>* out);

// A client context for one upstream call of a report.
std::unique_ptr<grpc::ClientContext> UpstreamContext(
    const ReportContext& context);

// Sets a request's read_time to the report's known_at, if any.
template <typename Request>
void SetKnownAt(const ReportContext& context, Request* request) {
  if (context.known_at.has_value())
    *request->mutable_read_time() = *context.known_at;
}

// Follows a List's pages into `out`. `call(ClientContext*, const Request&,
// Response*)` makes one call; `items(Response&)` is its repeated field.
template <typename Request, typename Response, typename Item, typename Call,
          typename Items>
grpc::Status ListAll(const ReportContext& context, Request request, Call call,
                     Items items, std::vector<Item>* out) {
  SetKnownAt(context, &request);
  request.set_page_size(500);
  do {
    Response response;
    auto client = UpstreamContext(context);
    grpc::Status status = call(client.get(), request, &response);
    if (!status.ok()) return status;
    for (auto& item : *items(response)) out->push_back(std::move(item));
    if (out->size() >= kMaxListedRecords) {
      return grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          "more records than one report reads; narrow the span");
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

// An unknown figure: what a missing Estimate stands for in totals.
Estimate UnknownEstimate();

// An exact count.
Estimate ExactCount(int64_t n);

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_REPORT_SUPPORT_H_
