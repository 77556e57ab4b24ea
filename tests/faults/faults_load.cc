// parley-faults-load: the load tests/faults/run keeps up through the
// gateway while it stops, kills, pauses and starves the services under it,
// counting every call's outcome by phase.
//
// Streams (--streams=exchanges:2,negotiations:2,incidents:2,summary:1) each
// run that many threads; each thread makes one call, waits --interval_ms,
// makes the next. Phases are named on the control FIFO (--control): a line
// "phase NAME" closes the current phase (its counts go to --out as one JSON
// line) and opens the next; "ledger PATH" lists the creates from then on in
// PATH; "quit" (or end of input) closes the phase and exits.
// --live is rewritten every 250 ms with the open phase's counts, for the
// script to wait on ("the first RESOURCE_EXHAUSTED", "the first OK again").
// Every create's outcome goes to --ledger ("<name> <CODE>"), which
// --verify=LEDGER reads back: every acknowledged record must be there, and
// every one refused as RESOURCE_EXHAUSTED or INVALID_ARGUMENT must not.
//
// A phase's line: {"phase", "seconds", "streams": {NAME: {"calls", "ok",
// "failed": {CODE: n}, "ok_ms": {"p50", "max"}, "failed_ms": {CODE: {"p50",
// "min", "max"}}, "first_error": {CODE: message}, and for the summary
// "complete" and "missing": {service: n}}}}.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "tests/faults/faults_requests.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "the gateway, plaintext");
ABSL_FLAG(std::string, token, "", "an editor's bearer token");
ABSL_FLAG(std::string, streams,
          "exchanges:1,negotiations:1,incidents:1,summary:1",
          "NAME:THREADS,...: exchanges, negotiations, incidents (creates), "
          "summary (GetSummary), list_incidents (a page of 5)");
ABSL_FLAG(int, deadline_ms, 2000, "deadline of every call");
ABSL_FLAG(int, interval_ms, 20, "pause after each call, per thread");
ABSL_FLAG(std::string, id_prefix, "load", "created ids are <prefix>-<n>");
ABSL_FLAG(std::string, control, "", "FIFO of commands: phase NAME, quit");
ABSL_FLAG(std::string, out, "", "closed phases, one JSON line each");
ABSL_FLAG(std::string, live, "", "the open phase's counts, rewritten");
ABSL_FLAG(std::string, ledger, "", "every create: <name> <CODE>");
ABSL_FLAG(std::string, verify, "",
          "instead of a load: read back every record of this ledger");

namespace parley::faults {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

json Spread(std::vector<double> ms) {
  if (ms.empty()) return json::object();
  std::sort(ms.begin(), ms.end());
  return {{"n", ms.size()},
          {"min", ms.front()},
          {"p50", ms[ms.size() / 2]},
          {"max", ms.back()}};
}

// One stream's counts within one phase.
struct StreamCounts {
  int64_t ok = 0;
  std::vector<double> ok_ms;
  std::map<std::string, std::vector<double>> failed_ms;
  std::map<std::string, std::string> first_error;
  int64_t complete = 0;
  std::map<std::string, int64_t> missing;

  json ToJson(bool report) const {
    json failed = json::object(), failed_spread = json::object();
    int64_t calls = ok;
    for (const auto& [code, ms] : failed_ms) {
      failed[code] = ms.size();
      failed_spread[code] = Spread(ms);
      calls += static_cast<int64_t>(ms.size());
    }
    json j = {{"calls", calls},
              {"ok", ok},
              {"failed", failed},
              {"ok_ms", Spread(ok_ms)},
              {"failed_ms", failed_spread},
              {"first_error", first_error}};
    if (report) {
      j["complete"] = complete;
      j["missing"] = missing;
    }
    return j;
  }
};

class Load {
 public:
  Load(std::vector<std::pair<StreamKind, int>> streams)
      : streams_(std::move(streams)), started_(Clock::now()) {
    const std::string ledger = absl::GetFlag(FLAGS_ledger);
    if (!ledger.empty()) ledger_.open(ledger, std::ios::app);
  }

