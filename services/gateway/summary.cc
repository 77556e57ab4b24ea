// Summary: a week, month or region across the three domains, every figure
// an Estimate with the records and sources behind it. Exchange and incident
// totals come from the rollups the services keep at write time, so they cost
// the days of the span, not the size of the store.
#include <algorithm>
#include <future>
#include <iterator>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/validation.h"
#include "common/model/date_span.h"
#include "common/model/party.h"
#include "common/model/window.h"
#include "services/gateway/report_support.h"
#include "services/gateway/reports.h"

namespace parley::gateway {
namespace {

using reports::v1::Figure;

// "EXCHANGE_KIND_REPATRIATION_OF_REMAINS" -> "repatriation of remains".
std::string Readable(const std::string& enum_name, absl::string_view prefix) {
  std::string text(absl::string_view(enum_name).substr(prefix.size()));
  std::replace(text.begin(), text.end(), '_', ' ');
  return absl::AsciiStrToLower(text);
}

Figure* AddFigure(const std::string& label, const std::string& domain,
                  const Estimate& value, const std::string& basis,
                  reports::v1::GetSummaryResponse* out) {
  Figure* f = out->add_figures();
  f->set_label(label);
  f->set_domain(domain);
  *f->mutable_value() = value;
  f->set_basis(basis);
  return f;
}

bool Involves(const absl::flat_hash_set<std::string>& parties,
              const common::v1::Party& party) {
  return parties.contains(party.country());
}

using exchanges::v1::Exchange;
using exchanges::v1::SummarizeExchangesResponse;

// Records listed beside rollup totals: a span with more exchanges than
// this gets totals only, so the cost stays flat as the store grows.
constexpr int kListedExchanges = 100;

// The exchanges that count in the span, as the rollups count them: those
// whose span starts in it and that involve one of `parties` (any if none).
std::vector<const Exchange*> CountedExchanges(
    const std::vector<Exchange>& found, const DateSpan& span,
    const absl::flat_hash_set<std::string>& parties) {
  std::vector<const Exchange*> counted;
  for (const auto& e : found) {
    auto occurred = StoredSpan(e.occurred());
    if (!occurred.has_value() || !CountsIn(*occurred, span)) continue;
    bool involved = parties.empty();
    for (const auto& t : e.transfers()) {
      involved = involved || Involves(parties, t.from_party()) ||
                 Involves(parties, t.to_party());
    }
    if (involved) counted.push_back(&e);
  }
  return counted;
}

// The totals of `counted`, in the shape SummarizeExchanges answers with.
SummarizeExchangesResponse TotalsOf(
    const std::vector<const Exchange*>& counted) {
  std::map<int, std::pair<int64_t, std::vector<Estimate>>> kinds;
  std::map<std::tuple<int, std::string, std::string>, std::vector<Estimate>>
      transfers;
  for (const Exchange* e : counted) {
    auto& kind = kinds[e->kind()];
    ++kind.first;
    for (const auto& t : e->transfers()) {
      kind.second.push_back(t.count());
      transfers[{t.category(), PartyTerm(t.from_party()),
                 PartyTerm(t.to_party())}]
          .push_back(t.count());
    }
  }
  SummarizeExchangesResponse totals;
  for (const auto& [kind, k] : kinds) {
    auto* out = totals.add_kinds();
    out->set_kind(static_cast<exchanges::v1::ExchangeKind>(kind));
    out->set_exchanges(k.first);
    *out->mutable_transferred() = SumEstimates(k.second);
  }
  for (const auto& [key, estimates] : transfers) {
    auto* out = totals.add_transfers();
    out->set_category(static_cast<exchanges::v1::Category>(std::get<0>(key)));
    out->set_from_party(std::get<1>(key));
    out->set_to_party(std::get<2>(key));
    out->set_transfers(estimates.size());
    *out->mutable_transferred() = SumEstimates(estimates);
  }
  totals.set_exchanges(counted.size());
  return totals;
}

// Exchange figures: how many of each kind, and people moved each way, with
// the records behind them when `records` lists them all.
void AddExchangeFigures(const SummarizeExchangesResponse& totals,
                        const std::vector<const Exchange*>* records,
                        const std::string& basis,
                        reports::v1::GetSummaryResponse* out) {
  for (const auto& k : totals.kinds()) {
    Figure* f = AddFigure(
        absl::StrCat("exchanges: ",
                     Readable(exchanges::v1::ExchangeKind_Name(k.kind()),
                              "EXCHANGE_KIND_")),
        "exchanges", ExactCount(k.exchanges()), basis, out);
    if (records == nullptr) continue;
    for (const Exchange* e : *records) {
      if (e->kind() != k.kind()) continue;
      f->add_records(e->metadata().name());
      for (const auto& s : e->sources()) *f->add_sources() = s;
    }
  }
  // Directions in the order of their labels.
  std::map<std::string, const SummarizeExchangesResponse::TransferTotals*>
      directions;
  for (const auto& t : totals.transfers()) {
    directions[absl::StrCat(
        Readable(exchanges::v1::Category_Name(t.category()), "CATEGORY_"), " ",
        t.from_party(), ">", t.to_party())] = &t;
  }
  for (const auto& [label, t] : directions) {
    Figure* f = AddFigure(absl::StrCat("transferred: ", label), "exchanges",
                          t->transferred(), basis, out);
    if (records == nullptr) continue;
    for (const Exchange* e : *records) {
      for (const auto& transfer : e->transfers()) {
        if (transfer.category() == t->category() &&
            PartyTerm(transfer.from_party()) == t->from_party() &&
            PartyTerm(transfer.to_party()) == t->to_party()) {
          f->add_records(e->metadata().name());
          break;
        }
      }
    }
  }
}

}  // namespace

absl::Status Reports::GetSummary(const reports::v1::GetSummaryRequest& r,
                                 const Caller& caller,
                                 reports::v1::GetSummaryResponse* out) {
  FieldViolations v;
  auto span = CheckDateSpan(r.span(), "span", true, &v, out->mutable_span());
  CheckText(r.region(), "region", false, &v);
  absl::flat_hash_set<std::string> parties;
  for (int i = 0; i < r.parties_size(); ++i) {
    CheckCountry(r.parties(i), Path("", "parties", i), true, &v);
    parties.insert(r.parties(i));
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(ReportContext context,
                   ResolveContext(r.as_of(), r.has_known_at(), r.known_at(),
                                  caller, *upstreams_));
  FillTimes(context, out->mutable_times());
  const bool any_party = parties.empty();
  // Only what occurred by as_of: the span is cut there. A span wholly after
  // as_of describes nothing yet.
  if (PlaceAsOf(*span, context.as_of) == Placement::kOutside) {
    return InvalidField("as_of", absl::StrCat("is before the span starts (",
                                              FormatDay(span->first()), ")"));
  }
  span = DateSpan::Days(span->first(), std::min(span->last(), context.as_of));
  auto& exchanges = upstreams_->exchanges_stub();
  auto& negotiations = upstreams_->negotiations_stub();
  auto& incidents = upstreams_->incidents_stub();

  std::vector<exchanges::v1::Exchange> found_exchanges;
  std::vector<negotiations::v1::Round> found_rounds;
  std::vector<negotiations::v1::Position> found_positions;
  std::vector<incidents::v1::Incident> found_incidents;
  SummarizeExchangesResponse exchange_totals;
  incidents::v1::SummarizeIncidentsResponse rollup;
  grpc::Status exchanges_status, rounds_status, positions_status,
      incidents_status;
  // Rollups answer for the present and for all parties; a past known_at or
  // a party filter needs the records themselves.
  const bool from_rollups = !context.known_at.has_value() && parties.empty();
  // With rollups, whether found_exchanges holds every exchange of the span.
  bool listed_all_exchanges = false;

  std::vector<std::future<void>> work;
  work.push_back(std::async(std::launch::async, [&] {
    exchanges::v1::ListExchangesRequest q;
    q.set_span(span->text());
    if (!from_rollups) {
      exchanges_status = ListAll<exchanges::v1::ListExchangesRequest,
                                 exchanges::v1::ListExchangesResponse>(
          context, q,
          [&](grpc::ClientContext* c, const auto& q, auto* p) {
            return exchanges.ListExchanges(c, q, p);
          },
          [](auto& p) { return p.mutable_exchanges(); }, &found_exchanges);
      return;
    }
    // Totals from the rollups; the records behind them only if they fit on
    // one page. Both calls run at once.
    exchanges::v1::SummarizeExchangesRequest totals;
    totals.set_span(span->text());
    auto summarize = UpstreamContext(context);
    std::future<grpc::Status> summarized = std::async(std::launch::async, [&] {
      return exchanges.SummarizeExchanges(summarize.get(), totals,
                                          &exchange_totals);
    });
    q.set_page_size(kListedExchanges);
    exchanges::v1::ListExchangesResponse page;
    auto list = UpstreamContext(context);
    // A failed listing only costs the record names: the totals stand.
    if (exchanges.ListExchanges(list.get(), q, &page).ok() &&
        page.next_page_token().empty()) {
      found_exchanges.assign(
          std::make_move_iterator(page.mutable_exchanges()->begin()),
          std::make_move_iterator(page.mutable_exchanges()->end()));
      listed_all_exchanges = true;
    }
    exchanges_status = summarized.get();
  }));
  work.push_back(std::async(std::launch::async, [&] {
    negotiations::v1::ListRoundsRequest q;
    q.set_span(span->text());
    rounds_status = ListAll<negotiations::v1::ListRoundsRequest,
                            negotiations::v1::ListRoundsResponse>(
        context, q,
        [&](grpc::ClientContext* c, const auto& q, auto* p) {
          return negotiations.ListRounds(c, q, p);
        },
        [](auto& p) { return p.mutable_rounds(); }, &found_rounds);
    if (!rounds_status.ok()) return;
    negotiations::v1::ListPositionsRequest p;
    p.set_span(span->text());
    positions_status = ListAll<negotiations::v1::ListPositionsRequest,
                               negotiations::v1::ListPositionsResponse>(
        context, p,
        [&](grpc::ClientContext* c, const auto& q, auto* p) {
          return negotiations.ListPositions(c, q, p);
        },
        [](auto& p) { return p.mutable_positions(); }, &found_positions);
  }));
  work.push_back(std::async(std::launch::async, [&] {
    if (from_rollups) {
      incidents::v1::SummarizeIncidentsRequest q;
      q.set_span(span->text());
      q.set_region(r.region());
      auto client = UpstreamContext(context);
      incidents_status = incidents.SummarizeIncidents(client.get(), q, &rollup);
      return;
    }
    incidents::v1::ListIncidentsRequest q;
    q.set_span(span->text());
    q.set_region(r.region());
    incidents_status = ListAll<incidents::v1::ListIncidentsRequest,
                               incidents::v1::ListIncidentsResponse>(
        context, q,
        [&](grpc::ClientContext* c, const auto& q, auto* p) {
          return incidents.ListIncidents(c, q, p);
        },
        [](auto& p) { return p.mutable_incidents(); }, &found_incidents);
  }));
  for (auto& w : work) w.get();

  // Exchanges: how many of each kind, and people moved each way.
  if (!exchanges_status.ok()) {
    AddMissing("exchanges", upstreams_->exchanges().service, exchanges_status,
               out->mutable_missing());
  } else {
    const std::vector<const Exchange*> counted =
        CountedExchanges(found_exchanges, *span, parties);
    if (from_rollups) {
      AddExchangeFigures(exchange_totals,
                         listed_all_exchanges ? &counted : nullptr, "rollup",
                         out);
    } else {
      AddExchangeFigures(TotalsOf(counted), &counted, "records", out);
    }
  }

  // Negotiations: rounds held, positions first reported in the span.
  if (!rounds_status.ok() || !positions_status.ok()) {
    AddMissing("negotiations", upstreams_->negotiations().service,
               rounds_status.ok() ? positions_status : rounds_status,
               out->mutable_missing());
  } else {
    Figure* rounds =
        AddFigure("rounds held", "negotiations", ExactCount(0), "records", out);
    for (const auto& round : found_rounds) {
      bool involved = any_party;
      for (const auto& p : round.parties())
        involved = involved || Involves(parties, p);
      if (!involved) continue;
      rounds->add_records(round.metadata().name());
      for (const auto& s : round.sources()) *rounds->add_sources() = s;
    }
    *rounds->mutable_value() = ExactCount(rounds->records_size());
    Figure* opened = AddFigure("positions opened", "negotiations",
                               ExactCount(0), "records", out);
    for (const auto& p : found_positions) {
      auto first = StoredSpan(p.first_reported());
      if (!first.has_value() || !CountsIn(*first, *span)) continue;
      if (!any_party && !Involves(parties, p.holder())) continue;
      opened->add_records(p.metadata().name());
      for (const auto& s : p.sources()) *opened->add_sources() = s;
    }
    *opened->mutable_value() = ExactCount(opened->records_size());
  }

  // Incidents: counts by kind, casualties, outages.
  if (!incidents_status.ok()) {
    AddMissing("incidents", upstreams_->incidents().service, incidents_status,
               out->mutable_missing());
  } else if (from_rollups) {
    for (const auto& k : rollup.kinds()) {
      const std::string kind = Readable(
          incidents::v1::IncidentKind_Name(k.kind()), "INCIDENT_KIND_");
      AddFigure(absl::StrCat("incidents: ", kind), "incidents",
                ExactCount(k.incidents()), "rollup", out);
    }
    AddFigure("killed", "incidents", rollup.killed(), "rollup", out);
    AddFigure("injured", "incidents", rollup.injured(), "rollup", out);
    for (const auto& e : rollup.effects()) {
      AddFigure(absl::StrCat("affected by ",
                             Readable(incidents::v1::EffectKind_Name(e.kind()),
                                      "EFFECT_KIND_")),
                "incidents", e.affected(), "rollup", out);
    }
  } else {
    std::map<std::string, std::vector<const incidents::v1::Incident*>> by_kind;
    std::map<std::string, std::vector<Estimate>> affected;
    std::vector<Estimate> killed, injured;
    std::vector<const incidents::v1::Incident*> counted;
    for (const auto& i : found_incidents) {
      if (!any_party && !Involves(parties, i.attribution().party())) continue;
      auto occurred = StoredSpan(i.occurred());
      // As the rollups do: an incident counts in the day it starts.
      if (!occurred.has_value() || !CountsIn(*occurred, *span)) continue;
      counted.push_back(&i);
      by_kind[Readable(incidents::v1::IncidentKind_Name(i.kind()),
                       "INCIDENT_KIND_")]
          .push_back(&i);
      killed.push_back(i.casualties().has_killed() ? i.casualties().killed()
                                                   : UnknownEstimate());
      injured.push_back(i.casualties().has_injured() ? i.casualties().injured()
                                                     : UnknownEstimate());
      for (const auto& e : i.effects()) {
        affected[Readable(incidents::v1::EffectKind_Name(e.kind()),
                          "EFFECT_KIND_")]
            .push_back(e.has_affected() ? e.affected() : UnknownEstimate());
      }
    }
    for (const auto& [kind, list] : by_kind) {
      Figure* f = AddFigure(absl::StrCat("incidents: ", kind), "incidents",
                            ExactCount(list.size()), "records", out);
      for (const auto* i : list) f->add_records(i->metadata().name());
    }
    Figure* k =
        AddFigure("killed", "incidents", SumEstimates(killed), "records", out);
    Figure* in = AddFigure("injured", "incidents", SumEstimates(injured),
                           "records", out);
    for (const auto* i : counted) {
      k->add_records(i->metadata().name());
      in->add_records(i->metadata().name());
    }
    for (const auto& [kind, list] : affected) {
      AddFigure(absl::StrCat("affected by ", kind), "incidents",
                SumEstimates(list), "records", out);
    }
  }
  return absl::OkStatus();
}

}  // namespace parley::gateway
