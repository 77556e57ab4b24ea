#include "tests/crash/workload.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace parley::crash {
namespace {

constexpr size_t kFailuresKept = 100;

// Errors that say the write was not applied: with one writer per record
// none is expected, so each is reported.
bool Refused(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNIMPLEMENTED:
      return true;
    default:
      return false;
  }
}

std::string Text(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), " ", status.error_message());
}

}  // namespace

void Counts::Add(const Counts& o) {
  acknowledged += o.acknowledged;
  cut_off += o.cut_off;
  cut_off_present += o.cut_off_present;
  cut_off_absent += o.cut_off_absent;
  lost += o.lost;
  torn += o.torn;
  create_retries += o.create_retries;
  retry_failures += o.retry_failures;
  records_verified += o.records_verified;
  failure_count += o.failure_count;
  for (const std::string& f : o.failures) {
    if (failures.size() < kFailuresKept) failures.push_back(f);
  }
}

bool SameState(const RecordState& a, const RecordState& b) {
  if (a.exists != b.exists) return false;
  return !a.exists || (a.revision == b.revision && a.etag == b.etag &&
                       a.content == b.content);
}

std::string Describe(const RecordState& s) {
  if (!s.exists) return "absent";
  return absl::StrCat("revision ", s.revision, " etag ", s.etag, " of op ",
                      s.op);
}

Workload::Workload(Kind* kind, std::string prefix, int writers, uint64_t seed)
    : kind_(kind),
      prefix_(std::move(prefix)),
      seed_(seed),
      writers_(std::max(1, writers)) {}

Workload::~Workload() { Stop(); }

void Workload::Start(const Endpoint& endpoint) {
  stop_.store(false);
  killing_.store(false);
  writes_.store(0);
  for (int w = 0; w < static_cast<int>(writers_.size()); ++w) {
    threads_.emplace_back([this, w, endpoint] { Write(w, endpoint); });
  }
}

