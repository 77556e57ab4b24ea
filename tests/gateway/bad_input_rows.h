// The rows of bad_input_test.cc: one malformed request each, as the bytes
// sent, with the status it must get and the field it must name.
#ifndef PARLEY_TESTS_GATEWAY_BAD_INPUT_ROWS_H_
#define PARLEY_TESTS_GATEWAY_BAD_INPUT_ROWS_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/grpcpp.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "parley/negotiations/v1/negotiations_service.pb.h"
#include "parley/reports/v1/reports_service.pb.h"
#include "tests/gateway/seed_week.h"

namespace parley::gateway_test {

// Who makes the call: the bearer token it carries.
enum class Who {
  kEditor,
  kReader,
  kAdmin,
  kNobody,        // no authorization header
  kUnknownToken,  // a bearer token nobody was given
  kNotBearer,     // "Basic ..."
  kHugeToken,     // a 6,000-byte bearer token
};

struct Row {
  std::string name;
  std::string method;   // "/parley.exchanges.v1.ExchangesService/GetExchange"
  std::string request;  // the bytes sent
  grpc::StatusCode code;
  // The field a BadRequest must name (and the message with it); without a
  // BadRequest, words the message must hold.
  std::string expect;
  Who who = Who::kEditor;
};

// What the rows are built from, read from the seeded store.
struct Fixtures {
  ex::Exchange exchange;  // exchanges/remains-2026-w05
  ng::Round round;        // rounds/uae-2026-01
  in::Incident incident;  // incidents/kharkiv-train
  // ListExchanges{party: "UA", page_size: 1}'s next_page_token.
  std::string ua_exchanges_token;
  // The fingerprint of ListExchanges{} with a resume key never issued.
  std::string forged_fingerprinted_token;
};

inline constexpr auto kOk = grpc::StatusCode::OK;
inline constexpr auto kBad = grpc::StatusCode::INVALID_ARGUMENT;
inline constexpr auto kAborted = grpc::StatusCode::ABORTED;
inline constexpr auto kNotFound = grpc::StatusCode::NOT_FOUND;
inline constexpr auto kDenied = grpc::StatusCode::PERMISSION_DENIED;
inline constexpr auto kUnauthenticated = grpc::StatusCode::UNAUTHENTICATED;
inline constexpr auto kTooLarge = grpc::StatusCode::RESOURCE_EXHAUSTED;
inline constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// Full method names: Ex("GetExchange") is
// "/parley.exchanges.v1.ExchangesService/GetExchange".
std::string Ex(const std::string& method);
std::string Ng(const std::string& method);
std::string In(const std::string& method);
std::string Rp(const std::string& method);
std::string Ad(const std::string& method);

std::vector<Row> AllRows(const Fixtures& f);
// Its parts: by domain (bad_input_domain_rows.cc) and for the reports; batch
// methods as a whole, change feeds and SummarizeStatements
// (bad_input_batch_rows.cc).
std::vector<Row> DomainRows();
std::vector<Row> ReportRows();
std::vector<Row> BatchAndFeedRows();

// A batch whose every item is bad: the call succeeds and refuses each item
// alone, naming its field under "requests[i]".
struct BadItemBatch {
  std::string name;
  std::string
      method;  // "/parley.incidents.v1.IncidentsService/BatchCreateIncidents"
  std::string request;
  std::vector<std::string> expect;  // per item, the field named
  std::vector<std::string> rows;    // per item, the domain row it came from
};
// One per batch create, of the domain rows of its create.
std::vector<BadItemBatch> BadItemBatches();

// The good requests the rows spoil, each accepted as it is (creates under
// new ids: the test that sends them stores them).
std::vector<Row> BaselineRows(const Fixtures& f);

// ---------------------------------------------------------------------------
// Building the bytes.

// `request`, spoiled, serialized.
template <typename Request, typename Spoil>
std::string With(Request request, Spoil spoil) {
  spoil(&request);
  return request.SerializeAsString();
}
template <typename Request>
std::string Bytes(const Request& r) {
  return r.SerializeAsString();
}

std::string Varint(uint64_t value);
std::string Key(int number,
                ::google::protobuf::internal::WireFormatLite::WireType type);
// A length-delimited field: key, length, payload.
std::string Delimited(int number, const std::string& payload);
// `bytes` with `placeholder` (found exactly once) replaced by `raw`, of the
// same length: how invalid UTF-8, which protobuf will not serialize in a
// string field, gets into one.
std::string Spliced(const std::string& bytes, const std::string& placeholder,
                    const std::string& raw);
// Set a string field to kPlaceholder, serialize, Spliced with BadUtf8().
inline constexpr char kPlaceholder[] = "@@UTF8@@";
// Invalid UTF-8 of the placeholder's length: a lone continuation byte, an
// overlong encoding of '/', a surrogate half.
const std::string& BadUtf8();

// The good requests the rows spoil (creates under the id "refused").
ex::CreateExchangeRequest NewExchange();
ex::CreateAgreementRequest NewAgreement();
ex::CreateChannelStatusRequest NewChannelStatus();
ex::UpdateExchangeRequest ExchangeUpdate(const Fixtures& f);
ng::CreateRoundRequest NewRound();
ng::CreatePositionRequest NewPosition();
ng::CreateStatementRequest NewStatement();
ng::UpdateRoundRequest RoundUpdate(const Fixtures& f);
in::CreateIncidentRequest NewIncident();
in::UpdateIncidentRequest IncidentUpdate(const Fixtures& f);
::parley::reports::v1::GetSummaryRequest Summary();
::parley::reports::v1::GetAgreementProgressRequest Progress();
::parley::reports::v1::GetTalksContextRequest Talks();

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_BAD_INPUT_ROWS_H_
