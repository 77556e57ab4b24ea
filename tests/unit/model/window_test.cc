#include "common/model/window.h"

#include <string>

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

TEST(WindowTest, PlacesSpansInAWindow) {
  const DateSpan week = Span("2025-W45");  // 2025-11-03 .. 2025-11-09
  EXPECT_EQ(PlaceInWindow(Span("2025-11-05"), week), Placement::kInside);
  EXPECT_EQ(PlaceInWindow(Span("2025-11-03/2025-11-09"), week),
            Placement::kInside);
  EXPECT_EQ(PlaceInWindow(Span("2025-11"), week), Placement::kPartlyIn);
  EXPECT_EQ(PlaceInWindow(Span("2025-11-09/2025-11-10"), week),
            Placement::kPartlyIn);
  EXPECT_EQ(PlaceInWindow(Span("2025-11-02/2025-11-03"), week),
            Placement::kPartlyIn);
  EXPECT_EQ(PlaceInWindow(Span("2025-11-10"), week), Placement::kOutside);
  EXPECT_EQ(PlaceInWindow(Span("2025-11-02"), week), Placement::kOutside);
}

TEST(WindowTest, PlacesSpansAgainstAsOf) {
  const absl::CivilDay as_of(2025, 11, 10);
  EXPECT_EQ(PlaceAsOf(Span("2025-11-10"), as_of), Placement::kInside);
  EXPECT_EQ(PlaceAsOf(Span("2025-10"), as_of), Placement::kInside);
  EXPECT_EQ(PlaceAsOf(Span("2025-11"), as_of), Placement::kPartlyIn);
  EXPECT_EQ(PlaceAsOf(Span("2025-11-11"), as_of), Placement::kOutside);
}

TEST(WindowTest, CountsOnTheFirstDay) {
  EXPECT_EQ(CountingDay(Span("2025-11")), absl::CivilDay(2025, 11, 1));
  EXPECT_TRUE(CountsIn(Span("2025-11"), Span("2025-W44")));
  EXPECT_FALSE(CountsIn(Span("2025-11"), Span("2025-W46")));
}

}  // namespace
}  // namespace parley
