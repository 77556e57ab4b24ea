#ifndef PARLEY_COMMON_MODEL_COUNTRY_CODES_H_
#define PARLEY_COMMON_MODEL_COUNTRY_CODES_H_

#include <string>
#include <string_view>

namespace parley {

// True for an assigned ISO 3166-1 alpha-2 code ("UA", "RU"), upper case.
// The list is generated at build time from Debian's iso-codes.
bool IsCountryCode(std::string_view code);

// The alpha-2 code of a country named as iso-codes names it ("Russian
// Federation", its common or official name, in any case), or as datasets
// shorten it: the one country whose name starts with `name` ("Russia"). ""
// if none, or more than one, could be meant.
std::string CountryCodeOfName(std::string_view name);

// The alpha-2 code of an ISO 3166-1 numeric code ("804" or "804.0" -> "UA");
// "" if unknown.
std::string CountryCodeOfNumeric(std::string_view numeric);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_COUNTRY_CODES_H_
