// Everything the gateway serves, wired together: the three proxies and the
// report service over one set of upstream channels.
#ifndef PARLEY_SERVICES_GATEWAY_GATEWAY_H_
#define PARLEY_SERVICES_GATEWAY_GATEWAY_H_

#include <memory>
#include <vector>

#include "common/executor.h"
#include "common/server.h"
#include "services/gateway/proxy.h"
#include "services/gateway/reports.h"
#include "services/gateway/service.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

class Gateway final : public ServiceParts {
 public:
  Gateway(std::unique_ptr<Upstreams> upstreams, int workers)
      : upstreams_(std::move(upstreams)),
        executor_(workers),
        host_(&executor_),
        reports_(upstreams_.get()),
        report_service_(&host_),
        exchanges_(&upstreams_->exchanges(), upstreams_->default_deadline()),
        negotiations_(&upstreams_->negotiations(),
                      upstreams_->default_deadline()),
        incidents_(&upstreams_->incidents(), upstreams_->default_deadline()) {
    // Stateless: ready as soon as it is built.
    host_.Attach(&reports_);
  }

  std::vector<grpc::Service*> services() override {
    return {&report_service_, &exchanges_, &negotiations_, &incidents_};
  }
  void Attach(Store*) override {}
  void Detach() override {
    host_.Detach();
    executor_.Shutdown();
  }

 private:
  std::unique_ptr<Upstreams> upstreams_;
  Executor executor_;
  ServiceHost<Reports> host_;
  Reports reports_;
  ReportServiceImpl report_service_;
  ProxyService<exchanges::v1::ExchangesService> exchanges_;
  ProxyService<negotiations::v1::NegotiationsService> negotiations_;
  ProxyService<incidents::v1::IncidentsService> incidents_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_GATEWAY_H_
