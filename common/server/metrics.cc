#include "common/server/metrics.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/metric_family.h"
#include "prometheus/text_serializer.h"

ABSL_FLAG(std::string, metrics_listen, "",
          "host:port serving Prometheus metrics at GET /metrics; default "
          "127.0.0.1:<the --listen port + 1000> (a free one when --listen's "
          "port is 0); port 0 picks a free one; \"none\" serves none");

namespace parley {

namespace {

// Call latencies from half a millisecond (a point read) to ten seconds (the
// default upstream deadline).
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return *buckets;
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      calls_(&prometheus::BuildCounter()
                  .Name("parley_rpc_calls_total")
                  .Help("gRPC calls served, by method and status code")
                  .Register(*registry_)),
      latency_(&prometheus::BuildHistogram()
                    .Name("parley_rpc_latency_seconds")
                    .Help("Time from a call's arrival to its status, by method")
                    .Register(*registry_)),
      upstream_errors_(
          &prometheus::BuildCounter()
               .Name("parley_gateway_upstream_errors_total")
               .Help("Calls from the gateway to a domain service that did not "
                     "return OK, by service and status code")
               .Register(*registry_)) {}

Metrics::~Metrics() {
  absl::MutexLock lock(&serve_mu_);
  exposer_.reset();  // stops serving before the registry goes
}

Metrics& Metrics::Default() {
  static Metrics* metrics = new Metrics();
  return *metrics;
}

Metrics::Series& Metrics::SeriesOf(SeriesMap& map, absl::string_view key,
                                   bool with_latency) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = map.find(key);
    if (it != map.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  if (map.size() >= kMaxKeys && !map.contains(key)) key = "other";
  auto [it, inserted] = map.try_emplace(std::string(key));
  if (inserted) {
    it->second = std::make_unique<Series>();
    it->second->label = std::string(key);
    if (with_latency) {
      it->second->latency =
          &latency_->Add({{"method", it->second->label}}, LatencyBuckets());
    }
  }
  return *it->second;
}

prometheus::Counter& Metrics::CountOf(
    Series& series, prometheus::Family<prometheus::Counter>& family,
    const char* key_label, grpc::StatusCode code) {
  const int index = static_cast<int>(code);
  if (index < 0 || index >= kCodes) {
    // Not a code gRPC defines: counted, uncached.
    return family.Add({{key_label, series.label}, {"code", CodeName(code)}});
  }
  prometheus::Counter* counter =
      series.by_code[index].load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Family::Add returns the existing counter for the same labels, so two
    // threads racing here store the same pointer.
    counter =
        &family.Add({{key_label, series.label}, {"code", CodeName(code)}});
    series.by_code[index].store(counter, std::memory_order_release);
  }
  return *counter;
}

void Metrics::RecordCall(absl::string_view method, grpc::StatusCode code,
                         absl::Duration latency) {
  Series& series = SeriesOf(methods_, method, /*with_latency=*/true);
  CountOf(series, *calls_, "method", code).Increment();
  series.latency->Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::RecordUpstreamError(absl::string_view service,
                                  grpc::StatusCode code) {
  Series& series = SeriesOf(services_, service, /*with_latency=*/false);
  CountOf(series, *upstream_errors_, "service", code).Increment();
}

void Metrics::AddCollectable(
    const std::shared_ptr<prometheus::Collectable>& collectable) {
  absl::MutexLock lock(&serve_mu_);
  collectables_.push_back(collectable);
  if (exposer_ != nullptr) exposer_->RegisterCollectable(collectable);
}

std::string Metrics::Text() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
  {
    absl::MutexLock lock(&serve_mu_);
    collectables = collectables_;
  }
  for (const auto& collectable : collectables) {
    for (auto& family : collectable->Collect())
      families.push_back(std::move(family));
  }
  return prometheus::TextSerializer().Serialize(families);
}

absl::StatusOr<int> Metrics::Serve(const std::string& address) {
  absl::MutexLock lock(&serve_mu_);
  if (exposer_ != nullptr)
    return absl::FailedPreconditionError("metrics are already served");
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    // Two threads: scrapes are rare and quick.
    exposer = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ": ", e.what()));
  }
  const std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ": no port bound"));
  }
  exposer->RegisterCollectable(registry_);
  for (const auto& collectable : collectables_)
    exposer->RegisterCollectable(collectable);
  exposer_ = std::move(exposer);
  return ports.front();
}

std::string DefaultMetricsAddress(absl::string_view listen) {
  // "host:port", "[::1]:port" or "unix:..." (no port): the port is what
  // follows the last colon, if it is a number.
  int port = 0;
  const size_t colon = listen.rfind(':');
  if (colon != absl::string_view::npos &&
      absl::SimpleAtoi(listen.substr(colon + 1), &port) && port > 0 &&
      port + 1000 <= 65535) {
    return absl::StrCat("127.0.0.1:", port + 1000);
  }
  return "127.0.0.1:0";
}

bool ServeMetricsFromFlags(absl::string_view listen) {
  std::string address = absl::GetFlag(FLAGS_metrics_listen);
  if (address == "none") {
    Log(LogLevel::kInfo, "metrics not served (--metrics_listen=none)");
    return true;
  }
  if (address.empty()) address = DefaultMetricsAddress(listen);
  absl::StatusOr<int> port = Metrics::Default().Serve(address);
  if (!port.ok()) {
    Log(LogLevel::kError, "cannot serve metrics",
        {{"metrics_listen", address}, {"error", port.status().ToString()}});
    return false;
  }
  Log(LogLevel::kInfo, "serving metrics",
      {{"metrics_listen", address}, {"port", *port}, {"path", "/metrics"}});
  return true;
}

namespace {

using grpc::experimental::InterceptionHookPoints;

class UpstreamErrorInterceptor final : public grpc::experimental::Interceptor {
 public:
  UpstreamErrorInterceptor(Metrics* metrics, const std::string* service)
      : metrics_(metrics), service_(service) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_STATUS)) {
      const grpc::Status* status = methods->GetRecvStatus();
      if (status != nullptr && !status->ok())
        metrics_->RecordUpstreamError(*service_, status->error_code());
    }
    methods->Proceed();
  }

 private:
  Metrics* metrics_;
  const std::string* service_;
};

class UpstreamErrorInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  UpstreamErrorInterceptorFactory(std::string service, Metrics* metrics)
      : service_(std::move(service)), metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new UpstreamErrorInterceptor(metrics_, &service_);
  }

 private:
  const std::string service_;
  Metrics* metrics_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>
NewUpstreamErrorInterceptorFactory(std::string service, Metrics* metrics) {
  return std::make_unique<UpstreamErrorInterceptorFactory>(std::move(service),
                                                           metrics);
}

}  // namespace parley
