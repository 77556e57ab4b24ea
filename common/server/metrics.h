// Prometheus metrics of one process: per-method call counts by status code
// and latency (fed by the call log interceptor), the gateway's failed
// upstream calls, and whatever else a service adds (its store's figures,
// read at scrape time). One registry, served as text at GET /metrics on its
// own port.
#ifndef PARLEY_COMMON_SERVER_METRICS_H_
#define PARLEY_COMMON_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/status.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace parley {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The process's metrics: what the servers and the gateway feed, and what
  // /metrics serves. Never destroyed, so the endpoint's threads can answer
  // until the process exits.
  static Metrics& Default();

  prometheus::Registry& registry() { return *registry_; }

  // A finished call of `method` ("/pkg.Service/Method"): counted in
  // parley_rpc_calls_total{method,code}, timed in
  // parley_rpc_latency_seconds{method}.
  void RecordCall(absl::string_view method, grpc::StatusCode code,
                  absl::Duration latency);

  // A call from the gateway to domain service `service` ("exchanges") that
  // did not return OK: parley_gateway_upstream_errors_total{service,code}.
  // (A family shows in the text only once it has a sample, so the domain
  // services never show this one.)
  void RecordUpstreamError(absl::string_view service, grpc::StatusCode code);

  // More figures, collected at each scrape beside the registry's (a
  // store's: common/service/store_metrics.h). Kept as long as this is.
  void AddCollectable(
      const std::shared_ptr<prometheus::Collectable>& collectable);

  // What GET /metrics answers, in the Prometheus text format, less the
  // endpoint's own exposer_* figures.
  std::string Text() const;

  // Serves GET /metrics on `address` ("host:port"; port 0 picks a free one)
  // until the process exits. Returns the port bound.
  absl::StatusOr<int> Serve(const std::string& address);

 private:
  static constexpr int kCodes = 17;  // grpc::StatusCode OK..UNAUTHENTICATED
  // The series of one label value (a method, a service), created on first
  // use and kept, so that a call costs a shared lock and a hash lookup.
  struct Series {
    std::string label;  // the key, or "other" past kMaxKeys
    prometheus::Histogram* latency = nullptr;
    std::array<std::atomic<prometheus::Counter*>, kCodes> by_code{};
  };
  using SeriesMap = absl::flat_hash_map<std::string, std::unique_ptr<Series>>;
  // At most kMaxKeys label values per map; later ones share "other", so
  // that callers inventing method names cannot grow the series unbounded.
  static constexpr size_t kMaxKeys = 500;
  Series& SeriesOf(SeriesMap& map, absl::string_view key, bool with_latency)
      ABSL_LOCKS_EXCLUDED(mu_);
  static prometheus::Counter& CountOf(
      Series& series, prometheus::Family<prometheus::Counter>& family,
      const char* key_label, grpc::StatusCode code);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* calls_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Family<prometheus::Counter>* upstream_errors_;

  absl::Mutex mu_;
  SeriesMap methods_ ABSL_GUARDED_BY(mu_);
  SeriesMap services_ ABSL_GUARDED_BY(mu_);

  mutable absl::Mutex serve_mu_;
  std::unique_ptr<prometheus::Exposer> exposer_ ABSL_GUARDED_BY(serve_mu_);
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_
      ABSL_GUARDED_BY(serve_mu_);
};

// Where metrics are served unless --metrics_listen says: 127.0.0.1 and the
// gRPC address `listen`'s port + 1000, so that a second suite on other ports
// does not collide with the first; a free port when `listen`'s is 0 (or has
// none, or is past 64535).
std::string DefaultMetricsAddress(absl::string_view listen);

// Serves Metrics::Default() on --metrics_listen (default
// DefaultMetricsAddress(listen); "none" serves nothing) and logs where.
// False, with an error logged, if the address cannot be bound: the service
// must not start.
bool ServeMetricsFromFlags(absl::string_view listen);

// For the gateway's channels to domain service `service` ("exchanges"):
// every call that does not return OK is counted by
// Metrics::RecordUpstreamError, whichever code path made it.
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>
NewUpstreamErrorInterceptorFactory(std::string service,
                                   Metrics* metrics = &Metrics::Default());

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_METRICS_H_
