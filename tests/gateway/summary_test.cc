// Summary through the gateway: a week, a month, a region or some parties
// across the three domains, every figure an Estimate with what is behind it.
// Exchange and incident totals for all parties at the present come from the
// rollups the services keep (basis "rollup"); with a party filter or a past
// known_at they come from the records (basis "records"). Figures follow the
// window rule: a record wholly in the span counts in full; one dated only to
// a longer span partly in it (the W05 repatriation against a day of that
// week) stands behind the upper bound only; the energy campaign, ongoing from
// November to January, is ongoing in each of those months (and in 2026-W05,
// whose Monday is 26 January); a figure with nothing behind it is "none
// recorded", never 0.
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
// low/best/high as given (best and high -1: unset).
void ExpectBounds(const Estimate& e, int64_t low, int64_t best, int64_t high,
                  const std::string& what = "") {
  SCOPED_TRACE(what);
  EXPECT_EQ(e.low(), low) << e.ShortDebugString();
  EXPECT_EQ(e.has_best() ? e.best() : -1, best) << e.ShortDebugString();
  EXPECT_EQ(e.has_high() ? e.high() : -1, high) << e.ShortDebugString();
}

// Nothing behind the figure: "none recorded", not 0.
void ExpectNoneRecorded(const rp::Figure& f) {
  SCOPED_TRACE(f.label());
  ExpectUnknown(f.value());
  EXPECT_EQ(f.record_count() + f.partly_in_count() + f.ongoing_count(), 0);
  EXPECT_EQ(f.note(), "none recorded");
}

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
          "incidents: drone strike", "incidents: strike campaign", "killed",
          "injured", "affected by power outage", "affected by heating outage"));

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
  ExpectNoneRecorded(rounds);
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
  EXPECT_THAT(drone.records(), ElementsAre(kTrain));
  // The campaign went on into the last days of January: ongoing this week.
  const rp::Figure& campaign = Fig(s, "incidents: strike campaign");
  ExpectExact(campaign.value(), 1, "campaigns");
  EXPECT_EQ(campaign.record_count(), 0);
  EXPECT_EQ(campaign.ongoing_count(), 1);
  EXPECT_THAT(campaign.ongoing(), ElementsAre(kEnergy));
  EXPECT_THAT(campaign.note(), HasSubstr("ongoing"));
  const rp::Figure& killed = Fig(s, "killed");
  EXPECT_EQ(killed.basis(), "rollup");
  ExpectAtLeast(killed.value(), 5, "killed");
  EXPECT_EQ(killed.record_count(), 1);
  EXPECT_EQ(killed.ongoing_count(), 1);
  // No injury figure was given: the total of unknowns is unknown.
  ExpectUnknown(Fig(s, "injured").value(), "injured");
  // Outages are a level: the campaign's count in full while it went on.
  EXPECT_EQ(Fig(s, "affected by power outage").ongoing_count(), 1);
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
  ExpectNoneRecorded(Fig(s, "rounds held"));
  // The campaign (attributed to Russia) was still going on.
  const rp::Figure& campaign = Fig(s, "incidents: strike campaign");
  EXPECT_EQ(campaign.basis(), "records");
  EXPECT_THAT(campaign.ongoing(), ElementsAre(kEnergy));
  EXPECT_THAT(killed.ongoing(), ElementsAre(kEnergy));
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

TEST_F(SummaryTest, AWeekExchangeMayFallOnAnyDayOfIt) {
  // The seed repatriation is dated 2026-W05: on no single day of that week
  // is it sure, from rollups or records. "0, up to 1"; "0, up to 1000".
  for (const std::string day : {"2026-01-26", "2026-01-27", "2026-02-01"}) {
    for (const auto& s : {Get(day), Get(day, {"RU"})}) {
      SCOPED_TRACE(day);
      const rp::Figure& repatriations =
          Fig(s, "exchanges: repatriation of remains");
      ExpectBounds(repatriations.value(), 0, -1, 1);
      EXPECT_EQ(repatriations.value().qualifier(), Estimate::QUALIFIER_AT_MOST);
      EXPECT_EQ(repatriations.record_count(), 0);
      EXPECT_EQ(repatriations.partly_in_count(), 1);
      EXPECT_THAT(repatriations.partly_in(), ElementsAre(kW05Exchange));
      EXPECT_THAT(repatriations.note(), HasSubstr("upper bound only"));
      ExpectBounds(Fig(s, "transferred: remains RU>UA").value(), 0, -1, 1000);
    }
  }
}

