#include "common/model/date_span.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace parley {
namespace {

namespace pb = ::parley::common::v1;

constexpr absl::string_view kForms =
    "use YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY or A/B";

// Every day a span covers lies in years 1..9999, so FormatDay's output always
// parses again.
constexpr int64_t kMinYear = 1;
constexpr int64_t kMaxYear = 9999;

// One parsed form, before it becomes a DateSpan (whose constructor is
// private to the class).
struct Form {
  absl::CivilDay first;
  absl::CivilDay last;
  Precision precision = pb::DateSpan::PRECISION_UNSPECIFIED;
  std::string text;
};

absl::Status Invalid(absl::string_view text, absl::string_view problem) {
  // Escaped and shortened: the input may be arbitrary bytes from a client.
  constexpr size_t kMaxQuoted = 64;
  std::string quoted = absl::CHexEscape(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) absl::StrAppend(&quoted, "...");
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", quoted, "\" is not a date span: ", problem, "; ", kForms));
}

// Removes and returns the leading ASCII digits of `*s`.
absl::string_view TakeDigits(absl::string_view* s) {
  size_t n = 0;
  while (n < s->size() &&
         absl::ascii_isdigit(static_cast<unsigned char>((*s)[n]))) {
    ++n;
  }
  absl::string_view digits = s->substr(0, n);
  s->remove_prefix(n);
  return digits;
}

// `digits` is at most 4 ASCII digits, so this cannot overflow.
int DigitsValue(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Monday of ISO week 1: the week that holds January 4.
absl::CivilDay IsoWeekOneMonday(int64_t year) {
  return absl::PrevWeekday(absl::CivilDay(year, 1, 4) + 1,
                           absl::Weekday::monday);
}

// 52 or 53.
int IsoWeeksInYear(int64_t year) {
  return static_cast<int>(
      (IsoWeekOneMonday(year + 1) - IsoWeekOneMonday(year)) / 7);
}

int DaysInMonth(absl::CivilMonth month) {
  return (absl::CivilDay(month + 1) - 1).day();
}

// Parses one non-range form. Returns what is wrong with it, or "" on success.
std::string ParseForm(absl::string_view s, Form* out) {
  absl::string_view rest = s;
  absl::string_view year_digits = TakeDigits(&rest);
  if (year_digits.size() != 4) return "year must be four digits, 0001..9999";
  const int year = DigitsValue(year_digits);
  if (year < kMinYear || year > kMaxYear) return "year must be 0001..9999";
  if (rest.empty()) {
    const absl::CivilYear y(year);
    out->first = absl::CivilDay(y);
    out->last = absl::CivilDay(y + 1) - 1;
    out->precision = pb::DateSpan::PRECISION_YEAR;
    out->text = absl::StrFormat("%04d", year);
    return "";
  }
  if (rest[0] != '-') return "expected '-' after the year";
  rest.remove_prefix(1);

  if (!rest.empty() && (rest[0] == 'W' || rest[0] == 'w')) {
    rest.remove_prefix(1);
    absl::string_view week_digits = TakeDigits(&rest);
    const int weeks = IsoWeeksInYear(year);
    // One digit is accepted ("2026-w5") and normalised to two.
    if (week_digits.empty() || week_digits.size() > 2 || !rest.empty()) {
      return "week must be 'W' and two digits, W01..W53";
    }
    const int week = DigitsValue(week_digits);
    if (week < 1 || week > weeks) {
      return absl::StrFormat("week must be W01..W%02d: %04d has %d ISO weeks",
                             weeks, year, weeks);
    }
    const absl::CivilDay monday = IsoWeekOneMonday(year) + 7 * (week - 1);
    const absl::CivilDay sunday = monday + 6;
    // Only 9999-W52 ends past year 9999 (on 10000-01-02); that day could not
    // be written as YYYY-MM-DD or parsed back.
    if (sunday.year() > kMaxYear) {
      return absl::StrFormat("%04d-W%02d ends after 9999-12-31", year, week);
    }
    out->first = monday;
    out->last = sunday;
    out->precision = pb::DateSpan::PRECISION_WEEK;
    out->text = absl::StrFormat("%04d-W%02d", year, week);
    return "";
  }

  absl::string_view month_digits = TakeDigits(&rest);
  if (month_digits.size() != 2) return "month must be two digits, 01..12";
  const int month_number = DigitsValue(month_digits);
  if (month_number < 1 || month_number > 12) return "month must be 01..12";
  const absl::CivilMonth month(year, month_number);
  if (rest.empty()) {
    out->first = absl::CivilDay(month);
    out->last = absl::CivilDay(month + 1) - 1;
    out->precision = pb::DateSpan::PRECISION_MONTH;
    out->text = absl::StrFormat("%04d-%02d", year, month_number);
    return "";
  }
  if (rest[0] != '-') return "expected '-' after the month";
  rest.remove_prefix(1);

  absl::string_view day_digits = TakeDigits(&rest);
  if (day_digits.size() != 2) return "day must be two digits";
  if (!rest.empty()) return "unexpected text after the day";
  const int day_number = DigitsValue(day_digits);
  const int days_in_month = DaysInMonth(month);
  if (day_number < 1 || day_number > days_in_month) {
    return absl::StrFormat("day must be 01..%02d in %04d-%02d", days_in_month,
                           year, month_number);
  }
  out->first = absl::CivilDay(year, month_number, day_number);
  out->last = out->first;
  out->precision = pb::DateSpan::PRECISION_DAY;
  out->text = FormatDay(out->first);
  return "";
}

}  // namespace

