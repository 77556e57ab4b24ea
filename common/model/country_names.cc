#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

// Lookups built once, since an import asks for every row: by exact name
// (the first country with it, in the list's order), by the start of a name
// (the one country whose names start so; "" if several do) and by number.
struct CountryIndex {
  absl::flat_hash_map<std::string, std::string> by_name;
  absl::flat_hash_map<std::string, std::string> by_prefix;
  absl::flat_hash_map<int, std::string> by_numeric;
};

const CountryIndex& Index() {
  static const auto* index = [] {
    auto* out = new CountryIndex;
    for (const Country& c : Countries()) {
      for (const std::string& n : c.names) {
        out->by_name.emplace(n, c.code);
        for (size_t length = 1; length <= n.size(); ++length) {
          auto [it, first] =
              out->by_prefix.emplace(n.substr(0, length), c.code);
          if (!first && it->second != c.code) it->second.clear();
        }
      }
      if (c.numeric != 0) out->by_numeric.emplace(c.numeric, c.code);
    }
    return out;
  }();
  return *index;
}

}  // namespace

std::string CountryCodeOfName(std::string_view name) {
  const std::string wanted(absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(name.data(), name.size()))));
  if (wanted.empty()) return "";
  const CountryIndex& index = Index();
  if (auto it = index.by_name.find(wanted); it != index.by_name.end()) {
    return it->second;
  }
  auto it = index.by_prefix.find(wanted);
  return it == index.by_prefix.end() ? "" : it->second;
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
  auto it = Index().by_numeric.find(static_cast<int>(value));
  return it == Index().by_numeric.end() ? "" : it->second;
}

}  // namespace parley
