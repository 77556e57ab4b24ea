// The cross-domain reports: each composed from concurrent calls to the
// domain services, answering with what it could get and naming what it
// could not.
#ifndef PARLEY_SERVICES_GATEWAY_REPORTS_H_
#define PARLEY_SERVICES_GATEWAY_REPORTS_H_

#include "common/server/server.h"
#include "parley/reports/v1/reports_service.pb.h"
#include "services/gateway/upstreams.h"

namespace parley::gateway {

class Reports {
 public:
  explicit Reports(Upstreams* upstreams) : upstreams_(upstreams) {}
  Reports(const Reports&) = delete;
  Reports& operator=(const Reports&) = delete;

  absl::Status GetAgreementProgress(
      const reports::v1::GetAgreementProgressRequest& request,
      const Caller& caller, reports::v1::GetAgreementProgressResponse* out);
  absl::Status ListStalledChannels(
      const reports::v1::ListStalledChannelsRequest& request,
      const Caller& caller, reports::v1::ListStalledChannelsResponse* out);
  absl::Status GetTalksContext(
      const reports::v1::GetTalksContextRequest& request, const Caller& caller,
      reports::v1::GetTalksContextResponse* out);
  absl::Status GetSummary(const reports::v1::GetSummaryRequest& request,
                          const Caller& caller,
                          reports::v1::GetSummaryResponse* out);

 private:
  Upstreams* upstreams_;
};

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_REPORTS_H_
