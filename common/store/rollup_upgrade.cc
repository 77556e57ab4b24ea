#include "common/store/rollup_upgrade.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status.h"
#include "common/store/store_check.h"

namespace parley {
namespace {

std::string VersionKey(const CollectionSchema& schema) {
  return absl::StrCat("rollups-version|", schema.collection);
}

}  // namespace

absl::Status UpgradeRollups(const std::vector<Collection*>& collections) {
  for (Collection* collection : collections) {
    const CollectionSchema& schema = collection->schema();
    Store* store = collection->store();
    ASSIGN_OR_RETURN(auto stored, store->Get(Cf::kMeta, VersionKey(schema)));
    // A store from before versions were recorded counts as version 0.
    int version = 0;
    if (stored.has_value() && !absl::SimpleAtoi(*stored, &version)) {
      return absl::DataLossError(absl::StrCat(
          "rollups version of ", schema.collection, " is unreadable"));
    }
    if (stored.has_value() && version == schema.rollups_version) continue;
    Log(LogLevel::kInfo, "rebuilding rollups",
        {{"collection", schema.collection},
         {"from_version", version},
         {"to_version", schema.rollups_version}});
    RETURN_IF_ERROR(RebuildRollups(*collection));
    // Apart from the rebuild: a crash in between only rebuilds again.
    rocksdb::WriteBatch batch;
    batch.Put(store->cf(Cf::kMeta), VersionKey(schema),
              absl::StrCat(schema.rollups_version));
    RETURN_IF_ERROR(store->Write(&batch));
  }
  return absl::OkStatus();
}

}  // namespace parley
