// Reports with a domain service down or slow: they still answer, within the
// caller's deadline, and name the section they could not fill and the
// service behind it. Only the parts a report cannot do without (the
// agreement of AgreementProgress, the round of TalksContext, the channels of
// StalledChannels) make it fail, with UNAVAILABLE.
#include "tests/gateway/fake_services.h"
#include "tests/gateway/gateway_fixture.h"
#include "tests/gateway/tcp_server.h"

namespace parley::gateway_test {
namespace {

using ::testing::Field;
using ::testing::Property;
using ::testing::StartsWith;

constexpr absl::Duration kShortDeadline = absl::Seconds(3);

// A MissingSection with this section and service, and a reason.
::testing::Matcher<const rp::MissingSection&> MissingIs(
    const std::string& section, const std::string& service) {
  return AllOf(
      Property(&rp::MissingSection::section, section),
      Property(&rp::MissingSection::service, service),
      Property(&rp::MissingSection::reason, ::testing::Not(IsEmpty())));
}

std::vector<std::string> Sections(
    const google::protobuf::RepeatedPtrField<rp::MissingSection>& missing) {
  std::vector<std::string> out;
  for (const auto& m : missing) out.push_back(m.section());
  return out;
}

// The seed week, with a second gateway whose channel to one service leads
// nowhere (connection refused).
class DeadUpstreamTest : public SeedWeekTest {
 protected:
  enum class Dead { kExchanges, kNegotiations, kIncidents };

  void UseGatewayWithDead(Dead dead) {
    reports_.reset();
    crippled_.reset();
    crippled_ = std::make_unique<GatewayServer>(
        dead == Dead::kExchanges ? DeadChannel() : exchanges_server_->channel(),
        dead == Dead::kNegotiations ? DeadChannel()
                                    : negotiations_server_->channel(),
        dead == Dead::kIncidents ? DeadChannel()
                                 : incidents_server_->channel());
    reports_ = rp::ReportService::NewStub(crippled_->channel());
  }

  void TearDown() override {
    reports_.reset();
    crippled_.reset();
  }

  template <typename Req, typename Resp>
  grpc::Status Report(grpc::Status (rp::ReportService::Stub::*method)(
                          grpc::ClientContext*, const Req&, Resp*),
                      const Req& request, Resp* response) {
    const absl::Time start = absl::Now();
    grpc::Status s =
        Call(*reports_, method, request, response, {.timeout = kShortDeadline});
    took_ = absl::Now() - start;
    return s;
  }

