#include "services/gateway/upstream_watch.h"

#include <chrono>
#include <utility>

#include "common/base/log.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace parley::gateway {
namespace {

// Answers within a second or counts as unreachable this round.
constexpr auto kProbeDeadline = std::chrono::seconds(1);
// Probes while waiting for the stores, and after.
constexpr absl::Duration kWaitingEvery = absl::Seconds(1);
constexpr absl::Duration kWatchingEvery = absl::Seconds(5);

// grpc.health.v1 Check("") on the upstream's channel: SERVING, or why not.
grpc::Status Probe(Upstream& upstream, bool* serving) {
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kProbeDeadline);
  grpc::Status status = grpc::health::v1::Health::NewStub(upstream.channel)
                            ->Check(&context, request, &response);
  *serving = status.ok() && response.status() ==
                                grpc::health::v1::HealthCheckResponse::SERVING;
  return status;
}

}  // namespace

UpstreamWatch::UpstreamWatch(Upstreams* upstreams, absl::Duration wait_at_most)
    : upstreams_(upstreams), wait_at_most_(wait_at_most), reachable_(3, -1) {}

UpstreamWatch::~UpstreamWatch() { Stop(); }

void UpstreamWatch::Start(std::function<void(bool)> set_serving) {
  set_serving_ = std::move(set_serving);
  thread_ = std::thread([this] { Run(); });
}

void UpstreamWatch::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool UpstreamWatch::ProbeOnce() {
  Upstream* stores[] = {&upstreams_->exchanges(), &upstreams_->negotiations(),
                        &upstreams_->incidents()};
  bool all = true;
  for (int i = 0; i < 3; ++i) {
    bool serving = false;
    const grpc::Status status = Probe(*stores[i], &serving);
    all = all && serving;
    if (reachable_[i] == (serving ? 1 : 0)) continue;
    if (serving) {
      Log(LogLevel::kInfo, "store reachable",
          {{"upstream", stores[i]->name}, {"address", stores[i]->address}});
    } else {
      Log(LogLevel::kWarning, "store unreachable",
          {{"upstream", stores[i]->name},
           {"address", stores[i]->address},
           {"error", status.ok() ? std::string("NOT_SERVING")
                                 : status.error_message()}});
    }
    reachable_[i] = serving ? 1 : 0;
  }
  return all;
}

void UpstreamWatch::Run() {
  bool ready = false;
  const absl::Time give_up = absl::Now() + wait_at_most_;
  while (true) {
    const bool all = ProbeOnce();
    if (!ready && all) {
      ready = true;
      Log(LogLevel::kInfo, "every store reachable: serving");
      set_serving_(true);
    } else if (!ready && absl::Now() >= give_up) {
      ready = true;
      Log(LogLevel::kWarning,
          "not every store reachable: serving all the same (reports list "
          "what is missing)",
          {{"waited_seconds", absl::ToInt64Seconds(wait_at_most_)}});
      set_serving_(true);
    }
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_),
                             ready ? kWatchingEvery : kWaitingEvery)) {
      return;
    }
  }
}

}  // namespace parley::gateway
