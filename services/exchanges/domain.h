// The exchanges domain: the standard methods of agreements, exchanges,
// channels and channel statuses, plus the checks that need the store
// (references between them). Plain functions over protos: testable without
// a server.
#ifndef PARLEY_SERVICES_EXCHANGES_DOMAIN_H_
#define PARLEY_SERVICES_EXCHANGES_DOMAIN_H_

#include "common/server/auth.h"
#include "common/service/change_feed.h"
#include "common/service/resource_methods.h"
#include "common/store/store.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"

namespace parley::exchanges {

class Exchanges {
 public:
  explicit Exchanges(Store* store);
  Exchanges(const Exchanges&) = delete;
  Exchanges& operator=(const Exchanges&) = delete;

  absl::Status GetAgreement(const v1::GetAgreementRequest& request,
                            v1::Agreement* out);
  absl::Status ListAgreements(const v1::ListAgreementsRequest& request,
                              v1::ListAgreementsResponse* out);
  absl::Status CreateAgreement(const v1::CreateAgreementRequest& request,
                               const Caller& caller, v1::Agreement* out);
  absl::Status BatchCreateAgreements(
      const v1::BatchCreateAgreementsRequest& request, const Caller& caller,
      v1::BatchCreateAgreementsResponse* out);
  absl::Status UpdateAgreement(const v1::UpdateAgreementRequest& request,
                               const Caller& caller, v1::Agreement* out);
  absl::Status DeleteAgreement(const v1::DeleteAgreementRequest& request,
                               const Caller& caller);

  absl::Status GetExchange(const v1::GetExchangeRequest& request,
                           v1::Exchange* out);
  absl::Status ListExchanges(const v1::ListExchangesRequest& request,
                             v1::ListExchangesResponse* out);
  absl::Status CreateExchange(const v1::CreateExchangeRequest& request,
                              const Caller& caller, v1::Exchange* out);
  absl::Status BatchCreateExchanges(
      const v1::BatchCreateExchangesRequest& request, const Caller& caller,
      v1::BatchCreateExchangesResponse* out);
  absl::Status UpdateExchange(const v1::UpdateExchangeRequest& request,
                              const Caller& caller, v1::Exchange* out);
  absl::Status DeleteExchange(const v1::DeleteExchangeRequest& request,
                              const Caller& caller);

  absl::Status GetChannel(const v1::GetChannelRequest& request,
                          v1::Channel* out);
  absl::Status ListChannels(const v1::ListChannelsRequest& request,
                            v1::ListChannelsResponse* out);
  absl::Status CreateChannel(const v1::CreateChannelRequest& request,
                             const Caller& caller, v1::Channel* out);
  absl::Status BatchCreateChannels(
      const v1::BatchCreateChannelsRequest& request, const Caller& caller,
      v1::BatchCreateChannelsResponse* out);
  absl::Status UpdateChannel(const v1::UpdateChannelRequest& request,
                             const Caller& caller, v1::Channel* out);
  absl::Status DeleteChannel(const v1::DeleteChannelRequest& request,
                             const Caller& caller);

  absl::Status GetChannelStatus(const v1::GetChannelStatusRequest& request,
                                v1::ChannelStatus* out);
  absl::Status ListChannelStatuses(
      const v1::ListChannelStatusesRequest& request,
      v1::ListChannelStatusesResponse* out);
  absl::Status CreateChannelStatus(
      const v1::CreateChannelStatusRequest& request, const Caller& caller,
      v1::ChannelStatus* out);
  absl::Status BatchCreateChannelStatuses(
      const v1::BatchCreateChannelStatusesRequest& request,
      const Caller& caller, v1::BatchCreateChannelStatusesResponse* out);
  absl::Status UpdateChannelStatus(
      const v1::UpdateChannelStatusRequest& request, const Caller& caller,
      v1::ChannelStatus* out);
  absl::Status DeleteChannelStatus(
      const v1::DeleteChannelStatusRequest& request, const Caller& caller);

  absl::Status SummarizeAgreement(const v1::SummarizeAgreementRequest& request,
                                  v1::SummarizeAgreementResponse* out);
  absl::Status SummarizeExchanges(const v1::SummarizeExchangesRequest& request,
                                  v1::SummarizeExchangesResponse* out);

  absl::Status ListRevisions(const v1::ListRevisionsRequest& request,
                             v1::ListRevisionsResponse* out);
  absl::Status ListChanges(const v1::ListChangesRequest& request,
                           v1::ListChangesResponse* out);
  // The change feed (ListChanges, WatchChanges).
  ChangeFeed& change_feed() { return feed_; }

  // Direct access for reports and checks.
  Collection& agreements() { return agreements_.collection(); }
  Collection& exchanges() { return exchanges_.collection(); }
  Collection& channels() { return channels_.collection(); }
  Collection& channel_statuses() { return channel_statuses_.collection(); }
  // What --check_store checks.
  std::vector<Collection*> collections() {
    return {&agreements(), &exchanges(), &channels(), &channel_statuses()};
  }

 private:
  ResourceMethods<v1::Agreement> agreements_;
  ResourceMethods<v1::Exchange> exchanges_;
  ResourceMethods<v1::Channel> channels_;
  ResourceMethods<v1::ChannelStatus> channel_statuses_;
  // After the collections it reads.
  ChangeFeed feed_;
};

}  // namespace parley::exchanges

#endif  // PARLEY_SERVICES_EXCHANGES_DOMAIN_H_
