// SummarizeIncidents on the seed week: totals per kind and effect, by span
// and region, by the window rule, that never make up a figure. The energy
// campaign (2025-11/2026-01, ongoing) is ongoing in every span it reaches
// into and whole only in a span that holds all of it.
#include <tuple>

#include "tests/integration/incidents_fixture.h"

namespace parley::incidents {
namespace {

// ---------------------------------------------------------------------------
// SummarizeIncidents on the seed week.

TEST_F(IncidentsIntegrationTest, SummarizeTheTrainStrikeWeek) {
  Seed();
  // 2026-W05: the train strike (Kharkiv, at least five) and Belgorod (one).
  const auto week = Summarize("2026-W05");
  ExpectSpan(week.span(), "2026-W05", DateSpan::PRECISION_WEEK, "2026-01-26",
             "2026-02-01");
  EXPECT_EQ(week.incidents(), 2);
  EXPECT_EQ(week.partly_in(), 0);
  // The campaign went on to the end of January, into this week.
  EXPECT_EQ(week.ongoing(), 1);
  ASSERT_EQ(week.kinds_size(), 2);
  EXPECT_EQ(week.kinds(0).kind(), INCIDENT_KIND_DRONE_STRIKE);
  EXPECT_EQ(week.kinds(0).incidents(), 2);
  ExpectAtLeast(week.kinds(0).killed(), 6);
  EXPECT_EQ(week.kinds(1).kind(), INCIDENT_KIND_STRIKE_CAMPAIGN);
  EXPECT_EQ(week.kinds(1).incidents(), 0);
  EXPECT_EQ(week.kinds(1).ongoing(), 1);
  ExpectAtLeast(week.killed(), 6);
  // The train's injured are unknown: Belgorod's three are a floor, not a total.
  ExpectAtLeast(week.injured(), 3);
  // Its outages, a level, hold this week too.
  ASSERT_EQ(week.effects_size(), 2);
  EXPECT_EQ(week.effects(0).ongoing(), 1);

  // Kharkiv alone, however it is spelled: "at least five killed".
  for (const char* region :
       {"Kharkiv", "kharkiv", "KHARKIV", "Kharkivska oblast", "UA-63"}) {
    SCOPED_TRACE(region);
    const auto kharkiv = Summarize("2026-W05", region);
    EXPECT_EQ(kharkiv.incidents(), 1);
    ASSERT_EQ(kharkiv.kinds_size(), 1);
    EXPECT_EQ(kharkiv.kinds(0).kind(), INCIDENT_KIND_DRONE_STRIKE);
    ExpectAtLeast(kharkiv.killed(), 5);
    ExpectNoFigure(kharkiv.injured());
  }
  const auto day = Summarize("2026-01-27", "Kharkiv");
  EXPECT_EQ(day.incidents(), 1);
  ExpectAtLeast(day.killed(), 5);
  EXPECT_EQ(Summarize("2026-01-26", "Kharkiv").incidents(), 0);
  // Every spelling of the region is one region (ISO 3166-2 UA-63).
  EXPECT_EQ(Summarize("2026-W05", "Kharkiv Oblast").incidents(), 1);
  EXPECT_EQ(Summarize("2026-W05", "UA-63").incidents(), 1);
  EXPECT_EQ(Summarize("2026-W05", "Lviv").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05", "Belgorod").incidents(), 1);
  ExpectExact(Summarize("2026-W05", "Belgorod").killed(), 1);

  // January: Kherson (exactly two; about seven injured), the train, Belgorod.
  const auto january = Summarize("2026-01");
  EXPECT_EQ(january.incidents(), 3);
  EXPECT_EQ(january.ongoing(), 1);
  ASSERT_EQ(january.kinds_size(), 3);
  EXPECT_EQ(january.kinds(0).kind(), INCIDENT_KIND_DRONE_STRIKE);
  EXPECT_EQ(january.kinds(1).kind(), INCIDENT_KIND_SHELLING);
  EXPECT_EQ(january.kinds(2).kind(), INCIDENT_KIND_STRIKE_CAMPAIGN);
  EXPECT_EQ(january.kinds(1).incidents(), 1);
  ExpectExact(january.kinds(1).killed(), 2);
  EXPECT_EQ(january.kinds(1).injured().best(), 7);
  EXPECT_NE(january.kinds(1).injured().qualifier(), Estimate::QUALIFIER_EXACT);
  ExpectAtLeast(january.killed(), 8);
}

TEST_F(IncidentsIntegrationTest, SummarizeTheEnergyCampaign) {
  Seed();
  // Ongoing in each of its months: in November, December and January.
  for (const char* month : {"2025-11", "2025-12", "2026-01"}) {
    SCOPED_TRACE(month);
    const auto summary = Summarize(month);
    EXPECT_EQ(summary.ongoing(), 1);
    const auto* campaign =
        [&]() -> const SummarizeIncidentsResponse::KindTotals* {
      for (const auto& k : summary.kinds()) {
        if (k.kind() == INCIDENT_KIND_STRIKE_CAMPAIGN) return &k;
      }
      return nullptr;
    }();
    ASSERT_NE(campaign, nullptr);
    EXPECT_EQ(campaign->incidents(), 0);
    EXPECT_EQ(campaign->ongoing(), 1);
    ExpectNoFigure(campaign->killed());
  }
  const auto november = Summarize("2025-11");
  EXPECT_EQ(november.incidents(), 0);
  ASSERT_EQ(november.kinds_size(), 1);
  ExpectNoFigure(november.killed());
  // Outages with no figure: reported, counted, never zero.
  ASSERT_EQ(november.effects_size(), 2);
  EXPECT_EQ(november.effects(0).kind(), EFFECT_KIND_POWER_OUTAGE);
  EXPECT_EQ(november.effects(0).ongoing(), 1);
  ExpectNoFigure(november.effects(0).affected());
  EXPECT_EQ(november.effects(1).kind(), EFFECT_KIND_HEATING_OUTAGE);
  EXPECT_EQ(november.effects(1).ongoing(), 1);
  ExpectNoFigure(november.effects(1).affected());
  // Not after it.
  EXPECT_EQ(Summarize("2026-02").ongoing(), 0);
  EXPECT_EQ(Summarize("2026-02").kinds_size(), 0);

  // The campaign's own span holds everything seeded.
  const auto campaign = Summarize("2025-11/2026-01");
  EXPECT_EQ(campaign.span().precision(), DateSpan::PRECISION_RANGE);
  EXPECT_EQ(campaign.span().first_day(), "2025-11-01");
  EXPECT_EQ(campaign.span().last_day(), "2026-01-31");
  EXPECT_EQ(campaign.incidents(), 4);
  EXPECT_EQ(campaign.ongoing(), 0);
  EXPECT_EQ(campaign.kinds_size(), 3);
  EXPECT_EQ(campaign.effects_size(), 2);
  ExpectAtLeast(campaign.killed(), 8);
  // It has no region: no regional summary holds it.
  EXPECT_EQ(Summarize("2025-11", "Kharkiv").incidents(), 0);

  // A figure arrives for the power outage: the total carries it.
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kEnergy);
  Incident patch = EnergyCampaign();
  patch.mutable_effects(0)->mutable_affected()->Clear();
  patch.mutable_effects(0)->mutable_affected()->set_low(1000000);
  patch.mutable_effects(0)->mutable_affected()->set_qualifier(
      Estimate::QUALIFIER_AT_LEAST);
  *update.mutable_incident()->mutable_effects() = patch.effects();
  *update.mutable_update_mask() = Mask({"effects"});
  Incident out;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &out).ok());
  const auto later = Summarize("2025-11");
  ASSERT_EQ(later.effects_size(), 2);
  // People cut off are a level: in full in every month the campaign went on.
  ExpectAtLeast(later.effects(0).affected(), 1000000);
  EXPECT_EQ(later.effects(0).ongoing(), 1);
  ExpectAtLeast(Summarize("2025-12").effects(0).affected(), 1000000);
}

TEST_F(IncidentsIntegrationTest, SummarizeRefusesABadSpanOrRegion) {
  Seed();
  for (const auto& [span, region, field] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "", "span"},
           {"2026-W54", "", "span"},
           {"last week", "Kharkiv", "span"},
           {"2026-W05", std::string(5000, 'k'), "region"}}) {
    SummarizeIncidentsRequest req;
    req.set_span(span);
    req.set_region(region);
    SummarizeIncidentsResponse resp;
    const absl::Status s = Call(&Stub::SummarizeIncidents, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << span << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre(field)) << span;
  }
}

}  // namespace
}  // namespace parley::incidents
