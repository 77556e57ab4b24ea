// The week of `seed-article.txt` as records, for the gateway tests: their
// names and builders. "Kyiv announced that Russia returned the remains of
// 1,000 Ukrainian soldiers this week ... Russia simultaneously received 38
// bodies"; the Istanbul agreement of 2025 (12,000 bodies, wounded prisoners
// and those under 25); the November exchange (1,000 and 30); prisoner
// exchanges stalled since October 2025, each side blaming the other; the
// trilateral talks in the UAE last week; Russia's demand for the 25% of
// Donetsk region; the drone strike on a passenger train in Kharkiv region
// (at least five killed); the strikes on energy infrastructure (power and
// heating outages).
#ifndef PARLEY_TESTS_GATEWAY_SEED_WEEK_H_
#define PARLEY_TESTS_GATEWAY_SEED_WEEK_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"
#include "parley/common/v1/source.pb.h"
#include "parley/exchanges/v1/agreement.pb.h"
#include "parley/exchanges/v1/channel.pb.h"
#include "parley/exchanges/v1/exchange.pb.h"
#include "parley/incidents/v1/incident.pb.h"
#include "parley/negotiations/v1/position.pb.h"
#include "parley/negotiations/v1/round.pb.h"
#include "parley/negotiations/v1/statement.pb.h"

namespace parley::gateway_test {

namespace ex = ::parley::exchanges::v1;
namespace ng = ::parley::negotiations::v1;
namespace in = ::parley::incidents::v1;

using ::parley::common::v1::Estimate;
using ::parley::common::v1::Party;
using ::parley::common::v1::Source;

// Names of the seed records.
inline constexpr char kIstanbul[] = "agreements/istanbul-2025";
inline constexpr char kW05Exchange[] = "exchanges/remains-2026-w05";
inline constexpr char kNovExchange[] = "exchanges/remains-2025-11";
inline constexpr char kPowChannel[] = "channels/pow-ru-ua";
inline constexpr char kPowStalled[] = "channelStatuses/pow-stalled-w05";
inline constexpr char kUaeRound[] = "rounds/uae-2026-01";
inline constexpr char kDonetsk[] = "positions/ru-donetsk";
inline constexpr char kRuAccuses[] = "statements/ru-accuses-ua";
inline constexpr char kUaAccuses[] = "statements/ua-accuses-ru";
inline constexpr char kTrain[] = "incidents/kharkiv-train";
inline constexpr char kEnergy[] = "incidents/energy-campaign";

inline constexpr char kExchangesService[] =
    "parley.exchanges.v1.ExchangesService";
inline constexpr char kNegotiationsService[] =
    "parley.negotiations.v1.NegotiationsService";
inline constexpr char kIncidentsService[] =
    "parley.incidents.v1.IncidentsService";

// The caller the seed is loaded as ("x-parley-caller").
inline constexpr char kSeedCaller[] = "seed-loader";

// ---------------------------------------------------------------------------
// Builders for the seed week.

inline Party Country(const std::string& code) {
  Party p;
  p.set_country(code);
  return p;
}

inline Estimate Exact(int64_t n) {
  Estimate e;
  e.set_best(n);
  e.set_qualifier(Estimate::QUALIFIER_EXACT);
  return e;
}

inline Estimate AtLeast(int64_t n) {
  Estimate e;
  e.set_low(n);
  e.set_qualifier(Estimate::QUALIFIER_AT_LEAST);
  return e;
}

inline Estimate Unknown() {
  Estimate e;
  e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  return e;
}

inline Source Reported(const std::string& publisher,
                       const std::string& published = "2026-W05") {
  Source s;
  s.set_publisher(publisher);
  s.set_published(published);
  s.set_url("https://example.org/report");
  s.set_reliability(Source::RELIABILITY_REPORTED);
  return s;
}

// "as confirmed by Russian chief negotiator Vladimir Medinsky via a Telegram
// post".
inline Source MedinskyTelegram() {
  Source s;
  s.mutable_attributed_to()->set_person("Vladimir Medinsky");
  s.mutable_attributed_to()->set_role("chief negotiator");
  s.mutable_attributed_to()->set_country("RU");
  s.set_channel("Telegram post");
  s.set_published("2026-W05");
  s.set_reliability(Source::RELIABILITY_CLAIMED);
  return s;
}

inline ex::Agreement Istanbul() {
  ex::Agreement a;
  a.set_title("Istanbul agreement of 2025");
  a.set_concluded("2025");
  a.mutable_place()->set_country("TR");
  a.mutable_place()->set_settlement("Istanbul");
  a.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_SETTLEMENT);
  *a.add_parties() = Country("RU");
  *a.add_parties() = Country("UA");
  *a.add_mediators() = Country("TR");
  ex::Term* remains = a.add_terms();
  remains->set_category(ex::CATEGORY_REMAINS);
  *remains->mutable_quota() = Exact(12000);
  ex::Term* wounded = a.add_terms();
  wounded->set_category(ex::CATEGORY_WOUNDED_PRISONERS);
  *wounded->mutable_quota() = Unknown();
  ex::Term* young = a.add_terms();
  young->set_category(ex::CATEGORY_PRISONERS_UNDER_25);
  *young->mutable_quota() = Unknown();
  *a.add_sources() = Reported("Kyiv Independent");
  a.set_description("12,000 bodies, wounded prisoners and those under 25");
  return a;
}

inline ex::Transfer MakeTransfer(const std::string& from, const std::string& to,
                                 ex::Category category, int64_t count) {
  ex::Transfer t;
  *t.mutable_from_party() = Country(from);
  *t.mutable_to_party() = Country(to);
  t.set_category(category);
  *t.mutable_count() = Exact(count);
  return t;
}

