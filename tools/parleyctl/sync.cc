// parleyctl sync --out DIR [--follow] [--kinds k,...]: a local copy of what
// Parley holds, kept current from the change feed (ListChanges,
// WatchChanges).
//
// DIR holds one JSON-lines file per kind (KIND.jsonl, a record per line in
// the API's JSON form, sorted by name: what `export` writes and `import`
// reads) and .parley-sync.json, each service's feed position. The first run
// asks each service for its position now, then takes every record with
// List; later runs apply the changes after the saved positions, deletions
// included. A change older than the copy's revision of its record is
// skipped, so applying a change twice (a run stopped between writing the
// files and the positions) changes nothing. Files are replaced atomically,
// the positions last.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/status.h"
#include "nlohmann/json.hpp"
#include "parley/common/v1/change.pb.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/kinds.h"

// sync --out DIR: the folder the copy is kept in (the flag is chart's too).
ABSL_DECLARE_FLAG(std::string, out);
ABSL_FLAG(bool, follow, false,
          "sync: after catching up, keep watching and applying changes until "
          "Ctrl-C");
ABSL_FLAG(std::string, kinds, "",
          "sync: only these kinds, comma-separated (default all)");

namespace parley::ctl {
namespace {

using ::google::protobuf::Message;
using ::parley::common::v1::Change;

std::atomic<bool> stop_requested{false};
void OnStop(int) { stop_requested.store(true); }

constexpr char kStateFile[] = ".parley-sync.json";

// A record's revision from its JSON (int64 is a string in proto JSON).
int64_t RevisionOf(const nlohmann::json& record) {
  const auto& meta = record.value("metadata", nlohmann::json::object());
  if (!meta.contains("revision")) return 0;
  const auto& r = meta["revision"];
  if (r.is_string()) return std::stoll(r.get<std::string>());
  return r.get<int64_t>();
}

// The copy of one kind: name -> (revision, JSON line).
struct KindCopy {
  std::map<std::string, std::pair<int64_t, std::string>> records;
  bool dirty = false;
};

class Sync {
 public:
  Sync(Client& client, std::string dir, std::vector<const Kind*> kinds)
      : client_(client), dir_(std::move(dir)), kinds_(std::move(kinds)) {
    for (const Kind* k : kinds_) services_.insert(k->service);
  }

  int Run(bool follow) {
    if (!LoadState()) return kFailed;
    for (const Kind* k : kinds_) {
      if (!LoadKind(*k)) return kNoFile;
    }
    for (const std::string& service : services_) {
      // A position holds for the kinds it was kept with: another --kinds,
      // or a kind's file gone, takes that service's kinds afresh.
      const bool current = positions_.contains(service) &&
                           saved_kinds_[service] == KindsOf(service) &&
                           !missing_.contains(service);
      const absl::Status s = current ? CatchUp(service) : Bootstrap(service);
      if (!s.ok()) return Fail(service, s);
      if (!Save()) return kFailed;
    }
    std::fprintf(stderr, "sync: %s is current (%s)\n", dir_.c_str(),
                 Counts().c_str());
    if (!follow) return kOk;
    return Follow();
  }

 private:
  int Fail(const std::string& service, const absl::Status& s) {
    std::fprintf(stderr, "sync: %s: %s\n", service.c_str(),
                 s.ToString().c_str());
    if (s.code() == absl::StatusCode::kFailedPrecondition) {
      std::fprintf(stderr,
                   "sync: remove %s/%s to take a fresh copy of everything\n",
                   dir_.c_str(), kStateFile);
    }
    return ExitCodeFor(s);
  }

  std::string Counts() const {
    std::string out;
    for (const Kind* k : kinds_) {
      absl::StrAppend(&out, out.empty() ? "" : ", ", k->collection, " ",
                      copies_.at(k->collection).records.size());
    }
    return out;
  }

  std::string PathOf(const std::string& file) const {
    return absl::StrCat(dir_, "/", file);
  }

