// parley-empty-server: a bare gRPC C++ server whose one method,
// /parley.bench.Empty/Call, returns an empty response at once: the ceiling
// of a unary call on this machine, for the benchmarks to compare the
// services with. Built like the services' servers (callback API, the same
// message limits, no port sharing), without their work: no interceptor,
// store or logging. Prints `port=NNNN` once listening; stops on SIGTERM or
// SIGINT.
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpcpp/grpcpp.h"
#include "tests/bench/empty.grpc.pb.h"
#include "tests/bench/serve.h"

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

  const sigset_t signals = parley::bench::BlockStopSignals();
  EmptyService service;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  return parley::bench::Serve(builder, absl::GetFlag(FLAGS_listen), signals,
                              "parley-empty-server");
}