TEST_F(SummaryTest, TheWeekOfTheFirstOfNovemberMayHoldTheNovemberExchange) {
  // 2025-W44 is 27 October .. 2 November; the November exchange (1,000 and
  // 30, month precision) may fall in it, as in any week of November: never
  // the whole of it in one week, never none of it in the others.
  for (const std::string week : {"2025-W44", "2025-W46", "2025-W48"}) {
    SCOPED_TRACE(week);
    const auto s = Get(week);
    ExpectBounds(Fig(s, "transferred: remains RU>UA").value(), 0, -1, 1000);
    ExpectBounds(Fig(s, "transferred: remains UA>RU").value(), 0, -1, 30);
    EXPECT_THAT(Fig(s, "exchanges: repatriation of remains").partly_in(),
                ElementsAre(kNovExchange));
  }
  // The month holds it whole.
  ExpectExact(Fig(Get("2025-11"), "transferred: remains RU>UA").value(), 1000);
}

TEST_F(SummaryTest, AMonthExchangeInAWeekOnlyRaisesTheCeiling) {
  // 40 handed over on a known day of a week, and 78 in that month on a day
  // not known: the week's figure is 40, up to 118.
  CreateExchange(Repatriation("2026-03-10", 40, 0, ""), "march-day");
  CreateExchange(Repatriation("2026-03", 78, 0, ""), "march-month");
  for (const auto& s : {Get("2026-W11"), Get("2026-W11", {"UA"})}) {
    const rp::Figure& returned = Fig(s, "transferred: remains RU>UA");
    ExpectBounds(returned.value(), 40, 40, 118);
    EXPECT_EQ(returned.value().qualifier(), Estimate::QUALIFIER_ABOUT);
    EXPECT_EQ(returned.record_count(), 1);
    EXPECT_EQ(returned.partly_in_count(), 1);
    // "1 exchange, and 1 more that may fall in this week".
    const rp::Figure& held = Fig(s, "exchanges: repatriation of remains");
    ExpectBounds(held.value(), 1, 1, 2);
    EXPECT_THAT(held.records(), ElementsAre("exchanges/march-day"));
    EXPECT_THAT(held.partly_in(), ElementsAre("exchanges/march-month"));
  }
  // The month holds both whole.
  ExpectExact(Fig(Get("2026-03"), "transferred: remains RU>UA").value(), 118);
}

TEST_F(SummaryTest, ClaimsAreKeptPerClaimant) {
  // One side says 6,057 remains received, the other 6,060 handed over.
  ex::Exchange disputed = Repatriation("2026-04-02", 0, 0, "");
  disputed.mutable_transfers()->RemoveLast();
  auto* count = disputed.mutable_transfers(0)->mutable_count();
  count->Clear();
  count->set_best(6057);
  count->set_qualifier(Estimate::QUALIFIER_ABOUT);
  for (const auto& [who, value] : {std::pair{"UA", 6057}, {"RU", 6060}}) {
    auto* claim = count->add_claims();
    claim->set_value(value);
    claim->mutable_claimed_by()->set_country(who);
  }
  CreateExchange(disputed, "disputed");
  CreateExchange(Repatriation("2026-04-03", 1000, 0, ""), "undisputed");
  for (const auto& s : {Get("2026-W14"), Get("2026-W14", {"RU"})}) {
    const rp::Figure& returned = Fig(s, "transferred: remains RU>UA");
    ExpectBounds(returned.value(), 7057, 7057, 7060);
    ASSERT_EQ(returned.value().claims_size(), 2) << s.ShortDebugString();
    EXPECT_EQ(returned.value().claims(0).claimed_by().country(), "RU");
    EXPECT_EQ(returned.value().claims(0).value(), 7060);
    EXPECT_EQ(returned.value().claims(1).claimed_by().country(), "UA");
    EXPECT_EQ(returned.value().claims(1).value(), 7057);
  }
}

