// parley-crash-driver: kills Parley's services with SIGKILL while they write
// (and while they take a backup, and kills the gateway while creates pass
// through it), then checks that nothing acknowledged was lost and nothing
// was half written. tests/crash/run drives it; driver.h says what each
// scenario does.
//
//   parley-crash-driver --bin_dir=build/release --cycles=200 \
//     --gateway_cycles=20 --backup_cycles=10 --register_cycles=40 \
//     --results=out.json
//
// Exit 0 if every check passed, 1 if any failed, 2 on bad flags.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "tests/crash/driver.h"

ABSL_FLAG(std::string, bin_dir, "build/release",
          "build folder holding services/<name>/parley-<name>");
ABSL_FLAG(std::string, work_dir, "",
          "folder for data and logs; default a new one under $TMPDIR, removed "
          "afterwards unless a check failed or --keep_work");
ABSL_FLAG(bool, keep_work, false, "keep the work folder");
ABSL_FLAG(std::string, domains, "exchanges,incidents",
          "domain services to crash, in turn; the cycles are shared");
ABSL_FLAG(int, cycles, 10, "kill cycles of the domain services, in all");
ABSL_FLAG(int, gateway_cycles, 0, "kill cycles of the gateway");
ABSL_FLAG(int, backup_cycles, 0, "kills during a backup");
ABSL_FLAG(int, register_cycles, 0,
          "kills (of the service or the gateway) while clients compare-and-"
          "set a few hot records");
ABSL_FLAG(int, hot_records, 3, "register cycles: the records contended for");
ABSL_FLAG(int, writers, 16, "concurrent writers");
ABSL_FLAG(int, min_kill_ms, 20,
          "the kill comes at least this long after "
          "the writers start");
ABSL_FLAG(int, max_kill_ms, 1200, "... and at most this long");
ABSL_FLAG(int, sample, 50,
          "older records read back after each restart, besides the cycle's");
ABSL_FLAG(uint64_t, seed, 0, "seed for request ids; default the time");
ABSL_FLAG(std::string, results, "", "write the figures here as JSON");
ABSL_FLAG(std::string, sync_tracker, "",
          "the sync tracker library (libparley_crash_sync_tracker.so), "
          "preloaded into the domain services so that a power loss can be "
          "simulated after a kill; default none");
ABSL_FLAG(double, power_loss, 0.3,
          "with --sync_tracker: the share of kills followed by a simulated "
          "power loss (every WAL byte not yet synced dropped)");
ABSL_FLAG(bool, drop_wal_after_kill, false,
          "self-test: delete the store's WAL after each kill, losing "
          "acknowledged writes, which the run must report");

