#include "tests/crash/driver.h"

#include <signal.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace parley::crash {

namespace {

constexpr size_t kFailuresKept = 200;

// Every start on a port of its own (read back from its log); no metrics.
std::vector<std::string> CommonFlags() {
  return {"--listen=127.0.0.1:0", "--metrics_listen=none"};
}

// Where the sync tracker writes what was synced of each WAL file.
std::string SyncLog(const std::string& data_dir) {
  return data_dir + ".synced";
}

}  // namespace

std::string RandomHex(absl::BitGen& gen) {
  std::string out;
  for (int i = 0; i < 24; ++i) {
    absl::StrAppend(&out,
                    absl::Hex(absl::Uniform<uint8_t>(gen), absl::kZeroPad2));
  }
  return out;
}

void DropWal(const std::string& data_dir) {
  for (const auto& entry : std::filesystem::directory_iterator(data_dir)) {
    if (entry.path().extension() == ".log") std::filesystem::remove(entry);
  }
}

// A power loss after the kill: each WAL file cut back to what had been
// synced of it (nothing, if it never was). Returns the bytes dropped.
int64_t LoseUnsyncedWal(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::map<std::string, int64_t> synced;
  std::istringstream lines(ReadFile(SyncLog(data_dir)));
  std::string path;
  int64_t size = 0;
  while (lines >> path >> size) synced[path] = std::max(synced[path], size);
  int64_t dropped = 0;
  for (const auto& entry : fs::directory_iterator(data_dir)) {
    if (entry.path().extension() != ".log") continue;
    const std::string canonical = fs::canonical(entry.path()).string();
    const int64_t keep = synced.contains(canonical) ? synced[canonical] : 0;
    const int64_t length = static_cast<int64_t>(fs::file_size(entry.path()));
    if (length > keep) {
      fs::resize_file(entry.path(), static_cast<uintmax_t>(keep));
      dropped += length - keep;
    }
  }
  return dropped;
}

std::vector<std::string> Driver::DomainEnv(const std::string& data_dir) const {
  if (options_.sync_tracker.empty()) return {};
  return {absl::StrCat("LD_PRELOAD=", options_.sync_tracker),
          absl::StrCat("PARLEY_SYNC_LOG=", SyncLog(data_dir))};
}

Driver::Driver(DriverOptions options) : options_(std::move(options)) {
  std::filesystem::create_directories(options_.work_dir + "/logs");
}

std::string Driver::Binary(const std::string& name) const {
  return absl::StrCat(options_.bin_dir, "/services/", name, "/parley-", name);
}

std::string Driver::Log(const std::string& name) {
  return absl::StrCat(options_.work_dir, "/logs/", ++logs_, "-", name, ".log");
}

void Driver::Fail(std::string message) {
  ++failure_count_;
  std::fprintf(stderr, "FAIL: %s\n", message.c_str());
  if (failures_.size() < kFailuresKept) failures_.push_back(std::move(message));
}

absl::Duration Driver::KillDelay() {
  return absl::Milliseconds(absl::Uniform<double>(
      gen_, absl::ToDoubleMilliseconds(options_.min_kill_delay),
      absl::ToDoubleMilliseconds(options_.max_kill_delay)));
}

absl::StatusOr<Running> Driver::StartDomain(
    const std::string& domain, const std::string& data_dir,
    const std::vector<std::string>& extra, const std::string& token) {
  std::filesystem::create_directories(
      std::filesystem::path(data_dir).parent_path());
  std::vector<std::string> argv = {Binary(domain),
                                   absl::StrCat("--data_dir=", data_dir)};
  for (const std::string& flag : CommonFlags()) argv.push_back(flag);
  for (const std::string& flag : extra) argv.push_back(flag);
  Running running;
  absl::StatusOr<Child> child =
      Child::Start(argv, Log(domain), DomainEnv(data_dir));
  if (!child.ok()) return child.status();
  running.child = *std::move(child);
  absl::StatusOr<int> port = running.child.WaitServing(absl::Seconds(60));
  if (!port.ok()) {
    return absl::Status(port.status().code(),
                        absl::StrCat(domain, " did not start over ", data_dir,
                                     ": ", port.status().message()));
  }
  running.port = *port;
  running.endpoint.channel = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials());
  running.endpoint.token = token;
  std::unique_ptr<Kind> kind = NewKind(domain);
  const grpc::Status prepared = kind->Prepare(running.endpoint);
  if (!prepared.ok()) {
    return absl::InternalError(
        absl::StrCat("preparing ", domain, ": ", prepared.error_message()));
  }
  return running;
}

