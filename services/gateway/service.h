// The gRPC edge of the gateway's own ReportService: each handler hands its
// request to the reports on the worker pool (common/server.h).
#ifndef PARLEY_SERVICES_GATEWAY_SERVICE_H_
#define PARLEY_SERVICES_GATEWAY_SERVICE_H_

#include "common/server.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "services/gateway/reports.h"

namespace parley::gateway {

class ReportServiceImpl final
    : public reports::v1::ReportService::CallbackService {
 public:
  explicit ReportServiceImpl(ServiceHost<Reports>* host) : host_(host) {}

  PARLEY_UNARY(Reports, GetAgreementProgress,
               reports::v1::GetAgreementProgressRequest,
               reports::v1::GetAgreementProgressResponse)
  PARLEY_UNARY(Reports, ListStalledChannels,
               reports::v1::ListStalledChannelsRequest,
               reports::v1::ListStalledChannelsResponse)
  PARLEY_UNARY(Reports, GetTalksContext, reports::v1::GetTalksContextRequest,
               reports::v1::GetTalksContextResponse)
  PARLEY_UNARY(Reports, GetSummary, reports::v1::GetSummaryRequest,
               reports::v1::GetSummaryResponse)

 private:
  ServiceHost<Reports>* host_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_SERVICE_H_
