#include "common/store/collection.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/fingerprint.h"
#include "common/base/status.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "common/store/collection_internal.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace parley {
namespace collection_internal {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  const int64_t micros = absl::ToUnixMicros(t);
  ts->set_seconds(micros / 1000000);
  ts->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string GenerateId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local absl::BitGen gen;
  std::string id(12, ' ');
  for (char& c : id) c = kAlphabet[absl::Uniform(gen, 0u, 36u)];
  return id;
}

std::string MakeEtag(const ::parley::common::v1::Metadata& m) {
  return absl::StrCat(m.revision(), "-",
                      absl::Hex(Fingerprint64(absl::StrCat(
                                    m.name(), "@", m.update_time().seconds(),
                                    ".", m.update_time().nanos())),
                                absl::kZeroPad16));
}

std::string Serialize(const Message& record) {
  std::string out;
  record.SerializeToString(&out);
  return out;
}

std::vector<std::string> ChangedFields(const Message* before,
                                       const Message& after) {
  std::vector<std::string> changed;
  const auto* descriptor = after.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->number() == 1) continue;  // metadata
    if (before == nullptr) {
      const auto* r = after.GetReflection();
      const bool set = field->is_repeated() ? r->FieldSize(after, field) > 0
                                            : r->HasField(after, field);
      if (set) changed.push_back(field->name());
      continue;
    }
    google::protobuf::util::MessageDifferencer differencer;
    if (!differencer.CompareWithFields(*before, after, {field}, {field})) {
      changed.push_back(field->name());
    }
  }
  return changed;
}

std::string HistoryPrefixOf(absl::string_view collection,
                            absl::string_view id) {
  std::string key;
  keys::AppendString(&key, collection);
  key.push_back('h');
  keys::AppendString(&key, id);
  return key;
}

}  // namespace collection_internal

namespace {

using collection_internal::ChangedFields;
using collection_internal::FromTimestamp;
using collection_internal::GenerateId;
using collection_internal::MakeEtag;
using collection_internal::Serialize;
using collection_internal::SetTimestamp;
using ::parley::common::v1::Metadata;
using ::parley::common::v1::Revision;
using ::parley::model::v1::RollupValue;
using ::parley::store::v1::ChangeEntry;
using ::parley::store::v1::IdempotencyEntry;

}  // namespace

Metadata* MutableMetadata(Message* record) {
  const auto* field = record->GetDescriptor()->FindFieldByNumber(1);
  return static_cast<Metadata*>(
      record->GetReflection()->MutableMessage(record, field));
}

const Metadata& GetMetadata(const Message& record) {
  const auto* field = record.GetDescriptor()->FindFieldByNumber(1);
  return static_cast<const Metadata&>(
      record.GetReflection()->GetMessage(record, field));
}

std::string Collection::NameOf(absl::string_view id) const {
  return absl::StrCat(schema_->collection, "/", id);
}

std::unique_ptr<Message> Collection::NewRecord() const {
  return std::unique_ptr<Message>(schema_->prototype->New());
}

std::string Collection::RecordKey(absl::string_view id) const {
  std::string key;
  keys::AppendString(&key, schema_->collection);
  keys::AppendString(&key, id);
  return key;
}

std::string Collection::HistoryPrefix(absl::string_view id) const {
  return collection_internal::HistoryPrefixOf(schema_->collection, id);
}

absl::StatusOr<std::unique_ptr<Message>> Collection::ReadCurrent(
    absl::string_view id, const rocksdb::Snapshot* snapshot) {
  ASSIGN_OR_RETURN(auto bytes,
                   store_->Get(Cf::kRecords, RecordKey(id), snapshot));
  return ParseCurrent(id, bytes);
}

