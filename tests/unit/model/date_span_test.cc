#include "common/model/date_span.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

namespace pb = ::parley::common::v1;

using ::testing::HasSubstr;

constexpr char kForms[] = "use YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY or A/B";

// Parses `text`, failing the test (and returning a one-day placeholder) if it
// does not parse.
DateSpan MustParse(const std::string& text) {
  absl::StatusOr<DateSpan> span = DateSpan::Parse(text);
  EXPECT_TRUE(span.ok()) << text << ": " << span.status();
  if (!span.ok()) return DateSpan::Days(absl::CivilDay(), absl::CivilDay());
  return *span;
}

TEST(DateSpanTest, ParsesDay) {
  DateSpan span = MustParse("2026-01-27");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_DAY);
  EXPECT_EQ(span.first(), absl::CivilDay(2026, 1, 27));
  EXPECT_EQ(span.last(), absl::CivilDay(2026, 1, 27));
  EXPECT_EQ(span.text(), "2026-01-27");
  EXPECT_EQ(span.length_days(), 1);
}

TEST(DateSpanTest, ParsesWeek) {
  DateSpan span = MustParse("2026-W05");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_WEEK);
  EXPECT_EQ(span.first(), absl::CivilDay(2026, 1, 26));
  EXPECT_EQ(span.last(), absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(span.text(), "2026-W05");
  EXPECT_EQ(span.length_days(), 7);
}

TEST(DateSpanTest, ParsesMonth) {
  DateSpan span = MustParse("2025-11");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_MONTH);
  EXPECT_EQ(span.first(), absl::CivilDay(2025, 11, 1));
  EXPECT_EQ(span.last(), absl::CivilDay(2025, 11, 30));
  EXPECT_EQ(span.text(), "2025-11");
  EXPECT_EQ(span.length_days(), 30);
}

TEST(DateSpanTest, ParsesYear) {
  DateSpan span = MustParse("2025");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_YEAR);
  EXPECT_EQ(span.first(), absl::CivilDay(2025, 1, 1));
  EXPECT_EQ(span.last(), absl::CivilDay(2025, 12, 31));
  EXPECT_EQ(span.text(), "2025");
  EXPECT_EQ(span.length_days(), 365);
}

TEST(DateSpanTest, ParsesYearBounds) {
  DateSpan first = MustParse("0001");
  EXPECT_EQ(first.first(), absl::CivilDay(1, 1, 1));
  EXPECT_EQ(first.text(), "0001");
  DateSpan last = MustParse("9999");
  EXPECT_EQ(last.last(), absl::CivilDay(9999, 12, 31));
  EXPECT_EQ(MustParse("9999-12-31").first(), absl::CivilDay(9999, 12, 31));
}

TEST(DateSpanTest, TrimsSurroundingWhitespace) {
  DateSpan span = MustParse(" \t2026-01-27\n ");
  EXPECT_EQ(span.text(), "2026-01-27");
  EXPECT_EQ(span.first(), absl::CivilDay(2026, 1, 27));
}

struct WeekCase {
  std::string text;
  absl::CivilDay first;
  absl::CivilDay last;
};

TEST(DateSpanTest, IsoWeekEdgeCases) {
  const std::vector<WeekCase> cases = {
      // Week 1 holds January 4, so it may start in the previous year.
      {"2026-W01", absl::CivilDay(2025, 12, 29), absl::CivilDay(2026, 1, 4)},
      {"2009-W01", absl::CivilDay(2008, 12, 29), absl::CivilDay(2009, 1, 4)},
      {"2021-W01", absl::CivilDay(2021, 1, 4), absl::CivilDay(2021, 1, 10)},
      {"0001-W01", absl::CivilDay(1, 1, 1), absl::CivilDay(1, 1, 7)},
      // Week 53 exists in some years and may end in the next year.
      {"2020-W53", absl::CivilDay(2020, 12, 28), absl::CivilDay(2021, 1, 3)},
      {"2015-W53", absl::CivilDay(2015, 12, 28), absl::CivilDay(2016, 1, 3)},
      {"2004-W53", absl::CivilDay(2004, 12, 27), absl::CivilDay(2005, 1, 2)},
      {"2026-W53", absl::CivilDay(2026, 12, 28), absl::CivilDay(2027, 1, 3)},
      {"2021-W52", absl::CivilDay(2021, 12, 27), absl::CivilDay(2022, 1, 2)},
      {"2024-W09", absl::CivilDay(2024, 2, 26), absl::CivilDay(2024, 3, 3)},
      {"9999-W51", absl::CivilDay(9999, 12, 20), absl::CivilDay(9999, 12, 26)},
  };
  for (const WeekCase& c : cases) {
    SCOPED_TRACE(c.text);
    DateSpan span = MustParse(c.text);
    EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_WEEK);
    EXPECT_EQ(span.first(), c.first);
    EXPECT_EQ(span.last(), c.last);
    EXPECT_EQ(span.text(), c.text);
  }
}

