// Writes: paging, idempotent creates, etag-guarded updates and deletes,
// history and reads as of a past time.
#include "tests/integration/negotiations_fixture.h"

namespace parley::negotiations {
namespace {

// ---------------------------------------------------------------------------
// Paging, idempotency, etags, history.

TEST_F(NegotiationsIntegrationTest, PagingVisitsEveryRecordOnce) {
  std::set<std::string> created;
  for (int i = 0; i < 23; ++i) {
    Statement s = MedinskyAccusation();
    s.set_made(FormatDay(absl::CivilDay(2026, 1, 1) + i));
    s.set_summary(absl::StrCat("statement ", i));
    created.insert(CreateStatementOk(s, "").metadata().name());
  }
  ASSERT_EQ(created.size(), 23u);

  for (const auto& fill :
       std::vector<std::function<void(ListStatementsRequest&)>>{
           [](auto&) {},                               // primary scan
           [](auto& r) { r.set_span("2026"); },        // date scan
           [](auto& r) { r.set_about(kPowChannel); },  // term scan
           [](auto& r) {
             r.set_party("RU");
             r.set_span("2026-01");
           }}) {
    ListStatementsRequest req;
    fill(req);
    SCOPED_TRACE(req.ShortDebugString());
    req.set_page_size(5);
    std::vector<int> sizes;
    const std::vector<std::string> paged =
        ListNames(&Stub::ListStatements, req,
                  &ListStatementsResponse::statements, &sizes);
    EXPECT_THAT(sizes, ElementsAre(5, 5, 5, 5, 3));
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), created);
    EXPECT_EQ(paged.size(), 23u);
  }