absl::StatusOr<std::unique_ptr<Message>> Collection::ParseCurrent(
    absl::string_view id, const std::optional<std::string>& bytes) const {
  if (!bytes.has_value()) {
    return absl::NotFoundError(absl::StrCat(NameOf(id), " not found"));
  }
  auto record = NewRecord();
  if (!record->ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(NameOf(id), " is unreadable"));
  }
  return record;
}

absl::StatusOr<ChangeEntry> Collection::ReadChange(uint64_t seq) {
  std::string key;
  keys::AppendUint64(&key, seq);
  ASSIGN_OR_RETURN(auto bytes, store_->Get(Cf::kChangeLog, key));
  if (!bytes.has_value() && seq <= store_->changes_trimmed_through()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "that revision is older than the changes this service keeps "
        "(--change_retention)"));
  }
  ChangeEntry entry;
  if (!bytes.has_value() || !entry.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("change ", seq, " is missing"));
  }
  return entry;
}

Collection::Derived Collection::DerivedOf(const Message& record,
                                          absl::string_view id,
                                          int sign) const {
  Derived derived;
  std::string base;
  keys::AppendString(&base, schema_->collection);
  if (schema_->index_terms) {
    for (const IndexTerm& term : schema_->index_terms(record)) {
      std::string key = base;
      key.push_back('t');
      keys::AppendString(&key, term.index);
      keys::AppendString(&key, term.value);
      keys::AppendString(&key, id);
      derived.index_entries.emplace_back(std::move(key), "");
    }
  }
  if (schema_->date) {
    if (auto span = schema_->date(record)) {
      std::string key = base;
      key.push_back('d');
      keys::AppendInt64(&key, DayNumber(span->first()));
      keys::AppendString(&key, id);
      std::string value;
      keys::AppendInt64(&value, DayNumber(span->last()));
      derived.index_entries.emplace_back(std::move(key), std::move(value));
      derived.span_days = static_cast<uint64_t>(span->length_days());
    }
  }
  if (schema_->rollups) {
    RollupDeltas deltas;
    schema_->rollups(record, sign, &deltas);
    for (auto& [key, delta] : deltas) {
      derived.rollups.emplace(base + key, std::move(delta));
    }
  }
  return derived;
}

void Collection::ApplyDerived(const Derived& derived, int sign,
                              rocksdb::WriteBatch* batch,
                              PendingTotals* totals) {
  auto* indexes = store_->cf(Cf::kIndexes);
  for (const auto& [key, value] : derived.index_entries) {
    if (sign > 0) {
      batch->Put(indexes, key, value);
    } else {
      batch->Delete(indexes, key);
    }
  }
  PendingTotals own;
  PendingTotals* sums = totals != nullptr ? totals : &own;
  // The date scan reaches back by the longest span stored.
  if (sign > 0) {
    sums->longest_days = std::max(sums->longest_days, derived.span_days);
  }
  for (const auto& [key, delta] : derived.rollups) {
    AddRollup(delta, &sums->rollups[key]);
  }
  if (totals == nullptr) AddTotals(own, batch);
}

void Collection::AddDerived(const Message& record, absl::string_view id,
                            int sign, rocksdb::WriteBatch* batch,
                            PendingTotals* totals) {
  ApplyDerived(DerivedOf(record, id, sign), sign, batch, totals);
}

void Collection::AddTotals(const PendingTotals& totals,
                           rocksdb::WriteBatch* batch) {
  for (const auto& [key, total] : totals.rollups) {
    // Deltas that cancel out (a put's old and new totals alike) are no
    // write at all.
    if (total.ByteSizeLong() == 0) continue;
    batch->Merge(store_->cf(Cf::kRollups), key, total.SerializeAsString());
  }
  if (totals.longest_days > 0) {
    std::string meta_key = "m";
    keys::AppendString(&meta_key, schema_->collection);
    std::string length;
    keys::AppendUint64(&length, totals.longest_days);
    batch->Merge(store_->cf(Cf::kMeta), meta_key, length);
  }
}

