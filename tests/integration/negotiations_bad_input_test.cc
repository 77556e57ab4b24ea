// Bad input: INVALID_ARGUMENT naming every bad field, and nothing stored.
#include "tests/integration/negotiations_fixture.h"

namespace parley::negotiations {
namespace {

// ---------------------------------------------------------------------------
// Bad input: every bad field named, nothing stored.

TEST_F(NegotiationsIntegrationTest,
       BadInputNamesEveryBadFieldAndStoresNothing) {
  CreateRoundRequest round;
  Round r = UaeRound();
  r.clear_format();
  r.mutable_parties()->RemoveLast();
  r.set_held("2026-01-24/2026-01-20");
  r.add_characterisations()->mutable_by()->set_country("RU");
  *round.mutable_round() = r;
  round.set_round_id("UAE_2026");
  Round round_out;
  absl::Status s = Call(&Stub::CreateRound, round, &round_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(
      ViolationFields(s),
      UnorderedElementsAre("round_id", "round.format", "round.parties",
                           "round.held", "round.characterisations[1].term"));
  EXPECT_THAT(RoundNames({}), IsEmpty());

  CreatePositionRequest position;
  Position p = DonetskDemand();
  p.clear_holder();
  p.clear_stance();
  p.clear_issue();
  p.clear_state();
  p.clear_quantity_unit();
  p.set_first_reported("2026-01-27");
  p.set_last_reported("2026-01-20");
  *position.mutable_position() = p;
  Position position_out;
  s = Call(&Stub::CreatePosition, position, &position_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(
      ViolationFields(s),
      UnorderedElementsAre("position.holder", "position.stance",
                           "position.issue", "position.state",
                           "position.quantity_unit", "position.last_reported"));
  EXPECT_TRUE(AllPositions().empty());

  CreateStatementRequest statement;
  Statement st = MedinskyAccusation();
  st.clear_speaker();
  st.clear_kind();
  st.clear_summary();
  st.clear_about();
  st.add_about("nonsense");
  st.add_about("rounds/Bad Id");
  st.add_about("channels/pow-ru-ua");
  *statement.mutable_statement() = st;
  statement.set_request_id(std::string(200, 'r'));
  Statement statement_out;
  s = Call(&Stub::CreateStatement, statement, &statement_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("request_id", "statement.speaker",
                                   "statement.kind", "statement.summary",
                                   "statement.about[0]", "statement.about[1]"));
  EXPECT_THAT(StatementNames({}), IsEmpty());

  // A bad update names the field and leaves the record as it was.
  SeedRounds();
  Round before;
  ASSERT_TRUE(GetRound(kUaeRound, &before).ok());
  UpdateRoundRequest update;
  update.mutable_round()->mutable_metadata()->set_name(kUaeRound);
  update.mutable_round()->add_parties()->set_country("XX");
  update.mutable_round()->set_held("2026-W00");
  *update.mutable_update_mask() = Mask({"parties", "held"});
  s = Call(&Stub::UpdateRound, update, &round_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("round.parties", "round.parties[0].country",
                                   "round.held"));
  Round after;
  ASSERT_TRUE(GetRound(kUaeRound, &after).ok());
  EXPECT_TRUE(ProtoEq(after, before));
  // Unknown and output-only mask paths.
  *update.mutable_update_mask() = Mask({"venue_name", "held_span"});
  s = Call(&Stub::UpdateRound, update, &round_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("update_mask", "update_mask"));
  ASSERT_TRUE(GetRound(kUaeRound, &after).ok());
  EXPECT_TRUE(ProtoEq(after, before));
  EXPECT_EQ(Revisions(kUaeRound).size(), 1u);

  // Malformed names are INVALID_ARGUMENT naming "name"; absent is NOT_FOUND.
  for (const char* name : {"", "rounds/", "rounds/Bad Id",
                           "positions/uae-2026-01", "rounds/uae/x"}) {
    Round out;
    s = GetRound(name, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  EXPECT_EQ(GetRound("rounds/no-such-round", &after).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RoundNames({}).size(), 3u);
}

}  // namespace
}  // namespace parley::negotiations
