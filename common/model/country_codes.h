#ifndef PARLEY_COMMON_MODEL_COUNTRY_CODES_H_
#define PARLEY_COMMON_MODEL_COUNTRY_CODES_H_

#include <string_view>

namespace parley {

// True for an assigned ISO 3166-1 alpha-2 code ("UA", "RU"), upper case.
// The list is generated at build time from Debian's iso-codes.
bool IsCountryCode(std::string_view code);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_COUNTRY_CODES_H_
