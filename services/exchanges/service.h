// The gRPC edge of the exchanges service: each handler hands its request to
// the domain on the worker pool; status mapping is common/'s.
#ifndef PARLEY_SERVICES_EXCHANGES_SERVICE_H_
#define PARLEY_SERVICES_EXCHANGES_SERVICE_H_

#include "common/server.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "services/exchanges/domain.h"

namespace parley::exchanges {

class ExchangesServiceImpl final : public v1::ExchangesService::CallbackService {
 public:
  explicit ExchangesServiceImpl(ServiceHost<Exchanges>* host) : host_(host) {}

  grpc::ServerUnaryReactor* GetAgreement(grpc::CallbackServerContext* context,
                                     const v1::GetAgreementRequest* request,
                                     v1::Agreement* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.GetAgreement(*request, response);
    });
  }
  grpc::ServerUnaryReactor* ListAgreements(grpc::CallbackServerContext* context,
                                     const v1::ListAgreementsRequest* request,
                                     v1::ListAgreementsResponse* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.ListAgreements(*request, response);
    });
  }
  grpc::ServerUnaryReactor* CreateAgreement(grpc::CallbackServerContext* context,
                                     const v1::CreateAgreementRequest* request,
                                     v1::Agreement* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.CreateAgreement(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* UpdateAgreement(grpc::CallbackServerContext* context,
                                     const v1::UpdateAgreementRequest* request,
                                     v1::Agreement* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.UpdateAgreement(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* DeleteAgreement(grpc::CallbackServerContext* context,
                                     const v1::DeleteAgreementRequest* request,
                                     google::protobuf::Empty*) override {
    return host_->Run(context, [request](Exchanges& d, const Caller& caller) {
      return d.DeleteAgreement(*request, caller);
    });
  }
  grpc::ServerUnaryReactor* GetExchange(grpc::CallbackServerContext* context,
                                     const v1::GetExchangeRequest* request,
                                     v1::Exchange* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.GetExchange(*request, response);
    });
  }
  grpc::ServerUnaryReactor* ListExchanges(grpc::CallbackServerContext* context,
                                     const v1::ListExchangesRequest* request,
                                     v1::ListExchangesResponse* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.ListExchanges(*request, response);
    });
  }
  grpc::ServerUnaryReactor* CreateExchange(grpc::CallbackServerContext* context,
                                     const v1::CreateExchangeRequest* request,
                                     v1::Exchange* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.CreateExchange(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* UpdateExchange(grpc::CallbackServerContext* context,
                                     const v1::UpdateExchangeRequest* request,
                                     v1::Exchange* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.UpdateExchange(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* DeleteExchange(grpc::CallbackServerContext* context,
                                     const v1::DeleteExchangeRequest* request,
                                     google::protobuf::Empty*) override {
    return host_->Run(context, [request](Exchanges& d, const Caller& caller) {
      return d.DeleteExchange(*request, caller);
    });
  }
  grpc::ServerUnaryReactor* GetChannel(grpc::CallbackServerContext* context,
                                     const v1::GetChannelRequest* request,
                                     v1::Channel* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.GetChannel(*request, response);
    });
  }
  grpc::ServerUnaryReactor* ListChannels(grpc::CallbackServerContext* context,
                                     const v1::ListChannelsRequest* request,
                                     v1::ListChannelsResponse* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.ListChannels(*request, response);
    });
  }
  grpc::ServerUnaryReactor* CreateChannel(grpc::CallbackServerContext* context,
                                     const v1::CreateChannelRequest* request,
                                     v1::Channel* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.CreateChannel(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* UpdateChannel(grpc::CallbackServerContext* context,
                                     const v1::UpdateChannelRequest* request,
                                     v1::Channel* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.UpdateChannel(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* DeleteChannel(grpc::CallbackServerContext* context,
                                     const v1::DeleteChannelRequest* request,
                                     google::protobuf::Empty*) override {
    return host_->Run(context, [request](Exchanges& d, const Caller& caller) {
      return d.DeleteChannel(*request, caller);
    });
  }
  grpc::ServerUnaryReactor* GetChannelStatus(grpc::CallbackServerContext* context,
                                     const v1::GetChannelStatusRequest* request,
                                     v1::ChannelStatus* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.GetChannelStatus(*request, response);
    });
  }
  grpc::ServerUnaryReactor* ListChannelStatuses(grpc::CallbackServerContext* context,
                                     const v1::ListChannelStatusesRequest* request,
                                     v1::ListChannelStatusesResponse* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.ListChannelStatuses(*request, response);
    });
  }
  grpc::ServerUnaryReactor* CreateChannelStatus(grpc::CallbackServerContext* context,
                                     const v1::CreateChannelStatusRequest* request,
                                     v1::ChannelStatus* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.CreateChannelStatus(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* UpdateChannelStatus(grpc::CallbackServerContext* context,
                                     const v1::UpdateChannelStatusRequest* request,
                                     v1::ChannelStatus* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller& caller) {
      return d.UpdateChannelStatus(*request, caller, response);
    });
  }
  grpc::ServerUnaryReactor* DeleteChannelStatus(grpc::CallbackServerContext* context,
                                     const v1::DeleteChannelStatusRequest* request,
                                     google::protobuf::Empty*) override {
    return host_->Run(context, [request](Exchanges& d, const Caller& caller) {
      return d.DeleteChannelStatus(*request, caller);
    });
  }
  grpc::ServerUnaryReactor* ListRevisions(grpc::CallbackServerContext* context,
                                     const v1::ListRevisionsRequest* request,
                                     v1::ListRevisionsResponse* response) override {
    return host_->Run(context, [request, response](Exchanges& d, const Caller&) {
      return d.ListRevisions(*request, response);
    });
  }

 private:
  ServiceHost<Exchanges>* host_;
};

}  // namespace parley::exchanges

#endif  // PARLEY_SERVICES_EXCHANGES_SERVICE_H_
