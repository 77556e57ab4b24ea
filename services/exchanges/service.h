// The gRPC edge of the exchanges service: each handler hands its request to
// the domain on the worker pool (common/server.h); nothing else happens here.
#ifndef PARLEY_SERVICES_EXCHANGES_SERVICE_H_
#define PARLEY_SERVICES_EXCHANGES_SERVICE_H_

#include "common/server/service_host.h"
#include "common/service/change_watch.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "services/exchanges/domain.h"

namespace parley::exchanges {

class ExchangesServiceImpl final
    : public v1::ExchangesService::CallbackService {
 public:
  explicit ExchangesServiceImpl(ServiceHost<Exchanges>* host) : host_(host) {}

  PARLEY_UNARY(Exchanges, GetAgreement, v1::GetAgreementRequest, v1::Agreement)
  PARLEY_UNARY(Exchanges, ListAgreements, v1::ListAgreementsRequest,
               v1::ListAgreementsResponse)
  PARLEY_UNARY(Exchanges, CreateAgreement, v1::CreateAgreementRequest,
               v1::Agreement)
  PARLEY_UNARY(Exchanges, BatchCreateAgreements,
               v1::BatchCreateAgreementsRequest,
               v1::BatchCreateAgreementsResponse)
  PARLEY_UNARY(Exchanges, UpdateAgreement, v1::UpdateAgreementRequest,
               v1::Agreement)
  PARLEY_UNARY(Exchanges, DeleteAgreement, v1::DeleteAgreementRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Exchanges, GetExchange, v1::GetExchangeRequest, v1::Exchange)
  PARLEY_UNARY(Exchanges, ListExchanges, v1::ListExchangesRequest,
               v1::ListExchangesResponse)
  PARLEY_UNARY(Exchanges, CreateExchange, v1::CreateExchangeRequest,
               v1::Exchange)
  PARLEY_UNARY(Exchanges, BatchCreateExchanges, v1::BatchCreateExchangesRequest,
               v1::BatchCreateExchangesResponse)
  PARLEY_UNARY(Exchanges, UpdateExchange, v1::UpdateExchangeRequest,
               v1::Exchange)
  PARLEY_UNARY(Exchanges, DeleteExchange, v1::DeleteExchangeRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Exchanges, GetChannel, v1::GetChannelRequest, v1::Channel)
  PARLEY_UNARY(Exchanges, ListChannels, v1::ListChannelsRequest,
               v1::ListChannelsResponse)
  PARLEY_UNARY(Exchanges, CreateChannel, v1::CreateChannelRequest, v1::Channel)
  PARLEY_UNARY(Exchanges, BatchCreateChannels, v1::BatchCreateChannelsRequest,
               v1::BatchCreateChannelsResponse)
  PARLEY_UNARY(Exchanges, UpdateChannel, v1::UpdateChannelRequest, v1::Channel)
  PARLEY_UNARY(Exchanges, DeleteChannel, v1::DeleteChannelRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Exchanges, GetChannelStatus, v1::GetChannelStatusRequest,
               v1::ChannelStatus)
  PARLEY_UNARY(Exchanges, ListChannelStatuses, v1::ListChannelStatusesRequest,
               v1::ListChannelStatusesResponse)
  PARLEY_UNARY(Exchanges, CreateChannelStatus, v1::CreateChannelStatusRequest,
               v1::ChannelStatus)
  PARLEY_UNARY(Exchanges, BatchCreateChannelStatuses,
               v1::BatchCreateChannelStatusesRequest,
               v1::BatchCreateChannelStatusesResponse)
  PARLEY_UNARY(Exchanges, UpdateChannelStatus, v1::UpdateChannelStatusRequest,
               v1::ChannelStatus)
  PARLEY_UNARY(Exchanges, DeleteChannelStatus, v1::DeleteChannelStatusRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Exchanges, SummarizeAgreement, v1::SummarizeAgreementRequest,
               v1::SummarizeAgreementResponse)
  PARLEY_UNARY(Exchanges, SummarizeExchanges, v1::SummarizeExchangesRequest,
               v1::SummarizeExchangesResponse)

  PARLEY_UNARY(Exchanges, ListRevisions, v1::ListRevisionsRequest,
               v1::ListRevisionsResponse)
  PARLEY_UNARY(Exchanges, ListChanges, v1::ListChangesRequest,
               v1::ListChangesResponse)
  PARLEY_WATCH_CHANGES(Exchanges, v1::WatchChangesRequest,
                       v1::WatchChangesResponse)

 private:
  ServiceHost<Exchanges>* host_;
};

}  // namespace parley::exchanges

#endif  // PARLEY_SERVICES_EXCHANGES_SERVICE_H_
