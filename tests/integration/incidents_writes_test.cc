// Writes: paging, idempotent creates, etag-guarded updates and deletes,
// corrections with their history and reads as of a past time.
#include "tests/integration/incidents_fixture.h"

namespace parley::incidents {
namespace {

// ---------------------------------------------------------------------------
// Paging, idempotency, etags, history.

TEST_F(IncidentsIntegrationTest, PagingVisitsEveryRecordOnce) {
  std::set<std::string> all, deadly;
  for (int i = 0; i < 27; ++i) {
    Incident incident = KhersonShelling();
    incident.set_occurred(FormatDay(absl::CivilDay(2026, 1, 1) + i));
    *incident.mutable_casualties()->mutable_killed() = Exact(i);
    const std::string name = CreateOk(incident, "").metadata().name();
    all.insert(name);
    if (i >= 10) deadly.insert(name);
  }
  ASSERT_EQ(all.size(), 27u);

  struct Query {
    std::function<void(ListIncidentsRequest&)> fill;
    std::vector<int> sizes;
    const std::set<std::string>* want;
  };
  for (const Query& q : std::vector<Query>{
           {[](auto&) {}, {4, 4, 4, 4, 4, 4, 3}, &all},
           {[](auto& r) { r.set_span("2026-01"); },
            {4, 4, 4, 4, 4, 4, 3},
            &all},
           {[](auto& r) { r.set_region("KHERSON"); },
            {4, 4, 4, 4, 4, 4, 3},
            &all},
           // A filter checked on each record still fills whole pages.
           {[](auto& r) {
              r.set_region("kherson");
              r.set_min_killed(10);
            },
            {4, 4, 4, 4, 1},
            &deadly}}) {
    ListIncidentsRequest req;
    q.fill(req);
    SCOPED_TRACE(req.ShortDebugString());
    req.set_page_size(4);
    std::vector<int> sizes;
    const std::vector<std::string> paged = ListNames(
        &Stub::ListIncidents, req, &ListIncidentsResponse::incidents, &sizes);
    EXPECT_EQ(sizes, q.sizes);
    EXPECT_EQ(paged.size(), q.want->size());
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), *q.want);
  }

  // A token from one query is refused by another.
  ListIncidentsRequest first;
  first.set_page_size(4);
  first.set_region("Kherson");
  ListIncidentsResponse page;
  ASSERT_TRUE(Call(&Stub::ListIncidents, first, &page).ok());
  ListIncidentsRequest other = first;
  other.set_min_killed(3);
  other.set_page_token(page.next_page_token());
  const absl::Status s = Call(&Stub::ListIncidents, other, &page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));
}

