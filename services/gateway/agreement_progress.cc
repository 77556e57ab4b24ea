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

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/api/grpc_status.h"
#include "common/api/validation.h"
#include "common/model/country_codes.h"
#include "common/model/date_span.h"
#include "common/model/party.h"
#include "common/model/window.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/gateway/figures.h"
#include "services/gateway/quota_progress.h"
#include "services/gateway/report_support.h"
#include "services/gateway/reports.h"

namespace parley::gateway {
namespace {

using exchanges::v1::Agreement;
using exchanges::v1::Exchange;
using reports::v1::TermProgress;

constexpr int kDefaultStallDays = 90;

std::string VerdictWord(reports::v1::Verdict verdict) {
  std::string word(
      absl::StripPrefix(reports::v1::Verdict_Name(verdict), "VERDICT_"));
  std::replace(word.begin(), word.end(), '_', ' ');
  return absl::AsciiStrToLower(word);
}

// Each side's quota on its own (what reached its receiver), and the term
// as far along as its slowest side: completed only when every side is.
void JudgeSides(const exchanges::v1::Term& agreed, const QuotaTrack& track,
                const Judging& judging, TermProgress* term) {
  const bool total_has_figure = HasFigure(term->quota());
  reports::v1::Verdict worst =
      total_has_figure ? term->verdict() : reports::v1::VERDICT_COMPLETED;
  bool every_side_met = true;
  std::vector<std::string> reasons;
  for (const auto& side : agreed.side_quotas()) {
    QuotaTrack side_track(judging.as_of);
    for (const Delivery* d : track.behind()) {
      if (PartyTerm(d->to_party) == PartyTerm(side.receiver())) {
        side_track.Add(d);
      }
    }
    auto* out = term->add_sides();
    *out->mutable_receiver() = side.receiver();
    *out->mutable_quota() = side.has_quota() ? side.quota() : UnknownEstimate();
    const QuotaProgress progress =
        AssessQuota(out->quota(), side_track, judging);
    FillProgress(progress, out);
    every_side_met =
        every_side_met && progress.verdict == reports::v1::VERDICT_COMPLETED;
    if (Severity(progress.verdict) > Severity(worst)) worst = progress.verdict;
    reasons.push_back(
        absl::StrCat("the side receiving ", PartyTerm(side.receiver()), ": ",
                     VerdictWord(progress.verdict),
                     progress.reasons.empty()
                         ? ""
                         : absl::StrCat(" (", progress.reasons.back(), ")")));
  }
  if (worst == reports::v1::VERDICT_COMPLETED && !every_side_met) {
    worst = reports::v1::VERDICT_UNDETERMINED;
  }
  if (worst != term->verdict()) {
    term->set_verdict(worst);
    term->add_reasons(
        absl::StrCat("judged by its sides: ", VerdictWord(worst)));
  }
  for (auto& reason : reasons) term->add_reasons(std::move(reason));
}
// Exchanges read as records; past this, totals come from the rollups.
constexpr int kListedExchanges = 100;

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

  const Judging judging{.as_of = context.as_of, .stall_days = stall_days};
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
    Judging for_term = judging;
    for_term.deadline = agreed.deadline();
    QuotaTrack track(context.as_of);
    // Per direction, in the order of their "from>to" names.
    std::map<std::string, std::pair<const Delivery*, QuotaTrack>> directions;
    const Exchange* listed = nullptr;
    for (const Delivery& d : deliveries) {
      if (d.category != agreed.category()) continue;
      track.Add(&d);
      auto [it, inserted] = directions.try_emplace(
          absl::StrCat(PartyTerm(d.from_party), ">", PartyTerm(d.to_party)), &d,
          QuotaTrack(context.as_of));
      it->second.second.Add(&d);
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
    for (const auto& [key, direction] : directions) {
      auto* d = term->add_by_direction();
      *d->mutable_from_party() = direction.first->from_party;
      *d->mutable_to_party() = direction.first->to_party;
      *d->mutable_delivered() = direction.second.delivered().Total();
    }
    const QuotaProgress whole = AssessQuota(term->quota(), track, for_term);
    FillProgress(whole, term);
    if (agreed.side_quotas_size() > 0) {
      JudgeSides(agreed, track, for_term, term);
    }
    if (from_rollups) {
      term->add_reasons(absl::StrCat(
          "totals from the exchanges service's rollups: more than ",
          kListedExchanges, " exchanges, so they are not listed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace parley::gateway
