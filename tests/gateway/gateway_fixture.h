// Shared by the gateway tests: the three domain services in-process on their
// own temporary RocksDB stores, and the gateway itself as a real grpc::Server
// built in-process over channels to them. Clients talk to the gateway through
// its in-process channel with the generated stubs of all four services, so
// every call goes client stub -> gRPC -> gateway (proxy or reports) -> gRPC
// -> domain service -> store and back.
//
// The data is the week of `seed-article.txt`, loaded THROUGH THE GATEWAY:
// the Istanbul agreement of 2025 (12,000 bodies; wounded prisoners and those
// under 25, no figure), the repatriations of 2026-W05 (1,000 returned, 38
// received) and 2025-11 (1,000 and 30), the prisoner-exchange channel RU-UA
// stalled since October 2025 with each side blaming the other, the
// trilateral round in the UAE (2026-W04), Russia's demand for the 25% of
// Donetsk region, the drone strike on a passenger train in Kharkiv region
// (2026-01-27, at least five killed) and the strikes on energy infrastructure
// (2025-11/2026-01, power and heating outages).
#ifndef PARLEY_TESTS_GATEWAY_GATEWAY_FIXTURE_H_
#define PARLEY_TESTS_GATEWAY_GATEWAY_FIXTURE_H_

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/service.h"
#include "services/gateway/gateway.h"
#include "services/gateway/upstreams.h"
#include "services/incidents/domain.h"
#include "services/incidents/service.h"
#include "services/negotiations/domain.h"
#include "services/negotiations/service.h"
#include "tests/gateway/seed_week.h"
#include "tests/lib/in_process_server.h"

namespace parley::gateway_test {

// ex, ng, in (the domain contracts), Estimate, Party and Source come with
// seed_week.h.
namespace rp = ::parley::reports::v1;

using ::google::protobuf::Timestamp;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;

// The matchers the gateway tests share.
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using ExStub = ex::ExchangesService::Stub;
using NgStub = ng::NegotiationsService::Stub;
using InStub = in::IncidentsService::Stub;

using ExchangesServer = ::parley::testing::InProcessServer<
    ::parley::exchanges::Exchanges, ::parley::exchanges::ExchangesServiceImpl>;
using NegotiationsServer = ::parley::testing::InProcessServer<
    ::parley::negotiations::Negotiations,
    ::parley::negotiations::NegotiationsServiceImpl>;
using IncidentsServer = ::parley::testing::InProcessServer<
    ::parley::incidents::Incidents, ::parley::incidents::IncidentsServiceImpl>;

// ---------------------------------------------------------------------------
// Time and assertion helpers.

inline Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// A moment strictly between two server writes: the clock read after the
// first has returned, with a margin on both sides.
inline Timestamp MomentBetween() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const Timestamp t = ToTimestamp(absl::Now());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return t;
}

inline ::testing::AssertionResult ProtoEq(const google::protobuf::Message& a,
                                          const google::protobuf::Message& b) {
  std::string diff;
  MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  if (d.Compare(a, b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "protos differ:\n" << diff;
}

// The google.rpc.BadRequest a status carries in its error details, decoded
// from the wire form (grpc-status-details-bin: a google.rpc.Status whose
// details hold the BadRequest); false if there is none.
inline bool DecodeBadRequest(const grpc::Status& status,
                             google::rpc::BadRequest* out) {
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return false;
  }
  for (const auto& any : details.details()) {
    if (any.UnpackTo(out)) return true;
  }
  return false;
}

// "field: description" for every violation, in reply order.
inline std::vector<std::string> Violations(const grpc::Status& status) {
  google::rpc::BadRequest bad;
  std::vector<std::string> out;
  if (!DecodeBadRequest(status, &bad)) return out;
  for (const auto& v : bad.field_violations())
    out.push_back(absl::StrCat(v.field(), ": ", v.description()));
  return out;
}

inline std::vector<std::string> ViolationFields(const grpc::Status& status) {
  google::rpc::BadRequest bad;
  std::vector<std::string> out;
  if (!DecodeBadRequest(status, &bad)) return out;
  for (const auto& v : bad.field_violations()) out.push_back(v.field());
  return out;
}

// low == best == high == n, QUALIFIER_EXACT.
inline void ExpectExact(const Estimate& e, int64_t n,
                        const std::string& what = "") {
  SCOPED_TRACE(what);
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_EXACT) << e.ShortDebugString();
  EXPECT_TRUE(e.has_low() && e.has_best() && e.has_high())
      << e.ShortDebugString();
  EXPECT_EQ(e.low(), n);
  EXPECT_EQ(e.best(), n);
  EXPECT_EQ(e.high(), n);
}

