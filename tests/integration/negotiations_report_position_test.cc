// ReportPosition: a report creates a position or folds into the open one.
#include <atomic>
#include <thread>

#include "tests/integration/negotiations_fixture.h"

namespace parley::negotiations {
namespace {

TEST_F(NegotiationsIntegrationTest, ReportPositionCreatesThenFoldsReReports) {
  // First report: creates.
  ReportPositionResponse first;
  ASSERT_TRUE(
      Report(DonetskReport("2026-01-20", "Reuters"), &first, "", "alice").ok());
  EXPECT_TRUE(first.created());
  const std::string name = first.position().metadata().name();
  EXPECT_THAT(name, ::testing::MatchesRegex("positions/[a-z0-9]{12}"));
  EXPECT_EQ(first.position().first_reported(), "2026-01-20");
  EXPECT_EQ(first.position().last_reported(), "2026-01-20");
  EXPECT_EQ(first.position().metadata().creator(), "alice");
  EXPECT_THAT(Publishers(first.position()), ElementsAre("Reuters"));

  // A later report from a new source: same position, last_reported moves,
  // the source is added.
  ReportPositionResponse later;
  ASSERT_TRUE(
      Report(DonetskReport("2026-01-29", "Kyiv Independent"), &later, "", "bob")
          .ok());
  EXPECT_FALSE(later.created());
  EXPECT_EQ(later.position().metadata().name(), name);
  EXPECT_EQ(later.position().first_reported(), "2026-01-20");
  EXPECT_EQ(later.position().last_reported(), "2026-01-29");
  EXPECT_EQ(later.position().last_reported_span().first_day(), "2026-01-29");
  EXPECT_EQ(later.position().metadata().revision(), 2);
  EXPECT_EQ(later.position().metadata().updater(), "bob");
  EXPECT_THAT(Publishers(later.position()),
              ElementsAre("Reuters", "Kyiv Independent"));
  ASSERT_EQ(AllPositions().size(), 1u);

  // An earlier report (published late): its source is added, but
  // last_reported does not move back.
  ReportPositionResponse earlier;
  ASSERT_TRUE(Report(DonetskReport("2026-01-22", "Ukrinform"), &earlier).ok());
  EXPECT_FALSE(earlier.created());
  EXPECT_EQ(earlier.position().metadata().name(), name);
  EXPECT_EQ(earlier.position().first_reported(), "2026-01-20");
  EXPECT_EQ(earlier.position().last_reported(), "2026-01-29");
  EXPECT_EQ(earlier.position().last_reported_span().first_day(), "2026-01-29");
  EXPECT_THAT(Publishers(earlier.position()),
              ElementsAre("Reuters", "Kyiv Independent", "Ukrinform"));

  // The identical source again: not duplicated, and no new revision.
  ReportPositionResponse same;
  ASSERT_TRUE(
      Report(DonetskReport("2026-01-29", "Kyiv Independent"), &same).ok());
  EXPECT_FALSE(same.created());
  EXPECT_EQ(same.position().metadata().name(), name);
  EXPECT_EQ(same.position().sources_size(), 3);
  EXPECT_EQ(same.position().last_reported(), "2026-01-29");
  EXPECT_EQ(same.position().metadata().revision(), 3);

  // Issue and region spelled otherwise are the same position.
  Position respelled = DonetskReport("2026-02-03", "Meduza");
  respelled.set_issue("Territory");
  respelled.mutable_subject()->set_admin1("donetsk");
  ReportPositionResponse respelled_out;
  ASSERT_TRUE(Report(respelled, &respelled_out).ok());
  EXPECT_FALSE(respelled_out.created());
  EXPECT_EQ(respelled_out.position().metadata().name(), name);
  EXPECT_EQ(respelled_out.position().last_reported(), "2026-02-03");

  Position stored;
  ASSERT_TRUE(GetPosition(name, &stored).ok());
  EXPECT_TRUE(ProtoEq(stored, respelled_out.position()));
  EXPECT_EQ(AllPositions().size(), 1u);
  EXPECT_EQ(Revisions(name).size(), 4u);

  // The span index follows last_reported: the position stands from its
  // first report to its last.
  ListPositionsRequest span;
  span.set_span("2026-02-01/2026-02-05");
  EXPECT_THAT(PositionNames(span), ElementsAre(name));
  span.set_span("2026-01-01/2026-01-19");
  EXPECT_THAT(PositionNames(span), IsEmpty());

  // Another stance, subject or holder is another position.
  Position offer = DonetskReport("2026-02-03", "Reuters");
  offer.set_stance(STANCE_OFFER);
  Position zaporizhzhia = DonetskReport("2026-02-03", "Reuters");
  zaporizhzhia.mutable_subject()->set_admin1("Zaporizhzhia");
  Position us = DonetskReport("2026-02-03", "Reuters");
  *us.mutable_holder() = Country("US");
  std::set<std::string> names = {name};
  for (const Position& other : {offer, zaporizhzhia, us}) {
    ReportPositionResponse out;
    ASSERT_TRUE(Report(other, &out).ok());
    EXPECT_TRUE(out.created());
    names.insert(out.position().metadata().name());
  }
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(AllPositions().size(), 4u);
}

TEST_F(NegotiationsIntegrationTest, ReportPositionAcceptsLastReportedAlone) {
  Position p = DonetskReport("2026-01-20", "Reuters");
  p.clear_first_reported();
  p.set_last_reported("2026-01-21");
  ReportPositionResponse out;
  ASSERT_TRUE(Report(p, &out).ok());
  EXPECT_TRUE(out.created());
  EXPECT_EQ(out.position().first_reported(), "2026-01-21");
  EXPECT_EQ(out.position().last_reported(), "2026-01-21");
}

TEST_F(NegotiationsIntegrationTest, WithdrawnPositionIsNotReused) {
  ReportPositionResponse opened;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &opened).ok());
  ASSERT_TRUE(opened.created());
  const std::string old_name = opened.position().metadata().name();

