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

Counted CountIn(Placement placement, Occurrence occurrence) {
  switch (placement) {
    case Placement::kInside:
      return Counted::kWhole;
    case Placement::kPartlyIn:
      return occurrence == Occurrence::OCCURRENCE_ONGOING ? Counted::kOngoing
                                                          : Counted::kMaybe;
    case Placement::kOutside:
      break;
  }
  return Counted::kNot;
}

}  // namespace parley
