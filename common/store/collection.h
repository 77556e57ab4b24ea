// A collection of records of one resource type in a Store: create with
// idempotency, get (now or as of a past time), list through an index,
// update under a field mask with etags, delete, and history. Every mutation
// is one WriteBatch holding the record, its index entries, its change-log
// entry and its rollup deltas. Domains supply only a schema.
#ifndef PARLEY_COMMON_STORE_COLLECTION_H_
#define PARLEY_COMMON_STORE_COLLECTION_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/model/date_span.h"
#include "common/store/store.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "parley/common/v1/metadata.pb.h"
#include "parley/common/v1/revision.pb.h"
#include "parley/model/v1/rollup_value.pb.h"
#include "parley/store/v1/store.pb.h"

namespace parley {

using google::protobuf::Message;

// A value a record can be found by: {"party", "UA"}.
struct IndexTerm {
  std::string index;
  std::string value;
  friend bool operator==(const IndexTerm&, const IndexTerm&) = default;
};

// Rollup key (within the collection) -> delta.
using RollupDeltas =
    absl::flat_hash_map<std::string, ::parley::model::v1::RollupValue>;

struct CollectionSchema {
  // Collection id, also the resource-name prefix: "agreements".
  std::string collection;
  // An empty record of the type; must have `Metadata metadata = 1`.
  const Message* prototype = nullptr;
  // Fields Update may not set (besides metadata): the resolved spans.
  absl::flat_hash_set<std::string> output_only_fields;
  // Every term the record can be listed by.
  std::function<std::vector<IndexTerm>(const Message&)> index_terms;
  // The record's date, for the date index (a span filter is a range scan).
  std::function<std::optional<DateSpan>(const Message&)> date;
  // Adds the record's totals, times `sign`, to `deltas`. May be empty.
  std::function<void(const Message&, int sign, RollupDeltas*)> rollups;
  // Fields that say only which export of a dataset a record came from
  // ("provenance.version"): a put (PutMany) that would change nothing else
  // leaves the record as it is, so re-importing a newer export makes no
  // revision of the rows it did not change.
  std::vector<std::string> provenance_fields;
  // Bump when `rollups` changes what it writes: a store written before is
  // rebuilt on its next start (common/rollup_upgrade.h).
  int rollups_version = 1;
};

// Who makes a change, and the idempotency key of a create.
struct WriteContext {
  std::string actor;
  std::string request_id;
  // Fingerprint of the whole create request, to refuse a key's reuse.
  uint64_t request_fingerprint = 0;
};

// Where a listing stopped: the scan it used and the last key it returned,
// for the next page to resume after. The API wraps it in an opaque page
// token bound to the request's filters (common/api/paging.h); a cursor of
// another scan is refused as a "page_token" of another query.
struct ListCursor {
  uint32_t plan = 0;
  std::string last_key;
};

struct ListQuery {
  // Records whose date overlaps this span.
  std::optional<DateSpan> span;
  // Records that have every term. The first drives the scan: list the most
  // selective first.
  std::vector<IndexTerm> terms;
  // Any further condition, checked on each candidate record.
  std::function<bool(const Message&)> matches;
  // List as the store stood then: records as they were at that time. Reads
  // the collection's history, so it costs more than a current listing.
  std::optional<absl::Time> read_time;
  int page_size = 50;
  // Resume after the previous page (its ListResult::next).
  std::optional<ListCursor> resume;
};

struct ListResult {
  std::vector<std::unique_ptr<Message>> records;
  // Set if there may be more: where the next page resumes.
  std::optional<ListCursor> next;
};

// One record of a batch of creates (Collection::CreateMany): valid already.
struct CreateItem {
  // Taken: what is stored is moved out of it, which leaves it empty.
  Message* record = nullptr;
  // Empty: generated.
  std::string id;
  WriteContext context;
};

// One record of a batch that puts records whole (Collection::PutMany): it
// replaces the record of its id, or creates it if there is none. Valid
// already.
struct PutItem {
  // Taken, as CreateItem's is.
  Message* record = nullptr;
  std::string id;
  WriteContext context;
  // Create the record if there is none (else NOT_FOUND).
  bool allow_missing = false;
  // If set, the record's current etag must be this (else ABORTED).
  std::string etag;
};

// What became of one item of a batch.
enum class BatchOutcome {
  kCreated,
  // A retry: an earlier request with its request_id stored it.
  kAlreadyDone,
  kUpdated,
  // It said what the record already says: no new revision.
  kUnchanged,
  // Not stored: `status` says why.
  kRefused,
};

struct BatchItemResult {
  BatchOutcome outcome = BatchOutcome::kRefused;
  absl::Status status;
  // The record stored or found (null if refused).
  std::unique_ptr<Message> record;
};

// Checks (and may normalize) a record before it is written; field paths are
// reported under the request's field name.
using Validator = std::function<absl::Status(Message* record)>;

class Collection {
 public:
  // Both must outlive the collection.
  Collection(Store* store, const CollectionSchema* schema)
      : store_(store), schema_(schema) {}