absl::StatusOr<DateSpan> DateSpan::Parse(absl::string_view text) {
  const absl::string_view s = absl::StripAsciiWhitespace(text);
  if (s.empty()) return Invalid(s, "it is empty");

  const size_t slash = s.find('/');
  if (slash == absl::string_view::npos) {
    Form form;
    std::string problem = ParseForm(s, &form);
    if (!problem.empty()) return Invalid(s, problem);
    return DateSpan(form.first, form.last, form.precision,
                    std::move(form.text));
  }

  if (s.find('/', slash + 1) != absl::string_view::npos) {
    return Invalid(s, "a range has exactly one '/'");
  }
  const absl::string_view start =
      absl::StripAsciiWhitespace(s.substr(0, slash));
  const absl::string_view end = absl::StripAsciiWhitespace(s.substr(slash + 1));
  if (start.empty()) return Invalid(s, "the range start is empty");
  if (end.empty()) return Invalid(s, "the range end is empty");
  Form a;
  Form b;
  if (std::string problem = ParseForm(start, &a); !problem.empty()) {
    return Invalid(s, absl::StrCat("range start: ", problem));
  }
  if (std::string problem = ParseForm(end, &b); !problem.empty()) {
    return Invalid(s, absl::StrCat("range end: ", problem));
  }
  if (a.first > b.last) {
    return Invalid(s, absl::StrCat("the range starts ", FormatDay(a.first),
                                   ", after it ends ", FormatDay(b.last)));
  }
  return DateSpan(a.first, b.last, pb::DateSpan::PRECISION_RANGE,
                  absl::StrCat(a.text, "/", b.text));
}

DateSpan DateSpan::Days(absl::CivilDay first, absl::CivilDay last) {
  assert(first <= last);
  // Keep length_days() >= 1 even if a release build is handed them reversed.
  if (last < first) std::swap(first, last);
  if (first == last) {
    return DateSpan(first, last, pb::DateSpan::PRECISION_DAY, FormatDay(first));
  }
  return DateSpan(first, last, pb::DateSpan::PRECISION_RANGE,
                  absl::StrCat(FormatDay(first), "/", FormatDay(last)));
}

bool DateSpan::Intersect(const DateSpan& other, DateSpan* out) const {
  if (!Overlaps(other)) return false;
  const absl::CivilDay first = std::max(first_, other.first_);
  const absl::CivilDay last = std::min(last_, other.last_);
  // When the shared days are all of one span, keep that span's precision and
  // text ("2026-W05" within "2026" stays a week) rather than a bare range.
  if (first == first_ && last == last_) {
    *out = *this;
  } else if (first == other.first_ && last == other.last_) {
    *out = other;
  } else {
    *out = Days(first, last);
  }
  return true;
}

::parley::common::v1::DateSpan DateSpan::ToProto() const {
  ::parley::common::v1::DateSpan proto;
  proto.set_text(text_);
  proto.set_precision(precision_);
  proto.set_first_day(FormatDay(first_));
  proto.set_last_day(FormatDay(last_));
  return proto;
}

std::string FormatDay(absl::CivilDay day) {
  if (day.year() < 0 || day.year() > kMaxYear) {
    return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(),
                           day.day());
  }
  // By hand: StrFormat parses its format on every call, and a bulk import
  // formats several days per record (its rollup keys).
  char text[10] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0'};
  const auto put = [&text](int end, int64_t value) {
    for (int at = end; value > 0; --at, value /= 10) {
      text[at] = static_cast<char>('0' + value % 10);
    }
  };
  put(3, day.year());
  put(6, day.month());
  put(9, day.day());
  return std::string(text, sizeof(text));
}

}  // namespace parley
