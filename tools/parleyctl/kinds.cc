#include "tools/parleyctl/kinds.h"

#include "absl/strings/str_join.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "parley/negotiations/v1/negotiations_service.pb.h"
#include "parley/reports/v1/reports_service.pb.h"

namespace parley::ctl {

const std::vector<Kind>& Kinds() {
  // parleyctl finds messages by name in the generated pool; naming one type
  // of each contract links that contract's descriptors in.
  (void)exchanges::v1::CreateAgreementRequest::descriptor();
  (void)negotiations::v1::CreateRoundRequest::descriptor();
  (void)incidents::v1::CreateIncidentRequest::descriptor();
  (void)reports::v1::GetSummaryRequest::descriptor();
  static const auto* kinds = new std::vector<Kind>{
      {"agreements", "parley.exchanges.v1.ExchangesService", "Agreement",
       "Agreements", "parley.exchanges.v1", "agreement", "agreements"},
      {"channels", "parley.exchanges.v1.ExchangesService", "Channel",
       "Channels", "parley.exchanges.v1", "channel", "channels"},
      {"channelStatuses", "parley.exchanges.v1.ExchangesService",
       "ChannelStatus", "ChannelStatuses", "parley.exchanges.v1",
       "channelStatus", "channelStatuses"},
      {"exchanges", "parley.exchanges.v1.ExchangesService", "Exchange",
       "Exchanges", "parley.exchanges.v1", "exchange", "exchanges"},
      {"rounds", "parley.negotiations.v1.NegotiationsService", "Round",
       "Rounds", "parley.negotiations.v1", "round", "rounds"},
      {"positions", "parley.negotiations.v1.NegotiationsService", "Position",
       "Positions", "parley.negotiations.v1", "position", "positions"},
      {"statements", "parley.negotiations.v1.NegotiationsService", "Statement",
       "Statements", "parley.negotiations.v1", "statement", "statements"},
      {"incidents", "parley.incidents.v1.IncidentsService", "Incident",
       "Incidents", "parley.incidents.v1", "incident", "incidents"},
  };
  return *kinds;
}

const Kind* KindOf(absl::string_view collection_or_name) {
  const absl::string_view collection =
      collection_or_name.substr(0, collection_or_name.find('/'));
  for (const Kind& kind : Kinds()) {
    if (kind.collection == collection) return &kind;
  }
  return nullptr;
}

std::string KindNames() {
  std::vector<std::string> names;
  for (const Kind& kind : Kinds()) names.push_back(kind.collection);
  return absl::StrJoin(names, ", ");
}

}  // namespace parley::ctl
