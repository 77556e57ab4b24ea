// Keeps stored rollups in step with the schema that writes them. A schema
// that gains or changes rollups bumps its `rollups_version`; the first start
// on a store written by an older version rebuilds that collection's rollups
// from its records before serving, and records the version.
#ifndef PARLEY_COMMON_STORE_ROLLUP_UPGRADE_H_
#define PARLEY_COMMON_STORE_ROLLUP_UPGRADE_H_

#include <vector>

#include "absl/status/status.h"
#include "common/store/collection.h"

namespace parley {

// Rebuilds the rollups of every collection whose stored version differs
// from its schema's. Must run before the service takes writes.
absl::Status UpgradeRollups(const std::vector<Collection*>& collections);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_ROLLUP_UPGRADE_H_