  std::unique_ptr<GatewayServer> crippled_;
  std::unique_ptr<rp::ReportService::Stub> reports_;
  absl::Duration took_;
};

TEST_F(DeadUpstreamTest, SummaryWithoutIncidents) {
  UseGatewayWithDead(Dead::kIncidents);
  rp::GetSummaryRequest r;
  r.set_span("2026-W05");
  rp::GetSummaryResponse out;
  const grpc::Status s = Report(&rp::ReportService::Stub::GetSummary, r, &out);
  ASSERT_TRUE(s.ok()) << StatusText(s);
  EXPECT_LT(took_, kShortDeadline);
  ASSERT_EQ(out.missing_size(), 1) << MissingText(out.missing());
  EXPECT_THAT(out.missing(0), MissingIs("incidents", kIncidentsService));
  EXPECT_THAT(out.missing(0).reason(), StartsWith("UNAVAILABLE"));
  // The other domains are all there.
  ASSERT_NE(FindFigure(out, "transferred: remains RU>UA"), nullptr);
  ExpectExact(FindFigure(out, "transferred: remains RU>UA")->value(), 1000);
  ASSERT_NE(FindFigure(out, "positions opened"), nullptr);
  EXPECT_EQ(FindFigure(out, "killed"), nullptr);
  EXPECT_EQ(FindFigure(out, "incidents: drone strike"), nullptr);
}

TEST_F(DeadUpstreamTest, SummaryWithoutNegotiationsOrExchanges) {
  UseGatewayWithDead(Dead::kNegotiations);
  rp::GetSummaryRequest r;
  r.set_span("2026-W05");
  rp::GetSummaryResponse out;
  ASSERT_TRUE(Report(&rp::ReportService::Stub::GetSummary, r, &out).ok());
  EXPECT_THAT(out.missing(),
              ElementsAre(MissingIs("negotiations", kNegotiationsService)));
  EXPECT_EQ(FindFigure(out, "rounds held"), nullptr);
  EXPECT_NE(FindFigure(out, "killed"), nullptr);

  UseGatewayWithDead(Dead::kExchanges);
  ASSERT_TRUE(Report(&rp::ReportService::Stub::GetSummary, r, &out).ok());
  EXPECT_THAT(out.missing(),
              ElementsAre(MissingIs("exchanges", kExchangesService)));
  EXPECT_EQ(FindFigure(out, "transferred: remains RU>UA"), nullptr);
  EXPECT_NE(FindFigure(out, "rounds held"), nullptr);
}

TEST_F(DeadUpstreamTest, TalksContextWithoutIncidents) {
  UseGatewayWithDead(Dead::kIncidents);
  rp::GetTalksContextRequest r;
  r.set_round(kUaeRound);
  r.set_as_of("2026-02-01");
  rp::GetTalksContextResponse out;
  const grpc::Status s =
      Report(&rp::ReportService::Stub::GetTalksContext, r, &out);
  ASSERT_TRUE(s.ok()) << StatusText(s);
  EXPECT_LT(took_, kShortDeadline);
  EXPECT_THAT(
      out.missing(),
      UnorderedElementsAre(MissingIs("before.incidents", kIncidentsService),
                           MissingIs("during.incidents", kIncidentsService),
                           MissingIs("after.incidents", kIncidentsService)));
  EXPECT_THAT(NamesOf(out.after().exchanges()), ElementsAre(kW05Exchange));
  EXPECT_THAT(NamesOf(out.after().statements()),
              UnorderedElementsAre(kRuAccuses, kUaAccuses));
  EXPECT_THAT(out.after().incidents(), IsEmpty());
  // Nothing was read, so nothing is known of the casualties: no window may
  // claim an exact count (an unset or unknown figure says so).
  for (const rp::Window* w : {&out.before(), &out.during(), &out.after()}) {
    EXPECT_NE(w->killed().qualifier(), Estimate::QUALIFIER_EXACT)
        << w->span().text() << " killed " << w->killed().ShortDebugString()
        << " while its incidents are missing";
    EXPECT_NE(w->injured().qualifier(), Estimate::QUALIFIER_EXACT)
        << w->span().text() << " injured " << w->injured().ShortDebugString()
        << " while its incidents are missing";
  }
}

TEST_F(DeadUpstreamTest, TalksContextWithoutTheRoundIsUnavailable) {
  UseGatewayWithDead(Dead::kNegotiations);
  rp::GetTalksContextRequest r;
  r.set_round(kUaeRound);
  rp::GetTalksContextResponse out;
  const grpc::Status s =
      Report(&rp::ReportService::Stub::GetTalksContext, r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << StatusText(s);
  EXPECT_LT(took_, kShortDeadline);
}

TEST_F(DeadUpstreamTest, StalledChannelsWithoutStatements) {
  UseGatewayWithDead(Dead::kNegotiations);
  rp::ListStalledChannelsRequest r;
  r.set_as_of("2026-02-01");
  rp::ListStalledChannelsResponse out;
  const grpc::Status s =
      Report(&rp::ReportService::Stub::ListStalledChannels, r, &out);
  ASSERT_TRUE(s.ok()) << StatusText(s);
  EXPECT_LT(took_, kShortDeadline);
  EXPECT_THAT(out.missing(),
              ElementsAre(MissingIs("statements", kNegotiationsService)));
  ASSERT_EQ(out.channels_size(), 1);
  EXPECT_EQ(out.channels(0).channel().metadata().name(), kPowChannel);
  EXPECT_EQ(out.channels(0).since().first_day(), "2025-10-01");
  EXPECT_THAT(out.channels(0).sides(), IsEmpty());
}

TEST_F(DeadUpstreamTest, ExchangesDownFailsWhatNeedsThem) {
  UseGatewayWithDead(Dead::kExchanges);
  rp::GetAgreementProgressRequest progress;
  progress.set_agreement(kIstanbul);
  rp::GetAgreementProgressResponse progress_out;
  const grpc::Status p = Report(&rp::ReportService::Stub::GetAgreementProgress,
                                progress, &progress_out);
  EXPECT_EQ(p.error_code(), grpc::StatusCode::UNAVAILABLE) << StatusText(p);
  EXPECT_LT(took_, kShortDeadline);

  rp::ListStalledChannelsRequest stalled;
  rp::ListStalledChannelsResponse stalled_out;
  const grpc::Status c = Report(&rp::ReportService::Stub::ListStalledChannels,
                                stalled, &stalled_out);
  EXPECT_EQ(c.error_code(), grpc::StatusCode::UNAVAILABLE) << StatusText(c);
  EXPECT_LT(took_, kShortDeadline);

  // The proxy answers for the dead service as gRPC would.
  ex::GetAgreementRequest get;
  get.set_name(kIstanbul);
  ex::Agreement unused;
  auto stub = ex::ExchangesService::NewStub(crippled_->channel());
  const grpc::Status proxied =
      Call(*stub, &ex::ExchangesService::Stub::GetAgreement, get, &unused,
           {.timeout = kShortDeadline});
  EXPECT_EQ(proxied.error_code(), grpc::StatusCode::UNAVAILABLE)
      << StatusText(proxied);
}

// The agreement can be read but its exchanges cannot (the list is slow):
// the report answers in time, says the exchanges are missing, and does not
// pass off what it could not read as a delivery of zero.
TEST(SlowExchangesTest, AgreementProgressWithoutItsExchanges) {
  FakeExchanges fake;
  fake.agreement = Istanbul();
  FakeServer upstream(&fake);
  GatewayServer gateway(upstream.channel(), DeadChannel(), DeadChannel());
  auto reports = rp::ReportService::NewStub(gateway.channel());

  const absl::Duration deadline = absl::Milliseconds(1500);
  rp::GetAgreementProgressRequest r;
  r.set_agreement(kIstanbul);
  r.set_as_of("2026-02-01");
  rp::GetAgreementProgressResponse out;
  const absl::Time start = absl::Now();
  const grpc::Status s =
      Call(*reports, &rp::ReportService::Stub::GetAgreementProgress, r, &out,
           {.timeout = deadline});
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(s.ok()) << StatusText(s) << " after " << took;
  EXPECT_LT(took, deadline);
  EXPECT_THAT(out.missing(),
              ElementsAre(MissingIs("exchanges", kExchangesService)));
  EXPECT_THAT(out.missing(0).reason(), StartsWith("DEADLINE_EXCEEDED"));
  EXPECT_EQ(out.agreement().metadata().name(), kIstanbul);
  ASSERT_EQ(out.terms_size(), 3);
  const rp::TermProgress& remains = out.terms(0);
  EXPECT_EQ(remains.category(), ex::CATEGORY_REMAINS);
  EXPECT_EQ(remains.verdict(), rp::VERDICT_UNDETERMINED);
  EXPECT_NE(remains.delivered().qualifier(), Estimate::QUALIFIER_EXACT)
      << "delivered " << remains.delivered().ShortDebugString()
      << " while the exchanges are missing";
}

// The incidents service stopped mid-test, under the gateway's feet. It is
// reached over TCP here: a stopped server's in-process channel cannot be
// used at all (see tcp_server.h).
TEST_F(SeedWeekTest, IncidentsStoppedMidTest) {
  TcpServer<::parley::incidents::Incidents,
            ::parley::incidents::IncidentsServiceImpl>
      incidents;
  GatewayServer gateway(exchanges_server_->channel(),
                        negotiations_server_->channel(), incidents.channel());
  Clients clients(gateway.channel());
  in::CreateIncidentRequest create;
  *create.mutable_incident() = TrainStrike();
  create.set_incident_id("kharkiv-train");
  in::Incident created;
  ASSERT_TRUE(Call(*clients.incidents,
                   &in::IncidentsService::Stub::CreateIncident, create,
                   &created)
                  .ok());

  rp::GetSummaryRequest r;
  r.set_span("2026-W05");
  rp::GetSummaryResponse before;
  ASSERT_TRUE(
      Call(*clients.reports, &rp::ReportService::Stub::GetSummary, r, &before)
          .ok());
  EXPECT_THAT(before.missing(), IsEmpty()) << MissingText(before.missing());
  ASSERT_NE(FindFigure(before, "killed"), nullptr);
  ExpectAtLeast(FindFigure(before, "killed")->value(), 5);

  incidents.Stop();

  rp::GetSummaryResponse after;
  const absl::Time start = absl::Now();
  const grpc::Status s =
      Call(*clients.reports, &rp::ReportService::Stub::GetSummary, r, &after,
           {.timeout = kShortDeadline});
  EXPECT_LT(absl::Now() - start, kShortDeadline);
  ASSERT_TRUE(s.ok()) << StatusText(s);
  EXPECT_THAT(after.missing(),
              ElementsAre(MissingIs("incidents", kIncidentsService)));
  EXPECT_EQ(FindFigure(after, "killed"), nullptr);
  ASSERT_NE(FindFigure(after, "transferred: remains UA>RU"), nullptr);
  ExpectExact(FindFigure(after, "transferred: remains UA>RU")->value(), 38);

  // TalksContext too: every window's incidents are missing, the rest is
  // there.
  rp::GetTalksContextRequest t;
  t.set_round(kUaeRound);
  t.set_as_of("2026-02-01");
  rp::GetTalksContextResponse talks;
  ASSERT_TRUE(Call(*clients.reports, &rp::ReportService::Stub::GetTalksContext,
                   t, &talks, {.timeout = kShortDeadline})
                  .ok());
  EXPECT_THAT(Sections(talks.missing()),
              UnorderedElementsAre("before.incidents", "during.incidents",
                                   "after.incidents"));
  EXPECT_THAT(NamesOf(talks.after().statements()),
              UnorderedElementsAre(kRuAccuses, kUaAccuses));

  // The proxy to it answers at once, too.
  in::GetIncidentRequest get;
  get.set_name(kTrain);
  in::Incident unused;
  const absl::Time proxied_start = absl::Now();
  const grpc::Status proxied =
      Call(*clients.incidents, &in::IncidentsService::Stub::GetIncident, get,
           &unused, {.timeout = kShortDeadline});
  EXPECT_EQ(proxied.error_code(), grpc::StatusCode::UNAVAILABLE)
      << StatusText(proxied);
  EXPECT_LT(absl::Now() - proxied_start, kShortDeadline);
}

// A service that does not answer at all: the report gives up on it in time
// to answer the caller before the caller's deadline.
TEST_F(SeedWeekTest, SlowIncidentsDoNotHoldTheReportPastTheDeadline) {
  SlowIncidents slow;
  FakeServer slow_server(&slow);
  GatewayServer gateway(exchanges_server_->channel(),
                        negotiations_server_->channel(), slow_server.channel());
  auto reports = rp::ReportService::NewStub(gateway.channel());

  const absl::Duration deadline = absl::Milliseconds(1500);
  rp::GetSummaryRequest r;
  r.set_span("2026-W05");
  rp::GetSummaryResponse out;
  const absl::Time start = absl::Now();
  const grpc::Status s = Call(*reports, &rp::ReportService::Stub::GetSummary, r,
                              &out, {.timeout = deadline});
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(s.ok()) << StatusText(s) << " after " << took;
  EXPECT_LT(took, deadline);
  EXPECT_THAT(out.missing(),
              ElementsAre(MissingIs("incidents", kIncidentsService)));
  EXPECT_THAT(out.missing(0).reason(), StartsWith("DEADLINE_EXCEEDED"));
  EXPECT_NE(FindFigure(out, "transferred: remains RU>UA"), nullptr);
  EXPECT_NE(FindFigure(out, "rounds held"), nullptr);
  // The incidents service was asked for its totals with a deadline no later
  // than ours (and, with none, not for the records behind them).
  const auto calls = slow.recorder.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "SummarizeIncidents");
  EXPECT_LE(calls[0].deadline, absl::ToChronoTime(start + deadline));

  // TalksContext likewise: three windows, all given up in time.
  rp::GetTalksContextRequest t;
  t.set_round(kUaeRound);
  t.set_as_of("2026-02-01");
  rp::GetTalksContextResponse talks;
  const absl::Time talks_start = absl::Now();
  const grpc::Status ts =
      Call(*reports, &rp::ReportService::Stub::GetTalksContext, t, &talks,
           {.timeout = deadline});
  const absl::Duration talks_took = absl::Now() - talks_start;
  ASSERT_TRUE(ts.ok()) << StatusText(ts) << " after " << talks_took;
  EXPECT_LT(talks_took, deadline);
  EXPECT_THAT(Sections(talks.missing()),
              UnorderedElementsAre("before.incidents", "during.incidents",
                                   "after.incidents"));
  EXPECT_THAT(NamesOf(talks.after().exchanges()), ElementsAre(kW05Exchange));
}

}  // namespace
}  // namespace parley::gateway_test