TEST(DateSpanTest, YearsWithWeek53) {
  // ISO years 1990..2040 that have 53 weeks.
  const std::vector<int> long_years = {1992, 1998, 2004, 2009, 2015,
                                       2020, 2026, 2032, 2037};
  for (int year = 1990; year <= 2040; ++year) {
    const bool has_53 = std::find(long_years.begin(), long_years.end(), year) !=
                        long_years.end();
    EXPECT_EQ(DateSpan::Parse(absl::StrFormat("%04d-W53", year)).ok(), has_53)
        << year;
  }
}

TEST(DateSpanTest, WeeksRunMondayToSundayWithoutGaps) {
  absl::CivilDay next_monday = MustParse("1999-W01").first();
  for (int year = 1999; year <= 2031; ++year) {
    for (int week = 1; week <= 53; ++week) {
      const std::string text = absl::StrFormat("%04d-W%02d", year, week);
      absl::StatusOr<DateSpan> span = DateSpan::Parse(text);
      if (week == 53 && !span.ok()) continue;
      ASSERT_TRUE(span.ok()) << text << ": " << span.status();
      EXPECT_EQ(span->first(), next_monday) << text;
      EXPECT_EQ(absl::GetWeekday(span->first()), absl::Weekday::monday) << text;
      EXPECT_EQ(absl::GetWeekday(span->last()), absl::Weekday::sunday) << text;
      EXPECT_EQ(span->length_days(), 7) << text;
      if (week == 1) {
        EXPECT_TRUE(span->Contains(absl::CivilDay(year, 1, 4))) << text;
      }
      next_monday = span->last() + 1;
    }
  }
}

TEST(DateSpanTest, WeekAcceptsLowerCaseAndOneDigit) {
  for (const char* text : {"2026-w05", "2026-w5", "2026-W5"}) {
    SCOPED_TRACE(text);
    DateSpan span = MustParse(text);
    EXPECT_EQ(span.text(), "2026-W05");
    EXPECT_EQ(span, MustParse("2026-W05"));
  }
}

struct MonthCase {
  std::string text;
  int days;
};

TEST(DateSpanTest, MonthLengthsAndLeapYears) {
  const std::vector<MonthCase> cases = {
      {"2025-01", 31}, {"2025-02", 28}, {"2024-02", 29}, {"2000-02", 29},
      {"1900-02", 28}, {"2100-02", 28}, {"2025-04", 30}, {"2025-12", 31},
  };
  for (const MonthCase& c : cases) {
    SCOPED_TRACE(c.text);
    DateSpan span = MustParse(c.text);
    EXPECT_EQ(span.length_days(), c.days);
    EXPECT_EQ(span.first().day(), 1);
    EXPECT_EQ(span.last().day(), c.days);
    EXPECT_EQ(span.first().month(), span.last().month());
  }
  EXPECT_EQ(MustParse("2024").length_days(), 366);
  EXPECT_EQ(MustParse("2000").length_days(), 366);
  EXPECT_EQ(MustParse("1900").length_days(), 365);
  EXPECT_EQ(MustParse("2024-02-29").first(), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(MustParse("2000-02-29").first(), absl::CivilDay(2000, 2, 29));
}

TEST(DateSpanTest, EveryDayRoundTrips) {
  for (absl::CivilDay day(2023, 1, 1); day <= absl::CivilDay(2025, 1, 1);
       ++day) {
    DateSpan span = MustParse(FormatDay(day));
    EXPECT_EQ(span.first(), day);
    EXPECT_EQ(span.last(), day);
  }
}

TEST(DateSpanTest, ParsesDayRange) {
  DateSpan span = MustParse("2026-01-20/2026-01-24");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_RANGE);
  EXPECT_EQ(span.first(), absl::CivilDay(2026, 1, 20));
  EXPECT_EQ(span.last(), absl::CivilDay(2026, 1, 24));
  EXPECT_EQ(span.text(), "2026-01-20/2026-01-24");
  EXPECT_EQ(span.length_days(), 5);
}

