// One JSON log line per call: method, status code, latency, caller, peer.
// No request content, so no secrets or personal data reach the logs.
#ifndef PARLEY_COMMON_CALL_LOG_H_
#define PARLEY_COMMON_CALL_LOG_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace parley {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewCallLogInterceptorFactory();

}  // namespace parley

#endif  // PARLEY_COMMON_CALL_LOG_H_
