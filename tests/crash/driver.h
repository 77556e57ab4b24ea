// The crash driver's scenarios, each over services it starts as separate
// processes and kills with SIGKILL (the driver itself is never killed, so it
// remembers every answer):
// - service cycles: writers against one domain service, killed at a random
//   moment; then --check_store on its data, a restart on a fresh port, and
//   every write read back (tests/crash/workload.h), and the change feed,
//   read by a follower across the kills, equal to the feed read whole;
// - gateway cycles: creates through parley-gateway with request ids, the
//   gateway killed mid-flight and restarted, every unanswered create retried
//   until answered: each request id must end as exactly one record;
// - backup cycles: the service killed while CreateBackup runs; every backup
//   it lists afterwards must restore (--restore_from) into a store that
//   passes --check_store, and an answered backup must be listed;
// - register cycles (driver_register.cc): clients through the gateway and
//   straight to the service read a few hot records and write them back with
//   the etag they read, while the service (power loss included) and the
//   gateway are killed and restarted; each record's history must then be
//   one unbroken chain of compare-and-sets that agrees with every answer.
#ifndef PARLEY_TESTS_CRASH_DRIVER_H_
#define PARLEY_TESTS_CRASH_DRIVER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/crash/kinds.h"
#include "tests/crash/process.h"
#include "tests/crash/workload.h"

namespace parley::crash {

struct DriverOptions {
  // The build folder: services/<domain>/parley-<domain> and
  // services/gateway/parley-gateway under it.
  std::string bin_dir;
  // Data, logs and credentials of this run.
  std::string work_dir;
  std::vector<std::string> domains;
  int cycles = 10;  // service cycles, shared among the domains
  int gateway_cycles = 0;
  int backup_cycles = 0;
  int register_cycles = 0;
  // Register cycles: the hot records the clients contend for.
  int hot_records = 3;
  int writers = 16;
  // The kill comes this long after the writers start.
  absl::Duration min_kill_delay = absl::Milliseconds(20);
  absl::Duration max_kill_delay = absl::Milliseconds(1200);
  // Older records read back after each restart, besides the cycle's own.
  int sample = 50;
  uint64_t seed = 0;
  // A self-test of the checks: delete the store's WAL after each kill, so
  // that acknowledged writes are lost and the run must fail.
  bool drop_wal_after_kill = false;
  // tests/crash/sync_tracker.cc, built as a shared library: preloaded into
  // the domain services so that after a kill the driver knows which WAL
  // bytes had been synced. "" for none.
  std::string sync_tracker;
  // With a sync tracker: the share of kills followed by a simulated power
  // loss, every WAL byte not synced dropped.
  double power_loss = 0;
};

// What a crash that lost the unflushed writes would leave: the store's WAL
// files deleted (the self-test).
void DropWal(const std::string& data_dir);
// A power loss after a kill: each WAL file cut back to what the sync
// tracker saw synced of it. Returns the bytes dropped.
int64_t LoseUnsyncedWal(const std::string& data_dir);

// 24 random bytes as hex: tokens and credentials of a run.
std::string RandomHex(absl::BitGen& gen);

// A reader of the service's change feed that lives through its kills, as
// an integrator's would: it keeps its position and reads on from it after
// each restart. Every cycle the feed it has read must equal the feed read
// whole from the start: it never saw a write the store lost, and it missed
// none the store holds, nothing twice.
struct FeedFollower {
  std::string position;
  std::vector<std::string> seen;  // "name@revision operation"
  int64_t reads = 0;
  // Reads on to the end; an error (the service being killed) ends it.
  grpc::Status Poll(Kind& kind, const Endpoint& endpoint);
};

// A service the driver started, and how to call it.
struct Running {
  Child child;
  int port = 0;
  Endpoint endpoint;
};

class Driver {
 public:
  explicit Driver(DriverOptions options);

  // Each returns its figures as JSON; failures go to failures().
  nlohmann::json RunServiceCycles(const std::string& domain, int cycles);
  nlohmann::json RunGatewayCycles(int cycles);
  nlohmann::json RunBackupCycles(int cycles);
  nlohmann::json RunRegisterCycles(int cycles);

  const std::vector<std::string>& failures() const { return failures_; }
  int64_t failure_count() const { return failure_count_; }

 private:
  std::string Binary(const std::string& name) const;
  std::string Log(const std::string& name);
  // Starts parley-<domain> on a fresh port over `data_dir`, waits until it
  // serves and makes what its records refer to.
  absl::StatusOr<Running> StartDomain(const std::string& domain,
                                      const std::string& data_dir,
                                      const std::vector<std::string>& extra,
                                      const std::string& token = "");
  // parley-<domain> --check_store on `data_dir`: true if consistent (a
  // failure, with the report, if not).
  bool CheckStore(const std::string& domain, const std::string& data_dir,
                  const std::string& when);
  absl::Duration KillDelay();
  // The environment of a domain service over `data_dir` (the sync tracker).
  std::vector<std::string> DomainEnv(const std::string& data_dir) const;
  void Fail(std::string message);
  // The change feed, read on by a follower (a FeedFollower, driver.cc)
  // across the kills, against the feed read whole: a failure if they
  // differ.
  void CheckFeed(Kind& kind, const Endpoint& endpoint, FeedFollower* follower,
                 int cycle, int64_t* checked);
  // Counts as JSON, and its failures into failures().
  nlohmann::json Take(const Counts& counts);

  DriverOptions options_;
  absl::BitGen gen_;
  int logs_ = 0;
  int64_t check_runs_ = 0;
  int64_t check_failures_ = 0;
  std::vector<std::string> failures_;
  int64_t failure_count_ = 0;
};

}  // namespace parley::crash

#endif  // PARLEY_TESTS_CRASH_DRIVER_H_
