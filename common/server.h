// The bootstrap every domain service shares: flags with PARLEY_* overrides,
// JSON logs, health (NOT_SERVING until the store is open and again before
// shutdown), reflection, a worker pool for blocking store calls, and a
// graceful stop on SIGTERM (stop accepting, finish in-flight calls, flush,
// close). A domain's main() is one call to RunService.
#ifndef PARLEY_COMMON_SERVER_H_
#define PARLEY_COMMON_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/executor.h"
#include "common/status.h"
#include "common/store.h"
#include "grpcpp/grpcpp.h"

namespace parley {

struct ServiceConfig {
  // Short name: "exchanges"; used for logs and the default data folder.
  std::string name;
  // Fully qualified gRPC service, reported by health:
  // "parley.exchanges.v1.ExchangesService".
  std::string grpc_service;
  int default_port = 0;
  // A stateless service (the gateway) opens no store.
  bool stateless = false;
};

// Who is calling, as far as the service can tell.
struct Caller {
  std::string actor;
  // The call's deadline (absl::InfiniteFuture() if it has none), for calls
  // this one makes in turn.
  absl::Time deadline = absl::InfiniteFuture();
};

// The caller named in "x-parley-caller" metadata (set by the gateway once it
// has authenticated the user), else "anonymous".
Caller CallerOf(const grpc::CallbackServerContext* context);

// Hands each call to the worker pool, with the domain once it is ready.
template <typename Domain>
class ServiceHost {
 public:
  explicit ServiceHost(Executor* executor) : executor_(executor) {}

  void Attach(Domain* domain) {
    domain_.store(domain, std::memory_order_release);
  }
  void Detach() { domain_.store(nullptr, std::memory_order_release); }

  // `fn(Domain&, const Caller&)` returns absl::Status; it runs on the pool
  // and its status is mapped to the wire in one place.
  template <typename Fn>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context, Fn fn) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    Domain* domain = domain_.load(std::memory_order_acquire);
    if (domain == nullptr) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                   "the store is not open; retry shortly"));
      return reactor;
    }
    executor_->Submit([reactor, context, domain, fn = std::move(fn)]() mutable {
      if (context->IsCancelled()) {
        reactor->Finish(grpc::Status::CANCELLED);
        return;
      }
      reactor->Finish(ToGrpcStatus(fn(*domain, CallerOf(context))));
    });
    return reactor;
  }

 private:
  Executor* executor_;
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
        context,                                                              \
        [request, response](Domain& domain, const ::parley::Caller& c) {      \
          return ::parley::InvokeDomain(&Domain::Method, domain, *request, c, \
                                        response);                            \
        });                                                                   \
  }

// The pieces of one service the bootstrap drives.
class ServiceParts {
 public:
  virtual ~ServiceParts() = default;
  // The gRPC services to register.
  virtual std::vector<grpc::Service*> services() = 0;
  // The store is open (null for a stateless service): become ready.
  virtual void Attach(Store* store) = 0;
  // The server has stopped: finish queued work, release the store.
  virtual void Detach() = 0;
};

// Runs a service until SIGTERM or SIGINT and returns the exit code.
// `make_parts` is called once flags are parsed.
int RunServiceLoop(
    int argc, char** argv, const ServiceConfig& config,
    const std::function<std::unique_ptr<ServiceParts>()>& make_parts);

// Worker threads for blocking calls (flag --workers).
int WorkerThreads();

// main() of a domain service: `Edge` is the gRPC CallbackService, built
// from a ServiceHost<Domain>*; `Domain` is built from the open Store*.
template <typename Domain, typename Edge>
int RunService(int argc, char** argv, const ServiceConfig& config) {
  class Parts final : public ServiceParts {
   public:
    Parts() : executor_(WorkerThreads()), host_(&executor_), edge_(&host_) {}
    std::vector<grpc::Service*> services() override { return {&edge_}; }
    void Attach(Store* store) override {
      domain_ = std::make_unique<Domain>(store);
      host_.Attach(domain_.get());
    }
    void Detach() override {
      host_.Detach();
      executor_.Shutdown();
      domain_.reset();
    }

   private:
    Executor executor_;
    ServiceHost<Domain> host_;
    Edge edge_;
    std::unique_ptr<Domain> domain_;
  };
  return RunServiceLoop(argc, argv, config,
                        [] { return std::make_unique<Parts>(); });
}

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_H_
