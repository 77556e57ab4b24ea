#include "services/exchanges/schema.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "common/store/index_terms.h"
#include "common/store/window_rollups.h"
#include "parley/exchanges/v1/agreement.pb.h"
#include "parley/exchanges/v1/channel.pb.h"
#include "parley/exchanges/v1/exchange.pb.h"

namespace parley::exchanges {
namespace {

using ::parley::common::v1::Party;
using v1::Agreement;
using v1::Channel;
using v1::ChannelStatus;
using v1::Exchange;

}  // namespace

std::string AgreementPrefix(absl::string_view agreement) {
  std::string key = "agreement|";
  keys::AppendString(&key, agreement);
  return key;
}

std::string DeliveryKey(absl::string_view agreement, absl::CivilDay first,
                        absl::CivilDay last, int category,
                        absl::string_view from_party,
                        absl::string_view to_party) {
  std::string key = AgreementPrefix(agreement);
  absl::StrAppend(&key, FormatDay(first), "|", FormatDay(last), "|", category,
                  "|");
  keys::AppendString(&key, from_party);
  keys::AppendString(&key, to_party);
  return key;
}

bool ParseDeliveryRollup(absl::string_view key, DeliveryRollup* out) {
  // "<first>|<last>|": days have a fixed length.
  const size_t day = FormatDay(absl::CivilDay(2000, 1, 1)).size();
  if (key.size() < 2 * day + 2 || key[day] != '|' || key[2 * day + 1] != '|') {
    return false;
  }
  auto first = DateSpan::Parse(key.substr(0, day));
  auto last = DateSpan::Parse(key.substr(day + 1, day));
  if (!first.ok() || !last.ok()) return false;
  out->first = first->first();
  out->last = last->first();
  key.remove_prefix(2 * day + 2);
  const size_t bar = key.find('|');
  if (bar == absl::string_view::npos ||
      !absl::SimpleAtoi(key.substr(0, bar), &out->category)) {
    return false;
  }
  key.remove_prefix(bar + 1);
  return keys::ConsumeString(&key, &out->from_party) &&
         keys::ConsumeString(&key, &out->to_party) && key.empty();
}

std::string KindRest(int kind) { return absl::StrCat("k|", kind); }

std::string TransferRest(int category, absl::string_view from_party,
                         absl::string_view to_party) {
  // Party names are free text: encoded, so no character can split the key.
  std::string rest = absl::StrCat("t|", category, "|");
  keys::AppendString(&rest, from_party);
  keys::AppendString(&rest, to_party);
  return rest;
}

bool ParseTotalsRest(absl::string_view key, TotalsRest* out) {
  if (key.size() < 3 || key[1] != '|') return false;
  out->what = key[0];
  key.remove_prefix(2);
  if (out->what == 'k') return absl::SimpleAtoi(key, &out->number);
  if (out->what != 't') return false;
  const size_t bar = key.find('|');
  if (bar == absl::string_view::npos ||
      !absl::SimpleAtoi(key.substr(0, bar), &out->number)) {
    return false;
  }
  key.remove_prefix(bar + 1);
  return keys::ConsumeString(&key, &out->from_party) &&
         keys::ConsumeString(&key, &out->to_party) && key.empty();
}

const CollectionSchema& AgreementSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "agreements",
      .prototype = &Agreement::default_instance(),
      .output_only_fields = {"concluded_span"},
      .index_terms =
          [](const Message& m) {
            const auto& a = static_cast<const Agreement&>(m);
            std::vector<IndexTerm> terms;
            for (const auto& p : a.parties()) AddPartyTerm(&terms, p);
            for (const auto& p : a.mediators()) AddPartyTerm(&terms, p);
            for (const auto& t : a.terms()) {
              AddEnumTerm(&terms, "category", t.category());
            }
            AddTerm(&terms, "round", a.round());
            return terms;
          },
      .date =
          [](const Message& m) {
            return StoredSpan(static_cast<const Agreement&>(m).concluded());
          },
  };
  return *schema;
}

const CollectionSchema& ExchangeSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "exchanges",
      .prototype = &Exchange::default_instance(),
      .output_only_fields = {"occurred_span"},
      .index_terms =
          [](const Message& m) {
            const auto& e = static_cast<const Exchange&>(m);
            std::vector<IndexTerm> terms;
            for (const auto& t : e.transfers()) {
              AddPartyTerm(&terms, t.from_party());
              AddPartyTerm(&terms, t.to_party());
              AddEnumTerm(&terms, "category", t.category());
            }
            for (const auto& p : e.intermediaries()) AddPartyTerm(&terms, p);
            AddEnumTerm(&terms, "kind", e.kind());
            AddTerm(&terms, "agreement", e.agreement());
            AddTerm(&terms, "channel", e.channel());
            return terms;
          },
      .date =
          [](const Message& m) {
            return StoredSpan(static_cast<const Exchange&>(m).occurred());
          },
      .rollups =
          [](const Message& m, int sign, RollupDeltas* deltas) {
            const auto& e = static_cast<const Exchange&>(m);
            auto span = StoredSpan(e.occurred());
            std::vector<Estimate> counts;
            for (const auto& t : e.transfers()) counts.push_back(t.count());
            if (!span.has_value()) return;
            // Totals under the exchange's span, placed in a window when read.
            AddToRollup(SumEstimates(counts), sign,
                        &(*deltas)[SpanRollupKey(kTotalsPrefix, *span,
                                                 KindRest(e.kind()))]);
            for (const auto& t : e.transfers()) {
              const std::string from = PartyTerm(t.from_party());
              const std::string to = PartyTerm(t.to_party());
              AddToRollup(t.count(), sign,
                          &(*deltas)[SpanRollupKey(
                              kTotalsPrefix, *span,
                              TransferRest(t.category(), from, to))]);
              if (e.agreement().empty()) continue;
              AddToRollup(t.count(), sign,
                          &(*deltas)[DeliveryKey(e.agreement(), span->first(),
                                                 span->last(), t.category(),
                                                 from, to)]);
            }
          },
      // 2: per-day totals by kind and direction (1 had months); 3:
      // deliveries under an agreement by span (2 had them by direction only);
      // 4: totals by span under the window rule (3 had them by first day).
      .rollups_version = 4,
  };
  return *schema;
}

const CollectionSchema& ChannelSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "channels",
      .prototype = &Channel::default_instance(),
      .index_terms =
          [](const Message& m) {
            const auto& c = static_cast<const Channel&>(m);
            std::vector<IndexTerm> terms;
            for (const auto& p : c.parties()) AddPartyTerm(&terms, p);
            AddEnumTerm(&terms, "kind", c.kind());
            return terms;
          },
  };
  return *schema;
}

const CollectionSchema& ChannelStatusSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "channelStatuses",
      .prototype = &ChannelStatus::default_instance(),
      .output_only_fields = {"since_span", "reported_span"},
      .index_terms =
          [](const Message& m) {
            const auto& s = static_cast<const ChannelStatus&>(m);
            std::vector<IndexTerm> terms;
            AddTerm(&terms, "channel", s.channel());
            AddEnumTerm(&terms, "state", s.state());
            return terms;
          },
      .date =
          [](const Message& m) {
            return StoredSpan(static_cast<const ChannelStatus&>(m).since());
          },
  };
  return *schema;
}

}  // namespace parley::exchanges
