#include "services/gateway/report_support.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/validation.h"
#include "common/base/status.h"
#include "common/model/date_span.h"
#include "common/model/party.h"

namespace parley::gateway {
namespace {

// Time kept back from the caller's deadline to compose and send the report.
constexpr absl::Duration kReplyMargin = absl::Milliseconds(50);

}  // namespace

absl::StatusOr<ReportContext> ResolveContext(
    const std::string& as_of, bool has_known_at,
    const google::protobuf::Timestamp& known_at, const Caller& caller,
    const Upstreams& upstreams) {
  const absl::Duration default_deadline = upstreams.default_deadline();
  FieldViolations v;
  ReportContext context;
  context.as_of = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  if (auto span = CheckDateSpan(as_of, "as_of", false, &v))
    context.as_of = span->last();
  if (has_known_at) {
    if (known_at.seconds() < 0 || known_at.nanos() < 0 ||
        known_at.nanos() > 999999999) {
      v.Add("known_at", "not a valid timestamp");
    }
    context.known_at = known_at;
  }
  RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = absl::Now();
  context.deadline =
      std::min(caller.deadline, now + default_deadline) - kReplyMargin;
  if (context.deadline <= now) context.deadline = caller.deadline;
  context.actor = caller.actor;
  context.service_credential = upstreams.service_credential();
  return context;
}

void FillTimes(const ReportContext& context, reports::v1::ReportTimes* out) {
  out->set_as_of(FormatDay(context.as_of));
  if (context.known_at.has_value()) {
    *out->mutable_known_at() = *context.known_at;
  } else {
    const int64_t micros = absl::ToUnixMicros(absl::Now());
    out->mutable_known_at()->set_seconds(micros / 1000000);
    out->mutable_known_at()->set_nanos(static_cast<int32_t>(micros % 1000000) *
                                       1000);
  }
}

void AddMissing(
    const std::string& section, const std::string& service,
    const grpc::Status& status,
    google::protobuf::RepeatedPtrField<reports::v1::MissingSection>* out) {
  auto* missing = out->Add();
  missing->set_section(section);
  missing->set_service(service);
  missing->set_reason(
      absl::StrCat(absl::StatusCodeToString(
                       static_cast<absl::StatusCode>(status.error_code())),
                   ": ", status.error_message()));
}

std::unique_ptr<grpc::ClientContext> UpstreamContext(
    const ReportContext& context) {
  auto client = std::make_unique<grpc::ClientContext>();
  client->set_deadline(absl::ToChronoTime(context.deadline));
  StampUpstreamCall(context.service_credential, context.actor, client.get());
  return client;
}

Estimate UnknownEstimate() {
  Estimate e;
  e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  return e;
}

Estimate ExactCount(int64_t n) {
  Estimate e;
  e.set_low(n);
  e.set_best(n);
  e.set_high(n);
  e.set_qualifier(Estimate::QUALIFIER_EXACT);
  return e;
}

}  // namespace parley::gateway
