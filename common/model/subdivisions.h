// First-level regions as ISO 3166-2 subdivision codes, from Debian's
// iso-codes, so that "Kharkiv", "Kharkivska oblast", "Kharkiv Oblast" and
// "UA-63" are one region for filters and totals.
#ifndef PARLEY_COMMON_MODEL_SUBDIVISIONS_H_
#define PARLEY_COMMON_MODEL_SUBDIVISIONS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace parley {

// The ISO 3166-2 code of the first-level subdivision `name` names, within
// `country` (ISO 3166-1 alpha-2), or "" if none can be told. `name` may be
// the code itself ("UA-63"), the name iso-codes gives ("Kharkivska oblast"),
// or the name sources use ("Kharkiv", "Kharkiv Oblast", "Odesa"): the
// best match by the shared start of the names, unique and close enough,
// region before city ("Kyiv" is the oblast, "Kyiv City" the city). With
// `country` empty, every country is searched, and the best match wins only
// if no other country's is as good.
std::string SubdivisionCode(absl::string_view country, absl::string_view name);

// The name iso-codes gives a code ("UA-63" -> "Kharkivska oblast"); "" if
// unknown.
std::string SubdivisionName(absl::string_view code);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_SUBDIVISIONS_H_
