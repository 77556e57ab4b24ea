#include "common/store/window_rollups.h"

#include "absl/strings/str_cat.h"
#include "common/base/status.h"
#include "common/model/window.h"

namespace parley {
namespace {

// "YYYY-MM-DD": fixed length, so spans sort by first day, then last.
constexpr size_t kDayLength = 10;

std::string DaysPrefix(absl::string_view prefix) {
  return absl::StrCat(prefix, "d|");
}
std::string SpansPrefix(absl::string_view prefix) {
  return absl::StrCat(prefix, "s|");
}

// A scan bound at `day`, clamped to the days a span can name (years
// 1..9999), so that it keeps the fixed length keys sort by.
std::string DayBound(absl::CivilDay day) {
  if (day < absl::CivilDay(1, 1, 1)) return FormatDay(absl::CivilDay(1, 1, 1));
  if (day > absl::CivilDay(9999, 12, 31)) return "~";  // after every day
  return FormatDay(day);
}

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  return text.size() == kDayLength && absl::ParseCivilTime(text, day);
}

}  // namespace

std::string SpanRollupKey(absl::string_view prefix, const DateSpan& span,
                          absl::string_view rest) {
  if (IsSingleDay(span)) {
    return absl::StrCat(DaysPrefix(prefix), FormatDay(span.first()), "|", rest);
  }
  return absl::StrCat(SpansPrefix(prefix), FormatDay(span.first()), "|",
                      FormatDay(span.last()), "|", rest);
}

absl::Status ScanWindowRollups(
    Collection& collection, absl::string_view prefix, const DateSpan& window,
    const std::function<void(const DateSpan& span, absl::string_view rest,
                             const ::parley::model::v1::RollupValue&)>& fn) {
  absl::Status malformed;
  const auto bad = [&](absl::string_view key) {
    if (malformed.ok()) {
      malformed =
          absl::DataLossError(absl::StrCat("rollup key is malformed: ", key));
    }
  };
  // One-day records: the days of the window, all inside it.
  const std::string days = DaysPrefix(prefix);
  RETURN_IF_ERROR(collection.ScanRollups(
      absl::StrCat(days, DayBound(window.first())),
      absl::StrCat(days, DayBound(window.last() + 1)),
      [&](absl::string_view key, const ::parley::model::v1::RollupValue& v) {
        absl::string_view in = key.substr(days.size());
        absl::CivilDay day;
        if (in.size() < kDayLength + 1 ||
            !ParseDay(in.substr(0, kDayLength), &day) ||
            in[kDayLength] != '|') {
          bad(key);
          return;
        }
        fn(DateSpan::Days(day, day), in.substr(kDayLength + 1), v);
      }));
  // Longer records: the spans that start early enough to reach the window.
  ASSIGN_OR_RETURN(const int64_t longest, collection.LongestSpanDays());
  const std::string spans = SpansPrefix(prefix);
  RETURN_IF_ERROR(collection.ScanRollups(
      absl::StrCat(spans, DayBound(window.first() - (longest - 1))),
      absl::StrCat(spans, DayBound(window.last() + 1)),
      [&](absl::string_view key, const ::parley::model::v1::RollupValue& v) {
        absl::string_view in = key.substr(spans.size());
        absl::CivilDay first, last;
        if (in.size() < 2 * kDayLength + 2 ||
            !ParseDay(in.substr(0, kDayLength), &first) ||
            in[kDayLength] != '|' ||
            !ParseDay(in.substr(kDayLength + 1, kDayLength), &last) ||
            in[2 * kDayLength + 1] != '|' || last < first) {
          bad(key);
          return;
        }
        if (last < window.first()) return;  // ended before the window
        fn(DateSpan::Days(first, last), in.substr(2 * kDayLength + 2), v);
      }));
  return malformed;
}

}  // namespace parley