void Collection::AddChange(const Message* before, const Message& after,
                           std::string snapshot, absl::string_view id,
                           Revision::Change change, absl::Time when,
                           const std::string& actor, rocksdb::WriteBatch* batch,
                           const std::vector<std::string>* changed) {
  const uint64_t seq = store_->NextSequence();
  const int64_t revision = change == Revision::CHANGE_DELETE
                               ? GetMetadata(after).revision() + 1
                               : GetMetadata(after).revision();
  ChangeEntry entry;
  entry.set_sequence(seq);
  entry.set_collection(schema_->collection);
  entry.set_id(std::string(id));
  entry.set_revision(revision);
  entry.set_change(change);
  SetTimestamp(when, entry.mutable_change_time());
  entry.set_actor(actor);
  if (change != Revision::CHANGE_DELETE) {
    std::vector<std::string> own;
    const std::vector<std::string>& fields =
        changed != nullptr ? *changed : (own = ChangedFields(before, after));
    for (const std::string& f : fields) entry.add_changed_fields(f);
  }
  entry.set_snapshot(std::move(snapshot));
  std::string log_key;
  keys::AppendUint64(&log_key, seq);
  batch->Put(store_->cf(Cf::kChangeLog), log_key, entry.SerializeAsString());

  std::string history_key = HistoryPrefix(id);
  keys::AppendUint64(&history_key, static_cast<uint64_t>(revision));
  std::string history_value;
  keys::AppendUint64(&history_value, seq);
  keys::AppendInt64(&history_value, absl::ToUnixMicros(when));
  batch->Put(store_->cf(Cf::kIndexes), history_key, history_value);
}

std::string Collection::IdempotencyKey(const WriteContext& context) const {
  if (context.request_id.empty()) return "";
  std::string key = "i";
  keys::AppendString(&key, schema_->collection);
  keys::AppendString(&key, context.request_id);
  return key;
}

absl::StatusOr<std::unique_ptr<Message>> Collection::EarlierResult(
    const std::string& idem_key, const WriteContext& context) {
  if (idem_key.empty()) return nullptr;
  ASSIGN_OR_RETURN(auto seen, store_->Get(Cf::kMeta, idem_key));
  return ResultOfRequest(seen, context);
}

absl::StatusOr<std::unique_ptr<Message>> Collection::ResultOfRequest(
    const std::optional<std::string>& seen, const WriteContext& context) {
  if (!seen.has_value()) return nullptr;
  IdempotencyEntry entry;
  if (!entry.ParseFromString(*seen)) {
    return absl::DataLossError("idempotency entry is unreadable");
  }
  if (entry.request_fingerprint() != context.request_fingerprint) {
    return absl::AlreadyExistsError(
        absl::StrCat("request_id \"", context.request_id,
                     "\" was already used for a different request (on ",
                     NameOf(entry.id()), ")"));
  }
  // A retry: the revision the first request made, as it made it.
  const int64_t revision = std::max<int64_t>(entry.revision(), 1);
  ASSIGN_OR_RETURN(auto revisions,
                   Revisions(entry.id(), revision - 1, 1, nullptr));
  auto result = NewRecord();
  if (revisions.empty() ||
      !result->ParseFromString(revisions.front().snapshot().value())) {
    return absl::DataLossError("the first result's revision is missing");
  }
  return result;
}

void Collection::PutIdempotency(const std::string& idem_key,
                                absl::string_view id, int64_t revision,
                                const WriteContext& context,
                                rocksdb::WriteBatch* batch) {
  if (idem_key.empty()) return;
  IdempotencyEntry entry;
  entry.set_id(std::string(id));
  entry.set_request_fingerprint(context.request_fingerprint);
  entry.set_revision(revision);
  batch->Put(store_->cf(Cf::kMeta), idem_key, entry.SerializeAsString());
}

