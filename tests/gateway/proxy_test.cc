// The transparent proxy: domain calls made through the gateway answer
// exactly as the services do directly, status details, metadata and
// deadlines included; what the gateway does not serve is UNIMPLEMENTED.

#include "tests/gateway/fake_services.h"
#include "tests/gateway/gateway_fixture.h"
#include "tests/lib/raw_call.h"

namespace parley::gateway_test {
namespace {

using ::testing::ElementsAreArray;

std::chrono::system_clock::time_point TenSecondsFromNow() {
  return std::chrono::system_clock::now() + std::chrono::seconds(10);
}

// A unary call of any method as raw bytes.
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method, const std::string& bytes,
                     std::string* reply = nullptr) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Authorize(&context);
  context.set_deadline(TenSecondsFromNow());
  return ::parley::testing::CallBytes(stub, &context, method, bytes, reply);
}

// The gateway over a FakeExchanges (the other two services unreachable), and
// a stub of the exchanges service through it.
struct FakeExchangesBehindGateway {
  explicit FakeExchangesBehindGateway(
      absl::Duration default_deadline = absl::Seconds(5))
      : upstream(&fake),
        gateway(upstream.channel(), DeadChannel(), DeadChannel(),
                default_deadline),
        stub(ex::ExchangesService::NewStub(gateway.channel())) {}

  FakeExchanges fake;
  FakeServer upstream;
  GatewayServer gateway;
  std::unique_ptr<ExStub> stub;
};

// ---------------------------------------------------------------------------
// Round trips.

TEST_F(SeedWeekTest, GetThroughGatewayEqualsDirect) {
  ex::GetAgreementRequest get;
  get.set_name(kIstanbul);
  ex::Agreement via, direct;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::GetAgreement, get, &via).ok());
  ASSERT_TRUE(
      Call(*direct_.exchanges, &ExStub::GetAgreement, get, &direct).ok());
  EXPECT_TRUE(ProtoEq(via, direct));
  EXPECT_EQ(via.terms_size(), 3);

  ng::GetRoundRequest round;
  round.set_name(kUaeRound);
  ng::Round via_round, direct_round;
  ASSERT_TRUE(
      Call(*gw_.negotiations, &NgStub::GetRound, round, &via_round).ok());
  ASSERT_TRUE(
      Call(*direct_.negotiations, &NgStub::GetRound, round, &direct_round)
          .ok());
  EXPECT_TRUE(ProtoEq(via_round, direct_round));

  in::GetIncidentRequest incident;
  incident.set_name(kTrain);
  in::Incident via_incident, direct_incident;
  ASSERT_TRUE(
      Call(*gw_.incidents, &InStub::GetIncident, incident, &via_incident).ok());
  ASSERT_TRUE(
      Call(*direct_.incidents, &InStub::GetIncident, incident, &direct_incident)
          .ok());
  EXPECT_TRUE(ProtoEq(via_incident, direct_incident));
}

TEST_F(GatewayTest, CreateThroughGatewayIsStoredAsReturned) {
  const ex::Agreement created = CreateAgreement(Istanbul(), "istanbul-2025");
  EXPECT_EQ(created.metadata().name(), kIstanbul);
  EXPECT_EQ(created.metadata().revision(), 1);
  ExpectExact(created.terms(0).quota(), 12000, "normalised by the service");
  ex::GetAgreementRequest get;
  get.set_name(kIstanbul);
  ex::Agreement stored;
  ASSERT_TRUE(
      Call(*direct_.exchanges, &ExStub::GetAgreement, get, &stored).ok());
  EXPECT_TRUE(ProtoEq(created, stored));

  const in::Incident train = CreateIncident(TrainStrike(), "kharkiv-train");
  in::GetIncidentRequest get_incident;
  get_incident.set_name(kTrain);
  in::Incident stored_incident;
  ASSERT_TRUE(Call(*direct_.incidents, &InStub::GetIncident, get_incident,
                   &stored_incident)
                  .ok());
  EXPECT_TRUE(ProtoEq(train, stored_incident));
}

