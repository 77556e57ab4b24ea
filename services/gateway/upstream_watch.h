// Whether the gateway can reach its stores. It probes each domain service's
// grpc.health.v1 every second (every few seconds once all answer), logs when
// one becomes reachable or unreachable, and makes the gateway ready (health
// "parley.reports.v1.ReportService" SERVING, the readiness probe's) once
// every store has answered SERVING: so that a Kubernetes Service sends no
// traffic to a gateway started before its stores (a headless Service lists
// a store only once it is Ready, and the gateway's first lookups of it
// fail), and the gateway gets there by itself, while its liveness ("") says
// SERVING all along. Once ready it stays so: a store that goes away later
// makes the reports list their missing sections, better than no gateway.
#ifndef PARLEY_SERVICES_GATEWAY_UPSTREAM_WATCH_H_
#define PARLEY_SERVICES_GATEWAY_UPSTREAM_WATCH_H_

#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

class UpstreamWatch {
 public:
  // Probes the three services of `upstreams`, which must outlive it. After
  // `wait_at_most` without every store it says ready all the same (reports
  // then list what is missing), so that a gateway rolled out while a store
  // is down for a restore does not stay out of service.
  UpstreamWatch(Upstreams* upstreams, absl::Duration wait_at_most);
  ~UpstreamWatch();
  UpstreamWatch(const UpstreamWatch&) = delete;
  UpstreamWatch& operator=(const UpstreamWatch&) = delete;

  // Starts probing; `set_serving(true)` once every store has answered.
  void Start(std::function<void(bool)> set_serving);
  // Stops probing (idempotent); returns once the prober has ended.
  void Stop();

  // One round of probes now: true if every store answered SERVING. Logs
  // each change of reachability.
  bool ProbeOnce();

 private:
  void Run();

  Upstreams* upstreams_;
  const absl::Duration wait_at_most_;
  std::function<void(bool)> set_serving_;
  std::vector<int> reachable_;  // per store: -1 not yet known, 0 no, 1 yes
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_UPSTREAM_WATCH_H_