  // A report of the withdrawal updates the open position.
  Position withdrawal = DonetskReport("2026-01-25", "Kyiv Independent");
  withdrawal.set_state(POSITION_STATE_WITHDRAWN);
  ReportPositionResponse withdrawn;
  ASSERT_TRUE(Report(withdrawal, &withdrawn).ok());
  EXPECT_FALSE(withdrawn.created());
  EXPECT_EQ(withdrawn.position().metadata().name(), old_name);
  EXPECT_EQ(withdrawn.position().state(), POSITION_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawn.position().last_reported(), "2026-01-25");

  // Put forward again: a new position, the withdrawn one stays as it was.
  ReportPositionResponse again;
  ASSERT_TRUE(Report(DonetskReport("2026-02-02", "Reuters"), &again).ok());
  EXPECT_TRUE(again.created());
  EXPECT_NE(again.position().metadata().name(), old_name);
  EXPECT_EQ(again.position().state(), POSITION_STATE_OPEN);
  EXPECT_EQ(again.position().first_reported(), "2026-02-02");
  Position old;
  ASSERT_TRUE(GetPosition(old_name, &old).ok());
  EXPECT_EQ(old.state(), POSITION_STATE_WITHDRAWN);
  EXPECT_EQ(old.last_reported(), "2026-01-25");
  EXPECT_EQ(old.metadata().revision(), 2);

  ListPositionsRequest open;
  open.set_state(POSITION_STATE_OPEN);
  EXPECT_THAT(PositionNames(open),
              ElementsAre(again.position().metadata().name()));
  ListPositionsRequest gone;
  gone.set_state(POSITION_STATE_WITHDRAWN);
  EXPECT_THAT(PositionNames(gone), ElementsAre(old_name));

