// The incidents of the seed week (`seed-article.txt`): a Russian drone strike
// on a passenger train in Kharkiv region on 2026-01-27 that killed at least
// five, and strikes on energy infrastructure over recent months
// ("2025-11/2026-01") with outages in freezing weather, no figure given.
// Beside them, a shelling in Kherson and a drone strike in Belgorod
// (attributed to Ukraine).
#ifndef PARLEY_TESTS_LIB_INCIDENTS_RECORDS_H_
#define PARLEY_TESTS_LIB_INCIDENTS_RECORDS_H_

#include <string>

#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/place.pb.h"
#include "parley/common/v1/source.pb.h"
#include "parley/incidents/v1/incident.pb.h"
#include "tests/lib/records.h"

namespace parley::testing {

inline void Attribute(::parley::incidents::v1::Incident* i,
                      const std::string& country,
                      ::parley::common::v1::Source::Reliability r) {
  i->mutable_attribution()->mutable_party()->set_country(country);
  i->mutable_attribution()->set_reliability(r);
}

// "A Russian drone strike on a passenger train in Kharkiv region on Tuesday
// killed at least five."
inline ::parley::incidents::v1::Incident TrainStrike() {
  namespace v1 = ::parley::incidents::v1;
  v1::Incident i;
  i.set_title("Drone strike on a passenger train");
  i.set_kind(v1::INCIDENT_KIND_DRONE_STRIKE);
  i.set_target(v1::TARGET_CATEGORY_PASSENGER_TRAIN);
  i.set_occurred("2026-01-27");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_admin1("Kharkiv");
  i.mutable_place()->mutable_coordinates()->set_latitude(49.99);
  i.mutable_place()->mutable_coordinates()->set_longitude(36.23);
  i.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_ADMIN1);
  Attribute(&i, "RU", ::parley::common::v1::Source::RELIABILITY_REPORTED);
  *i.mutable_casualties()->mutable_killed() = AtLeast(5);
  *i.add_sources() = Reported("Kyiv Independent");
  return i;
}

// "Strikes on energy infrastructure in recent months; outages in freezing
// weather."
inline ::parley::incidents::v1::Incident EnergyCampaign() {
  namespace v1 = ::parley::incidents::v1;
  v1::Incident i;
  i.set_title("Strikes on energy infrastructure");
  i.set_kind(v1::INCIDENT_KIND_STRIKE_CAMPAIGN);
  i.set_target(v1::TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
  i.set_occurred("2025-11/2026-01");
  // "in recent months": it went on throughout, as the seed week has it.
  i.set_occurrence(::parley::common::v1::OCCURRENCE_ONGOING);
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_COUNTRY);
  Attribute(&i, "RU", ::parley::common::v1::Source::RELIABILITY_REPORTED);
  for (auto kind :
       {v1::EFFECT_KIND_POWER_OUTAGE, v1::EFFECT_KIND_HEATING_OUTAGE}) {
    auto* e = i.add_effects();
    e->set_kind(kind);
    *e->mutable_affected() = Unknown();
    e->set_note("in freezing weather");
  }
  *i.add_sources() = Reported("Kyiv Independent");
  return i;
}

inline ::parley::incidents::v1::Incident KhersonShelling() {
  namespace v1 = ::parley::incidents::v1;
  v1::Incident i;
  i.set_title("Shelling of a residential district");
  i.set_kind(v1::INCIDENT_KIND_SHELLING);
  i.set_target(v1::TARGET_CATEGORY_RESIDENTIAL);
  i.set_occurred("2026-01-10");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_admin1("Kherson");
  Attribute(&i, "RU", ::parley::common::v1::Source::RELIABILITY_CLAIMED);
  *i.mutable_casualties()->mutable_killed() = Exact(2);
  i.mutable_casualties()->mutable_injured()->set_best(7);
  i.mutable_casualties()->mutable_injured()->set_qualifier(
      ::parley::common::v1::Estimate::QUALIFIER_ABOUT);
  *i.add_sources() = Reported("Suspilne");
  return i;
}

inline ::parley::incidents::v1::Incident BelgorodDrone() {
  namespace v1 = ::parley::incidents::v1;
  v1::Incident i;
  i.set_title("Drone strike on a car");
  i.set_kind(v1::INCIDENT_KIND_DRONE_STRIKE);
  i.set_target(v1::TARGET_CATEGORY_RESIDENTIAL);
  i.set_occurred("2026-01-28");
  i.mutable_place()->set_country("RU");
  i.mutable_place()->set_admin1("Belgorod");
  Attribute(&i, "UA", ::parley::common::v1::Source::RELIABILITY_CLAIMED);
  *i.mutable_casualties()->mutable_killed() = Exact(1);
  *i.mutable_casualties()->mutable_injured() = Exact(3);
  *i.add_sources() = Reported("TASS");
  return i;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_INCIDENTS_RECORDS_H_
