// parley-empty-server: a bare gRPC C++ server whose one method,
// /parley.bench.Empty/Call, returns an empty response at once: the ceiling
// of a unary call on this machine, for the benchmarks to compare the
// services with. Built like the services' servers (callback API, the same
// message limits, no port sharing), without their work: no interceptor,
// store or logging. Prints `port=NNNN` once listening; stops on SIGTERM or
// SIGINT.
#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpcpp/grpcpp.h"
#include "tests/bench/empty.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port to serve on; port 0 picks a free one");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "largest message received or sent, as the services");

namespace {

class EmptyService final : public parley::bench::Empty::CallbackService {
  grpc::ServerUnaryReactor* Call(
      grpc::CallbackServerContext* context,
      const google::protobuf::Empty* /*request*/,
      google::protobuf::Empty* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "the empty handler for the benchmarks: parley-empty-server "
      "[--listen=127.0.0.1:0]");
  absl::ParseCommandLine(argc, argv);

  // Signals are taken by sigwait below, never by one of gRPC's threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  EmptyService service;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "parley-empty-server: cannot listen on %s\n",
                 listen.c_str());
    return 1;
  }
  std::printf("port=%d\n", port);
  std::fflush(stdout);

  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  return 0;
}
