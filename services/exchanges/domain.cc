#include "services/exchanges/domain.h"

#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/api/validation.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "common/model/window.h"
#include "common/model/window_sum.h"
#include "common/service/list_filters.h"
#include "common/store/window_rollups.h"
#include "services/exchanges/schema.h"
#include "services/exchanges/validation.h"

namespace parley::exchanges {

Exchanges::Exchanges(Store* store)
    : agreements_(store, &AgreementSchema(), "agreement", ValidateAgreement),
      exchanges_(store, &ExchangeSchema(), "exchange",
                 [this](v1::Exchange* e, const std::string& field,
                        FieldViolations* v) {
                   ValidateExchange(e, field, v);
                   agreements_.CheckReference(
                       e->agreement(), Path(field, "agreement"), false, v);
                   channels_.CheckReference(e->channel(),
                                            Path(field, "channel"), false, v);
                 }),
      channels_(store, &ChannelSchema(), "channel", ValidateChannel),
      channel_statuses_(store, &ChannelStatusSchema(), "channel_status",
                        [this](v1::ChannelStatus* s, const std::string& field,
                               FieldViolations* v) {
                          ValidateChannelStatus(s, field, v);
                          channels_.CheckReference(
                              s->channel(), Path(field, "channel"), true, v);
                        }),
      feed_(store, "exchanges", collections()) {}

// Agreements.

absl::Status Exchanges::GetAgreement(const v1::GetAgreementRequest& r,
                                     v1::Agreement* out) {
  return agreements_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Exchanges::ListAgreements(const v1::ListAgreementsRequest& r,
                                       v1::ListAgreementsResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Name(r.round(), "rounds", "round");
  f.Enum(r.category(), "category");
  f.Country(r.party());
  RETURN_IF_ERROR(f.status());
  return agreements_.List(std::move(f.query()), f.page_size(), r.page_token(),
                          r, out->mutable_agreements(),
                          out->mutable_next_page_token());
}

absl::Status Exchanges::CreateAgreement(const v1::CreateAgreementRequest& r,
                                        const Caller& c, v1::Agreement* out) {
  return agreements_.Create(r.agreement(), r.agreement_id(), r.request_id(), r,
                            c, out);
}

absl::Status Exchanges::BatchCreateAgreements(
    const v1::BatchCreateAgreementsRequest& r, const Caller& c,
    v1::BatchCreateAgreementsResponse* out) {
  return agreements_.BatchCreate(r.requests(), c, out->mutable_agreements(),
                                 out->mutable_results());
}

absl::Status Exchanges::UpdateAgreement(const v1::UpdateAgreementRequest& r,
                                        const Caller& c, v1::Agreement* out) {
  return agreements_.Update(r.agreement(), r.update_mask(), c, out);
}

absl::Status Exchanges::DeleteAgreement(const v1::DeleteAgreementRequest& r,
                                        const Caller& c) {
  return agreements_.Delete(r.name(), r.etag(), c);
}

// Exchanges.

absl::Status Exchanges::GetExchange(const v1::GetExchangeRequest& r,
                                    v1::Exchange* out) {
  return exchanges_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Exchanges::ListExchanges(const v1::ListExchangesRequest& r,
                                      v1::ListExchangesResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  // Most selective first: the first term drives the scan.
  f.Name(r.agreement(), "agreements", "agreement");
  f.Name(r.channel(), "channels", "channel");
  f.Enum(r.category(), "category");
  f.Enum(r.kind(), "kind");
  f.Country(r.party());
  RETURN_IF_ERROR(f.status());
  return exchanges_.List(std::move(f.query()), f.page_size(), r.page_token(), r,
                         out->mutable_exchanges(),
                         out->mutable_next_page_token());
}

absl::Status Exchanges::CreateExchange(const v1::CreateExchangeRequest& r,
                                       const Caller& c, v1::Exchange* out) {
  return exchanges_.Create(r.exchange(), r.exchange_id(), r.request_id(), r, c,
                           out);
}

absl::Status Exchanges::BatchCreateExchanges(
    const v1::BatchCreateExchangesRequest& r, const Caller& c,
    v1::BatchCreateExchangesResponse* out) {
  return exchanges_.BatchCreate(r.requests(), c, out->mutable_exchanges(),
                                out->mutable_results());
}

absl::Status Exchanges::UpdateExchange(const v1::UpdateExchangeRequest& r,
                                       const Caller& c, v1::Exchange* out) {
  return exchanges_.Update(r.exchange(), r.update_mask(), c, out);
}

absl::Status Exchanges::DeleteExchange(const v1::DeleteExchangeRequest& r,
                                       const Caller& c) {
  return exchanges_.Delete(r.name(), r.etag(), c);
}

// Channels.

absl::Status Exchanges::GetChannel(const v1::GetChannelRequest& r,
                                   v1::Channel* out) {
  return channels_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Exchanges::ListChannels(const v1::ListChannelsRequest& r,
                                     v1::ListChannelsResponse* out) {
  ListFilters f(r.page_size(), "");
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Enum(r.kind(), "kind");
  f.Country(r.party());
  RETURN_IF_ERROR(f.status());
  return channels_.List(std::move(f.query()), f.page_size(), r.page_token(), r,
                        out->mutable_channels(),
                        out->mutable_next_page_token());
}

absl::Status Exchanges::CreateChannel(const v1::CreateChannelRequest& r,
                                      const Caller& c, v1::Channel* out) {
  return channels_.Create(r.channel(), r.channel_id(), r.request_id(), r, c,
                          out);
}

absl::Status Exchanges::BatchCreateChannels(
    const v1::BatchCreateChannelsRequest& r, const Caller& c,
    v1::BatchCreateChannelsResponse* out) {
  return channels_.BatchCreate(r.requests(), c, out->mutable_channels(),
                               out->mutable_results());
}

absl::Status Exchanges::UpdateChannel(const v1::UpdateChannelRequest& r,
                                      const Caller& c, v1::Channel* out) {
  return channels_.Update(r.channel(), r.update_mask(), c, out);
}

absl::Status Exchanges::DeleteChannel(const v1::DeleteChannelRequest& r,
                                      const Caller& c) {
  return channels_.Delete(r.name(), r.etag(), c);
}

// Channel statuses.

absl::Status Exchanges::GetChannelStatus(const v1::GetChannelStatusRequest& r,
                                         v1::ChannelStatus* out) {
  return channel_statuses_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Exchanges::ListChannelStatuses(
    const v1::ListChannelStatusesRequest& r,
    v1::ListChannelStatusesResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Name(r.channel(), "channels", "channel");
  f.Enum(r.state(), "state");
  RETURN_IF_ERROR(f.status());
  return channel_statuses_.List(
      std::move(f.query()), f.page_size(), r.page_token(), r,
      out->mutable_channel_statuses(), out->mutable_next_page_token());
}

absl::Status Exchanges::CreateChannelStatus(
    const v1::CreateChannelStatusRequest& r, const Caller& c,
    v1::ChannelStatus* out) {
  return channel_statuses_.Create(r.channel_status(), r.channel_status_id(),
                                  r.request_id(), r, c, out);
}

absl::Status Exchanges::BatchCreateChannelStatuses(
    const v1::BatchCreateChannelStatusesRequest& r, const Caller& c,
    v1::BatchCreateChannelStatusesResponse* out) {
  return channel_statuses_.BatchCreate(
      r.requests(), c, out->mutable_channel_statuses(), out->mutable_results());
}

absl::Status Exchanges::UpdateChannelStatus(
    const v1::UpdateChannelStatusRequest& r, const Caller& c,
    v1::ChannelStatus* out) {
  return channel_statuses_.Update(r.channel_status(), r.update_mask(), c, out);
}

absl::Status Exchanges::DeleteChannelStatus(
    const v1::DeleteChannelStatusRequest& r, const Caller& c) {
  return channel_statuses_.Delete(r.name(), r.etag(), c);
}

absl::Status Exchanges::SummarizeExchanges(
    const v1::SummarizeExchangesRequest& r,
    v1::SummarizeExchangesResponse* out) {
  FieldViolations v;
  auto span = CheckDateSpan(r.span(), "span", true, &v, out->mutable_span());
  RETURN_IF_ERROR(v.ToStatus());

  // The days of the span and the few longer spans reaching into it, each
  // counted as the window rule says.
  std::map<int, WindowSum> kinds;
  std::map<std::tuple<int, std::string, std::string>, WindowSum> transfers;
  absl::Status parse_error;
  RETURN_IF_ERROR(ScanWindowRollups(
      exchanges(), kTotalsPrefix, *span,
      [&](const DateSpan& of, absl::string_view rest,
          const model::v1::RollupValue& value) {
        TotalsRest totals;
        if (!ParseTotalsRest(rest, &totals)) {
          parse_error = absl::DataLossError(
              absl::StrCat("exchanges rollup key is malformed: ", rest));
          return;
        }
        // Exchanges happen once.
        const Counted how =
            CountIn(PlaceInWindow(of, *span), common::v1::OCCURRENCE_ONCE);
        if (totals.what == 'k') {
          kinds[totals.number].AddTotals(value, how);
        } else {
          transfers[{totals.number, totals.from_party, totals.to_party}]
              .AddTotals(value, how);
        }
      }));
  RETURN_IF_ERROR(parse_error);

  WindowSum all;
  for (const auto& [kind, total] : kinds) {
    if (total.none_recorded()) continue;  // all deleted again
    auto* totals = out->add_kinds();
    totals->set_kind(static_cast<v1::ExchangeKind>(kind));
    totals->set_exchanges(total.whole());
    totals->set_partly_in(total.maybe());
    *totals->mutable_transferred() = total.Total();
    all.Merge(total);
  }
  for (const auto& [key, total] : transfers) {
    if (total.none_recorded()) continue;
    auto* totals = out->add_transfers();
    totals->set_category(static_cast<v1::Category>(std::get<0>(key)));
    totals->set_from_party(std::get<1>(key));
    totals->set_to_party(std::get<2>(key));
    totals->set_transfers(total.whole());
    totals->set_partly_in(total.maybe());
    *totals->mutable_transferred() = total.Total();
  }
  out->set_exchanges(all.whole());
  out->set_partly_in(all.maybe());
  return absl::OkStatus();
}

absl::Status Exchanges::SummarizeAgreement(
    const v1::SummarizeAgreementRequest& r,
    v1::SummarizeAgreementResponse* out) {
  FieldViolations v;
  CheckName(r.agreement(), "agreements", "agreement", true, &v);
  std::optional<DateSpan> as_of;
  if (!r.as_of().empty()) {
    as_of = CheckDateSpan(r.as_of(), "as_of", true, &v);
  }
  RETURN_IF_ERROR(v.ToStatus());

  // One range scan: the agreement's deliveries, by first day up to as_of.
  const std::string prefix = AgreementPrefix(r.agreement());
  const std::string end = as_of.has_value()
                              ? prefix + FormatDay(as_of->last() + 1)
                              : keys::PrefixSuccessor(prefix);
  absl::Status parse_error;
  RETURN_IF_ERROR(exchanges().ScanRollups(
      prefix, end,
      [&](absl::string_view key, const model::v1::RollupValue& value) {
        DeliveryRollup rollup;
        if (!ParseDeliveryRollup(key.substr(prefix.size()), &rollup)) {
          parse_error = absl::DataLossError(
              absl::StrCat("exchanges rollup key is malformed: ", key));
          return;
        }
        if (value.count() == 0) return;  // all deleted again
        auto* d = out->add_deliveries();
        d->set_category(static_cast<v1::Category>(rollup.category));
        d->set_from_party(rollup.from_party);
        d->set_to_party(rollup.to_party);
        d->set_first_day(FormatDay(rollup.first));
        d->set_last_day(FormatDay(rollup.last));
        d->set_transfers(value.count());
        *d->mutable_delivered() = EstimateFromRollup(value);
      }));
  return parse_error;
}

absl::Status Exchanges::ListRevisions(const v1::ListRevisionsRequest& r,
                                      v1::ListRevisionsResponse* out) {
  return parley::ListRevisions(
      {&agreements(), &exchanges(), &channels(), &channel_statuses()}, r.name(),
      r.page_size(), r.page_token(), r, out->mutable_revisions(),
      out->mutable_next_page_token());
}

absl::Status Exchanges::ListChanges(const v1::ListChangesRequest& r,
                                    v1::ListChangesResponse* out) {
  return parley::ListChanges(feed_, r, out);
}

}  // namespace parley::exchanges
