// Summary: a week, month or region across the three domains, every figure
// an Estimate by the window rule (common/model/window.h), with the records
// and sources behind it. Exchange and incident totals come from the rollups
// the services keep at write time, so they cost the days of the span and
// the distinct longer spans reaching into it, not the size of the store.
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
#include "services/gateway/figures.h"
#include "services/gateway/report_support.h"
#include "services/gateway/reports.h"

namespace parley::gateway {
namespace {

using exchanges::v1::Exchange;
using exchanges::v1::SummarizeExchangesResponse;
using incidents::v1::Incident;
using incidents::v1::SummarizeIncidentsResponse;
using reports::v1::Figure;

// Records listed beside rollup totals: a span with more than this gets
// totals only, so the cost stays flat as the store grows.
constexpr int kListedRecords = 100;

// "EXCHANGE_KIND_REPATRIATION_OF_REMAINS" -> "repatriation of remains".
std::string Readable(const std::string& enum_name, absl::string_view prefix) {
  std::string text(absl::string_view(enum_name).substr(prefix.size()));
  std::replace(text.begin(), text.end(), '_', ' ');
  return absl::AsciiStrToLower(text);
}

std::string KindLabel(int kind) {
  return absl::StrCat(
      "exchanges: ",
      Readable(exchanges::v1::ExchangeKind_Name(kind), "EXCHANGE_KIND_"));
}
std::string TransferLabel(int category, const std::string& from,
                          const std::string& to) {
  return absl::StrCat(
      "transferred: ",
      Readable(exchanges::v1::Category_Name(category), "CATEGORY_"), " ", from,
      ">", to);
}
std::string IncidentLabel(int kind) {
  return absl::StrCat(
      "incidents: ",
      Readable(incidents::v1::IncidentKind_Name(kind), "INCIDENT_KIND_"));
}
std::string EffectLabel(int kind) {
  return absl::StrCat(
      "affected by ",
      Readable(incidents::v1::EffectKind_Name(kind), "EFFECT_KIND_"));
}

Figure* AddFigure(const std::string& label, const std::string& domain,
                  const std::string& basis,
                  reports::v1::GetSummaryResponse* out) {
  Figure* f = out->add_figures();
  f->set_label(label);
  f->set_domain(domain);
  f->set_basis(basis);
  return f;
}

// A figure read from records: its value by the rule, names and sources.
void FillFromParts(const FigureParts& parts, bool count, Figure* f) {
  if (count) {
    SetCount(parts.sum.whole(), parts.sum.maybe(), parts.sum.ongoing(), f);
  } else {
    SetCounted(parts.sum.Total(), parts.sum.whole(), parts.sum.maybe(),
               parts.sum.ongoing(), f);
  }
  SetBehind(parts.behind, f);
  for (const auto& s : parts.sources) AddSource(s, f->mutable_sources());
}

bool Involves(const absl::flat_hash_set<std::string>& parties,
              const common::v1::Party& party) {
  return parties.contains(party.country());
}

// Exchange figures from the records: per kind (a count) and per category
// and direction (people), for exchanges involving one of `parties` (any if
// none).
void ExchangeFiguresFromRecords(const std::vector<Exchange>& found,
                                const DateSpan& window,
                                const absl::flat_hash_set<std::string>& parties,
                                reports::v1::GetSummaryResponse* out) {
  std::map<int, FigureParts> kinds;
  std::map<std::tuple<int, std::string, std::string>, FigureParts> transfers;
  for (const Exchange& e : found) {
    const Counted how = CountOnce(e.occurred(), window);
    if (how == Counted::kNot) continue;
    bool involved = parties.empty();
    std::vector<Estimate> counts;
    for (const auto& t : e.transfers()) {
      involved = involved || Involves(parties, t.from_party()) ||
                 Involves(parties, t.to_party());
      counts.push_back(t.count());
    }
    if (!involved) continue;
    const std::string& name = e.metadata().name();
    kinds[e.kind()].Add(name, how, SumEstimates(counts), e.sources());
    for (const auto& t : e.transfers()) {
      transfers[{t.category(), PartyTerm(t.from_party()),
                 PartyTerm(t.to_party())}]
          .Add(name, how, t.count(), {});
    }
  }
  for (const auto& [kind, parts] : kinds) {
    FillFromParts(parts, /*count=*/true,
                  AddFigure(KindLabel(kind), "exchanges", "records", out));
  }
  // Directions in the order of their labels.
  std::map<std::string, const FigureParts*> directions;
  for (const auto& [key, parts] : transfers) {
    directions[TransferLabel(std::get<0>(key), std::get<1>(key),
                             std::get<2>(key))] = &parts;
  }
  for (const auto& [label, parts] : directions) {
    FillFromParts(*parts, /*count=*/false,
                  AddFigure(label, "exchanges", "records", out));
  }
}

// Exchange figures from the rollups' totals, with the records behind them
// when `listed` holds every exchange of the span.
void ExchangeFiguresFromTotals(const SummarizeExchangesResponse& totals,
                               const std::vector<Exchange>* listed,
                               const DateSpan& window,
                               reports::v1::GetSummaryResponse* out) {
  for (const auto& k : totals.kinds()) {
    Figure* f = AddFigure(KindLabel(k.kind()), "exchanges", "rollup", out);
    SetCount(k.exchanges(), k.partly_in(), 0, f);
    if (listed == nullptr) continue;
    Behind behind;
    for (const Exchange& e : *listed) {
      if (e.kind() != k.kind()) continue;
      const Counted how = CountOnce(e.occurred(), window);
      behind.Add(e.metadata().name(), how);
      if (how == Counted::kNot) continue;
      for (const auto& s : e.sources()) AddSource(s, f->mutable_sources());
    }
    SetBehind(behind, f);
  }
  std::map<std::string, const SummarizeExchangesResponse::TransferTotals*>
      directions;
  for (const auto& t : totals.transfers()) {
    directions[TransferLabel(t.category(), t.from_party(), t.to_party())] = &t;
  }
  for (const auto& [label, t] : directions) {
    Figure* f = AddFigure(label, "exchanges", "rollup", out);
    SetCounted(t->transferred(), t->transfers(), t->partly_in(), 0, f);
    if (listed == nullptr) continue;
    Behind behind;
    for (const Exchange& e : *listed) {
      for (const auto& transfer : e.transfers()) {
        if (transfer.category() == t->category() &&
            PartyTerm(transfer.from_party()) == t->from_party() &&
            PartyTerm(transfer.to_party()) == t->to_party()) {
          behind.Add(e.metadata().name(), CountOnce(e.occurred(), window));
          break;
        }
      }
    }
    SetBehind(behind, f);
  }
}

// Incident figures from the records: per kind (a count), killed, injured,
// and people affected per effect kind (a level: an ongoing incident's
// counts in full).
void IncidentFiguresFromRecords(const std::vector<Incident>& found,
                                const DateSpan& window,
                                const absl::flat_hash_set<std::string>& parties,
                                reports::v1::GetSummaryResponse* out) {
  std::map<int, FigureParts> kinds, effects;
  FigureParts killed, injured;
  for (const Incident& i : found) {
    if (!parties.empty() && !Involves(parties, i.attribution().party())) {
      continue;
    }
    const Counted how = CountIncident(i, window);
    if (how == Counted::kNot) continue;
    const std::string& name = i.metadata().name();
    const auto& c = i.casualties();
    kinds[i.kind()].Add(name, how, ExactCount(1), i.sources());
    killed.Add(name, how, c.has_killed() ? c.killed() : UnknownEstimate(),
               i.sources());
    injured.Add(name, how, c.has_injured() ? c.injured() : UnknownEstimate(),
                i.sources());
    std::map<int, std::vector<Estimate>> affected;
    for (const auto& e : i.effects()) {
      affected[e.kind()].push_back(e.has_affected() ? e.affected()
                                                    : UnknownEstimate());
    }
    for (const auto& [kind, estimates] : affected) {
      effects[kind].Add(name, how, SumEstimates(estimates), i.sources(),
                        /*per_period=*/true);
    }
  }
  for (const auto& [kind, parts] : kinds) {
    FillFromParts(parts, /*count=*/true,
                  AddFigure(IncidentLabel(kind), "incidents", "records", out));
  }
  FillFromParts(killed, false,
                AddFigure("killed", "incidents", "records", out));
  FillFromParts(injured, false,
                AddFigure("injured", "incidents", "records", out));
  for (const auto& [kind, parts] : effects) {
    FillFromParts(parts, false,
                  AddFigure(EffectLabel(kind), "incidents", "records", out));
  }
}

// Incident figures from the rollups' totals, with the records behind them
// when `listed` holds every incident of the span.
void IncidentFiguresFromTotals(const SummarizeIncidentsResponse& totals,
                               const std::vector<Incident>* listed,
                               const DateSpan& window,
                               reports::v1::GetSummaryResponse* out) {
  // Names by what they are behind: a kind, every casualty, an effect kind.
  std::map<int, Behind> by_kind, by_effect;
  Behind all;
  if (listed != nullptr) {
    for (const Incident& i : *listed) {
      const Counted how = CountIncident(i, window);
      by_kind[i.kind()].Add(i.metadata().name(), how);
      all.Add(i.metadata().name(), how);
      absl::flat_hash_set<int> effects;
      for (const auto& e : i.effects()) {
        if (effects.insert(e.kind()).second) {
          by_effect[e.kind()].Add(i.metadata().name(), how);
        }
      }
    }
  }
  for (const auto& k : totals.kinds()) {
    Figure* f = AddFigure(IncidentLabel(k.kind()), "incidents", "rollup", out);
    SetCount(k.incidents(), k.partly_in(), k.ongoing(), f);
    if (listed != nullptr) SetBehind(by_kind[k.kind()], f);
  }
  Figure* killed = AddFigure("killed", "incidents", "rollup", out);
  SetCounted(totals.killed(), totals.incidents(), totals.partly_in(),
             totals.ongoing(), killed);
  Figure* injured = AddFigure("injured", "incidents", "rollup", out);
  SetCounted(totals.injured(), totals.incidents(), totals.partly_in(),
             totals.ongoing(), injured);
  if (listed != nullptr) {
    SetBehind(all, killed);
    SetBehind(all, injured);
  }
  for (const auto& e : totals.effects()) {
    Figure* f = AddFigure(EffectLabel(e.kind()), "incidents", "rollup", out);
    SetCounted(e.affected(), e.incidents(), e.partly_in(), e.ongoing(), f);
    if (listed != nullptr) SetBehind(by_effect[e.kind()], f);
  }
}

// A page of a List: every record if it fits in one page of
// kListedRecords, else nothing (the totals stand without names).
template <typename Item, typename Response, typename Items>
bool TakeWholePage(const grpc::Status& status, Response& page, Items items,
                   std::vector<Item>* out) {
  if (!status.ok() || !page.next_page_token().empty()) return false;
  auto* list = items(page);
  out->assign(std::make_move_iterator(list->begin()),
              std::make_move_iterator(list->end()));
  return true;
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
  // Only what occurred by as_of: the window is cut there, so a record
  // straddling as_of is partly in it. A span wholly after as_of describes
  // nothing yet.
  if (PlaceAsOf(*span, context.as_of) == Placement::kOutside) {
    return InvalidField("as_of", absl::StrCat("is before the span starts (",
                                              FormatDay(span->first()), ")"));
  }
  span = DateSpan::Days(span->first(), std::min(span->last(), context.as_of));
  auto& exchanges = upstreams_->exchanges_stub();
  auto& negotiations = upstreams_->negotiations_stub();
  auto& incidents = upstreams_->incidents_stub();

  std::vector<Exchange> found_exchanges;
  std::vector<negotiations::v1::Round> found_rounds;
  std::vector<negotiations::v1::Position> found_positions;
  std::vector<Incident> found_incidents;
  SummarizeExchangesResponse exchange_totals;
  SummarizeIncidentsResponse incident_totals;
  grpc::Status exchanges_status, rounds_status, positions_status,
      incidents_status;
  // Rollups answer for the present and for all parties; a past known_at or
  // a party filter needs the records themselves.
  const bool from_rollups = !context.known_at.has_value() && parties.empty();
  // With rollups, whether the found_* hold every record of the span.
  bool listed_all_exchanges = false, listed_all_incidents = false;

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
    // Totals from the rollups; then the records behind them, only if the
    // totals say they fit on one page (a listing that cannot hold them all
    // would cost a page's scan for nothing).
    exchanges::v1::SummarizeExchangesRequest totals;
    totals.set_span(span->text());
    auto summarize = UpstreamContext(context);
    exchanges_status =
        exchanges.SummarizeExchanges(summarize.get(), totals, &exchange_totals);
    if (!exchanges_status.ok() ||
        exchange_totals.exchanges() + exchange_totals.partly_in() >
            kListedRecords) {
      return;
    }
    q.set_page_size(kListedRecords);
    exchanges::v1::ListExchangesResponse page;
    auto list = UpstreamContext(context);
    // A failed listing only costs the record names: the totals stand.
    listed_all_exchanges = TakeWholePage(
        exchanges.ListExchanges(list.get(), q, &page), page,
        [](auto& p) { return p.mutable_exchanges(); }, &found_exchanges);
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
    incidents::v1::ListIncidentsRequest q;
    q.set_span(span->text());
    q.set_region(r.region());
    if (!from_rollups) {
      incidents_status = ListAll<incidents::v1::ListIncidentsRequest,
                                 incidents::v1::ListIncidentsResponse>(
          context, q,
          [&](grpc::ClientContext* c, const auto& q, auto* p) {
            return incidents.ListIncidents(c, q, p);
          },
          [](auto& p) { return p.mutable_incidents(); }, &found_incidents);
      return;
    }
    incidents::v1::SummarizeIncidentsRequest totals;
    totals.set_span(span->text());
    totals.set_region(r.region());
    auto summarize = UpstreamContext(context);
    incidents_status =
        incidents.SummarizeIncidents(summarize.get(), totals, &incident_totals);
    if (!incidents_status.ok() || incident_totals.incidents() +
                                          incident_totals.partly_in() +
                                          incident_totals.ongoing() >
                                      kListedRecords) {
      return;
    }
    q.set_page_size(kListedRecords);
    incidents::v1::ListIncidentsResponse page;
    auto list = UpstreamContext(context);
    listed_all_incidents = TakeWholePage(
        incidents.ListIncidents(list.get(), q, &page), page,
        [](auto& p) { return p.mutable_incidents(); }, &found_incidents);
  }));
  for (auto& w : work) w.get();

  // Exchanges: how many of each kind, and people moved each way.
  if (!exchanges_status.ok()) {
    AddMissing("exchanges", upstreams_->exchanges().service, exchanges_status,
               out->mutable_missing());
  } else if (from_rollups) {
    ExchangeFiguresFromTotals(exchange_totals,
                              listed_all_exchanges ? &found_exchanges : nullptr,
                              *span, out);
  } else {
    ExchangeFiguresFromRecords(found_exchanges, *span, parties, out);
  }

  // Negotiations: rounds held, positions first reported in the span.
  if (!rounds_status.ok() || !positions_status.ok()) {
    AddMissing("negotiations", upstreams_->negotiations().service,
               rounds_status.ok() ? positions_status : rounds_status,
               out->mutable_missing());
  } else {
    FigureParts rounds, opened;
    for (const auto& round : found_rounds) {
      bool involved = any_party;
      for (const auto& p : round.parties())
        involved = involved || Involves(parties, p);
      if (!involved) continue;
      rounds.Add(round.metadata().name(), CountOnce(round.held(), *span),
                 ExactCount(1), round.sources());
    }
    for (const auto& p : found_positions) {
      if (!any_party && !Involves(parties, p.holder())) continue;
      opened.Add(p.metadata().name(), CountOnce(p.first_reported(), *span),
                 ExactCount(1), p.sources());
    }
    FillFromParts(rounds, /*count=*/true,
                  AddFigure("rounds held", "negotiations", "records", out));
    FillFromParts(
        opened, /*count=*/true,
        AddFigure("positions opened", "negotiations", "records", out));
  }

  // Incidents: counts by kind, casualties, outages.
  if (!incidents_status.ok()) {
    AddMissing("incidents", upstreams_->incidents().service, incidents_status,
               out->mutable_missing());
  } else if (from_rollups) {
    IncidentFiguresFromTotals(incident_totals,
                              listed_all_incidents ? &found_incidents : nullptr,
                              *span, out);
  } else {
    IncidentFiguresFromRecords(found_incidents, *span, parties, out);
  }
  return absl::OkStatus();
}

}  // namespace parley::gateway
