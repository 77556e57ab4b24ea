// What parley-loadgen sends: the methods it can call and their requests,
// built from the generated protos and serialized once (or, for creates,
// once per call, each with a fresh id and a date of its own).
#ifndef PARLEY_TESTS_BENCH_LOADGEN_REQUESTS_H_
#define PARLEY_TESTS_BENCH_LOADGEN_REQUESTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"

namespace parley::bench {

enum class Method {
  kCreateExchange,
  kGetAgreement,
  kListExchanges,
  kAgreementProgress,
  kSummary,
  kEmpty,
};

// "create_exchange" ... "empty"; nullopt for anything else.
std::optional<Method> ParseMethod(absl::string_view name);
const char* MethodName(Method method);
// The gRPC path: "/parley.exchanges.v1.ExchangesService/CreateExchange".
const char* MethodPath(Method method);
// The accepted names, for messages: "create_exchange|get_agreement|...".
const char* MethodNames();

struct RequestOptions {
  // "agreements/bench": read by get_agreement and agreement_progress, and
  // the agreement each created exchange falls under ("" for none).
  std::string agreement;
  // The span of a summary: "2026-W05".
  std::string span;
  // A large create: more transfers and sources, long excerpts and a
  // description (about 7 KB serialized, against about 200 bytes).
  bool large = false;
  // Ids of created exchanges and their request ids: "<prefix>-<n>".
  std::string id_prefix;
};

// The requests of one client; not thread-safe (one per client).
class Requests {
 public:
  Requests(Method method, const RequestOptions& options);
  // The serialized request of call `n` (unique within the run): the same
  // bytes every time, except for creates.
  const std::string& Next(uint64_t n);
  // Whether Next gives different bytes for each call.
  bool varies() const { return method_ == Method::kCreateExchange; }

 private:
  Method method_;
  std::string id_prefix_;
  exchanges::v1::CreateExchangeRequest create_;
  std::string bytes_;
};

// Whether `method` is a report (agreement_progress, summary).
bool IsReport(Method method);

// What a report's response says it left out ("exchanges: RESOURCE_EXHAUSTED:
// ..."); nothing for a method that is not a report.
std::vector<std::string> MissingSections(Method method,
                                         const std::string& response);

// The date an exchange of call `n` occurred: days 2025-01-01 .. 2026-01-31,
// one after the other, round again after 396 calls ("2025-03-14"); one call
// in ten is known only to a longer span holding that day: its ISO week, its
// month, or a range of two or three days ("2025-W11", "2025-03",
// "2025-03-14/2025-03-16").
std::string OccurredDay(uint64_t n);

// Whether `prefix` makes valid record ids: lowercase letters, digits and
// '-', not starting with '-', short enough to leave room for "-<n>".
bool IsValidIdPrefix(absl::string_view prefix);

// The id of "agreements/<id>"; nullopt if `name` is not an agreement's
// name with a valid id.
std::optional<std::string> AgreementId(absl::string_view name);

// CreateAgreement for `agreement_name` ("agreements/bench"): a REMAINS term
// with a quota of 12,000, with a request_id derived from the name, so that
// making it twice stores it once.
exchanges::v1::CreateAgreementRequest BenchAgreementRequest(
    absl::string_view agreement_name);

}  // namespace parley::bench

#endif  // PARLEY_TESTS_BENCH_LOADGEN_REQUESTS_H_
