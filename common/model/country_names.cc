#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/model/country_codes.h"
#include "nlohmann/json.hpp"

namespace parley {
namespace country_codes_internal {
std::string_view Iso3166_1Json();
}  // namespace country_codes_internal

namespace {

struct Country {
  std::string code;
  std::vector<std::string> names;  // lower case: name, common, official
  int numeric = 0;
};

const std::vector<Country>& Countries() {
  static const auto* countries = [] {
    auto* out = new std::vector<Country>;
    const nlohmann::json all = nlohmann::json::parse(
        country_codes_internal::Iso3166_1Json(), nullptr, false);
    if (all.is_discarded() || !all.contains("3166-1")) return out;
    for (const auto& entry : all["3166-1"]) {
      Country c;
      c.code = entry.value("alpha_2", "");
      for (const char* key : {"name", "common_name", "official_name"}) {
        if (entry.contains(key)) {
          c.names.push_back(absl::AsciiStrToLower(std::string(entry[key])));
        }
      }
      (void)absl::SimpleAtoi(entry.value("numeric", ""), &c.numeric);
      out->push_back(std::move(c));
    }
    return out;
  }();
  return *countries;
}

}  // namespace

std::string CountryCodeOfName(std::string_view name) {
  const std::string wanted(absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(name.data(), name.size()))));
  if (wanted.empty()) return "";
  for (const Country& c : Countries()) {
    for (const std::string& n : c.names) {
      if (n == wanted) return c.code;
    }
  }
  std::string found;
  for (const Country& c : Countries()) {
    for (const std::string& n : c.names) {
      if (!absl::StartsWith(n, wanted)) continue;
      if (!found.empty() && found != c.code) return "";
      found = c.code;
    }
  }
  return found;
}

std::string CountryCodeOfNumeric(std::string_view numeric) {
  double value = 0;
  if (!absl::SimpleAtod(absl::string_view(numeric.data(), numeric.size()),
                        &value)) {
    return "";
  }
  // A whole number of three digits at most ("804", "804.0"); anything else
  // (804.5, 8e29, nan) names no country, and is not cast to an int (which
  // past its range is undefined: the import fuzzer found it).
  if (!(value >= 1 && value <= 999) || value != std::floor(value)) return "";
  for (const Country& c : Countries()) {
    if (c.numeric != 0 && c.numeric == static_cast<int>(value)) return c.code;
  }
  return "";
}

}  // namespace parley
