// A domain service's process: the common bootstrap (common/server) with a
// store under it. Start opens the store at --data_dir, brings its rollups up
// to date and only then serves; Stop closes it. Besides the domain's own
// gRPC service it serves AdminService (backups) for its store, and it
// answers two one-off modes instead of serving: --restore_from (a backup
// into --data_dir) and --check_store. A domain's main() is one call to
// RunService.
#ifndef PARLEY_COMMON_SERVICE_DOMAIN_SERVICE_H_
#define PARLEY_COMMON_SERVICE_DOMAIN_SERVICE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/status.h"
#include "common/server/admin_service.h"
#include "common/server/executor.h"
#include "common/server/metrics.h"
#include "common/server/server.h"
#include "common/server/service_host.h"
#include "common/service/backup_admin.h"
#include "common/store/backups.h"
#include "common/store/collection.h"
#include "common/store/rollup_upgrade.h"
#include "common/store/store.h"

namespace parley {

// The store of one domain service process, from its flags (--data_dir,
// --backup_dir, --backups_to_keep): opened by Start, its figures in the
// process's metrics while open.
class ServiceStore {
 public:
  explicit ServiceStore(const std::string& service);
  ServiceStore(const ServiceStore&) = delete;
  ServiceStore& operator=(const ServiceStore&) = delete;
  ~ServiceStore() { Close(); }

  absl::StatusOr<Store*> Open();
  // Flushes and closes; no scrape reads the store afterwards.
  void Close();
  const BackupOptions& backup_options() const { return backups_; }

 private:
  std::string data_dir_;
  BackupOptions backups_;
  std::unique_ptr<Store> store_;
};

// Builds a domain over an open store and hands its collections to `fn`.
using WithCollections = std::function<absl::Status(
    Store* store,
    const std::function<absl::Status(const std::vector<Collection*>&)>& fn)>;

// The one-off modes (--restore_from, --check_store): the exit code if one
// was asked for, nullopt to serve.
std::optional<int> RunStoreModes(const std::string& service,
                                 const WithCollections& with_collections);

// What a domain service's handlers record themselves, rather than the call
// log interceptor: its admin methods (raw). Its own methods are typed, and
// gRPC answers their unreadable requests before any handler (ServiceHost).
inline std::vector<std::string> DomainLoggedServices() {
  return {"parley.admin.v1.AdminService"};
}

// main() of a domain service: `Edge` is the gRPC CallbackService, built
// from a ServiceHost<Domain>*; `Domain` is built from the open Store* and
// names its collections (`std::vector<Collection*> collections()`).
template <typename Domain, typename Edge>
int RunService(int argc, char** argv, ServiceConfig config) {
  class Parts final : public ServiceParts {
   public:
    explicit Parts(const ServiceEnv& env)
        : env_(env),
          store_(env.config.name),
          executor_(env.workers),
          host_(&executor_, env.config.grpc_service, env.admission.get()),
          edge_(&host_),
          admin_host_(&executor_, "parley.admin.v1.AdminService",
                      env.admission.get(), &Metrics::Default()),
          admin_(&admin_host_) {}
    std::vector<grpc::Service*> services() override {
      return {&edge_, &admin_};
    }
    absl::Status Start() override {
      ASSIGN_OR_RETURN(Store * store, store_.Open());
      domain_ = std::make_unique<Domain>(store);
      // Before any call reaches the domain.
      RETURN_IF_ERROR(UpgradeRollups(domain_->collections()));
      backups_ = std::make_unique<Backups>(store, store_.backup_options());
      backup_admin_ = std::make_unique<BackupAdmin>(backups_.get());
      host_.Attach(domain_.get());
      admin_host_.Attach(backup_admin_.get());
      return absl::OkStatus();
    }
    void Stop() override {
      host_.Detach();
      admin_host_.Detach();
      executor_.Shutdown();
      domain_.reset();
      backup_admin_.reset();
      backups_.reset();
      store_.Close();
    }
    void Stopping() override {
      if (backups_ != nullptr) backups_->Cancel();
      // Open watches end now (UNAVAILABLE, resume from the last position)
      // rather than hold up the server's shutdown.
      if (domain_ != nullptr) domain_->change_feed().Close();
    }
    const Admission* admission() const override { return env_.admission.get(); }
    std::vector<std::string> logged_services() const override {
      return DomainLoggedServices();
    }

   private:
    ServiceEnv env_;
    ServiceStore store_;
    Executor executor_;
    ServiceHost<Domain> host_;
    Edge edge_;
    ServiceHost<BackupAdmin> admin_host_;
    AdminServiceImpl<BackupAdmin> admin_;
    std::unique_ptr<Domain> domain_;
    std::unique_ptr<Backups> backups_;
    std::unique_ptr<BackupAdmin> backup_admin_;
  };
  const std::string name = config.name;
  config.one_off = [name] {
    return RunStoreModes(name, [](Store* store, const auto& fn) {
      Domain domain(store);
      // As serving would see it.
      RETURN_IF_ERROR(UpgradeRollups(domain.collections()));
      return fn(domain.collections());
    });
  };
  return RunServiceLoop(argc, argv, config,
                        [](const ServiceEnv& env)
                            -> absl::StatusOr<std::unique_ptr<ServiceParts>> {
                          return std::make_unique<Parts>(env);
                        });
}

}  // namespace parley

#endif  // PARLEY_COMMON_SERVICE_DOMAIN_SERVICE_H_