absl::StatusOr<std::unique_ptr<Message>> Collection::Create(
    const Message& input, std::string id, const WriteContext& context) {
  auto record = NewRecord();
  record->CopyFrom(input);
  std::vector<BatchItemResult> results =
      CreateMany({CreateItem{record.get(), std::move(id), context}});
  if (!results[0].status.ok()) return results[0].status;
  return std::move(results[0].record);
}

absl::StatusOr<std::unique_ptr<Message>> Collection::Get(
    absl::string_view id, std::optional<absl::Time> read_time) {
  if (!read_time.has_value()) return ReadCurrent(id, nullptr);
  // The last revision made at or before read_time.
  const std::string prefix = HistoryPrefix(id);
  auto it = store_->NewIterator(Cf::kIndexes, rocksdb::ReadOptions());
  uint64_t seq = 0;
  bool found = false;
  const int64_t limit = absl::ToUnixMicros(*read_time);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    absl::string_view value(it->value().data(), it->value().size());
    uint64_t s = 0;
    int64_t micros = 0;
    if (!keys::ConsumeUint64(&value, &s) ||
        !keys::ConsumeInt64(&value, &micros)) {
      return absl::DataLossError("history entry is malformed");
    }
    if (micros > limit) break;
    seq = s;
    found = true;
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading history"));
  if (!found) {
    return absl::NotFoundError(absl::StrCat(
        NameOf(id), " did not exist at ",
        absl::FormatTime(absl::RFC3339_full, *read_time, absl::UTCTimeZone())));
  }
  ASSIGN_OR_RETURN(ChangeEntry entry, ReadChange(seq));
  if (entry.change() == Revision::CHANGE_DELETE) {
    return absl::NotFoundError(
        absl::StrCat(NameOf(id), " was deleted by then"));
  }
  auto record = NewRecord();
  if (!record->ParseFromString(entry.snapshot())) {
    return absl::DataLossError("snapshot is unreadable");
  }
  return record;
}

bool Collection::Exists(absl::string_view id) {
  auto value = store_->Get(Cf::kRecords, RecordKey(id));
  return value.ok() && value->has_value();
}

absl::StatusOr<std::unique_ptr<Message>> Collection::Update(
    absl::string_view id, const Message& patch,
    const google::protobuf::FieldMask& mask, const Validator& validate,
    const WriteContext& context) {
  using google::protobuf::util::FieldMaskUtil;
  const auto* descriptor = schema_->prototype->GetDescriptor();
  const std::string field_prefix = "update_mask";

  // Resolve the mask first: its errors need no lock.
  google::protobuf::FieldMask paths;
  bool replace_all = false;
  if (mask.paths_size() == 0) {
    const auto* r = patch.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> set;
    r->ListFields(patch, &set);
    for (const auto* f : set) {
      if (f->number() != 1 &&
          !schema_->output_only_fields.contains(f->name())) {
        paths.add_paths(f->name());
      }
    }
  } else {
    FieldViolations violations;
    for (const std::string& path : mask.paths()) {
      if (path == "*") {
        replace_all = true;
        continue;
      }
      const std::string top = path.substr(0, path.find('.'));
      if (top == "metadata" || schema_->output_only_fields.contains(top)) {
        violations.Add(field_prefix,
                       absl::StrCat("\"", path, "\" is output only"));
      } else if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path,
                                                     nullptr)) {
        violations.Add(field_prefix,
                       absl::StrCat("\"", path, "\" is not a field of ",
                                    descriptor->name()));
      } else {
        paths.add_paths(path);
      }
    }
    RETURN_IF_ERROR(violations.ToStatus());
  }

  const std::string idem_key = IdempotencyKey(context);
  StripeLocks lock(store_, {RecordKey(id), idem_key});
  ASSIGN_OR_RETURN(auto earlier, EarlierResult(idem_key, context));
  if (earlier != nullptr) return earlier;
  ASSIGN_OR_RETURN(auto current, ReadCurrent(id, nullptr));
  const Metadata current_meta = GetMetadata(*current);
  const std::string& etag = GetMetadata(patch).etag();
  if (!etag.empty() && etag != current_meta.etag()) {
    return absl::AbortedError(absl::StrCat(
        "etag \"", etag, "\" is stale: ", NameOf(id), " is at revision ",
        current_meta.revision(), " (etag \"", current_meta.etag(),
        "\"); read it again and reapply your change"));
  }

  auto merged = NewRecord();
  merged->CopyFrom(*current);
  if (replace_all) {
    merged->CopyFrom(patch);
  } else {
    FieldMaskUtil::MergeOptions options;
    options.set_replace_message_fields(true);
    options.set_replace_repeated_fields(true);
    FieldMaskUtil::MergeMessageTo(patch, paths, options, merged.get());
  }
  *MutableMetadata(merged.get()) = current_meta;
  RETURN_IF_ERROR(validate(merged.get()));
  *MutableMetadata(merged.get()) = current_meta;

  if (ChangedFields(current.get(), *merged).empty()) return current;

  rocksdb::WriteBatch batch;
  AddUpdate(*current, merged.get(), id, context, &batch);
  RETURN_IF_ERROR(store_->Write(&batch));
  return merged;
}

