// A domain service on a real store, listening on a loopback TCP port, that
// can be stopped while clients keep their channels to it, as when its
// process dies. (An in-process channel must not outlive its server: gRPC
// crashes on a call through one whose server is gone, so a service stopped
// under the gateway's feet has to be reached over TCP.) The same stack as
// tests/lib/in_process_server.h, served over a socket.
#ifndef PARLEY_TESTS_GATEWAY_TCP_SERVER_H_
#define PARLEY_TESTS_GATEWAY_TCP_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/lib/domain_stack.h"
#include "tests/lib/temp_store.h"

namespace parley::gateway_test {

template <typename Domain, typename Edge>
class TcpServer {
 public:
  TcpServer() {
    const absl::Status opened = stack_.Open(dir_.path() + "/db", 4);
    EXPECT_TRUE(opened.ok()) << opened;
    if (!opened.ok()) return;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(stack_.edge());
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
    stack_.Stopping();
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
    server_->Wait();
    stack_.Close(&server_);
  }

 private:
  ::parley::testing::TempDir dir_;
  int port_ = 0;
  ::parley::testing::DomainStack<Domain, Edge> stack_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace parley::gateway_test

#endif  // PARLEY_TESTS_GATEWAY_TCP_SERVER_H_
