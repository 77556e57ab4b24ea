// Calls through a real gateway: any method path, headers and body bytes,
// sent by a gRPC client to the gateway (as a grpc::Server with the call log
// and metrics, as deployed) in front of the three domain services, each a
// grpc::Server on its own real store holding the seed week and demanding
// the service credential; all in-process, over in-process channels.
//
// Input: byte 0 picks the caller's credentials (none, a reader's, an
// editor's or an admin's token, an unknown token, or a malformed
// authorization header); then the method path on a line ("/pkg.Service/
// Method"; bytes that cannot be in a path become '_'), then header lines
// "key: value" up to an empty line (headers a gRPC client would refuse to
// send are skipped), then the request's bytes.
//
// Properties: the gateway never answers INTERNAL, UNKNOWN or DATA_LOSS; an
// error's details reach the client whole; nothing succeeds without a token,
// and nothing succeeds for a caller whose role is below the method's.
// Every kInputsPerStack inputs the servers and stores are made anew.
#include <grpc/grpc.h>
#include <grpc/slice.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/api/grpc_status.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "common/server/call_log.h"
#include "common/server/metrics.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "services/exchanges/service.h"
#include "services/gateway/gateway.h"
#include "services/incidents/service.h"
#include "services/negotiations/service.h"
#include "tests/fuzz/domain_harness.h"
#include "tests/fuzz/fuzz_store.h"
#include "tests/fuzz/proto_mutator.h"
#include "tests/fuzz/seed_week.h"
#include "tests/lib/domain_stack.h"

namespace parley::fuzz {
namespace {

constexpr char kServiceCredential[] = "fuzz-service-credential";

// Token i belongs to a principal of role kRoles[i].
constexpr const char* kTokens[] = {"reader-token", "editor-token",
                                   "admin-token"};
constexpr Role kRoles[] = {Role::kReader, Role::kEditor, Role::kAdmin};

std::shared_ptr<const Admission> FuzzAdmission() {
  std::string file;
  for (int i = 0; i < 3; ++i) {
    absl::StrAppend(&file, Sha256Hex(kTokens[i]), " ", RoleName(kRoles[i]),
                    " fuzz-", RoleName(kRoles[i]), "\n");
  }
  auto table = TokenTable::Parse(file);
  PARLEY_FUZZ_CHECK(table.ok(), table.status().ToString());
  return std::make_shared<TokenAdmission>(*std::move(table));
}

// One domain service as a grpc::Server on its own store.
template <typename Domain, typename Edge>
class DomainServer {
 public:
  DomainServer(const std::vector<DomainMethod<Domain>>& methods,
               absl::string_view seed_jsonl) {
    const absl::Status opened = stack_.Open(
        absl::StrCat(MakeScratchDir(), "/db"), 2, kServiceCredential);
    PARLEY_FUZZ_CHECK(opened.ok(), opened.ToString());
    LoadSeedWeek(stack_.domain(), methods, seed_jsonl);
    grpc::ServerBuilder builder;
    builder.RegisterService(stack_.edge());
    server_ = builder.BuildAndStart();
    PARLEY_FUZZ_CHECK(server_ != nullptr, "domain server did not start");
  }
  ~DomainServer() {
    server_->Shutdown();
    server_->Wait();
    stack_.Close(&server_);
  }
  std::shared_ptr<grpc::Channel> channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }

 private:
  testing::DomainStack<Domain, Edge> stack_;
  std::unique_ptr<grpc::Server> server_;
};

// The gateway in front of the three, and a client of it.
class Stack {
 public:
  Stack()
      : exchanges_(ExchangesMethods(), kSeedExchangesJsonl),
        negotiations_(NegotiationsMethods(), kSeedNegotiationsJsonl),
        incidents_(IncidentsMethods(), kSeedIncidentsJsonl),
        admission_(FuzzAdmission()) {
    gateway_ = std::make_unique<gateway::Gateway>(
        std::make_unique<gateway::Upstreams>(
            exchanges_.channel(), negotiations_.channel(), incidents_.channel(),
            absl::Seconds(10), kServiceCredential),
        2, admission_);
    grpc::ServerBuilder builder;
    for (grpc::Service* service : gateway_->services()) {
      builder.RegisterService(service);
    }
    builder.SetMaxReceiveMessageSize(4 << 20);
    builder.SetMaxSendMessageSize(4 << 20);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(NewCallLogInterceptorFactory(
        &metrics_, admission_.get(), gateway_->logged_services()));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    PARLEY_FUZZ_CHECK(server_ != nullptr, "gateway did not start");
    client_ = std::make_unique<grpc::GenericStub>(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  ~Stack() {
    client_.reset();
    server_->Shutdown();
    server_->Wait();
    gateway_->Stop();
    server_.reset();
    gateway_.reset();
  }

  grpc::GenericStub& client() { return *client_; }

 private:
  DomainServer<exchanges::Exchanges, exchanges::ExchangesServiceImpl>
      exchanges_;
  DomainServer<negotiations::Negotiations,
               negotiations::NegotiationsServiceImpl>
      negotiations_;
  DomainServer<incidents::Incidents, incidents::IncidentsServiceImpl>
      incidents_;
  std::shared_ptr<const Admission> admission_;
  Metrics metrics_;
  std::unique_ptr<gateway::Gateway> gateway_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::GenericStub> client_;
};

bool SendableHeader(absl::string_view key, absl::string_view value) {
  // Reserved for gRPC itself: a client library refuses to send them.
  if (absl::StartsWith(key, "grpc-") || key == "content-type" || key == "te") {
    return false;
  }
  if (grpc_header_key_is_legal(
          grpc_slice_from_static_buffer(key.data(), key.size())) == 0) {
    return false;
  }
  return absl::EndsWith(key, "-bin") ||
         grpc_header_nonbin_value_is_legal(
             grpc_slice_from_static_buffer(value.data(), value.size())) != 0;
}

class Harness {
 public:
  static constexpr int kInputsPerStack = 20000;

  Harness() {
    // The call log writes a line per call to stdout: not wanted here
    // (libFuzzer reports on stderr).
    if (std::freopen("/dev/null", "w", stdout) == nullptr)
      std::perror("stdout");
    QuietProtobufLogs();
    stack_ = std::make_unique<Stack>();
    CloseAtExit([this] { stack_.reset(); });
  }

  void Run(const uint8_t* data, size_t size) {
    if (++inputs_ % kInputsPerStack == 0) {
      stack_.reset();
      stack_ = std::make_unique<Stack>();
    }
    FuzzInput input(data, size);
    const int who = input.TakeByte() % 6;
    std::string path(input.TakeLine());
    for (char& c : path) {
      if (c <= 0x20 || c >= 0x7f) c = '_';
    }
    if (path.empty()) path = "/";

    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    if (who < 3) {
      context.AddMetadata("authorization",
                          absl::StrCat("Bearer ", kTokens[who]));
    } else if (who == 3) {
      context.AddMetadata("authorization", "Bearer not-a-known-token");
    } else if (who == 4) {
      context.AddMetadata("authorization", "Basic ZnV6ejpmdXp6");
    }
    while (!input.empty()) {
      const absl::string_view line = input.TakeLine();
      if (line.empty()) break;
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) continue;
      const absl::string_view key = line.substr(0, colon);
      const absl::string_view value =
          absl::StripLeadingAsciiWhitespace(line.substr(colon + 1));
      if (key == "authorization" || !SendableHeader(key, value)) continue;
      context.AddMetadata(std::string(key), std::string(value));
    }
    const absl::string_view body = input.Rest();
    grpc::Slice slice(body.data(), body.size());
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;

    grpc::Status status;
    absl::Mutex mu;
    bool done = false;
    stack_->client().UnaryCall(&context, path, grpc::StubOptions(), &request,
                               &response, [&](grpc::Status s) {
                                 absl::MutexLock lock(&mu);
                                 status = std::move(s);
                                 done = true;
                               });
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&done));
    }
    if (Verbose()) {
      std::fprintf(stderr, "caller %d %s -> %s\n", who, path.c_str(),
                   FromGrpcStatus(status).ToString().c_str());
    }
    Check(who, path, FromGrpcStatus(status), status);
  }

 private:
  static void Check(int who, const std::string& path,
                    const absl::Status& status, const grpc::Status& wire) {
    CheckAnswer(status, path);
    if (!wire.error_details().empty()) {
      google::rpc::Status details;
      PARLEY_FUZZ_CHECK(details.ParseFromString(wire.error_details()), path);
    }
    if (!status.ok()) return;
    PARLEY_FUZZ_CHECK(who < 3, absl::StrCat(path, " succeeded for caller ", who,
                                            " (not a known token)"));
    const absl::string_view full(path);
    const size_t slash = full.rfind('/');
    const Role needed = RequiredRole(full.substr(1, slash == 0 ? 0 : slash - 1),
                                     full.substr(slash + 1));
    PARLEY_FUZZ_CHECK(
        kRoles[who] >= needed,
        absl::StrCat(path, " succeeded for a ", RoleName(kRoles[who])));
  }

  std::unique_ptr<Stack> stack_;
  uint64_t inputs_ = 0;
};

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Never destroyed: its servers stop at exit (tests/fuzz/fuzz_store.h).
  static auto* harness = new parley::fuzz::Harness();
  harness->Run(data, size);
  return 0;
}