void Collection::AddUpdate(const Message& current, Message* next,
                           absl::string_view id, const WriteContext& context,
                           rocksdb::WriteBatch* batch, PendingTotals* totals) {
  const Metadata& current_meta = GetMetadata(current);
  *MutableMetadata(next) = current_meta;
  const absl::Time previous = FromTimestamp(current_meta.update_time());
  const absl::Time now =
      std::max(absl::Now(), previous + absl::Microseconds(1));
  Metadata* m = MutableMetadata(next);
  SetTimestamp(now, m->mutable_update_time());
  m->set_updater(context.actor);
  m->set_revision(current_meta.revision() + 1);
  m->set_etag(MakeEtag(*m));

  PendingTotals own;
  AddDerived(current, id, -1, batch, totals != nullptr ? totals : &own);
  AddDerived(*next, id, +1, batch, totals != nullptr ? totals : &own);
  if (totals == nullptr) AddTotals(own, batch);
  std::string bytes = Serialize(*next);
  batch->Put(store_->cf(Cf::kRecords), RecordKey(id), bytes);
  AddChange(&current, *next, std::move(bytes), id, Revision::CHANGE_UPDATE, now,
            context.actor, batch);
  PutIdempotency(IdempotencyKey(context), id, m->revision(), context, batch);
}

absl::Status Collection::Delete(absl::string_view id, absl::string_view etag,
                                const WriteContext& context) {
  StripeLocks lock(store_, {RecordKey(id)});
  ASSIGN_OR_RETURN(auto current, ReadCurrent(id, nullptr));
  const Metadata& meta = GetMetadata(*current);
  if (!etag.empty() && etag != meta.etag()) {
    return absl::AbortedError(absl::StrCat(
        "etag \"", etag, "\" is stale: ", NameOf(id), " is at revision ",
        meta.revision(), "; read it again before deleting"));
  }
  const absl::Time previous = FromTimestamp(meta.update_time());
  const absl::Time now =
      std::max(absl::Now(), previous + absl::Microseconds(1));
  rocksdb::WriteBatch batch;
  batch.Delete(store_->cf(Cf::kRecords), RecordKey(id));
  AddDerived(*current, id, -1, &batch);
  AddChange(current.get(), *current, Serialize(*current), id,
            Revision::CHANGE_DELETE, now, context.actor, &batch);
  return store_->Write(&batch);
}

