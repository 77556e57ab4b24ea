// The record kinds parleyctl knows: which service holds each, and the names
// of its messages and methods. A record's kind is read from its name
// ("agreements/istanbul-2025" is an Agreement).
#ifndef PARLEY_TOOLS_PARLEYCTL_KINDS_H_
#define PARLEY_TOOLS_PARLEYCTL_KINDS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace parley::ctl {

struct Kind {
  // Collection, also the name prefix and the export argument: "agreements".
  std::string collection;
  // "parley.exchanges.v1.ExchangesService".
  std::string service;
  // "Agreement" (methods CreateAgreement, ...), "ChannelStatus".
  std::string singular;
  // "Agreements" (ListAgreements), "ChannelStatuses".
  std::string plural;
  // "parley.exchanges.v1".
  std::string package;
  // The JSON name of the record in requests and list responses:
  // "agreement" / "agreements", "channelStatus" / "channelStatuses".
  std::string request_field;
  std::string list_field;
};

const std::vector<Kind>& Kinds();
// The kind of a collection ("agreements") or of a record name; null if none.
const Kind* KindOf(absl::string_view collection_or_name);
// "agreements, exchanges, ..." for messages.
std::string KindNames();

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_KINDS_H_