#ifdef PARLEY_LIBFUZZER
// Structure-aware: one change to the body, read as the request of the
// method its path names (tests/fuzz/proto_mutator.h), or to the caller, or
// the path set to another method the gateway serves; a quarter of the time,
// and for what does not parse, libFuzzer's byte-level mutation.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned seed) {
  using google::protobuf::DescriptorPool;
  using google::protobuf::MethodDescriptor;
  static const auto* dictionary = [] {
    parley::fuzz::QuietProtobufLogs();
    return new std::vector<std::string>(parley::fuzz::SeedStrings());
  }();
  static const auto* methods = [] {
    auto* all = new std::vector<const MethodDescriptor*>;
    for (const char* name :
         {"parley.exchanges.v1.ExchangesService",
          "parley.negotiations.v1.NegotiationsService",
          "parley.incidents.v1.IncidentsService",
          "parley.reports.v1.ReportService", "parley.admin.v1.AdminService"}) {
      const auto* service =
          DescriptorPool::generated_pool()->FindServiceByName(name);
      for (int i = 0; service != nullptr && i < service->method_count(); ++i) {
        all->push_back(service->method(i));
      }
    }
    return all;
  }();
  parley::fuzz::ProtoMutator mutator(seed, dictionary);
  if (size < 2 || mutator.Chance(4))
    return LLVMFuzzerMutate(data, size, max_size);
  parley::fuzz::FuzzInput input(data, size);
  uint8_t who = input.TakeByte();
  std::string path(input.TakeLine());
  std::string headers;
  while (!input.empty()) {
    const absl::string_view line = input.TakeLine();
    if (line.empty()) break;
    absl::StrAppend(&headers, line, "\n");
  }
  std::string body(input.Rest());
  if (mutator.Chance(16)) {
    who = static_cast<uint8_t>(mutator.Below(6));
  } else if (mutator.Chance(16) && !methods->empty()) {
    const MethodDescriptor* m = (*methods)[mutator.Below(methods->size())];
    path = absl::StrCat("/", m->service()->full_name(), "/", m->name());
  } else {
    const size_t slash = path.rfind('/');
    const auto* service = DescriptorPool::generated_pool()->FindServiceByName(
        path.size() > 1 && slash != std::string::npos && slash > 0
            ? path.substr(1, slash - 1)
            : "");
    const MethodDescriptor* method =
        service == nullptr ? nullptr
                           : service->FindMethodByName(path.substr(slash + 1));
    if (method == nullptr) return LLVMFuzzerMutate(data, size, max_size);
    std::unique_ptr<google::protobuf::Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->input_type())
            ->New());
    if (!request->ParseFromString(body)) {
      return LLVMFuzzerMutate(data, size, max_size);
    }
    const int changes = 1 + static_cast<int>(mutator.Below(3));
    for (int i = 0; i < changes; ++i) mutator.Mutate(request.get());
    body = request->SerializeAsString();
  }
  const std::string out = absl::StrCat(std::string(1, static_cast<char>(who)),
                                       path, "\n", headers, "\n", body);
  const size_t written = parley::fuzz::Replace(out, data, max_size);
  return written > 0 ? written : LLVMFuzzerMutate(data, size, max_size);
}
#endif