namespace parley::crash {
namespace {

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Kills Parley's services mid-write and checks nothing acknowledged is "
      "lost. See tests/crash/run.");
  absl::ParseCommandLine(argc, argv);
  DriverOptions options;
  options.bin_dir = absl::GetFlag(FLAGS_bin_dir);
  options.domains =
      absl::StrSplit(absl::GetFlag(FLAGS_domains), ',', absl::SkipEmpty());
  options.cycles = absl::GetFlag(FLAGS_cycles);
  options.gateway_cycles = absl::GetFlag(FLAGS_gateway_cycles);
  options.backup_cycles = absl::GetFlag(FLAGS_backup_cycles);
  options.register_cycles = absl::GetFlag(FLAGS_register_cycles);
  options.hot_records = absl::GetFlag(FLAGS_hot_records);
  options.writers = absl::GetFlag(FLAGS_writers);
  options.min_kill_delay = absl::Milliseconds(absl::GetFlag(FLAGS_min_kill_ms));
  options.max_kill_delay = absl::Milliseconds(absl::GetFlag(FLAGS_max_kill_ms));
  options.sample = absl::GetFlag(FLAGS_sample);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.drop_wal_after_kill = absl::GetFlag(FLAGS_drop_wal_after_kill);
  options.sync_tracker = absl::GetFlag(FLAGS_sync_tracker);
  options.power_loss = absl::GetFlag(FLAGS_power_loss);
  if (!options.sync_tracker.empty()) {
    std::error_code error;
    options.sync_tracker =
        std::filesystem::canonical(options.sync_tracker, error).string();
    if (error) {
      std::fprintf(stderr, "--sync_tracker: %s\n", error.message().c_str());
      return 2;
    }
  }
  if (options.seed == 0) options.seed = absl::ToUnixMicros(absl::Now());
  for (const std::string& domain : options.domains) {
    if (NewKind(domain) == nullptr) {
      std::fprintf(stderr, "--domains: no crash workload for \"%s\"\n",
                   domain.c_str());
      return 2;
    }
  }
  if (options.max_kill_delay < options.min_kill_delay || options.writers < 1 ||
      options.cycles < 0 || options.register_cycles < 0 ||
      options.hot_records < 1) {
    std::fprintf(stderr,
                 "bad --min_kill_ms/--max_kill_ms/--writers/--cycles/"
                 "--register_cycles/--hot_records\n");
    return 2;
  }
  options.work_dir = absl::GetFlag(FLAGS_work_dir);
  const bool temporary = options.work_dir.empty();
  if (temporary) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "parley-crash-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 2;
    }
    options.work_dir = pattern;
  }

  const absl::Time started = absl::Now();
  Driver driver(options);
  nlohmann::json results;
  results["seed"] = options.seed;
  results["writers"] = options.writers;
  results["kill_delay_ms"] = {absl::GetFlag(FLAGS_min_kill_ms),
                              absl::GetFlag(FLAGS_max_kill_ms)};
  nlohmann::json& service = results["service"];
  int64_t total_cycles = 0;
  for (size_t i = 0; i < options.domains.size(); ++i) {
    // The cycles shared out, the first domains taking any remainder.
    const int cycles =
        options.cycles / static_cast<int>(options.domains.size()) +
        (static_cast<int>(i) <
                 options.cycles % static_cast<int>(options.domains.size())
             ? 1
             : 0);
    if (cycles == 0) continue;
    nlohmann::json figures =
        driver.RunServiceCycles(options.domains[i], cycles);
    total_cycles += figures["cycles"].get<int64_t>();
    service[options.domains[i]] = std::move(figures);
  }
  // Totals over the domains.
  nlohmann::json totals = nlohmann::json::object();
  for (const auto& [domain, figures] : service.items()) {
    for (const auto& [key, value] : figures.items()) {
      if (!value.is_number_integer() || key.starts_with("writes_before"))
        continue;
      totals[key] = totals.value(key, int64_t{0}) + value.get<int64_t>();
    }
  }
  results["service_totals"] = totals;
  if (options.gateway_cycles > 0) {
    results["gateway"] = driver.RunGatewayCycles(options.gateway_cycles);
  }
  if (options.backup_cycles > 0) {
    results["backup"] = driver.RunBackupCycles(options.backup_cycles);
  }
  if (options.register_cycles > 0) {
    results["register"] = driver.RunRegisterCycles(options.register_cycles);
  }
  results["cycles"] = total_cycles;
  results["seconds"] = absl::ToDoubleSeconds(absl::Now() - started);
  results["failure_count"] = driver.failure_count();
  results["failures"] = driver.failures();
  results["passed"] = driver.failure_count() == 0;

  const std::string text = results.dump(2);
  std::printf("%s\n", text.c_str());
  const std::string path = absl::GetFlag(FLAGS_results);
  if (!path.empty()) std::ofstream(path) << text << "\n";
  if (driver.failure_count() == 0 && temporary &&
      !absl::GetFlag(FLAGS_keep_work)) {
    std::filesystem::remove_all(options.work_dir);
  } else {
    std::fprintf(stderr, "work folder kept: %s\n", options.work_dir.c_str());
  }
  return driver.failure_count() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace parley::crash

int main(int argc, char** argv) { return parley::crash::Main(argc, argv); }