TEST_F(SeedWeekTest, ListPagesThroughGatewayEqualDirect) {
  // Page by page, the tokens the service issues travel through unchanged.
  ex::ListExchangesRequest list;
  list.set_page_size(1);
  list.set_agreement(kIstanbul);
  std::vector<std::string> via_names;
  for (int page = 0; page < 10; ++page) {
    ex::ListExchangesResponse via, direct;
    ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::ListExchanges, list, &via).ok());
    ASSERT_TRUE(
        Call(*direct_.exchanges, &ExStub::ListExchanges, list, &direct).ok());
    EXPECT_TRUE(ProtoEq(via, direct)) << "page " << page;
    for (const auto& e : via.exchanges())
      via_names.push_back(e.metadata().name());
    if (via.next_page_token().empty()) break;
    list.set_page_token(via.next_page_token());
  }
  EXPECT_THAT(via_names, UnorderedElementsAre(kW05Exchange, kNovExchange));

  ng::ListStatementsRequest statements;
  statements.set_about(kPowChannel);
  ng::ListStatementsResponse via_statements, direct_statements;
  ASSERT_TRUE(Call(*gw_.negotiations, &NgStub::ListStatements, statements,
                   &via_statements)
                  .ok());
  ASSERT_TRUE(Call(*direct_.negotiations, &NgStub::ListStatements, statements,
                   &direct_statements)
                  .ok());
  EXPECT_TRUE(ProtoEq(via_statements, direct_statements));
  EXPECT_THAT(NamesOf(via_statements.statements()),
              UnorderedElementsAre(kRuAccuses, kUaAccuses));

  in::SummarizeIncidentsRequest summarize;
  summarize.set_span("2026-W05");
  in::SummarizeIncidentsResponse via_sum, direct_sum;
  ASSERT_TRUE(
      Call(*gw_.incidents, &InStub::SummarizeIncidents, summarize, &via_sum)
          .ok());
  ASSERT_TRUE(Call(*direct_.incidents, &InStub::SummarizeIncidents, summarize,
                   &direct_sum)
                  .ok());
  EXPECT_TRUE(ProtoEq(via_sum, direct_sum));
  EXPECT_EQ(via_sum.incidents(), 1);
}

TEST_F(SeedWeekTest, ReadTimeTravelsThroughTheProxy) {
  // The November exchange did not exist at before_second_exchange_.
  ex::ListExchangesRequest list;
  *list.mutable_read_time() = before_second_exchange_;
  ex::ListExchangesResponse via, direct;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::ListExchanges, list, &via).ok());
  ASSERT_TRUE(
      Call(*direct_.exchanges, &ExStub::ListExchanges, list, &direct).ok());
  EXPECT_TRUE(ProtoEq(via, direct));
  EXPECT_THAT(NamesOf(via.exchanges()), ElementsAre(kW05Exchange));
}

