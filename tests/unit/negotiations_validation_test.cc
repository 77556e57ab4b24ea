// Validation of negotiations records (rounds, positions, statements): every
// bad field is named in one reply, and resolved fields are filled in place.
#include "services/negotiations/validation.h"

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace parley::negotiations {
namespace {

using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Estimate;
using ::parley::common::v1::Source;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

std::vector<std::string> Fields(const FieldViolations& v) {
  google::rpc::BadRequest bad;
  std::vector<std::string> fields;
  if (GetBadRequest(v.ToStatus(), &bad)) {
    for (const auto& f : bad.field_violations()) fields.push_back(f.field());
  }
  return fields;
}

Source Reported(const std::string& publisher) {
  Source s;
  s.set_publisher(publisher);
  s.set_published("2026-W05");
  s.set_reliability(Source::RELIABILITY_REPORTED);
  return s;
}

// "Trilateral talks in the UAE last week, described as constructive."
v1::Round SeedRound() {
  v1::Round r;
  r.set_title("Trilateral talks in the UAE");
  r.set_format(v1::FORMAT_TRILATERAL);
  r.add_parties()->set_country("UA");
  r.add_parties()->set_country("RU");
  r.add_mediators()->set_country("US");
  r.add_mediators()->set_country("AE");
  r.mutable_venue()->set_country("AE");
  r.mutable_venue()->set_settlement("Abu Dhabi");
  r.set_held("2026-W04");
  auto* c = r.add_characterisations();
  c->set_term("constructive");
  c->mutable_by()->set_organization("the participants");
  r.add_outcomes("Further talks agreed");
  *r.add_sources() = Reported("Kyiv Independent");
  return r;
}

// "Russia demands that Ukraine withdraw from the 25% of Donetsk region it
// holds."
v1::Position SeedPosition() {
  v1::Position p;
  p.mutable_holder()->set_country("RU");
  p.set_stance(v1::STANCE_DEMAND);
  p.set_issue("territory");
  p.set_summary("Ukraine to withdraw from the part of Donetsk region it holds");
  p.mutable_addressee()->set_country("UA");
  p.mutable_subject()->set_country("UA");
  p.mutable_subject()->set_admin1("Donetsk");
  p.mutable_quantity()->set_best(25);
  p.mutable_quantity()->set_qualifier(Estimate::QUALIFIER_ABOUT);
  p.set_quantity_unit("percent of the region's territory");
  p.set_state(v1::POSITION_STATE_OPEN);
  p.set_first_reported("2026-W05");
  *p.add_sources() = Reported("Kyiv Independent");
  return p;
}

// "Medinsky accused Ukraine of deliberately delaying the exchange."
v1::Statement SeedStatement() {
  v1::Statement s;
  s.mutable_speaker()->set_person("Vladimir Medinsky");
  s.mutable_speaker()->set_role("chief negotiator");
  s.mutable_speaker()->set_country("RU");
  s.set_made("2026-W05");
  s.set_kind(v1::STATEMENT_KIND_ACCUSATION);
  s.set_summary("Ukraine is deliberately delaying the prisoner exchange");
  s.mutable_target()->set_country("UA");
  s.add_about("channels/pow-ru-ua");
  Source telegram;
  telegram.mutable_attributed_to()->set_person("Vladimir Medinsky");
  telegram.set_channel("Telegram post");
  telegram.set_reliability(Source::RELIABILITY_CLAIMED);
  *s.add_sources() = telegram;
  return s;
}

// ---------------------------------------------------------------------------
// Rounds.

TEST(RoundValidationTest, SeedRoundIsValidAndResolved) {
  v1::Round r = SeedRound();
  r.mutable_held_span()->set_first_day("1999-01-01");  // output only: replaced
  FieldViolations v;
  ValidateRound(&r, "round", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  EXPECT_EQ(r.held_span().text(), "2026-W04");
  EXPECT_EQ(r.held_span().precision(), DateSpan::PRECISION_WEEK);
  EXPECT_EQ(r.held_span().first_day(), "2026-01-19");
  EXPECT_EQ(r.held_span().last_day(), "2026-01-25");
}

TEST(RoundValidationTest, CharacterisationWithoutSpeakerIsFine) {
  v1::Round r = SeedRound();
  r.mutable_characterisations(0)->clear_by();
  r.set_held("2026-01-20/2026-01-24");
  FieldViolations v;
  ValidateRound(&r, "round", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  EXPECT_EQ(r.held_span().first_day(), "2026-01-20");
  EXPECT_EQ(r.held_span().last_day(), "2026-01-24");
}

struct RoundCase {
  const char* name;
  std::function<void(v1::Round*)> spoil;
  std::vector<std::string> fields;
};

class RoundBadFieldTest : public ::testing::TestWithParam<RoundCase> {};

TEST_P(RoundBadFieldTest, NamesTheField) {
  v1::Round r = SeedRound();
  GetParam().spoil(&r);
  FieldViolations v;
  ValidateRound(&r, "round", &v);
  EXPECT_THAT(Fields(v), UnorderedElementsAreArray(GetParam().fields));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RoundBadFieldTest,
    ::testing::Values(
        RoundCase{"NoFormat", [](v1::Round* r) { r->clear_format(); },
                  {"round.format"}},
        RoundCase{"UnknownFormatNumber",
                  [](v1::Round* r) { r->set_format(static_cast<v1::Format>(17)); },
                  {"round.format"}},
        RoundCase{"OneParty",
                  [](v1::Round* r) { r->mutable_parties()->RemoveLast(); },
                  {"round.parties"}},
        RoundCase{"NoParties", [](v1::Round* r) { r->clear_parties(); },
                  {"round.parties"}},
        RoundCase{"UnknownPartyCode",
                  [](v1::Round* r) { r->mutable_parties(1)->set_country("XX"); },
                  {"round.parties[1].country"}},
        RoundCase{"EmptyParty",
                  [](v1::Round* r) { r->mutable_parties(0)->Clear(); },
                  {"round.parties[0]"}},
        RoundCase{"UnknownMediatorCode",
                  [](v1::Round* r) { r->mutable_mediators(0)->set_country("ZZ"); },
                  {"round.mediators[0].country"}},
        RoundCase{"MalformedHeld", [](v1::Round* r) { r->set_held("2026-W54"); },
                  {"round.held"}},
        RoundCase{"ImpossibleHeldDay",
                  [](v1::Round* r) { r->set_held("2026-02-30"); },
                  {"round.held"}},
        RoundCase{"ReversedHeldRange",
                  [](v1::Round* r) { r->set_held("2026-01-24/2026-01-20"); },
                  {"round.held"}},
        RoundCase{"MissingHeld", [](v1::Round* r) { r->clear_held(); },
                  {"round.held"}},
        RoundCase{"CharacterisationWithoutTerm",
                  [](v1::Round* r) {
                    r->add_characterisations()->mutable_by()->set_country("UA");
                  },
                  {"round.characterisations[1].term"}},
        RoundCase{"CharacterisationByUnknownCountry",
                  [](v1::Round* r) {
                    r->mutable_characterisations(0)->mutable_by()->set_country("QQ");
                  },
                  {"round.characterisations[0].by.country"}},
        RoundCase{"EmptyOutcome", [](v1::Round* r) { r->add_outcomes(""); },
                  {"round.outcomes[1]"}},
        RoundCase{"VenueWithoutCountry",
                  [](v1::Round* r) { r->mutable_venue()->clear_country(); },
                  {"round.venue.country"}},
        RoundCase{"NoSources", [](v1::Round* r) { r->clear_sources(); },
                  {"round.sources"}},
        RoundCase{"SourceWithoutReliability",
                  [](v1::Round* r) { r->mutable_sources(0)->clear_reliability(); },
                  {"round.sources[0].reliability"}},
        RoundCase{"InvalidUtf8Title",
                  [](v1::Round* r) { r->set_title("\xff\xfe"); },
                  {"round.title"}},
        RoundCase{"EverythingAtOnce",
                  [](v1::Round* r) {
                    r->clear_format();
                    r->mutable_parties()->RemoveLast();
                    r->set_held("2026-13");
                    r->add_characterisations();
                    r->clear_sources();
                  },
                  {"round.format", "round.parties", "round.held",
                   "round.characterisations[1].term", "round.sources"}}),
    [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------
// Positions.

TEST(PositionValidationTest, SeedPositionIsValidAndResolved) {
  v1::Position p = SeedPosition();
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  // last_reported defaults to first_reported.
  EXPECT_EQ(p.last_reported(), "2026-W05");
  EXPECT_EQ(p.first_reported_span().first_day(), "2026-01-26");
  EXPECT_EQ(p.first_reported_span().last_day(), "2026-02-01");
  EXPECT_EQ(p.last_reported_span().text(), "2026-W05");
  EXPECT_EQ(p.quantity().best(), 25);
  EXPECT_EQ(p.quantity().qualifier(), Estimate::QUALIFIER_ABOUT);
}

TEST(PositionValidationTest, ExactQuantityIsCompletedAndNoQuantityNeedsNoUnit) {
  v1::Position p = SeedPosition();
  p.mutable_quantity()->set_qualifier(Estimate::QUALIFIER_EXACT);
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  EXPECT_EQ(p.quantity().low(), 25);
  EXPECT_EQ(p.quantity().high(), 25);

  v1::Position q = SeedPosition();
  q.clear_quantity();
  q.clear_quantity_unit();
  FieldViolations v2;
  ValidatePosition(&q, "position", &v2);
  EXPECT_THAT(Fields(v2), IsEmpty());
  EXPECT_FALSE(q.has_quantity());
}

TEST(PositionValidationTest, LastReportedMayEndInsideTheFirstSpan) {
  // Reported "this week", then again on its Monday: not before the first.
  v1::Position p = SeedPosition();
  p.set_last_reported("2026-01-26");
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  p.set_last_reported("2026-02-10");
  FieldViolations v2;
  ValidatePosition(&p, "position", &v2);
  EXPECT_THAT(Fields(v2), IsEmpty());
  EXPECT_EQ(p.last_reported_span().first_day(), "2026-02-10");
}

struct PositionCase {
  const char* name;
  std::function<void(v1::Position*)> spoil;
  std::vector<std::string> fields;
};

class PositionBadFieldTest : public ::testing::TestWithParam<PositionCase> {};

TEST_P(PositionBadFieldTest, NamesTheField) {
  v1::Position p = SeedPosition();
  GetParam().spoil(&p);
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(Fields(v), UnorderedElementsAreArray(GetParam().fields));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PositionBadFieldTest,
    ::testing::Values(
        PositionCase{"MissingHolder", [](v1::Position* p) { p->clear_holder(); },
                     {"position.holder"}},
        PositionCase{"EmptyHolder",
                     [](v1::Position* p) { p->mutable_holder()->Clear(); },
                     {"position.holder"}},
        PositionCase{"HolderUnknownCountry",
                     [](v1::Position* p) { p->mutable_holder()->set_country("XX"); },
                     {"position.holder.country"}},
        PositionCase{"MissingStance", [](v1::Position* p) { p->clear_stance(); },
                     {"position.stance"}},
        PositionCase{"UnknownStanceNumber",
                     [](v1::Position* p) { p->set_stance(static_cast<v1::Stance>(9)); },
                     {"position.stance"}},
        PositionCase{"MissingIssue", [](v1::Position* p) { p->clear_issue(); },
                     {"position.issue"}},
        PositionCase{"MissingState", [](v1::Position* p) { p->clear_state(); },
                     {"position.state"}},
        PositionCase{"UnknownStateNumber",
                     [](v1::Position* p) {
                       p->set_state(static_cast<v1::PositionState>(12));
                     },
                     {"position.state"}},
        // last_reported is optional (it defaults to first_reported): only
        // the missing first_reported is named.
        PositionCase{"MissingFirstReported",
                     [](v1::Position* p) { p->clear_first_reported(); },
                     {"position.first_reported"}},
        PositionCase{"MissingFirstReportedWithLast",
                     [](v1::Position* p) {
                       p->clear_first_reported();
                       p->set_last_reported("2026-W05");
                     },
                     {"position.first_reported"}},
        PositionCase{"MalformedFirstReported",
                     [](v1::Position* p) {
                       p->set_first_reported("2026-02-30");
                       p->set_last_reported("2026-W06");
                     },
                     {"position.first_reported"}},
        PositionCase{"MalformedLastReported",
                     [](v1::Position* p) { p->set_last_reported("2026-W99"); },
                     {"position.last_reported"}},
        PositionCase{"LastReportedBeforeFirstReported",
                     [](v1::Position* p) {
                       p->set_first_reported("2026-01-27");
                       p->set_last_reported("2026-01-20");
                     },
                     {"position.last_reported"}},
        PositionCase{"LastReportedWeekBeforeFirstReported",
                     [](v1::Position* p) { p->set_last_reported("2026-W03"); },
                     {"position.last_reported"}},
        PositionCase{"QuantityWithoutUnit",
                     [](v1::Position* p) { p->clear_quantity_unit(); },
                     {"position.quantity_unit"}},
        PositionCase{"QuantityLowAboveHigh",
                     [](v1::Position* p) {
                       auto* q = p->mutable_quantity();
                       q->Clear();
                       q->set_low(30);
                       q->set_high(20);
                       q->set_qualifier(Estimate::QUALIFIER_ABOUT);
                     },
                     {"position.quantity.low"}},
        PositionCase{"QuantityNegative",
                     [](v1::Position* p) { p->mutable_quantity()->set_best(-25); },
                     {"position.quantity.best"}},
        PositionCase{"QuantityWithoutQualifier",
                     [](v1::Position* p) { p->mutable_quantity()->clear_qualifier(); },
                     {"position.quantity.qualifier"}},
        PositionCase{"QuantityAtLeastWithHigh",
                     [](v1::Position* p) {
                       auto* q = p->mutable_quantity();
                       q->Clear();
                       q->set_low(20);
                       q->set_high(30);
                       q->set_qualifier(Estimate::QUALIFIER_AT_LEAST);
                     },
                     {"position.quantity.high"}},
        PositionCase{"SubjectUnknownCountry",
                     [](v1::Position* p) { p->mutable_subject()->set_country("XX"); },
                     {"position.subject.country"}},
        PositionCase{"AddresseeEmpty",
                     [](v1::Position* p) { p->mutable_addressee()->Clear(); },
                     {"position.addressee"}},
        PositionCase{"NoSources", [](v1::Position* p) { p->clear_sources(); },
                     {"position.sources"}},
        PositionCase{"SourceBadUrl",
                     [](v1::Position* p) {
                       p->mutable_sources(0)->set_url("ftp://example.org/x");
                     },
                     {"position.sources[0].url"}},
        PositionCase{"EverythingAtOnce",
                     [](v1::Position* p) {
                       p->clear_holder();
                       p->clear_stance();
                       p->clear_issue();
                       p->clear_state();
                       p->clear_quantity_unit();
                       p->set_first_reported("2026-01-27");
                       p->set_last_reported("2026-01-01");
                     },
                     {"position.holder", "position.stance", "position.issue",
                      "position.state", "position.quantity_unit",
                      "position.last_reported"}}),
    [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------
// Statements.

TEST(StatementValidationTest, SeedStatementIsValidAndResolved) {
  v1::Statement s = SeedStatement();
  FieldViolations v;
  ValidateStatement(&s, "statement", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  EXPECT_EQ(s.made_span().precision(), DateSpan::PRECISION_WEEK);
  EXPECT_EQ(s.made_span().first_day(), "2026-01-26");
}

TEST(StatementValidationTest, AboutAcceptsRecordsOfEveryDomain) {
  v1::Statement s = SeedStatement();
  s.clear_about();
  for (const char* name :
       {"channels/pow-ru-ua", "incidents/x", "agreements/istanbul-2025",
        "rounds/uae-2026-01", "exchanges/remains-2026-w05", "positions/p1",
        "statements/s-1", "channelStatuses/pow-stalled-2025-10"}) {
    s.add_about(name);
  }
  FieldViolations v;
  ValidateStatement(&s, "statement", &v);
  EXPECT_THAT(Fields(v), IsEmpty());
  EXPECT_EQ(s.about_size(), 8);
}

struct StatementCase {
  const char* name;
  std::function<void(v1::Statement*)> spoil;
  std::vector<std::string> fields;
};

class StatementBadFieldTest : public ::testing::TestWithParam<StatementCase> {};

TEST_P(StatementBadFieldTest, NamesTheField) {
  v1::Statement s = SeedStatement();
  GetParam().spoil(&s);
  FieldViolations v;
  ValidateStatement(&s, "statement", &v);
  EXPECT_THAT(Fields(v), UnorderedElementsAreArray(GetParam().fields));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StatementBadFieldTest,
    ::testing::Values(
        StatementCase{"MissingSpeaker",
                      [](v1::Statement* s) { s->clear_speaker(); },
                      {"statement.speaker"}},
        StatementCase{"EmptySpeaker",
                      [](v1::Statement* s) { s->mutable_speaker()->Clear(); },
                      {"statement.speaker"}},
        StatementCase{"SpeakerUnknownCountry",
                      [](v1::Statement* s) { s->mutable_speaker()->set_country("SU"); },
                      {"statement.speaker.country"}},
        StatementCase{"MissingKind", [](v1::Statement* s) { s->clear_kind(); },
                      {"statement.kind"}},
        StatementCase{"UnknownKindNumber",
                      [](v1::Statement* s) {
                        s->set_kind(static_cast<v1::StatementKind>(40));
                      },
                      {"statement.kind"}},
        StatementCase{"MissingSummary",
                      [](v1::Statement* s) { s->clear_summary(); },
                      {"statement.summary"}},
        StatementCase{"MissingMade", [](v1::Statement* s) { s->clear_made(); },
                      {"statement.made"}},
        StatementCase{"MalformedMade",
                      [](v1::Statement* s) { s->set_made("last Tuesday"); },
                      {"statement.made"}},
        StatementCase{"AboutNonsense",
                      [](v1::Statement* s) { s->set_about(0, "nonsense"); },
                      {"statement.about[0]"}},
        StatementCase{"AboutBadId",
                      [](v1::Statement* s) { s->set_about(0, "rounds/Bad Id"); },
                      {"statement.about[0]"}},
        StatementCase{"AboutEmptyId",
                      [](v1::Statement* s) { s->add_about("rounds/"); },
                      {"statement.about[1]"}},
        StatementCase{"AboutUnknownCollection",
                      [](v1::Statement* s) { s->add_about("people/medinsky"); },
                      {"statement.about[1]"}},
        StatementCase{"AboutEmptyString",
                      [](v1::Statement* s) { s->add_about(""); },
                      {"statement.about[1]"}},
        StatementCase{"TargetUnknownCountry",
                      [](v1::Statement* s) { s->mutable_target()->set_country("XX"); },
                      {"statement.target.country"}},
        StatementCase{"NoSources", [](v1::Statement* s) { s->clear_sources(); },
                      {"statement.sources"}},
        StatementCase{"SourceWithoutPublisherOrAttribution",
                      [](v1::Statement* s) {
                        s->mutable_sources(0)->clear_attributed_to();
                      },
                      {"statement.sources[0].publisher"}},
        StatementCase{"EverythingAtOnce",
                      [](v1::Statement* s) {
                        s->clear_speaker();
                        s->clear_kind();
                        s->clear_summary();
                        s->set_about(0, "nonsense");
                        s->add_about("rounds/Bad Id");
                      },
                      {"statement.speaker", "statement.kind", "statement.summary",
                       "statement.about[0]", "statement.about[1]"}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace parley::negotiations
