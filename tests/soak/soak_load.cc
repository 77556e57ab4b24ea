// parley-soak-load: the mixed load tests/soak/run keeps up through the
// gateway for as long as it is told, with one line of figures per bucket
// (a minute by default).
//
// Call types, one thread each, each pausing --interval_ms between calls
// (batches and backups less often):
//   create_exchange, create_statement, create_incident   one record a call
//   batch_incidents   BatchCreateIncidents of --batch_size incidents,
//                     every --batch_interval_ms
//   get_incident, update_incident   read an incident of this run's, write
//                     it back changed with the etag read (a stale etag,
//                     another thread having won, is ABORTED and counted)
//   list_incidents    a page of 5
//   report_agreement, report_stalled, report_talks, report_summary
//                     the four reports, in turn, on the seed week
//   backup            AdminService.CreateBackup of each store in turn,
//                     every --backup_every_s (with --admin_token)
// and a change-feed watcher: WatchChanges on incidents, reconnecting from
// its last position when the stream ends; its events and reconnects are
// counted.
//
// A bucket's line: {"bucket", "t" (seconds since start), "calls": {TYPE:
// {"calls", "ok", "failed": {CODE: n}, "p50_ms", "p99_ms", "max_ms"}},
// "watch": {"events", "reconnects", "errors": {CODE: n}}}.
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
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "parley/admin/v1/admin_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "tests/faults/faults_requests.h"
#include "tests/lib/incidents_records.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "the gateway, plaintext");
ABSL_FLAG(std::string, token, "", "an editor's bearer token");
ABSL_FLAG(std::string, admin_token, "",
          "an admin's bearer token, for the backups; none without it");
ABSL_FLAG(int, seconds, 60, "how long to run");
ABSL_FLAG(int, bucket_seconds, 60, "one line of figures per this many s");
ABSL_FLAG(int, interval_ms, 50, "pause after each call, per thread");
ABSL_FLAG(int, batch_size, 50, "incidents per BatchCreateIncidents");
ABSL_FLAG(int, batch_interval_ms, 1000, "pause after each batch");
ABSL_FLAG(int, backup_every_s, 180, "a backup every this many seconds");
ABSL_FLAG(int, deadline_ms, 10000, "deadline of every call");
ABSL_FLAG(std::string, id_prefix, "soak", "created ids start with it");
ABSL_FLAG(std::string, out, "", "the buckets' lines (JSON lines)");

namespace parley::soak {
namespace {

namespace in = ::parley::incidents::v1;
namespace rp = ::parley::reports::v1;
namespace ad = ::parley::admin::v1;
using faults::CodeName;
using nlohmann::json;

void Authorize(grpc::ClientContext* context, const std::string& token) {
  context->set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms)));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

double Percentile(std::vector<double>& ms, double p) {
  if (ms.empty()) return 0;
  const size_t i = std::min(
      ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())));
  std::nth_element(ms.begin(), ms.begin() + static_cast<long>(i), ms.end());
  return ms[i];
}

// Every call's outcome and latency, by type, for the open bucket.
class Figures {
 public:
  void Record(const std::string& type, const grpc::Status& status, double ms) {
    absl::MutexLock lock(&mu_);
    Counts& c = counts_[type];
    if (status.ok()) {
      c.ms.push_back(ms);
    } else {
      ++c.failed[CodeName(status.error_code())];
      // Failures count in the latency too: a slow refusal is slow.
      c.ms.push_back(ms);
    }
    ++c.calls;
  }
  void WatchEvents(int64_t n) {
    absl::MutexLock lock(&mu_);
    watch_events_ += n;
  }
  void WatchEnded(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    ++watch_reconnects_;
    if (!status.ok()) ++watch_errors_[CodeName(status.error_code())];
  }
  // The open bucket's line; a new bucket opens.
  json Close(int bucket, double t) {
    absl::MutexLock lock(&mu_);
    json calls = json::object();
    for (auto& [type, c] : counts_) {
      int64_t failed = 0;
      for (const auto& [code, n] : c.failed) failed += n;
      calls[type] = {
          {"calls", c.calls},
          {"ok", c.calls - failed},
          {"failed", c.failed},
          {"p50_ms", Percentile(c.ms, 0.50)},
          {"p99_ms", Percentile(c.ms, 0.99)},
          {"max_ms",
           c.ms.empty() ? 0.0 : *std::max_element(c.ms.begin(), c.ms.end())}};
    }
    json line = {{"bucket", bucket},
                 {"t", t},
                 {"calls", calls},
                 {"watch",
                  {{"events", watch_events_},
                   {"reconnects", watch_reconnects_},
                   {"errors", watch_errors_}}}};
    counts_.clear();
    watch_events_ = 0;
    watch_reconnects_ = 0;
    watch_errors_.clear();
    return line;
  }

