// How a CallbackService edge hands its calls to domain code: admission
// (who is calling, may they), then the call on a worker pool, its
// absl::Status mapped to the wire in one place, and (for raw methods) the
// call recorded in the metrics and the call log.
#ifndef PARLEY_COMMON_SERVER_SERVICE_HOST_H_
#define PARLEY_COMMON_SERVER_SERVICE_HOST_H_

#include <atomic>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/grpc_status.h"
#include "common/api/validation.h"
#include "common/base/status.h"
#include "common/server/auth.h"
#include "common/server/call_log.h"
#include "common/server/executor.h"
#include "common/server/metrics.h"
#include "google/protobuf/arena.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace parley {

// A streaming call refused before it starts: finishes at once.
template <typename Response>
class RefusedStream final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedStream(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

// Hands each call to the worker pool, with the domain once it is ready,
// after `admission` has said who the caller is (and whether they may call).
template <typename Domain>
class ServiceHost {
 public:
  // `service` is the full gRPC service name the host serves; a null
  // `admission` admits anyone, naming them from "x-parley-caller".
  // With `metrics`, the host records each call (metrics, call log) as it
  // finishes. Only for raw methods (PARLEY_PARSED_UNARY): gRPC answers a
  // typed method's unreadable request itself, before the host sees it, so
  // hosts of typed methods leave the record to the call log interceptor.
  ServiceHost(Executor* executor, std::string service = "",
              const Admission* admission = nullptr, Metrics* metrics = nullptr)
      : executor_(executor),
        service_(std::move(service)),
        admission_(admission != nullptr ? admission : &open_),
        metrics_(metrics) {}

  void Attach(Domain* domain) {
    domain_.store(domain, std::memory_order_release);
  }
  void Detach() { domain_.store(nullptr, std::memory_order_release); }

  // A server-streaming call, admitted as Run's are: `start(Domain&, const
  // Caller&, Executor*)` returns the reactor that serves it. A refused call
  // gets a reactor that finishes at once with the refusal.
  template <typename Response, typename Start>
  grpc::ServerWriteReactor<Response>* Stream(
      grpc::CallbackServerContext* context, absl::string_view method,
      Start start) {
    absl::StatusOr<Caller> caller =
        admission_->Admit(*context, service_, method);
    if (!caller.ok()) {
      return new RefusedStream<Response>(ToGrpcStatus(caller.status()));
    }
    Domain* domain = domain_.load(std::memory_order_acquire);
    if (domain == nullptr) {
      return new RefusedStream<Response>(
          grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       "the store is not open; retry shortly"));
    }
    return start(*domain, *caller, executor_);
  }

  // `fn(Domain&, const Caller&)` returns absl::Status; it runs on the pool
  // and its status is mapped to the wire in one place.
  template <typename Fn>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context,
                                absl::string_view method, Fn fn) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const absl::Time start = absl::Now();
    absl::StatusOr<Caller> caller =
        admission_->Admit(*context, service_, method);
    if (!caller.ok()) {
      Finish(reactor, method, start,
             admission_->Identify(context->client_metadata()),
             ToGrpcStatus(caller.status()));
      return reactor;
    }
    Domain* domain = domain_.load(std::memory_order_acquire);
    if (domain == nullptr) {
      Finish(reactor, method, start, caller->actor,
             grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the store is not open; retry shortly"));
      return reactor;
    }
    executor_->Submit([this, reactor, context, domain, method, start,
                       caller = *std::move(caller),
                       fn = std::move(fn)]() mutable {
      if (context->IsCancelled()) {
        Finish(reactor, method, start, caller.actor, grpc::Status::CANCELLED);
        return;
      }
      Finish(reactor, method, start, caller.actor,
             ToGrpcStatus(fn(*domain, caller)));
    });
    return reactor;
  }

 private:
  void Finish(grpc::ServerUnaryReactor* reactor, absl::string_view method,
              absl::Time start, absl::string_view caller,
              const grpc::Status& status) {
    if (metrics_ != nullptr) {
      RecordCall(metrics_, absl::StrCat("/", service_, "/", method), status,
                 absl::Now() - start, caller);
    }
    reactor->Finish(status);
  }

  Executor* executor_;
  std::string service_;
  ServiceAdmission open_;
  const Admission* admission_;
  Metrics* metrics_;
  std::atomic<Domain*> domain_{nullptr};
};