  const CollectionSchema& schema() const { return *schema_; }
  // For checks and rebuilds (common/store_check.h), which read its layout.
  Store* store() const { return store_; }
  std::string NameOf(absl::string_view id) const;

  // Stores a new record under `id` (generated if empty). The record must be
  // valid already. A repeated `request_id` returns the first result.
  absl::StatusOr<std::unique_ptr<Message>> Create(const Message& record,
                                                  std::string id,
                                                  const WriteContext& context);

  // Stores every item that can be stored in one WriteBatch, with one WAL
  // sync: the records, their index entries, rollups, change-log entries and
  // request ids, exactly as Create would one by one. An item that cannot be
  // stored (its id taken, or named twice in the batch; its request_id used
  // for another request) is refused alone and leaves nothing behind; a
  // retried item (same request_id) gets its first result. Results are in
  // item order. Not all-or-nothing, except that a failed write (a full disk)
  // refuses every item it held.
  std::vector<BatchItemResult> CreateMany(const std::vector<CreateItem>& items);

  // Like CreateMany, but each item replaces the record of its id whole (a
  // new revision), or creates it if there is none; one that would change
  // nothing is left alone (kUnchanged). A deleted id is not reused: refused.
  // How an import keeps a dataset's records current.
  std::vector<BatchItemResult> PutMany(const std::vector<PutItem>& items);

  // The record now, or as it stood at `read_time`.
  absl::StatusOr<std::unique_ptr<Message>> Get(
      absl::string_view id, std::optional<absl::Time> read_time = std::nullopt);

  bool Exists(absl::string_view id);

  absl::StatusOr<ListResult> List(const ListQuery& query);

  // With a request id in `context`, a repeated update returns the revision
  // the first one made.
  // Applies `patch` under `mask` (empty: every field set in the patch; "*":
  // all) to the current record, refusing a stale etag (taken from the
  // patch's metadata), validates the result, and stores it as a new
  // revision. `request_field` prefixes mask errors ("agreement").
  absl::StatusOr<std::unique_ptr<Message>> Update(
      absl::string_view id, const Message& patch,
      const google::protobuf::FieldMask& mask, const Validator& validate,
      const WriteContext& context);

  absl::Status Delete(absl::string_view id, absl::string_view etag,
                      const WriteContext& context);

  // The revisions of a record, oldest first, from revision `after` + 1.
  absl::StatusOr<std::vector<::parley::common::v1::Revision>> Revisions(
      absl::string_view id, int64_t after, int limit, bool* more);

  // Totals under `key` (as written by the schema's rollups).
  absl::StatusOr<::parley::model::v1::RollupValue> Rollup(
      absl::string_view key);

  // Every rollup whose key (within the collection) is in [begin, end), in
  // key order: totals over a range of days are one range scan.
  absl::Status ScanRollups(
      absl::string_view begin, absl::string_view end,
      const std::function<void(absl::string_view key,
                               const ::parley::model::v1::RollupValue&)>& fn);

  // The most days any record's date has spanned (at least 1): a record
  // reaching into a window starts at most this many days - 1 before it.
  absl::StatusOr<int64_t> LongestSpanDays(
      const rocksdb::Snapshot* snapshot = nullptr);

  // Every current record, in id order: for checks and rebuilds, not serving.
  absl::Status ForEach(const std::function<void(const Message&)>& fn);