TEST_F(SummaryTest, AMonthCountsTheRound) {
  const auto s = Get("2026-01");
  const rp::Figure& rounds = Fig(s, "rounds held");
  ExpectExact(rounds.value(), 1, "rounds held");
  EXPECT_THAT(rounds.records(), ElementsAre(kUaeRound));
  ASSERT_EQ(rounds.sources_size(), 1);
  // The W05 repatriation (26 January .. 1 February) and the demand first
  // reported that week may fall in January: behind the upper bounds.
  ExpectBounds(Fig(s, "exchanges: repatriation of remains").value(), 0, -1, 1);
  ExpectBounds(Fig(s, "transferred: remains RU>UA").value(), 0, -1, 1000);
  ExpectBounds(Fig(s, "positions opened").value(), 0, -1, 1);
  ExpectExact(Fig(s, "incidents: drone strike").value(), 1, "drone strikes");
  EXPECT_THAT(Fig(s, "incidents: strike campaign").ongoing(),
              ElementsAre(kEnergy));
  ExpectAtLeast(Fig(s, "killed").value(), 5, "killed");

  // Only the US: the round (a party to it) and nothing else.
  const auto us = Get("2026-01", {"US"});
  ExpectExact(Fig(us, "rounds held").value(), 1, "US rounds");
  ExpectNoneRecorded(Fig(us, "positions opened"));
  EXPECT_EQ(FindFigure(us, "exchanges: repatriation of remains"), nullptr);
  EXPECT_EQ(FindFigure(us, "incidents: drone strike"), nullptr);
  const rp::Figure& none_killed = Fig(us, "killed");
  EXPECT_EQ(none_killed.basis(), "records");
  ExpectNoneRecorded(none_killed);
}

TEST_F(SummaryTest, TheCampaignIsOngoingInEachOfItsMonths) {
  // Strikes on energy infrastructure "in recent months": November to
  // January, ongoing in each, and with its outages in each.
  for (const std::string month : {"2025-11", "2025-12", "2026-01"}) {
    SCOPED_TRACE(month);
    for (const auto& s : {Get(month), Get(month, {"RU"})}) {
      const rp::Figure& campaign = Fig(s, "incidents: strike campaign");
      ExpectExact(campaign.value(), 1, "campaigns");
      EXPECT_EQ(campaign.ongoing_count(), 1);
      EXPECT_THAT(campaign.ongoing(), ElementsAre(kEnergy));
      // "power and heating outages", no figure given.
      ExpectUnknown(Fig(s, "affected by power outage").value(), "power");
      EXPECT_EQ(Fig(s, "affected by power outage").ongoing_count(), 1);
      ExpectUnknown(Fig(s, "affected by heating outage").value(), "heating");
    }
  }
  // Not after it; and over its whole span it is simply there.
  EXPECT_EQ(FindFigure(Get("2026-02"), "incidents: strike campaign"), nullptr);
  const auto quarter = Get("2025-11/2026-01");
  const rp::Figure& whole = Fig(quarter, "incidents: strike campaign");
  EXPECT_EQ(whole.record_count(), 1);
  EXPECT_EQ(whole.ongoing_count(), 0);
  EXPECT_THAT(whole.records(), ElementsAre(kEnergy));

  // December: nothing else happened, and no one is reported killed, which
  // is "unknown", not 0.
  const auto december = Get("2025-12");
  EXPECT_EQ(FindFigure(december, "exchanges: repatriation of remains"),
            nullptr);
  ExpectUnknown(Fig(december, "killed").value(), "killed");
  EXPECT_EQ(Fig(december, "killed").ongoing_count(), 1);
  ExpectNoneRecorded(Fig(december, "rounds held"));
}

TEST_F(SummaryTest, NovemberHasItsExchangeWhole) {
  const auto s = Get("2025-11");
  ExpectExact(Fig(s, "exchanges: repatriation of remains").value(), 1,
              "repatriations");
  ExpectExact(Fig(s, "transferred: remains RU>UA").value(), 1000, "RU>UA");
  ExpectExact(Fig(s, "transferred: remains UA>RU").value(), 30, "UA>RU");
  EXPECT_EQ(FindFigure(s, "incidents: drone strike"), nullptr);
}

TEST_F(SummaryTest, RegionNarrowsTheIncidents) {
  const auto kharkiv = Get("2026-W05", {}, "Kharkiv");
  ExpectExact(Fig(kharkiv, "incidents: drone strike").value(), 1, "Kharkiv");
  ExpectAtLeast(Fig(kharkiv, "killed").value(), 5, "Kharkiv killed");

  const auto odesa = Get("2026-W05", {}, "Odesa");
  EXPECT_EQ(FindFigure(odesa, "incidents: drone strike"), nullptr);
  ExpectNoneRecorded(Fig(odesa, "killed"));
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
  ExpectNoneRecorded(Fig(then, "positions opened"));
  EXPECT_EQ(FindFigure(then, "incidents: drone strike"), nullptr);
  const rp::Figure& killed = Fig(then, "killed");
  EXPECT_EQ(killed.basis(), "records");
  ExpectNoneRecorded(killed);
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
