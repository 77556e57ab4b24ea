// Text forms of the shared types for tables and CSV.
#ifndef PARLEY_TOOLS_PARLEYCTL_FORMAT_H_
#define PARLEY_TOOLS_PARLEYCTL_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"

namespace parley::ctl {

// "2068", "at least 5", "at most 10", "667-970 (best 667)", "unknown".
std::string EstimateText(const common::v1::Estimate& estimate);
// A figure by the window rule, as a desk reads it: "none recorded" with no
// record behind it; "3, up to 81" where records that may fall in the span
// (or ongoing ones) stand behind the upper bound only; else EstimateText.
// Each claimant's sum follows: "1038 [UA: 1038; RU claims 1041]".
std::string FigureText(const common::v1::Estimate& value, int64_t whole,
                       int64_t partly_in, int64_t ongoing);
// "UA: 6057; RU claims 6060": what each claimant's figures add up to; ""
// if none.
std::string ClaimsText(const common::v1::Estimate& estimate);
// "RU", "ICRC", "Vladimir Medinsky (RU)".
std::string PartyText(const common::v1::Party& party);
// Columns padded to the widest cell; rows may be shorter than the header.
std::string Table(const std::vector<std::vector<std::string>>& rows);
// "EXCHANGE_KIND_PRISONER_EXCHANGE" -> "prisoner exchange".
std::string EnumText(const std::string& name, const std::string& prefix);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_FORMAT_H_
