// Register cycles: no lost updates under compare-and-set. Clients read one
// of a few hot records and write it back with the etag they read, half of
// them through the gateway (each with a token of its own), half straight to
// the service (with the service credential, naming themselves), while the
// service is killed (SIGKILL, or SIGTERM then SIGKILL; a power loss after
// some) and the gateway is killed, each restarted on its port. Every
// update's outcome is kept: acknowledged, refused as stale (ABORTED), or
// cut off (any other end). Then, per record, the history (ListRevisions)
// must be one unbroken chain, as etcd's and Jepsen's register checks ask:
// - revisions 1..N with no gap, the last one what Get returns;
// - every acknowledged update is the revision it was answered as, with the
//   content it sent, right after the revision whose etag it presented;
// - every later revision is an update that was sent (acknowledged, or cut
//   off and so found applied), on the revision it read; none was refused;
// - no two acknowledged updates share a precondition;
// - each revision's actor is its caller's, its time within its call.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

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

// How far a revision's recorded time may lie outside its call (clocks are
// the same machine's; this covers rounding and scheduling).
constexpr absl::Duration kTimeSlack = absl::Milliseconds(500);

enum class Outcome { kAcknowledged, kStale, kCutOff };

// One update a client sent.
struct Attempt {
  std::string id;  // the record's id
  std::string actor;
  uint64_t op = 0;
  // What the client read and presented.
  int64_t read_revision = 0;
  std::string read_etag;
  Outcome outcome = Outcome::kCutOff;
  // The answer, when acknowledged.
  int64_t revision = 0;
  std::string etag;
  absl::Time sent;
  absl::Time ended;
};

struct AttemptLog {
  absl::Mutex mutex;
  std::vector<Attempt> attempts ABSL_GUARDED_BY(mutex);
};

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace

