// Everything the gateway serves, wired together: the three proxies, the
// report service and the admin router over one set of upstream channels,
// each call admitted by one Admission.
#ifndef PARLEY_SERVICES_GATEWAY_GATEWAY_H_
#define PARLEY_SERVICES_GATEWAY_GATEWAY_H_

#include <memory>
#include <vector>

#include "common/server/admin_service.h"
#include "common/server/auth.h"
#include "common/server/executor.h"
#include "common/server/server.h"
#include "services/gateway/admin.h"
#include "services/gateway/proxy.h"
#include "services/gateway/reports.h"
#include "services/gateway/service.h"
#include "services/gateway/upstream_watch.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

class Gateway final : public ServiceParts {
 public:
  // `admission` decides who may call what (TokenAdmission in production).
  // `ready_after_stores`, `ready_wait`: see Serve.
  Gateway(std::unique_ptr<Upstreams> upstreams, int workers,
          std::shared_ptr<const Admission> admission,
          bool ready_after_stores = true,
          absl::Duration ready_wait = absl::Seconds(60))
      : upstreams_(std::move(upstreams)),
        ready_after_stores_(ready_after_stores),
        watch_(upstreams_.get(), ready_wait),
        admission_(std::move(admission)),
        executor_(workers),
        host_(&executor_, "parley.reports.v1.ReportService", admission_.get(),
              &Metrics::Default()),
        reports_(upstreams_.get()),
        report_service_(&host_),
        admin_host_(&executor_, "parley.admin.v1.AdminService",
                    admission_.get(), &Metrics::Default()),
        admin_router_(upstreams_.get()),
        admin_service_(&admin_host_),
        exchanges_(Target(&upstreams_->exchanges())),
        negotiations_(Target(&upstreams_->negotiations())),
        incidents_(Target(&upstreams_->incidents())) {
    // Stateless: ready as soon as it is built.
    host_.Attach(&reports_);
    admin_host_.Attach(&admin_router_);
  }

  std::vector<grpc::Service*> services() override {
    return {&report_service_, &admin_service_, &exchanges_, &negotiations_,
            &incidents_};
  }
  absl::Status Start() override { return absl::OkStatus(); }
  // Ready once every store has answered its health check, or after
  // `ready_wait` all the same (--ready_after_stores, the default), else at
  // once.
  void Serve(std::function<void(bool)> set_serving) override {
    if (!ready_after_stores_) {
      set_serving(true);
      return;
    }
    watch_.Start(std::move(set_serving));
  }
  const Admission* admission() const override { return admission_.get(); }
  std::vector<std::string> logged_services() const override {
    return {"parley.reports.v1.ReportService", "parley.admin.v1.AdminService",
            exchanges::v1::ExchangesService::service_full_name(),
            negotiations::v1::NegotiationsService::service_full_name(),
            incidents::v1::IncidentsService::service_full_name()};
  }
  // Open watches end now (UNAVAILABLE: resume from the last position)
  // rather than hold up the shutdown.
  void Stopping() override {
    watch_.Stop();
    streams_.CloseAll();
  }
  void Stop() override {
    watch_.Stop();
    host_.Detach();
    admin_host_.Detach();
    executor_.Shutdown();
  }

 private:
  ProxyTarget Target(Upstream* upstream) {
    return {upstream, upstreams_->default_deadline(),
            upstreams_->service_credential(), admission_.get(), &streams_};
  }

  std::unique_ptr<Upstreams> upstreams_;
  const bool ready_after_stores_;
  UpstreamWatch watch_;
  std::shared_ptr<const Admission> admission_;
  OpenStreams streams_;
  Executor executor_;
  ServiceHost<Reports> host_;
  Reports reports_;
  ReportServiceImpl report_service_;
  ServiceHost<AdminRouter> admin_host_;
  AdminRouter admin_router_;
  AdminServiceImpl<AdminRouter> admin_service_;
  ProxyService<exchanges::v1::ExchangesService> exchanges_;
  ProxyService<negotiations::v1::NegotiationsService> negotiations_;
  ProxyService<incidents::v1::IncidentsService> incidents_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_GATEWAY_H_
