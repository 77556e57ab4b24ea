// Gateway cycles: creates through parley-gateway, the gateway killed while
// they are in flight. Ids are left to the service, so only the request id
// keeps a retry from making a second record.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/server/auth.h"
#include "tests/crash/driver.h"

namespace parley::crash {
namespace {

// What the client knows of each create it sent.
struct Creates {
  absl::Mutex mutex;
  // Request id -> op, for every create sent.
  std::map<std::string, uint64_t> sent ABSL_GUARDED_BY(mutex);
  // Request id -> the record's name, once answered.
  std::map<std::string, std::string> answered ABSL_GUARDED_BY(mutex);
  // Sent, not answered: to retry.
  std::map<std::string, uint64_t> pending ABSL_GUARDED_BY(mutex);
};

}  // namespace

nlohmann::json Driver::RunGatewayCycles(int cycles) {
  const absl::Time started = absl::Now();
  const std::string dir = options_.work_dir + "/gateway";
  std::filesystem::create_directories(dir);
  // The credentials as deployed: a service credential the gateway presents
  // to the service, and an editor's token in the gateway's tokens file.
  const std::string service_token = RandomHex(gen_);
  const std::string editor_token = RandomHex(gen_);
  std::ofstream(dir + "/service-token") << service_token;
  std::ofstream(dir + "/tokens")
      << "# crash driver: <sha256> <role> <name>\n"
      << Sha256Hex(editor_token) << " editor crash-editor\n";
  const std::string service_flag =
      absl::StrCat("--service_token_file=", dir, "/service-token");

  absl::StatusOr<Running> exchanges =
      StartDomain("exchanges", dir + "/data", {service_flag}, service_token);
  if (!exchanges.ok()) {
    Fail(std::string(exchanges.status().message()));
    return {{"cycles", 0}};
  }
  auto start_gateway = [&]() -> absl::StatusOr<Running> {
    std::vector<std::string> argv = {
        Binary("gateway"), "--listen=127.0.0.1:0", "--metrics_listen=none",
        "--plaintext", absl::StrCat("--tokens_file=", dir, "/tokens"),
        service_flag,
        absl::StrCat("--exchanges_address=127.0.0.1:", exchanges->port),
        // Nothing listens on port 1: those sections are never asked for,
        // and the gateway serves without waiting for them.
        "--negotiations_address=127.0.0.1:1", "--incidents_address=127.0.0.1:1",
        "--ready_after_stores=false"};
    Running gateway;
    absl::StatusOr<Child> child = Child::Start(argv, Log("gateway"));
    if (!child.ok()) return child.status();
    gateway.child = *std::move(child);
    absl::StatusOr<int> port = gateway.child.WaitServing(absl::Seconds(30));
    if (!port.ok()) return port.status();
    gateway.port = *port;
    gateway.endpoint.channel = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials());
    gateway.endpoint.token = editor_token;
    return gateway;
  };

