// The domain services' methods as the fuzz targets and the seed maker see
// them: each one's name, request type and a call on the domain (below gRPC,
// so a call costs what the domain does), and each record type's own
// validation, to check what a write stored.
#ifndef PARLEY_TESTS_FUZZ_DOMAINS_H_
#define PARLEY_TESTS_FUZZ_DOMAINS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/message.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/validation.h"
#include "services/incidents/domain.h"
#include "services/incidents/validation.h"
#include "services/negotiations/domain.h"
#include "services/negotiations/validation.h"

namespace parley::fuzz {

using ::google::protobuf::Message;

template <typename Domain>
struct DomainMethod {
  // As in the service: "CreateAgreement".
  std::string name;
  // An empty request; the response type is response_type->GetDescriptor().
  const Message* request_type;
  const Message* response_type;
  // For a Create: the collection it creates in ("agreements").
  std::string creates;
  // Calls the domain; `response` is a response_type->New().
  std::function<absl::Status(Domain&, const Message& request,
                             const Caller& caller, Message* response)>
      call;
};

// Get and List: (request, out).
template <typename Domain, typename Req, typename Resp>
DomainMethod<Domain> Bind(std::string name,
                          absl::Status (Domain::*method)(const Req&, Resp*)) {
  return {std::move(name), &Req::default_instance(), &Resp::default_instance(),
          "",
          [method](Domain& d, const Message& request, const Caller&,
                   Message* response) {
            return (d.*method)(static_cast<const Req&>(request),
                               static_cast<Resp*>(response));
          }};
}

// Create, Update, ReportPosition: (request, caller, out).
template <typename Domain, typename Req, typename Resp>
DomainMethod<Domain> Bind(std::string name,
                          absl::Status (Domain::*method)(const Req&,
                                                         const Caller&, Resp*),
                          std::string creates = "") {
  return {std::move(name), &Req::default_instance(), &Resp::default_instance(),
          std::move(creates),
          [method](Domain& d, const Message& request, const Caller& caller,
                   Message* response) {
            return (d.*method)(static_cast<const Req&>(request), caller,
                               static_cast<Resp*>(response));
          }};
}

// Delete: (request, caller).
template <typename Domain, typename Req>
DomainMethod<Domain> Bind(std::string name,
                          absl::Status (Domain::*method)(const Req&,
                                                         const Caller&)) {
  return {std::move(name), &Req::default_instance(),
          &google::protobuf::Empty::default_instance(), "",
          [method](Domain& d, const Message& request, const Caller& caller,
                   Message*) {
            return (d.*method)(static_cast<const Req&>(request), caller);
          }};
}

#define PARLEY_FUZZ_BIND(Domain, Method, ...) \
  Bind(#Method, &Domain::Method __VA_OPT__(, ) __VA_ARGS__)

// The order is the selector byte's: append new methods at the end, so that
// the committed corpus keeps meaning what it meant.
inline std::vector<DomainMethod<exchanges::Exchanges>> ExchangesMethods() {
  using exchanges::Exchanges;
  return {
      PARLEY_FUZZ_BIND(Exchanges, GetAgreement),
      PARLEY_FUZZ_BIND(Exchanges, ListAgreements),
      PARLEY_FUZZ_BIND(Exchanges, CreateAgreement, "agreements"),
      PARLEY_FUZZ_BIND(Exchanges, UpdateAgreement),
      PARLEY_FUZZ_BIND(Exchanges, DeleteAgreement),
      PARLEY_FUZZ_BIND(Exchanges, GetExchange),
      PARLEY_FUZZ_BIND(Exchanges, ListExchanges),
      PARLEY_FUZZ_BIND(Exchanges, CreateExchange, "exchanges"),
      PARLEY_FUZZ_BIND(Exchanges, UpdateExchange),
      PARLEY_FUZZ_BIND(Exchanges, DeleteExchange),
      PARLEY_FUZZ_BIND(Exchanges, GetChannel),
      PARLEY_FUZZ_BIND(Exchanges, ListChannels),
      PARLEY_FUZZ_BIND(Exchanges, CreateChannel, "channels"),
      PARLEY_FUZZ_BIND(Exchanges, UpdateChannel),
      PARLEY_FUZZ_BIND(Exchanges, DeleteChannel),
      PARLEY_FUZZ_BIND(Exchanges, GetChannelStatus),
      PARLEY_FUZZ_BIND(Exchanges, ListChannelStatuses),
      PARLEY_FUZZ_BIND(Exchanges, CreateChannelStatus, "channelStatuses"),
      PARLEY_FUZZ_BIND(Exchanges, UpdateChannelStatus),
      PARLEY_FUZZ_BIND(Exchanges, DeleteChannelStatus),
      PARLEY_FUZZ_BIND(Exchanges, ListRevisions),
      PARLEY_FUZZ_BIND(Exchanges, SummarizeAgreement),
      PARLEY_FUZZ_BIND(Exchanges, SummarizeExchanges),
      // Batches (AIP-233): every item validated on its own.
      PARLEY_FUZZ_BIND(Exchanges, BatchCreateAgreements),
      PARLEY_FUZZ_BIND(Exchanges, BatchCreateExchanges),
      PARLEY_FUZZ_BIND(Exchanges, BatchCreateChannels),
      PARLEY_FUZZ_BIND(Exchanges, BatchCreateChannelStatuses),
  };
}

inline std::vector<DomainMethod<negotiations::Negotiations>>
NegotiationsMethods() {
  using negotiations::Negotiations;
  return {
      PARLEY_FUZZ_BIND(Negotiations, GetRound),
      PARLEY_FUZZ_BIND(Negotiations, ListRounds),
      PARLEY_FUZZ_BIND(Negotiations, CreateRound, "rounds"),
      PARLEY_FUZZ_BIND(Negotiations, UpdateRound),
      PARLEY_FUZZ_BIND(Negotiations, DeleteRound),
      PARLEY_FUZZ_BIND(Negotiations, GetPosition),
      PARLEY_FUZZ_BIND(Negotiations, ListPositions),
      PARLEY_FUZZ_BIND(Negotiations, CreatePosition, "positions"),
      PARLEY_FUZZ_BIND(Negotiations, UpdatePosition),
      PARLEY_FUZZ_BIND(Negotiations, DeletePosition),
      PARLEY_FUZZ_BIND(Negotiations, GetStatement),
      PARLEY_FUZZ_BIND(Negotiations, ListStatements),
      PARLEY_FUZZ_BIND(Negotiations, CreateStatement, "statements"),
      PARLEY_FUZZ_BIND(Negotiations, UpdateStatement),
      PARLEY_FUZZ_BIND(Negotiations, DeleteStatement),
      PARLEY_FUZZ_BIND(Negotiations, ReportPosition),
      PARLEY_FUZZ_BIND(Negotiations, ListRevisions),
      PARLEY_FUZZ_BIND(Negotiations, BatchCreateRounds),
      PARLEY_FUZZ_BIND(Negotiations, BatchCreatePositions),
      PARLEY_FUZZ_BIND(Negotiations, BatchCreateStatements),
      // Last: a method's place in this list is its number in the corpus.
      PARLEY_FUZZ_BIND(Negotiations, SummarizeStatements),
  };
}

inline std::vector<DomainMethod<incidents::Incidents>> IncidentsMethods() {
  using incidents::Incidents;
  return {
      PARLEY_FUZZ_BIND(Incidents, GetIncident),
      PARLEY_FUZZ_BIND(Incidents, ListIncidents),
      PARLEY_FUZZ_BIND(Incidents, CreateIncident, "incidents"),
      PARLEY_FUZZ_BIND(Incidents, UpdateIncident),
      PARLEY_FUZZ_BIND(Incidents, DeleteIncident),
      PARLEY_FUZZ_BIND(Incidents, SummarizeIncidents),
      PARLEY_FUZZ_BIND(Incidents, ListRevisions),
      PARLEY_FUZZ_BIND(Incidents, BatchCreateIncidents),
      PARLEY_FUZZ_BIND(Incidents, BatchUpdateIncidents),
  };
}

#undef PARLEY_FUZZ_BIND

// Checks a record as its Create would (on a copy): the violations, for a
// record type this knows; false if it knows none.
inline bool Revalidate(const Message& record, FieldViolations* v) {
  const std::string& type = record.GetDescriptor()->full_name();
  auto check = [&](auto* copy, auto validate) {
    copy->CopyFrom(record);
    validate(copy, "record", v);
    return true;
  };
  if (type == "parley.exchanges.v1.Agreement") {
    exchanges::v1::Agreement copy;
    return check(&copy, exchanges::ValidateAgreement);
  }
  if (type == "parley.exchanges.v1.Exchange") {
    exchanges::v1::Exchange copy;
    return check(&copy, exchanges::ValidateExchange);
  }
  if (type == "parley.exchanges.v1.Channel") {
    exchanges::v1::Channel copy;
    return check(&copy, exchanges::ValidateChannel);
  }
  if (type == "parley.exchanges.v1.ChannelStatus") {
    exchanges::v1::ChannelStatus copy;
    return check(&copy, exchanges::ValidateChannelStatus);
  }
  if (type == "parley.negotiations.v1.Round") {
    negotiations::v1::Round copy;
    return check(&copy, negotiations::ValidateRound);
  }
  if (type == "parley.negotiations.v1.Position") {
    negotiations::v1::Position copy;
    return check(&copy, negotiations::ValidatePosition);
  }
  if (type == "parley.negotiations.v1.Statement") {
    negotiations::v1::Statement copy;
    return check(&copy, negotiations::ValidateStatement);
  }
  if (type == "parley.incidents.v1.Incident") {
    incidents::v1::Incident copy;
    return check(&copy, incidents::ValidateIncident);
  }
  return false;
}

}  // namespace parley::fuzz

#endif  // PARLEY_TESTS_FUZZ_DOMAINS_H_