bool Driver::CheckStore(const std::string& domain, const std::string& data_dir,
                        const std::string& when) {
  ++check_runs_;
  absl::StatusOr<RunResult> run = Run(
      {Binary(domain), absl::StrCat("--data_dir=", data_dir), "--check_store"},
      Log(absl::StrCat(domain, "-check")), absl::Minutes(10));
  if (run.ok() && run->exit_code == 0) return true;
  ++check_failures_;
  Fail(absl::StrCat("--check_store on ", data_dir, " (", when, "): ",
                    run.ok() ? absl::StrCat("exit ", run->exit_code, "\n",
                                            run->output.substr(0, 4000))
                             : run.status().ToString()));
  return false;
}

nlohmann::json Driver::Take(const Counts& counts) {
  for (const std::string& failure : counts.failures) Fail(failure);
  if (counts.failure_count > static_cast<int64_t>(counts.failures.size())) {
    Fail(absl::StrCat(counts.failure_count - counts.failures.size(),
                      " more failures not kept"));
  }
  return {{"writes_acknowledged", counts.acknowledged},
          {"writes_cut_off", counts.cut_off},
          {"cut_off_found_applied", counts.cut_off_present},
          {"cut_off_found_absent", counts.cut_off_absent},
          {"lost", counts.lost},
          {"torn", counts.torn},
          {"create_retries", counts.create_retries},
          {"create_retry_failures", counts.retry_failures},
          {"records_read_back", counts.records_verified},
          {"failures", counts.failure_count}};
}

nlohmann::json Driver::RunServiceCycles(const std::string& domain, int cycles) {
  const absl::Time started = absl::Now();
  const int64_t checks_before = check_runs_;
  const int64_t check_failures_before = check_failures_;
  const std::string data_dir =
      absl::StrCat(options_.work_dir, "/", domain, "/data");
  std::unique_ptr<Kind> kind = NewKind(domain);
  Workload workload(kind.get(), domain.substr(0, 2), options_.writers,
                    options_.seed);
  absl::StatusOr<Running> service = StartDomain(domain, data_dir, {});
  int done = 0;
  int64_t writes_at_kill_min = -1;
  int64_t writes_at_kill_max = 0;
  int64_t kills_writing = 0, kills_stopping = 0, kills_starting = 0;
  int64_t stopped_before_kill = 0;
  int64_t power_losses = 0, wal_bytes_dropped = 0;
  absl::Duration startup = absl::Milliseconds(200);
  FeedFollower follower;
  int64_t feed_changes_checked = 0;
  for (int cycle = 1; cycle <= cycles && service.ok(); ++cycle) {
    workload.Start(service->endpoint);
    // The feed is read while the writers write, up to the kill.
    const absl::Time kill_at = absl::Now() + KillDelay();
    while (absl::Now() < kill_at) {
      (void)follower.Poll(*kind, service->endpoint);
      absl::SleepFor(absl::Milliseconds(5));
    }
    workload.Killing();
    // With the WAL dropped (the self-test), every kill lands mid-write: a
    // stop flushes the store first, so dropping the WAL then loses nothing
    // and the self-test would have no loss to find.
    if (!options_.drop_wal_after_kill && absl::Bernoulli(gen_, 0.2)) {
      // Killed while stopping: SIGTERM lets in-flight calls finish, then
      // the store flushes and closes; the kill falls somewhere in that.
      ++kills_stopping;
      service->child.Signal(SIGTERM);
      absl::SleepFor(absl::Milliseconds(absl::Uniform(gen_, 0, 300)));
    } else {
      ++kills_writing;
    }
    int code = 0;
    if (service->child.Exited(&code)) {
      ++stopped_before_kill;
      if (code != 0)
        Fail(absl::StrCat(domain, " exited ", code, " on SIGTERM"));
    } else {
      service->child.Signal(SIGKILL);
      service->child.Wait();
    }
    workload.Stop();
    const int64_t writes = workload.writes_since_start();
    if (writes_at_kill_min < 0 || writes < writes_at_kill_min)
      writes_at_kill_min = writes;
    writes_at_kill_max = std::max(writes_at_kill_max, writes);

    if (options_.drop_wal_after_kill) DropWal(data_dir);
    if (!options_.sync_tracker.empty() &&
        absl::Bernoulli(gen_, options_.power_loss)) {
      ++power_losses;
      wal_bytes_dropped += LoseUnsyncedWal(data_dir);
    }
    CheckStore(domain, data_dir, absl::StrCat("after kill ", cycle));
    if (absl::Bernoulli(gen_, 0.2)) {
      // Killed again while starting: opening replays the WAL and flushes.
      ++kills_starting;
      absl::StatusOr<Child> child =
          Child::Start({Binary(domain), absl::StrCat("--data_dir=", data_dir),
                        "--listen=127.0.0.1:0", "--metrics_listen=none"},
                       Log(domain), DomainEnv(data_dir));
      if (child.ok()) {
        absl::SleepFor(startup * absl::Uniform(gen_, 0.0, 1.2));
        child->Signal(SIGKILL);
        child->Wait();
      }
      CheckStore(domain, data_dir, absl::StrCat("after start kill ", cycle));
    }
    const absl::Time restart = absl::Now();
    service = StartDomain(domain, data_dir, {});
    if (!service.ok()) break;
    startup = absl::Now() - restart;
    workload.Verify(service->endpoint, cycle == cycles, options_.sample);
    CheckFeed(*kind, service->endpoint, &follower, cycle,
              &feed_changes_checked);
    ++done;
    std::fprintf(stderr, "%s cycle %d/%d: %lld writes before the kill\n",
                 domain.c_str(), cycle, cycles, static_cast<long long>(writes));
  }
  if (!service.ok()) {
    Fail(std::string(service.status().message()));
  } else {
    // A clean stop after the crashes, and a store still consistent.
    service->child.Signal(SIGTERM);
    const int code = service->child.Wait();
    if (code != 0) Fail(absl::StrCat(domain, " exited ", code, " on SIGTERM"));
    CheckStore(domain, data_dir, "after the last cycle's clean stop");
  }
  nlohmann::json out = Take(workload.counts());
  out["cycles"] = done;
  out["writes_before_kill_min"] = writes_at_kill_min;
  out["writes_before_kill_max"] = writes_at_kill_max;
  out["kills_while_writing"] = kills_writing;
  out["kills_while_stopping"] = kills_stopping;
  out["stopped_before_the_kill"] = stopped_before_kill;
  out["kills_while_starting"] = kills_starting;
  out["power_losses"] = power_losses;
  out["unsynced_wal_bytes_dropped"] = wal_bytes_dropped;
  out["feed_changes_checked"] = feed_changes_checked;
  out["feed_reads_across_kills"] = follower.reads;
  out["check_store_runs"] = check_runs_ - checks_before;
  out["check_store_failures"] = check_failures_ - check_failures_before;
  out["seconds"] = absl::ToDoubleSeconds(absl::Now() - started);
  return out;
}

