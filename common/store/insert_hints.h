// Where a memtable keeps an insert hint. A bulk import writes each stream
// of keys (a collection's records, one index term's entries, its dates, its
// history) in runs of neighbouring keys, since exports list records in
// order, but one WriteBatch interleaves a dozen streams. RocksDB's insert
// hints keep one skip-list position per stream, so the next key of a run
// goes in beside the last instead of down from the top of a list of
// millions.
#ifndef PARLEY_COMMON_STORE_INSERT_HINTS_H_
#define PARLEY_COMMON_STORE_INSERT_HINTS_H_

#include <memory>

#include "rocksdb/slice_transform.h"

namespace parley {

// Records: "collection" of collection/id.
std::shared_ptr<const rocksdb::SliceTransform> RecordStreams();
// Indexes: collection/t/index/value of a term's entries, collection/d of
// dates, collection/h of history. Other keys take no hint.
std::shared_ptr<const rocksdb::SliceTransform> IndexStreams();

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_INSERT_HINTS_H_