absl::StatusOr<std::vector<Revision>> Collection::Revisions(
    absl::string_view id, int64_t after, int limit, bool* more) {
  const std::string prefix = HistoryPrefix(id);
  std::string start = prefix;
  keys::AppendUint64(&start, static_cast<uint64_t>(after + 1));
  auto it = store_->NewIterator(Cf::kIndexes, rocksdb::ReadOptions());
  std::vector<Revision> revisions;
  if (more != nullptr) *more = false;
  const std::string type_url = absl::StrCat(
      "type.googleapis.com/", schema_->prototype->GetDescriptor()->full_name());
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    if (static_cast<int>(revisions.size()) >= limit) {
      if (more != nullptr) *more = true;
      break;
    }
    absl::string_view value(it->value().data(), it->value().size());
    uint64_t seq = 0;
    if (!keys::ConsumeUint64(&value, &seq)) {
      return absl::DataLossError("history entry is malformed");
    }
    absl::StatusOr<ChangeEntry> read = ReadChange(seq);
    if (absl::IsFailedPrecondition(read.status())) {
      // Past the change log's retention: its number and time, no more.
      int64_t micros = 0;
      if (!keys::ConsumeInt64(&value, &micros)) {
        return absl::DataLossError("history entry is malformed");
      }
      absl::string_view key(it->key().data(), it->key().size());
      key.remove_prefix(prefix.size());
      uint64_t number = 0;
      if (!keys::ConsumeUint64(&key, &number)) {
        return absl::DataLossError("history key is malformed");
      }
      Revision& r = revisions.emplace_back();
      r.set_revision(static_cast<int64_t>(number));
      SetTimestamp(absl::FromUnixMicros(micros), r.mutable_change_time());
      continue;
    }
    if (!read.ok()) return read.status();
    const ChangeEntry& entry = *read;
    Revision& r = revisions.emplace_back();
    r.set_revision(entry.revision());
    r.set_change(entry.change());
    *r.mutable_change_time() = entry.change_time();
    r.set_actor(entry.actor());
    *r.mutable_changed_fields() = entry.changed_fields();
    r.mutable_snapshot()->set_type_url(type_url);
    r.mutable_snapshot()->set_value(entry.snapshot());
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading history"));
  return revisions;
}

absl::StatusOr<RollupValue> Collection::Rollup(absl::string_view key) {
  std::string full;
  keys::AppendString(&full, schema_->collection);
  full.append(key.data(), key.size());
  ASSIGN_OR_RETURN(auto bytes, store_->Get(Cf::kRollups, full));
  RollupValue value;
  if (bytes.has_value() && !value.ParseFromString(*bytes)) {
    return absl::DataLossError("rollup is unreadable");
  }
  return value;
}

absl::Status Collection::ScanRollups(
    absl::string_view begin, absl::string_view end,
    const std::function<void(absl::string_view, const RollupValue&)>& fn) {
  std::string prefix;
  keys::AppendString(&prefix, schema_->collection);
  const std::string lower = absl::StrCat(prefix, begin);
  const std::string upper = absl::StrCat(prefix, end);
  rocksdb::ReadOptions options;
  rocksdb::Slice upper_slice(upper);
  options.iterate_upper_bound = &upper_slice;
  auto it = store_->NewIterator(Cf::kRollups, options);
  for (it->Seek(lower); it->Valid(); it->Next()) {
    RollupValue value;
    if (!value.ParseFromArray(it->value().data(),
                              static_cast<int>(it->value().size()))) {
      return absl::DataLossError("rollup is unreadable");
    }
    absl::string_view key(it->key().data(), it->key().size());
    fn(key.substr(prefix.size()), value);
  }
  return FromRocksStatus(it->status(), "scanning rollups");
}

absl::Status Collection::ForEach(
    const std::function<void(const Message&)>& fn) {
  std::string prefix;
  keys::AppendString(&prefix, schema_->collection);
  auto it = store_->NewIterator(Cf::kRecords, rocksdb::ReadOptions());
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    auto record = NewRecord();
    if (!record->ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
      return absl::DataLossError("record is unreadable");
    }
    fn(*record);
  }
  return FromRocksStatus(it->status(), "scanning");
}

}  // namespace parley
