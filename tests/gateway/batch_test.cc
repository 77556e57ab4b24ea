// Batch writes through the gateway, like every other method: editors may,
// readers may not; per-request results (and their field errors) come back
// as the service gave them; what a batch stores shows in the reports.
#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_fixture.h"

namespace parley::gateway_test {
namespace {

using ::parley::common::v1::BatchResult;

class BatchThroughTheGatewayTest : public GatewayTest {};

TEST_F(BatchThroughTheGatewayTest, EditorsBatchCreateAndTheReportsCountIt) {
  CreateAgreement(Istanbul(), "istanbul-2025");
  ex::BatchCreateExchangesRequest batch;
  for (int i = 0; i < 200; ++i) {
    auto* r = batch.add_requests();
    *r->mutable_exchange() = Repatriation("2026-03-02", 10, 1);
    r->set_exchange_id(absl::StrCat("march-", i));
    r->set_request_id(absl::StrCat("import-march-", i));
  }
  // One bad: no transfers.
  batch.mutable_requests(7)->mutable_exchange()->clear_transfers();

  ex::BatchCreateExchangesResponse out;
  grpc::Status status = Call(*gw_.exchanges, &ExStub::BatchCreateExchanges,
                             batch, &out, {.caller = kReaderCaller});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << StatusText(status);

  status = Call(*gw_.exchanges, &ExStub::BatchCreateExchanges, batch, &out,
                {.caller = kDefaultCaller});
  ASSERT_TRUE(status.ok()) << StatusText(status);
  ASSERT_EQ(out.results_size(), 200);
  EXPECT_EQ(out.exchanges_size(), 199);
  EXPECT_EQ(out.results(7).outcome(), BatchResult::OUTCOME_REFUSED);
  ASSERT_GT(out.results(7).error().field_violations_size(), 0);
  EXPECT_EQ(out.results(7).error().field_violations(0).field(),
            "requests[7].exchange.transfers");
  // Written by the token's owner.
  EXPECT_EQ(out.exchanges(0).metadata().creator(), kDefaultCaller);

  rp::GetAgreementProgressRequest progress;
  progress.set_agreement(kIstanbul);
  progress.set_as_of("2026-03-31");
  rp::GetAgreementProgressResponse p;
  ASSERT_TRUE(Progress(progress, &p).ok());
  ExpectExact(p.terms(0).delivered(), 199 * 11, "delivered");

  // Sent again: stored once.
  status = Call(*gw_.exchanges, &ExStub::BatchCreateExchanges, batch, &out,
                {.caller = kDefaultCaller});
  ASSERT_TRUE(status.ok()) << StatusText(status);
  EXPECT_EQ(out.results(0).outcome(), BatchResult::OUTCOME_ALREADY_DONE);
  ASSERT_TRUE(Progress(progress, &p).ok());
  ExpectExact(p.terms(0).delivered(), 199 * 11, "delivered again");
}

TEST_F(BatchThroughTheGatewayTest, NegotiationsAndIncidentsBatchToo) {
  ng::BatchCreateStatementsRequest statements;
  *statements.add_requests()->mutable_statement() = MedinskyAccusation();
  *statements.add_requests()->mutable_statement() = UkrainianAccusation();
  ng::BatchCreateStatementsResponse said;
  ASSERT_TRUE(
      Call(*gw_.negotiations, &NgStub::BatchCreateStatements, statements, &said)
          .ok());
  EXPECT_EQ(said.statements_size(), 2);

  in::BatchUpdateIncidentsRequest puts;
  auto* put = puts.add_requests();
  *put->mutable_incident() = TrainStrike();
  put->mutable_incident()->mutable_metadata()->set_name("incidents/acled-1");
  put->mutable_update_mask()->add_paths("*");
  put->set_allow_missing(true);
  in::BatchUpdateIncidentsResponse stored;
  ASSERT_TRUE(
      Call(*gw_.incidents, &InStub::BatchUpdateIncidents, puts, &stored).ok());
  EXPECT_EQ(stored.results(0).outcome(), BatchResult::OUTCOME_CREATED);
  // The region, as iso-codes knows it.
  EXPECT_EQ(stored.incidents(0).place().admin1_code(), "UA-63");
}

}  // namespace
}  // namespace parley::gateway_test
