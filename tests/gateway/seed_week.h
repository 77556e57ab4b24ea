// The week of `seed-article.txt` as records, for the gateway tests: their
// names, and the builders of tests/lib (records.h and the three domains'
// *_records.h) brought into this namespace. "Kyiv announced that Russia
// returned the remains of 1,000 Ukrainian soldiers this week ... Russia
// simultaneously received 38 bodies"; the Istanbul agreement of 2025 (12,000
// bodies, wounded prisoners and those under 25); the November exchange (1,000
// and 30); prisoner exchanges stalled since October 2025, each side blaming
// the other (MedinskyAccusation, UkrainianAccusation); the trilateral talks
// in the UAE last week; Russia's demand for the 25% of Donetsk region; the
// drone strike on a passenger train in Kharkiv region (at least five killed);
// the strikes on energy infrastructure (power and heating outages).
#ifndef PARLEY_TESTS_GATEWAY_SEED_WEEK_H_
#define PARLEY_TESTS_GATEWAY_SEED_WEEK_H_

#include <cstdint>
#include <string>

#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"
#include "parley/common/v1/source.pb.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/incidents_records.h"
#include "tests/lib/negotiations_records.h"
#include "tests/lib/records.h"

namespace parley::gateway_test {

namespace ex = ::parley::exchanges::v1;
namespace ng = ::parley::negotiations::v1;
namespace in = ::parley::incidents::v1;

using ::parley::common::v1::Estimate;
using ::parley::common::v1::Party;
using ::parley::common::v1::Source;

// The builders, as tests/lib has them.
using ::parley::testing::AtLeast;
using ::parley::testing::Country;
using ::parley::testing::DonetskDemand;
using ::parley::testing::EnergyCampaign;
using ::parley::testing::Exact;
using ::parley::testing::Istanbul;
using ::parley::testing::MedinskyAccusation;
using ::parley::testing::PowChannel;
using ::parley::testing::StalledSinceOctober;
using ::parley::testing::TrainStrike;
using ::parley::testing::UkrainianAccusation;
using ::parley::testing::Unknown;

// Names of the seed records.
using ::parley::testing::kIstanbul;
using ::parley::testing::kPowChannel;
using ::parley::testing::kUaeRound;
inline constexpr char kW05Exchange[] = "exchanges/remains-2026-w05";
inline constexpr char kNovExchange[] = "exchanges/remains-2025-11";
inline constexpr char kPowStalled[] = "channelStatuses/pow-stalled-w05";
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

// A repatriation of remains: Russia returned `returned`, received `received`;
// under the Istanbul agreement unless another (or none, "") is named.
inline ex::Exchange Repatriation(const std::string& occurred, int64_t returned,
                                 int64_t received,
                                 const std::string& agreement = kIstanbul) {
  return ::parley::testing::Repatriation(occurred, returned, received,
                                         agreement);
}

// The round in the UAE as the gateway tests have it: the US a party to the
// trilateral talks (as the article has it), not a mediator, so that a summary
// for the US counts the round.
inline ng::Round UaeRound() {
  ng::Round r = ::parley::testing::UaeRound();
  r.clear_mediators();
  *r.add_parties() = Country("US");
  return r;
}

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_SEED_WEEK_H_