  bool LoadState() {
    std::ifstream in(PathOf(kStateFile));
    if (!in) return true;  // a first run
    std::stringstream text;
    text << in.rdbuf();
    auto state = nlohmann::json::parse(text.str(), nullptr, false);
    if (state.is_discarded() || !state.contains("positions")) {
      std::fprintf(stderr, "sync: %s is not a sync state file\n",
                   PathOf(kStateFile).c_str());
      return false;
    }
    for (const auto& [service, position] : state["positions"].items()) {
      positions_[service] = position.get<std::string>();
    }
    const nlohmann::json saved = state.value("kinds", nlohmann::json::object());
    for (const auto& [service, kinds] : saved.items()) {
      saved_kinds_[service] = kinds.get<std::set<std::string>>();
    }
    return true;
  }

  std::set<std::string> KindsOf(const std::string& service) const {
    std::set<std::string> out;
    for (const Kind* k : kinds_) {
      if (k->service == service) out.insert(k->collection);
    }
    return out;
  }

  bool LoadKind(const Kind& kind) {
    KindCopy& copy = copies_[kind.collection];
    std::ifstream in(PathOf(kind.collection + ".jsonl"));
    if (!in) {
      missing_.insert(kind.service);
      return true;
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty()) continue;
      auto record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded() || !record.contains("metadata")) {
        std::fprintf(stderr, "sync: %s.jsonl:%d is not a record\n",
                     kind.collection.c_str(), number);
        return false;
      }
      const std::string name = record["metadata"].value("name", "");
      copy.records[name] = {RevisionOf(record), line};
    }
    return true;
  }

  // Every record of the service's kinds as of a position taken first, so
  // that changes during the listing are applied after it.
  absl::Status Bootstrap(const std::string& service) {
    auto now = NewMessage(PackageOf(service) + ".ListChangesRequest");
    now->GetReflection()->SetBool(
        now.get(), now->GetDescriptor()->FindFieldByName("from_now"), true);
    auto head = client_.Call(service, "ListChanges", *now);
    if (!head.ok()) return head.status();
    const std::string position = (*head)->GetReflection()->GetString(
        **head, (*head)->GetDescriptor()->FindFieldByName("position"));
    for (const Kind* k : kinds_) {
      if (k->service != service) continue;
      KindCopy& copy = copies_[k->collection];
      copy.records.clear();
      copy.dirty = true;
      auto request = NewMessage(k->package + ".List" + k->plural + "Request");
      const auto* d = request->GetDescriptor();
      request->GetReflection()->SetInt32(request.get(),
                                         d->FindFieldByName("page_size"), 500);
      while (true) {
        auto page = client_.Call(service, "List" + k->plural, *request);
        if (!page.ok()) return page.status();
        const Message& p = **page;
        const auto* items = p.GetDescriptor()->field(0);
        for (int i = 0; i < p.GetReflection()->FieldSize(p, items); ++i) {
          Put(copy, p.GetReflection()->GetRepeatedMessage(p, items, i));
        }
        const std::string next = p.GetReflection()->GetString(
            p, p.GetDescriptor()->FindFieldByName("next_page_token"));
        if (next.empty()) break;
        request->GetReflection()->SetString(
            request.get(), d->FindFieldByName("page_token"), next);
      }
    }
    positions_[service] = position;
    saved_kinds_[service] = KindsOf(service);
    return CatchUp(service);
  }

  void Put(KindCopy& copy, const Message& record) {
    const std::string json = ToJson(record, false);
    auto parsed = nlohmann::json::parse(json);
    copy.records[parsed["metadata"].value("name", "")] = {RevisionOf(parsed),
                                                          json};
    copy.dirty = true;
  }

  // Applies the changes after the service's position, page by page.
  absl::Status CatchUp(const std::string& service) {
    auto request = NewMessage(PackageOf(service) + ".ListChangesRequest");
    const auto* d = request->GetDescriptor();
    const auto* r = request->GetReflection();
    r->SetInt32(request.get(), d->FindFieldByName("page_size"), 1000);
    for (const Kind* k : kinds_) {
      if (k->service == service) {
        r->AddString(request.get(), d->FindFieldByName("kinds"), k->collection);
      }
    }
    while (!stop_requested.load()) {
      r->SetString(request.get(), d->FindFieldByName("after"),
                   positions_[service]);
      auto page = client_.Call(service, "ListChanges", *request);
      if (!page.ok()) return page.status();
      RETURN_IF_ERROR(ApplyPage(service, **page));
      const Message& p = **page;
      if (p.GetReflection()->GetBool(
              p, p.GetDescriptor()->FindFieldByName("caught_up"))) {
        break;
      }
    }
    return absl::OkStatus();
  }