// low == n, no best, no high (unbounded), QUALIFIER_AT_LEAST.
inline void ExpectAtLeast(const Estimate& e, int64_t n,
                          const std::string& what = "") {
  SCOPED_TRACE(what);
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_AT_LEAST)
      << e.ShortDebugString();
  EXPECT_TRUE(e.has_low()) << e.ShortDebugString();
  EXPECT_EQ(e.low(), n);
  EXPECT_FALSE(e.has_best()) << e.ShortDebugString();
  EXPECT_FALSE(e.has_high()) << e.ShortDebugString();
}

// No figure at all: QUALIFIER_UNKNOWN, no low, best or high.
inline void ExpectUnknown(const Estimate& e, const std::string& what = "") {
  SCOPED_TRACE(what);
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_UNKNOWN) << e.ShortDebugString();
  EXPECT_FALSE(e.has_low() || e.has_best() || e.has_high())
      << e.ShortDebugString();
}

template <typename Records>
std::vector<std::string> NamesOf(const Records& records) {
  std::vector<std::string> names;
  for (const auto& r : records) names.push_back(r.metadata().name());
  return names;
}

inline std::string MissingText(
    const google::protobuf::RepeatedPtrField<rp::MissingSection>& missing) {
  std::vector<std::string> parts;
  for (const auto& m : missing)
    parts.push_back(
        absl::StrCat(m.section(), " (", m.service(), "): ", m.reason()));
  return absl::StrJoin(parts, "; ");
}

// The figure of a summary with this label; null if there is none.
inline const rp::Figure* FindFigure(const rp::GetSummaryResponse& summary,
                                    const std::string& label) {
  for (const auto& f : summary.figures()) {
    if (f.label() == label) return &f;
  }
  return nullptr;
}

inline std::vector<std::string> FigureLabels(
    const rp::GetSummaryResponse& summary) {
  std::vector<std::string> labels;
  for (const auto& f : summary.figures()) labels.push_back(f.label());
  return labels;
}

// ---------------------------------------------------------------------------
// Who may call the test gateway: each caller's bearer token is
// TokenFor(name), listed by hash as the tokens file would.

inline constexpr char kDefaultCaller[] = "desk-editor";
inline constexpr char kReaderCaller[] = "desk-reader";
inline constexpr char kAdminCaller[] = "desk-admin";

inline std::string TokenFor(absl::string_view caller) {
  return absl::StrCat("token-", caller);
}

inline std::shared_ptr<const ::parley::Admission> TestAdmission() {
  std::string table = "# the test gateway's tokens\n";
  const std::pair<const char*, const char*> principals[] = {
      {kDefaultCaller, "editor"}, {"seed-loader", "editor"},
      {"analyst-7", "editor"},    {"editor-2", "editor"},
      {kReaderCaller, "reader"},  {kAdminCaller, "admin"}};
  for (const auto& [name, role] : principals) {
    absl::StrAppend(&table, ::parley::Sha256Hex(TokenFor(name)), " ", role, " ",
                    name, "\n");
  }
  auto tokens = ::parley::TokenTable::Parse(table);
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  return std::make_shared<::parley::TokenAdmission>(*std::move(tokens));
}

// The gateway as a real grpc::Server, in-process.

class GatewayServer {
 public:
  GatewayServer(std::shared_ptr<grpc::Channel> exchanges,
                std::shared_ptr<grpc::Channel> negotiations,
                std::shared_ptr<grpc::Channel> incidents,
                absl::Duration default_deadline = absl::Seconds(5),
                std::string service_credential = "") {
    gateway_ = std::make_unique<::parley::gateway::Gateway>(
        std::make_unique<::parley::gateway::Upstreams>(
            std::move(exchanges), std::move(negotiations), std::move(incidents),
            default_deadline, std::move(service_credential)),
        4, TestAdmission());
    grpc::ServerBuilder builder;
    for (grpc::Service* service : gateway_->services())
      builder.RegisterService(service);
    server_ = builder.BuildAndStart();
  }
  ~GatewayServer() {
    gateway_->Stopping();
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(5));
    server_->Wait();
    gateway_->Stop();
    server_.reset();
    gateway_.reset();
  }
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  std::shared_ptr<grpc::Channel> channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }

 private:
  std::unique_ptr<::parley::gateway::Gateway> gateway_;
  std::unique_ptr<grpc::Server> server_;
};

