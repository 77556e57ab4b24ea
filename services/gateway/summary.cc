// Summary: a week, month or region across the three domains, every figure
// an Estimate with the records and sources behind it. Incident totals come
// from the rollups the incidents service keeps at write time.
#include <algorithm>
#include <future>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/index_terms.h"
#include "common/validation.h"
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
  if (span->first() > context.as_of) {
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
  incidents::v1::SummarizeIncidentsResponse rollup;
  grpc::Status exchanges_status, rounds_status, positions_status,
      incidents_status;
  // Rollups answer for the present and for all parties; a past known_at or
  // a party filter needs the records themselves.
  const bool from_rollups = !context.known_at.has_value() && parties.empty();

  std::vector<std::future<void>> work;
  work.push_back(std::async(std::launch::async, [&] {
    exchanges::v1::ListExchangesRequest q;
    q.set_span(span->text());
    exchanges_status = ListAll<exchanges::v1::ListExchangesRequest,
                               exchanges::v1::ListExchangesResponse>(
        context, q,
        [&](grpc::ClientContext* c, const auto& q, auto* p) {
          return exchanges.ListExchanges(c, q, p);
        },
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
    std::map<int, std::vector<const exchanges::v1::Exchange*>> by_kind;
    std::map<std::string,
             std::pair<std::vector<Estimate>,
                       std::vector<const exchanges::v1::Exchange*>>>
        by_direction;
    for (const auto& e : found_exchanges) {
      bool involved = any_party;
      for (const auto& t : e.transfers()) {
        involved = involved || Involves(parties, t.from_party()) ||
                   Involves(parties, t.to_party());
      }
      if (!involved) continue;
      by_kind[e.kind()].push_back(&e);
      for (const auto& t : e.transfers()) {
        auto& d = by_direction[absl::StrCat(
            Readable(exchanges::v1::Category_Name(t.category()), "CATEGORY_"),
            " ", PartyTerm(t.from_party()), ">", PartyTerm(t.to_party()))];
        d.first.push_back(t.count());
        if (d.second.empty() || d.second.back() != &e) d.second.push_back(&e);
      }
    }
    for (const auto& [kind, list] : by_kind) {
      Figure* f = AddFigure(
          absl::StrCat(
              "exchanges: ",
              Readable(exchanges::v1::ExchangeKind_Name(
                           static_cast<exchanges::v1::ExchangeKind>(kind)),
                       "EXCHANGE_KIND_")),
          "exchanges", ExactCount(list.size()), "records", out);
      for (const auto* e : list) {
        f->add_records(e->metadata().name());
        for (const auto& s : e->sources()) *f->add_sources() = s;
      }
    }
    for (const auto& [label, d] : by_direction) {
      Figure* f = AddFigure(absl::StrCat("transferred: ", label), "exchanges",
                            SumEstimates(d.first), "records", out);
      for (const auto* e : d.second) f->add_records(e->metadata().name());
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
      if (!first.has_value() || !span->Contains(first->first())) continue;
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
      if (!occurred.has_value() || !span->Contains(occurred->first())) continue;
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
