// Rounds, positions and statements: create, read, list, update and delete
// through the in-process server, and every List filter.
#include "tests/integration/negotiations_fixture.h"

namespace parley::negotiations {
namespace {

// ---------------------------------------------------------------------------
// Rounds.

TEST_F(NegotiationsIntegrationTest, RoundCreateGetListUpdateDelete) {
  const absl::Time before = absl::Now() - absl::Seconds(1);
  const Round created = CreateRoundOk(UaeRound(), "uae-2026-01", "alice");
  const auto& m = created.metadata();
  EXPECT_EQ(m.name(), kUaeRound);
  EXPECT_EQ(m.revision(), 1);
  EXPECT_FALSE(m.etag().empty());
  EXPECT_EQ(m.creator(), "alice");
  EXPECT_EQ(m.updater(), "alice");
  EXPECT_GE(Micros(m.create_time()), absl::ToUnixMicros(before));
  EXPECT_EQ(created.held_span().text(), "2026-W04");
  EXPECT_EQ(created.held_span().precision(), DateSpan::PRECISION_WEEK);
  EXPECT_EQ(created.held_span().first_day(), "2026-01-19");
  EXPECT_EQ(created.held_span().last_day(), "2026-01-25");
  EXPECT_EQ(created.format(), FORMAT_TRILATERAL);
  ASSERT_EQ(created.characterisations_size(), 1);
  EXPECT_EQ(created.characterisations(0).term(), "constructive");
  EXPECT_EQ(created.venue().settlement(), "Abu Dhabi");

  Round got;
  ASSERT_TRUE(GetRound(kUaeRound, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));
  ListRoundsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListRounds, ListRoundsRequest(), &listed).ok());
  ASSERT_EQ(listed.rounds_size(), 1);
  EXPECT_TRUE(ProtoEq(listed.rounds(0), created));

  // Add an outcome and a second characterisation, under the etag.
  UpdateRoundRequest update;
  Round* patch = update.mutable_round();
  patch->mutable_metadata()->set_name(kUaeRound);
  patch->mutable_metadata()->set_etag(m.etag());
  *patch->mutable_characterisations() = created.characterisations();
  auto* c = patch->add_characterisations();
  c->set_term("difficult");
  *c->mutable_by() = Country("RU");
  patch->set_title("not in the mask");
  *update.mutable_update_mask() = Mask({"characterisations"});
  Round updated;
  ASSERT_TRUE(Call(&Stub::UpdateRound, update, &updated, "bob").ok());
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_EQ(updated.metadata().creator(), "alice");
  EXPECT_EQ(updated.metadata().updater(), "bob");
  EXPECT_NE(updated.metadata().etag(), m.etag());
  EXPECT_EQ(updated.title(), "Trilateral talks in the UAE");
  ASSERT_EQ(updated.characterisations_size(), 2);
  EXPECT_EQ(updated.characterisations(1).term(), "difficult");
  EXPECT_EQ(updated.held_span().first_day(), "2026-01-19");

  // Move it a week later: the span is recomputed and re-indexed.
  UpdateRoundRequest move;
  move.mutable_round()->mutable_metadata()->set_name(kUaeRound);
  move.mutable_round()->set_held("2026-02-04/2026-02-05");
  *move.mutable_update_mask() = Mask({"held"});
  ASSERT_TRUE(Call(&Stub::UpdateRound, move, &updated).ok());
  EXPECT_EQ(updated.held_span().precision(), DateSpan::PRECISION_RANGE);
  EXPECT_EQ(updated.held_span().first_day(), "2026-02-04");
  ListRoundsRequest w04;
  w04.set_span("2026-W04");
  EXPECT_THAT(RoundNames(w04), IsEmpty());
  w04.set_span("2026-02-05");
  EXPECT_THAT(RoundNames(w04), ElementsAre(kUaeRound));

  DeleteRoundRequest del;
  del.set_name(kUaeRound);
  del.set_etag(updated.metadata().etag());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteRound, del, &empty, "carol").ok());
  EXPECT_EQ(GetRound(kUaeRound, &got).code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(RoundNames({}), IsEmpty());
  EXPECT_EQ(Call(&Stub::DeleteRound, del, &empty).code(),
            absl::StatusCode::kNotFound);
  const auto revisions = Revisions(kUaeRound);
  ASSERT_EQ(revisions.size(), 4u);
  EXPECT_EQ(revisions[0].change(), Revision::CHANGE_CREATE);
  EXPECT_THAT(revisions[1].changed_fields(), ElementsAre("characterisations"));
  // The resolved span is a field of the record too, and it changed with held.
  EXPECT_THAT(revisions[2].changed_fields(),
              UnorderedElementsAre("held", "held_span"));
  EXPECT_EQ(revisions[3].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[3].actor(), "carol");
}

