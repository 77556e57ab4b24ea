// parleyctl import: records from files (JSON lines, tidy CSV, ACLED and
// UCDP GED exports) into Parley through the gateway, in batches of up to
// 1,000 (BatchCreate<Kinds>, BatchUpdateIncidents for dataset rows), a few
// in flight at once. A row that cannot be read or is refused is reported
// with its file and line; the rest load. A progress line shows records,
// records per second and the time left; Ctrl-C stops after the batches in
// flight, and running the same command again resumes (request ids and
// whole-record puts make it idempotent).
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <deque>
#include <map>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/batch.h"
#include "common/base/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "parley/common/v1/batch.pb.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/import_source.h"

ABSL_DECLARE_FLAG(std::string, format);
ABSL_FLAG(int, batch_size, 1000, "import: records per batch call (1..1000)");
ABSL_FLAG(int, in_flight, 4, "import: batch calls in flight at once");
ABSL_FLAG(bool, delete_missing, false,
          "import of a dataset (acled, ucdp-ged): afterwards delete the "
          "dataset's records of the files' countries whose ids the files no "
          "longer hold (the files must hold the whole dataset for those "
          "countries)");
ABSL_FLAG(std::string, dataset_version, "",
          "import of a dataset: the export's version, kept in each record's "
          "provenance (default: the file's name)");

namespace parley::ctl {
namespace {

using common::v1::BatchResult;

// A batch call's bytes stay well inside the gateway's message limit.
constexpr size_t kMaxBatchBytes = 4 << 20;

std::atomic<bool> interrupted{false};

void OnInterrupt(int) { interrupted.store(true); }

// Records of one kind and method, on their way in one call.
struct Batch {
  const Kind* kind = nullptr;
  bool put = false;
  std::vector<ImportRecord> records;
  size_t bytes = 0;
};

struct Counts {
  int64_t read = 0;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t already = 0;
  int64_t deleted = 0;
  int64_t refused = 0;
  int64_t stored() const { return created + updated + unchanged + already; }
};

// What a refused record's error says, its field paths without the batch's
// "requests[i]." (the line names the record).
// The results of a batch reply, read from its bytes (field `number`) and
// nothing else: the records it carries back are not needed here, and
// parsing a thousand of them cost the import a sixth of its CPU.
absl::StatusOr<std::vector<BatchResult>> ReadResults(absl::string_view reply,
                                                     int number) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(reply.data()),
      static_cast<int>(reply.size()));
  std::vector<BatchResult> results;
  while (true) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (WireFormatLite::GetTagFieldNumber(tag) != number ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) break;
      continue;
    }
    uint32_t length = 0;
    // A length past the reply's end is a cut reply (PushLimit would let the
    // parse run on to the end instead).
    if (!in.ReadVarint32(&length) ||
        length > reply.size() - static_cast<size_t>(in.CurrentPosition())) {
      return absl::DataLossError("unreadable reply");
    }
    const auto limit = in.PushLimit(static_cast<int>(length));
    if (!results.emplace_back().ParseFromCodedStream(&in) ||
        !in.ConsumedEntireMessage()) {
      return absl::DataLossError("unreadable reply");
    }
    in.PopLimit(limit);
  }
  if (!in.ConsumedEntireMessage() ||
      in.CurrentPosition() != static_cast<int>(reply.size())) {
    return absl::DataLossError("unreadable reply");
  }
  return results;
}

std::string ErrorText(const common::v1::BatchError& error) {
  std::string text = absl::StrCat(error.code(), ": ", error.message());
  for (const auto& v : error.field_violations()) {
    std::string field = v.field();
    if (absl::StartsWith(field, "requests[")) {
      field = field.substr(field.find("].") + 2);
    }
    absl::StrAppend(&text, "\n    ", field, ": ", v.description());
  }
  return text;
}

class Importer {
 public:
  explicit Importer(Client& client) : client_(client) {}

