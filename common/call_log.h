// One JSON log line per call: method, status code, latency, caller, peer.
// No request content and no metadata but the caller's name (never the
// authorization header), so no secrets or personal data reach the logs.
// Each call is also counted and timed in Metrics.
#ifndef PARLEY_COMMON_CALL_LOG_H_
#define PARLEY_COMMON_CALL_LOG_H_

#include <memory>

#include "common/auth.h"
#include "common/metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace parley {

// `identify` names the caller in each line (null: "x-parley-caller").
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewCallLogInterceptorFactory(Metrics* metrics = &Metrics::Default(),
                             const Admission* identify = nullptr);

}  // namespace parley

#endif  // PARLEY_COMMON_CALL_LOG_H_
