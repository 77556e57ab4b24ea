// How a record's date span stands against a window of days: a summary's
// span, a talks window, "up to as_of". Every figure follows this one rule:
// rollups, lists and each report ask it rather than compare days
// themselves, so the rule changes here and nowhere else.
#ifndef PARLEY_COMMON_MODEL_WINDOW_H_
#define PARLEY_COMMON_MODEL_WINDOW_H_

#include "absl/time/civil_time.h"
#include "common/model/date_span.h"

namespace parley {

enum class Placement {
  // Every day the record may have happened on is in the window.
  kInside,
  // Some of its days are in the window and some are not.
  kPartlyIn,
  // None of its days is in the window.
  kOutside,
};

// `span` against the window [first, last].
Placement PlaceInWindow(const DateSpan& span, absl::CivilDay first,
                        absl::CivilDay last);
inline Placement PlaceInWindow(const DateSpan& span, const DateSpan& window) {
  return PlaceInWindow(span, window.first(), window.last());
}

// `span` against everything up to `as_of`: inside if it ended by then,
// partly in if it straddles it, outside if it starts after it.
Placement PlaceAsOf(const DateSpan& span, absl::CivilDay as_of);

// The day a record's totals are kept under (per-day rollups) and counted
// on: its first day.
absl::CivilDay CountingDay(const DateSpan& span);

// Whether a record counts, whole, in a window's totals: its counting day is
// in the window.
bool CountsIn(const DateSpan& span, const DateSpan& window);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_WINDOW_H_
