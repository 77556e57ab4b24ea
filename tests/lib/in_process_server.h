// A domain service served in-process on a real store, reached through
// grpc::Server::InProcessChannel: the whole gRPC stack but no sockets.
#ifndef PARLEY_TESTS_LIB_IN_PROCESS_SERVER_H_
#define PARLEY_TESTS_LIB_IN_PROCESS_SERVER_H_

#include <memory>

#include "common/server/executor.h"
#include "common/server/service_host.h"
#include "common/store/store.h"
#include "grpcpp/grpcpp.h"
#include "tests/lib/domain_stack.h"
#include "tests/lib/temp_store.h"

namespace parley::testing {

template <typename Domain, typename Edge>
class InProcessServer {
 public:
  // With a `service_credential`, calls must carry it as their bearer token.
  explicit InProcessServer(std::string service_credential = "")
      : service_credential_(std::move(service_credential)) {
    Start();
  }
  ~InProcessServer() { Stop(); }

  std::shared_ptr<grpc::Channel> channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }
  Domain& domain() { return stack_.domain(); }

  // Stops and starts again on the same data, as a restart would.
  void Restart() {
    Stop();
    Start();
  }

 private:
  void Start() {
    const absl::Status opened =
        stack_.Open(dir_.path() + "/db", 8, service_credential_);
    ASSERT_TRUE(opened.ok()) << opened;
    grpc::ServerBuilder builder;
    builder.RegisterService(stack_.edge());
    server_ = builder.BuildAndStart();
  }

  void Stop() {
    if (server_ == nullptr) return;
    stack_.Stopping();
    server_->Shutdown();
    server_->Wait();
    stack_.Close(&server_);
  }

  std::string service_credential_;
  TempDir dir_;
  DomainStack<Domain, Edge> stack_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_IN_PROCESS_SERVER_H_