void Workload::Stop() {
  stop_.store(true);
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void Workload::Fail(std::string message) {
  absl::MutexLock lock(&mutex_);
  ++counts_.failure_count;
  if (counts_.failures.size() < kFailuresKept) {
    counts_.failures.push_back(std::move(message));
  }
}

Counts Workload::counts() const {
  absl::MutexLock lock(&mutex_);
  return counts_;
}

void Workload::Write(int index, const Endpoint& endpoint) {
  absl::BitGen gen;
  Writer& writer = writers_[index];
  while (!stop_.load() && WriteOnce(writer, index, endpoint, gen)) {
  }
}

bool Workload::WriteOnce(Writer& writer, int index, const Endpoint& endpoint,
                         absl::BitGen& gen) {
  std::vector<size_t> live;
  for (size_t i = 0; i < writer.records.size(); ++i) {
    const Tracked& r = writer.records[i];
    if (r.acked.exists && !r.doubt.has_value()) live.push_back(i);
  }
  Op type = Op::kCreate;
  if (live.size() >= 8 && absl::Bernoulli(gen, 0.65)) {
    type = absl::Bernoulli(gen, 0.75) ? Op::kUpdate : Op::kDelete;
  }
  const uint64_t op = next_op_.fetch_add(1);
  Tracked* record = nullptr;
  if (type == Op::kCreate) {
    Tracked& fresh = writer.records.emplace_back();
    fresh.id = absl::StrCat(prefix_, "-w", index, "-", writer.next_id++);
    fresh.request_id = absl::StrCat("rq-", fresh.id, "-s", seed_);
    fresh.create_op = op;
    record = &fresh;
  } else {
    record = &writer.records[live[absl::Uniform<size_t>(gen, 0, live.size())]];
  }
  record->touched = true;

  CallResult result;
  switch (type) {
    case Op::kCreate:
      result = kind_->Create(endpoint, record->id, record->request_id, op);
      break;
    case Op::kUpdate:
      result = kind_->Update(endpoint, record->id, record->acked.etag, op);
      break;
    case Op::kDelete:
      result = kind_->Delete(endpoint, record->id, record->acked.etag);
      break;
  }
  writes_.fetch_add(1);
  if (result.status.ok()) {
    {
      absl::MutexLock lock(&mutex_);
      ++counts_.acknowledged;
    }
    if (type == Op::kDelete) {
      record->acked = RecordState();
      return true;
    }
    if (result.state.content != kind_->ContentOf(op)) {
      Fail(absl::StrCat(record->id, ": op ", op,
                        " was answered with other content than it sent"));
    }
    record->acked = result.state;
    if (type == Op::kCreate) record->create_etag = result.state.etag;
    return true;
  }
  if (Refused(result.status.error_code())) {
    Fail(absl::StrCat(record->id, ": op ", op,
                      " refused: ", Text(result.status)));
    return true;
  }
  // No answer: the write may or may not have been applied.
  record->doubt = Doubt{type, op};
  {
    absl::MutexLock lock(&mutex_);
    ++counts_.cut_off;
  }
  if (!killing_.load()) {
    Fail(absl::StrCat(
        record->id, ": op ", op,
        " failed while the service was up: ", Text(result.status)));
  }
  return false;
}

RecordState Workload::After(const Tracked& record) const {
  RecordState after;
  if (record.doubt->type == Op::kDelete) return after;
  after.exists = true;
  after.revision =
      record.doubt->type == Op::kCreate ? 1 : record.acked.revision + 1;
  after.content = kind_->ContentOf(record.doubt->op);
  after.op = record.doubt->op;
  return after;
}

void Workload::VerifyRecord(Tracked& record, const Endpoint& endpoint,
                            bool retry_create) {
  const CallResult got = kind_->Get(endpoint, record.id);
  if (!got.status.ok() &&
      got.status.error_code() != grpc::StatusCode::NOT_FOUND) {
    Fail(absl::StrCat(record.id, ": Get failed: ", Text(got.status)));
    return;
  }
  const RecordState found = got.status.ok() ? got.state : RecordState();
  {
    absl::MutexLock lock(&mutex_);
    ++counts_.records_verified;
  }
  bool created_in_doubt = false;
  if (record.doubt.has_value()) {
    const RecordState after = After(record);
    const bool as_after = found.exists == after.exists &&
                          (!found.exists || (found.revision == after.revision &&
                                             found.content == after.content));
    absl::MutexLock lock(&mutex_);
    if (SameState(found, record.acked)) {
      ++counts_.cut_off_absent;
    } else if (as_after) {
      ++counts_.cut_off_present;
      record.acked = found;
      if (record.doubt->type == Op::kCreate) record.create_etag = found.etag;
    } else {
      ++(record.acked.exists ? counts_.lost : counts_.torn);
      ++counts_.failure_count;
      counts_.failures.push_back(
          absl::StrCat(record.id, ": after op ", record.doubt->op,
                       " was cut off, found ", Describe(found),
                       "; acknowledged before it: ", Describe(record.acked)));
    }
    created_in_doubt = record.doubt->type == Op::kCreate;
    record.doubt.reset();
  } else if (!SameState(found, record.acked)) {
    absl::MutexLock lock(&mutex_);
    ++counts_.lost;
    ++counts_.failure_count;
    counts_.failures.push_back(absl::StrCat(record.id, ": acknowledged ",
                                            Describe(record.acked), ", found ",
                                            Describe(found)));
  }
  if (!created_in_doubt && !(retry_create && !record.create_etag.empty())) {
    return;
  }
  // The retry of a create returns the record its first attempt made
  // (making it now if the first attempt was not applied).
  const CallResult retry =
      kind_->Create(endpoint, record.id, record.request_id, record.create_op);
  absl::MutexLock lock(&mutex_);
  ++counts_.create_retries;
  std::string wrong;
  if (!retry.status.ok()) {
    wrong = Text(retry.status);
  } else if (retry.state.revision != 1 ||
             retry.state.content != kind_->ContentOf(record.create_op)) {
    wrong = absl::StrCat("returned ", Describe(retry.state));
  } else if (!record.create_etag.empty() &&
             retry.state.etag != record.create_etag) {
    wrong = absl::StrCat("returned etag ", retry.state.etag, ", not ",
                         record.create_etag);
  }
  if (!wrong.empty()) {
    ++counts_.retry_failures;
    ++counts_.failure_count;
    counts_.failures.push_back(absl::StrCat(record.id,
                                            ": create retried with request id ",
                                            record.request_id, ": ", wrong));
    return;
  }
  if (record.create_etag.empty()) {
    // The first attempt had not been applied: this one made the record.
    record.create_etag = retry.state.etag;
    record.acked = retry.state;
    ++counts_.acknowledged;
  }
}

void Workload::Verify(const Endpoint& endpoint, bool all, int sample) {
  absl::BitGen gen;
  std::vector<Tracked*> older;
  for (Writer& writer : writers_) {
    for (Tracked& record : writer.records) {
      if (all || record.touched || record.doubt.has_value()) {
        // A few acknowledged creates are retried too: idempotency
        // survives the restart.
        VerifyRecord(record, endpoint, absl::Bernoulli(gen, 0.05));
        record.touched = false;
      } else {
        older.push_back(&record);
      }
    }
  }
  for (int i = 0; i < sample && !older.empty(); ++i) {
    const size_t at = absl::Uniform<size_t>(gen, 0, older.size());
    VerifyRecord(*older[at], endpoint, false);
    older.erase(older.begin() + static_cast<ptrdiff_t>(at));
  }
  if (!all) return;
  // Nothing there that should not be.
  std::vector<RecordState> listed;
  const grpc::Status status = kind_->List(endpoint, &listed);
  if (!status.ok()) {
    Fail(absl::StrCat("listing failed: ", Text(status)));
    return;
  }
  size_t expected = 0;
  for (const Writer& writer : writers_) {
    for (const Tracked& record : writer.records) {
      if (record.acked.exists) ++expected;
    }
  }
  if (listed.size() != expected) {
    Fail(absl::StrCat("the service lists ", listed.size(), " ", kind_->domain(),
                      " records, the driver expects ", expected));
  }
}

}  // namespace parley::crash
