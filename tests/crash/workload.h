// The crash driver's writers and what they remember. Writers create
// (with request ids), update (with etags) and delete records of one domain,
// each writer on records of its own, so every record's writes are in one
// order. Every acknowledged write is kept; a write cut off by the crash is
// kept as in doubt. After the restart, Verify reads each record back:
// acknowledged writes must all be there, a write in doubt wholly there or
// wholly absent, and a cut-off create retried with its request id must
// return the record it made.
#ifndef PARLEY_TESTS_CRASH_WORKLOAD_H_
#define PARLEY_TESTS_CRASH_WORKLOAD_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "tests/crash/kinds.h"

namespace parley::crash {

struct Counts {
  int64_t acknowledged = 0;     // writes that returned OK
  int64_t cut_off = 0;          // writes that ended without an answer
  int64_t cut_off_present = 0;  // ... found applied after the restart
  int64_t cut_off_absent = 0;   // ... found not applied
  int64_t lost = 0;             // acknowledged writes not found as answered
  int64_t torn = 0;  // records neither as before nor as after a cut-off write
  int64_t create_retries = 0;  // creates retried with their request id
  int64_t retry_failures = 0;  // ... that did not return their record
  int64_t records_verified = 0;
  // What went wrong, the first 100 (lost, torn, refused, retry failures).
  std::vector<std::string> failures;
  int64_t failure_count = 0;

  void Add(const Counts& other);
};

class Workload {
 public:
  // Record ids are "<prefix>-w<writer>-<n>".
  Workload(Kind* kind, std::string prefix, int writers, uint64_t seed);
  ~Workload();

  // Starts the writers against `endpoint`.
  void Start(const Endpoint& endpoint);
  // The service is about to be killed: errors from now on are the crash's.
  void Killing() { killing_.store(true); }
  // Stops the writers and waits for them.
  void Stop();

  // Reads back the records written since the last Verify and `sample` older
  // ones (all with `all`), resolving writes in doubt. Then checks that the
  // service lists exactly the records that should exist (with `all`).
  void Verify(const Endpoint& endpoint, bool all, int sample);

  Counts counts() const;
  int64_t writes_since_start() const { return writes_.load(); }

 private:
  enum class Op { kCreate, kUpdate, kDelete };
  struct Doubt {
    Op type;
    uint64_t op;
  };
  struct Tracked {
    std::string id;
    // The last acknowledged (or, after a cut-off, found) state.
    RecordState acked;
    std::optional<Doubt> doubt;
    uint64_t create_op = 0;
    std::string request_id;
    // Revision 1's etag, once the create is known to have applied.
    std::string create_etag;
    bool touched = false;
  };
  struct Writer {
    std::vector<Tracked> records;
    uint64_t next_id = 0;
  };

  void Write(int writer, const Endpoint& endpoint);
  // One write; false once the writer should stop (the crash cut it off).
  bool WriteOnce(Writer& writer, int index, const Endpoint& endpoint,
                 absl::BitGen& gen);
  void VerifyRecord(Tracked& record, const Endpoint& endpoint,
                    bool retry_create);
  void Fail(std::string message);
  // The state a write in doubt leaves if it applied.
  RecordState After(const Tracked& record) const;

  Kind* kind_;
  std::string prefix_;
  uint64_t seed_;
  std::vector<Writer> writers_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> killing_{false};
  std::atomic<uint64_t> next_op_{1};
  std::atomic<int64_t> writes_{0};
  mutable absl::Mutex mutex_;
  Counts counts_ ABSL_GUARDED_BY(mutex_);
};

// Whether two states are the same record at the same revision.
bool SameState(const RecordState& a, const RecordState& b);
std::string Describe(const RecordState& state);

}  // namespace parley::crash

#endif  // PARLEY_TESTS_CRASH_WORKLOAD_H_
