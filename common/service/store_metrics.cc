#include "common/service/store_metrics.h"

#include <utility>

#include "prometheus/metric_family.h"
#include "rocksdb/statistics.h"

namespace parley {

namespace {
using prometheus::MetricType;
}  // namespace

std::shared_ptr<StoreMetrics> StoreMetrics::AddTo(Metrics* metrics) {
  auto collector = std::make_shared<StoreMetrics>();
  metrics->AddCollectable(collector);
  return collector;
}

void StoreMetrics::Attach(Store* store) {
  absl::MutexLock lock(&mu_);
  store_ = store;
}

void StoreMetrics::Detach() {
  absl::MutexLock lock(&mu_);
  store_ = nullptr;
}

std::vector<prometheus::MetricFamily> StoreMetrics::Collect() const {
  absl::MutexLock lock(&mu_);
  std::vector<prometheus::MetricFamily> out;
  if (store_ == nullptr) return out;
  rocksdb::Statistics* stats = store_->statistics();
  rocksdb::DB* db = store_->db();
  auto ticker = [stats](uint32_t t) -> double {
    return stats == nullptr ? 0 : static_cast<double>(stats->getTickerCount(t));
  };
  // Summed over the column families.
  auto property = [db](const std::string& name) -> double {
    uint64_t value = 0;
    return db->GetAggregatedIntProperty(name, &value)
               ? static_cast<double>(value)
               : 0;
  };
  auto add = [&out](const char* name, const char* help, MetricType type,
                    double value) {
    prometheus::MetricFamily family;
    family.name = name;
    family.help = help;
    family.type = type;
    prometheus::ClientMetric metric;
    if (type == MetricType::Counter) {
      metric.counter.value = value;
    } else {
      metric.gauge.value = value;
    }
    family.metric.push_back(std::move(metric));
    out.push_back(std::move(family));
  };

  // A write group is one leader writing (and syncing) for itself and the
  // writers queued behind it: WRITE_DONE_BY_SELF counts groups,
  // WRITE_DONE_BY_OTHER the writes that rode along.
  const double groups = ticker(rocksdb::WRITE_DONE_BY_SELF);
  const double writes = groups + ticker(rocksdb::WRITE_DONE_BY_OTHER);
  add("parley_store_wal_syncs_total", "WAL syncs since the store opened",
      MetricType::Counter, ticker(rocksdb::WAL_FILE_SYNCED));
  {
    // Each sync's time, to set beside the disk's own fdatasync figure
    // (pg_test_fsync): a synced write should cost one sync, not two.
    rocksdb::HistogramData syncs{};
    if (stats != nullptr) {
      stats->histogramData(rocksdb::WAL_FILE_SYNC_MICROS, &syncs);
    }
    prometheus::MetricFamily family;
    family.name = "parley_store_wal_sync_seconds";
    family.help = "Time each WAL sync took";
    family.type = MetricType::Summary;
    prometheus::ClientMetric metric;
    metric.summary.sample_count = syncs.count;
    metric.summary.sample_sum = static_cast<double>(syncs.sum) / 1e6;
    family.metric.push_back(std::move(metric));
    out.push_back(std::move(family));
  }
  add("parley_store_writes_total",
      "Write batches committed since the store opened", MetricType::Counter,
      writes);
  add("parley_store_write_groups_total",
      "Write groups (batches committed together, one WAL sync each) since "
      "the store opened",
      MetricType::Counter, groups);
  add("parley_store_writes_per_group",
      "Writes per write group since the store opened (0 before any write)",
      MetricType::Gauge, groups > 0 ? writes / groups : 0);
  add("parley_store_bytes_written_total",
      "Bytes of keys and values written since the store opened",
      MetricType::Counter, ticker(rocksdb::BYTES_WRITTEN));
  add("parley_store_wal_bytes_written_total",
      "Bytes written to the WAL since the store opened", MetricType::Counter,
      ticker(rocksdb::WAL_FILE_BYTES));
  add("parley_store_compaction_pending",
      "Column families with a compaction pending", MetricType::Gauge,
      property("rocksdb.compaction-pending"));
  add("parley_store_pending_compaction_bytes",
      "Estimated bytes compaction has yet to rewrite", MetricType::Gauge,
      property("rocksdb.estimate-pending-compaction-bytes"));
  add("parley_store_size_bytes",
      "Bytes on disk: SST files (live and not yet deleted) and live WAL "
      "files",
      MetricType::Gauge,
      property("rocksdb.total-sst-files-size") + LiveWalBytes(db));
  return out;
}

double StoreMetrics::LiveWalBytes(rocksdb::DB* db) {
  rocksdb::VectorLogPtr files;
  if (!db->GetSortedWalFiles(files).ok()) return 0;
  double bytes = 0;
  for (const auto& file : files) {
    if (file->Type() == rocksdb::kAliveLogFile)
      bytes += static_cast<double>(file->SizeFileBytes());
  }
  return bytes;
}

}  // namespace parley
