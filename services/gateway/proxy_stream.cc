// ForwardStream (proxy.h): a server-streaming call passed through as bytes.
#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/api/grpc_status.h"
#include "common/server/metrics.h"
#include "common/server/service_host.h"
#include "services/gateway/proxy.h"

namespace parley::gateway {
namespace {

// One forwarded stream: the caller's side (a server write reactor) and the
// service's side (a client reactor; bidi on the wire, which a
// server-streaming method accepts: one request, then half-close). Freed
// once both sides are done.
class StreamCall final : public OpenStreams::Stream {
 public:
  class Down final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
   public:
    explicit Down(StreamCall* call) : call_(call) {}
    void OnWriteDone(bool ok) override { call_->DownWriteDone(ok); }
    void OnCancel() override { call_->client_->TryCancel(); }
    void OnDone() override { call_->Unref(); }

   private:
    StreamCall* call_;
  };

  class Up final
      : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Up(StreamCall* call) : call_(call) {}
    void OnReadDone(bool ok) override { call_->UpReadDone(ok); }
    void OnDone(const grpc::Status& status) override { call_->UpDone(status); }

   private:
    StreamCall* call_;
  };

  StreamCall(grpc::CallbackServerContext* context,
             std::unique_ptr<grpc::ClientContext> client, std::string method,
             std::string caller, absl::Time start,
             const grpc::ByteBuffer& request)
      : context_(context),
        client_(std::move(client)),
        method_(std::move(method)),
        caller_(std::move(caller)),
        start_(start),
        request_(request),
        down_(this),
        up_(this) {}

  // The gateway is shutting down: the caller hears UNAVAILABLE.
  void Close() override {
    closing_.store(true);
    client_->TryCancel();
  }

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Start(Upstream* upstream,
                                                    OpenStreams* streams) {
    streams_ = streams;
    if (streams_ != nullptr && !streams_->Add(this)) {
      closing_.store(true);
      client_->TryCancel();
    }
    upstream->generic->PrepareBidiStreamingCall(client_.get(), method_,
                                                grpc::StubOptions(), &up_);
    up_.StartWriteLast(&request_, grpc::WriteOptions());
    up_.StartRead(&message_);
    up_.StartCall();
    return &down_;
  }

 private:
  void CopyHeadersLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (headers_copied_) return;
    headers_copied_ = true;
    for (const auto& [key, value] : client_->GetServerInitialMetadata()) {
      const absl::string_view k(key.data(), key.size());
      if (IsHopHeader(k)) continue;
      context_->AddInitialMetadata(std::string(k),
                                   std::string(value.data(), value.size()));
    }
  }
  void UpReadDone(bool ok) {
    // Not ok: the service has ended the stream; UpDone has its status.
    if (!ok) return;
    {
      // The service's headers go out as ours, with its first message.
      absl::MutexLock lock(&mu_);
      CopyHeadersLocked();
    }
    // Held until the caller has taken the message: the service's side
    // cannot finish (and its stream go away) before the next read starts.
    up_.AddHold();
    down_.StartWrite(&message_);
  }
  void DownWriteDone(bool ok) {
    if (ok) {
      up_.StartRead(&message_);
    } else {
      client_->TryCancel();  // the caller went away
    }
    up_.RemoveHold();
  }
  void UpDone(const grpc::Status& status) {
    {
      absl::MutexLock lock(&mu_);
      if (!headers_copied_) CopyHeadersLocked();
    }
    for (const auto& [key, value] : client_->GetServerTrailingMetadata()) {
      const absl::string_view k(key.data(), key.size());
      if (IsHopHeader(k)) continue;
      context_->AddTrailingMetadata(std::string(k),
                                    std::string(value.data(), value.size()));
    }
    if (streams_ != nullptr) streams_->Remove(this);
    const grpc::Status sent =
        closing_.load()
            ? grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "the gateway is shutting down: resume from the "
                           "last position received")
            : status;
    RecordCall(&Metrics::Default(), method_, sent, absl::Now() - start_,
               caller_);
    down_.Finish(sent);
    Unref();
  }
  void Unref() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

  grpc::CallbackServerContext* const context_;
  const std::unique_ptr<grpc::ClientContext> client_;
  const std::string method_;
  const std::string caller_;
  const absl::Time start_;
  grpc::ByteBuffer request_;
  // The one message in flight: read from the service, then written to the
  // caller, then read into again.
  grpc::ByteBuffer message_;
  absl::Mutex mu_;
  bool headers_copied_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int> refs_{2};  // Down::OnDone and Up::OnDone
  std::atomic<bool> closing_{false};
  OpenStreams* streams_ = nullptr;
  Down down_;
  Up up_;
};

}  // namespace

bool OpenStreams::Add(Stream* stream) {
  absl::MutexLock lock(&mu_);
  if (closing_) return false;
  open_.insert(stream);
  return true;
}

void OpenStreams::Remove(Stream* stream) {
  absl::MutexLock lock(&mu_);
  open_.erase(stream);
}

void OpenStreams::CloseAll() {
  absl::MutexLock lock(&mu_);
  closing_ = true;
  for (Stream* stream : open_) stream->Close();
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ForwardStream(
    const ProxyTarget& target, const std::string& method_name,
    const google::protobuf::Message& request_type,
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  const absl::Time start = absl::Now();
  absl::StatusOr<Caller> caller =
      AdmitForward(target, method_name, request_type, context, *request, start);
  if (!caller.ok()) {
    return new RefusedStream<grpc::ByteBuffer>(ToGrpcStatus(caller.status()));
  }
  auto* call = new StreamCall(
      context, UpstreamContext(target, context, *caller, false),
      absl::StrCat("/", target.upstream->service, "/", method_name),
      caller->actor, start, *request);
  return call->Start(target.upstream, target.streams);
}

}  // namespace parley::gateway
