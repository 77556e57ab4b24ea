#include "tests/faults/faults_requests.h"

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/incidents_records.h"
#include "tests/lib/negotiations_records.h"

namespace parley::faults {
namespace {

namespace ex = ::parley::exchanges::v1;
namespace ng = ::parley::negotiations::v1;
namespace in = ::parley::incidents::v1;
namespace rp = ::parley::reports::v1;

// Created records fall on the days of 2025, one after the other, so that
// the summary of 2026-W05 (the seed week) stays the same size however many
// are made.
std::string Day(uint64_t n) {
  const absl::CivilDay day = absl::CivilDay(2025, 1, 1) + (n % 365);
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

void Authorize(grpc::ClientContext* context, const std::string& token,
               std::chrono::milliseconds deadline) {
  context->set_deadline(std::chrono::system_clock::now() + deadline);
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

}  // namespace

const char* StreamName(StreamKind kind) {
  switch (kind) {
    case StreamKind::kExchanges:
      return "exchanges";
    case StreamKind::kNegotiations:
      return "negotiations";
    case StreamKind::kIncidents:
      return "incidents";
    case StreamKind::kSummary:
      return "summary";
    case StreamKind::kListIncidents:
      return "list_incidents";
  }
  return "?";
}

std::optional<StreamKind> ParseStream(const std::string& name) {
  for (StreamKind kind : {StreamKind::kExchanges, StreamKind::kNegotiations,
                          StreamKind::kIncidents, StreamKind::kSummary,
                          StreamKind::kListIncidents}) {
    if (name == StreamName(kind)) return kind;
  }
  return std::nullopt;
}

bool Creates(StreamKind kind) {
  return kind == StreamKind::kExchanges || kind == StreamKind::kNegotiations ||
         kind == StreamKind::kIncidents;
}

struct Caller::Stubs {
  std::unique_ptr<ex::ExchangesService::Stub> exchanges;
  std::unique_ptr<ng::NegotiationsService::Stub> negotiations;
  std::unique_ptr<in::IncidentsService::Stub> incidents;
  std::unique_ptr<rp::ReportService::Stub> reports;
};

Caller::Caller(StreamKind kind, std::shared_ptr<grpc::Channel> channel,
               std::string token, std::string id_prefix)
    : kind_(kind),
      token_(std::move(token)),
      id_prefix_(std::move(id_prefix)),
      stubs_(std::make_unique<Stubs>()) {
  stubs_->exchanges = ex::ExchangesService::NewStub(channel);
  stubs_->negotiations = ng::NegotiationsService::NewStub(channel);
  stubs_->incidents = in::IncidentsService::NewStub(channel);
  stubs_->reports = rp::ReportService::NewStub(channel);
}

Caller::~Caller() = default;

Outcome Caller::Call(uint64_t n, std::chrono::milliseconds deadline) {
  grpc::ClientContext context;
  Authorize(&context, token_, deadline);
  Outcome out;
  const std::string id = absl::StrCat(id_prefix_, "-", n);
  switch (kind_) {
    case StreamKind::kExchanges: {
      ex::CreateExchangeRequest r;
      *r.mutable_exchange() =
          ::parley::testing::Repatriation(Day(n), 1 + n % 50, n % 7, "");
      r.set_exchange_id(id);
      r.set_request_id(id);
      ex::Exchange created;
      out.name = absl::StrCat("exchanges/", id);
      out.status = stubs_->exchanges->CreateExchange(&context, r, &created);
      break;
    }
    case StreamKind::kNegotiations: {
      ng::CreateStatementRequest r;
      *r.mutable_statement() = ::parley::testing::MedinskyAccusation();
      r.mutable_statement()->set_made(Day(n));
      r.set_statement_id(id);
      r.set_request_id(id);
      ng::Statement created;
      out.name = absl::StrCat("statements/", id);
      out.status = stubs_->negotiations->CreateStatement(&context, r, &created);
      break;
    }
    case StreamKind::kIncidents: {
      in::CreateIncidentRequest r;
      *r.mutable_incident() = ::parley::testing::TrainStrike();
      r.mutable_incident()->set_occurred(Day(n));
      r.set_incident_id(id);
      r.set_request_id(id);
      in::Incident created;
      out.name = absl::StrCat("incidents/", id);
      out.status = stubs_->incidents->CreateIncident(&context, r, &created);
      break;
    }
    case StreamKind::kSummary: {
      rp::GetSummaryRequest r;
      r.set_span("2026-W05");
      r.set_as_of("2026-02-01");
      rp::GetSummaryResponse summary;
      out.status = stubs_->reports->GetSummary(&context, r, &summary);
      for (const auto& m : summary.missing())
        out.missing_services.push_back(m.service());
      break;
    }
    case StreamKind::kListIncidents: {
      in::ListIncidentsRequest r;
      r.set_page_size(5);
      in::ListIncidentsResponse listed;
      out.status = stubs_->incidents->ListIncidents(&context, r, &listed);
      break;
    }
  }
  return out;
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC's codes are Abseil's, names and numbers.
  const std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat("CODE_", static_cast<int>(code)) : name;
}

grpc::Status ReadBack(const std::shared_ptr<grpc::Channel>& channel,
                      const std::string& token, const std::string& name) {
  grpc::ClientContext context;
  Authorize(&context, token, std::chrono::seconds(10));
  if (absl::StartsWith(name, "exchanges/")) {
    ex::GetExchangeRequest r;
    r.set_name(name);
    ex::Exchange got;
    return ex::ExchangesService::NewStub(channel)->GetExchange(&context, r,
                                                               &got);
  }
  if (absl::StartsWith(name, "statements/")) {
    ng::GetStatementRequest r;
    r.set_name(name);
    ng::Statement got;
    return ng::NegotiationsService::NewStub(channel)->GetStatement(&context, r,
                                                                   &got);
  }
  in::GetIncidentRequest r;
  r.set_name(name);
  in::Incident got;
  return in::IncidentsService::NewStub(channel)->GetIncident(&context, r, &got);
}

}  // namespace parley::faults
