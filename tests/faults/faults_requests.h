// What parley-faults-load sends through the gateway, stream by stream, and
// how a created record is read back to verify it.
#ifndef PARLEY_TESTS_FAULTS_FAULTS_REQUESTS_H_
#define PARLEY_TESTS_FAULTS_FAULTS_REQUESTS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace parley::faults {

enum class StreamKind {
  kExchanges,      // CreateExchange
  kNegotiations,   // CreateStatement
  kIncidents,      // CreateIncident
  kSummary,        // GetSummary over the seed week: reads all three
  kListIncidents,  // ListIncidents, a page of 5: a read of one domain
};

// "exchanges", "negotiations", "incidents", "summary", "list_incidents".
const char* StreamName(StreamKind kind);
std::optional<StreamKind> ParseStream(const std::string& name);
// Whether the stream creates records (and so writes the ledger).
bool Creates(StreamKind kind);

// The outcome of one call.
struct Outcome {
  grpc::Status status;
  // For creates: the name of the record asked for ("exchanges/<id>").
  std::string name;
  // For a summary that answered: the services it left out.
  std::vector<std::string> missing_services;
};

// Calls of one kind through one channel; thread-compatible (one per thread).
class Caller {
 public:
  Caller(StreamKind kind, std::shared_ptr<grpc::Channel> channel,
         std::string token, std::string id_prefix);
  ~Caller();
  // Call number `n` (unique within the run for this stream) with `deadline`.
  Outcome Call(uint64_t n, std::chrono::milliseconds deadline);

 private:
  struct Stubs;
  StreamKind kind_;
  std::string token_;
  std::string id_prefix_;
  std::unique_ptr<Stubs> stubs_;
};

// A status code's name as gRPC and Abseil spell it ("RESOURCE_EXHAUSTED").
std::string CodeName(grpc::StatusCode code);

// Reads `name` ("incidents/x") through the gateway: OK if it is there,
// NOT_FOUND if not, else the call's error.
grpc::Status ReadBack(const std::shared_ptr<grpc::Channel>& channel,
                      const std::string& token, const std::string& name);

}  // namespace parley::faults

#endif  // PARLEY_TESTS_FAULTS_FAULTS_REQUESTS_H_