  int Run(const std::vector<std::string>& files) {
    std::string format = absl::GetFlag(FLAGS_format);
    if (format.empty()) format = "jsonl";
    SourceOptions options{absl::GetFlag(FLAGS_dataset_version)};
    batch_size_ =
        std::clamp(absl::GetFlag(FLAGS_batch_size), 1, kMaxBatchRequests);
    // Open every file first: a missing one stops the import before it
    // starts.
    std::vector<std::unique_ptr<RecordSource>> sources;
    for (const std::string& file : files) {
      auto source = OpenSource(format, file, options);
      if (!source.ok()) {
        std::fprintf(stderr, "import: %s\n",
                     std::string(source.status().message()).c_str());
        return absl::IsNotFound(source.status()) ? kNoFile : kUsage;
      }
      total_bytes_ += (*source)->size();
      sources.push_back(*std::move(source));
    }
    const bool delete_missing = absl::GetFlag(FLAGS_delete_missing);
    if (delete_missing && sources.front()->dataset().empty()) {
      std::fprintf(stderr,
                   "import: --delete_missing is for datasets (--format acled "
                   "or ucdp-ged)\n");
      return kUsage;
    }
    std::signal(SIGINT, OnInterrupt);
    start_ = absl::Now();
    const int senders = std::max(1, absl::GetFlag(FLAGS_in_flight));
    std::vector<std::thread> threads;
    for (int i = 0; i < senders; ++i) threads.emplace_back([this] { Send(); });
    std::thread progress([this] { Progress(); });

    std::map<std::pair<const Kind*, bool>, Batch> pending;
    std::pair<const Kind*, bool> last_key{nullptr, false};
    for (auto& source : sources) {
      while (!interrupted.load() && !Failed()) {
        absl::StatusOr<std::optional<ReadItem>> item = source->Next();
        if (!item.ok()) {
          std::fprintf(stderr, "import: %s\n",
                       std::string(item.status().message()).c_str());
          SetFailed(kFailed);
          break;
        }
        if (!item->has_value()) break;
        ReadItem& read = **item;
        bytes_read_.store(bytes_done_before_ + source->bytes_read());
        Count([](Counts& c) { ++c.read; });
        if (!read.record.has_value()) {
          Report(read.where, read.error);
          continue;
        }
        ImportRecord& record = *read.record;
        // Records may name earlier ones of another kind (an exchange its
        // agreement): when the kind changes, what came before is stored
        // first.
        const std::pair<const Kind*, bool> key{record.kind, record.put};
        if (last_key.first != nullptr && key != last_key) {
          for (auto& [other, batch] : pending) {
            if (!batch.records.empty()) Enqueue(std::move(batch));
            batch = Batch();
          }
          WaitIdle();
        }
        last_key = key;
        if (!record.country.empty()) {
          absl::MutexLock lock(&mu_);
          countries_.insert(record.country);
          seen_ids_.insert(record.id);
          dataset_ = source->dataset();
        }
        Batch& batch = pending[key];
        batch.kind = record.kind;
        batch.put = record.put;
        batch.bytes += record.request->ByteSizeLong();
        batch.records.push_back(std::move(record));
        if (static_cast<int>(batch.records.size()) >= batch_size_ ||
            batch.bytes >= kMaxBatchBytes) {
          Enqueue(std::move(batch));
          batch = Batch();
        }
      }
      bytes_done_before_ += source->size();
    }
    // Ctrl-C: the batches in flight finish; what was only read is left for
    // the next run.
    if (!interrupted.load()) {
      for (auto& [key, batch] : pending) {
        if (!batch.records.empty()) Enqueue(std::move(batch));
      }
    }
    {
      absl::MutexLock lock(&mu_);
      closed_ = true;
    }
    for (auto& t : threads) t.join();
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    progress.join();

    if (delete_missing && !interrupted.load() && !Failed()) DeleteMissing();
    const Counts c = Snapshot();
    std::printf(
        "read %lld, created %lld, updated %lld, unchanged %lld (already there "
        "%lld), deleted %lld, refused %lld\n",
        static_cast<long long>(c.read), static_cast<long long>(c.created),
        static_cast<long long>(c.updated),
        static_cast<long long>(c.unchanged + c.already),
        static_cast<long long>(c.already), static_cast<long long>(c.deleted),
        static_cast<long long>(c.refused));
    if (interrupted.load()) {
      std::fprintf(stderr,
                   "import: stopped (Ctrl-C) after the batches in flight; run "
                   "the same command again to resume: what is stored already "
                   "is left as it is\n");
      return kInterrupted;
    }
    if (Failed()) return failed_code_;
    return c.refused == 0 ? kOk : kFailed;
  }

 private:
  template <typename Fn>
  void Count(Fn fn) {
    absl::MutexLock lock(&mu_);
    fn(counts_);
  }
  Counts Snapshot() {
    absl::MutexLock lock(&mu_);
    return counts_;
  }
  bool Failed() {
    absl::MutexLock lock(&mu_);
    return failed_code_ != kOk;
  }
  void SetFailed(int code) {
    absl::MutexLock lock(&mu_);
    if (failed_code_ == kOk) failed_code_ = code;
  }