// Stubs of the four services over one or several channels.
struct Clients {
  Clients() = default;
  // Everything through one endpoint (the gateway).
  explicit Clients(const std::shared_ptr<grpc::Channel>& channel)
      : Clients(channel, channel, channel, channel) {}
  Clients(const std::shared_ptr<grpc::Channel>& exchanges_channel,
          const std::shared_ptr<grpc::Channel>& negotiations_channel,
          const std::shared_ptr<grpc::Channel>& incidents_channel,
          const std::shared_ptr<grpc::Channel>& reports_channel)
      : exchanges(ex::ExchangesService::NewStub(exchanges_channel)),
        negotiations(ng::NegotiationsService::NewStub(negotiations_channel)),
        incidents(in::IncidentsService::NewStub(incidents_channel)),
        reports(reports_channel == nullptr
                    ? nullptr
                    : rp::ReportService::NewStub(reports_channel)) {}

  std::unique_ptr<ex::ExchangesService::Stub> exchanges;
  std::unique_ptr<ng::NegotiationsService::Stub> negotiations;
  std::unique_ptr<in::IncidentsService::Stub> incidents;
  std::unique_ptr<rp::ReportService::Stub> reports;
};

// How one call is made: as whom, and with what deadline.
struct CallOptions {
  // Calls as this principal: its bearer token (for the gateway) and
  // "x-parley-caller" (for a domain service called directly); none if empty.
  std::string caller = kDefaultCaller;
  absl::Duration timeout = absl::Seconds(30);
};

// Adds `caller`'s bearer token to a hand-made context.
inline void Authorize(grpc::ClientContext* context,
                      absl::string_view caller = kDefaultCaller) {
  context->AddMetadata("authorization",
                       absl::StrCat("Bearer ", TokenFor(caller)));
}

// One unary call on `stub`.
template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               Resp*),
                  const Req& request, Resp* response,
                  const CallOptions& options = {}) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  if (!options.caller.empty()) {
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", TokenFor(options.caller)));
    context.AddMetadata("x-parley-caller", options.caller);
  }
  return (stub.*method)(&context, request, response);
}

// ---------------------------------------------------------------------------
// The fixture: three services on fresh stores and the gateway over them.

class GatewayTest : public ::testing::Test {
 protected:
  // With a `service_credential`, the services demand it and the gateway
  // presents it, as deployed.
  explicit GatewayTest(const std::string& service_credential = "")
      : exchanges_server_(
            std::make_unique<ExchangesServer>(service_credential)),
        negotiations_server_(
            std::make_unique<NegotiationsServer>(service_credential)),
        incidents_server_(
            std::make_unique<IncidentsServer>(service_credential)) {
    gateway_ = std::make_unique<GatewayServer>(
        exchanges_server_->channel(), negotiations_server_->channel(),
        incidents_server_->channel(), absl::Seconds(5), service_credential);
    gw_ = Clients(gateway_->channel());
    direct_ =
        Clients(exchanges_server_->channel(), negotiations_server_->channel(),
                incidents_server_->channel(), nullptr);
  }

  ~GatewayTest() override {
    gw_ = Clients();
    direct_ = Clients();
    gateway_.reset();
    incidents_server_.reset();
    negotiations_server_.reset();
    exchanges_server_.reset();
  }

