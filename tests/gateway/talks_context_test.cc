// TalksContext through the gateway: the trilateral round in the UAE
// (2026-W04, 2026-01-19..25) and what happened around it.
//
// Casualty totals follow the window rule (common/model/window.h): records
// wholly in a window add up by the Estimate sum rules; the energy campaign
// (2025-11/2026-01, ongoing) is ongoing in all three windows, so its figures
// are bounds there, and it gives none: unknown.
//   before/during: [ongoing: unknown]              -> unknown
//   after:         [at least 5; ongoing: unknown]  -> at least 5
// and no injury figure was given for either incident: unknown everywhere.
#include "tests/gateway/gateway_fixture.h"

namespace parley::gateway_test {
namespace {

class TalksContextTest : public SeedWeekTest {
 protected:
  rp::GetTalksContextResponse Get(const std::string& as_of, int days_before,
                                  int days_after) {
    rp::GetTalksContextRequest r;
    r.set_round(kUaeRound);
    r.set_as_of(as_of);
    r.set_days_before(days_before);
    r.set_days_after(days_after);
    rp::GetTalksContextResponse out;
    const grpc::Status s = Talks(r, &out);
    EXPECT_TRUE(s.ok()) << StatusText(s);
    EXPECT_THAT(out.missing(), IsEmpty()) << MissingText(out.missing());
    return out;
  }
};

void ExpectWindow(const rp::Window& w, const std::string& first,
                  const std::string& last) {
  EXPECT_EQ(w.span().first_day(), first);
  EXPECT_EQ(w.span().last_day(), last);
  EXPECT_EQ(w.span().text(), absl::StrCat(first, "/", last));
}

TEST_F(TalksContextTest, WeekBeforeDuringAndAfter) {
  const auto t = Get("2026-02-01", 7, 7);
  EXPECT_EQ(t.round().metadata().name(), kUaeRound);
  EXPECT_EQ(t.round().held_span().first_day(), "2026-01-19");
  EXPECT_EQ(t.times().as_of(), "2026-02-01");

  ExpectWindow(t.before(), "2026-01-12", "2026-01-18");
  ExpectWindow(t.during(), "2026-01-19", "2026-01-25");
  ExpectWindow(t.after(), "2026-01-26", "2026-02-01");

  // The energy campaign (2025-11-01..2026-01-31) overlaps all three.
  EXPECT_THAT(NamesOf(t.before().incidents()), ElementsAre(kEnergy));
  EXPECT_THAT(NamesOf(t.during().incidents()), ElementsAre(kEnergy));
  EXPECT_THAT(NamesOf(t.after().incidents()),
              UnorderedElementsAre(kTrain, kEnergy));

  // The W05 repatriation and both accusations came after.
  EXPECT_THAT(t.before().exchanges(), IsEmpty());
  EXPECT_THAT(t.during().exchanges(), IsEmpty());
  EXPECT_THAT(NamesOf(t.after().exchanges()), ElementsAre(kW05Exchange));
  EXPECT_THAT(t.before().statements(), IsEmpty());
  EXPECT_THAT(t.during().statements(), IsEmpty());
  EXPECT_THAT(NamesOf(t.after().statements()),
              UnorderedElementsAre(kRuAccuses, kUaAccuses));

  // How each counts there: the campaign was going on in every window;
  // everything else lies wholly in its window.
  for (const auto* w : {&t.before(), &t.during(), &t.after()}) {
    EXPECT_THAT(w->ongoing(), ElementsAre(kEnergy));
    EXPECT_THAT(w->partly_in(), IsEmpty());
  }
  EXPECT_THAT(t.after().note(), HasSubstr("ongoing"));
}

TEST_F(TalksContextTest, CasualtyTotalsFollowTheSumRules) {
  const auto t = Get("2026-02-01", 7, 7);
  // after: the train's "at least five" plus the campaign's unknown.
  ExpectAtLeast(t.after().killed(), 5, "after.killed");
  ExpectUnknown(t.after().injured(), "after.injured");
  // before and during: only the campaign's unknown.
  ExpectUnknown(t.before().killed(), "before.killed");
  ExpectUnknown(t.during().killed(), "during.killed");
  ExpectUnknown(t.before().injured(), "before.injured");
  ExpectUnknown(t.during().injured(), "during.injured");
}

TEST_F(TalksContextTest, ADatasetsWorthOfIncidentsGivesTotalsNotRecords) {
  // 600 strikes during the round, one killed in each, as an imported
  // dataset would have them: more than a window lists.
  in::BatchCreateIncidentsRequest batch;
  for (int n = 0; n < 600; ++n) {
    auto* r = batch.add_requests();
    r->set_incident_id(absl::StrCat("strike-", n));
    *r->mutable_incident() = TrainStrike();
    r->mutable_incident()->set_occurred(absl::StrCat("2026-01-", 19 + n % 7));
    auto* killed =
        r->mutable_incident()->mutable_casualties()->mutable_killed();
    killed->Clear();
    killed->set_best(1);
    killed->set_qualifier(Estimate::QUALIFIER_EXACT);
  }
  in::BatchCreateIncidentsResponse created;
  ASSERT_TRUE(Call(*gw_.incidents, &InStub::BatchCreateIncidents, batch,
                   &created, {.caller = kSeedCaller})
                  .ok());
  const auto t = Get("2026-02-01", 7, 7);
  // The 600 and the ongoing energy campaign.
  EXPECT_EQ(t.during().incident_count(), 601);
  EXPECT_TRUE(t.during().incidents_left_out());
  EXPECT_THAT(t.during().incidents(), IsEmpty());
  EXPECT_THAT(t.during().ongoing(), IsEmpty());
  EXPECT_THAT(t.during().note(), HasSubstr("ListIncidents with span"));
  // Every one still counts: 600 killed, and the campaign's unknown above.
  EXPECT_EQ(t.during().killed().low(), 600);
  // The other windows list their records as before.
  EXPECT_FALSE(t.after().incidents_left_out());
  EXPECT_THAT(NamesOf(t.after().incidents()),
              UnorderedElementsAre(kTrain, kEnergy));
}

TEST_F(TalksContextTest, DefaultWindowsAreSevenDays) {
  const auto t = Get("2026-02-01", 0, 0);
  ExpectWindow(t.before(), "2026-01-12", "2026-01-18");
  ExpectWindow(t.after(), "2026-01-26", "2026-02-01");
}

TEST_F(TalksContextTest, WiderWindowReachesTheNovemberExchange) {
  const auto t = Get("2026-02-01", 90, 3);
  ExpectWindow(t.before(), "2025-10-21", "2026-01-18");
  EXPECT_THAT(NamesOf(t.before().exchanges()), ElementsAre(kNovExchange));
  ExpectWindow(t.after(), "2026-01-26", "2026-01-28");
  EXPECT_THAT(NamesOf(t.after().incidents()),
              UnorderedElementsAre(kTrain, kEnergy));
}

TEST_F(TalksContextTest, WindowsEndAtAsOf) {
  // As of 2026-01-28 the after window is cut to 26..28: the train (27th) is
  // in, the W05 repatriation overlaps it.
  const auto cut = Get("2026-01-28", 7, 7);
  ExpectWindow(cut.after(), "2026-01-26", "2026-01-28");
  EXPECT_THAT(NamesOf(cut.after().incidents()),
              UnorderedElementsAre(kTrain, kEnergy));
  ExpectAtLeast(cut.after().killed(), 5, "after.killed");
  // The repatriation and Russia's accusation, dated 2026-W05, may or may not
  // fall in those three days.
  EXPECT_THAT(NamesOf(cut.after().exchanges()), ElementsAre(kW05Exchange));
  EXPECT_THAT(cut.after().partly_in(),
              UnorderedElementsAre(kW05Exchange, kRuAccuses));

  // As of 2026-01-22, mid-round: nothing after, the round cut to 19..22.
  const auto mid = Get("2026-01-22", 7, 7);
  ExpectWindow(mid.during(), "2026-01-19", "2026-01-22");
  EXPECT_FALSE(mid.after().has_span());
  EXPECT_THAT(mid.after().incidents(), IsEmpty());
  EXPECT_THAT(mid.after().exchanges(), IsEmpty());
  EXPECT_THAT(mid.after().statements(), IsEmpty());
}

TEST_F(TalksContextTest, KnownAtAnswersFromThatMoment) {
  rp::GetTalksContextRequest r;
  r.set_round(kUaeRound);
  r.set_as_of("2026-02-01");
  // The round itself was recorded after before_second_exchange_.
  *r.mutable_known_at() = before_second_exchange_;
  rp::GetTalksContextResponse out;
  EXPECT_EQ(Talks(r, &out).error_code(), grpc::StatusCode::NOT_FOUND);

  *r.mutable_known_at() = after_seed_;
  ASSERT_TRUE(Talks(r, &out).ok());
  EXPECT_THAT(NamesOf(out.after().incidents()),
              UnorderedElementsAre(kTrain, kEnergy));
}

TEST_F(TalksContextTest, RefusesBadRequestsAndUnknownRounds) {
  rp::GetTalksContextRequest bad;
  bad.set_round("talks/uae");
  bad.set_days_before(-1);
  bad.set_days_after(-2);
  rp::GetTalksContextResponse out;
  const grpc::Status s = Talks(bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(s);
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("round", "days_before", "days_after"));

  rp::GetTalksContextRequest missing;
  missing.set_round("rounds/never-held");
  EXPECT_EQ(Talks(missing, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace parley::gateway_test
