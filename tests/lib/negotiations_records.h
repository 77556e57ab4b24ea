// The negotiations records of the seed week (`seed-article.txt`):
// trilateral talks in the UAE (2026-W04, "constructive", US-mediated),
// Russia's demand that Ukraine withdraw from the 25% of Donetsk region it
// holds, and each side blaming the other for the stalled prisoner exchanges
// (kPowChannel); beside them, earlier rounds, positions and an assessment.
#ifndef PARLEY_TESTS_LIB_NEGOTIATIONS_RECORDS_H_
#define PARLEY_TESTS_LIB_NEGOTIATIONS_RECORDS_H_

#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/source.pb.h"
#include "parley/negotiations/v1/position.pb.h"
#include "parley/negotiations/v1/round.pb.h"
#include "parley/negotiations/v1/statement.pb.h"
#include "tests/lib/records.h"

namespace parley::testing {

inline constexpr char kUaeRound[] = "rounds/uae-2026-01";
inline constexpr char kIstanbulRound[] = "rounds/istanbul-2";
inline constexpr char kGenevaRound[] = "rounds/geneva-proximity";

// ---------------------------------------------------------------------------
// Rounds.

// "Trilateral talks in the UAE last week, described as constructive."
inline ::parley::negotiations::v1::Round UaeRound() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Round r;
  r.set_title("Trilateral talks in the UAE");
  r.set_format(v1::FORMAT_TRILATERAL);
  *r.add_parties() = Country("UA");
  *r.add_parties() = Country("RU");
  *r.add_mediators() = Country("US");
  r.mutable_venue()->set_country("AE");
  r.mutable_venue()->set_settlement("Abu Dhabi");
  r.set_held("2026-W04");
  auto* c = r.add_characterisations();
  c->set_term("constructive");
  c->mutable_by()->set_organization("the participants");
  r.add_outcomes("Further talks agreed");
  *r.add_sources() = Reported("Kyiv Independent", "2026-W05");
  return r;
}

inline ::parley::negotiations::v1::Round IstanbulRound() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Round r;
  r.set_title("Second Istanbul round");
  r.set_format(v1::FORMAT_BILATERAL);
  *r.add_parties() = Country("RU");
  *r.add_parties() = Country("UA");
  *r.add_mediators() = Country("TR");
  r.mutable_venue()->set_country("TR");
  r.mutable_venue()->set_settlement("Istanbul");
  r.set_held("2025-06-02");
  r.add_outcomes("Exchange of remains agreed: 6,000 bodies per side");
  *r.add_sources() = Reported("Reuters", "2025-06-02");
  return r;
}

inline ::parley::negotiations::v1::Round GenevaRound() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Round r;
  r.set_title("Proximity talks in Geneva");
  r.set_format(v1::FORMAT_PROXIMITY);
  *r.add_parties() = Country("UA");
  *r.add_parties() = Country("RU");
  *r.add_mediators() = Country("CH");
  *r.add_mediators() = Country("US");
  r.mutable_venue()->set_country("CH");
  r.set_held("2025-11-20/2025-11-21");
  *r.add_sources() = Reported("Reuters", "2025-11-21");
  return r;
}

// ---------------------------------------------------------------------------
// Positions.

// "Russia demands that Ukraine withdraw from the 25% of Donetsk region it
// holds."
inline ::parley::negotiations::v1::Position DonetskDemand() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Position p;
  *p.mutable_holder() = Country("RU");
  p.set_stance(v1::STANCE_DEMAND);
  p.set_issue("territory");
  p.set_summary("Ukraine to withdraw from the part of Donetsk region it holds");
  *p.mutable_addressee() = Country("UA");
  p.mutable_subject()->set_country("UA");
  p.mutable_subject()->set_admin1("Donetsk");
  p.mutable_quantity()->set_best(25);
  p.mutable_quantity()->set_qualifier(
      ::parley::common::v1::Estimate::QUALIFIER_ABOUT);
  p.set_quantity_unit("percent of the region's territory");
  p.set_state(v1::POSITION_STATE_OPEN);
  p.set_first_reported("2026-W05");
  *p.add_sources() = Reported("Kyiv Independent", "2026-W05");
  return p;
}

inline ::parley::negotiations::v1::Position CeasefireOffer() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Position p;
  *p.mutable_holder() = Country("UA");
  p.set_stance(v1::STANCE_OFFER);
  p.set_issue("ceasefire");
  p.set_summary("A ceasefire along the current line");
  p.set_state(v1::POSITION_STATE_OPEN);
  p.set_first_reported("2025-11");
  *p.add_sources() = Reported("Reuters", "2025-11");
  return p;
}

inline ::parley::negotiations::v1::Position PrisonersAgreed() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Position p;
  *p.mutable_holder() = Country("UA");
  p.set_stance(v1::STANCE_DEMAND);
  p.set_issue("prisoners");
  p.set_summary("All-for-all prisoner exchange");
  p.set_state(v1::POSITION_STATE_AGREED);
  p.set_first_reported("2025-06-02");
  *p.add_sources() = Reported("Reuters", "2025-06-02");
  return p;
}

// ---------------------------------------------------------------------------
// Statements.

// "Medinsky accused Ukraine of deliberately delaying the exchange."
inline ::parley::negotiations::v1::Statement MedinskyAccusation() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Statement s;
  s.mutable_speaker()->set_person("Vladimir Medinsky");
  s.mutable_speaker()->set_role("chief negotiator");
  s.mutable_speaker()->set_country("RU");
  s.set_made("2026-W05");
  s.set_kind(v1::STATEMENT_KIND_ACCUSATION);
  s.set_summary("Ukraine is deliberately delaying the prisoner exchange");
  *s.mutable_target() = Country("UA");
  s.add_about(kPowChannel);
  *s.add_sources() =
      MedinskyTelegram(::parley::common::v1::Source::RELIABILITY_CLAIMED);
  return s;
}

inline ::parley::negotiations::v1::Statement UkrainianAccusation() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Statement s;
  s.mutable_speaker()->set_organization(
      "Coordination Headquarters for the Treatment of Prisoners of War");
  s.mutable_speaker()->set_country("UA");
  s.set_made("2026-01-29");
  s.set_kind(v1::STATEMENT_KIND_ACCUSATION);
  s.set_summary("Russia is blocking the exchange");
  *s.mutable_target() = Country("RU");
  s.add_about(kPowChannel);
  *s.add_sources() = Reported("Ukrinform", "2026-01-29");
  return s;
}

inline ::parley::negotiations::v1::Statement TalksAssessment() {
  namespace v1 = ::parley::negotiations::v1;
  v1::Statement s;
  *s.mutable_speaker() = Country("UA");
  s.set_made("2026-01-24");
  s.set_kind(v1::STATEMENT_KIND_ASSESSMENT);
  s.set_summary("The talks were constructive");
  s.add_about(kUaeRound);
  s.add_about("incidents/kharkiv-train");
  *s.add_sources() = Reported("Kyiv Independent", "2026-01-24");
  return s;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_NEGOTIATIONS_RECORDS_H_
