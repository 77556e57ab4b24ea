// BatchCreateIncidents and BatchUpdateIncidents (AIP-233, AIP-234) through a
// real server on a real store: each request checked and stored or refused
// on its own, the stored ones in one write with one WAL sync, retries
// storing nothing twice, and everything derived (indexes, rollups, history,
// change log) as single writes leave it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/store/store_check.h"
#include "rocksdb/statistics.h"
#include "tests/integration/incidents_fixture.h"

namespace parley::incidents {
namespace {

using ::parley::common::v1::BatchResult;

CreateIncidentRequest CreateRequest(const Incident& incident,
                                    const std::string& id,
                                    const std::string& request_id = "") {
  CreateIncidentRequest r;
  *r.mutable_incident() = incident;
  r.set_incident_id(id);
  r.set_request_id(request_id);
  return r;
}

// A drone strike on `day` in Kharkiv, `killed` exactly.
Incident Strike(const std::string& day, int64_t killed) {
  Incident i = TrainStrike();
  i.set_occurred(day);
  *i.mutable_casualties()->mutable_killed() = Exact(killed);
  return i;
}

std::vector<BatchResult::Outcome> Outcomes(
    const google::protobuf::RepeatedPtrField<BatchResult>& results) {
  std::vector<BatchResult::Outcome> out;
  for (const auto& r : results) out.push_back(r.outcome());
  return out;
}

class IncidentsBatchTest : public IncidentsIntegrationTest {
 protected:
  uint64_t WalSyncs() {
    return server_.domain().incidents().store()->statistics()->getTickerCount(
        rocksdb::WAL_FILE_SYNCED);
  }
  bool StoreConsistent() {
    auto report = CheckStore(server_.domain().collections());
    EXPECT_TRUE(report.ok()) << report.status();
    if (report.ok() && !report->consistent()) ADD_FAILURE() << report->ToJson();
    return report.ok() && report->consistent();
  }
};

TEST_F(IncidentsBatchTest, GoodRequestsAreStoredAndBadOnesRefusedByName) {
  BatchCreateIncidentsRequest batch;
  *batch.add_requests() = CreateRequest(Strike("2026-02-02", 1), "a", "rq-a");
  Incident bad = Strike("2026-02-03", 2);
  bad.clear_kind();
  bad.mutable_casualties()->mutable_killed()->set_low(10);  // low > best
  *batch.add_requests() = CreateRequest(bad, "b", "rq-b");
  *batch.add_requests() = CreateRequest(Strike("2026-02-04", 3), "c", "rq-c");
  *batch.add_requests() = CreateRequest(Strike("2026-02-05", 4), "Not An Id");
  const uint64_t syncs = WalSyncs();
  const auto response = CallOk(&Stub::BatchCreateIncidents, batch);
  // The good ones, in one write and one sync.
  EXPECT_EQ(WalSyncs() - syncs, 1u);
  ASSERT_EQ(response.results_size(), 4);
  EXPECT_THAT(
      Outcomes(response.results()),
      ElementsAre(BatchResult::OUTCOME_CREATED, BatchResult::OUTCOME_REFUSED,
                  BatchResult::OUTCOME_CREATED, BatchResult::OUTCOME_REFUSED));
  EXPECT_EQ(response.results(0).name(), "incidents/a");
  EXPECT_EQ(response.results(2).name(), "incidents/c");
  ASSERT_EQ(response.incidents_size(), 2);
  EXPECT_EQ(response.incidents(1).metadata().name(), "incidents/c");
  // The bad ones say what is wrong, by field paths within the batch.
  const auto& refused = response.results(1).error();
  EXPECT_EQ(refused.code(), "INVALID_ARGUMENT");
  std::vector<std::string> fields;
  for (const auto& v : refused.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ::testing::IsSupersetOf(
                          {"requests[1].incident.kind",
                           "requests[1].incident.casualties.killed.best"}));
  ASSERT_EQ(response.results(3).error().field_violations_size(), 1);
  EXPECT_EQ(response.results(3).error().field_violations(0).field(),
            "requests[3].incident_id");
  // Nothing of them is stored: not as records, not in the totals.
  EXPECT_THAT(Names({}), ElementsAre("incidents/a", "incidents/c"));
  const auto week = Summarize("2026-W06");
  EXPECT_EQ(week.incidents(), 2);
  ExpectExact(week.killed(), 4);
  EXPECT_TRUE(StoreConsistent());
}

TEST_F(IncidentsBatchTest, ARetriedBatchStoresNothingTwice) {
  BatchCreateIncidentsRequest batch;
  for (int i = 0; i < 20; ++i) {
    *batch.add_requests() =
        CreateRequest(Strike("2026-03-01", i), absl::StrCat("s", i),
                      absl::StrCat("import-", i));
  }
  const auto first = CallOk(&Stub::BatchCreateIncidents, batch);
  const auto again = CallOk(&Stub::BatchCreateIncidents, batch);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(first.results(i).outcome(), BatchResult::OUTCOME_CREATED);
    EXPECT_EQ(again.results(i).outcome(), BatchResult::OUTCOME_ALREADY_DONE);
    EXPECT_TRUE(ProtoEq(first.incidents(i), again.incidents(i)));
  }
  EXPECT_EQ(Count(), 20u);
  EXPECT_EQ(Revisions("incidents/s3").size(), 1u);
  EXPECT_EQ(Summarize("2026-03-01").incidents(), 20);
  // The same request id for another request is refused, alone.
  BatchCreateIncidentsRequest reused;
  *reused.add_requests() =
      CreateRequest(Strike("2026-03-02", 9), "other", "import-3");
  *reused.add_requests() = CreateRequest(Strike("2026-03-02", 9), "fresh");
  const auto mixed = CallOk(&Stub::BatchCreateIncidents, reused);
  EXPECT_THAT(
      Outcomes(mixed.results()),
      ElementsAre(BatchResult::OUTCOME_REFUSED, BatchResult::OUTCOME_CREATED));
  EXPECT_EQ(mixed.results(0).error().code(), "ALREADY_EXISTS");
  EXPECT_TRUE(StoreConsistent());
}

TEST_F(IncidentsBatchTest, AnIdOrRequestIdTwiceInOneBatch) {
  BatchCreateIncidentsRequest batch;
  *batch.add_requests() = CreateRequest(Strike("2026-03-01", 1), "dup");
  *batch.add_requests() = CreateRequest(Strike("2026-03-01", 2), "dup");
  *batch.add_requests() = CreateRequest(Strike("2026-03-01", 3), "x", "rq");
  *batch.add_requests() = CreateRequest(Strike("2026-03-01", 3), "x", "rq");
  *batch.add_requests() = CreateRequest(Strike("2026-03-01", 4), "y", "rq");
  const auto response = CallOk(&Stub::BatchCreateIncidents, batch);
  EXPECT_THAT(
      Outcomes(response.results()),
      ElementsAre(BatchResult::OUTCOME_CREATED, BatchResult::OUTCOME_REFUSED,
                  BatchResult::OUTCOME_CREATED,
                  // the same request again: its first result
                  BatchResult::OUTCOME_ALREADY_DONE,
                  // the same request id for another request
                  BatchResult::OUTCOME_REFUSED));
  EXPECT_EQ(response.results(1).error().code(), "ALREADY_EXISTS");
  EXPECT_EQ(response.results(3).name(), "incidents/x");
  EXPECT_THAT(Names({}), ElementsAre("incidents/dup", "incidents/x"));
  ExpectExact(Summarize("2026-03-01").killed(), 4);
  EXPECT_TRUE(StoreConsistent());
}

TEST_F(IncidentsBatchTest, TheBatchSizeIsBounded) {
  BatchCreateIncidentsRequest none;
  BatchCreateIncidentsResponse out;
  absl::Status s = Call(&Stub::BatchCreateIncidents, none, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("requests"));

  BatchCreateIncidentsRequest too_many;
  for (int i = 0; i <= 1000; ++i) {
    *too_many.add_requests() =
        CreateRequest(Strike("2026-03-01", 1), absl::StrCat("t", i));
  }
  s = Call(&Stub::BatchCreateIncidents, too_many, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("requests"));
  EXPECT_EQ(Count(), 0u);

  // A full one is fine: a thousand records in one write.
  too_many.mutable_requests()->RemoveLast();
  const uint64_t syncs = WalSyncs();
  const auto full = CallOk(&Stub::BatchCreateIncidents, too_many);
  EXPECT_EQ(WalSyncs() - syncs, 1u);
  EXPECT_EQ(full.incidents_size(), 1000);
  EXPECT_EQ(Summarize("2026-03-01").incidents(), 1000);
  EXPECT_TRUE(StoreConsistent());
}

UpdateIncidentRequest PutRequest(Incident incident, const std::string& id,
                                 bool allow_missing = true) {
  UpdateIncidentRequest r;
  incident.mutable_metadata()->set_name(absl::StrCat("incidents/", id));
  *r.mutable_incident() = std::move(incident);
  r.mutable_update_mask()->add_paths("*");
  r.set_allow_missing(allow_missing);
  return r;
}

TEST_F(IncidentsBatchTest, PutsCreateUpdateOrLeaveAlone) {
  // An import's first run: every record new.
  BatchUpdateIncidentsRequest first;
  *first.add_requests() = PutRequest(Strike("2026-04-01", 1), "acled-1");
  *first.add_requests() = PutRequest(Strike("2026-04-02", 2), "acled-2");
  *first.add_requests() = PutRequest(Strike("2026-04-03", 3), "acled-3");
  auto response = CallOk(&Stub::BatchUpdateIncidents, first);
  EXPECT_THAT(
      Outcomes(response.results()),
      ElementsAre(BatchResult::OUTCOME_CREATED, BatchResult::OUTCOME_CREATED,
                  BatchResult::OUTCOME_CREATED));

  // A newer export: one row changed, one the same, one as before but with
  // an update mask other than "*", one missing without allow_missing, one
  // with a stale etag.
  BatchUpdateIncidentsRequest next;
  *next.add_requests() = PutRequest(Strike("2026-04-01", 5), "acled-1");
  *next.add_requests() = PutRequest(Strike("2026-04-02", 2), "acled-2");
  UpdateIncidentRequest masked = PutRequest(Strike("2026-04-03", 3), "acled-3");
  masked.mutable_update_mask()->set_paths(0, "casualties");
  *next.add_requests() = masked;
  *next.add_requests() =
      PutRequest(Strike("2026-04-04", 4), "acled-4", /*allow_missing=*/false);
  UpdateIncidentRequest stale = PutRequest(Strike("2026-04-03", 7), "acled-3");
  stale.mutable_incident()->mutable_metadata()->set_etag("1-0000000000000000");
  *next.add_requests() = stale;
  const uint64_t syncs = WalSyncs();
  response = CallOk(&Stub::BatchUpdateIncidents, next);
  EXPECT_EQ(WalSyncs() - syncs, 1u);
  EXPECT_THAT(
      Outcomes(response.results()),
      ElementsAre(BatchResult::OUTCOME_UPDATED, BatchResult::OUTCOME_UNCHANGED,
                  BatchResult::OUTCOME_REFUSED, BatchResult::OUTCOME_REFUSED,
                  BatchResult::OUTCOME_REFUSED));
  EXPECT_EQ(response.results(2).error().field_violations(0).field(),
            "requests[2].update_mask");
  EXPECT_EQ(response.results(3).error().code(), "NOT_FOUND");
  EXPECT_EQ(response.results(4).error().code(), "ABORTED");
  EXPECT_EQ(Revisions("incidents/acled-1").size(), 2u);
  EXPECT_EQ(Revisions("incidents/acled-2").size(), 1u);
  EXPECT_EQ(Revisions("incidents/acled-3").size(), 1u);
  EXPECT_EQ(Count(), 3u);
  ExpectExact(Summarize("2026-W14").killed(), 10);  // 5 + 2 + 3
  EXPECT_TRUE(StoreConsistent());

  // A deleted id is not brought back.
  DeleteIncidentRequest del;
  del.set_name("incidents/acled-2");
  CallOk(&Stub::DeleteIncident, del);
  BatchUpdateIncidentsRequest again;
  *again.add_requests() = PutRequest(Strike("2026-04-02", 2), "acled-2");
  response = CallOk(&Stub::BatchUpdateIncidents, again);
  EXPECT_EQ(response.results(0).error().code(), "FAILED_PRECONDITION");
  EXPECT_TRUE(StoreConsistent());
}

TEST_F(IncidentsBatchTest, ANewerExportOfAnUnchangedRowIsNoChange) {
  Incident row = Strike("2026-04-01", 1);
  row.mutable_provenance()->set_dataset("acled");
  row.mutable_provenance()->set_version("export-2026-04-30");
  row.mutable_provenance()->set_upstream_id("UKR1");
  BatchUpdateIncidentsRequest first;
  *first.add_requests() = PutRequest(row, "acled-ukr1");
  CallOk(&Stub::BatchUpdateIncidents, first);
  // The next export: same row; then the row changed.
  row.mutable_provenance()->set_version("export-2026-05-31");
  BatchUpdateIncidentsRequest next;
  *next.add_requests() = PutRequest(row, "acled-ukr1");
  auto response = CallOk(&Stub::BatchUpdateIncidents, next);
  EXPECT_EQ(response.results(0).outcome(), BatchResult::OUTCOME_UNCHANGED);
  EXPECT_EQ(response.incidents(0).provenance().version(), "export-2026-04-30");
  *row.mutable_casualties()->mutable_killed() = Exact(2);
  *next.mutable_requests(0) = PutRequest(row, "acled-ukr1");
  response = CallOk(&Stub::BatchUpdateIncidents, next);
  EXPECT_EQ(response.results(0).outcome(), BatchResult::OUTCOME_UPDATED);
  EXPECT_EQ(response.incidents(0).provenance().version(), "export-2026-05-31");
  // Listed by its dataset.
  ListIncidentsRequest acled;
  acled.set_dataset("acled");
  EXPECT_THAT(Names(acled), ElementsAre("incidents/acled-ukr1"));
  acled.set_dataset("ucdp-ged");
  EXPECT_THAT(Names(acled), IsEmpty());
}

TEST_F(IncidentsBatchTest, UpdateWithAllowMissingCreates) {
  UpdateIncidentRequest put = PutRequest(Strike("2026-04-01", 1), "made");
  const Incident made = CallOk(&Stub::UpdateIncident, put);
  EXPECT_EQ(made.metadata().name(), "incidents/made");
  EXPECT_EQ(made.metadata().revision(), 1);
  put.set_allow_missing(false);
  put.mutable_incident()->mutable_metadata()->set_name("incidents/absent");
  Incident out;
  EXPECT_EQ(Call(&Stub::UpdateIncident, put, &out).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace parley::incidents
