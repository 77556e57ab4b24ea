// One JSON log line per call: method, status code, latency, caller, peer.
// No request content and no metadata but the caller's name (never the
// authorization header), so no secrets or personal data reach the logs.
// Each call is also counted and timed in Metrics.
#ifndef PARLEY_COMMON_SERVER_CALL_LOG_H_
#define PARLEY_COMMON_SERVER_CALL_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/server/auth.h"
#include "common/server/metrics.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"

namespace parley {

// Counts and times one finished call of `method` ("/package.Service/Method")
// and writes its line; a health check that succeeds is counted, not logged.
void RecordCall(Metrics* metrics, absl::string_view method,
                const grpc::Status& status, absl::Duration latency,
                absl::string_view caller);

// The call log for the calls no handler records itself: gRPC's health and
// reflection, unknown methods. `identify` names the caller in each line
// (null: "x-parley-caller"). The methods of `logged_services` (full gRPC
// service names) are left alone: their handlers (ServiceHost, the gateway's
// forwarding) call RecordCall, because an interceptor on a call costs more
// CPU than the handler's own work on a point read (docs/benchmarks.md).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewCallLogInterceptorFactory(
    Metrics* metrics = &Metrics::Default(), const Admission* identify = nullptr,
    const std::vector<std::string>& logged_services = {});

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_CALL_LOG_H_