TEST_F(IncidentsIntegrationTest, RetriedCreateWithRequestIdStoresNothingNew) {
  CreateIncidentRequest req;
  *req.mutable_incident() = TrainStrike();
  req.set_request_id("train-report-1");
  Incident first;
  ASSERT_TRUE(Call(&Stub::CreateIncident, req, &first).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {
    Incident retry;
    ASSERT_TRUE(Call(&Stub::CreateIncident, req, &retry).ok());
    EXPECT_TRUE(ProtoEq(retry, first));
  }
  EXPECT_EQ(Count(), 1u);
  // Counted once in the totals too.
  const auto day = Summarize("2026-01-27");
  EXPECT_EQ(day.incidents(), 1);
  ExpectAtLeast(day.killed(), 5);

  CreateIncidentRequest different = req;
  *different.mutable_incident()->mutable_casualties()->mutable_killed() =
      AtLeast(6);
  Incident out;
  EXPECT_EQ(Call(&Stub::CreateIncident, different, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(Summarize("2026-01-27").incidents(), 1);

  // An explicit id is taken, even after its record is deleted.
  CreateOk(KhersonShelling(), "kherson-shelling");
  CreateIncidentRequest taken;
  *taken.mutable_incident() = BelgorodDrone();
  taken.set_incident_id("kherson-shelling");
  EXPECT_EQ(Call(&Stub::CreateIncident, taken, &out).code(),
            absl::StatusCode::kAlreadyExists);
  DeleteIncidentRequest del;
  del.set_name(kKherson);
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteIncident, del, &empty).ok());
  EXPECT_EQ(Call(&Stub::CreateIncident, taken, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(Summarize("2026-01").incidents(), 1);
}

TEST_F(IncidentsIntegrationTest, StaleEtagIsAbortedAndChangesNothing) {
  Seed();
  Incident v1;
  ASSERT_TRUE(Get(kTrain, &v1).ok());
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  update.mutable_incident()->mutable_metadata()->set_etag(v1.metadata().etag());
  update.mutable_incident()->set_description("first edit");
  *update.mutable_update_mask() = Mask({"description"});
  Incident v2;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &v2).ok());

  // A stale correction of the death toll: refused, totals untouched.
  UpdateIncidentRequest stale;
  stale.mutable_incident()->mutable_metadata()->set_name(kTrain);
  stale.mutable_incident()->mutable_metadata()->set_etag(v1.metadata().etag());
  *stale.mutable_incident()->mutable_casualties()->mutable_killed() = Exact(50);
  *stale.mutable_update_mask() = Mask({"casualties.killed"});
  Incident out;
  absl::Status s = Call(&Stub::UpdateIncident, stale, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  Incident now;
  ASSERT_TRUE(Get(kTrain, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));
  ExpectAtLeast(Summarize("2026-01-27").killed(), 5);

  DeleteIncidentRequest del;
  del.set_name(kTrain);
  del.set_etag(v1.metadata().etag());
  google::protobuf::Empty empty;
  s = Call(&Stub::DeleteIncident, del, &empty);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  EXPECT_TRUE(Get(kTrain, &now).ok());
  EXPECT_EQ(Summarize("2026-01-27").incidents(), 1);
}

TEST_F(IncidentsIntegrationTest, CorrectionKeepsHistoryAndReadTime) {
  Seed();
  Incident v1;
  ASSERT_TRUE(Get(kTrain, &v1).ok());
  const Timestamp before_correction = MomentBetween();

  // The toll is corrected to exactly six, and the place to the next region.
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  *update.mutable_incident()->mutable_casualties()->mutable_killed() = Exact(6);
  update.mutable_incident()->mutable_place()->set_country("UA");
  update.mutable_incident()->mutable_place()->set_admin1("Sumy");
  *update.mutable_update_mask() = Mask({"casualties.killed", "place"});
  Incident v2;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &v2, "bob").ok());
  ExpectExact(v2.casualties().killed(), 6);
  EXPECT_FALSE(v2.place().has_coordinates());

  Incident then;
  ASSERT_TRUE(Get(kTrain, &then, &before_correction).ok());
  EXPECT_TRUE(ProtoEq(then, v1));
  ExpectAtLeast(then.casualties().killed(), 5);
  ASSERT_TRUE(Get(kTrain, &then).ok());
  EXPECT_TRUE(ProtoEq(then, v2));
  const Timestamp before_create =
      MillisecondBefore(v1.metadata().create_time());
  EXPECT_EQ(Get(kTrain, &then, &before_create).code(),
            absl::StatusCode::kNotFound);

  const auto revisions = Revisions(kTrain);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_THAT(revisions[1].changed_fields(),
              UnorderedElementsAre("place", "casualties"));
  Incident snapshot;
  ASSERT_TRUE(revisions[0].snapshot().UnpackTo(&snapshot));
  ExpectAtLeast(snapshot.casualties().killed(), 5);

  // Indexes and totals follow the correction.
  ListIncidentsRequest kharkiv;
  kharkiv.set_region("Kharkiv");
  EXPECT_THAT(Names(kharkiv), IsEmpty());
  ListIncidentsRequest sumy;
  sumy.set_region("sumy");
  EXPECT_THAT(Names(sumy), ElementsAre(kTrain));
  ListIncidentsRequest six;
  six.set_min_killed(6);
  EXPECT_THAT(Names(six), ElementsAre(kTrain));
  EXPECT_EQ(Summarize("2026-W05", "Kharkiv").incidents(), 0);
  const auto sumy_week = Summarize("2026-W05", "Sumy");
  EXPECT_EQ(sumy_week.incidents(), 1);
  ExpectExact(sumy_week.killed(), 6);

  ListRevisionsRequest bad;
  ListRevisionsResponse resp;
  for (const char* name :
       {"", "rounds/uae", "incidents/", "incidents/Kharkiv Train"}) {
    bad.set_name(name);
    const absl::Status s = Call(&Stub::ListRevisions, bad, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << name << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  bad.set_name("incidents/never-was");
  EXPECT_EQ(Call(&Stub::ListRevisions, bad, &resp).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace parley::incidents