TEST(DateSpanTest, RangeEndsMayBeAnyForm) {
  DateSpan span = MustParse("2025-11/2026-w5");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_RANGE);
  EXPECT_EQ(span.first(), absl::CivilDay(2025, 11, 1));
  EXPECT_EQ(span.last(), absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(span.text(), "2025-11/2026-W05");

  DateSpan years = MustParse("2025/2026");
  EXPECT_EQ(years.first(), absl::CivilDay(2025, 1, 1));
  EXPECT_EQ(years.last(), absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(years.length_days(), 730);

  // Only A's first day against B's last day is checked.
  DateSpan overlapping = MustParse("2026-W05/2026-01-27");
  EXPECT_EQ(overlapping.first(), absl::CivilDay(2026, 1, 26));
  EXPECT_EQ(overlapping.last(), absl::CivilDay(2026, 1, 27));
}

TEST(DateSpanTest, RangeOfOneDayStaysARange) {
  DateSpan span = MustParse("2026-01-27/2026-01-27");
  EXPECT_EQ(span.precision(), pb::DateSpan::PRECISION_RANGE);
  EXPECT_EQ(span.length_days(), 1);
  EXPECT_EQ(span.text(), "2026-01-27/2026-01-27");
}

TEST(DateSpanTest, RangeTrimsAroundSlash) {
  DateSpan span = MustParse(" 2026-01-20 / 2026-01-24 ");
  EXPECT_EQ(span.text(), "2026-01-20/2026-01-24");
  EXPECT_EQ(span, MustParse("2026-01-20/2026-01-24"));
}

struct InvalidCase {
  std::string text;
  std::string problem;  // Must appear in the error message.
};

TEST(DateSpanTest, RejectsInvalidForms) {
  const std::vector<InvalidCase> cases = {
      {"", "it is empty"},
      {" \t ", "it is empty"},
      {"garbage", "year must be four digits"},
      {"25", "year must be four digits"},
      {"-2025", "year must be four digits"},
      {"+2025", "year must be four digits"},
      {"10000", "year must be four digits"},
      {"10000-01-01", "year must be four digits"},
      {"0000", "year must be 0001..9999"},
      {"0000-01-01", "year must be 0001..9999"},
      {"2025.11", "expected '-' after the year"},
      {"2025-", "month must be two digits"},
      {"2025-1", "month must be two digits"},
      {"2025-011", "month must be two digits"},
      {"2025-13", "month must be 01..12"},
      {"2025-00", "month must be 01..12"},
      {"2025-11x", "expected '-' after the month"},
      {"2025-11-1", "day must be two digits"},
      {"2025-11-", "day must be two digits"},
      {"2025-01-00", "day must be 01..31 in 2025-01"},
      {"2025-01-32", "day must be 01..31 in 2025-01"},
      {"2025-04-31", "day must be 01..30 in 2025-04"},
      {"2025-02-29", "day must be 01..28 in 2025-02"},
      {"1900-02-29", "day must be 01..28 in 1900-02"},
      {"2024-02-30", "day must be 01..29 in 2024-02"},
      {"2025-11-01T00:00", "unexpected text after the day"},
      {"2026-01-27 junk", "unexpected text after the day"},
      {"2021-W53", "week must be W01..W52: 2021 has 52 ISO weeks"},
      {"2026-W00", "week must be W01..W53: 2026 has 53 ISO weeks"},
      {"2026-W54", "week must be W01..W53"},
      {"2026-W", "week must be 'W' and two digits"},
      {"2026-W005", "week must be 'W' and two digits"},
      {"2026-W05-1", "week must be 'W' and two digits"},
      {"9999-W52", "9999-W52 ends after 9999-12-31"},
      {"\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96",  // Full-width.
       "year must be four digits"},
      {"2026-02/2026-01",
       "the range starts 2026-02-01, after it ends "
       "2026-01-31"},
      {"2026-01-28/2026-01-27", "the range starts 2026-01-28"},
      {"2026-01-27/", "the range end is empty"},
      {"/2026", "the range start is empty"},
      {"/", "the range start is empty"},
      {"2025/2026/2027", "a range has exactly one '/'"},
      {"2025-13/2026", "range start: month must be 01..12"},
      {"2025/2026-02-30", "range end: day must be 01..28 in 2026-02"},
      {"2025/11", "range end: year must be four digits"},
      {"2021-W53/2022", "range start: week must be W01..W52"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<DateSpan> span = DateSpan::Parse(c.text);
    ASSERT_FALSE(span.ok());
    EXPECT_EQ(span.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(span.status().message(), HasSubstr(c.problem));
    EXPECT_THAT(span.status().message(), HasSubstr("is not a date span"));
    EXPECT_THAT(span.status().message(), HasSubstr(kForms));
  }
}

TEST(DateSpanTest, ErrorMessageIsExact) {
  EXPECT_EQ(DateSpan::Parse("2025-13").status(),
            absl::InvalidArgumentError(
                "\"2025-13\" is not a date span: month must be 01..12; use "
                "YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY or A/B"));
  // The quoted text is the trimmed input.
  EXPECT_THAT(DateSpan::Parse("  2025-13 ").status().message(),
              HasSubstr("\"2025-13\" is not"));
}

TEST(DateSpanTest, ErrorMessageEscapesAndShortensInput) {
  absl::StatusOr<DateSpan> binary =
      DateSpan::Parse(std::string("20\x01\"\xFF", 5));
  ASSERT_FALSE(binary.ok());
  EXPECT_THAT(binary.status().message(), HasSubstr("\"20\\x01\\\"\\xff\""));

  absl::StatusOr<DateSpan> long_input = DateSpan::Parse(std::string(1000, 'x'));
  ASSERT_FALSE(long_input.ok());
  EXPECT_THAT(long_input.status().message(), HasSubstr("xxx...\""));
  EXPECT_LT(long_input.status().message().size(), 200u);
}

TEST(DateSpanTest, DaysBuildsDayOrRange) {
  DateSpan day =
      DateSpan::Days(absl::CivilDay(2026, 1, 27), absl::CivilDay(2026, 1, 27));
  EXPECT_EQ(day.precision(), pb::DateSpan::PRECISION_DAY);
  EXPECT_EQ(day.text(), "2026-01-27");
  EXPECT_EQ(day, MustParse("2026-01-27"));

  DateSpan range =
      DateSpan::Days(absl::CivilDay(2026, 1, 20), absl::CivilDay(2026, 1, 24));
  EXPECT_EQ(range.precision(), pb::DateSpan::PRECISION_RANGE);
  EXPECT_EQ(range.text(), "2026-01-20/2026-01-24");
  EXPECT_EQ(range.length_days(), 5);
  EXPECT_EQ(range, MustParse(range.text()));
}

TEST(DateSpanTest, EqualityComparesDaysAndPrecision) {
  // Same days, different precision.
  EXPECT_FALSE(MustParse("2026-02") == MustParse("2026-02-01/2026-02-28"));
  EXPECT_EQ(MustParse("2026-02/2026-02"), MustParse("2026-02-01/2026-02-28"));
  EXPECT_FALSE(MustParse("2026-W05") == MustParse("2026-W06"));
}

TEST(DateSpanTest, OverlapsAndContains) {
  const DateSpan w04 = MustParse("2026-W04");  // 2026-01-19..2026-01-25
  const DateSpan w05 = MustParse("2026-W05");  // 2026-01-26..2026-02-01
  const DateSpan january = MustParse("2026-01");
  const DateSpan february = MustParse("2026-02");

  EXPECT_TRUE(w05.Overlaps(january));
  EXPECT_TRUE(w05.Overlaps(february));  // Sunday 2026-02-01.
  EXPECT_TRUE(february.Overlaps(w05));
  EXPECT_TRUE(w05.Overlaps(w05));
  EXPECT_FALSE(w04.Overlaps(w05));  // Adjacent, not overlapping.
  EXPECT_FALSE(w05.Overlaps(w04));
  EXPECT_FALSE(w04.Overlaps(february));
  EXPECT_TRUE(MustParse("2026").Overlaps(MustParse("2025-W01/2026-01-01")));

  EXPECT_TRUE(w05.Contains(absl::CivilDay(2026, 1, 26)));
  EXPECT_TRUE(w05.Contains(absl::CivilDay(2026, 2, 1)));
  EXPECT_FALSE(w05.Contains(absl::CivilDay(2026, 1, 25)));
  EXPECT_FALSE(w05.Contains(absl::CivilDay(2026, 2, 2)));
}

TEST(DateSpanTest, IntersectPartialOverlapIsDays) {
  DateSpan out = MustParse("2000");
  ASSERT_TRUE(MustParse("2026-W05").Intersect(MustParse("2026-02"), &out));
  EXPECT_EQ(out.precision(), pb::DateSpan::PRECISION_DAY);
  EXPECT_EQ(out.first(), absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(out.text(), "2026-02-01");

  ASSERT_TRUE(MustParse("2026-01-20/2026-01-28")
                  .Intersect(MustParse("2026-W05"), &out));
  EXPECT_EQ(out.precision(), pb::DateSpan::PRECISION_RANGE);
  EXPECT_EQ(out.text(), "2026-01-26/2026-01-28");
  EXPECT_EQ(out.length_days(), 3);
}

TEST(DateSpanTest, IntersectKeepsTheContainedSpan) {
  const DateSpan week = MustParse("2026-W05");
  const DateSpan year = MustParse("2026");
  DateSpan out = MustParse("2000");
  ASSERT_TRUE(year.Intersect(week, &out));
  EXPECT_EQ(out, week);
  EXPECT_EQ(out.text(), "2026-W05");
  ASSERT_TRUE(week.Intersect(year, &out));
  EXPECT_EQ(out, week);

  // Equal extents: the receiver's form wins.
  ASSERT_TRUE(
      MustParse("2026-02").Intersect(MustParse("2026-02-01/2026-02-28"), &out));
  EXPECT_EQ(out.precision(), pb::DateSpan::PRECISION_MONTH);
}

TEST(DateSpanTest, IntersectMayWriteIntoAnOperand) {
  DateSpan span = MustParse("2026-01");
  ASSERT_TRUE(span.Intersect(MustParse("2026-W05"), &span));
  EXPECT_EQ(span.text(), "2026-01-26/2026-01-31");
}

TEST(DateSpanTest, IntersectDisjointLeavesOutUnchanged) {
  DateSpan out = MustParse("2000");
  EXPECT_FALSE(MustParse("2026-W04").Intersect(MustParse("2026-W05"), &out));
  EXPECT_EQ(out, MustParse("2000"));
}

TEST(DateSpanTest, ToProto) {
  pb::DateSpan week = MustParse("2026-w5").ToProto();
  EXPECT_EQ(week.text(), "2026-W05");
  EXPECT_EQ(week.precision(), pb::DateSpan::PRECISION_WEEK);
  EXPECT_EQ(week.first_day(), "2026-01-26");
  EXPECT_EQ(week.last_day(), "2026-02-01");

  pb::DateSpan range = MustParse("2025-11/2026").ToProto();
  EXPECT_EQ(range.text(), "2025-11/2026");
  EXPECT_EQ(range.precision(), pb::DateSpan::PRECISION_RANGE);
  EXPECT_EQ(range.first_day(), "2025-11-01");
  EXPECT_EQ(range.last_day(), "2026-12-31");

  pb::DateSpan year = MustParse("0001").ToProto();
  EXPECT_EQ(year.precision(), pb::DateSpan::PRECISION_YEAR);
  EXPECT_EQ(year.first_day(), "0001-01-01");
  EXPECT_EQ(year.last_day(), "0001-12-31");
}

TEST(DateSpanTest, FormatDayPadsFields) {
  EXPECT_EQ(FormatDay(absl::CivilDay(5, 3, 7)), "0005-03-07");
  EXPECT_EQ(FormatDay(absl::CivilDay(2026, 12, 31)), "2026-12-31");
  EXPECT_EQ(FormatDay(absl::CivilDay(1, 1, 1)), "0001-01-01");
  EXPECT_EQ(FormatDay(absl::CivilDay(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(FormatDay(absl::CivilDay(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(FormatDay(absl::CivilDay(1000, 10, 10)), "1000-10-10");
  // Outside the years a span may cover, as printf would.
  EXPECT_EQ(FormatDay(absl::CivilDay(0, 6, 1)), "0000-06-01");
  EXPECT_EQ(FormatDay(absl::CivilDay(10000, 1, 2)), "10000-01-02");
  EXPECT_EQ(FormatDay(absl::CivilDay(-1, 1, 2)), "-001-01-02");
}

}  // namespace
}  // namespace parley
