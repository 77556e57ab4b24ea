// Incidents: create, read, list, update and delete through the in-process
// server, and every List filter.
#include "tests/integration/incidents_fixture.h"

namespace parley::incidents {
namespace {

// ---------------------------------------------------------------------------
// CRUD.

TEST_F(IncidentsIntegrationTest, CreateGetListUpdateDelete) {
  const Incident created = CreateOk(TrainStrike(), "kharkiv-train", "alice");
  const auto& m = created.metadata();
  EXPECT_EQ(m.name(), kTrain);
  EXPECT_EQ(m.revision(), 1);
  EXPECT_EQ(m.creator(), "alice");
  EXPECT_FALSE(m.etag().empty());
  EXPECT_EQ(created.occurred_span().text(), "2026-01-27");
  EXPECT_EQ(created.occurred_span().precision(), DateSpan::PRECISION_DAY);
  EXPECT_EQ(created.occurred_span().first_day(), "2026-01-27");
  ExpectAtLeast(created.casualties().killed(), 5);
  EXPECT_FALSE(created.casualties().has_injured());
  EXPECT_DOUBLE_EQ(created.place().coordinates().latitude(), 49.99);
  EXPECT_EQ(created.attribution().party().country(), "RU");

  Incident got;
  ASSERT_TRUE(Get(kTrain, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));
  ListIncidentsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListIncidents, ListIncidentsRequest(), &listed).ok());
  ASSERT_EQ(listed.incidents_size(), 1);
  EXPECT_TRUE(ProtoEq(listed.incidents(0), created));

  // Add the injured once known, under the etag.
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  update.mutable_incident()->mutable_metadata()->set_etag(m.etag());
  *update.mutable_incident()->mutable_casualties()->mutable_injured() =
      Exact(12);
  update.mutable_incident()->set_title("not in the mask");
  *update.mutable_update_mask() = Mask({"casualties.injured"});
  Incident updated;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &updated, "bob").ok());
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_EQ(updated.metadata().updater(), "bob");
  EXPECT_EQ(updated.title(), "Drone strike on a passenger train");
  ExpectAtLeast(updated.casualties().killed(), 5);
  ExpectExact(updated.casualties().injured(), 12);
  const auto week = Summarize("2026-W05", "Kharkiv");
  ExpectExact(week.injured(), 12);

  DeleteIncidentRequest del;
  del.set_name(kTrain);
  del.set_etag(updated.metadata().etag());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteIncident, del, &empty, "carol").ok());
  EXPECT_EQ(Get(kTrain, &got).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(Call(&Stub::DeleteIncident, del, &empty).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Summarize("2026-W05").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05", "Kharkiv").kinds_size(), 0);
  const auto revisions = Revisions(kTrain);
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[2].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[2].actor(), "carol");
}

// ---------------------------------------------------------------------------
// Filters.

TEST_F(IncidentsIntegrationTest, ListFilters) {
  Seed();
  const auto names = [&](auto fill) {
    ListIncidentsRequest req;
    fill(req);
    return Names(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre(kTrain, kEnergy, kKherson, kBelgorod));
  // Span: overlap with `occurred`; the campaign spans three months.
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-W05"); }),
              UnorderedElementsAre(kTrain, kEnergy, kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-10"); }),
              UnorderedElementsAre(kEnergy, kKherson));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-12"); }),
              ElementsAre(kEnergy));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-10"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-02"); }), IsEmpty());
  // Region: any spelling of it, by its ISO 3166-2 code; else its own name,
  // case-insensitive, whole.
  EXPECT_THAT(names([](auto& r) { r.set_region("Kharkiv"); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("kharkiv"); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("KHARKIV"); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("Kharkiv Oblast"); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("Kharkivska oblast"); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("UA-63"); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("Khar"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_region("Belgorod"); }),
              ElementsAre(kBelgorod));
  // Kind and target.
  EXPECT_THAT(names([](auto& r) { r.set_kind(INCIDENT_KIND_DRONE_STRIKE); }),
              UnorderedElementsAre(kTrain, kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_kind(INCIDENT_KIND_STRIKE_CAMPAIGN); }),
              ElementsAre(kEnergy));
  EXPECT_THAT(names([](auto& r) { r.set_kind(INCIDENT_KIND_MINE); }),
              IsEmpty());
  EXPECT_THAT(
      names([](auto& r) { r.set_target(TARGET_CATEGORY_PASSENGER_TRAIN); }),
      ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_target(TARGET_CATEGORY_RESIDENTIAL); }),
              UnorderedElementsAre(kKherson, kBelgorod));
  EXPECT_THAT(names([](auto& r) {
                r.set_target(TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
              }),
              ElementsAre(kEnergy));
  // Attributed party.
  EXPECT_THAT(names([](auto& r) { r.set_attributed_party("RU"); }),
              UnorderedElementsAre(kTrain, kEnergy, kKherson));
  EXPECT_THAT(names([](auto& r) { r.set_attributed_party("UA"); }),
              ElementsAre(kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_attributed_party("US"); }), IsEmpty());
  // min_killed: best, else low ("at least five" is 5); unknown is 0.
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(1); }),
              UnorderedElementsAre(kTrain, kKherson, kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(2); }),
              UnorderedElementsAre(kTrain, kKherson));
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(5); }), ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(6); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(0); }),
              UnorderedElementsAre(kTrain, kEnergy, kKherson, kBelgorod));
  // Combinations.
  EXPECT_THAT(names([](auto& r) {
                r.set_kind(INCIDENT_KIND_DRONE_STRIKE);
                r.set_attributed_party("RU");
              }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) {
                r.set_span("2026-01");
                r.set_min_killed(2);
              }),
              UnorderedElementsAre(kTrain, kKherson));
  EXPECT_THAT(names([](auto& r) {
                r.set_region("kharkiv");
                r.set_target(TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
              }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) {
                r.set_region("Kherson");
                r.set_span("2026-W02");
                r.set_kind(INCIDENT_KIND_SHELLING);
                r.set_attributed_party("RU");
                r.set_min_killed(2);
              }),
              ElementsAre(kKherson));

  // Bad filters name themselves.
  ExpectFiltersRefused(
      &Stub::ListIncidents,
      {{[](auto& r) { r.set_min_killed(-1); }, "min_killed"},
       {[](auto& r) { r.set_attributed_party("Russia"); }, "attributed_party"},
       {[](auto& r) { r.set_kind(static_cast<IncidentKind>(99)); }, "kind"},
       {[](auto& r) { r.set_target(static_cast<TargetCategory>(99)); },
        "target"},
       {[](auto& r) { r.set_span("yesterday"); }, "span"},
       {[](auto& r) { r.set_region(std::string(5000, 'k')); }, "region"},
       {[](auto& r) { r.set_page_size(-5); }, "page_size"}});
}

}  // namespace
}  // namespace parley::incidents
