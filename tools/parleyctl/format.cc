#include "tools/parleyctl/format.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace parley::ctl {

std::string EstimateText(const common::v1::Estimate& e) {
  using E = common::v1::Estimate;
  switch (e.qualifier()) {
    case E::QUALIFIER_EXACT:
      return absl::StrCat(e.best());
    case E::QUALIFIER_AT_LEAST:
      return absl::StrCat("at least ", e.low());
    case E::QUALIFIER_AT_MOST:
      return absl::StrCat("at most ", e.high());
    case E::QUALIFIER_UNKNOWN:
      return "unknown";
    default:
      break;
  }
  std::string text = e.has_high() ? absl::StrCat(e.low(), "-", e.high())
                                  : absl::StrCat("at least ", e.low());
  if (e.has_best()) absl::StrAppend(&text, " (best ", e.best(), ")");
  return text;
}

std::string FigureText(const common::v1::Estimate& value, int64_t whole,
                       int64_t partly_in, int64_t ongoing) {
  using E = common::v1::Estimate;
  if (whole + partly_in + ongoing == 0) return "none recorded";
  std::string text;
  if (value.qualifier() == E::QUALIFIER_UNKNOWN ||
      value.qualifier() == E::QUALIFIER_EXACT || partly_in + ongoing == 0) {
    text = EstimateText(value);
  } else if (!value.has_high()) {
    text = absl::StrCat("at least ", value.low());
  } else {
    text = absl::StrCat(value.low(), ", up to ", value.high());
  }
  const std::string claims = ClaimsText(value);
  if (!claims.empty()) absl::StrAppend(&text, " [", claims, "]");
  return text;
}

std::string ClaimsText(const common::v1::Estimate& e) {
  std::string text;
  for (const auto& claim : e.claims()) {
    const std::string who = PartyText(claim.claimed_by());
    absl::StrAppend(&text, text.empty() ? "" : "; ", who,
                    text.empty() ? ": " : " claims ", claim.value());
  }
  return text;
}

std::string PartyText(const common::v1::Party& p) {
  std::string who = !p.person().empty()         ? p.person()
                    : !p.organization().empty() ? p.organization()
                                                : p.country();
  if (who != p.country() && !p.country().empty())
    absl::StrAppend(&who, " (", p.country(), ")");
  return who;
}

std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, row[i]);
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string EnumText(const std::string& name, const std::string& prefix) {
  std::string text =
      name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
  return absl::AsciiStrToLower(absl::StrReplaceAll(text, {{"_", " "}}));
}

}  // namespace parley::ctl
