#include "common/model/window.h"

namespace parley {

Placement PlaceInWindow(const DateSpan& span, absl::CivilDay first,
                        absl::CivilDay last) {
  if (span.last() < first || span.first() > last) return Placement::kOutside;
  if (first <= span.first() && span.last() <= last) return Placement::kInside;
  return Placement::kPartlyIn;
}

Placement PlaceAsOf(const DateSpan& span, absl::CivilDay as_of) {
  if (span.first() > as_of) return Placement::kOutside;
  return span.last() <= as_of ? Placement::kInside : Placement::kPartlyIn;
}

absl::CivilDay CountingDay(const DateSpan& span) { return span.first(); }

bool CountsIn(const DateSpan& span, const DateSpan& window) {
  return window.Contains(CountingDay(span));
}

}  // namespace parley
