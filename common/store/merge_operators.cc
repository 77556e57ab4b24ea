#include "common/store/merge_operators.h"

#include <string>

#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "parley/model/v1/rollup_value.pb.h"

namespace parley {
namespace {

class RollupMergeOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/,
             const rocksdb::Slice* existing_value, const rocksdb::Slice& value,
             std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    model::v1::RollupValue total;
    if (existing_value != nullptr &&
        !total.ParseFromArray(existing_value->data(),
                              static_cast<int>(existing_value->size()))) {
      return false;
    }
    model::v1::RollupValue delta;
    if (!delta.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return false;
    }
    AddRollup(delta, &total);
    return total.SerializeToString(new_value);
  }
  const char* Name() const override { return "parley.RollupSum"; }
};

class MaxMergeOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/,
             const rocksdb::Slice* existing_value, const rocksdb::Slice& value,
             std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    uint64_t a = 0, b = 0;
    absl::string_view in(value.data(), value.size());
    if (!keys::ConsumeUint64(&in, &b)) return false;
    if (existing_value != nullptr) {
      absl::string_view old(existing_value->data(), existing_value->size());
      if (!keys::ConsumeUint64(&old, &a)) return false;
    }
    new_value->clear();
    keys::AppendUint64(new_value, std::max(a, b));
    return true;
  }
  const char* Name() const override { return "parley.Max"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewRollupMergeOperator() {
  return std::make_shared<RollupMergeOperator>();
}

std::shared_ptr<rocksdb::MergeOperator> NewMaxMergeOperator() {
  return std::make_shared<MaxMergeOperator>();
}

}  // namespace parley
