// How incidents are laid out in the store: what they are indexed by, their
// date, and the totals kept at write time per day and per region.
#ifndef PARLEY_SERVICES_INCIDENTS_SCHEMA_H_
#define PARLEY_SERVICES_INCIDENTS_SCHEMA_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/store/collection.h"

namespace parley::incidents {

const CollectionSchema& IncidentSchema();

// Rollup keys (common/store/window_rollups.h), under RollupPrefix(region):
// all incidents (region empty) or those of one region (place.admin1). Each
// incident adds to the totals of its span: per incident kind "k" killed and
// "i" injured, per effect kind "e" affected; `rest` says how the span is
// meant ('o' ongoing, 'x' once: a one-day span is always 'x'), what, and
// the kind.
std::string RollupPrefix(const std::string& region);
std::string RollupRest(char occurrence, char what, int kind);
// A rest read back; false if malformed.
bool ParseRollupRest(absl::string_view rest, char* occurrence, char* what,
                     int* kind);

// The index value of a region: case-folded, so "Kharkiv" finds "kharkiv".
std::string RegionTerm(const std::string& admin1);

}  // namespace parley::incidents

#endif  // PARLEY_SERVICES_INCIDENTS_SCHEMA_H_