TEST_F(NegotiationsIntegrationTest, RoundListFilters) {
  SeedRounds();
  const auto names = [&](auto fill) {
    ListRoundsRequest req;
    fill(req);
    return RoundNames(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre(kUaeRound, kIstanbulRound, kGenevaRound));
  // Span: overlap with `held`.
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01"); }),
              ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-25"); }),
              ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-26"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2025"); }),
              UnorderedElementsAre(kIstanbulRound, kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-11-21/2025-12-31"); }),
              ElementsAre(kGenevaRound));
  // Party: parties and mediators both count.
  EXPECT_THAT(names([](auto& r) { r.set_party("UA"); }),
              UnorderedElementsAre(kUaeRound, kIstanbulRound, kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_party("US"); }),
              UnorderedElementsAre(kUaeRound, kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_party("TR"); }),
              ElementsAre(kIstanbulRound));
  EXPECT_THAT(names([](auto& r) { r.set_party("DE"); }), IsEmpty());
  // Venue country: where it was held, not who mediated.
  EXPECT_THAT(names([](auto& r) { r.set_venue_country("AE"); }),
              ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_venue_country("US"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_venue_country("CH"); }),
              ElementsAre(kGenevaRound));
  // Format.
  EXPECT_THAT(names([](auto& r) { r.set_format(FORMAT_TRILATERAL); }),
              ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_format(FORMAT_PROXIMITY); }),
              ElementsAre(kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_format(FORMAT_MULTILATERAL); }),
              IsEmpty());
  // Combinations: every filter must hold.
  EXPECT_THAT(names([](auto& r) {
                r.set_party("US");
                r.set_span("2025");
              }),
              ElementsAre(kGenevaRound));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_format(FORMAT_BILATERAL);
                r.set_venue_country("TR");
              }),
              ElementsAre(kIstanbulRound));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("TR");
                r.set_format(FORMAT_TRILATERAL);
              }),
              IsEmpty());

  // Bad filters name themselves.
  ExpectFiltersRefused(
      &Stub::ListRounds,
      {{[](auto& r) { r.set_party("XX"); }, "party"},
       {[](auto& r) { r.set_venue_country("uae"); }, "venue_country"},
       {[](auto& r) { r.set_format(static_cast<Format>(99)); }, "format"},
       {[](auto& r) { r.set_span("2026-13"); }, "span"},
       {[](auto& r) { r.set_page_size(-1); }, "page_size"},
       {[](auto& r) { r.set_page_token("garbage"); }, "page_token"}});
}

// ---------------------------------------------------------------------------
// Positions and statements: CRUD and filters.

TEST_F(NegotiationsIntegrationTest, PositionCrudAndFilters) {
  const Position created =
      CreatePositionOk(DonetskDemand(), "ru-donetsk", "alice");
  EXPECT_EQ(created.metadata().name(), "positions/ru-donetsk");
  EXPECT_EQ(created.last_reported(), "2026-W05");  // defaults to first
  EXPECT_EQ(created.first_reported_span().first_day(), "2026-01-26");
  EXPECT_EQ(created.last_reported_span().last_day(), "2026-02-01");
  EXPECT_EQ(created.quantity().best(), 25);
  EXPECT_EQ(created.quantity_unit(), "percent of the region's territory");
  Position got;
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));
  CreatePositionOk(CeasefireOffer(), "ua-ceasefire");
  CreatePositionOk(PrisonersAgreed(), "ua-prisoners");

  const auto names = [&](auto fill) {
    ListPositionsRequest req;
    fill(req);
    return PositionNames(req);
  };
  EXPECT_THAT(
      names([](auto&) {}),
      UnorderedElementsAre("positions/ru-donetsk", "positions/ua-ceasefire",
                           "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(
      names([](auto& r) { r.set_party("UA"); }),
      UnorderedElementsAre("positions/ua-ceasefire", "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_AGREED); }),
              ElementsAre("positions/ua-prisoners"));
  EXPECT_THAT(
      names([](auto& r) { r.set_state(POSITION_STATE_OPEN); }),
      UnorderedElementsAre("positions/ru-donetsk", "positions/ua-ceasefire"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_WITHDRAWN); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_stance(STANCE_OFFER); }),
              ElementsAre("positions/ua-ceasefire"));
  EXPECT_THAT(
      names([](auto& r) { r.set_stance(STANCE_DEMAND); }),
      UnorderedElementsAre("positions/ru-donetsk", "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_issue("territory"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_issue("Territory"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_issue("energy"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-W05"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(
      names([](auto& r) { r.set_span("2025"); }),
      UnorderedElementsAre("positions/ua-ceasefire", "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_stance(STANCE_DEMAND);
                r.set_state(POSITION_STATE_AGREED);
              }),
              ElementsAre("positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_issue("territory");
              }),
              IsEmpty());

  ExpectFiltersRefused(
      &Stub::ListPositions,
      {{[](auto& r) { r.set_state(static_cast<PositionState>(9)); }, "state"},
       {[](auto& r) { r.set_stance(static_cast<Stance>(9)); }, "stance"},
       {[](auto& r) { r.set_party("Russia"); }, "party"},
       {[](auto& r) { r.set_span("2026-W99"); }, "span"}});

  // Withdraw it: it moves between state filters.
  UpdatePositionRequest update;
  update.mutable_position()->mutable_metadata()->set_name(
      "positions/ru-donetsk");
  update.mutable_position()->mutable_metadata()->set_etag(
      created.metadata().etag());
  update.mutable_position()->set_state(POSITION_STATE_WITHDRAWN);
  *update.mutable_update_mask() = Mask({"state"});
  Position updated;
  ASSERT_TRUE(Call(&Stub::UpdatePosition, update, &updated).ok());
  EXPECT_EQ(updated.state(), POSITION_STATE_WITHDRAWN);
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_WITHDRAWN); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_OPEN); }),
              ElementsAre("positions/ua-ceasefire"));

  DeletePositionRequest del;
  del.set_name("positions/ru-donetsk");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeletePosition, del, &empty).ok());
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &got).code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }), IsEmpty());
}

