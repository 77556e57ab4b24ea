#include "common/server/call_log.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "google/protobuf/descriptor.h"

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
      RecordCall(metrics_, method_, methods->GetSendStatus(),
                 absl::Now() - start_, caller_.empty() ? "anonymous" : caller_);
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
  CallLogInterceptorFactory(Metrics* metrics, const Admission* identify,
                            const std::vector<std::string>& logged_services)
      : metrics_(metrics),
        identify_(identify != nullptr ? identify : &by_header_) {
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    for (const std::string& name : logged_services) {
      const google::protobuf::ServiceDescriptor* service =
          pool->FindServiceByName(name);
      if (service == nullptr) {
        // Not left alone, then: recorded by both, but never by neither.
        Log(LogLevel::kError, "call log: no such service to leave alone",
            {{"service", name}});
        continue;
      }
      for (int i = 0; i < service->method_count(); ++i) {
        logged_methods_.insert(
            absl::StrCat("/", name, "/", service->method(i)->name()));
      }
    }
  }
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // Null: no interceptor on this call (its handler records it).
    if (logged_methods_.contains(info->method())) return nullptr;
    return new CallLogInterceptor(info, metrics_, identify_);
  }

 private:
  Metrics* metrics_;
  ServiceAdmission by_header_;
  const Admission* identify_;
  absl::flat_hash_set<std::string> logged_methods_;
};

}  // namespace

void RecordCall(Metrics* metrics, absl::string_view method,
                const grpc::Status& status, absl::Duration latency,
                absl::string_view caller) {
  // Invented method names share one series, so that callers cannot crowd
  // out the real methods' series.
  metrics->RecordCall(status.error_code() == grpc::StatusCode::UNIMPLEMENTED
                          ? "unimplemented"
                          : method,
                      status.error_code(), latency);
  // Probes check health every few seconds: counted, not logged.
  if (status.ok() && method == kHealthCheck) return;
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning, "call",
      {{"method", std::string(method)},
       {"code", absl::StatusCodeToString(
                    static_cast<absl::StatusCode>(status.error_code()))},
       {"latency_ms", absl::ToDoubleMilliseconds(latency)},
       {"caller", std::string(caller)}});
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewCallLogInterceptorFactory(Metrics* metrics, const Admission* identify,
                             const std::vector<std::string>& logged_services) {
  return std::make_unique<CallLogInterceptorFactory>(metrics, identify,
                                                     logged_services);
}

}  // namespace parley