// A repatriation of remains: Russia returned `returned`, received `received`.
inline ex::Exchange Repatriation(const std::string& occurred, int64_t returned,
                                 int64_t received,
                                 const std::string& agreement = kIstanbul) {
  ex::Exchange e;
  e.set_kind(ex::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e.set_occurred(occurred);
  e.set_agreement(agreement);
  *e.add_transfers() = MakeTransfer("RU", "UA", ex::CATEGORY_REMAINS, returned);
  *e.add_transfers() = MakeTransfer("UA", "RU", ex::CATEGORY_REMAINS, received);
  *e.add_sources() = MedinskyTelegram();
  e.set_description(absl::StrCat("Russia returned ", returned,
                                 " bodies and received ", received));
  return e;
}

inline ex::Channel PowChannel() {
  ex::Channel c;
  c.set_title("Prisoner-of-war exchanges, RU-UA");
  c.set_kind(ex::EXCHANGE_KIND_PRISONER_EXCHANGE);
  *c.add_parties() = Country("RU");
  *c.add_parties() = Country("UA");
  *c.add_sources() = Reported("Kyiv Independent");
  return c;
}

inline ex::ChannelStatus StalledSinceOctober() {
  ex::ChannelStatus s;
  s.set_channel(kPowChannel);
  s.set_state(ex::CHANNEL_STATE_STALLED);
  s.set_since("2025-10");
  s.set_reported("2026-W05");
  s.set_summary(
      "No prisoner exchange since October 2025; each side blames the other");
  *s.add_sources() = Reported("Kyiv Independent");
  return s;
}

inline ng::Round UaeRound() {
  ng::Round r;
  r.set_title("Trilateral talks in the UAE");
  r.set_format(ng::FORMAT_TRILATERAL);
  *r.add_parties() = Country("RU");
  *r.add_parties() = Country("UA");
  *r.add_parties() = Country("US");
  r.mutable_venue()->set_country("AE");
  r.set_held("2026-W04");
  auto* c = r.add_characterisations();
  c->set_term("constructive");
  c->mutable_by()->set_organization("the participants");
  *r.add_sources() = Reported("Kyiv Independent");
  return r;
}

// "Russia continues to demand that Ukraine relinquish its control over 25%
// of the Donetsk region".
inline ng::Position DonetskDemand() {
  ng::Position p;
  *p.mutable_holder() = Country("RU");
  p.set_stance(ng::STANCE_DEMAND);
  p.set_issue("territory");
  p.set_summary("Ukraine to withdraw from the 25% of Donetsk region it holds");
  *p.mutable_addressee() = Country("UA");
  p.mutable_subject()->set_country("UA");
  p.mutable_subject()->set_admin1("Donetsk");
  *p.mutable_quantity() = Exact(25);
  p.set_quantity_unit("percent of the region's territory");
  p.set_state(ng::POSITION_STATE_OPEN);
  p.set_first_reported("2026-W05");
  *p.add_sources() = Reported("Kyiv Independent");
  return p;
}

// "both Moscow and Kyiv leveling accusations that the opposing side is
// intentionally delaying the process".
inline ng::Statement Accusation(const std::string& speaker,
                                const std::string& target) {
  ng::Statement s;
  *s.mutable_speaker() = Country(speaker);
  s.set_made("2026-W05");
  s.set_kind(ng::STATEMENT_KIND_ACCUSATION);
  s.set_summary(absl::StrCat(target,
                             " is deliberately delaying prisoner "
                             "exchanges"));
  *s.mutable_target() = Country(target);
  s.add_about(kPowChannel);
  *s.add_sources() = Reported("Kyiv Independent");
  return s;
}

// "at least five individuals were killed in Ukraine's Kharkiv region Tuesday
// following a Russian drone strike on a passenger train".
inline in::Incident TrainStrike() {
  in::Incident i;
  i.set_title("Drone strike on a passenger train");
  i.set_kind(in::INCIDENT_KIND_DRONE_STRIKE);
  i.set_target(in::TARGET_CATEGORY_PASSENGER_TRAIN);
  i.set_occurred("2026-01-27");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_admin1("Kharkiv");
  i.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_ADMIN1);
  i.mutable_attribution()->mutable_party()->set_country("RU");
  i.mutable_attribution()->set_reliability(Source::RELIABILITY_REPORTED);
  *i.mutable_casualties()->mutable_killed() = AtLeast(5);
  *i.add_sources() = Reported("Kyiv Independent");
  return i;
}

// "intensified strikes targeting critical infrastructure in recent months,
// leading to widespread power and heating outages".
inline in::Incident EnergyCampaign() {
  in::Incident i;
  i.set_title("Strikes on energy infrastructure");
  i.set_kind(in::INCIDENT_KIND_STRIKE_CAMPAIGN);
  i.set_target(in::TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
  i.set_occurred("2025-11/2026-01");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_COUNTRY);
  i.mutable_attribution()->mutable_party()->set_country("RU");
  i.mutable_attribution()->set_reliability(Source::RELIABILITY_REPORTED);
  for (auto kind :
       {in::EFFECT_KIND_POWER_OUTAGE, in::EFFECT_KIND_HEATING_OUTAGE}) {
    auto* e = i.add_effects();
    e->set_kind(kind);
    *e->mutable_affected() = Unknown();
    e->set_note("in freezing weather");
  }
  *i.add_sources() = Reported("Kyiv Independent");
  return i;
}

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_SEED_WEEK_H_
