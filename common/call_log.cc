#include "common/call_log.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace parley {
namespace {

using grpc::experimental::InterceptionHookPoints;

class CallLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CallLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method()), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find("x-parley-caller");
      if (it != metadata->end())
        caller_.assign(it->second.data(), it->second.size());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning, "call",
          {{"method", method_},
           {"code", absl::StatusCodeToString(
                        static_cast<absl::StatusCode>(status.error_code()))},
           {"latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start_)},
           {"caller", caller_.empty() ? "anonymous" : caller_}});
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  absl::Time start_;
  std::string caller_;
};

class CallLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLogInterceptor(info);
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewCallLogInterceptorFactory() {
  return std::make_unique<CallLogInterceptorFactory>();
}

}  // namespace parley
