// Stand-ins for domain services, for what the real ones cannot be made to do
// on demand: answer slowly, and show what reached them (metadata, deadline).
// Each is a plain synchronous gRPC service served in-process.
#ifndef PARLEY_TESTS_GATEWAY_FAKE_SERVICES_H_
#define PARLEY_TESTS_GATEWAY_FAKE_SERVICES_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"

namespace parley::gateway_test {

// What one call brought to a fake service.
struct SeenCall {
  std::string method;
  std::multimap<std::string, std::string> metadata;
  std::chrono::system_clock::time_point deadline;
};

// Records calls and holds them until they are cancelled (deadline or client
// cancellation), giving up after `kGiveUp` so a broken test cannot hang.
class CallRecorder {
 public:
  static constexpr std::chrono::seconds kGiveUp{5};

  void Record(const std::string& method, const grpc::ServerContext* context) {
    SeenCall call;
    call.method = method;
    for (const auto& [k, v] : context->client_metadata()) {
      call.metadata.emplace(std::string(k.data(), k.size()),
                            std::string(v.data(), v.size()));
    }
    call.deadline = context->deadline();
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(call));
  }

  grpc::Status Hold(grpc::ServerContext* context) {
    const auto give_up = std::chrono::steady_clock::now() + kGiveUp;
    while (!context->IsCancelled() &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (context->IsCancelled()) {
      cancelled_.fetch_add(1);
      return grpc::Status::CANCELLED;
    }
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the slow fake gave up waiting for a cancellation");
  }

  // Calls that saw their cancellation while held.
  int cancelled() const { return cancelled_.load(); }

  std::vector<SeenCall> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<SeenCall> calls_;
  std::atomic<int> cancelled_{0};
};

// An exchanges service that answers GetAgreement at once with `agreement`
// (named as asked, the caller header echoed into the title, with initial
// and trailing metadata of its own), except for "agreements/slow", which it
// holds until cancelled; ListExchanges and ListChannels are always held.
class FakeExchanges final : public exchanges::v1::ExchangesService::Service {
 public:
  grpc::Status GetAgreement(grpc::ServerContext* context,
                            const exchanges::v1::GetAgreementRequest* request,
                            exchanges::v1::Agreement* response) override {
    recorder.Record("GetAgreement", context);
    if (request->name() == "agreements/slow") return recorder.Hold(context);
    context->AddInitialMetadata("x-upstream-header", "sent by the fake");
    context->AddTrailingMetadata("x-upstream-note", "answered by the fake");
    *response = agreement;
    response->mutable_metadata()->set_name(request->name());
    auto it = context->client_metadata().find("x-parley-caller");
    if (it != context->client_metadata().end()) {
      response->set_title(std::string(it->second.data(), it->second.size()));
    }
    return grpc::Status::OK;
  }
  grpc::Status ListExchanges(grpc::ServerContext* context,
                             const exchanges::v1::ListExchangesRequest*,
                             exchanges::v1::ListExchangesResponse*) override {
    recorder.Record("ListExchanges", context);
    return recorder.Hold(context);
  }
  grpc::Status ListChannels(grpc::ServerContext* context,
                            const exchanges::v1::ListChannelsRequest*,
                            exchanges::v1::ListChannelsResponse*) override {
    recorder.Record("ListChannels", context);
    return recorder.Hold(context);
  }

  // What GetAgreement answers with.
  exchanges::v1::Agreement agreement;
  CallRecorder recorder;
};

// An incidents service that holds every list and summary until cancelled.
class SlowIncidents final : public incidents::v1::IncidentsService::Service {
 public:
  grpc::Status ListIncidents(grpc::ServerContext* context,
                             const incidents::v1::ListIncidentsRequest*,
                             incidents::v1::ListIncidentsResponse*) override {
    recorder.Record("ListIncidents", context);
    return recorder.Hold(context);
  }
  grpc::Status SummarizeIncidents(
      grpc::ServerContext* context,
      const incidents::v1::SummarizeIncidentsRequest*,
      incidents::v1::SummarizeIncidentsResponse*) override {
    recorder.Record("SummarizeIncidents", context);
    return recorder.Hold(context);
  }

  CallRecorder recorder;
};

// A service served in-process by its own grpc::Server.
class FakeServer {
 public:
  explicit FakeServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.RegisterService(service);
    server_ = builder.BuildAndStart();
  }
  ~FakeServer() {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
    server_->Wait();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::shared_ptr<grpc::Channel> channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }

 private:
  std::unique_ptr<grpc::Server> server_;
};

// A channel to nothing: connections are refused.
inline std::shared_ptr<grpc::Channel> DeadChannel() {
  return grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
}

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_FAKE_SERVICES_H_