  // A token belongs to its query.
  ListStatementsRequest first;
  first.set_page_size(5);
  first.set_about(kPowChannel);
  ListStatementsResponse page;
  ASSERT_TRUE(Call(&Stub::ListStatements, first, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  ListStatementsRequest other;
  other.set_party("RU");
  other.set_page_token(page.next_page_token());
  const absl::Status s = Call(&Stub::ListStatements, other, &page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));

  // The default page is 50; more than 500 is lowered, not refused.
  ListStatementsRequest big;
  big.set_page_size(100000);
  ListStatementsResponse all;
  ASSERT_TRUE(Call(&Stub::ListStatements, big, &all).ok());
  EXPECT_EQ(all.statements_size(), 23);
  EXPECT_TRUE(all.next_page_token().empty());
}

TEST_F(NegotiationsIntegrationTest,
       RetriedCreateWithRequestIdStoresNothingNew) {
  CreateRoundRequest req;
  *req.mutable_round() = UaeRound();
  req.set_request_id("round-retry-1");
  Round first;
  ASSERT_TRUE(Call(&Stub::CreateRound, req, &first).ok());
  EXPECT_THAT(first.metadata().name(),
              ::testing::MatchesRegex("rounds/[a-z0-9]{12}"));
  for (int attempt = 0; attempt < 3; ++attempt) {
    Round retry;
    ASSERT_TRUE(Call(&Stub::CreateRound, req, &retry).ok());
    EXPECT_TRUE(ProtoEq(retry, first));
  }
  EXPECT_EQ(RoundNames({}).size(), 1u);
  EXPECT_EQ(Revisions(first.metadata().name()).size(), 1u);

  CreateRoundRequest different = req;
  different.mutable_round()->set_held("2026-W03");
  Round out;
  EXPECT_EQ(Call(&Stub::CreateRound, different, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(RoundNames({}).size(), 1u);

  // Positions and statements alike.
  CreatePositionRequest position;
  *position.mutable_position() = DonetskDemand();
  position.set_request_id("position-retry-1");
  Position p1, p2;
  ASSERT_TRUE(Call(&Stub::CreatePosition, position, &p1).ok());
  ASSERT_TRUE(Call(&Stub::CreatePosition, position, &p2).ok());
  EXPECT_EQ(p1.metadata().name(), p2.metadata().name());
  EXPECT_EQ(AllPositions().size(), 1u);

  CreateStatementRequest statement;
  *statement.mutable_statement() = MedinskyAccusation();
  statement.set_statement_id("medinsky-delay");
  statement.set_request_id("statement-retry-1");
  Statement s1, s2;
  ASSERT_TRUE(Call(&Stub::CreateStatement, statement, &s1).ok());
  ASSERT_TRUE(Call(&Stub::CreateStatement, statement, &s2).ok());
  EXPECT_TRUE(ProtoEq(s1, s2));
  EXPECT_EQ(StatementNames({}).size(), 1u);
  // The explicit id without the request_id is taken.
  statement.clear_request_id();
  EXPECT_EQ(Call(&Stub::CreateStatement, statement, &s2).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(NegotiationsIntegrationTest, StaleEtagIsAbortedAndChangesNothing) {
  SeedRounds();
  Round v1;
  ASSERT_TRUE(GetRound(kIstanbulRound, &v1).ok());
  UpdateRoundRequest update;
  update.mutable_round()->mutable_metadata()->set_name(kIstanbulRound);
  update.mutable_round()->mutable_metadata()->set_etag(v1.metadata().etag());
  update.mutable_round()->set_description("first edit");
  *update.mutable_update_mask() = Mask({"description"});
  Round v2;
  ASSERT_TRUE(Call(&Stub::UpdateRound, update, &v2).ok());

  update.mutable_round()->set_description("edit on a stale read");
  Round out;
  absl::Status s = Call(&Stub::UpdateRound, update, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  Round now;
  ASSERT_TRUE(GetRound(kIstanbulRound, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));

  DeleteRoundRequest del;
  del.set_name(kIstanbulRound);
  del.set_etag(v1.metadata().etag());
  google::protobuf::Empty empty;
  s = Call(&Stub::DeleteRound, del, &empty);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  EXPECT_TRUE(GetRound(kIstanbulRound, &now).ok());

  // Positions and statements refuse stale etags too.
  SeedPositions();
  Position p;
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &p).ok());
  DeletePositionRequest del_position;
  del_position.set_name("positions/ru-donetsk");
  del_position.set_etag("1-0000000000000000");
  EXPECT_EQ(Call(&Stub::DeletePosition, del_position, &empty).code(),
            absl::StatusCode::kAborted);
  SeedStatements();
  UpdateStatementRequest st;
  st.mutable_statement()->mutable_metadata()->set_name(
      "statements/ua-blocking");
  st.mutable_statement()->mutable_metadata()->set_etag("7-ffffffffffffffff");
  st.mutable_statement()->set_summary("stale");
  Statement st_out;
  EXPECT_EQ(Call(&Stub::UpdateStatement, st, &st_out).code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(GetStatement("statements/ua-blocking", &st_out).ok());
  EXPECT_EQ(st_out.summary(), "Russia is blocking the exchange");
}

TEST_F(NegotiationsIntegrationTest, HistoryAndReadTime) {
  const Position v1 = CreatePositionOk(DonetskDemand(), "ru-donetsk", "alice");
  const Timestamp after_create = MomentBetween();
  UpdatePositionRequest update;
  update.mutable_position()->mutable_metadata()->set_name(
      "positions/ru-donetsk");
  update.mutable_position()->mutable_quantity()->set_best(30);
  update.mutable_position()->mutable_quantity()->set_qualifier(
      Estimate::QUALIFIER_ABOUT);
  *update.mutable_update_mask() = Mask({"quantity"});
  Position v2;
  ASSERT_TRUE(Call(&Stub::UpdatePosition, update, &v2, "bob").ok());
  EXPECT_EQ(v2.quantity().best(), 30);
  const Timestamp after_update = MomentBetween();
  DeletePositionRequest del;
  del.set_name("positions/ru-donetsk");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeletePosition, del, &empty, "carol").ok());

  Position then;
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &then, &after_create).ok());
  EXPECT_TRUE(ProtoEq(then, v1));
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &then, &after_update).ok());
  EXPECT_TRUE(ProtoEq(then, v2));
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &then).code(),
            absl::StatusCode::kNotFound);
  const Timestamp before_create =
      MillisecondBefore(v1.metadata().create_time());
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &then, &before_create).code(),
            absl::StatusCode::kNotFound);
  const Timestamp now = ToTimestamp(absl::Now());
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &then, &now).code(),
            absl::StatusCode::kNotFound);

  const auto revisions = Revisions("positions/ru-donetsk");
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[0].change(), Revision::CHANGE_CREATE);
  EXPECT_EQ(revisions[0].actor(), "alice");
  EXPECT_EQ(revisions[1].change(), Revision::CHANGE_UPDATE);
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_THAT(revisions[1].changed_fields(), ElementsAre("quantity"));
  Position snapshot;
  ASSERT_TRUE(revisions[1].snapshot().UnpackTo(&snapshot));
  EXPECT_EQ(snapshot.quantity().best(), 30);
  EXPECT_EQ(revisions[2].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[2].actor(), "carol");

  // Rounds and statements keep history the same way, through one method.
  SeedRounds();
  SeedStatements();
  EXPECT_EQ(Revisions(kUaeRound).size(), 1u);
  EXPECT_EQ(Revisions("statements/ua-blocking").size(), 1u);
  ListRevisionsRequest req;
  ListRevisionsResponse resp;
  for (const char* name :
       {"", "channels/pow-ru-ua", "rounds/UAE", "positions/"}) {
    req.set_name(name);
    const absl::Status s = Call(&Stub::ListRevisions, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << name << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  req.set_name("rounds/never-was");
  EXPECT_EQ(Call(&Stub::ListRevisions, req, &resp).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace parley::negotiations