nlohmann::json Driver::RunRegisterCycles(int cycles) {
  const absl::Time started = absl::Now();
  const std::string dir = options_.work_dir + "/register";
  const std::string data_dir = dir + "/data";
  std::filesystem::create_directories(dir);
  const int clients = std::max(2, options_.writers);
  // Credentials as deployed: the service credential, and a token per
  // gateway client, so each update's actor says who sent it.
  const std::string service_token = RandomHex(gen_);
  std::vector<std::string> client_tokens(clients);
  {
    std::ofstream tokens(dir + "/tokens");
    tokens << "# crash driver register cycles: <sha256> <role> <name>\n";
    for (int c = 0; c < clients; c += 2) {
      client_tokens[c] = RandomHex(gen_);
      tokens << Sha256Hex(client_tokens[c]) << " editor register-gw-" << c
             << "\n";
    }
  }
  std::ofstream(dir + "/service-token") << service_token;
  const std::string service_flag =
      absl::StrCat("--service_token_file=", dir, "/service-token");
  // Fixed ports, so a restarted service is where the gateway looks for it.
  const int service_port = FreePort();
  const int gateway_port = FreePort();

  auto start_service = [&]() {
    return StartDomain(
        "exchanges", data_dir,
        {service_flag, absl::StrCat("--listen=127.0.0.1:", service_port)},
        service_token);
  };
  auto start_gateway = [&]() -> absl::StatusOr<Child> {
    absl::StatusOr<Child> child = Child::Start(
        {Binary("gateway"), absl::StrCat("--listen=127.0.0.1:", gateway_port),
         "--metrics_listen=none", "--plaintext",
         absl::StrCat("--tokens_file=", dir, "/tokens"), service_flag,
         absl::StrCat("--exchanges_address=127.0.0.1:", service_port),
         "--negotiations_address=127.0.0.1:1",
         "--incidents_address=127.0.0.1:1", "--ready_after_stores=false"},
        Log("gateway"));
    if (!child.ok()) return child.status();
    absl::StatusOr<int> port = child->WaitServing(absl::Seconds(60));
    if (!port.ok()) return port.status();
    return child;
  };

  std::unique_ptr<Kind> kind = NewKind("exchanges");
  absl::StatusOr<Running> service = start_service();
  if (!service.ok()) {
    Fail(std::string(service.status().message()));
    return {{"cycles", 0}};
  }
  absl::StatusOr<Child> gateway = start_gateway();
  if (!gateway.ok()) {
    Fail(absl::StrCat("the gateway did not start: ",
                      gateway.status().message()));
    return {{"cycles", 0}};
  }
  const Endpoint direct = service->endpoint;  // the channel outlives restarts

  // The hot records, made once; op numbers 1.. are theirs.
  std::vector<std::string> ids;
  std::map<std::string, uint64_t> create_op;
  for (int r = 0; r < options_.hot_records; ++r) {
    const std::string id = absl::StrCat("register-", options_.seed, "-", r);
    const uint64_t op = static_cast<uint64_t>(r) + 1;
    CallResult made =
        kind->Create(direct, id, absl::StrCat("register-create-", id), op);
    if (!made.status.ok()) {
      Fail(absl::StrCat("creating ", id, ": ", made.status.error_message()));
      return {{"cycles", 0}};
    }
    ids.push_back(id);
    create_op[id] = op;
  }
  // A clean restart, so the records are in the store's files and not only
  // in its WAL: the self-test (the WAL deleted after each kill) then loses
  // acknowledged updates, not the records themselves.
  service->child.Signal(SIGTERM);
  if (const int code = service->child.Wait(); code != 0) {
    Fail(absl::StrCat("exchanges exited ", code, " on SIGTERM"));
  }
  service = start_service();
  if (!service.ok()) {
    Fail(std::string(service.status().message()));
    return {{"cycles", 0}};
  }

  AttemptLog log;
  std::atomic<uint64_t> next_op{1000};
  std::atomic<bool> stop{false};
  std::atomic<int64_t> reads_failed{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      const bool through_gateway = c % 2 == 0;
      Endpoint endpoint;
      endpoint.timeout = absl::Seconds(5);
      std::string actor;
      if (through_gateway) {
        endpoint.channel =
            grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port),
                                grpc::InsecureChannelCredentials());
        endpoint.token = client_tokens[c];
        actor = absl::StrCat("register-gw-", c);
      } else {
        endpoint.channel = direct.channel;
        endpoint.token = service_token;
        actor = absl::StrCat("register-direct-", c);
        endpoint.caller = actor;
      }
      absl::BitGen gen;
      while (!stop.load()) {
        const std::string& id = ids[absl::Uniform<size_t>(gen, 0, ids.size())];
        CallResult read = kind->Get(endpoint, id);
        if (!read.status.ok()) {
          ++reads_failed;  // a kill or a restart: try again shortly
          absl::SleepFor(absl::Milliseconds(20));
          continue;
        }
        Attempt attempt;
        attempt.id = id;
        attempt.actor = actor;
        attempt.op = next_op.fetch_add(1);
        attempt.read_revision = read.state.revision;
        attempt.read_etag = read.state.etag;
        attempt.sent = absl::Now();
        CallResult wrote =
            kind->Update(endpoint, id, read.state.etag, attempt.op);
        attempt.ended = absl::Now();
        if (wrote.status.ok()) {
          attempt.outcome = Outcome::kAcknowledged;
          attempt.revision = wrote.state.revision;
          attempt.etag = wrote.state.etag;
        } else if (wrote.status.error_code() == grpc::StatusCode::ABORTED) {
          attempt.outcome = Outcome::kStale;
        } else {
          attempt.outcome = Outcome::kCutOff;
        }
        absl::MutexLock lock(&log.mutex);
        log.attempts.push_back(std::move(attempt));
      }
    });
  }

  int done = 0;
  int64_t service_kills = 0, service_stops = 0, gateway_kills = 0;
  int64_t power_losses = 0;
  for (int cycle = 1; cycle <= cycles; ++cycle) {
    absl::SleepFor(KillDelay());
    const double roll = absl::Uniform<double>(gen_, 0, 1);
    if (roll < 0.3 && !options_.drop_wal_after_kill) {
      ++gateway_kills;
      gateway->Signal(SIGKILL);
      gateway->Wait();
      gateway = start_gateway();
      if (!gateway.ok()) {
        Fail(absl::StrCat("the gateway did not restart: ",
                          gateway.status().message()));
        break;
      }
    } else {
      if (roll < 0.45 && !options_.drop_wal_after_kill) {
        // Killed while stopping: in-flight updates finish or not.
        ++service_stops;
        service->child.Signal(SIGTERM);
        absl::SleepFor(absl::Milliseconds(absl::Uniform(gen_, 0, 300)));
      }
      ++service_kills;
      int code = 0;
      if (!service->child.Exited(&code)) {
        service->child.Signal(SIGKILL);
        service->child.Wait();
      }
      if (options_.drop_wal_after_kill) DropWal(data_dir);
      if (!options_.sync_tracker.empty() &&
          absl::Bernoulli(gen_, options_.power_loss)) {
        ++power_losses;
        LoseUnsyncedWal(data_dir);
      }
      CheckStore("exchanges", data_dir, absl::StrCat("register kill ", cycle));
      service = start_service();
      if (!service.ok()) {
        Fail(std::string(service.status().message()));
        break;
      }
    }
    ++done;
    std::fprintf(stderr, "register cycle %d/%d\n", cycle, cycles);
  }
  // A last stretch with nothing killed, then the clients stop.
  absl::SleepFor(absl::Milliseconds(300));
  stop.store(true);
  for (std::thread& t : threads) t.join();

  // --- the check, per record -------------------------------------------------
  absl::MutexLock lock(&log.mutex);
  std::map<std::string, std::vector<const Attempt*>> by_record;
  for (const Attempt& a : log.attempts) by_record[a.id].push_back(&a);
  int64_t acknowledged = 0, stale = 0, cut_off = 0, cut_off_applied = 0;
  std::set<std::string> broken;  // records whose chain failed a check
  int64_t acked_lost = 0, shared_preconditions = 0;
  int64_t refused_applied = 0, unknown_revisions = 0, wrong_actor = 0;
  int64_t wrong_time = 0, wrong_content = 0, revisions_checked = 0;
  for (const Attempt& a : log.attempts) {
    if (a.outcome == Outcome::kAcknowledged) ++acknowledged;
    if (a.outcome == Outcome::kStale) ++stale;
    if (a.outcome == Outcome::kCutOff) ++cut_off;
  }
  const Endpoint check = service.ok() ? service->endpoint : direct;
  for (const std::string& id : ids) {
    auto broke = [&](const std::string& what) {
      broken.insert(id);
      Fail(absl::StrCat("register ", id, ": ", what));
    };
    std::vector<RevisionState> history;
    const grpc::Status listed = kind->ListRevisions(check, id, &history);
    CallResult now = kind->Get(check, id);
    if (!listed.ok() || !now.status.ok()) {
      broke(absl::StrCat(
          "cannot read it back: ",
          listed.ok() ? now.status.error_message() : listed.error_message()));
      continue;
    }
    revisions_checked += static_cast<int64_t>(history.size());
    std::map<uint64_t, const Attempt*> by_op;
    std::map<std::string, const Attempt*> acked_by_precondition;
    for (const Attempt* a : by_record[id]) {
      by_op[a->op] = a;
      if (a->outcome == Outcome::kAcknowledged) {
        auto [it, fresh] = acked_by_precondition.emplace(a->read_etag, a);
        if (!fresh) {
          ++shared_preconditions;
          broke(absl::StrCat("ops ", it->second->op, " and ", a->op,
                             " were both acknowledged on etag ", a->read_etag));
        }
      }
    }
    // An unbroken chain 1..N, ending where Get is.
    bool chain = !history.empty();
    for (size_t i = 0; chain && i < history.size(); ++i) {
      if (history[i].revision != static_cast<int64_t>(i) + 1) {
        broke(absl::StrCat("revision ", history[i].revision, " at place ",
                           i + 1, " of the history"));
        chain = false;
      }
    }
    if (!chain) continue;
    const RevisionState& last = history.back();
    if (last.state.revision != now.state.revision ||
        last.state.etag != now.state.etag ||
        last.state.content != now.state.content) {
      broke(absl::StrCat("Get says revision ", now.state.revision,
                         ", the history ends at ", last.state.revision));
    }
    if (history.front().state.op != create_op[id]) {
      broke("revision 1 is not its create");
    }
    std::set<uint64_t> applied;
    for (size_t i = 1; i < history.size(); ++i) {
      const RevisionState& rev = history[i];
      const RevisionState& before = history[i - 1];
      auto sender = by_op.find(rev.state.op);
      if (rev.change != "CHANGE_UPDATE" || sender == by_op.end()) {
        ++unknown_revisions;
        broke(absl::StrCat("revision ", rev.revision, " (", rev.change, ", op ",
                           rev.state.op, ") is no update sent"));
        continue;
      }
      const Attempt& a = *sender->second;
      applied.insert(a.op);
      if (a.outcome == Outcome::kStale) {
        ++refused_applied;
        broke(absl::StrCat("op ", a.op,
                           " was refused as stale, yet is "
                           "revision ",
                           rev.revision));
      }
      if (a.outcome == Outcome::kCutOff) ++cut_off_applied;
      if (a.read_revision != before.revision ||
          a.read_etag != before.state.etag) {
        broke(absl::StrCat("op ", a.op, " (revision ", rev.revision,
                           ") presented revision ", a.read_revision,
                           " but follows revision ", before.revision));
      }
      if (a.outcome == Outcome::kAcknowledged &&
          (a.revision != rev.revision || a.etag != rev.state.etag)) {
        broke(absl::StrCat("op ", a.op, " was answered as revision ",
                           a.revision, ", the history has it as ",
                           rev.revision));
      }
      if (rev.state.content != kind->ContentOf(a.op)) {
        ++wrong_content;
        broke(absl::StrCat("revision ", rev.revision,
                           " holds other content than op ", a.op, " sent"));
      }
      if (rev.actor != a.actor) {
        ++wrong_actor;
        broke(absl::StrCat("revision ", rev.revision, " names ", rev.actor,
                           " as its actor; ", a.actor, " sent it"));
      }
      const bool in_call = rev.time >= a.sent - kTimeSlack &&
                           (a.outcome != Outcome::kAcknowledged ||
                            rev.time <= a.ended + kTimeSlack);
      if (!in_call) {
        ++wrong_time;
        broke(absl::StrCat("revision ", rev.revision, " is dated ",
                           absl::FormatTime(rev.time), ", outside its call"));
      }
    }
    for (const Attempt* a : by_record[id]) {
      if (a->outcome == Outcome::kAcknowledged && !applied.contains(a->op)) {
        ++acked_lost;
        broke(absl::StrCat("acknowledged op ", a->op, " (revision ",
                           a->revision, ") is not in the history"));
      }
    }
  }
  if (service.ok()) {
    service->child.Signal(SIGTERM);
    const int code = service->child.Wait();
    if (code != 0) Fail(absl::StrCat("exchanges exited ", code, " on SIGTERM"));
    CheckStore("exchanges", data_dir, "after the register cycles");
  }
  if (gateway.ok()) {
    gateway->Signal(SIGTERM);
    gateway->Wait();
  }
  return {{"cycles", done},
          {"records", ids.size()},
          {"clients", clients},
          {"updates_tried", static_cast<int64_t>(log.attempts.size())},
          {"acknowledged", acknowledged},
          {"refused_stale", stale},
          {"cut_off", cut_off},
          {"cut_off_found_applied", cut_off_applied},
          {"cut_off_found_absent", cut_off - cut_off_applied},
          {"reads_failed_during_kills", reads_failed.load()},
          {"service_kills", service_kills},
          {"killed_while_stopping", service_stops},
          {"power_losses", power_losses},
          {"gateway_kills", gateway_kills},
          {"revisions_checked", revisions_checked},
          {"chains_broken", broken.size()},
          {"acknowledged_lost", acked_lost},
          {"shared_preconditions", shared_preconditions},
          {"refused_yet_applied", refused_applied},
          {"revisions_no_update_sent", unknown_revisions},
          {"wrong_content", wrong_content},
          {"wrong_actor", wrong_actor},
          {"dated_outside_call", wrong_time},
          {"seconds", absl::ToDoubleSeconds(absl::Now() - started)}};
}

}  // namespace parley::crash
