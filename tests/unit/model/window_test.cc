// The window rule: how a record's date span stands in a window, for every
// precision against every kind of window, and against an as-of day.
#include "common/model/window.h"

#include <string>
#include <tuple>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

DateSpan Span(const std::string& text) {
  absl::StatusOr<DateSpan> span = DateSpan::Parse(text);
  EXPECT_TRUE(span.ok()) << text << ": " << span.status();
  return span.ok() ? *span : DateSpan::Days({}, {});
}

constexpr Placement kIn = Placement::kInside;
constexpr Placement kPartly = Placement::kPartlyIn;
constexpr Placement kOut = Placement::kOutside;

// (record span, window, placement).
using Case = std::tuple<std::string, std::string, Placement>;

class PlaceInWindowTest : public ::testing::TestWithParam<Case> {};

TEST_P(PlaceInWindowTest, Places) {
  const auto& [record, window, want] = GetParam();
  EXPECT_EQ(PlaceInWindow(Span(record), Span(window)), want)
      << record << " in " << window;
}

INSTANTIATE_TEST_SUITE_P(
    EveryPrecision, PlaceInWindowTest,
    ::testing::Values(
        // A day window: a day is in or out; anything longer around it is
        // partly in.
        Case{"2026-01-27", "2026-01-27", kIn},
        Case{"2026-01-26", "2026-01-27", kOut},
        Case{"2026-W05", "2026-01-27", kPartly},
        Case{"2026-01", "2026-01-27", kPartly},
        Case{"2026", "2026-01-27", kPartly},
        Case{"2026-01-27/2026-01-28", "2026-01-27", kPartly},
        // An ISO week across a year end: 2026-W01 is 2025-12-29 .. 2026-01-04.
        Case{"2025-12-29", "2026-W01", kIn},
        Case{"2026-01-04", "2026-W01", kIn},
        Case{"2025-12-28", "2026-W01", kOut},
        Case{"2026-01-05", "2026-W01", kOut}, Case{"2026-W01", "2026-W01", kIn},
        Case{"2025-12", "2026-W01", kPartly},
        Case{"2026-01", "2026-W01", kPartly}, Case{"2025", "2026-W01", kPartly},
        Case{"2026", "2026-W01", kPartly},
        Case{"2025-12-29/2026-01-04", "2026-W01", kIn},
        Case{"2025-12-20/2025-12-29", "2026-W01", kPartly},
        Case{"2025-12-20/2025-12-28", "2026-W01", kOut},
        // A month window: its weeks may straddle it.
        Case{"2025-11-30", "2025-11", kIn}, Case{"2025-W45", "2025-11", kIn},
        Case{"2025-W44", "2025-11", kPartly},  // 2025-10-27 .. 2025-11-02
        Case{"2025-W48", "2025-11", kIn},      // 2025-11-24 .. 2025-11-30
        Case{"2025-W49", "2025-11", kOut},     // 2025-12-01 .. 2025-12-07
        Case{"2025-11", "2025-11", kIn}, Case{"2025-10", "2025-11", kOut},
        Case{"2025", "2025-11", kPartly},
        // The campaign of the seed week against each of its months.
        Case{"2025-11/2026-01", "2025-11", kPartly},
        Case{"2025-11/2026-01", "2025-12", kPartly},
        Case{"2025-11/2026-01", "2026-01", kPartly},
        Case{"2025-11/2026-01", "2026-02", kOut},
        Case{"2025-11/2026-01", "2025-10-01/2026-02-28", kIn},
        // A year window.
        Case{"2025-12-31", "2025", kIn},
        Case{"2025-W01", "2025", kPartly},  // 2024-12-30 .. 2025-01-05
        Case{"2025-11", "2025", kIn}, Case{"2025", "2025", kIn},
        Case{"2024", "2025", kOut}, Case{"2024-06/2025-06", "2025", kPartly},
        // A range window.
        Case{"2025-11-10", "2025-11-10/2025-11-20", kIn},
        Case{"2025-11-20", "2025-11-10/2025-11-20", kIn},
        Case{"2025-11-21", "2025-11-10/2025-11-20", kOut},
        Case{"2025-11", "2025-11-10/2025-11-20", kPartly},
        Case{"2025-W46", "2025-11-10/2025-11-20", kIn},
        Case{"2025-11-01/2025-11-10", "2025-11-10/2025-11-20", kPartly}));

TEST(PlaceAsOfTest, AgainstTheDayItDescribes) {
  const absl::CivilDay as_of(2025, 11, 10);
  // Ended by then, at its last day, or long before.
  EXPECT_EQ(PlaceAsOf(Span("2025-11-10"), as_of), kIn);
  EXPECT_EQ(PlaceAsOf(Span("2025-11-01/2025-11-10"), as_of), kIn);
  EXPECT_EQ(PlaceAsOf(Span("2025-10"), as_of), kIn);
  EXPECT_EQ(PlaceAsOf(Span("2024"), as_of), kIn);
  // Straddling it: begun by then (on as_of itself, too), not yet ended.
  EXPECT_EQ(PlaceAsOf(Span("2025-11"), as_of), kPartly);
  EXPECT_EQ(PlaceAsOf(Span("2025-11-10/2025-11-11"), as_of), kPartly);
  EXPECT_EQ(PlaceAsOf(Span("2025-W46"), as_of), kPartly);  // Monday the 10th
  EXPECT_EQ(PlaceAsOf(Span("2025"), as_of), kPartly);
  // After it.
  EXPECT_EQ(PlaceAsOf(Span("2025-11-11"), as_of), kOut);
  EXPECT_EQ(PlaceAsOf(Span("2025-12"), as_of), kOut);
}

TEST(CountInTest, OnceAndOngoingDifferOnlyWhenPartlyIn) {
  using O = ::parley::common::v1::Occurrence;
  for (O o :
       {O::OCCURRENCE_UNSPECIFIED, O::OCCURRENCE_ONCE, O::OCCURRENCE_ONGOING}) {
    EXPECT_EQ(CountIn(kIn, o), Counted::kWhole);
    EXPECT_EQ(CountIn(kOut, o), Counted::kNot);
  }
  EXPECT_EQ(CountIn(kPartly, O::OCCURRENCE_UNSPECIFIED), Counted::kMaybe);
  EXPECT_EQ(CountIn(kPartly, O::OCCURRENCE_ONCE), Counted::kMaybe);
  EXPECT_EQ(CountIn(kPartly, O::OCCURRENCE_ONGOING), Counted::kOngoing);
  // The campaign is ongoing in December, and in no month after January.
  EXPECT_EQ(
      CountIn(Span("2025-11/2026-01"), O::OCCURRENCE_ONGOING, Span("2025-12")),
      Counted::kOngoing);
  EXPECT_EQ(
      CountIn(Span("2025-11/2026-01"), O::OCCURRENCE_ONGOING, Span("2026-02")),
      Counted::kNot);
}

TEST(IsSingleDayTest, OnlyADay) {
  EXPECT_TRUE(IsSingleDay(Span("2026-01-27")));
  EXPECT_TRUE(IsSingleDay(Span("2026-01-27/2026-01-27")));
  EXPECT_FALSE(IsSingleDay(Span("2026-W05")));
  EXPECT_FALSE(IsSingleDay(Span("2026-01-27/2026-01-28")));
}

}  // namespace
}  // namespace parley
