// Summary through the gateway: a week, a month, a region or some parties
// across the three domains, every figure an Estimate with what is behind it.
// Exchange and incident totals for all parties at the present come from the
// rollups the services keep (basis "rollup"); with a party filter or a past
// known_at they come from the records (basis "records"). A record counts in
// the day its span starts, so the energy campaign (from 2025-11-01) belongs
// to November, not to 2026-W05 or 2026-01.
#include "tests/gateway/gateway_fixture.h"

namespace parley::gateway_test {
namespace {

class SummaryTest : public SeedWeekTest {
 protected:
  rp::GetSummaryResponse Get(const std::string& span,
                             std::vector<std::string> parties = {},
                             const std::string& region = "",
                             const std::string& as_of = "") {
    rp::GetSummaryRequest r;
    r.set_span(span);
    r.set_region(region);
    r.set_as_of(as_of);
    for (auto& p : parties) r.add_parties(p);
    return Get(r);
  }
  rp::GetSummaryResponse Get(const rp::GetSummaryRequest& r) {
    rp::GetSummaryResponse out;
    const grpc::Status s = Summary(r, &out);
    EXPECT_TRUE(s.ok()) << StatusText(s);
    EXPECT_THAT(out.missing(), IsEmpty()) << MissingText(out.missing());
    return out;
  }
};

// The figure labelled `label`; fails the test (and returns an empty figure)
// if there is none.
const rp::Figure& Fig(const rp::GetSummaryResponse& s,
                      const std::string& label) {
  static const rp::Figure* const kNone = new rp::Figure();
  const rp::Figure* f = FindFigure(s, label);
  if (f == nullptr) {
    ADD_FAILURE() << "no figure \"" << label
                  << "\"; have: " << absl::StrJoin(FigureLabels(s), ", ");
    return *kNone;
  }
  return *f;
}

TEST_F(SummaryTest, WeekFiveAcrossTheDomains) {
  const auto s = Get("2026-W05");
  EXPECT_EQ(s.span().text(), "2026-W05");
  EXPECT_EQ(s.span().first_day(), "2026-01-26");
  EXPECT_EQ(s.span().last_day(), "2026-02-01");
  EXPECT_THAT(
      FigureLabels(s),
      UnorderedElementsAre(
          "exchanges: repatriation of remains", "transferred: remains RU>UA",
          "transferred: remains UA>RU", "rounds held", "positions opened",
          "incidents: drone strike", "killed", "injured"));

  // Exchanges: one repatriation, people moved each way.
  const rp::Figure& repatriations =
      Fig(s, "exchanges: repatriation of remains");
  ExpectExact(repatriations.value(), 1, "repatriations");
  EXPECT_EQ(repatriations.domain(), "exchanges");
  // Totals from the rollups, and the records behind them, as they are few.
  EXPECT_EQ(repatriations.basis(), "rollup");
  EXPECT_THAT(repatriations.records(), ElementsAre(kW05Exchange));
  ASSERT_EQ(repatriations.sources_size(), 1);
  EXPECT_EQ(repatriations.sources(0).channel(), "Telegram post");
  const rp::Figure& ru_ua = Fig(s, "transferred: remains RU>UA");
  ExpectExact(ru_ua.value(), 1000, "RU>UA");
  EXPECT_THAT(ru_ua.records(), ElementsAre(kW05Exchange));
  ExpectExact(Fig(s, "transferred: remains UA>RU").value(), 38, "UA>RU");

  // Negotiations: the round was the week before; the demand opened now.
  const rp::Figure& rounds = Fig(s, "rounds held");
  ExpectExact(rounds.value(), 0, "rounds held");
  EXPECT_THAT(rounds.records(), IsEmpty());
  const rp::Figure& opened = Fig(s, "positions opened");
  ExpectExact(opened.value(), 1, "positions opened");
  EXPECT_THAT(opened.records(), ElementsAre(kDonetsk));
  EXPECT_EQ(opened.domain(), "negotiations");

  // Incidents, from the rollups: the train strike; "at least five killed"
  // stays a lower bound with no best and no high.
  const rp::Figure& drone = Fig(s, "incidents: drone strike");
  ExpectExact(drone.value(), 1, "drone strikes");
  EXPECT_EQ(drone.basis(), "rollup");
  EXPECT_EQ(drone.domain(), "incidents");
  const rp::Figure& killed = Fig(s, "killed");
  EXPECT_EQ(killed.basis(), "rollup");
  ExpectAtLeast(killed.value(), 5, "killed");
  // No injury figure was given: the total of unknowns is unknown.
  ExpectUnknown(Fig(s, "injured").value(), "injured");
}

TEST_F(SummaryTest, WeekFiveForRussiaComesFromTheRecords) {
  const auto s = Get("2026-W05", {"RU"});
  const rp::Figure& drone = Fig(s, "incidents: drone strike");
  ExpectExact(drone.value(), 1, "drone strikes");
  EXPECT_EQ(drone.basis(), "records");
  EXPECT_THAT(drone.records(), ElementsAre(kTrain));
  const rp::Figure& killed = Fig(s, "killed");
  EXPECT_EQ(killed.basis(), "records");
  ExpectAtLeast(killed.value(), 5, "killed");
  EXPECT_THAT(killed.records(), ElementsAre(kTrain));
  // Russia took part in the repatriation and holds the demand.
  ExpectExact(Fig(s, "exchanges: repatriation of remains").value(), 1,
              "repatriations");
  ExpectExact(Fig(s, "transferred: remains RU>UA").value(), 1000, "RU>UA");
  ExpectExact(Fig(s, "positions opened").value(), 1, "positions opened");
  ExpectExact(Fig(s, "rounds held").value(), 0, "rounds held");
  // The campaign started in November: not in this week.
  EXPECT_EQ(FindFigure(s, "incidents: strike campaign"), nullptr);
  EXPECT_EQ(FindFigure(s, "affected by power outage"), nullptr);
}

TEST_F(SummaryTest, ABusySpanGetsTotalsWithoutRecords) {
  // More exchanges than one page lists: the totals still count them all,
  // and no figure claims to list the records behind it.
  constexpr int kMany = 120;
  for (int i = 0; i < kMany; ++i) {
    CreateExchange(Repatriation("2026-02-03", 2, 1), absl::StrCat("busy-", i));
  }
  const auto s = Get("2026-W06");
  const rp::Figure& repatriations =
      Fig(s, "exchanges: repatriation of remains");
  ExpectExact(repatriations.value(), kMany, "repatriations");
  EXPECT_EQ(repatriations.basis(), "rollup");
  EXPECT_THAT(repatriations.records(), IsEmpty());
  const rp::Figure& returned = Fig(s, "transferred: remains RU>UA");
  ExpectExact(returned.value(), 2 * kMany, "RU>UA");
  EXPECT_THAT(returned.records(), IsEmpty());

  // The records give the same totals where they must be read: for a party.
  const auto ru = Get("2026-W06", {"RU"});
  const rp::Figure& listed = Fig(ru, "exchanges: repatriation of remains");
  ExpectExact(listed.value(), kMany, "repatriations for RU");
  EXPECT_EQ(listed.basis(), "records");
  EXPECT_EQ(listed.records_size(), kMany);
  ExpectExact(Fig(ru, "transferred: remains UA>RU").value(), kMany, "UA>RU");
}

TEST_F(SummaryTest, AnExchangeCountsInTheDayItStarts) {
  // The seed repatriation is dated 2026-W05 (from Monday 2026-01-26): a
  // summary of that Tuesday alone does not hold it, from rollups or records.
  EXPECT_EQ(FindFigure(Get("2026-01-27"), "exchanges: repatriation of remains"),
            nullptr);
  EXPECT_EQ(FindFigure(Get("2026-01-27", {"RU"}),
                       "exchanges: repatriation of remains"),
            nullptr);
  ExpectExact(
      Fig(Get("2026-01-26"), "exchanges: repatriation of remains").value(), 1,
      "on its first day");
}

TEST_F(SummaryTest, AMonthCountsTheRound) {
  const auto s = Get("2026-01");
  const rp::Figure& rounds = Fig(s, "rounds held");
  ExpectExact(rounds.value(), 1, "rounds held");
  EXPECT_THAT(rounds.records(), ElementsAre(kUaeRound));
  ASSERT_EQ(rounds.sources_size(), 1);
  ExpectExact(Fig(s, "exchanges: repatriation of remains").value(), 1,
              "repatriations");
  ExpectExact(Fig(s, "incidents: drone strike").value(), 1, "drone strikes");
  ExpectAtLeast(Fig(s, "killed").value(), 5, "killed");

  // Only the US: the round (a party to it) and nothing else.
  const auto us = Get("2026-01", {"US"});
  ExpectExact(Fig(us, "rounds held").value(), 1, "US rounds");
  ExpectExact(Fig(us, "positions opened").value(), 0, "US positions");
  EXPECT_EQ(FindFigure(us, "exchanges: repatriation of remains"), nullptr);
  EXPECT_EQ(FindFigure(us, "incidents: drone strike"), nullptr);
  const rp::Figure& none_killed = Fig(us, "killed");
  EXPECT_EQ(none_killed.basis(), "records");
  ExpectExact(none_killed.value(), 0, "killed: the sum of nothing");
}

TEST_F(SummaryTest, NovemberHasTheCampaignAndItsOutages) {
  const auto s = Get("2025-11");
  ExpectExact(Fig(s, "exchanges: repatriation of remains").value(), 1,
              "repatriations");
  ExpectExact(Fig(s, "transferred: remains RU>UA").value(), 1000, "RU>UA");
  ExpectExact(Fig(s, "transferred: remains UA>RU").value(), 30, "UA>RU");
  ExpectExact(Fig(s, "incidents: strike campaign").value(), 1, "campaigns");
  ExpectUnknown(Fig(s, "killed").value(), "killed");
  // "power and heating outages", no figure given.
  ExpectUnknown(Fig(s, "affected by power outage").value(), "power");
  ExpectUnknown(Fig(s, "affected by heating outage").value(), "heating");
  EXPECT_EQ(FindFigure(s, "incidents: drone strike"), nullptr);
}

TEST_F(SummaryTest, RegionNarrowsTheIncidents) {
  const auto kharkiv = Get("2026-W05", {}, "Kharkiv");
  ExpectExact(Fig(kharkiv, "incidents: drone strike").value(), 1, "Kharkiv");
  ExpectAtLeast(Fig(kharkiv, "killed").value(), 5, "Kharkiv killed");

  const auto odesa = Get("2026-W05", {}, "Odesa");
  EXPECT_EQ(FindFigure(odesa, "incidents: drone strike"), nullptr);
  ExpectExact(Fig(odesa, "killed").value(), 0, "Odesa killed");
}

TEST_F(SummaryTest, KnownAtAnswersFromThatMoment) {
  rp::GetSummaryRequest r;
  r.set_span("2026-W05");
  *r.mutable_known_at() = before_second_exchange_;
  const auto then = Get(r);
  EXPECT_TRUE(ProtoEq(then.times().known_at(), before_second_exchange_));
  // The W05 repatriation was on record; the demand and the train were not.
  ExpectExact(Fig(then, "exchanges: repatriation of remains").value(), 1,
              "repatriations");
  ExpectExact(Fig(then, "positions opened").value(), 0, "positions");
  EXPECT_EQ(FindFigure(then, "incidents: drone strike"), nullptr);
  const rp::Figure& killed = Fig(then, "killed");
  EXPECT_EQ(killed.basis(), "records");
  ExpectExact(killed.value(), 0, "killed");
}

TEST_F(SummaryTest, EventsAfterAsOfDoNotCount) {
  // "as_of is the date it describes: events that occurred up to then".
  // As of 2026-01-20 the train strike (2026-01-27) had not happened and the
  // demand (first reported 2026-W05, from 2026-01-26) had not been made.
  const auto s = Get("2026-01", {}, "", "2026-01-20");
  EXPECT_EQ(s.times().as_of(), "2026-01-20");
  EXPECT_EQ(FindFigure(s, "incidents: drone strike"), nullptr)
      << "an incident of 2026-01-27 counted as of 2026-01-20";
  const rp::Figure* killed = FindFigure(s, "killed");
  ASSERT_NE(killed, nullptr);
  EXPECT_FALSE(killed->value().low() >= 5)
      << "killed " << killed->value().ShortDebugString()
      << " counts the train strike of 2026-01-27";
  const rp::Figure* opened = FindFigure(s, "positions opened");
  ASSERT_NE(opened, nullptr);
  EXPECT_THAT(opened->records(), IsEmpty())
      << "a position first reported 2026-W05 counted as of 2026-01-20";
}

TEST_F(SummaryTest, RefusesBadRequests) {
  rp::GetSummaryRequest r;
  r.add_parties("ZZ");
  rp::GetSummaryResponse out;
  const grpc::Status s = Summary(r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(s);
  EXPECT_THAT(ViolationFields(s), UnorderedElementsAre("span", "parties[0]"));

  rp::GetSummaryRequest bad_span;
  bad_span.set_span("2026-W54");
  EXPECT_THAT(ViolationFields(Summary(bad_span, &out)), ElementsAre("span"));
}

}  // namespace
}  // namespace parley::gateway_test
