// The gRPC edge of the gateway's own ReportService: each handler hands its
// request to the reports on the worker pool (common/server.h).
#ifndef PARLEY_SERVICES_GATEWAY_SERVICE_H_
#define PARLEY_SERVICES_GATEWAY_SERVICE_H_

#include "common/server/server.h"
#include "parley/reports/v1/reports_service.grpc.pb.h"
#include "services/gateway/reports.h"

namespace parley::gateway {

// Raw methods, parsed by PARLEY_PARSED_UNARY: malformed bytes get a clear
// INVALID_ARGUMENT, as the proxied services' do.
class ReportServiceImpl final
    : public reports::v1::ReportService::
          WithRawCallbackMethod_GetAgreementProgress<
              reports::v1::ReportService::
                  WithRawCallbackMethod_ListStalledChannels<
                      reports::v1::ReportService::
                          WithRawCallbackMethod_GetTalksContext<
                              reports::v1::ReportService::
                                  WithRawCallbackMethod_GetSummary<
                                      reports::v1::ReportService::Service>>>> {
 public:
  explicit ReportServiceImpl(ServiceHost<Reports>* host) : host_(host) {}

  PARLEY_PARSED_UNARY(Reports, GetAgreementProgress,
                      reports::v1::GetAgreementProgressRequest,
                      reports::v1::GetAgreementProgressResponse)
  PARLEY_PARSED_UNARY(Reports, ListStalledChannels,
                      reports::v1::ListStalledChannelsRequest,
                      reports::v1::ListStalledChannelsResponse)
  PARLEY_PARSED_UNARY(Reports, GetTalksContext,
                      reports::v1::GetTalksContextRequest,
                      reports::v1::GetTalksContextResponse)
  PARLEY_PARSED_UNARY(Reports, GetSummary, reports::v1::GetSummaryRequest,
                      reports::v1::GetSummaryResponse)

 private:
  ServiceHost<Reports>* host_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_SERVICE_H_