 private:
  struct Counts {
    int64_t calls = 0;
    std::map<std::string, int64_t> failed;
    std::vector<double> ms;
  };
  absl::Mutex mu_;
  std::map<std::string, Counts> counts_ ABSL_GUARDED_BY(mu_);
  int64_t watch_events_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t watch_reconnects_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> watch_errors_ ABSL_GUARDED_BY(mu_);
};

// Times `call` (returning a grpc::Status) and records it as `type`.
template <typename Call>
grpc::Status Timed(Figures& figures, const std::string& type, Call call) {
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = call();
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  figures.Record(type, status, ms);
  return status;
}

class Soak {
 public:
  Soak() {
    channel_ = grpc::CreateChannel(absl::GetFlag(FLAGS_target),
                                   grpc::InsecureChannelCredentials());
    token_ = absl::GetFlag(FLAGS_token);
    prefix_ = absl::GetFlag(FLAGS_id_prefix);
  }

  int Run() {
    const absl::Time end =
        absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_seconds));
    std::vector<std::thread> threads;
    const int interval_ms = absl::GetFlag(FLAGS_interval_ms);
    auto every = [&](auto body, int pause_ms) {
      threads.emplace_back([this, body, end, pause_ms] {
        for (uint64_t n = 0; absl::Now() < end && !stop_.load(); ++n) {
          body(n);
          absl::SleepFor(absl::Milliseconds(pause_ms));
        }
      });
    };
    using faults::StreamKind;
    for (auto [kind, type] : std::vector<std::pair<StreamKind, std::string>>{
             {StreamKind::kExchanges, "create_exchange"},
             {StreamKind::kNegotiations, "create_statement"},
             {StreamKind::kIncidents, "create_incident"},
             {StreamKind::kListIncidents, "list_incidents"}}) {
      auto caller = std::make_shared<faults::Caller>(
          kind, channel_, token_,
          absl::StrCat(prefix_, "-", absl::StrReplaceAll(type, {{"_", "-"}})));
      every(
          [this, caller, type = type](uint64_t n) {
            Timed(figures_, type, [&] {
              return caller
                  ->Call(n, std::chrono::milliseconds(
                                absl::GetFlag(FLAGS_deadline_ms)))
                  .status;
            });
          },
          interval_ms);
    }
    every([this](uint64_t n) { Batch(n); },
          absl::GetFlag(FLAGS_batch_interval_ms));
    every([this](uint64_t n) { Update(n); }, interval_ms);
    every([this](uint64_t n) { Report(n); }, interval_ms);
    threads.emplace_back([this, end] { Watch(end); });
    if (!absl::GetFlag(FLAGS_admin_token).empty()) {
      threads.emplace_back([this, end] { Backups(end); });
    }

    // The buckets' lines, until the end.
    std::ofstream out(absl::GetFlag(FLAGS_out));
    const absl::Time start = absl::Now();
    const absl::Duration bucket =
        absl::Seconds(absl::GetFlag(FLAGS_bucket_seconds));
    for (int b = 1;; ++b) {
      const absl::Time close = start + bucket * b;
      absl::SleepFor(std::min(close, end) - absl::Now());
      const json line =
          figures_.Close(b, absl::ToDoubleSeconds(absl::Now() - start));
      out << line.dump() << "\n" << std::flush;
      if (absl::Now() >= end) break;
    }
    stop_.store(true);
    watch_context_cancel();
    for (std::thread& t : threads) t.join();
    return 0;
  }

 private:
  void Batch(uint64_t n) {
    in::BatchCreateIncidentsRequest request;
    const int size = absl::GetFlag(FLAGS_batch_size);
    for (int i = 0; i < size; ++i) {
      in::CreateIncidentRequest* item = request.add_requests();
      *item->mutable_incident() = ::parley::testing::KhersonShelling();
      const std::string id = absl::StrCat(prefix_, "-batch-", n, "-", i);
      item->set_incident_id(id);
      item->set_request_id(id);
    }
    in::BatchCreateIncidentsResponse response;
    Timed(figures_, "batch_incidents", [&] {
      grpc::ClientContext context;
      Authorize(&context, token_);
      return in::IncidentsService::NewStub(channel_)->BatchCreateIncidents(
          &context, request, &response);
    });
  }

  // Read one of this thread's 20 incidents and write it back changed.
  void Update(uint64_t n) {
    auto stub = in::IncidentsService::NewStub(channel_);
    const std::string id = absl::StrCat(prefix_, "-upd-", n % 20);
    const std::string name = absl::StrCat("incidents/", id);
    if (n < 20) {
      in::CreateIncidentRequest create;
      *create.mutable_incident() = ::parley::testing::TrainStrike();
      create.set_incident_id(id);
      create.set_request_id(id);
      in::Incident made;
      Timed(figures_, "create_incident", [&] {
        grpc::ClientContext context;
        Authorize(&context, token_);
        return stub->CreateIncident(&context, create, &made);
      });
      return;
    }
    in::GetIncidentRequest get;
    get.set_name(name);
    in::Incident incident;
    if (!Timed(figures_, "get_incident", [&] {
           grpc::ClientContext context;
           Authorize(&context, token_);
           return stub->GetIncident(&context, get, &incident);
         }).ok()) {
      return;
    }
    in::UpdateIncidentRequest update;
    *update.mutable_incident() = incident;
    update.mutable_incident()->set_description(
        absl::StrCat("soak revision ", n));
    update.mutable_update_mask()->add_paths("description");
    in::Incident updated;
    Timed(figures_, "update_incident", [&] {
      grpc::ClientContext context;
      Authorize(&context, token_);
      return stub->UpdateIncident(&context, update, &updated);
    });
  }

  void Report(uint64_t n) {
    auto stub = rp::ReportService::NewStub(channel_);
    grpc::ClientContext context;
    Authorize(&context, token_);
    switch (n % 4) {
      case 0: {
        rp::GetAgreementProgressRequest r;
        r.set_agreement("agreements/istanbul-2025");
        r.set_as_of("2026-02-01");
        rp::GetAgreementProgressResponse out;
        Timed(figures_, "report_agreement",
              [&] { return stub->GetAgreementProgress(&context, r, &out); });
        break;
      }
      case 1: {
        rp::ListStalledChannelsRequest r;
        r.set_as_of("2026-02-01");
        rp::ListStalledChannelsResponse out;
        Timed(figures_, "report_stalled",
              [&] { return stub->ListStalledChannels(&context, r, &out); });
        break;
      }
      case 2: {
        rp::GetTalksContextRequest r;
        r.set_round("rounds/uae-2026-01");
        r.set_as_of("2026-02-01");
        rp::GetTalksContextResponse out;
        Timed(figures_, "report_talks",
              [&] { return stub->GetTalksContext(&context, r, &out); });
        break;
      }
      default: {
        rp::GetSummaryRequest r;
        r.set_span("2026-W05");
        r.set_as_of("2026-02-01");
        rp::GetSummaryResponse out;
        Timed(figures_, "report_summary",
              [&] { return stub->GetSummary(&context, r, &out); });
        break;
      }
    }
  }

  // The incidents' change feed, followed from now on as an integrator's
  // copy would: on an end, again from the last position.
  void Watch(absl::Time end) {
    auto stub = in::IncidentsService::NewStub(channel_);
    in::WatchChangesRequest request;
    request.set_from_now(true);
    while (absl::Now() < end && !stop_.load()) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
      {
        absl::MutexLock lock(&watch_mu_);
        watch_context_ = &context;
      }
      auto reader = stub->WatchChanges(&context, request);
      in::WatchChangesResponse response;
      while (reader->Read(&response)) {
        figures_.WatchEvents(response.changes_size());
        if (!response.position().empty()) {
          request.set_after(response.position());
          request.set_from_now(false);
        }
      }
      const grpc::Status status = reader->Finish();
      {
        absl::MutexLock lock(&watch_mu_);
        watch_context_ = nullptr;
      }
      if (stop_.load()) break;
      figures_.WatchEnded(status);
      absl::SleepFor(absl::Milliseconds(200));
    }
  }
  void watch_context_cancel() {
    absl::MutexLock lock(&watch_mu_);
    if (watch_context_ != nullptr) watch_context_->TryCancel();
  }

  void Backups(absl::Time end) {
    auto stub = ad::AdminService::NewStub(channel_);
    const std::vector<std::string> services = {"exchanges", "negotiations",
                                               "incidents"};
    const absl::Duration every =
        absl::Seconds(absl::GetFlag(FLAGS_backup_every_s));
    absl::Time next = absl::Now() + absl::Seconds(5);
    for (size_t i = 0; !stop_.load(); ++i) {
      while (absl::Now() < next && !stop_.load()) {
        absl::SleepFor(absl::Milliseconds(200));
      }
      if (stop_.load() || absl::Now() >= end) break;
      ad::CreateBackupRequest r;
      r.set_service(services[i % services.size()]);
      ad::Backup out;
      Timed(figures_, "backup", [&] {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::minutes(5));
        context.AddMetadata(
            "authorization",
            absl::StrCat("Bearer ", absl::GetFlag(FLAGS_admin_token)));
        return stub->CreateBackup(&context, r, &out);
      });
      next += every / static_cast<int64_t>(services.size());
    }
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
  std::string prefix_;
  Figures figures_;
  std::atomic<bool> stop_{false};
  absl::Mutex watch_mu_;
  grpc::ClientContext* watch_context_ ABSL_GUARDED_BY(watch_mu_) = nullptr;
};

}  // namespace
}  // namespace parley::soak

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_token).empty() || absl::GetFlag(FLAGS_out).empty()) {
    std::fprintf(stderr, "parley-soak-load: --token and --out are needed\n");
    return 2;
  }
  return parley::soak::Soak().Run();
}