  // A further report folds into the new one.
  ReportPositionResponse further;
  ASSERT_TRUE(Report(DonetskReport("2026-02-04", "Ukrinform"), &further).ok());
  EXPECT_FALSE(further.created());
  EXPECT_EQ(further.position().metadata().name(),
            again.position().metadata().name());
  EXPECT_EQ(AllPositions().size(), 2u);
}

TEST_F(NegotiationsIntegrationTest,
       ReportPositionRetryWithRequestIdStoresNothingNew) {
  ReportPositionResponse first;
  ASSERT_TRUE(
      Report(DonetskReport("2026-01-20", "Reuters"), &first, "report-1").ok());
  ASSERT_TRUE(first.created());
  // The client lost the reply and retries: the first result comes back.
  ReportPositionResponse retry;
  ASSERT_TRUE(
      Report(DonetskReport("2026-01-20", "Reuters"), &retry, "report-1").ok());
  EXPECT_EQ(retry.position().metadata().name(),
            first.position().metadata().name());
  EXPECT_EQ(retry.position().metadata().revision(), 1);
  EXPECT_EQ(retry.position().sources_size(), 1);
  EXPECT_EQ(AllPositions().size(), 1u);
  EXPECT_EQ(Revisions(first.position().metadata().name()).size(), 1u);
  // "Repeating it returns the first result": the first result said created.
  EXPECT_TRUE(retry.created())
      << "a retried ReportPosition (same request_id) answers differently from "
         "the first call";
}

TEST_F(NegotiationsIntegrationTest,
       ReportPositionBadInputNamesFieldsAndStoresNothing) {
  Position bad = DonetskReport("2026-01-20", "Reuters");
  bad.clear_stance();
  bad.clear_issue();
  bad.mutable_holder()->set_country("XX");
  bad.clear_sources();
  ReportPositionResponse out;
  const absl::Status s = Report(bad, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(
      ViolationFields(s),
      UnorderedElementsAre("position.stance", "position.issue",
                           "position.holder.country", "position.sources"));
  Position no_date = DonetskReport("2026-01-20", "Reuters");
  no_date.clear_first_reported();
  const absl::Status d = Report(no_date, &out);
  EXPECT_EQ(d.code(), absl::StatusCode::kInvalidArgument) << d;
  EXPECT_THAT(ViolationFields(d),
              ::testing::Contains("position.first_reported"));
  EXPECT_TRUE(AllPositions().empty());
}

// Eight first reports of a position that does not exist yet, at once: one
// position, every source on it, the latest date as its last report.
TEST_F(NegotiationsIntegrationTest, ConcurrentFirstReportsCreateOnePosition) {
  constexpr int kThreads = 8;
  std::vector<ReportPositionResponse> responses(kThreads);
  std::vector<absl::Status> statuses(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> reporters;
  for (int t = 0; t < kThreads; ++t) {
    reporters.emplace_back([&, t] {
      // Each thread its own stub, all on the same server.
      auto stub = NegotiationsService::NewStub(server_.channel());
      ReportPositionRequest req;
      *req.mutable_position() =
          DonetskReport(FormatDay(absl::CivilDay(2026, 1, 20) + t),
                        absl::StrCat("Outlet ", t));
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      statuses[t] = ::parley::testing::CallStub(*stub, &Stub::ReportPosition,
                                                req, &responses[t]);
    });
  }
  for (auto& r : reporters) r.join();

  int created = 0;
  std::set<std::string> names;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(statuses[t].ok()) << t << ": " << statuses[t];
    created += responses[t].created() ? 1 : 0;
    names.insert(responses[t].position().metadata().name());
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(names.size(), 1u);
  const auto all = AllPositions();
  ASSERT_EQ(all.size(), 1u);
  const Position& p = all[0];
  EXPECT_EQ(p.metadata().name(), *names.begin());
  std::vector<std::string> expected;
  for (int t = 0; t < kThreads; ++t)
    expected.push_back(absl::StrCat("Outlet ", t));
  EXPECT_THAT(Publishers(p), UnorderedElementsAreArray(expected));
  EXPECT_EQ(p.last_reported(), "2026-01-27");
  EXPECT_EQ(p.metadata().revision(), kThreads);
}

TEST_F(NegotiationsIntegrationTest, ReportsFoldAfterARestart) {
  ReportPositionResponse first;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &first).ok());
  SeedRounds();
  Restart();
  ReportPositionResponse again;
  ASSERT_TRUE(Report(DonetskReport("2026-01-30", "Ukrinform"), &again).ok());
  EXPECT_FALSE(again.created());
  EXPECT_EQ(again.position().metadata().name(),
            first.position().metadata().name());
  EXPECT_EQ(again.position().last_reported(), "2026-01-30");
  EXPECT_EQ(AllPositions().size(), 1u);
  ListRoundsRequest us;
  us.set_party("US");
  EXPECT_THAT(RoundNames(us), UnorderedElementsAre(kUaeRound, kGenevaRound));
}

}  // namespace
}  // namespace parley::negotiations

