// parley-bare-proxy: the least a gateway hop can cost on this machine. A
// generic gRPC C++ proxy (callback API) that forwards every unary call, as
// bytes, to --forward_to over one channel, and the reply back: no
// admission, parse, interceptor, metadata copy or logging. Put in front of
// parley-empty-server, it bounds what any gateway could reach against a
// direct call here. Prints `port=NNNN` once listening; stops on SIGTERM or
// SIGINT.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "tests/bench/serve.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port to serve on; port 0 picks a free one");
ABSL_FLAG(std::string, forward_to, "", "host:port every call is sent to");

namespace {

// One unary call: read the request, call upstream, write its reply.
class ForwardReactor final : public grpc::ServerGenericBidiReactor {
 public:
  ForwardReactor(grpc::GenericCallbackServerContext* context,
                 grpc::GenericStub* upstream)
      : context_(context), upstream_(upstream) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      return;
    }
    client_ = grpc::ClientContext::FromCallbackServerContext(*context_);
    upstream_->UnaryCall(client_.get(), context_->method(), grpc::StubOptions(),
                         &request_, &response_, [this](grpc::Status status) {
                           if (!status.ok()) {
                             Finish(status);
                             return;
                           }
                           StartWriteAndFinish(&response_, grpc::WriteOptions(),
                                               grpc::Status::OK);
                         });
  }

  void OnDone() override { delete this; }

 private:
  grpc::GenericCallbackServerContext* context_;
  grpc::GenericStub* upstream_;
  std::unique_ptr<grpc::ClientContext> client_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

class ForwardService final : public grpc::CallbackGenericService {
 public:
  explicit ForwardService(grpc::GenericStub* upstream) : upstream_(upstream) {}
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new ForwardReactor(context, upstream_);
  }

 private:
  grpc::GenericStub* upstream_;
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "a bare forwarding proxy for the benchmarks: parley-bare-proxy "
      "--forward_to=HOST:PORT [--listen=127.0.0.1:0]");
  absl::ParseCommandLine(argc, argv);
  const std::string target = absl::GetFlag(FLAGS_forward_to);
  if (target.empty()) {
    std::fprintf(stderr, "parley-bare-proxy: --forward_to is required\n");
    return 2;
  }

  const sigset_t signals = parley::bench::BlockStopSignals();
  grpc::GenericStub upstream(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  ForwardService service(&upstream);
  grpc::ServerBuilder builder;
  builder.RegisterCallbackGenericService(&service);
  return parley::bench::Serve(builder, absl::GetFlag(FLAGS_listen), signals,
                              "parley-bare-proxy");
}
