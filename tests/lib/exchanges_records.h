// The exchanges records of the seed week (`seed-article.txt`): the Istanbul
// agreement of 2025 (12,000 bodies; wounded prisoners and those under 25),
// the repatriations of 2026-W05 (1,000 returned, 38 received) and 2025-11
// (1,000 and 30), and the prisoner-exchange channel RU-UA, stalled since
// October 2025.
#ifndef PARLEY_TESTS_LIB_EXCHANGES_RECORDS_H_
#define PARLEY_TESTS_LIB_EXCHANGES_RECORDS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "parley/common/v1/place.pb.h"
#include "parley/exchanges/v1/agreement.pb.h"
#include "parley/exchanges/v1/channel.pb.h"
#include "parley/exchanges/v1/exchange.pb.h"
#include "tests/lib/records.h"

namespace parley::testing {

inline constexpr char kIstanbul[] = "agreements/istanbul-2025";

inline ::parley::exchanges::v1::Agreement Istanbul() {
  namespace v1 = ::parley::exchanges::v1;
  v1::Agreement a;
  a.set_title("Istanbul agreement of 2025");
  a.set_concluded("2025");
  a.mutable_place()->set_country("TR");
  a.mutable_place()->set_settlement("Istanbul");
  a.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_SETTLEMENT);
  *a.add_parties() = Country("RU");
  *a.add_parties() = Country("UA");
  *a.add_mediators() = Country("TR");
  a.set_round("rounds/istanbul-2");
  v1::Term* remains = a.add_terms();
  remains->set_category(v1::CATEGORY_REMAINS);
  *remains->mutable_quota() = Exact(12000);
  v1::Term* wounded = a.add_terms();
  wounded->set_category(v1::CATEGORY_WOUNDED_PRISONERS);
  *wounded->mutable_quota() = Unknown();
  v1::Term* young = a.add_terms();
  young->set_category(v1::CATEGORY_PRISONERS_UNDER_25);
  *young->mutable_quota() = Unknown();
  *a.add_sources() = Reported("Kyiv Independent");
  a.set_description("12,000 bodies, wounded prisoners and those under 25");
  return a;
}

inline ::parley::exchanges::v1::Transfer MakeTransfer(
    const std::string& from, const std::string& to,
    ::parley::exchanges::v1::Category category, int64_t count) {
  ::parley::exchanges::v1::Transfer t;
  *t.mutable_from_party() = Country(from);
  *t.mutable_to_party() = Country(to);
  t.set_category(category);
  *t.mutable_count() = Exact(count);
  return t;
}

// A repatriation of remains: Russia returned `returned`, received `received`.
inline ::parley::exchanges::v1::Exchange Repatriation(
    const std::string& occurred, int64_t returned, int64_t received,
    const std::string& agreement) {
  namespace v1 = ::parley::exchanges::v1;
  v1::Exchange e;
  e.set_kind(v1::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e.set_occurred(occurred);
  e.set_agreement(agreement);
  *e.add_transfers() = MakeTransfer("RU", "UA", v1::CATEGORY_REMAINS, returned);
  *e.add_transfers() = MakeTransfer("UA", "RU", v1::CATEGORY_REMAINS, received);
  *e.add_sources() =
      MedinskyTelegram(::parley::common::v1::Source::RELIABILITY_CONFIRMED);
  e.set_description(absl::StrCat("Russia returned ", returned,
                                 " bodies and received ", received));
  return e;
}

inline ::parley::exchanges::v1::Channel PowChannel() {
  ::parley::exchanges::v1::Channel c;
  c.set_title("Prisoner-of-war exchanges, RU-UA");
  c.set_kind(::parley::exchanges::v1::EXCHANGE_KIND_PRISONER_EXCHANGE);
  *c.add_parties() = Country("RU");
  *c.add_parties() = Country("UA");
  *c.add_sources() = Reported("Kyiv Independent");
  return c;
}

inline ::parley::exchanges::v1::ChannelStatus StalledSinceOctober() {
  ::parley::exchanges::v1::ChannelStatus s;
  s.set_channel(kPowChannel);
  s.set_state(::parley::exchanges::v1::CHANNEL_STATE_STALLED);
  s.set_since("2025-10");
  s.set_reported("2026-W05");
  s.set_summary(
      "No prisoner exchange since October 2025; each side blames the other");
  ::parley::common::v1::Source ua = Reported("Kyiv Independent");
  ua.set_reliability(::parley::common::v1::Source::RELIABILITY_DISPUTED);
  *s.add_sources() = ua;
  return s;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_EXCHANGES_RECORDS_H_