// Calls a domain method whatever its shape: reads (request, response),
// writes (request, caller, response), deletes (request, caller).
template <typename Domain, typename Request, typename Response>
absl::Status InvokeDomain(absl::Status (Domain::*method)(const Request&,
                                                         Response*),
                          Domain& domain, const Request& request, const Caller&,
                          Response* response) {
  return (domain.*method)(request, response);
}
template <typename Domain, typename Request, typename Response>
absl::Status InvokeDomain(absl::Status (Domain::*method)(const Request&,
                                                         const Caller&,
                                                         Response*),
                          Domain& domain, const Request& request,
                          const Caller& caller, Response* response) {
  return (domain.*method)(request, caller, response);
}
template <typename Domain, typename Request, typename Response>
absl::Status InvokeDomain(absl::Status (Domain::*method)(const Request&,
                                                         const Caller&),
                          Domain& domain, const Request& request,
                          const Caller& caller, Response*) {
  return (domain.*method)(request, caller);
}

// For a request's parse: its strings and nested messages come from a few
// blocks freed at once, not an allocation each (a batch of a thousand
// records holds tens of thousands).
inline google::protobuf::ArenaOptions RequestArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 4 << 10;
  options.max_block_size = 256 << 10;
  return options;
}

// Reads a request from the bytes a client sent. gRPC's own parse, on bytes
// that are not the request message, fails a callback method as
// UNIMPLEMENTED with no message; here it is INVALID_ARGUMENT naming the
// message and the field (invalid UTF-8, a field cut off or sent under
// another wire type).
inline absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                                 google::protobuf::Message* request) {
  // The reader only reads; the buffer stays as it came.
  grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(&bytes));
  if (!request->ParseFromZeroCopyStream(&reader)) {
    // Rare, so the copy is affordable: find the field to name.
    grpc::Slice all;
    const bool dumped = bytes.DumpToSingleSlice(&all).ok();
    return DescribeMalformedRequest(
        *request->GetDescriptor(),
        dumped ? absl::string_view(reinterpret_cast<const char*>(all.begin()),
                                   all.size())
               : absl::string_view());
  }
  return CheckWireTypes(*request);
}

// `response` as the bytes of a reply.
inline absl::Status SerializeResponse(const google::protobuf::Message& response,
                                      grpc::ByteBuffer* out) {
  bool own_buffer = false;
  const grpc::Status s =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(
          response, out, &own_buffer);
  if (s.ok()) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("cannot serialize the reply: ", s.error_message()));
}

// PARLEY_UNARY for a method marked raw (the generated
// WithRawCallbackMethod_<Method>): the request is parsed by ParseRequest on
// the worker pool, after admission, so that malformed bytes get a clear
// INVALID_ARGUMENT.
#define PARLEY_PARSED_UNARY(Domain, Method, Request, Response)                \
  ::grpc::ServerUnaryReactor* Method(::grpc::CallbackServerContext* context,  \
                                     const ::grpc::ByteBuffer* request,       \
                                     ::grpc::ByteBuffer* response) override { \
    return host_->Run(                                                        \
        context, #Method,                                                     \
        [request, response](Domain& domain,                                   \
                            const ::parley::Caller& c) -> ::absl::Status {    \
          ::google::protobuf::Arena arena(::parley::RequestArenaOptions());   \
          Request& parsed =                                                   \
              *::google::protobuf::Arena::CreateMessage<Request>(&arena);     \
          RETURN_IF_ERROR(::parley::ParseRequest(*request, &parsed));         \
          Response reply;                                                     \
          RETURN_IF_ERROR(::parley::InvokeDomain(&Domain::Method, domain,     \
                                                 parsed, c, &reply));         \
          return ::parley::SerializeResponse(reply, response);                \
        });                                                                   \
  }

// One unary handler of a CallbackService edge: hands the call to
// `Domain::Method` on the worker pool. Used inside a class with a
// `ServiceHost<Domain>* host_` member:
//   PARLEY_UNARY(Exchanges, GetAgreement, v1::GetAgreementRequest,
//   v1::Agreement)
#define PARLEY_UNARY(Domain, Method, Request, Response)                       \
  ::grpc::ServerUnaryReactor* Method(::grpc::CallbackServerContext* context,  \
                                     const Request* request,                  \
                                     Response* response) override {           \
    return host_->Run(                                                        \
        context, #Method,                                                     \
        [request, response](Domain& domain, const ::parley::Caller& c) {      \
          return ::parley::InvokeDomain(&Domain::Method, domain, *request, c, \
                                        response);                            \
        });                                                                   \
  }

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_SERVICE_HOST_H_
