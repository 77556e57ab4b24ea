// What a test server of a domain service is made of, below gRPC: a store on
// disk, a worker pool, the host that runs the domain's calls on it, the gRPC
// edge (the generated service) and the domain itself, attached to the host.
// Whoever serves the edge builds its own grpc::Server around edge() and hands
// it back to Close() once it has been shut down, so that the parts go in the
// order they must: the domain detached, the pool drained, then the server,
// then the rest.
#ifndef PARLEY_TESTS_LIB_DOMAIN_STACK_H_
#define PARLEY_TESTS_LIB_DOMAIN_STACK_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/server/executor.h"
#include "common/server/service_host.h"
#include "common/store/store.h"
#include "grpcpp/grpcpp.h"

namespace parley::testing {

template <typename Domain, typename Edge>
class DomainStack {
 public:
  DomainStack() = default;
  DomainStack(const DomainStack&) = delete;
  DomainStack& operator=(const DomainStack&) = delete;

  // Opens the store at `path` and builds the stack on it with `threads`
  // workers; the store's error if it cannot be opened (nothing is built).
  // With a `service_credential`, calls must carry it, as in production.
  // With `metrics`, the host records each call there and in the call log
  // (ServiceHost).
  absl::Status Open(const std::string& path, int threads,
                    const std::string& service_credential = "",
                    const std::string& service = "",
                    Metrics* metrics = nullptr) {
    auto store = Store::Open({.path = path});
    if (!store.ok()) return store.status();
    store_ = *std::move(store);
    executor_ = std::make_unique<Executor>(threads);
    admission_ = std::make_unique<ServiceAdmission>(service_credential);
    host_ = std::make_unique<ServiceHost<Domain>>(executor_.get(), service,
                                                  admission_.get(), metrics);
    edge_ = std::make_unique<Edge>(host_.get());
    domain_ = std::make_unique<Domain>(store_.get());
    host_->Attach(domain_.get());
    return absl::OkStatus();
  }

  // The service to register with a grpc::ServerBuilder.
  Edge* edge() { return edge_.get(); }
  Domain& domain() { return *domain_; }

  // Before the server shuts down: open watches end (as the service's
  // shutdown ends them), so that they do not hold it up.
  void Stopping() {
    if (domain_ != nullptr) domain_->change_feed().Close();
  }

  // Takes it all down, `server` (shut down and waited for) included, and
  // closes the store.
  void Close(std::unique_ptr<grpc::Server>* server) {
    host_->Detach();
    executor_->Shutdown();
    server->reset();
    domain_.reset();
    edge_.reset();
    host_.reset();
    admission_.reset();
    executor_.reset();
    store_.reset();
  }

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<ServiceAdmission> admission_;
  std::unique_ptr<ServiceHost<Domain>> host_;
  std::unique_ptr<Edge> edge_;
  std::unique_ptr<Domain> domain_;
};

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_DOMAIN_STACK_H_