  // A ListChanges or WatchChanges reply: its changes, then its position.
  absl::Status ApplyPage(const std::string& service, const Message& page) {
    const auto* d = page.GetDescriptor();
    const auto* changes = d->FindFieldByName("changes");
    for (int i = 0; i < page.GetReflection()->FieldSize(page, changes); ++i) {
      Change change;
      change.ParseFromString(page.GetReflection()
                                 ->GetRepeatedMessage(page, changes, i)
                                 .SerializeAsString());
      RETURN_IF_ERROR(Apply(change));
    }
    positions_[service] =
        page.GetReflection()->GetString(page, d->FindFieldByName("position"));
    return absl::OkStatus();
  }

  absl::Status Apply(const Change& change) {
    auto it = copies_.find(change.kind());
    if (it == copies_.end()) return absl::OkStatus();
    KindCopy& copy = it->second;
    auto held = copy.records.find(change.name());
    const int64_t have = held == copy.records.end() ? 0 : held->second.first;
    if (change.operation() == Change::OPERATION_DELETED) {
      if (held != copy.records.end() && have <= change.tombstone().revision()) {
        copy.records.erase(held);
        copy.dirty = true;
      }
      return absl::OkStatus();
    }
    // The copy already has this revision or a later one (taken by List).
    if (change.revision() <= have) return absl::OkStatus();
    const std::string type = std::string(
        absl::StripPrefix(change.record().type_url(), "type.googleapis.com/"));
    auto record = NewMessage(type);
    if (record == nullptr || !change.record().UnpackTo(record.get())) {
      return absl::DataLossError(
          absl::StrCat("the change of ", change.name(), " cannot be read"));
    }
    Put(copy, *record);
    ++applied_;
    return absl::OkStatus();
  }

