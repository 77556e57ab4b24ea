// How a record's date span stands against a window of days (a summary's
// span, a talks window, "up to as_of"), and so how it counts there. Every
// figure follows this one rule: rollups, lists and each report ask it
// rather than compare days themselves, so it changes here and nowhere else.
//
// For a window W and a record whose span is S:
// - S wholly inside W: the record counts in full.
// - S partly in W (it overlaps W but is not inside it): for a record that
//   happened once on a day not known precisely, it may or may not have
//   fallen in W. It is listed as such, and its figures widen the total's
//   bounds without raising its floor: 0 to the low, its own high (or
//   unbounded) to the high, nothing to the best.
// - An ongoing record (a campaign over months) went on throughout S, so in
//   a window it partly overlaps it was ongoing: it counts as a record there,
//   and its figures count as bounds (0 up to its figure) unless they are
//   per period (a level, such as people cut off from power), which count in
//   full in every window the record overlaps.
// - S outside W: the record does not count.
#ifndef PARLEY_COMMON_MODEL_WINDOW_H_
#define PARLEY_COMMON_MODEL_WINDOW_H_

#include "absl/time/civil_time.h"
#include "common/model/date_span.h"
#include "parley/common/v1/date_span.pb.h"

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

// `span` against everything up to and including `as_of`: inside if it ended
// by then, partly in if it straddles it, outside if it starts after it.
Placement PlaceAsOf(const DateSpan& span, absl::CivilDay as_of);

using Occurrence = ::parley::common::v1::Occurrence;

// How a record counts in a window.
enum class Counted {
  // Inside: in full.
  kWhole,
  // Happened once, partly in: it may have fallen in the window; its figures
  // are in the upper bound only.
  kMaybe,
  // Ongoing and partly in: it was going on in the window; its figures are
  // bounds unless per period.
  kOngoing,
  // Outside.
  kNot,
};

Counted CountIn(Placement placement, Occurrence occurrence);
inline Counted CountIn(const DateSpan& span, Occurrence occurrence,
                       const DateSpan& window) {
  return CountIn(PlaceInWindow(span, window), occurrence);
}

// A span of one day is inside or outside any window of whole days, never
// partly in: day-precision records can be kept in per-day totals, and only
// longer ones need placing at query time.
inline bool IsSingleDay(const DateSpan& span) {
  return span.first() == span.last();
}

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_WINDOW_H_
