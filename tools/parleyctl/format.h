// Text forms of the shared types for tables and CSV.
#ifndef PARLEY_TOOLS_PARLEYCTL_FORMAT_H_
#define PARLEY_TOOLS_PARLEYCTL_FORMAT_H_

#include <string>
#include <vector>

#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"

namespace parley::ctl {

// "2068", "at least 5", "at most 10", "667-970 (best 667)", "unknown".
std::string EstimateText(const common::v1::Estimate& estimate);
// "RU", "ICRC", "Vladimir Medinsky (RU)".
std::string PartyText(const common::v1::Party& party);
// Columns padded to the widest cell; rows may be shorter than the header.
std::string Table(const std::vector<std::vector<std::string>>& rows);
// "EXCHANGE_KIND_PRISONER_EXCHANGE" -> "prisoner exchange".
std::string EnumText(const std::string& name, const std::string& prefix);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_FORMAT_H_