  // Writes each changed kind's file, then the positions, each atomically.
  bool Save() {
    for (auto& [collection, copy] : copies_) {
      if (!copy.dirty) continue;
      std::string text;
      for (const auto& [name, record] : copy.records) {
        absl::StrAppend(&text, record.second, "\n");
      }
      if (!WriteAtomically(collection + ".jsonl", text)) return false;
      copy.dirty = false;
    }
    nlohmann::json state;
    state["positions"] = positions_;
    state["kinds"] = saved_kinds_;
    state["saved"] =
        absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone());
    return WriteAtomically(kStateFile, state.dump(1) + "\n");
  }

  bool WriteAtomically(const std::string& file, const std::string& text) {
    const std::string path = PathOf(file);
    const std::string temporary = path + ".tmp";
    // Written and synced before it replaces the old file, and the folder
    // synced after: a power loss leaves the old file or the new, and the
    // positions (written last) never ahead of the records.
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < text.size();) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      ok = n > 0;
      if (ok) done += static_cast<size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    if (fd >= 0) ok = ::close(fd) == 0 && ok;
    if (!ok) {
      std::fprintf(stderr, "sync: cannot write %s: %s\n", temporary.c_str(),
                   std::strerror(errno));
      return false;
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
      std::fprintf(stderr, "sync: cannot replace %s\n", path.c_str());
      return false;
    }
    const int dir = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
      (void)::fsync(dir);
      ::close(dir);
    }
    return true;
  }

  // Watches each service in turn of a thread, saving after each message;
  // reconnects (from the saved position) when a stream ends.
  int Follow() {
    std::signal(SIGINT, OnStop);
    std::signal(SIGTERM, OnStop);
    std::fprintf(stderr, "sync: following (Ctrl-C to stop)\n");
    std::vector<std::thread> watchers;
    absl::Mutex mu;
    int failed = kOk;
    for (const std::string& service : services_) {
      watchers.emplace_back([&, service] {
        absl::Duration backoff = absl::Milliseconds(200);
        while (!stop_requested.load()) {
          auto request =
              NewMessage(PackageOf(service) + ".WatchChangesRequest");
          const auto* d = request->GetDescriptor();
          {
            absl::MutexLock lock(&mu);
            request->GetReflection()->SetString(request.get(),
                                                d->FindFieldByName("after"),
                                                positions_[service]);
          }
          for (const Kind* k : kinds_) {
            if (k->service == service) {
              request->GetReflection()->AddString(
                  request.get(), d->FindFieldByName("kinds"), k->collection);
            }
          }
          absl::Status applied;
          const absl::Status ended = client_.Stream(
              service, "WatchChanges", *request,
              [&](const Message& reply) {
                absl::MutexLock lock(&mu);
                applied = ApplyPage(service, reply);
                if (!applied.ok()) return false;
                if (!Save()) {
                  // The copy cannot be written: stop, do not reconnect.
                  applied = absl::DataLossError(
                      absl::StrCat("cannot write the copy in ", dir_));
                  return false;
                }
                backoff = absl::Milliseconds(200);
                return true;
              },
              [] { return stop_requested.load(); });
          if (stop_requested.load()) break;
          const absl::Status s = applied.ok() ? ended : applied;
          if (s.code() == absl::StatusCode::kFailedPrecondition ||
              s.code() == absl::StatusCode::kInvalidArgument ||
              s.code() == absl::StatusCode::kUnauthenticated ||
              s.code() == absl::StatusCode::kPermissionDenied ||
              s.code() == absl::StatusCode::kDataLoss) {
            absl::MutexLock lock(&mu);
            failed = Fail(service, s);
            stop_requested.store(true);
            break;
          }
          std::fprintf(stderr, "sync: %s: %s; reconnecting\n", service.c_str(),
                       s.ok() ? "stream ended" : s.ToString().c_str());
          absl::SleepFor(backoff);
          backoff = std::min(backoff * 2, absl::Seconds(10));
        }
      });
    }
    for (auto& t : watchers) t.join();
    if (failed != kOk) return failed;
    std::fprintf(stderr, "sync: stopped; %s is current as of its positions\n",
                 dir_.c_str());
    return kOk;
  }

  static std::string PackageOf(const std::string& service) {
    return service.substr(0, service.rfind('.'));
  }

  Client& client_;
  const std::string dir_;
  const std::vector<const Kind*> kinds_;
  std::set<std::string> services_;
  std::map<std::string, std::string> positions_;
  // The kinds each position was kept with.
  std::map<std::string, std::set<std::string>> saved_kinds_;
  // Services a kind file of which is missing.
  std::set<std::string> missing_;
  std::map<std::string, KindCopy> copies_;
  int64_t applied_ = 0;
};

}  // namespace

int SyncCopy(Client& client, const std::vector<std::string>& args) {
  const std::string dir = absl::GetFlag(FLAGS_out);
  if (dir.empty() || !args.empty()) {
    std::fprintf(
        stderr, "usage: parleyctl sync --out DIR [--follow] [--kinds k,...]\n");
    return kUsage;
  }
  std::vector<const Kind*> kinds;
  const std::string wanted = absl::GetFlag(FLAGS_kinds);
  if (wanted.empty()) {
    for (const Kind& k : Kinds()) kinds.push_back(&k);
  } else {
    for (absl::string_view name : absl::StrSplit(wanted, ',')) {
      const Kind* k = KindOf(name);
      if (k == nullptr || k->collection != name) {
        std::fprintf(stderr, "sync: unknown kind \"%s\" (%s)\n",
                     std::string(name).c_str(), KindNames().c_str());
        return kUsage;
      }
      kinds.push_back(k);
    }
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    std::fprintf(stderr, "sync: cannot make %s: %s\n", dir.c_str(),
                 error.message().c_str());
    return kNoFile;
  }
  std::signal(SIGINT, OnStop);
  return Sync(client, dir, kinds).Run(absl::GetFlag(FLAGS_follow));
}

}  // namespace parley::ctl
