// Collection writes of many records at once: every record that can be
// stored goes into one WriteBatch with one WAL sync (an import's path, and
// Create's too, with one item).
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/base/status.h"
#include "common/model/keys.h"
#include "common/store/collection.h"
#include "common/store/collection_internal.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"

namespace parley {
namespace {

using collection_internal::ChangedFields;
using collection_internal::GenerateId;
using collection_internal::MakeEtag;
using collection_internal::Serialize;
using collection_internal::SetTimestamp;
using ::parley::common::v1::Metadata;
using ::parley::common::v1::Revision;

BatchItemResult Refused(absl::Status status) {
  BatchItemResult result;
  result.outcome = BatchOutcome::kRefused;
  result.status = std::move(status);
  return result;
}

BatchItemResult Stored(BatchOutcome outcome, std::unique_ptr<Message> record) {
  BatchItemResult result;
  result.outcome = outcome;
  result.record = std::move(record);
  return result;
}

// Within one batch: a request id seen earlier in it, and where.
struct SeenRequest {
  uint64_t fingerprint = 0;
  size_t index = 0;
};

}  // namespace

std::optional<BatchItemResult> Collection::EarlierItemResult(
    const std::optional<std::string>& seen, const WriteContext& context) {
  absl::StatusOr<std::unique_ptr<Message>> earlier =
      ResultOfRequest(seen, context);
  if (!earlier.ok()) return Refused(earlier.status());
  if (*earlier == nullptr) return std::nullopt;
  return Stored(BatchOutcome::kAlreadyDone, *std::move(earlier));
}

absl::Status Collection::ReadForBatch(
    const std::vector<std::string>& ids,
    const std::vector<const WriteContext*>& contexts, bool records,
    BatchReads* reads) {
  std::vector<std::string> request_keys;
  std::vector<std::string> record_keys;
  std::vector<std::string> first_revisions;
  for (size_t i = 0; i < ids.size(); ++i) {
    request_keys.push_back(IdempotencyKey(*contexts[i]));
    if (records) record_keys.push_back(RecordKey(ids[i]));
    // An id ever used has its revision 1 in the history, which is never
    // trimmed: a point read (with its bloom filter), not a scan.
    std::string first = HistoryPrefix(ids[i]);
    keys::AppendUint64(&first, 1);
    first_revisions.push_back(std::move(first));
  }
  ASSIGN_OR_RETURN(reads->requests, store_->MultiGet(Cf::kMeta, request_keys));
  if (records) {
    ASSIGN_OR_RETURN(reads->records,
                     store_->MultiGet(Cf::kRecords, record_keys));
  }
  ASSIGN_OR_RETURN(auto used, store_->MultiGet(Cf::kIndexes, first_revisions));
  reads->ever_used.clear();
  for (const auto& entry : used) reads->ever_used.push_back(entry.has_value());
  return absl::OkStatus();
}

void Collection::CommitBatch(const PendingTotals& totals,
                             const std::vector<size_t>& written,
                             rocksdb::WriteBatch* batch,
                             std::vector<BatchItemResult>* results) {
  if (written.empty()) return;
  AddTotals(totals, batch);
  const absl::Status wrote = store_->Write(batch);
  if (wrote.ok()) return;
  for (size_t i : written) (*results)[i] = Refused(wrote);
}

std::unique_ptr<Message> Collection::NewRevisionOne(Message* input,
                                                    absl::string_view id,
                                                    const std::string& actor,
                                                    absl::Time now) const {
  auto record = NewRecord();
  record->GetReflection()->Swap(record.get(), input);
  Metadata* m = MutableMetadata(record.get());
  m->Clear();
  m->set_name(NameOf(id));
  SetTimestamp(now, m->mutable_create_time());
  SetTimestamp(now, m->mutable_update_time());
  m->set_creator(actor);
  m->set_updater(actor);
  m->set_revision(1);
  m->set_etag(MakeEtag(*m));
  return record;
}

Collection::PreparedCreate Collection::PrepareCreate(
    Message* input, absl::string_view id) const {
  input->GetReflection()->ClearField(
      input, input->GetDescriptor()->FindFieldByNumber(1));
  PreparedCreate prepared;
  input->SerializeToString(&prepared.body);
  prepared.derived = DerivedOf(*input, id, +1);
  prepared.fields = ChangedFields(nullptr, *input);
  return prepared;
}

void Collection::AddCreate(const Message& record,
                           const PreparedCreate& prepared, absl::string_view id,
                           const WriteContext& context, absl::Time now,
                           rocksdb::WriteBatch* batch, PendingTotals* totals) {
  // The record's bytes: its metadata (field 1) and then the body, which is
  // how the record serializes whole (fields in number order).
  const std::string metadata = GetMetadata(record).SerializeAsString();
  std::string bytes;
  bytes.reserve(metadata.size() + prepared.body.size() + 6);
  bytes.push_back('\x0a');  // field 1, length-delimited
  for (uint64_t n = metadata.size(); true; n >>= 7) {
    if (n < 0x80) {
      bytes.push_back(static_cast<char>(n));
      break;
    }
    bytes.push_back(static_cast<char>((n & 0x7F) | 0x80));
  }
  bytes += metadata;
  bytes += prepared.body;
  batch->Put(store_->cf(Cf::kRecords), RecordKey(id), bytes);
  ApplyDerived(prepared.derived, +1, batch, totals);
  AddChange(nullptr, record, std::move(bytes), id, Revision::CHANGE_CREATE, now,
            context.actor, batch, &prepared.fields);
  PutIdempotency(IdempotencyKey(context), id, 1, context, batch);
}

std::vector<BatchItemResult> Collection::CreateMany(
    const std::vector<CreateItem>& items) {
  std::vector<BatchItemResult> results(items.size());
  std::vector<std::string> ids(items.size());
  std::vector<bool> generated(items.size());
  std::vector<std::string> lock_keys;
  std::vector<PreparedCreate> prepared(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    generated[i] = items[i].id.empty();
    ids[i] = generated[i] ? GenerateId() : items[i].id;
    lock_keys.push_back(RecordKey(ids[i]));
    lock_keys.push_back(IdempotencyKey(items[i].context));
    prepared[i] = PrepareCreate(items[i].record, ids[i]);
  }
  StripeLocks lock(store_, lock_keys);

  std::vector<const WriteContext*> contexts;
  for (const CreateItem& item : items) contexts.push_back(&item.context);
  BatchReads reads;
  if (absl::Status read = ReadForBatch(ids, contexts, false, &reads);
      !read.ok()) {
    for (BatchItemResult& result : results) result = Refused(read);
    return results;
  }
  const absl::Time now = absl::Now();
  rocksdb::WriteBatch batch;
  PendingTotals totals;
  // What this batch writes: items whose record goes into `batch`, ids and
  // request ids it takes.
  std::vector<size_t> written;
  absl::flat_hash_set<std::string> taken_ids;
  absl::flat_hash_map<std::string, SeenRequest> requests;
  // A retry within the batch: filled in once the first is stored.
  std::vector<std::pair<size_t, size_t>> repeats;
  for (size_t i = 0; i < items.size(); ++i) {
    const CreateItem& item = items[i];
    const std::string& request_id = item.context.request_id;
    if (!request_id.empty()) {
      auto [it, first] = requests.try_emplace(
          request_id, SeenRequest{item.context.request_fingerprint, i});
      if (!first) {
        if (it->second.fingerprint != item.context.request_fingerprint) {
          results[i] = Refused(absl::AlreadyExistsError(absl::StrCat(
              "request_id \"", request_id,
              "\" is used twice in this batch, for different requests")));
        } else {
          repeats.emplace_back(i, it->second.index);
        }
        continue;
      }
    }
    if (auto earlier = EarlierItemResult(reads.requests[i], item.context)) {
      results[i] = *std::move(earlier);
      continue;
    }
    // Ids are never reused, even after a delete, so history stays
    // unambiguous.
    const bool existed = reads.ever_used[i];
    if (existed || taken_ids.contains(ids[i])) {
      results[i] = Refused(absl::AlreadyExistsError(absl::StrCat(
          NameOf(ids[i]), generated[i] ? " collided; retry"
                          : existed    ? " already exists (or existed)"
                                       : " is named twice in this batch")));
      continue;
    }
    taken_ids.insert(ids[i]);
    auto record = NewRevisionOne(item.record, ids[i], item.context.actor, now);
    AddCreate(*record, prepared[i], ids[i], item.context, now, &batch, &totals);
    results[i] = Stored(BatchOutcome::kCreated, std::move(record));
    written.push_back(i);
  }
  CommitBatch(totals, written, &batch, &results);
  for (const auto& [repeat, first] : repeats) {
    if (results[first].record == nullptr) {
      results[repeat] = Refused(results[first].status);
      continue;
    }
    auto copy = NewRecord();
    copy->CopyFrom(*results[first].record);
    results[repeat] = Stored(BatchOutcome::kAlreadyDone, std::move(copy));
  }
  return results;
}

bool Collection::SameButProvenance(const Message& current,
                                   const Message& next) const {
  if (ChangedFields(&current, next).empty()) return true;
  if (schema_->provenance_fields.empty()) return false;
  // `next` with the provenance `current` has: if that is `current`, only
  // the provenance differed.
  auto probe = NewRecord();
  probe->CopyFrom(next);
  google::protobuf::FieldMask mask;
  for (const std::string& path : schema_->provenance_fields) {
    mask.add_paths(path);
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(current, mask, options,
                                                        probe.get());
  return ChangedFields(&current, *probe).empty();
}

std::vector<BatchItemResult> Collection::PutMany(
    const std::vector<PutItem>& items) {
  std::vector<BatchItemResult> results(items.size());
  std::vector<std::string> lock_keys;
  std::vector<std::string> record_keys;
  for (const PutItem& item : items) {
    record_keys.push_back(RecordKey(item.id));
    lock_keys.push_back(record_keys.back());
    lock_keys.push_back(IdempotencyKey(item.context));
  }
  // Which items will create their record, as far as can be told before the
  // locks (checked again under them): those are prepared now. An item that
  // turns out otherwise is prepared under the locks, or not at all.
  std::vector<std::optional<PreparedCreate>> prepared(items.size());
  if (auto before = store_->MultiGet(Cf::kRecords, record_keys); before.ok()) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].id.empty() && !(*before)[i].has_value()) {
        prepared[i] = PrepareCreate(items[i].record, items[i].id);
      }
    }
  }
  StripeLocks lock(store_, lock_keys);

  std::vector<std::string> ids;
  std::vector<const WriteContext*> contexts;
  for (const PutItem& item : items) {
    ids.push_back(item.id);
    contexts.push_back(&item.context);
  }
  BatchReads reads;
  if (absl::Status read = ReadForBatch(ids, contexts, true, &reads);
      !read.ok()) {
    for (BatchItemResult& result : results) result = Refused(read);
    return results;
  }
  const absl::Time now = absl::Now();
  rocksdb::WriteBatch batch;
  PendingTotals totals;
  std::vector<size_t> written;
  absl::flat_hash_set<std::string> taken_ids;
  absl::flat_hash_set<std::string> request_ids;
  for (size_t i = 0; i < items.size(); ++i) {
    const PutItem& item = items[i];
    if (item.id.empty()) {
      results[i] = Refused(
          absl::InvalidArgumentError("a record put whole needs its id"));
      continue;
    }
    // One write per record and per request id in a batch: a second one
    // would be judged against a state the batch has not written yet.
    if (!taken_ids.insert(item.id).second) {
      results[i] = Refused(absl::AlreadyExistsError(
          absl::StrCat(NameOf(item.id), " is named twice in this batch")));
      continue;
    }
    if (!item.context.request_id.empty() &&
        !request_ids.insert(item.context.request_id).second) {
      results[i] = Refused(absl::AlreadyExistsError(
          absl::StrCat("request_id \"", item.context.request_id,
                       "\" is used twice in this batch")));
      continue;
    }
    if (auto earlier = EarlierItemResult(reads.requests[i], item.context)) {
      results[i] = *std::move(earlier);
      continue;
    }
    absl::StatusOr<std::unique_ptr<Message>> current =
        ParseCurrent(item.id, reads.records[i]);
    if (absl::IsNotFound(current.status()) && !item.allow_missing) {
      results[i] = Refused(current.status());
      continue;
    }
    if (absl::IsNotFound(current.status())) {
      if (reads.ever_used[i]) {
        results[i] = Refused(absl::FailedPreconditionError(
            absl::StrCat(NameOf(item.id),
                         " was deleted, and ids are not reused: give it "
                         "another id")));
        continue;
      }
      if (!prepared[i].has_value()) {
        prepared[i] = PrepareCreate(item.record, item.id);
      }
      auto record =
          NewRevisionOne(item.record, item.id, item.context.actor, now);
      AddCreate(*record, *prepared[i], item.id, item.context, now, &batch,
                &totals);
      results[i] = Stored(BatchOutcome::kCreated, std::move(record));
      written.push_back(i);
      continue;
    }
    if (!current.ok()) {
      results[i] = Refused(current.status());
      continue;
    }
    const Metadata& current_meta = GetMetadata(**current);
    if (!item.etag.empty() && item.etag != current_meta.etag()) {
      results[i] = Refused(absl::AbortedError(
          absl::StrCat("etag \"", item.etag, "\" is stale: ", NameOf(item.id),
                       " is at revision ", current_meta.revision(), " (etag \"",
                       current_meta.etag(), "\")")));
      continue;
    }
    auto next = NewRecord();
    next->GetReflection()->Swap(next.get(), item.record);
    *MutableMetadata(next.get()) = GetMetadata(**current);
    if (SameButProvenance(**current, *next)) {
      results[i] = Stored(BatchOutcome::kUnchanged, *std::move(current));
      continue;
    }
    AddUpdate(**current, next.get(), item.id, item.context, &batch, &totals);
    results[i] = Stored(BatchOutcome::kUpdated, std::move(next));
    written.push_back(i);
  }
  CommitBatch(totals, written, &batch, &results);
  return results;
}

}  // namespace parley
