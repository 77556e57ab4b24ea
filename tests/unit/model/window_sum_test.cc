// Sums by the window rule: records in full, partly in (bounds only),
// ongoing (bounds, levels in full), none recorded, claims per claimant.
#include "common/model/window_sum.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lib/records.h"

namespace parley {
namespace {

using ::parley::testing::AtLeast;
using ::parley::testing::NormalizedExact;
using ::testing::HasSubstr;

Estimate Exactly(int64_t n) { return NormalizedExact(n); }

TEST(WindowSumTest, NothingIsNoneRecordedNotZero) {
  WindowSum sum;
  EXPECT_TRUE(sum.none_recorded());
  const Estimate total = sum.Total();
  EXPECT_EQ(total.qualifier(), Estimate::QUALIFIER_UNKNOWN);
  EXPECT_FALSE(total.has_low());
  EXPECT_FALSE(total.has_best());
  EXPECT_EQ(sum.Note(), "none recorded");
}

TEST(WindowSumTest, RecordsInsideAddUpExactly) {
  WindowSum sum;
  sum.Add(Exactly(1000), Counted::kWhole);
  sum.Add(Exactly(38), Counted::kWhole);
  const Estimate total = sum.Total();
  EXPECT_EQ(total.qualifier(), Estimate::QUALIFIER_EXACT);
  EXPECT_EQ(total.best(), 1038);
  EXPECT_EQ(sum.whole(), 2);
  EXPECT_EQ(sum.Note(), "");
}

TEST(WindowSumTest, AMonthExchangeInAWeekRaisesOnlyTheCeiling) {
  // "x, up to x + 78": never x + 78, never silently x.
  WindowSum sum;
  sum.Add(Exactly(40), Counted::kWhole);
  sum.Add(Exactly(78), Counted::kMaybe);
  const Estimate total = sum.Total();
  EXPECT_EQ(total.low(), 40);
  EXPECT_EQ(total.best(), 40);
  EXPECT_EQ(total.high(), 118);
  EXPECT_EQ(total.qualifier(), Estimate::QUALIFIER_ABOUT);
  EXPECT_EQ(sum.whole(), 1);
  EXPECT_EQ(sum.maybe(), 1);
  EXPECT_THAT(sum.Note(), HasSubstr("1 record dated only to a longer span"));
  EXPECT_THAT(sum.Note(), HasSubstr("upper bound only"));
}

TEST(WindowSumTest, OnlyPartlyInIsAtMostItsHigh) {
  WindowSum sum;
  sum.Add(Exactly(1000), Counted::kMaybe);
  sum.Add(Exactly(30), Counted::kMaybe);
  const Estimate total = sum.Total();
  EXPECT_EQ(total.qualifier(), Estimate::QUALIFIER_AT_MOST);
  EXPECT_EQ(total.low(), 0);
  EXPECT_FALSE(total.has_best());
  EXPECT_EQ(total.high(), 1030);
}

TEST(WindowSumTest, AnUnboundedPartlyInRecordOpensTheCeiling) {
  WindowSum sum;
  sum.Add(Exactly(3), Counted::kWhole);
  sum.Add(AtLeast(5), Counted::kMaybe);
  const Estimate total = sum.Total();
  EXPECT_EQ(total.qualifier(), Estimate::QUALIFIER_AT_LEAST);
  EXPECT_EQ(total.low(), 3);
  EXPECT_FALSE(total.has_high());
}

TEST(WindowSumTest, OngoingCasualtiesAreBoundsAndLevelsCountInFull) {
  // A campaign over three months, in one of them: its 12 killed may fall
  // in any month; the 500,000 cut off from power were cut off in each.
  WindowSum killed, affected;
  killed.Add(Exactly(12), Counted::kOngoing);
  affected.Add(Exactly(500000), Counted::kOngoing, /*per_period=*/true);
  EXPECT_EQ(killed.Total().low(), 0);
  EXPECT_EQ(killed.Total().high(), 12);
  EXPECT_EQ(killed.ongoing(), 1);
  EXPECT_EQ(affected.Total().qualifier(), Estimate::QUALIFIER_EXACT);
  EXPECT_EQ(affected.Total().best(), 500000);
  EXPECT_THAT(killed.Note(), HasSubstr("ongoing"));
}

TEST(WindowSumTest, NotCountedIsLeftOut) {
  WindowSum sum;
  sum.Add(Exactly(5), Counted::kNot);
  EXPECT_TRUE(sum.none_recorded());
}

TEST(WindowSumTest, UnknownFiguresInsideAreUnknownButRecorded) {
  WindowSum sum;
  Estimate unknown;
  unknown.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  sum.Add(unknown, Counted::kWhole);
  EXPECT_FALSE(sum.none_recorded());
  EXPECT_EQ(sum.Total().qualifier(), Estimate::QUALIFIER_UNKNOWN);
  EXPECT_EQ(sum.Note(), "");
}

Estimate Claimed(int64_t best, int64_t ua, int64_t ru) {
  Estimate e;
  e.set_best(best);
  e.set_qualifier(Estimate::QUALIFIER_ABOUT);
  auto* a = e.add_claims();
  a->set_value(ua);
  a->mutable_claimed_by()->set_country("UA");
  auto* b = e.add_claims();
  b->set_value(ru);
  b->mutable_claimed_by()->set_country("RU");
  NormalizeEstimate(&e);
  return e;
}

TEST(WindowSumTest, ClaimsAreSummedPerClaimant) {
  // One side says 6,057, the other 6,060; another exchange of 1,000 is
  // claimed by nobody, so each side's sum takes its best.
  WindowSum sum;
  sum.Add(Claimed(6057, 6057, 6060), Counted::kWhole);
  sum.Add(Exactly(1000), Counted::kWhole);
  const Estimate total = sum.Total();
  EXPECT_EQ(total.low(), 7057);
  EXPECT_EQ(total.high(), 7060);
  ASSERT_EQ(total.claims_size(), 2);
  // By claimant.
  EXPECT_EQ(total.claims(0).claimed_by().country(), "RU");
  EXPECT_EQ(total.claims(0).value(), 7060);
  EXPECT_EQ(total.claims(1).claimed_by().country(), "UA");
  EXPECT_EQ(total.claims(1).value(), 7057);
  EXPECT_THAT(total.claims(1).note(), HasSubstr("1 other"));
}

TEST(WindowSumTest, AClaimantSumNeedsABestWhereItSaidNothing) {
  WindowSum sum;
  sum.Add(Claimed(6057, 6057, 6060), Counted::kWhole);
  sum.Add(AtLeast(5), Counted::kWhole);  // no best: no side's sum is whole
  EXPECT_EQ(sum.Total().claims_size(), 0);
}

TEST(WindowSumTest, ClaimsCancelOnRemoval) {
  model::v1::RollupValue totals;
  AddToRollup(Claimed(6057, 6057, 6060), +1, &totals);
  AddToRollup(Claimed(6057, 6057, 6060), -1, &totals);
  EXPECT_EQ(totals.claims_size(), 0);
  EXPECT_EQ(totals.ByteSizeLong(), 0u);
}

TEST(CountEstimateTest, ThreeAndOneMoreThatMayFall) {
  const Estimate e = CountEstimate(3, 1);
  EXPECT_EQ(e.low(), 3);
  EXPECT_EQ(e.best(), 3);
  EXPECT_EQ(e.high(), 4);
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_ABOUT);
  EXPECT_EQ(CountEstimate(2, 0).qualifier(), Estimate::QUALIFIER_EXACT);
  EXPECT_EQ(CountEstimate(0, 1).qualifier(), Estimate::QUALIFIER_AT_MOST);
  EXPECT_EQ(CountEstimate(0, 0).qualifier(), Estimate::QUALIFIER_UNKNOWN);
}

}  // namespace
}  // namespace parley