grpc::Status FeedFollower::Poll(Kind& kind, const Endpoint& endpoint) {
  for (bool caught_up = false; !caught_up;) {
    grpc::Status s = kind.ListChanges(endpoint, &position, &seen, &caught_up);
    if (!s.ok()) return s;
    ++reads;
  }
  return grpc::Status::OK;
}

void Driver::CheckFeed(Kind& kind, const Endpoint& endpoint,
                       FeedFollower* follower, int cycle, int64_t* checked) {
  const grpc::Status polled = follower->Poll(kind, endpoint);
  if (!polled.ok()) {
    Fail(absl::StrCat(
        kind.domain(), " cycle ", cycle,
        ": reading the feed on from its position: ", polled.error_message()));
    return;
  }
  FeedFollower whole;
  const grpc::Status read = whole.Poll(kind, endpoint);
  if (!read.ok()) {
    Fail(absl::StrCat(kind.domain(), " cycle ", cycle,
                      ": reading the whole feed: ", read.error_message()));
    return;
  }
  *checked += static_cast<int64_t>(whole.seen.size());
  if (whole.seen == follower->seen) return;
  size_t i = 0;
  while (i < whole.seen.size() && i < follower->seen.size() &&
         whole.seen[i] == follower->seen[i]) {
    ++i;
  }
  Fail(absl::StrCat(
      kind.domain(), " cycle ", cycle, ": the feed read across kills (",
      follower->seen.size(), " changes) differs from the feed read whole (",
      whole.seen.size(), ") at change ", i, ": ",
      i < follower->seen.size() ? follower->seen[i] : "(end)", " against ",
      i < whole.seen.size() ? whole.seen[i] : "(end)"));
  // Go on from the store's truth, so one failure is reported once.
  *follower = whole;
}

}  // namespace parley::crash