  void Record(StreamKind kind, const Outcome& outcome, double ms) {
    absl::MutexLock lock(&mu_);
    StreamCounts& c = counts_[StreamName(kind)];
    if (outcome.status.ok()) {
      ++c.ok;
      c.ok_ms.push_back(ms);
      if (kind == StreamKind::kSummary) {
        if (outcome.missing_services.empty()) ++c.complete;
        for (const auto& s : outcome.missing_services) ++c.missing[s];
      }
    } else {
      const std::string code = CodeName(outcome.status.error_code());
      c.failed_ms[code].push_back(ms);
      c.first_error.emplace(code,
                            outcome.status.error_message().substr(0, 300));
    }
    if (Creates(kind) && ledger_.is_open()) {
      ledger_ << outcome.name << " " << CodeName(outcome.status.error_code())
              << "\n";
    }
  }

  // The open phase as JSON.
  json Snapshot() {
    absl::MutexLock lock(&mu_);
    return SnapshotLocked();
  }

  // Creates from now on are listed in `path`.
  void SwitchLedger(const std::string& path) {
    absl::MutexLock lock(&mu_);
    ledger_.close();
    ledger_.open(path, std::ios::app);
  }

  // Closes the open phase (written to --out) and opens `next`.
  void NextPhase(const std::string& next) {
    absl::MutexLock lock(&mu_);
    const json closed = SnapshotLocked();
    if (!phase_.empty()) {
      std::ofstream out(absl::GetFlag(FLAGS_out), std::ios::app);
      out << closed.dump() << "\n";
    }
    if (ledger_.is_open()) ledger_.flush();
    phase_ = next;
    started_ = Clock::now();
    counts_.clear();
  }

 private:
  json SnapshotLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    json streams = json::object();
    for (const auto& [kind, threads] : streams_) {
      const auto it = counts_.find(StreamName(kind));
      streams[StreamName(kind)] =
          (it == counts_.end() ? StreamCounts() : it->second)
              .ToJson(kind == StreamKind::kSummary);
    }
    return {{"phase", phase_},
            {"seconds",
             std::chrono::duration<double>(Clock::now() - started_).count()},
            {"streams", streams}};
  }

  const std::vector<std::pair<StreamKind, int>> streams_;
  absl::Mutex mu_;
  std::string phase_ ABSL_GUARDED_BY(mu_);
  Clock::time_point started_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, StreamCounts> counts_ ABSL_GUARDED_BY(mu_);
  std::ofstream ledger_ ABSL_GUARDED_BY(mu_);
};

// `unique`: callers with different numbers get their own connections, as
// separate clients would.
std::shared_ptr<grpc::Channel> Connect(int unique) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.faults_load.unique", unique);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                   grpc::InsecureChannelCredentials(), args);
}

std::vector<std::pair<StreamKind, int>> ParseStreams(const std::string& spec) {
  std::vector<std::pair<StreamKind, int>> streams;
  for (absl::string_view part : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::vector<std::string> name_threads = absl::StrSplit(part, ':');
    int threads = 1;
    const auto kind = ParseStream(name_threads[0]);
    if (!kind.has_value() || (name_threads.size() > 1 &&
                              !absl::SimpleAtoi(name_threads[1], &threads))) {
      std::fprintf(stderr, "parley-faults-load: bad --streams part \"%s\"\n",
                   std::string(part).c_str());
      std::exit(2);
    }
    streams.emplace_back(*kind, threads);
  }
  return streams;
}

