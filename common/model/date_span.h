// DateSpan: a date known with a precision ("2026-W05", "2025-11"), resolved to
// the first and last day it covers. Comparisons and windows work on those.
#ifndef PARLEY_COMMON_MODEL_DATE_SPAN_H_
#define PARLEY_COMMON_MODEL_DATE_SPAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "parley/common/v1/date_span.pb.h"

namespace parley {

using Precision = ::parley::common::v1::DateSpan::Precision;

class DateSpan {
 public:
  // Parses "2026-01-27", "2026-W05", "2025-11", "2025" or a closed range
  // "A/B" of two of those (A's first day must not follow B's last day).
  // Years are 1..9999. Errors are INVALID_ARGUMENT, saying what is wrong.
  static absl::StatusOr<DateSpan> Parse(absl::string_view text);

  // A span of whole days, first <= last.
  static DateSpan Days(absl::CivilDay first, absl::CivilDay last);

  absl::CivilDay first() const { return first_; }
  absl::CivilDay last() const { return last_; }
  Precision precision() const { return precision_; }
  // Canonical text: the input's form, normalised ("2026-w5" -> "2026-W05").
  const std::string& text() const { return text_; }
  // Number of days covered, >= 1.
  int64_t length_days() const { return last_ - first_ + 1; }

  bool Overlaps(const DateSpan& other) const {
    return first_ <= other.last_ && other.first_ <= last_;
  }
  bool Contains(absl::CivilDay day) const {
    return first_ <= day && day <= last_;
  }
  // The days this span shares with `other`; false if none.
  bool Intersect(const DateSpan& other, DateSpan* out) const;

  ::parley::common::v1::DateSpan ToProto() const;

  friend bool operator==(const DateSpan& a, const DateSpan& b) {
    return a.first_ == b.first_ && a.last_ == b.last_ &&
           a.precision_ == b.precision_;
  }

 private:
  DateSpan(absl::CivilDay first, absl::CivilDay last, Precision precision,
           std::string text)
      : first_(first),
        last_(last),
        precision_(precision),
        text_(std::move(text)) {}

  absl::CivilDay first_;
  absl::CivilDay last_;
  Precision precision_;
  std::string text_;
};

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// Days since 1970-01-01: how a day is keyed in the store.
inline int64_t DayNumber(absl::CivilDay day) {
  return day - absl::CivilDay(1970, 1, 1);
}

// A stored span string; nullopt if empty. Stored spans were validated on the
// way in, so an unreadable one is simply not indexed.
inline std::optional<DateSpan> StoredSpan(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto span = DateSpan::Parse(text);
  if (!span.ok()) return std::nullopt;
  return *std::move(span);
}

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_DATE_SPAN_H_