  // Creates through the gateway as kSeedCaller; a refusal fails the test.
  template <typename Stub, typename Req, typename Resp>
  Resp MustCall(Stub& stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                             Resp*),
                const Req& request) {
    Resp response;
    const grpc::Status s =
        Call(stub, method, request, &response, {.caller = kSeedCaller});
    EXPECT_TRUE(s.ok()) << request.ShortDebugString() << ": " << s.error_code()
                        << " " << s.error_message();
    return response;
  }

  ex::Agreement CreateAgreement(const ex::Agreement& a, const std::string& id) {
    ex::CreateAgreementRequest r;
    *r.mutable_agreement() = a;
    r.set_agreement_id(id);
    return MustCall(*gw_.exchanges,
                    &ex::ExchangesService::Stub::CreateAgreement, r);
  }
  ex::Exchange CreateExchange(const ex::Exchange& e, const std::string& id) {
    ex::CreateExchangeRequest r;
    *r.mutable_exchange() = e;
    r.set_exchange_id(id);
    return MustCall(*gw_.exchanges, &ex::ExchangesService::Stub::CreateExchange,
                    r);
  }
  ex::Channel CreateChannel(const ex::Channel& c, const std::string& id) {
    ex::CreateChannelRequest r;
    *r.mutable_channel() = c;
    r.set_channel_id(id);
    return MustCall(*gw_.exchanges, &ex::ExchangesService::Stub::CreateChannel,
                    r);
  }
  ex::ChannelStatus CreateChannelStatus(const ex::ChannelStatus& s,
                                        const std::string& id) {
    ex::CreateChannelStatusRequest r;
    *r.mutable_channel_status() = s;
    r.set_channel_status_id(id);
    return MustCall(*gw_.exchanges,
                    &ex::ExchangesService::Stub::CreateChannelStatus, r);
  }
  ng::Round CreateRound(const ng::Round& round, const std::string& id) {
    ng::CreateRoundRequest r;
    *r.mutable_round() = round;
    r.set_round_id(id);
    return MustCall(*gw_.negotiations,
                    &ng::NegotiationsService::Stub::CreateRound, r);
  }
  ng::Position CreatePosition(const ng::Position& p, const std::string& id) {
    ng::CreatePositionRequest r;
    *r.mutable_position() = p;
    r.set_position_id(id);
    return MustCall(*gw_.negotiations,
                    &ng::NegotiationsService::Stub::CreatePosition, r);
  }
  ng::Statement CreateStatement(const ng::Statement& s, const std::string& id) {
    ng::CreateStatementRequest r;
    *r.mutable_statement() = s;
    r.set_statement_id(id);
    return MustCall(*gw_.negotiations,
                    &ng::NegotiationsService::Stub::CreateStatement, r);
  }
  in::Incident CreateIncident(const in::Incident& i, const std::string& id) {
    in::CreateIncidentRequest r;
    *r.mutable_incident() = i;
    r.set_incident_id(id);
    return MustCall(*gw_.incidents, &in::IncidentsService::Stub::CreateIncident,
                    r);
  }

  // The seed week, through the gateway. The W05 repatriation is recorded
  // first, the November one second; `before_second_exchange_` is a moment
  // between the two, `after_seed_` one after everything.
  void LoadSeedWeek() {
    CreateAgreement(Istanbul(), "istanbul-2025");
    CreateExchange(Repatriation("2026-W05", 1000, 38), "remains-2026-w05");
    before_second_exchange_ = MomentBetween();
    CreateExchange(Repatriation("2025-11", 1000, 30), "remains-2025-11");
    CreateChannel(PowChannel(), "pow-ru-ua");
    CreateChannelStatus(StalledSinceOctober(), "pow-stalled-w05");
    CreateRound(UaeRound(), "uae-2026-01");
    CreatePosition(DonetskDemand(), "ru-donetsk");
    CreateStatement(MedinskyAccusation(), "ru-accuses-ua");
    CreateStatement(UkrainianAccusation(), "ua-accuses-ru");
    CreateIncident(TrainStrike(), "kharkiv-train");
    CreateIncident(EnergyCampaign(), "energy-campaign");
    after_seed_ = MomentBetween();
  }

  // Reports through the gateway.
  grpc::Status Progress(const rp::GetAgreementProgressRequest& r,
                        rp::GetAgreementProgressResponse* out,
                        absl::Duration timeout = absl::Seconds(30)) {
    return Call(*gw_.reports, &rp::ReportService::Stub::GetAgreementProgress, r,
                out, {.timeout = timeout});
  }
  grpc::Status Stalled(const rp::ListStalledChannelsRequest& r,
                       rp::ListStalledChannelsResponse* out,
                       absl::Duration timeout = absl::Seconds(30)) {
    return Call(*gw_.reports, &rp::ReportService::Stub::ListStalledChannels, r,
                out, {.timeout = timeout});
  }
  grpc::Status Talks(const rp::GetTalksContextRequest& r,
                     rp::GetTalksContextResponse* out,
                     absl::Duration timeout = absl::Seconds(30)) {
    return Call(*gw_.reports, &rp::ReportService::Stub::GetTalksContext, r, out,
                {.timeout = timeout});
  }
  grpc::Status Summary(const rp::GetSummaryRequest& r,
                       rp::GetSummaryResponse* out,
                       absl::Duration timeout = absl::Seconds(30)) {
    return Call(*gw_.reports, &rp::ReportService::Stub::GetSummary, r, out,
                {.timeout = timeout});
  }

  std::unique_ptr<ExchangesServer> exchanges_server_;
  std::unique_ptr<NegotiationsServer> negotiations_server_;
  std::unique_ptr<IncidentsServer> incidents_server_;
  std::unique_ptr<GatewayServer> gateway_;
  Clients gw_;      // through the gateway
  Clients direct_;  // straight to each service (no reports)
  Timestamp before_second_exchange_;
  Timestamp after_seed_;
};

// The fixture with the seed week loaded.
class SeedWeekTest : public GatewayTest {
 protected:
  void SetUp() override { LoadSeedWeek(); }
};

inline std::string StatusText(const grpc::Status& s) {
  return absl::StrCat(s.error_code(), " ", s.error_message());
}

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_GATEWAY_FIXTURE_H_
