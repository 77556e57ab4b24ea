// Validation of incidents: every bad field is named in one reply; spans and
// estimates are resolved in place, and figures nobody gave stay unset.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/incidents/validation.h"
#include "tests/lib/incidents_records.h"
#include "tests/lib/status_matchers.h"

namespace parley::incidents {
namespace {

using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Estimate;
using ::parley::common::v1::Source;
using ::parley::testing::BadFieldCase;
using ::parley::testing::CaseName;
using ::parley::testing::EnergyCampaign;
using ::parley::testing::ExpectAtLeast;
using ::parley::testing::ExpectSpan;
using ::parley::testing::ExpectUnknown;
using ::parley::testing::SpoiledFields;
using ::parley::testing::TrainStrike;
using ::parley::testing::ViolationFields;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

// The records are the seed week's (tests/lib/incidents_records.h): the
// drone strike on the train, and the strikes on energy infrastructure.

TEST(IncidentValidationTest, TrainStrikeIsValidAndResolved) {
  v1::Incident i = TrainStrike();
  i.mutable_occurred_span()->set_first_day("1999-01-01");  // output only
  FieldViolations v;
  ValidateIncident(&i, "incident", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  ExpectSpan(i.occurred_span(), "2026-01-27", DateSpan::PRECISION_DAY,
             "2026-01-27", "2026-01-27");
  // "At least five": low 5, best and high stay unset.
  ExpectAtLeast(i.casualties().killed(), 5);
}

TEST(IncidentValidationTest, UnsetCasualtyEstimatesStayUnset) {
  v1::Incident i = TrainStrike();
  FieldViolations v;
  ValidateIncident(&i, "incident", &v);
  ASSERT_THAT(ViolationFields(v), IsEmpty());
  const auto& c = i.casualties();
  EXPECT_TRUE(c.has_killed());
  EXPECT_FALSE(c.has_injured());
  EXPECT_FALSE(c.has_killed_civilian());
  EXPECT_FALSE(c.has_killed_military());
  EXPECT_FALSE(c.has_injured_civilian());
  EXPECT_FALSE(c.has_injured_military());

  // No casualties at all: nothing is made up, not even zeros.
  v1::Incident none = TrainStrike();
  none.clear_casualties();
  FieldViolations v2;
  ValidateIncident(&none, "incident", &v2);
  ASSERT_THAT(ViolationFields(v2), IsEmpty());
  EXPECT_FALSE(none.has_casualties());
  EXPECT_FALSE(none.casualties().has_killed());

  // An empty Casualties message: its estimates stay unset too.
  v1::Incident empty = TrainStrike();
  empty.mutable_casualties()->Clear();
  FieldViolations v3;
  ValidateIncident(&empty, "incident", &v3);
  ASSERT_THAT(ViolationFields(v3), IsEmpty());
  EXPECT_FALSE(empty.casualties().has_killed());
  EXPECT_FALSE(empty.casualties().has_injured());
}

TEST(IncidentValidationTest, ExactFiguresAreCompletedInPlace) {
  v1::Incident i = TrainStrike();
  auto* injured = i.mutable_casualties()->mutable_injured();
  injured->set_best(12);
  injured->set_qualifier(Estimate::QUALIFIER_EXACT);
  auto* civilians = i.mutable_casualties()->mutable_killed_civilian();
  civilians->set_high(4);
  civilians->set_qualifier(Estimate::QUALIFIER_AT_MOST);
  FieldViolations v;
  ValidateIncident(&i, "incident", &v);
  ASSERT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(i.casualties().injured().low(), 12);
  EXPECT_EQ(i.casualties().injured().high(), 12);
  EXPECT_EQ(i.casualties().killed_civilian().low(), 0);
  EXPECT_EQ(i.casualties().killed_civilian().high(), 4);
  EXPECT_FALSE(i.casualties().has_injured_military());
}

TEST(IncidentValidationTest, EnergyCampaignWithUnknownOutagesIsValid) {
  v1::Incident i = EnergyCampaign();
  FieldViolations v;
  ValidateIncident(&i, "incident", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(i.occurred_span().precision(), DateSpan::PRECISION_RANGE);
  EXPECT_EQ(i.occurred_span().first_day(), "2025-11-01");
  EXPECT_EQ(i.occurred_span().last_day(), "2026-01-31");
  ASSERT_EQ(i.effects_size(), 2);
  ExpectUnknown(i.effects(0).affected());
  EXPECT_FALSE(i.effects(0).has_duration_hours());
  EXPECT_FALSE(i.has_casualties());

  // An effect with no figure at all, and a zero duration: both fine.
  i.mutable_effects(1)->clear_affected();
  i.mutable_effects(1)->set_duration_hours(0);
  FieldViolations v2;
  ValidateIncident(&i, "incident", &v2);
  EXPECT_THAT(ViolationFields(v2), IsEmpty());
  EXPECT_FALSE(i.effects(1).has_affected());
}

using BadCase = BadFieldCase<v1::Incident>;

class IncidentBadFieldTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(IncidentBadFieldTest, NamesTheField) {
  EXPECT_THAT(
      SpoiledFields(GetParam(), TrainStrike(), ValidateIncident, "incident"),
      UnorderedElementsAreArray(GetParam().fields));
}

v1::Effect* AddPowerOutage(v1::Incident* i) {
  auto* e = i->add_effects();
  e->set_kind(v1::EFFECT_KIND_POWER_OUTAGE);
  e->mutable_affected()->set_best(3000);
  e->mutable_affected()->set_qualifier(Estimate::QUALIFIER_ABOUT);
  return e;
}

INSTANTIATE_TEST_SUITE_P(Cases, IncidentBadFieldTest,
                         ::testing::
                             Values(
                                 BadCase{
                                     "KindUnset",
                                     [](v1::Incident* i) { i->clear_kind(); },
                                     {"incident.kind"}},
                                 BadCase{
                                     "TargetUnset",
                                     [](v1::Incident* i) { i->clear_target(); },
                                     {"incident.target"}},
                                 BadCase{"UnknownKindNumber",
                                         [](v1::Incident* i) {
                                           i->set_kind(
                                               static_cast<v1::IncidentKind>(
                                                   42));
                                         },
                                         {"incident.kind"}},
                                 BadCase{"UnknownTargetNumber",
                                         [](v1::Incident* i) {
                                           i->set_target(
                                               static_cast<v1::TargetCategory>(
                                                   99));
                                         },
                                         {"incident.target"}},
                                 BadCase{"OccurredMissing",
                                         [](v1::Incident* i) {
                                           i->clear_occurred();
                                         },
                                         {"incident.occurred"}},
                                 BadCase{"OccurredMalformed",
                                         [](v1::Incident* i) {
                                           i->set_occurred("2026-01-32");
                                         },
                                         {"incident.occurred"}},
                                 BadCase{
                                     "PlaceMissing",
                                     [](v1::Incident* i) { i->clear_place(); },
                                     {"incident.place"}},
                                 BadCase{"PlaceWithoutCountry",
                                         [](v1::Incident* i) {
                                           i->mutable_place()->clear_country();
                                         },
                                         {"incident.place.country"}},
                                 BadCase{"PlaceUnknownCountry",
                                         [](v1::Incident* i) {
                                           i->mutable_place()->set_country(
                                               "XX");
                                         },
                                         {"incident.place.country"}},
                                 BadCase{
                                     "LatitudeAbove90",
                                     [](v1::Incident* i) {
                                       i->mutable_place()
                                           ->mutable_coordinates()
                                           ->set_latitude(91);
                                     },
                                     {"incident.place.coordinates.latitude"}},
                                 BadCase{
                                     "LongitudeBelowMinus180",
                                     [](v1::Incident* i) {
                                       i->mutable_place()
                                           ->mutable_coordinates()
                                           ->set_longitude(-180.5);
                                     },
                                     {"incident.place.coordinates.longitude"}},
                                 BadCase{
                                     "LatitudeNaN",
                                     [](v1::Incident* i) {
                                       i->mutable_place()
                                           ->mutable_coordinates()
                                           ->set_latitude(std::numeric_limits<
                                                          double>::quiet_NaN());
                                     },
                                     {"incident.place.coordinates.latitude"}},
                                 BadCase{
                                     "BothCoordinatesOut",
                                     [](v1::Incident* i) {
                                       auto* c = i->mutable_place()
                                                     ->mutable_coordinates();
                                       c->set_latitude(-95);
                                       c->set_longitude(std::numeric_limits<
                                                        double>::infinity());
                                     },
                                     {"incident.place.coordinates.latitude",
                                      "incident.place.coordinates.longitude"}},
                                 BadCase{
                                     "PlaceUnknownPrecision",
                                     [](v1::Incident* i) {
                                       i->mutable_place()->set_precision(
                                           static_cast<::parley::common::v1::
                                                           Place::Precision>(
                                               8));
                                     },
                                     {"incident.place.precision"}},
                                 BadCase{"KilledLowAboveHigh",
                                         [](v1::Incident* i) {
                                           auto* k = i->mutable_casualties()
                                                         ->mutable_killed();
                                           k->Clear();
                                           k->set_low(10);
                                           k->set_high(5);
                                           k->set_qualifier(
                                               Estimate::QUALIFIER_ABOUT);
                                         },
                                         {"incident.casualties.killed.low"}},
                                 BadCase{
                                     "KilledWithoutQualifier",
                                     [](v1::Incident* i) {
                                       i->mutable_casualties()
                                           ->mutable_killed()
                                           ->clear_qualifier();
                                     },
                                     {"incident.casualties.killed.qualifier"}},
                                 BadCase{"InjuredNegative",
                                         [](v1::Incident* i) {
                                           auto* e = i->mutable_casualties()
                                                         ->mutable_injured();
                                           e->set_best(-1);
                                           e->set_qualifier(
                                               Estimate::QUALIFIER_ABOUT);
                                         },
                                         {"incident.casualties.injured.best"}},
                                 BadCase{"KilledMilitaryUnknownWithFigure",
                                         [](v1::Incident* i) {
                                           auto* e =
                                               i->mutable_casualties()
                                                   ->mutable_killed_military();
                                           e->set_best(2);
                                           e->set_qualifier(
                                               Estimate::QUALIFIER_UNKNOWN);
                                         },
                                         {"incident.casualties.killed_military."
                                          "qualifier"}},
                                 BadCase{
                                     "NegativeDurationHours",
                                     [](v1::Incident* i) {
                                       AddPowerOutage(i)->set_duration_hours(
                                           -3);
                                     },
                                     {"incident.effects[0].duration_hours"}},
                                 BadCase{"EffectWithoutKind",
                                         [](v1::Incident* i) {
                                           AddPowerOutage(i);
                                           i->add_effects()->set_note(
                                               "lights went out");
                                         },
                                         {"incident.effects[1].kind"}},
                                 BadCase{"EffectUnknownKindNumber",
                                         [](v1::Incident* i) {
                                           AddPowerOutage(i)->set_kind(
                                               static_cast<v1::EffectKind>(66));
                                         },
                                         {"incident.effects[0].kind"}},
                                 BadCase{"EffectAffectedBad",
                                         [](v1::Incident* i) {
                                           AddPowerOutage(i)
                                               ->mutable_affected()
                                               ->set_low(5000);
                                         },
                                         {"incident.effects[0].affected.best"}},
                                 BadCase{"EffectPlaceWithoutCountry",
                                         [](v1::Incident* i) {
                                           AddPowerOutage(i)
                                               ->mutable_place()
                                               ->set_admin1("Kharkiv");
                                         },
                                         {"incident.effects[0].place.country"}},
                                 BadCase{"AttributionWithoutReliability",
                                         [](v1::Incident* i) {
                                           i->mutable_attribution()
                                               ->clear_reliability();
                                         },
                                         {"incident.attribution.reliability"}},
                                 BadCase{
                                     "AttributionUnknownReliability",
                                     [](v1::Incident* i) {
                                       i->mutable_attribution()
                                           ->set_reliability(
                                               static_cast<Source::Reliability>(
                                                   23));
                                     },
                                     {"incident.attribution.reliability"}},
                                 BadCase{
                                     "AttributionWithoutParty",
                                     [](v1::Incident* i) {
                                       i->mutable_attribution()->clear_party();
                                     },
                                     {"incident.attribution.party"}},
                                 BadCase{
                                     "AttributionUnknownCountry",
                                     [](v1::Incident* i) {
                                       i->mutable_attribution()
                                           ->mutable_party()
                                           ->set_country("XX");
                                     },
                                     {"incident.attribution.party.country"}},
                                 BadCase{"NoSources",
                                         [](v1::Incident* i) {
                                           i->clear_sources();
                                         },
                                         {"incident.sources"}},
                                 BadCase{"HugeDescription",
                                         [](v1::Incident* i) {
                                           i->set_description(
                                               std::string(5000, 'x'));
                                         },
                                         {"incident.description"}},
                                 BadCase{"EverythingAtOnce",
                                         [](v1::Incident* i) {
                                           i->clear_kind();
                                           i->clear_target();
                                           i->clear_place();
                                           auto* k = i->mutable_casualties()
                                                         ->mutable_killed();
                                           k->set_high(1);
                                           k->set_qualifier(
                                               Estimate::QUALIFIER_ABOUT);
                                           AddPowerOutage(i)
                                               ->set_duration_hours(-1);
                                           i->add_effects();
                                           i->mutable_attribution()
                                               ->clear_reliability();
                                         },
                                         {"incident.kind", "incident.target",
                                          "incident.place",
                                          "incident.casualties.killed.low",
                                          "incident.effects[0].duration_hours",
                                          "incident.effects[1].kind",
                                          "incident.attribution.reliability"}}),
                         CaseName());

}  // namespace
}  // namespace parley::incidents
