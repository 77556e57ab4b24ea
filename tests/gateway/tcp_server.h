// A domain service on a real store, listening on a loopback TCP port, that
// can be stopped while clients keep their channels to it, as when its
// process dies. (An in-process channel must not outlive its server: gRPC
// crashes on a call through one whose server is gone, so a service stopped
// under the gateway's feet has to be reached over TCP.)
#ifndef PARLEY_TESTS_GATEWAY_TCP_SERVER_H_
#define PARLEY_TESTS_GATEWAY_TCP_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/executor.h"
#include "common/server.h"
#include "common/store.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/lib/temp_store.h"

namespace parley::gateway_test {

template <typename Domain, typename Edge>
class TcpServer {
 public:
  TcpServer() {
    auto store = Store::Open({.path = dir_.path() + "/db"});
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return;
    store_ = *std::move(store);
    executor_ = std::make_unique<Executor>(4);
    host_ = std::make_unique<ServiceHost<Domain>>(executor_.get());
    edge_ = std::make_unique<Edge>(host_.get());
    domain_ = std::make_unique<Domain>(store_.get());
    host_->Attach(domain_.get());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(edge_.get());
    server_ = builder.BuildAndStart();
    EXPECT_NE(server_, nullptr);
    EXPECT_GT(port_, 0);
  }
  ~TcpServer() { Stop(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

  // A new channel to it over TCP.
  std::shared_ptr<grpc::Channel> channel() const {
    return grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  }

  // Stops serving and closes the store; the port is closed.
  void Stop() {
    if (server_ == nullptr) return;
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
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

 private:
  ::parley::testing::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ServiceHost<Domain>> host_;
  std::unique_ptr<Edge> edge_;
  std::unique_ptr<Domain> domain_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_TCP_SERVER_H_
