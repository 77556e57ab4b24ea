// AgreementProgress: for each term of an agreement, what was delivered, by
// whom, at what pace, and when the quota would be met at that pace. An
// agreement with few exchanges is read from its records (with their names
// and sources); one with more than a page, from the rollups the exchanges
// service keeps, so the cost does not grow with its exchanges.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/grpc_status.h"
#include "common/api/validation.h"
#include "common/model/country_codes.h"
#include "common/model/date_span.h"
#include "common/model/party.h"
#include "common/model/window.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/gateway/report_support.h"
#include "services/gateway/reports.h"

namespace parley::gateway {
namespace {

using exchanges::v1::Agreement;
using exchanges::v1::Exchange;
using reports::v1::TermProgress;
using reports::v1::Verdict;

constexpr int kDefaultStallDays = 90;
// Exchanges read as records; past this, totals come from the rollups.
constexpr int kListedExchanges = 100;

// People of one category moved one way by exchanges over one span: one
// transfer of a record (with its exchange), or the rollups' total of every
// such transfer (without).
struct Delivery {
  absl::CivilDay first;
  absl::CivilDay last;
  int category = 0;
  common::v1::Party from_party;
  common::v1::Party to_party;
  Estimate count;
  const Exchange* exchange = nullptr;
};

// A party as the rollups name it: a country code, else an organisation.
common::v1::Party PartyFromTerm(const std::string& term) {
  common::v1::Party party;
  if (IsCountryCode(term)) {
    party.set_country(term);
  } else {
    party.set_organization(term);
  }
  return party;
}
const absl::CivilDay kLastDay(9999, 12, 31);

// A quota's bounds: the lowest and highest number it may mean.
struct Bounds {
  int64_t low = 0;
  std::optional<int64_t> high;
};

Bounds BoundsOf(const Estimate& e) {
  Bounds b;
  b.low = e.has_low() ? e.low() : (e.has_best() ? e.best() : 0);
  if (e.has_high()) {
    b.high = e.high();
  } else if (e.has_best()) {
    b.high = e.best();
  }
  return b;
}

bool HasFigure(const Estimate& e) {
  return e.qualifier() != Estimate::QUALIFIER_UNKNOWN &&
         (e.has_low() || e.has_best() || e.has_high());
}

void AddSource(
    const common::v1::Source& source,
    google::protobuf::RepeatedPtrField<common::v1::Source>* sources) {
  for (const auto& s : *sources) {
    if (google::protobuf::util::MessageDifferencer::Equals(s, source)) return;
  }
  *sources->Add() = source;
}

// Pace and projection of one term, from what was delivered by as_of.
void Project(const std::vector<const Delivery*>& behind, const Estimate& quota,
             const ReportContext& context, TermProgress* term) {
  const Estimate& delivered = term->delivered();
  const Bounds got = BoundsOf(delivered);
  if (behind.empty()) return;
  // The window runs from the first delivery to as_of. Its length is known
  // only as precisely as the first exchange's date: the longest reading
  // starts on its first day, the shortest on its last.
  absl::CivilDay first = behind.front()->first;
  absl::CivilDay first_end = behind.front()->last;
  for (const Delivery* d : behind) {
    first = std::min(first, d->first);
    first_end = std::min(first_end, d->last);
  }
  const int64_t longest = std::max<int64_t>(1, context.as_of - first + 1);
  const int64_t shortest = std::max<int64_t>(
      1, context.as_of - std::min(first_end, context.as_of) + 1);
  auto* pace = term->mutable_pace();
  *pace->mutable_window() =
      DateSpan::Days(first, std::max(first, context.as_of)).ToProto();
  Estimate* per_30 = pace->mutable_per_30_days();
  per_30->set_low(got.low * 30 / longest);
  if (delivered.has_best()) per_30->set_best(delivered.best() * 30 / longest);
  if (got.high.has_value()) {
    per_30->set_high((*got.high * 30 + shortest - 1) / shortest);
  }
  per_30->set_qualifier(per_30->has_high() ? Estimate::QUALIFIER_ABOUT
                                           : Estimate::QUALIFIER_AT_LEAST);

  if (!HasFigure(quota)) return;
  const Bounds need = BoundsOf(quota);
  if (got.low >= need.high.value_or(need.low)) return;  // completed
  // Earliest: the least left to deliver at the fastest pace; latest: the
  // most left at the slowest. An unbounded side leaves that end open.
  const double fastest = got.high.has_value()
                             ? static_cast<double>(*got.high) / shortest
                             : static_cast<double>(got.low) / shortest;
  const double slowest = static_cast<double>(got.low) / longest;
  // With no upper bound on what was delivered, it may already be enough.
  const int64_t least_left =
      got.high.has_value() ? std::max<int64_t>(0, need.low - *got.high) : 0;
  if (fastest <= 0 || slowest <= 0 || !need.high.has_value()) return;
  const int64_t most_left = *need.high - got.low;
  // Past the last day a DateSpan can name there is nothing to project.
  const double room = static_cast<double>(kLastDay - context.as_of);
  const double earliest_days = std::ceil(least_left / fastest);
  const double latest_days = std::ceil(most_left / slowest);
  if (!(latest_days <= room) || !(earliest_days <= room)) {
    term->add_reasons("at this pace the quota would not be met before 9999");
    return;
  }
  const absl::CivilDay earliest =
      context.as_of + static_cast<int64_t>(earliest_days);
  const absl::CivilDay latest =
      context.as_of + static_cast<int64_t>(latest_days);
  *term->mutable_projected_completion() =
      DateSpan::Days(earliest, std::max(earliest, latest)).ToProto();
}

void Judge(const exchanges::v1::Term& agreed,
           const std::vector<const Delivery*>& behind,
           const ReportContext& context, int stall_days, TermProgress* term) {
  const Bounds need = BoundsOf(term->quota());
  const Bounds got = BoundsOf(term->delivered());
  auto reason = [term](std::string text) {
    term->add_reasons(std::move(text));
  };
  if (HasFigure(term->quota()) && got.low >= need.high.value_or(need.low)) {
    term->set_verdict(reports::v1::VERDICT_COMPLETED);
    reason(absl::StrCat("delivered at least ", got.low, " of ",
                        need.high.value_or(need.low)));
    return;
  }
  absl::CivilDay last_delivery;
  bool any = false;
  for (const Delivery* d : behind) {
    const absl::CivilDay end = std::min(d->last, context.as_of);
    if (!any || end > last_delivery) last_delivery = end;
    any = true;
  }
  if (any && context.as_of - last_delivery > stall_days) {
    term->set_verdict(reports::v1::VERDICT_STALLED);
    reason(absl::StrCat("no delivery in the ", context.as_of - last_delivery,
                        " days since ", FormatDay(last_delivery),
                        " (threshold ", stall_days, ")"));
    return;
  }
  if (!HasFigure(term->quota())) {
    term->set_verdict(reports::v1::VERDICT_UNDETERMINED);
    reason("the agreement gives no figure for this term");
    return;
  }
  if (!any) {
    term->set_verdict(reports::v1::VERDICT_UNDETERMINED);
    reason("no delivery recorded yet");
    return;
  }
  auto deadline = StoredSpan(agreed.deadline());
  if (!term->has_projected_completion()) {
    term->set_verdict(reports::v1::VERDICT_UNDETERMINED);
    reason("the pace does not allow a projection");
    return;
  }
  const auto& projected = term->projected_completion();
  if (!deadline.has_value()) {
    term->set_verdict(reports::v1::VERDICT_ON_TRACK);
    reason(absl::StrCat("no deadline; at this pace complete between ",
                        projected.first_day(), " and ", projected.last_day()));
    return;
  }
  const std::string deadline_day = FormatDay(deadline->last());
  if (StoredSpan(projected.last_day())->last() <= deadline->last()) {
    term->set_verdict(reports::v1::VERDICT_ON_TRACK);
    reason(absl::StrCat("at this pace complete by ", projected.last_day(),
                        ", before the deadline ", deadline_day));
  } else {
    term->set_verdict(reports::v1::VERDICT_BEHIND);
    reason(absl::StrCat("at this pace complete only between ",
                        projected.first_day(), " and ", projected.last_day(),
                        "; deadline ", deadline_day));
  }
}

}  // namespace

absl::Status Reports::GetAgreementProgress(
    const reports::v1::GetAgreementProgressRequest& r, const Caller& caller,
    reports::v1::GetAgreementProgressResponse* out) {
  FieldViolations v;
  CheckName(r.agreement(), "agreements", "agreement", true, &v);
  if (r.stall_threshold_days() < 0)
    v.Add("stall_threshold_days", "must be >= 0");
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(ReportContext context,
                   ResolveContext(r.as_of(), r.has_known_at(), r.known_at(),
                                  caller, *upstreams_));
  FillTimes(context, out->mutable_times());
  const int stall_days = r.stall_threshold_days() > 0 ? r.stall_threshold_days()
                                                      : kDefaultStallDays;

  auto& stub = upstreams_->exchanges_stub();
  exchanges::v1::GetAgreementRequest get;
  get.set_name(r.agreement());
  SetKnownAt(context, &get);
  // The agreement and its exchanges are read at once.
  Agreement agreement;
  grpc::Status got_agreement;
  std::vector<Exchange> exchanges;
  exchanges::v1::SummarizeAgreementResponse totals;
  bool from_rollups = false;
  grpc::Status got_exchanges;
  {
    auto client = UpstreamContext(context);
    std::thread reader([&] {
      exchanges::v1::ListExchangesRequest list;
      list.set_agreement(r.agreement());
      if (context.known_at.has_value()) {
        // Rollups hold the present only: the past needs every record.
        got_exchanges = ListAll<exchanges::v1::ListExchangesRequest,
                                exchanges::v1::ListExchangesResponse>(
            context, list,
            [&](grpc::ClientContext* c, const auto& q, auto* p) {
              return stub.ListExchanges(c, q, p);
            },
            [](auto& p) { return p.mutable_exchanges(); }, &exchanges);
        return;
      }
      list.set_page_size(kListedExchanges);
      exchanges::v1::ListExchangesResponse page;
      auto listing = UpstreamContext(context);
      got_exchanges = stub.ListExchanges(listing.get(), list, &page);
      if (!got_exchanges.ok()) return;
      if (page.next_page_token().empty()) {
        exchanges.assign(
            std::make_move_iterator(page.mutable_exchanges()->begin()),
            std::make_move_iterator(page.mutable_exchanges()->end()));
        return;
      }
      from_rollups = true;
      exchanges::v1::SummarizeAgreementRequest summarize;
      summarize.set_agreement(r.agreement());
      summarize.set_as_of(FormatDay(context.as_of));
      auto summarizing = UpstreamContext(context);
      got_exchanges =
          stub.SummarizeAgreement(summarizing.get(), summarize, &totals);
    });
    got_agreement = stub.GetAgreement(client.get(), get, &agreement);
    reader.join();
  }
  if (!got_agreement.ok()) return FromGrpcStatus(got_agreement);
  *out->mutable_agreement() = agreement;
  if (!got_exchanges.ok()) {
    AddMissing("exchanges", upstreams_->exchanges().service, got_exchanges,
               out->mutable_missing());
  }

  // Only what occurred by as_of; a span reaching past it is counted and
  // flagged. In order of first day.
  std::vector<Delivery> deliveries;
  if (from_rollups) {
    for (const auto& d : totals.deliveries()) {
      auto first = StoredSpan(d.first_day());
      auto last = StoredSpan(d.last_day());
      if (!first.has_value() || !last.has_value()) {
        return absl::InternalError(absl::StrCat(
            "the exchanges service sent a delivery with an unreadable span: ",
            d.first_day(), "/", d.last_day()));
      }
      deliveries.push_back({.first = first->first(),
                            .last = last->first(),
                            .category = d.category(),
                            .from_party = PartyFromTerm(d.from_party()),
                            .to_party = PartyFromTerm(d.to_party()),
                            .count = d.delivered()});
    }
  } else {
    for (const Exchange& e : exchanges) {
      auto span = StoredSpan(e.occurred());
      if (!span.has_value() ||
          PlaceAsOf(*span, context.as_of) == Placement::kOutside)
        continue;
      for (const auto& t : e.transfers()) {
        deliveries.push_back({.first = span->first(),
                              .last = span->last(),
                              .category = t.category(),
                              .from_party = t.from_party(),
                              .to_party = t.to_party(),
                              .count = t.count(),
                              .exchange = &e});
      }
    }
  }
  std::stable_sort(
      deliveries.begin(), deliveries.end(),
      [](const Delivery& a, const Delivery& b) { return a.first < b.first; });

  for (const auto& agreed : agreement.terms()) {
    TermProgress* term = out->add_terms();
    term->set_category(agreed.category());
    *term->mutable_quota() =
        agreed.has_quota() ? agreed.quota() : UnknownEstimate();
    if (!got_exchanges.ok()) {
      // Unread is not zero: nothing is claimed about deliveries.
      *term->mutable_delivered() = UnknownEstimate();
      term->set_verdict(reports::v1::VERDICT_UNDETERMINED);
      term->add_reasons("the exchanges could not be read; see missing");
      continue;
    }
    std::map<std::string, std::pair<const Delivery*, std::vector<Estimate>>>
        by_direction;
    std::vector<Estimate> all;
    std::vector<const Delivery*> behind;
    const Exchange* listed = nullptr;
    for (const Delivery& d : deliveries) {
      if (d.category != agreed.category()) continue;
      all.push_back(d.count);
      auto& direction = by_direction[absl::StrCat(PartyTerm(d.from_party), ">",
                                                  PartyTerm(d.to_party))];
      direction.first = &d;
      direction.second.push_back(d.count);
      behind.push_back(&d);
      // An exchange's transfers are next to each other: listed once.
      if (d.exchange == nullptr || d.exchange == listed) continue;
      listed = d.exchange;
      term->add_exchanges(d.exchange->metadata().name());
      if (d.last > context.as_of) {
        term->add_partly_after_as_of(d.exchange->metadata().name());
      }
      for (const auto& s : d.exchange->sources()) {
        AddSource(s, term->mutable_sources());
      }
    }
    *term->mutable_delivered() = SumEstimates(all);
    for (const auto& [key, direction] : by_direction) {
      auto* d = term->add_by_direction();
      *d->mutable_from_party() = direction.first->from_party;
      *d->mutable_to_party() = direction.first->to_party;
      *d->mutable_delivered() = SumEstimates(direction.second);
    }
    if (HasFigure(term->quota())) {
      const Bounds need = BoundsOf(term->quota());
      const Bounds got = BoundsOf(term->delivered());
      const int64_t need_high = need.high.value_or(need.low);
      if (need_high > 0)
        term->set_share_low_percent(100.0 * got.low / need_high);
      if (need.low > 0) {
        term->set_share_high_percent(got.high.has_value()
                                         ? 100.0 * *got.high / need.low
                                         : 100.0 * got.low / need.low);
      }
    }
    Project(behind, term->quota(), context, term);
    Judge(agreed, behind, context, stall_days, term);
    if (from_rollups) {
      term->add_reasons(absl::StrCat(
          "totals from the exchanges service's rollups: more than ",
          kListedExchanges, " exchanges, so they are not listed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace parley::gateway
