// The records the crash driver writes, one resource type per domain:
// exchanges (with agreement and month rollups) and incidents (day and
// region rollups). Each write's content follows from its op number alone,
// so the driver knows what a write would have stored even when the call was
// cut off.
#ifndef PARLEY_TESTS_CRASH_KINDS_H_
#define PARLEY_TESTS_CRASH_KINDS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace parley::crash {

// A record as seen from outside.
struct RecordState {
  bool exists = false;
  std::string name;  // "exchanges/x"
  int64_t revision = 0;
  std::string etag;
  // Fingerprint of the record without its metadata.
  uint64_t content = 0;
  // The op whose write made this content (from the record's description).
  uint64_t op = 0;
};

// How to reach a service.
struct Endpoint {
  std::shared_ptr<grpc::Channel> channel;
  // Sent as "authorization: Bearer <token>" ("" for none).
  std::string token;
  // Sent as "x-parley-caller" when set: the actor a caller holding the
  // service credential names (as the gateway does), "" for none.
  std::string caller;
  absl::Duration timeout = absl::Seconds(10);
};

// One entry of a record's history (ListRevisions).
struct RevisionState {
  int64_t revision = 0;
  std::string change;  // "CHANGE_CREATE", "CHANGE_UPDATE", "CHANGE_DELETE"
  std::string actor;
  absl::Time time;
  // The record after the change, as Get would have returned it then.
  RecordState state;
};

// A call's status and, for Create, Update and Get, the record it returned.
struct CallResult {
  grpc::Status status;
  RecordState state;
};

class Kind {
 public:
  virtual ~Kind() = default;
  // "exchanges": the binary is parley-<domain>.
  virtual const std::string& domain() const = 0;
  // Makes what the records refer to (an agreement); idempotent.
  virtual grpc::Status Prepare(const Endpoint& endpoint) = 0;
  // The content a write of `op` stores, as the service normalizes it.
  virtual uint64_t ContentOf(uint64_t op) const = 0;
  // `id` "" lets the service pick one.
  virtual CallResult Create(const Endpoint& endpoint, const std::string& id,
                            const std::string& request_id, uint64_t op) = 0;
  // Replaces the whole record (mask "*") with op's content.
  virtual CallResult Update(const Endpoint& endpoint, const std::string& id,
                            const std::string& etag, uint64_t op) = 0;
  virtual CallResult Delete(const Endpoint& endpoint, const std::string& id,
                            const std::string& etag) = 0;
  virtual CallResult Get(const Endpoint& endpoint, const std::string& id) = 0;
  // Every current record.
  virtual grpc::Status List(const Endpoint& endpoint,
                            std::vector<RecordState>* out) = 0;
  // The record's whole history, oldest first.
  virtual grpc::Status ListRevisions(const Endpoint& endpoint,
                                     const std::string& id,
                                     std::vector<RevisionState>* out) = 0;
  // One page of the change feed after `*position` (moved past it):
  // "name@revision op" per change; `caught_up` when nothing is left.
  virtual grpc::Status ListChanges(const Endpoint& endpoint,
                                   std::string* position,
                                   std::vector<std::string>* out,
                                   bool* caught_up) = 0;
};

// "exchanges" or "incidents"; null for anything else.
std::unique_ptr<Kind> NewKind(const std::string& domain);

// The op a description written by the driver names; nullopt otherwise.
std::optional<uint64_t> OpOfDescription(const std::string& description);

}  // namespace parley::crash

#endif  // PARLEY_TESTS_CRASH_KINDS_H_