TEST_F(SeedWeekTest, RawBytesAreForwardedUnparsed) {
  // The same bytes, through the gateway and directly, give the same bytes.
  ex::GetAgreementRequest get;
  get.set_name(kIstanbul);
  std::string via, direct;
  ASSERT_TRUE(CallRaw(gateway_->channel(),
                      "/parley.exchanges.v1.ExchangesService/GetAgreement",
                      get.SerializeAsString(), &via)
                  .ok());
  ASSERT_TRUE(CallRaw(exchanges_server_->channel(),
                      "/parley.exchanges.v1.ExchangesService/GetAgreement",
                      get.SerializeAsString(), &direct)
                  .ok());
  EXPECT_EQ(via, direct);
  ex::Agreement parsed;
  ASSERT_TRUE(parsed.ParseFromString(via));
  EXPECT_EQ(parsed.metadata().name(), kIstanbul);

  // Bytes that are no request at all: refused at the gateway as bad input
  // naming the message expected, never forwarded.
  const std::string garbage = "\xff\xff\xff\xff";
  const grpc::Status via_bad =
      CallRaw(gateway_->channel(),
              "/parley.exchanges.v1.ExchangesService/CreateAgreement", garbage);
  EXPECT_EQ(via_bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(via_bad);
  EXPECT_THAT(
      via_bad.error_message(),
      ::testing::HasSubstr("parley.exchanges.v1.CreateAgreementRequest"));
  ex::ListAgreementsRequest list;
  ex::ListAgreementsResponse listed;
  ASSERT_TRUE(
      Call(*direct_.exchanges, &ExStub::ListAgreements, list, &listed).ok());
  EXPECT_EQ(listed.agreements_size(), 1);  // the seed week's only
}

// ---------------------------------------------------------------------------
// Errors pass through with their details.

TEST_F(SeedWeekTest, BadRequestThroughGatewayCarriesTheSameViolations) {
  ex::CreateExchangeRequest bad;
  ex::Exchange* e = bad.mutable_exchange();
  e->set_kind(ex::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e->set_occurred("2026-W60");
  e->set_agreement("agreements/no-such-agreement");
  ex::Transfer* t = e->add_transfers();
  *t->mutable_from_party() = Country("RU");
  *t->mutable_to_party() = Country("XX");
  t->set_category(ex::CATEGORY_REMAINS);
  t->mutable_count()->set_low(5);
  t->mutable_count()->set_high(3);
  t->mutable_count()->set_qualifier(Estimate::QUALIFIER_ABOUT);

  ex::Exchange unused;
  const grpc::Status via =
      Call(*gw_.exchanges, &ExStub::CreateExchange, bad, &unused);
  const grpc::Status direct =
      Call(*direct_.exchanges, &ExStub::CreateExchange, bad, &unused);
  ASSERT_EQ(via.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(via);
  EXPECT_EQ(direct.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(via.error_message(), direct.error_message());
  // Decoded from grpc-status-details-bin: a google.rpc.Status holding a
  // google.rpc.BadRequest.
  const std::vector<std::string> fields = ViolationFields(via);
  EXPECT_THAT(fields, Not(IsEmpty()));
  EXPECT_THAT(fields, ::testing::Contains("exchange.occurred"));
  EXPECT_THAT(fields, ::testing::Contains("exchange.sources"));
  EXPECT_THAT(Violations(via), ElementsAreArray(Violations(direct)));
  EXPECT_EQ(via.error_details(), direct.error_details());

  // Nothing was stored by either.
  ex::ListExchangesRequest list;
  ex::ListExchangesResponse listed;
  ASSERT_TRUE(
      Call(*direct_.exchanges, &ExStub::ListExchanges, list, &listed).ok());
  EXPECT_EQ(listed.exchanges_size(), 2);

  // The same for the other two services.
  ng::CreateStatementRequest no_speaker;
  no_speaker.mutable_statement()->set_made("2026-W05");
  ng::Statement unused_statement;
  const grpc::Status ng_via = Call(*gw_.negotiations, &NgStub::CreateStatement,
                                   no_speaker, &unused_statement);
  const grpc::Status ng_direct =
      Call(*direct_.negotiations, &NgStub::CreateStatement, no_speaker,
           &unused_statement);
  EXPECT_EQ(ng_via.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(ng_via),
              ::testing::Contains("statement.speaker"));
  EXPECT_THAT(Violations(ng_via), ElementsAreArray(Violations(ng_direct)));

  in::SummarizeIncidentsRequest no_span;
  in::SummarizeIncidentsResponse unused_summary;
  const grpc::Status in_via = Call(*gw_.incidents, &InStub::SummarizeIncidents,
                                   no_span, &unused_summary);
  EXPECT_EQ(in_via.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(in_via), ElementsAre("span"));
}

TEST_F(SeedWeekTest, NotFoundPassesThrough) {
  ex::GetAgreementRequest get;
  get.set_name("agreements/minsk-2015");
  ex::Agreement unused;
  const grpc::Status via =
      Call(*gw_.exchanges, &ExStub::GetAgreement, get, &unused);
  const grpc::Status direct =
      Call(*direct_.exchanges, &ExStub::GetAgreement, get, &unused);
  EXPECT_EQ(via.error_code(), grpc::StatusCode::NOT_FOUND) << StatusText(via);
  EXPECT_EQ(via.error_message(), direct.error_message());

  ng::GetRoundRequest round;
  round.set_name("rounds/never-held");
  ng::Round unused_round;
  EXPECT_EQ(Call(*gw_.negotiations, &NgStub::GetRound, round, &unused_round)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  in::DeleteIncidentRequest del;
  del.set_name("incidents/never-happened");
  google::protobuf::Empty empty;
  EXPECT_EQ(
      Call(*gw_.incidents, &InStub::DeleteIncident, del, &empty).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(SeedWeekTest, StaleEtagIsAbortedThroughGateway) {
  ex::GetExchangeRequest get;
  get.set_name(kW05Exchange);
  ex::Exchange current;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::GetExchange, get, &current).ok());
  ex::UpdateExchangeRequest update;
  *update.mutable_exchange() = current;
  update.mutable_exchange()->set_description("corrected");
  update.mutable_update_mask()->add_paths("description");
  ex::Exchange updated;
  ASSERT_TRUE(
      Call(*gw_.exchanges, &ExStub::UpdateExchange, update, &updated).ok());
  EXPECT_EQ(updated.metadata().revision(), 2);
  // The same etag again is stale now.
  const grpc::Status stale =
      Call(*gw_.exchanges, &ExStub::UpdateExchange, update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED) << StatusText(stale);
}

TEST_F(GatewayTest, RetriedCreateThroughGatewayStoresOnce) {
  CreateAgreement(Istanbul(), "istanbul-2025");
  ex::CreateExchangeRequest create;
  *create.mutable_exchange() = Repatriation("2026-W05", 1000, 38);
  create.set_request_id("kyiv-independent-2026-01-30");
  ex::Exchange first, second;
  ASSERT_TRUE(
      Call(*gw_.exchanges, &ExStub::CreateExchange, create, &first).ok());
  ASSERT_TRUE(
      Call(*gw_.exchanges, &ExStub::CreateExchange, create, &second).ok());
  EXPECT_TRUE(ProtoEq(first, second));
  ex::ListExchangesRequest list;
  ex::ListExchangesResponse listed;
  ASSERT_TRUE(
      Call(*direct_.exchanges, &ExStub::ListExchanges, list, &listed).ok());
  EXPECT_EQ(listed.exchanges_size(), 1);
}

// ---------------------------------------------------------------------------
// Metadata.

TEST_F(GatewayTest, TheTokensOwnerIsTheCreatorAndUpdater) {
  ex::CreateAgreementRequest create;
  *create.mutable_agreement() = Istanbul();
  create.set_agreement_id("istanbul-2025");
  ex::Agreement created;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::CreateAgreement, create, &created,
                   {.caller = "analyst-7"})
                  .ok());
  EXPECT_EQ(created.metadata().creator(), "analyst-7");
  EXPECT_EQ(created.metadata().updater(), "analyst-7");

  ex::UpdateAgreementRequest update;
  *update.mutable_agreement() = created;
  update.mutable_agreement()->set_description("as corrected");
  update.mutable_update_mask()->add_paths("description");
  ex::Agreement updated;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::UpdateAgreement, update, &updated,
                   {.caller = "editor-2"})
                  .ok());
  EXPECT_EQ(updated.metadata().creator(), "analyst-7");
  EXPECT_EQ(updated.metadata().updater(), "editor-2");
  // The history records who made each revision.
  ex::ListRevisionsRequest revisions;
  revisions.set_name(kIstanbul);
  ex::ListRevisionsResponse listed;
  ASSERT_TRUE(
      Call(*gw_.exchanges, &ExStub::ListRevisions, revisions, &listed).ok());
  std::vector<std::string> actors;
  for (const auto& revision : listed.revisions())
    actors.push_back(revision.actor());
  EXPECT_THAT(actors, ::testing::UnorderedElementsAre("analyst-7", "editor-2"));

  // A caller cannot name someone else: the gateway names the token's owner.
  in::CreateIncidentRequest again;
  *again.mutable_incident() = EnergyCampaign();
  again.set_incident_id("energy-campaign");
  grpc::ClientContext spoofing;
  Authorize(&spoofing, "analyst-7");
  spoofing.AddMetadata("x-parley-caller", "someone-else");
  in::Incident spoofed;
  ASSERT_TRUE(gw_.incidents->CreateIncident(&spoofing, again, &spoofed).ok());
  EXPECT_EQ(spoofed.metadata().creator(), "analyst-7");
}

TEST(ProxyFakeUpstreamTest, MetadataTravelsBothWays) {
  FakeExchangesBehindGateway f;

  grpc::ClientContext context;
  Authorize(&context, "analyst-7");
  context.set_deadline(TenSecondsFromNow());
  context.AddMetadata("x-trace-id", "trace-42");
  ex::GetAgreementRequest get;
  get.set_name(kIstanbul);
  ex::Agreement reply;
  const grpc::Status status = f.stub->GetAgreement(&context, get, &reply);
  ASSERT_TRUE(status.ok()) << StatusText(status);
  EXPECT_EQ(reply.metadata().name(), kIstanbul);
  EXPECT_EQ(reply.title(), "analyst-7");

  // Requests' metadata reached the service, once each.
  const auto calls = f.fake.recorder.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].metadata.count("x-parley-caller"), 1u);
  // The user's token stops at the gateway.
  EXPECT_EQ(calls[0].metadata.count("authorization"), 0u);
  EXPECT_EQ(calls[0].metadata.count("x-trace-id"), 1u);
  EXPECT_EQ(calls[0].metadata.find("x-trace-id")->second, "trace-42");
  // The service's initial metadata (response headers) reached the client.
  const auto& headers = context.GetServerInitialMetadata();
  auto header = headers.find("x-upstream-header");
  EXPECT_NE(header, headers.end())
      << "the service's response headers were dropped by the proxy";
  if (header != headers.end()) {
    EXPECT_EQ(std::string(header->second.data(), header->second.size()),
              "sent by the fake");
  }
  // The service's trailing metadata reached the client.
  const auto& trailers = context.GetServerTrailingMetadata();
  auto note = trailers.find("x-upstream-note");
  ASSERT_NE(note, trailers.end());
  EXPECT_EQ(std::string(note->second.data(), note->second.size()),
            "answered by the fake");
}

