#include "tools/parleyctl/client.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/api/grpc_status.h"
#include "common/base/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/byte_buffer.h"

ABSL_FLAG(std::string, gateway, "localhost:50051",
          "host:port of the Parley gateway");
ABSL_FLAG(std::string, token, "",
          "bearer token sent as `authorization: Bearer ...`");
ABSL_FLAG(bool, tls, false, "connect with TLS");
ABSL_FLAG(
    std::string, ca_cert, "",
    "PEM file of the CA that signed the gateway's certificate (with --tls)");
ABSL_FLAG(int, timeout_seconds, 30, "deadline of each call");

namespace parley::ctl {

int ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kOk;
    case absl::StatusCode::kUnavailable:
      return kUnreachable;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kUnauthorized;
    default:
      return kFailed;
  }
}

std::unique_ptr<Client> Client::FromFlags() {
  auto client = std::make_unique<Client>();
  client->address_ = absl::GetFlag(FLAGS_gateway);
  client->token_ = absl::GetFlag(FLAGS_token);
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (absl::GetFlag(FLAGS_tls)) {
    grpc::SslCredentialsOptions ssl;
    const std::string ca = absl::GetFlag(FLAGS_ca_cert);
    if (!ca.empty()) {
      std::ifstream in(ca);
      std::stringstream pem;
      pem << in.rdbuf();
      if (!in || pem.str().empty()) {
        std::fprintf(stderr, "--ca_cert %s: cannot read the file\n",
                     ca.c_str());
        std::exit(kNoFile);
      }
      ssl.pem_root_certs = pem.str();
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  client->channel_ =
      grpc::CreateCustomChannel(client->address_, credentials, args);
  client->stub_ = std::make_unique<grpc::GenericStub>(client->channel_);
  return client;
}

std::unique_ptr<google::protobuf::Message> NewMessage(
    const std::string& full_name) {
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          full_name);
  if (descriptor == nullptr) return nullptr;
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(descriptor)
          ->New());
}

namespace {

const google::protobuf::MethodDescriptor* FindMethod(
    const std::string& service, const std::string& method) {
  const auto* found =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          service);
  return found == nullptr ? nullptr : found->FindMethodByName(method);
}

absl::StatusOr<grpc::ByteBuffer> ToBuffer(
    const google::protobuf::Message& message) {
  // Straight into the buffer's slices, as gRPC's own stubs do.
  grpc::ByteBuffer buffer;
  bool own_buffer = false;
  const grpc::Status s =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(
          message, &buffer, &own_buffer);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot serialize the request: ", s.error_message()));
  }
  return buffer;
}

}  // namespace

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Client::Call(
    const std::string& service, const std::string& method,
    const google::protobuf::Message& request) {
  const auto* method_descriptor = FindMethod(service, method);
  if (method_descriptor == nullptr) {
    return absl::InternalError(
        absl::StrCat("no method ", service, "/", method));
  }
  ASSIGN_OR_RETURN(std::string reply, CallForBytes(service, method, request));
  auto response = NewMessage(method_descriptor->output_type()->full_name());
  if (response == nullptr)
    return absl::InternalError("reply type not linked in");
  if (!response->ParseFromString(reply))
    return absl::DataLossError("unreadable reply");
  return response;
}

absl::StatusOr<std::string> Client::CallForBytes(
    const std::string& service, const std::string& method,
    const google::protobuf::Message& request) {
  ASSIGN_OR_RETURN(grpc::ByteBuffer request_buffer, ToBuffer(request));
  grpc::ByteBuffer response_buffer;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(
      absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds))));
  if (!token_.empty())
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
  grpc::Status status;
  absl::Mutex mu;
  bool done = false;
  stub_->UnaryCall(&context, absl::StrCat("/", service, "/", method),
                   grpc::StubOptions(), &request_buffer, &response_buffer,
                   [&](grpc::Status s) {
                     absl::MutexLock lock(&mu);
                     status = std::move(s);
                     done = true;
                   });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
  }
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok())
    return absl::DataLossError("unreadable reply");
  std::string reply;
  for (const auto& s : slices)
    reply.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return reply;
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!pretty && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

absl::Status FromJson(const std::string& json,
                      google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  auto status =
      google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok())
    return absl::InvalidArgumentError(std::string(status.message()));
  return absl::OkStatus();
}

absl::Status Client::Stream(
    const std::string& service, const std::string& method,
    const google::protobuf::Message& request,
    const std::function<bool(const google::protobuf::Message&)>& on_message,
    const std::function<bool()>& stop) {
  const auto* method_descriptor = FindMethod(service, method);
  if (method_descriptor == nullptr) {
    return absl::InternalError(
        absl::StrCat("no method ", service, "/", method));
  }
  // One message at a time: the next is read once the last is handled.
  class Reader final
      : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    Reader(const google::protobuf::Descriptor* type,
           const std::function<bool(const google::protobuf::Message&)>& fn,
           grpc::ClientContext* context)
        : type_(type), fn_(fn), context_(context) {}
    void OnReadDone(bool ok) override {
      if (!ok) return;
      auto reply = NewMessage(type_->full_name());
      grpc::Slice slice;
      std::string bytes;
      if (buffer_.TrySingleSlice(&slice).ok()) {
        bytes.assign(reinterpret_cast<const char*>(slice.begin()),
                     slice.size());
      } else if (buffer_.DumpToSingleSlice(&slice).ok()) {
        bytes.assign(reinterpret_cast<const char*>(slice.begin()),
                     slice.size());
      }
      if (reply == nullptr || !reply->ParseFromString(bytes)) {
        absl::MutexLock lock(&mu_);
        local_ = absl::DataLossError("a reply could not be read");
        context_->TryCancel();
        return;
      }
      if (!fn_(*reply)) {
        absl::MutexLock lock(&mu_);
        stopped_ = true;
        context_->TryCancel();
        return;
      }
      StartRead(&buffer_);
    }
    void OnDone(const grpc::Status& status) override {
      absl::MutexLock lock(&mu_);
      status_ = status;
      done_ = true;
    }
    void Begin(const grpc::ByteBuffer* request) {
      StartWriteLast(request, grpc::WriteOptions());
      StartRead(&buffer_);
      StartCall();
    }
    // Waits until done, cancelling when `stop` says so.
    absl::Status Wait(const std::function<bool()>& stop) {
      absl::MutexLock lock(&mu_);
      while (!mu_.AwaitWithTimeout(absl::Condition(&done_),
                                   absl::Milliseconds(200))) {
        if (stop && stop()) {
          stopped_ = true;
          context_->TryCancel();
        }
      }
      if (!local_.ok()) return local_;
      if (stopped_) return absl::OkStatus();
      return FromGrpcStatus(status_);
    }

   private:
    const google::protobuf::Descriptor* type_;
    const std::function<bool(const google::protobuf::Message&)>& fn_;
    grpc::ClientContext* context_;
    grpc::ByteBuffer buffer_;
    absl::Mutex mu_;
    bool done_ = false;
    bool stopped_ = false;
    absl::Status local_;
    grpc::Status status_;
  };
  ASSIGN_OR_RETURN(grpc::ByteBuffer request_buffer, ToBuffer(request));
  grpc::ClientContext context;
  if (!token_.empty())
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
  Reader reader(method_descriptor->output_type(), on_message, &context);
  stub_->PrepareBidiStreamingCall(&context,
                                  absl::StrCat("/", service, "/", method),
                                  grpc::StubOptions(), &reader);
  reader.Begin(&request_buffer);
  return reader.Wait(stop);
}

}  // namespace parley::ctl