TEST_F(NegotiationsIntegrationTest, StatementCrudAndFilters) {
  SeedStatements();
  Statement got;
  ASSERT_TRUE(GetStatement("statements/medinsky-delay", &got).ok());
  EXPECT_EQ(got.made_span().first_day(), "2026-01-26");
  EXPECT_EQ(got.speaker().person(), "Vladimir Medinsky");
  EXPECT_THAT(got.about(), ElementsAre(kPowChannel));

  const auto names = [&](auto fill) {
    ListStatementsRequest req;
    fill(req);
    return StatementNames(req);
  };
  // About: what each side says about the stalled channel.
  EXPECT_THAT(names([](auto& r) { r.set_about(kPowChannel); }),
              UnorderedElementsAre("statements/medinsky-delay",
                                   "statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_about(kUaeRound); }),
              ElementsAre("statements/ua-constructive"));
  EXPECT_THAT(names([](auto& r) { r.set_about("incidents/kharkiv-train"); }),
              ElementsAre("statements/ua-constructive"));
  EXPECT_THAT(names([](auto& r) { r.set_about("agreements/istanbul-2025"); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_kind(STATEMENT_KIND_ACCUSATION); }),
              UnorderedElementsAre("statements/medinsky-delay",
                                   "statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_kind(STATEMENT_KIND_DENIAL); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }),
              ElementsAre("statements/medinsky-delay"));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_about(kPowChannel);
              }),
              ElementsAre("statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-29"); }),
              UnorderedElementsAre("statements/medinsky-delay",
                                   "statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-W04"); }),
              ElementsAre("statements/ua-constructive"));
  EXPECT_THAT(names([](auto& r) {
                r.set_span("2026-W04");
                r.set_kind(STATEMENT_KIND_ACCUSATION);
              }),
              IsEmpty());

  for (const char* about : {"nonsense", "rounds/Bad Id", "people/medinsky"}) {
    ListStatementsRequest req;
    req.set_about(about);
    ListStatementsResponse resp;
    const absl::Status s = Call(&Stub::ListStatements, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << about;
    EXPECT_THAT(ViolationFields(s), ElementsAre("about")) << about;
  }
  ListStatementsRequest bad_kind;
  bad_kind.set_kind(static_cast<StatementKind>(77));
  ListStatementsResponse resp;
  EXPECT_THAT(ViolationFields(Call(&Stub::ListStatements, bad_kind, &resp)),
              ElementsAre("kind"));

  // Re-point a statement: the about index follows.
  UpdateStatementRequest update;
  update.mutable_statement()->mutable_metadata()->set_name(
      "statements/ua-blocking");
  update.mutable_statement()->add_about("agreements/istanbul-2025");
  *update.mutable_update_mask() = Mask({"about"});
  Statement updated;
  ASSERT_TRUE(Call(&Stub::UpdateStatement, update, &updated).ok());
  EXPECT_THAT(updated.about(), ElementsAre("agreements/istanbul-2025"));
  EXPECT_THAT(names([](auto& r) { r.set_about(kPowChannel); }),
              ElementsAre("statements/medinsky-delay"));
  EXPECT_THAT(names([](auto& r) { r.set_about("agreements/istanbul-2025"); }),
              ElementsAre("statements/ua-blocking"));

  DeleteStatementRequest del;
  del.set_name("statements/medinsky-delay");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteStatement, del, &empty).ok());
  EXPECT_THAT(names([](auto& r) { r.set_about(kPowChannel); }), IsEmpty());
  EXPECT_EQ(GetStatement("statements/medinsky-delay", &got).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace parley::negotiations
