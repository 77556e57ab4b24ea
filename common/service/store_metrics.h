// A domain service's store figures (parley_store_*) in its metrics, read
// from RocksDB at each scrape: its statistics tickers are cumulative since
// the store opened, its properties current.
#ifndef PARLEY_COMMON_SERVICE_STORE_METRICS_H_
#define PARLEY_COMMON_SERVICE_STORE_METRICS_H_

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/server/metrics.h"
#include "common/store/store.h"
#include "prometheus/collectable.h"

namespace parley {

class StoreMetrics final : public prometheus::Collectable {
 public:
  // A collector that `metrics` serves from now on (with no store until
  // Attach).
  static std::shared_ptr<StoreMetrics> AddTo(Metrics* metrics);

  // Scrapes read `store` from now on.
  void Attach(Store* store);
  // Waits for a scrape in progress: the store may be closed as soon as this
  // returns.
  void Detach();

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  static double LiveWalBytes(rocksdb::DB* db);

  mutable absl::Mutex mu_;
  Store* store_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace parley

#endif  // PARLEY_COMMON_SERVICE_STORE_METRICS_H_