// ---------------------------------------------------------------------------
// Deadlines.

TEST_F(SeedWeekTest, ExpiredDeadlineIsDeadlineExceeded) {
  grpc::ClientContext context;
  Authorize(&context);
  context.set_deadline(std::chrono::system_clock::now() -
                       std::chrono::milliseconds(1));
  ex::ListExchangesRequest list;
  ex::ListExchangesResponse listed;
  const grpc::Status status =
      gw_.exchanges->ListExchanges(&context, list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << StatusText(status);
}

TEST(ProxyFakeUpstreamTest, CallerDeadlineReachesTheService) {
  FakeExchangesBehindGateway f;

  grpc::ClientContext context;
  Authorize(&context);
  const auto start = std::chrono::system_clock::now();
  const auto deadline = start + std::chrono::milliseconds(300);
  context.set_deadline(deadline);
  ex::GetAgreementRequest get;
  get.set_name("agreements/slow");
  ex::Agreement reply;
  const grpc::Status status = f.stub->GetAgreement(&context, get, &reply);
  const auto took = std::chrono::system_clock::now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << StatusText(status);
  EXPECT_LT(took, std::chrono::seconds(2));

  const auto calls = f.fake.recorder.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_NE(calls[0].deadline, std::chrono::system_clock::time_point::max());
  // Propagated, not extended (a little slack for clock granularity).
  EXPECT_LE(calls[0].deadline, deadline + std::chrono::milliseconds(20));
}

TEST(ProxyFakeUpstreamTest, DefaultDeadlineWhenCallerSetsNone) {
  FakeExchangesBehindGateway f(absl::Milliseconds(300));

  grpc::ClientContext context;  // no deadline
  Authorize(&context);
  ex::GetAgreementRequest get;
  get.set_name("agreements/slow");
  ex::Agreement reply;
  const auto start = std::chrono::system_clock::now();
  const grpc::Status status = f.stub->GetAgreement(&context, get, &reply);
  const auto took = std::chrono::system_clock::now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << StatusText(status);
  EXPECT_LT(took, std::chrono::seconds(3));
  const auto calls = f.fake.recorder.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_LE(calls[0].deadline, start + std::chrono::milliseconds(400));
}

TEST(ProxyFakeUpstreamTest, CancellationReachesTheService) {
  FakeExchangesBehindGateway f;

  grpc::ClientContext context;
  Authorize(&context);
  context.set_deadline(TenSecondsFromNow());
  ex::GetAgreementRequest get;
  get.set_name("agreements/slow");
  ex::Agreement reply;
  std::thread canceller([&] {
    // Once the service holds the call, the client gives up on it.
    for (int i = 0; i < 400 && f.fake.recorder.calls().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    context.TryCancel();
  });
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status status = f.stub->GetAgreement(&context, get, &reply);
  canceller.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
      << StatusText(status);
  // The service learns of it too and stops working on the call.
  for (int i = 0; i < 400 && f.fake.recorder.cancelled() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(f.fake.recorder.cancelled(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

// ---------------------------------------------------------------------------
// What the gateway does not serve.

TEST_F(GatewayTest, UnknownMethodsAreUnimplemented) {
  for (const char* method :
       {"/parley.exchanges.v1.ExchangesService/FrobnicateAgreement",
        "/parley.treaties.v1.TreatiesService/GetTreaty",
        "/parley.reports.v1.ReportService/GetForecast"}) {
    const grpc::Status status = CallRaw(gateway_->channel(), method, "");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
        << method << ": " << StatusText(status);
  }
}

}  // namespace
}  // namespace parley::gateway_test