namespace parley::negotiations {
namespace {

TEST_F(NegotiationsIntegrationTest,
       AnOlderReportWidensDatesButKeepsTheNewerState) {
  ReportPositionResponse first;
  ASSERT_TRUE(Report(DonetskReport("2026-01-27", "Reuters"), &first).ok());
  Position agreed = DonetskReport("2026-01-29", "TASS");
  agreed.set_state(POSITION_STATE_AGREED);
  ReportPositionResponse now_agreed;
  ASSERT_TRUE(Report(agreed, &now_agreed).ok());
  EXPECT_EQ(now_agreed.position().state(), POSITION_STATE_AGREED);

  // An article from 10 January arrives late, still saying "open".
  ReportPositionResponse late;
  ASSERT_TRUE(Report(DonetskReport("2026-01-10", "Ukrinform"), &late).ok());
  EXPECT_FALSE(late.created());
  EXPECT_EQ(late.position().metadata().name(),
            first.position().metadata().name());
  EXPECT_EQ(late.position().state(), POSITION_STATE_AGREED);
  EXPECT_EQ(late.position().first_reported(), "2026-01-10");
  EXPECT_EQ(late.position().last_reported(), "2026-01-29");
  EXPECT_EQ(AllPositions().size(), 1u);
}

TEST_F(NegotiationsIntegrationTest, ManyWithdrawnPositionsDoNotHideTheOpenOne) {
  // Twelve positions of the same identity, each withdrawn in turn.
  for (int i = 0; i < 12; ++i) {
    ReportPositionResponse out;
    ASSERT_TRUE(
        Report(DonetskReport("2025-12-01", absl::StrCat("Source ", i)), &out)
            .ok());
    ASSERT_TRUE(out.created()) << i;
    Position withdrawn = out.position();
    withdrawn.set_state(POSITION_STATE_WITHDRAWN);
    UpdatePositionRequest update;
    *update.mutable_position() = withdrawn;
    update.mutable_update_mask()->add_paths("state");
    Position updated;
    ASSERT_TRUE(Call(&Stub::UpdatePosition, update, &updated).ok());
  }
  ReportPositionResponse open;
  ASSERT_TRUE(Report(DonetskReport("2026-01-27", "Reuters"), &open).ok());
  EXPECT_TRUE(open.created());
  // Re-reports fold into the one open position, wherever it sorts.
  for (int i = 0; i < 5; ++i) {
    ReportPositionResponse again;
    ASSERT_TRUE(
        Report(DonetskReport("2026-01-28", absl::StrCat("Again ", i)), &again)
            .ok());
    EXPECT_FALSE(again.created());
    EXPECT_EQ(again.position().metadata().name(),
              open.position().metadata().name());
  }
  EXPECT_EQ(AllPositions().size(), 13u);
}

}  // namespace
}  // namespace parley::negotiations
