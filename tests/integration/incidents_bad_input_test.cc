// Bad input: INVALID_ARGUMENT naming every bad field; nothing stored, no
// total changed.
#include "tests/integration/incidents_fixture.h"

namespace parley::incidents {
namespace {

// ---------------------------------------------------------------------------
// Bad input.

TEST_F(IncidentsIntegrationTest, BadInputNamesEveryBadFieldAndStoresNothing) {
  Seed();
  const auto week_before = Summarize("2026-W05");

  CreateIncidentRequest req;
  Incident i = TrainStrike();
  i.clear_kind();
  i.set_target(static_cast<TargetCategory>(99));
  i.mutable_place()->mutable_coordinates()->set_latitude(123.0);
  i.mutable_attribution()->clear_reliability();
  auto* killed = i.mutable_casualties()->mutable_killed();
  killed->Clear();
  killed->set_low(10);
  killed->set_high(5);
  killed->set_qualifier(Estimate::QUALIFIER_ABOUT);
  auto* outage = i.add_effects();
  outage->set_kind(EFFECT_KIND_POWER_OUTAGE);
  outage->set_duration_hours(-4);
  i.add_effects()->set_note("no kind");
  *req.mutable_incident() = i;
  req.set_incident_id("Train!");
  Incident out;
  absl::Status s = Call(&Stub::CreateIncident, req, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(
      ViolationFields(s),
      UnorderedElementsAre(
          "incident_id", "incident.kind", "incident.target",
          "incident.place.coordinates.latitude",
          "incident.attribution.reliability", "incident.casualties.killed.low",
          "incident.effects[0].duration_hours", "incident.effects[1].kind"));

  Incident no_place = TrainStrike();
  no_place.clear_place();
  no_place.clear_occurred();
  *req.mutable_incident() = no_place;
  req.clear_incident_id();
  s = Call(&Stub::CreateIncident, req, &out);
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("incident.place", "incident.occurred"));
  EXPECT_EQ(Count(), 4u);
  EXPECT_TRUE(ProtoEq(Summarize("2026-W05"), week_before));

  // A bad update is refused whole: record and totals as they were.
  Incident before;
  ASSERT_TRUE(Get(kTrain, &before).ok());
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  update.mutable_incident()->set_kind(INCIDENT_KIND_MISSILE_STRIKE);
  update.mutable_incident()->mutable_place()->set_country("UA");
  update.mutable_incident()
      ->mutable_place()
      ->mutable_coordinates()
      ->set_longitude(200);
  *update.mutable_update_mask() = Mask({"kind", "place"});
  s = Call(&Stub::UpdateIncident, update, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              ElementsAre("incident.place.coordinates.longitude"));
  Incident after;
  ASSERT_TRUE(Get(kTrain, &after).ok());
  EXPECT_TRUE(ProtoEq(after, before));
  EXPECT_TRUE(ProtoEq(Summarize("2026-W05"), week_before));
  EXPECT_EQ(Revisions(kTrain).size(), 1u);

  // Malformed names name "name".
  for (const char* name :
       {"", "incidents/", "incidents/Kharkiv", "rounds/kharkiv-train"}) {
    s = Get(name, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
}

}  // namespace
}  // namespace parley::incidents
