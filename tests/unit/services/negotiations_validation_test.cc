// Validation of negotiations records (rounds, positions, statements): every
// bad field is named in one reply, and resolved fields are filled in place.
#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/negotiations/validation.h"
#include "tests/lib/negotiations_records.h"
#include "tests/lib/status_matchers.h"

namespace parley::negotiations {
namespace {

using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Estimate;
using ::parley::testing::BadFieldCase;
using ::parley::testing::CaseName;
using ::parley::testing::DonetskDemand;
using ::parley::testing::ExpectSpan;
using ::parley::testing::MedinskyAccusation;
using ::parley::testing::SpoiledFields;
using ::parley::testing::UaeRound;
using ::parley::testing::ViolationFields;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

// The records are the seed week's (tests/lib/negotiations_records.h): the
// round in the UAE, Russia's Donetsk demand and Medinsky's accusation.

// ---------------------------------------------------------------------------
// Rounds.

TEST(RoundValidationTest, SeedRoundIsValidAndResolved) {
  v1::Round r = UaeRound();
  r.mutable_held_span()->set_first_day("1999-01-01");  // output only: replaced
  FieldViolations v;
  ValidateRound(&r, "round", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  ExpectSpan(r.held_span(), "2026-W04", DateSpan::PRECISION_WEEK, "2026-01-19",
             "2026-01-25");
}

TEST(RoundValidationTest, CharacterisationWithoutSpeakerIsFine) {
  v1::Round r = UaeRound();
  r.mutable_characterisations(0)->clear_by();
  r.set_held("2026-01-20/2026-01-24");
  FieldViolations v;
  ValidateRound(&r, "round", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(r.held_span().first_day(), "2026-01-20");
  EXPECT_EQ(r.held_span().last_day(), "2026-01-24");
}

using RoundCase = BadFieldCase<v1::Round>;

class RoundBadFieldTest : public ::testing::TestWithParam<RoundCase> {};

TEST_P(RoundBadFieldTest, NamesTheField) {
  EXPECT_THAT(SpoiledFields(GetParam(), UaeRound(), ValidateRound, "round"),
              UnorderedElementsAreArray(GetParam().fields));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RoundBadFieldTest,
    ::testing::Values(
        RoundCase{"NoFormat",
                  [](v1::Round* r) { r->clear_format(); },
                  {"round.format"}},
        RoundCase{
            "UnknownFormatNumber",
            [](v1::Round* r) { r->set_format(static_cast<v1::Format>(17)); },
            {"round.format"}},
        RoundCase{"OneParty",
                  [](v1::Round* r) { r->mutable_parties()->RemoveLast(); },
                  {"round.parties"}},
        RoundCase{"NoParties",
                  [](v1::Round* r) { r->clear_parties(); },
                  {"round.parties"}},
        RoundCase{
            "UnknownPartyCode",
            [](v1::Round* r) { r->mutable_parties(1)->set_country("XX"); },
            {"round.parties[1].country"}},
        RoundCase{"EmptyParty",
                  [](v1::Round* r) { r->mutable_parties(0)->Clear(); },
                  {"round.parties[0]"}},
        RoundCase{
            "UnknownMediatorCode",
            [](v1::Round* r) { r->mutable_mediators(0)->set_country("ZZ"); },
            {"round.mediators[0].country"}},
        RoundCase{"MalformedHeld",
                  [](v1::Round* r) { r->set_held("2026-W54"); },
                  {"round.held"}},
        RoundCase{"ImpossibleHeldDay",
                  [](v1::Round* r) { r->set_held("2026-02-30"); },
                  {"round.held"}},
        RoundCase{"ReversedHeldRange",
                  [](v1::Round* r) { r->set_held("2026-01-24/2026-01-20"); },
                  {"round.held"}},
        RoundCase{"MissingHeld",
                  [](v1::Round* r) { r->clear_held(); },
                  {"round.held"}},
        RoundCase{"CharacterisationWithoutTerm",
                  [](v1::Round* r) {
                    r->add_characterisations()->mutable_by()->set_country("UA");
                  },
                  {"round.characterisations[1].term"}},
        RoundCase{"CharacterisationByUnknownCountry",
                  [](v1::Round* r) {
                    r->mutable_characterisations(0)->mutable_by()->set_country(
                        "QQ");
                  },
                  {"round.characterisations[0].by.country"}},
        RoundCase{"EmptyOutcome",
                  [](v1::Round* r) { r->add_outcomes(""); },
                  {"round.outcomes[1]"}},
        RoundCase{"VenueWithoutCountry",
                  [](v1::Round* r) { r->mutable_venue()->clear_country(); },
                  {"round.venue.country"}},
        RoundCase{"NoSources",
                  [](v1::Round* r) { r->clear_sources(); },
                  {"round.sources"}},
        RoundCase{
            "SourceWithoutReliability",
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
    CaseName());

// ---------------------------------------------------------------------------
// Positions.

TEST(PositionValidationTest, SeedPositionIsValidAndResolved) {
  v1::Position p = DonetskDemand();
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  // last_reported defaults to first_reported.
  EXPECT_EQ(p.last_reported(), "2026-W05");
  EXPECT_EQ(p.first_reported_span().first_day(), "2026-01-26");
  EXPECT_EQ(p.first_reported_span().last_day(), "2026-02-01");
  EXPECT_EQ(p.last_reported_span().text(), "2026-W05");
  EXPECT_EQ(p.quantity().best(), 25);
  EXPECT_EQ(p.quantity().qualifier(), Estimate::QUALIFIER_ABOUT);
}

TEST(PositionValidationTest, ExactQuantityIsCompletedAndNoQuantityNeedsNoUnit) {
  v1::Position p = DonetskDemand();
  p.mutable_quantity()->set_qualifier(Estimate::QUALIFIER_EXACT);
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(p.quantity().low(), 25);
  EXPECT_EQ(p.quantity().high(), 25);

  v1::Position q = DonetskDemand();
  q.clear_quantity();
  q.clear_quantity_unit();
  FieldViolations v2;
  ValidatePosition(&q, "position", &v2);
  EXPECT_THAT(ViolationFields(v2), IsEmpty());
  EXPECT_FALSE(q.has_quantity());
}

TEST(PositionValidationTest, LastReportedMayEndInsideTheFirstSpan) {
  // Reported "this week", then again on its Monday: not before the first.
  v1::Position p = DonetskDemand();
  p.set_last_reported("2026-01-26");
  FieldViolations v;
  ValidatePosition(&p, "position", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  p.set_last_reported("2026-02-10");
  FieldViolations v2;
  ValidatePosition(&p, "position", &v2);
  EXPECT_THAT(ViolationFields(v2), IsEmpty());
  EXPECT_EQ(p.last_reported_span().first_day(), "2026-02-10");
}

using PositionCase = BadFieldCase<v1::Position>;

class PositionBadFieldTest : public ::testing::TestWithParam<PositionCase> {};

TEST_P(PositionBadFieldTest, NamesTheField) {
  EXPECT_THAT(
      SpoiledFields(GetParam(), DonetskDemand(), ValidatePosition, "position"),
      UnorderedElementsAreArray(GetParam().fields));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PositionBadFieldTest,
    ::testing::Values(
        PositionCase{"MissingHolder",
                     [](v1::Position* p) { p->clear_holder(); },
                     {"position.holder"}},
        PositionCase{"EmptyHolder",
                     [](v1::Position* p) { p->mutable_holder()->Clear(); },
                     {"position.holder"}},
        PositionCase{
            "HolderUnknownCountry",
            [](v1::Position* p) { p->mutable_holder()->set_country("XX"); },
            {"position.holder.country"}},
        PositionCase{"MissingStance",
                     [](v1::Position* p) { p->clear_stance(); },
                     {"position.stance"}},
        PositionCase{
            "UnknownStanceNumber",
            [](v1::Position* p) { p->set_stance(static_cast<v1::Stance>(9)); },
            {"position.stance"}},
        PositionCase{"MissingIssue",
                     [](v1::Position* p) { p->clear_issue(); },
                     {"position.issue"}},
        PositionCase{"MissingState",
                     [](v1::Position* p) { p->clear_state(); },
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
        PositionCase{
            "QuantityNegative",
            [](v1::Position* p) { p->mutable_quantity()->set_best(-25); },
            {"position.quantity.best"}},
        PositionCase{
            "QuantityWithoutQualifier",
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
        PositionCase{
            "SubjectUnknownCountry",
            [](v1::Position* p) { p->mutable_subject()->set_country("XX"); },
            {"position.subject.country"}},
        PositionCase{"AddresseeEmpty",
                     [](v1::Position* p) { p->mutable_addressee()->Clear(); },
                     {"position.addressee"}},
        PositionCase{"NoSources",
                     [](v1::Position* p) { p->clear_sources(); },
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
    CaseName());

// ---------------------------------------------------------------------------
// Statements.

TEST(StatementValidationTest, SeedStatementIsValidAndResolved) {
  v1::Statement s = MedinskyAccusation();
  FieldViolations v;
  ValidateStatement(&s, "statement", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(s.made_span().precision(), DateSpan::PRECISION_WEEK);
  EXPECT_EQ(s.made_span().first_day(), "2026-01-26");
}

TEST(StatementValidationTest, AboutAcceptsRecordsOfEveryDomain) {
  v1::Statement s = MedinskyAccusation();
  s.clear_about();
  for (const char* name :
       {"channels/pow-ru-ua", "incidents/x", "agreements/istanbul-2025",
        "rounds/uae-2026-01", "exchanges/remains-2026-w05", "positions/p1",
        "statements/s-1", "channelStatuses/pow-stalled-2025-10"}) {
    s.add_about(name);
  }
  FieldViolations v;
  ValidateStatement(&s, "statement", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(s.about_size(), 8);
}

using StatementCase = BadFieldCase<v1::Statement>;

class StatementBadFieldTest : public ::testing::TestWithParam<StatementCase> {};

TEST_P(StatementBadFieldTest, NamesTheField) {
  EXPECT_THAT(SpoiledFields(GetParam(), MedinskyAccusation(), ValidateStatement,
                            "statement"),
              UnorderedElementsAreArray(GetParam().fields));
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
        StatementCase{
            "SpeakerUnknownCountry",
            [](v1::Statement* s) { s->mutable_speaker()->set_country("SU"); },
            {"statement.speaker.country"}},
        StatementCase{"MissingKind",
                      [](v1::Statement* s) { s->clear_kind(); },
                      {"statement.kind"}},
        StatementCase{"UnknownKindNumber",
                      [](v1::Statement* s) {
                        s->set_kind(static_cast<v1::StatementKind>(40));
                      },
                      {"statement.kind"}},
        StatementCase{"MissingSummary",
                      [](v1::Statement* s) { s->clear_summary(); },
                      {"statement.summary"}},
        StatementCase{"MissingMade",
                      [](v1::Statement* s) { s->clear_made(); },
                      {"statement.made"}},
        StatementCase{"MalformedMade",
                      [](v1::Statement* s) { s->set_made("last Tuesday"); },
                      {"statement.made"}},
        StatementCase{"AboutNonsense",
                      [](v1::Statement* s) { s->set_about(0, "nonsense"); },
                      {"statement.about[0]"}},
        StatementCase{
            "AboutBadId",
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
        StatementCase{
            "TargetUnknownCountry",
            [](v1::Statement* s) { s->mutable_target()->set_country("XX"); },
            {"statement.target.country"}},
        StatementCase{"NoSources",
                      [](v1::Statement* s) { s->clear_sources(); },
                      {"statement.sources"}},
        StatementCase{"SourceWithoutPublisherOrAttribution",
                      [](v1::Statement* s) {
                        s->mutable_sources(0)->clear_attributed_to();
                      },
                      {"statement.sources[0].publisher"}},
        StatementCase{
            "EverythingAtOnce",
            [](v1::Statement* s) {
              s->clear_speaker();
              s->clear_kind();
              s->clear_summary();
              s->set_about(0, "nonsense");
              s->add_about("rounds/Bad Id");
            },
            {"statement.speaker", "statement.kind", "statement.summary",
             "statement.about[0]", "statement.about[1]"}}),
    CaseName());

}  // namespace
}  // namespace parley::negotiations
