// How incidents are laid out in the store: what they are indexed by, their
// date, and the totals kept at write time per day and per region.
#ifndef PARLEY_SERVICES_INCIDENTS_SCHEMA_H_
#define PARLEY_SERVICES_INCIDENTS_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/store/collection.h"
#include "parley/common/v1/place.pb.h"

namespace parley::incidents {

const CollectionSchema& IncidentSchema();

// Rollup keys (common/store/window_rollups.h), under RollupPrefix(region):
// all incidents (region empty) or those of one region (a RegionTerm). Each
// incident adds to the totals of its span: per incident kind "k" killed and
// "i" injured, per effect kind "e" affected; `rest` says how the span is
// meant ('o' ongoing, 'x' once: a one-day span is always 'x'), what, and
// the kind.
std::string RollupPrefix(const std::string& region_term);
std::string RollupRest(char occurrence, char what, int kind);
// A rest read back; false if malformed.
bool ParseRollupRest(absl::string_view rest, char* occurrence, char* what,
                     int* kind);

// How a region is indexed and totalled: under its ISO 3166-2 code where
// place.admin1_code has it ("UA-63"), and under its name case-folded
// ("kharkiv"), so that any spelling finds it by code and its own spelling
// by name.
std::vector<std::string> RegionTerms(const ::parley::common::v1::Place& place);
// The term a caller's region (a filter, a summary) looks for: the code of
// the subdivision the name means, if one country's is the best match, else
// the name case-folded.
std::string RegionTermOf(const std::string& region);

}  // namespace parley::incidents

#endif  // PARLEY_SERVICES_INCIDENTS_SCHEMA_H_