 private:
  // What the records of one batch add to totals, summed before they are
  // written: one merge per rollup key (and one for the longest span) for
  // the whole batch, not one per record.
  struct PendingTotals {
    RollupDeltas rollups;  // by full key (with the collection's prefix)
    uint64_t longest_days = 0;
  };
  std::unique_ptr<Message> NewRecord() const;
  absl::StatusOr<std::unique_ptr<Message>> ReadCurrent(
      absl::string_view id, const rocksdb::Snapshot* snapshot);
  // The record of `id` from its stored bytes (NOT_FOUND if none).
  absl::StatusOr<std::unique_ptr<Message>> ParseCurrent(
      absl::string_view id, const std::optional<std::string>& bytes) const;
  absl::StatusOr<::parley::store::v1::ChangeEntry> ReadChange(uint64_t seq);
  // List as of query.read_time: one pass over the history index.
  absl::StatusOr<ListResult> ListAsOf(const ListQuery& query,
                                      const std::string& resume_after);
  // Whether a record passes the query's span, terms and predicate.
  bool Matches(const ListQuery& query, const Message& record, bool span_checked,
               size_t terms_checked) const;
  // What a record adds besides itself, from the record alone: its index
  // entries (key, value) and its totals (by full key) times `sign`.
  struct Derived {
    std::vector<std::pair<std::string, std::string>> index_entries;
    RollupDeltas rollups;
    uint64_t span_days = 0;  // its date's length; 0: no date
  };
  Derived DerivedOf(const Message& record, absl::string_view id,
                    int sign) const;
  // Puts (sign = +1) or deletes (sign = -1) the index entries and adds the
  // totals: to `totals`, or without them straight into the batch.
  void ApplyDerived(const Derived& derived, int sign,
                    rocksdb::WriteBatch* batch, PendingTotals* totals);
  // Puts (sign = +1) or deletes (sign = -1) the record's index entries and
  // adds its rollups: into the batch, or, with `totals`, into those.
  void AddDerived(const Message& record, absl::string_view id, int sign,
                  rocksdb::WriteBatch* batch, PendingTotals* totals = nullptr);
  // Writes what `totals` add up to into the batch.
  void AddTotals(const PendingTotals& totals, rocksdb::WriteBatch* batch);
  // What a batch reads before it decides, all at once under its locks (one
  // MultiGet per column family), per item: the entry of its request id, its
  // current record (if `records`), and whether its id was ever used.
  struct BatchReads {
    std::vector<std::optional<std::string>> requests;
    std::vector<std::optional<std::string>> records;
    std::vector<bool> ever_used;
  };
  absl::Status ReadForBatch(const std::vector<std::string>& ids,
                            const std::vector<const WriteContext*>& contexts,
                            bool records, BatchReads* reads);
  // A batch of many items: the result an earlier request with the item's
  // request id made (or the refusal reading it), nullopt if none. `seen` is
  // its request id's entry.
  std::optional<BatchItemResult> EarlierItemResult(
      const std::optional<std::string>& seen, const WriteContext& context);
  // Writes `batch` with `totals` if it holds any item (`written`, their
  // indexes in `results`); a failed write refuses each of them.
  void CommitBatch(const PendingTotals& totals,
                   const std::vector<size_t>& written,
                   rocksdb::WriteBatch* batch,
                   std::vector<BatchItemResult>* results);
  // `snapshot` is `after` serialized (the caller has it already);
  // `changed`, if given, the fields that differ from `before`.
  void AddChange(const Message* before, const Message& after,
                 std::string snapshot, absl::string_view id,
                 ::parley::common::v1::Revision::Change change, absl::Time when,
                 const std::string& actor, rocksdb::WriteBatch* batch,
                 const std::vector<std::string>* changed = nullptr);
  std::string RecordKey(absl::string_view id) const;
  // Idempotency: the meta key of a request id ("" without one), the result
  // an earlier request with it made (null if none; ALREADY_EXISTS if it was
  // another request), and the entry that records this one.
  std::string IdempotencyKey(const WriteContext& context) const;
  absl::StatusOr<std::unique_ptr<Message>> EarlierResult(
      const std::string& idem_key, const WriteContext& context);
  // The same from the request id's entry as read (nullopt: none).
  absl::StatusOr<std::unique_ptr<Message>> ResultOfRequest(
      const std::optional<std::string>& seen, const WriteContext& context);
  void PutIdempotency(const std::string& idem_key, absl::string_view id,
                      int64_t revision, const WriteContext& context,
                      rocksdb::WriteBatch* batch);
  std::string HistoryPrefix(absl::string_view id) const;
  // A new record with the contents of `input` (which it takes, leaving it
  // empty) and the metadata of revision 1.
  std::unique_ptr<Message> NewRevisionOne(Message* input, absl::string_view id,
                                          const std::string& actor,
                                          absl::Time now) const;
  // A create worked out from the record alone, before a batch takes its
  // locks, so that what the locks cover is short: the record serialized
  // without its metadata, what derives from it, and its fields.
  struct PreparedCreate {
    std::string body;
    Derived derived;
    std::vector<std::string> fields;
  };
  // Takes `input`'s metadata away (a create's is made anew).
  PreparedCreate PrepareCreate(Message* input, absl::string_view id) const;
  // Adds a created record (its metadata stamped) to `batch`: the record,
  // what derives from it, its change and its request id.
  void AddCreate(const Message& record, const PreparedCreate& prepared,
                 absl::string_view id, const WriteContext& context,
                 absl::Time now, rocksdb::WriteBatch* batch,
                 PendingTotals* totals);
  // Whether `next` says what `current` does but for its provenance fields.
  bool SameButProvenance(const Message& current, const Message& next) const;
  // Adds `next` as the revision after `current`, stamping its metadata.
  void AddUpdate(const Message& current, Message* next, absl::string_view id,
                 const WriteContext& context, rocksdb::WriteBatch* batch,
                 PendingTotals* totals = nullptr);

  Store* store_;
  const CollectionSchema* schema_;
};

// The metadata of any record (its field 1).
::parley::common::v1::Metadata* MutableMetadata(Message* record);
const ::parley::common::v1::Metadata& GetMetadata(const Message& record);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_COLLECTION_H_
