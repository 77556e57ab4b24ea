// A domain service served in-process on a real store, reached through
// grpc::Server::InProcessChannel: the whole gRPC stack but no sockets.
#ifndef PARLEY_TESTS_LIB_IN_PROCESS_SERVER_H_
#define PARLEY_TESTS_LIB_IN_PROCESS_SERVER_H_

#include <memory>

#include "common/executor.h"
#include "common/server.h"
#include "common/store.h"
#include "grpcpp/grpcpp.h"
#include "tests/lib/temp_store.h"

namespace parley::testing {

template <typename Domain, typename Edge>
class InProcessServer {
 public:
  InProcessServer() { Start(); }
  ~InProcessServer() { Stop(); }

  std::shared_ptr<grpc::Channel> channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }
  Domain& domain() { return *domain_; }

  // Stops and starts again on the same data, as a restart would.
  void Restart() {
    Stop();
    Start();
  }

 private:
  void Start() {
    auto store = Store::Open({.path = dir_.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    executor_ = std::make_unique<Executor>(8);
    host_ = std::make_unique<ServiceHost<Domain>>(executor_.get());
    edge_ = std::make_unique<Edge>(host_.get());
    domain_ = std::make_unique<Domain>(store_.get());
    host_->Attach(domain_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(edge_.get());
    server_ = builder.BuildAndStart();
  }

  void Stop() {
    if (server_ == nullptr) return;
    server_->Shutdown();
    server_->Wait();
    host_->Detach();
    executor_->Shutdown();
    server_.reset();
    domain_.reset();
    edge_.reset();
    host_.reset();
    executor_.reset();
    store_.reset();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ServiceHost<Domain>> host_;
  std::unique_ptr<Edge> edge_;
  std::unique_ptr<Domain> domain_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_IN_PROCESS_SERVER_H_
