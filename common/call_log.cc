#include "common/call_log.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace parley {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";

class CallLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallLogInterceptor(grpc::experimental::ServerRpcInfo* info, Metrics* metrics,
                     const Admission* identify)
      : metrics_(metrics),
        identify_(identify),
        method_(info->method()),
        start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      caller_ = identify_->Identify(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const absl::Duration latency = absl::Now() - start_;
      // Invented method names share one series, so that callers cannot
      // crowd out the real methods' series.
      metrics_->RecordCall(
          status.error_code() == grpc::StatusCode::UNIMPLEMENTED
              ? "unimplemented"
              : method_,
          status.error_code(), latency);
      // Probes check health every few seconds: counted, not logged.
      if (status.ok() && method_ == kHealthCheck) {
        methods->Proceed();
        return;
      }
      Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning, "call",
          {{"method", method_},
           {"code", absl::StatusCodeToString(
                        static_cast<absl::StatusCode>(status.error_code()))},
           {"latency_ms", absl::ToDoubleMilliseconds(latency)},
           {"caller", caller_.empty() ? "anonymous" : caller_}});
    }
    methods->Proceed();
  }

 private:
  Metrics* metrics_;
  const Admission* identify_;
  std::string method_;
  absl::Time start_;
  std::string caller_;
};

class CallLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallLogInterceptorFactory(Metrics* metrics, const Admission* identify)
      : metrics_(metrics),
        identify_(identify != nullptr ? identify : &by_header_) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLogInterceptor(info, metrics_, identify_);
  }

 private:
  Metrics* metrics_;
  ServiceAdmission by_header_;
  const Admission* identify_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewCallLogInterceptorFactory(Metrics* metrics, const Admission* identify) {
  return std::make_unique<CallLogInterceptorFactory>(metrics, identify);
}

}  // namespace parley
