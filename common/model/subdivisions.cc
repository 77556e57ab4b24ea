#include "common/model/subdivisions.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace parley {
namespace subdivisions_internal {
absl::string_view Iso3166_2Json();
}  // namespace subdivisions_internal

namespace {

struct Subdivision {
  std::string code;
  std::string name;
  // The name without the words that say what kind of division it is
  // ("kharkivska oblast" -> "kharkivska"), lower case, single spaces.
  std::string stem;
  bool city = false;
};

// Words that say what a division is, not which: dropped from stems.
bool IsKindWord(absl::string_view word) {
  static const char* const kWords[] = {
      "oblast",       "oblast'",    "region",     "province",   "state",
      "governorate",  "city",       "republic",   "respublika", "autonomous",
      "avtonomna",    "kraj",       "krai",       "okrug",      "district",
      "county",       "prefecture", "department", "of",         "the",
      "municipality", "federal",    "raion",      "rayon"};
  for (const char* kind : kWords) {
    if (word == kind) return true;
  }
  return false;
}

// Lower case, punctuation (but apostrophes) as spaces, single spaces.
std::vector<std::string> Words(absl::string_view text) {
  std::string lowered = absl::AsciiStrToLower(text);
  for (char& c : lowered) {
    if (!absl::ascii_isalnum(c) && c != '\'' && !(c & 0x80)) c = ' ';
  }
  return absl::StrSplit(lowered, ' ', absl::SkipEmpty());
}

std::string Stem(absl::string_view text, bool* said_city = nullptr) {
  std::vector<std::string> kept;
  for (const std::string& word : Words(text)) {
    if (said_city != nullptr && word == "city") *said_city = true;
    if (!IsKindWord(word)) kept.push_back(word);
  }
  return absl::StrJoin(kept, " ");
}

size_t SharedStart(absl::string_view a, absl::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// By country (ISO 3166-1 alpha-2), the first-level subdivisions.
const std::map<std::string, std::vector<Subdivision>, std::less<>>& Table() {
  static const auto* table = [] {
    auto* out =
        new std::map<std::string, std::vector<Subdivision>, std::less<>>;
    const nlohmann::json all = nlohmann::json::parse(
        subdivisions_internal::Iso3166_2Json(), nullptr, false);
    if (all.is_discarded() || !all.contains("3166-2")) return out;
    for (const auto& entry : all["3166-2"]) {
      // Lower levels name their parent: only the first level here.
      if (entry.contains("parent") || !entry.contains("code") ||
          !entry.contains("name")) {
        continue;
      }
      Subdivision s;
      s.code = entry["code"];
      s.name = entry["name"];
      s.stem = Stem(s.name);
      const std::string type =
          entry.contains("type") ? std::string(entry["type"]) : "";
      s.city = absl::StrContains(absl::AsciiStrToLower(type), "city");
      (*out)[s.code.substr(0, s.code.find('-'))].push_back(std::move(s));
    }
    return out;
  }();
  return *table;
}

// The match within one country's subdivisions, and how good it is: the
// same name scores highest, then the longest shared start; none: "".
struct Match {
  std::string code;
  size_t score = 0;
};

constexpr size_t kSameName = 1000;

Match MatchIn(const std::vector<Subdivision>& subdivisions,
              absl::string_view name) {
  bool said_city = false;
  const std::string stem = Stem(name, &said_city);
  if (stem.empty()) return {};
  // The same name, a city only if the name says so.
  for (const Subdivision& s : subdivisions) {
    if (s.stem == stem && (s.city == said_city)) return {s.code, kSameName};
  }
  // The longest shared start with a region's name ("odesa" and "odeska
  // oblast"), unique, and close enough: at least 3 characters, and all but
  // 3 of the shorter name.
  size_t best = 0;
  const Subdivision* found = nullptr;
  bool tie = false;
  for (const Subdivision& s : subdivisions) {
    if (s.city && !said_city) continue;
    const size_t shared = SharedStart(s.stem, stem);
    const size_t shorter = std::min(s.stem.size(), stem.size());
    if (shared < 3 || shared + 3 < shorter) continue;
    if (shared > best) {
      best = shared;
      found = &s;
      tie = false;
    } else if (shared == best) {
      tie = true;
    }
  }
  if (found != nullptr && !tie) return {found->code, best};
  // A city named without the word ("Sevastopol").
  for (const Subdivision& s : subdivisions) {
    if (s.city && s.stem == stem) return {s.code, kSameName - 1};
  }
  return {};
}

}  // namespace

std::string SubdivisionCode(absl::string_view country, absl::string_view name) {
  const auto& table = Table();
  const std::string trimmed(absl::StripAsciiWhitespace(name));
  // A code, as it is: "UA-63".
  const size_t dash = trimmed.find('-');
  if (dash == 2 && trimmed.size() <= 6) {
    const std::string code = absl::AsciiStrToUpper(trimmed);
    auto it = table.find(code.substr(0, 2));
    if (it != table.end()) {
      for (const Subdivision& s : it->second) {
        if (s.code == code) return s.code;
      }
    }
  }
  if (!country.empty()) {
    auto it = table.find(absl::AsciiStrToUpper(country));
    return it == table.end() ? "" : MatchIn(it->second, trimmed).code;
  }
  // Every country: the best match, if no other country's is as good.
  Match best;
  bool tie = false;
  for (const auto& [code, subdivisions] : table) {
    Match match = MatchIn(subdivisions, trimmed);
    if (match.code.empty() || match.score < best.score) continue;
    tie = match.score == best.score;
    if (!tie) best = std::move(match);
  }
  return tie ? "" : best.code;
}

std::string SubdivisionName(absl::string_view code) {
  const std::string upper = absl::AsciiStrToUpper(code);
  auto it = Table().find(upper.substr(0, upper.find('-')));
  if (it == Table().end()) return "";
  for (const Subdivision& s : it->second) {
    if (s.code == upper) return s.name;
  }
  return "";
}

}  // namespace parley