  std::unique_ptr<Kind> kind = NewKind("exchanges");
  Creates creates;
  std::atomic<uint64_t> next_op{1};
  int64_t cut_off = 0, retries = 0, refused = 0;
  int done = 0;
  for (int cycle = 1; cycle <= cycles; ++cycle) {
    absl::StatusOr<Running> gateway = start_gateway();
    if (!gateway.ok()) {
      Fail(absl::StrCat("the gateway did not start: ",
                        gateway.status().message()));
      break;
    }
    // Every create the last kill cut off, retried with its request id.
    std::map<std::string, uint64_t> pending;
    {
      absl::MutexLock lock(&creates.mutex);
      pending.swap(creates.pending);
    }
    for (const auto& [request_id, op] : pending) {
      ++retries;
      CallResult result = kind->Create(gateway->endpoint, "", request_id, op);
      absl::MutexLock lock(&creates.mutex);
      if (result.status.ok()) {
        creates.answered[request_id] = result.state.name;
      } else {
        Fail(absl::StrCat("retry of ", request_id, " through the gateway: ",
                          result.status.error_message()));
      }
    }
    std::atomic<bool> stop{false}, killing{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < options_.writers; ++w) {
      writers.emplace_back([&, w] {
        while (!stop.load()) {
          const uint64_t op = next_op.fetch_add(1);
          const std::string request_id =
              absl::StrCat("gw-", options_.seed, "-", w, "-", op);
          {
            absl::MutexLock lock(&creates.mutex);
            creates.sent[request_id] = op;
          }
          CallResult result =
              kind->Create(gateway->endpoint, "", request_id, op);
          absl::MutexLock lock(&creates.mutex);
          if (result.status.ok()) {
            creates.answered[request_id] = result.state.name;
            continue;
          }
          creates.pending[request_id] = op;
          ++cut_off;
          if (!killing.load()) {
            ++refused;
            Fail(absl::StrCat("create ", request_id,
                              " failed with the gateway up: ",
                              result.status.error_message()));
          }
          return;
        }
      });
    }
    absl::SleepFor(KillDelay());
    killing.store(true);
    gateway->child.Signal(SIGKILL);
    gateway->child.Wait();
    stop.store(true);
    for (std::thread& t : writers) t.join();
    ++done;
    std::fprintf(stderr, "gateway cycle %d/%d\n", cycle, cycles);
  }
  // The last kill's creates, retried through a gateway that stays up.
  {
    absl::StatusOr<Running> gateway = start_gateway();
    absl::MutexLock lock(&creates.mutex);
    for (const auto& [request_id, op] : creates.pending) {
      ++retries;
      CallResult result =
          gateway.ok() ? kind->Create(gateway->endpoint, "", request_id, op)
                       : CallResult{grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                                 "no gateway"),
                                    {}};
      if (result.status.ok()) {
        creates.answered[request_id] = result.state.name;
      } else {
        Fail(absl::StrCat("last retry of ", request_id, ": ",
                          result.status.error_message()));
      }
    }
    creates.pending.clear();
  }

  // Each request id is exactly one record, the one its answer named.
  std::vector<RecordState> listed;
  const grpc::Status status = kind->List(exchanges->endpoint, &listed);
  if (!status.ok()) Fail(absl::StrCat("listing: ", status.error_message()));
  std::map<uint64_t, std::vector<std::string>> by_op;
  for (const RecordState& record : listed)
    by_op[record.op].push_back(record.name);
  int64_t duplicates = 0, missing = 0, wrong = 0;
  absl::MutexLock lock(&creates.mutex);
  for (const auto& [request_id, op] : creates.sent) {
    const std::vector<std::string>& names = by_op[op];
    auto answer = creates.answered.find(request_id);
    if (names.size() > 1) {
      ++duplicates;
      Fail(absl::StrCat(request_id, " made ", names.size(), " records"));
    } else if (names.empty()) {
      ++missing;
      Fail(absl::StrCat(request_id, " made no record"));
    } else if (answer == creates.answered.end() ||
               answer->second != names.front()) {
      ++wrong;
      Fail(absl::StrCat(request_id, " was answered with another record than ",
                        names.front()));
    }
  }
  std::set<uint64_t> sent_ops;
  for (const auto& [request_id, op] : creates.sent) sent_ops.insert(op);
  int64_t extra = 0;
  for (const auto& [op, names] : by_op) {
    if (!sent_ops.contains(op)) extra += static_cast<int64_t>(names.size());
  }
  if (extra != 0) Fail(absl::StrCat(extra, " records no request made"));
  exchanges->child.Signal(SIGTERM);
  exchanges->child.Wait();
  CheckStore("exchanges", dir + "/data", "after the gateway cycles");
  return {{"cycles", done},
          {"creates_sent", creates.sent.size()},
          {"creates_answered_first_time",
           creates.sent.size() - static_cast<size_t>(cut_off)},
          {"creates_cut_off", cut_off},
          {"retries", retries},
          {"records", listed.size()},
          {"duplicates", duplicates},
          {"missing", missing},
          {"answered_with_another_record", wrong},
          {"failed_with_gateway_up", refused},
          {"seconds", absl::ToDoubleSeconds(absl::Now() - started)}};
}

}  // namespace parley::crash