int RunLoad() {
  const auto streams = ParseStreams(absl::GetFlag(FLAGS_streams));
  Load load(streams);
  load.NextPhase("start");
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto deadline =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms));
  const auto interval =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_interval_ms));
  int index = 0;
  for (const auto& [kind, count] : streams) {
    for (int t = 0; t < count; ++t, ++index) {
      threads.emplace_back([&, kind = kind, index] {
        Caller caller(kind, Connect(index), absl::GetFlag(FLAGS_token),
                      absl::StrCat(absl::GetFlag(FLAGS_id_prefix), "-",
                                   std::string(1, StreamName(kind)[0]), index));
        for (uint64_t n = 0; !stop.load(); ++n) {
          const auto start = Clock::now();
          const Outcome outcome = caller.Call(n, deadline);
          load.Record(
              kind, outcome,
              std::chrono::duration<double, std::milli>(Clock::now() - start)
                  .count());
          std::this_thread::sleep_for(interval);
        }
      });
    }
  }
  std::thread live([&] {
    const std::string path = absl::GetFlag(FLAGS_live);
    while (!stop.load() && !path.empty()) {
      {
        std::ofstream out(path + ".tmp", std::ios::trunc);
        out << load.Snapshot().dump() << "\n";
      }
      std::rename((path + ".tmp").c_str(), path.c_str());
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  });
  std::ifstream control(absl::GetFlag(FLAGS_control));
  std::string line;
  while (std::getline(control, line)) {
    if (line.rfind("phase ", 0) == 0) {
      load.NextPhase(line.substr(6));
    } else if (line.rfind("ledger ", 0) == 0) {
      load.SwitchLedger(line.substr(7));
    } else if (line == "quit") {
      break;
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  live.join();
  load.NextPhase("");
  return 0;
}

// Reads back every record of the ledger: 0 if all is as acknowledged.
int Verify() {
  std::ifstream ledger(absl::GetFlag(FLAGS_verify));
  auto channel = Connect(0);
  std::map<std::string, std::string> last;  // name -> its last outcome
  std::string name, code;
  while (ledger >> name >> code) {
    // A retry's OK wins over an earlier failure of the same create.
    if (last[name] != "OK") last[name] = code;
  }
  json result = {{"acknowledged", 0}, {"acknowledged_missing", 0},
                 {"refused", 0},      {"refused_present", 0},
                 {"undetermined", 0}, {"undetermined_present", 0},
                 {"unreadable", 0}};
  std::vector<std::string> problems;
  for (const auto& [record, outcome] : last) {
    const grpc::Status read =
        ReadBack(channel, absl::GetFlag(FLAGS_token), record);
    const bool present = read.ok();
    if (!read.ok() && read.error_code() != grpc::StatusCode::NOT_FOUND) {
      result["unreadable"] = result["unreadable"].get<int>() + 1;
      problems.push_back(
          absl::StrCat(record, ": unreadable: ", read.error_message()));
      continue;
    }
    const auto bump = [&](const char* key) {
      result[key] = result[key].get<int>() + 1;
    };
    if (outcome == "OK") {
      bump("acknowledged");
      if (!present) {
        bump("acknowledged_missing");
        problems.push_back(absl::StrCat(record, ": acknowledged, missing"));
      }
    } else if (outcome == "RESOURCE_EXHAUSTED" ||
               outcome == "INVALID_ARGUMENT") {
      bump("refused");
      if (present) {
        bump("refused_present");
        problems.push_back(
            absl::StrCat(record, ": refused (", outcome, "), present"));
      }
    } else {
      // Cut off (UNAVAILABLE, DEADLINE_EXCEEDED...): either is right.
      bump("undetermined");
      if (present) bump("undetermined_present");
    }
  }
  result["problems"] = problems;
  std::printf("%s\n", result.dump().c_str());
  return problems.empty() ? 0 : 1;
}

}  // namespace
}  // namespace parley::faults

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_verify).empty()) return parley::faults::Verify();
  if (absl::GetFlag(FLAGS_control).empty() ||
      absl::GetFlag(FLAGS_out).empty()) {
    std::fprintf(stderr,
                 "parley-faults-load: --control and --out are needed\n");
    return 2;
  }
  return parley::faults::RunLoad();
}