  void Report(const std::string& where, const std::string& error) {
    absl::MutexLock lock(&mu_);
    ++counts_.refused;
    ClearProgressLine();
    std::fprintf(stderr, "%s: %s\n", where.c_str(), error.c_str());
  }

  void Enqueue(Batch batch) {
    absl::MutexLock lock(&mu_);
    // A bounded queue: the reader waits while the senders are busy.
    auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return queue_.size() <
                 static_cast<size_t>(absl::GetFlag(FLAGS_in_flight)) ||
             failed_code_ != kOk;
    };
    mu_.Await(absl::Condition(&room));
    if (failed_code_ != kOk) return;
    queue_.push_back(std::move(batch));
  }

  // Until every batch queued so far has been answered.
  void WaitIdle() {
    absl::MutexLock lock(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return (queue_.empty() && active_ == 0) || failed_code_ != kOk;
    };
    mu_.Await(absl::Condition(&idle));
  }

  // A sender: takes batches until the reader is done and the queue empty.
  void Send() {
    while (true) {
      Batch batch;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !queue_.empty() || closed_;
        };
        mu_.Await(absl::Condition(&ready));
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
        ++active_;
      }
      Call(batch);
      absl::MutexLock lock(&mu_);
      --active_;
    }
  }

  // Every record of `batch` refused with `status`; a gateway that cannot be
  // reached or refuses the caller ends the import.
  void RefuseBatch(const std::string& method, const Batch& batch,
                   const absl::Status& status) {
    {
      absl::MutexLock lock(&mu_);
      ClearProgressLine();
      std::fprintf(stderr, "import: %s (%s .. %s): %s\n", method.c_str(),
                   batch.records.front().where.c_str(),
                   batch.records.back().where.c_str(),
                   status.ToString().c_str());
      counts_.refused += batch.records.size();
    }
    const int code = ExitCodeFor(status);
    if (code == kUnreachable || code == kUnauthorized) SetFailed(code);
  }

  void Call(Batch& batch) {
    const Kind& kind = *batch.kind;
    const std::string method = batch.put
                                   ? absl::StrCat("BatchUpdate", kind.plural)
                                   : absl::StrCat("BatchCreate", kind.plural);
    auto request =
        NewMessage(absl::StrCat(kind.package, ".", method, "Request"));
    const auto* requests =
        request->GetDescriptor()->FindFieldByName("requests");
    // Moved in, not copied: a record's request is not read again.
    for (ImportRecord& record : batch.records) {
      request->GetReflection()->AddAllocatedMessage(request.get(), requests,
                                                    record.request.release());
    }
    absl::StatusOr<std::string> response;
    // Transient trouble (a restarting gateway) is retried: a batch sent
    // twice stores nothing twice.
    for (int attempt = 0;; ++attempt) {
      response = client_.CallForBytes(kind.service, method, *request);
      if (response.ok() || attempt >= 4 ||
          (!absl::IsUnavailable(response.status()) &&
           !absl::IsDeadlineExceeded(response.status()))) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(250 << attempt));
    }
    if (!response.ok()) {
      RefuseBatch(method, batch, response.status());
      return;
    }
    const auto* reply_type = google::protobuf::DescriptorPool::generated_pool()
                                 ->FindMessageTypeByName(absl::StrCat(
                                     kind.package, ".", method, "Response"));
    absl::StatusOr<std::vector<BatchResult>> results = ReadResults(
        *response, reply_type->FindFieldByName("results")->number());
    if (!results.ok()) {
      RefuseBatch(method, batch, results.status());
      return;
    }
    for (int i = 0; i < static_cast<int>(results->size()) &&
                    i < static_cast<int>(batch.records.size());
         ++i) {
      const BatchResult& result = (*results)[i];
      switch (result.outcome()) {
        case BatchResult::OUTCOME_CREATED:
          Count([](Counts& c) { ++c.created; });
          break;
        case BatchResult::OUTCOME_UPDATED:
          Count([](Counts& c) { ++c.updated; });
          break;
        case BatchResult::OUTCOME_UNCHANGED:
          Count([](Counts& c) { ++c.unchanged; });
          break;
        case BatchResult::OUTCOME_ALREADY_DONE:
          Count([](Counts& c) { ++c.already; });
          break;
        default:
          Report(batch.records[i].where, ErrorText(result.error()));
          break;
      }
    }
  }

  // On a terminal: one line, rewritten each second. Otherwise a plain line
  // every ten seconds.
  void Progress() {
    const bool tty = isatty(fileno(stderr));
    const absl::Duration every = tty ? absl::Seconds(1) : absl::Seconds(10);
    absl::MutexLock lock(&mu_);
    while (true) {
      auto finished = [this]()
                          ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return done_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&finished), every)) break;
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      const double rate = seconds > 0 ? counts_.stored() / seconds : 0;
      const uint64_t bytes = bytes_read_.load();
      std::string eta = "?";
      if (bytes > 0 && total_bytes_ > bytes && seconds > 0) {
        const double left = seconds * (total_bytes_ - bytes) / bytes;
        eta = absl::StrFormat("%d:%02d", static_cast<int>(left) / 60,
                              static_cast<int>(left) % 60);
      } else if (total_bytes_ > 0 && bytes >= total_bytes_) {
        eta = "0:00";
      }
      const std::string line = absl::StrFormat(
          "import: %d records read, %d stored, %.0f/s, %.0f%%, about %s left",
          counts_.read, counts_.stored(), rate,
          total_bytes_ > 0 ? 100.0 * bytes / total_bytes_ : 0.0, eta);
      if (tty) {
        std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
        progress_shown_ = true;
      } else {
        std::fprintf(stderr, "%s\n", line.c_str());
      }
      std::fflush(stderr);
    }
    ClearProgressLine();
  }

  void ClearProgressLine() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!progress_shown_) return;
    std::fprintf(stderr, "\r\x1b[K");
    progress_shown_ = false;
  }

  // The dataset's records of the files' countries that the files no longer
  // hold: deleted, as the dataset deleted them.
  void DeleteMissing() {
    const Kind& kind = *KindOf("incidents");
    std::vector<std::string> gone;
    incidents::v1::ListIncidentsRequest list;
    list.set_dataset(dataset_);
    list.set_page_size(500);
    list.mutable_read_mask()->add_paths("metadata.name");
    list.mutable_read_mask()->add_paths("place.country");
    while (true) {
      auto page = client_.Call(kind.service, "ListIncidents", list);
      if (!page.ok()) {
        std::fprintf(stderr, "import: --delete_missing: %s\n",
                     page.status().ToString().c_str());
        SetFailed(ExitCodeFor(page.status()));
        return;
      }
      const auto& response =
          static_cast<const incidents::v1::ListIncidentsResponse&>(**page);
      for (const auto& incident : response.incidents()) {
        const std::string& name = incident.metadata().name();
        const std::string id = name.substr(name.find('/') + 1);
        if (countries_.contains(incident.place().country()) &&
            !seen_ids_.contains(id)) {
          gone.push_back(name);
        }
      }
      if (response.next_page_token().empty()) break;
      list.set_page_token(response.next_page_token());
    }
    for (const std::string& name : gone) {
      incidents::v1::DeleteIncidentRequest del;
      del.set_name(name);
      auto deleted = client_.Call(kind.service, "DeleteIncident", del);
      if (deleted.ok()) {
        Count([](Counts& c) { ++c.deleted; });
      } else {
        Report(name, deleted.status().ToString());
      }
    }
  }

  Client& client_;
  int batch_size_ = kMaxBatchRequests;
  absl::Time start_;
  uint64_t total_bytes_ = 0;
  // Bytes of the files read so far: of those done, and in all.
  uint64_t bytes_done_before_ = 0;
  std::atomic<uint64_t> bytes_read_{0};

  absl::Mutex mu_;
  Counts counts_ ABSL_GUARDED_BY(mu_);
  std::deque<Batch> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int active_ ABSL_GUARDED_BY(mu_) = 0;  // batches being sent
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool progress_shown_ ABSL_GUARDED_BY(mu_) = false;
  int failed_code_ ABSL_GUARDED_BY(mu_) = kOk;
  // For --delete_missing: what the files hold.
  std::string dataset_;
  absl::flat_hash_set<std::string> countries_;
  absl::flat_hash_set<std::string> seen_ids_;
};

}  // namespace

int Import(Client& client, const std::vector<std::string>& files) {
  if (files.empty()) {
    std::fprintf(stderr, "import: name at least one file\n");
    return kUsage;
  }
  return Importer(client).Run(files);
}

}  // namespace parley::ctl
