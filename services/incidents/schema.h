// How incidents are laid out in the store: what they are indexed by, their
// date, and the totals kept at write time per day and per region.
#ifndef PARLEY_SERVICES_INCIDENTS_SCHEMA_H_
#define PARLEY_SERVICES_INCIDENTS_SCHEMA_H_

#include <string>

#include "absl/time/civil_time.h"
#include "common/store/collection.h"

namespace parley::incidents {

const CollectionSchema& IncidentSchema();

// Rollup keys. An incident counts in the day its `occurred` span starts;
// per incident kind: "k" killed, "i" injured; per effect kind: "e" affected.
// Keys of one day sort together, and days in date order, so the totals of a
// week are one range scan. With a region (place.admin1), the same under it.
std::string DayPrefix(const std::string& region, absl::CivilDay day);
std::string RollupKey(const std::string& region, absl::CivilDay day, char what,
                      int kind);
// The day and the (what, kind) back from a key under DayPrefix(region, ...).
bool ParseRollupKey(absl::string_view key, const std::string& region,
                    char* what, int* kind);

// The index value of a region: case-folded, so "Kharkiv" finds "kharkiv".
std::string RegionTerm(const std::string& admin1);

}  // namespace parley::incidents

#endif  // PARLEY_SERVICES_INCIDENTS_SCHEMA_H_
