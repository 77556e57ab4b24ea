// RocksDB merge operators, so that concurrent writers update totals without
// read-modify-write races.
#ifndef PARLEY_COMMON_STORE_MERGE_OPERATORS_H_
#define PARLEY_COMMON_STORE_MERGE_OPERATORS_H_

#include <memory>

#include "rocksdb/merge_operator.h"

namespace parley {

// Rollups: values are serialized RollupValue; merging adds field by field.
std::shared_ptr<rocksdb::MergeOperator> NewRollupMergeOperator();

// Meta maxima: values are 8-byte big-endian uint64; merging keeps the max.
std::shared_ptr<rocksdb::MergeOperator> NewMaxMergeOperator();

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_MERGE_OPERATORS_H_
