#include "services/incidents/domain.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/model/estimate.h"
#include "common/model/window.h"
#include "common/model/window_sum.h"
#include "common/service/list_filters.h"
#include "common/store/window_rollups.h"
#include "services/incidents/schema.h"
#include "services/incidents/validation.h"

namespace parley::incidents {
namespace {

// What a ListIncidents min_killed compares: the best figure, else the low
// bound ("at least five" is 5), else nothing known (0).
int64_t KilledFigure(const v1::Incident& incident) {
  const auto& killed = incident.casualties().killed();
  if (killed.has_best()) return killed.best();
  return killed.has_low() ? killed.low() : 0;
}

}  // namespace

Incidents::Incidents(Store* store)
    : incidents_(store, &IncidentSchema(), "incident", ValidateIncident),
      feed_(store, "incidents", collections()) {}

absl::Status Incidents::GetIncident(const v1::GetIncidentRequest& r,
                                    v1::Incident* out) {
  return incidents_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Incidents::ListIncidents(const v1::ListIncidentsRequest& r,
                                      v1::ListIncidentsResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Text(RegionTermOf(r.region()), "region");
  f.Text(r.dataset(), "dataset");
  f.Country(r.attributed_party(), "attributed_party");
  f.Enum(r.target(), "target");
  f.Enum(r.kind(), "kind");
  if (r.min_killed() < 0) {
    return InvalidField("min_killed", "must be >= 0");
  }
  if (r.min_killed() > 0) {
    const int64_t min_killed = r.min_killed();
    f.query().matches = [min_killed](const Message& m) {
      return KilledFigure(static_cast<const v1::Incident&>(m)) >= min_killed;
    };
  }
  RETURN_IF_ERROR(f.status());
  return incidents_.List(std::move(f.query()), f.page_size(), r.page_token(), r,
                         out->mutable_incidents(),
                         out->mutable_next_page_token());
}

absl::Status Incidents::CreateIncident(const v1::CreateIncidentRequest& r,
                                       const Caller& c, v1::Incident* out) {
  return incidents_.Create(r.incident(), r.incident_id(), r.request_id(), r, c,
                           out);
}

absl::Status Incidents::BatchCreateIncidents(
    const v1::BatchCreateIncidentsRequest& r, const Caller& c,
    v1::BatchCreateIncidentsResponse* out) {
  return incidents_.BatchCreate(r.requests(), c, out->mutable_incidents(),
                                out->mutable_results());
}

absl::Status Incidents::UpdateIncident(const v1::UpdateIncidentRequest& r,
                                       const Caller& c, v1::Incident* out) {
  return incidents_.Update(r.incident(), r.update_mask(), c, out,
                           r.request_id(), &r, r.allow_missing());
}

absl::Status Incidents::BatchUpdateIncidents(
    const v1::BatchUpdateIncidentsRequest& r, const Caller& c,
    v1::BatchUpdateIncidentsResponse* out) {
  return incidents_.BatchPut(r.requests(), c, out->mutable_incidents(),
                             out->mutable_results());
}

absl::Status Incidents::DeleteIncident(const v1::DeleteIncidentRequest& r,
                                       const Caller& c) {
  return incidents_.Delete(r.name(), r.etag(), c);
}

absl::Status Incidents::SummarizeIncidents(
    const v1::SummarizeIncidentsRequest& r,
    v1::SummarizeIncidentsResponse* out) {
  FieldViolations v;
  auto span = CheckDateSpan(r.span(), "span", true, &v, out->mutable_span());
  CheckText(r.region(), "region", false, &v);
  RETURN_IF_ERROR(v.ToStatus());

  // The days of the span and the few longer spans reaching into it, each
  // counted as the window rule says.
  std::map<int, WindowSum> killed, injured, affected;
  absl::Status parse_error;
  RETURN_IF_ERROR(ScanWindowRollups(
      incidents(), RollupPrefix(RegionTermOf(r.region())), *span,
      [&](const DateSpan& of, absl::string_view rest,
          const model::v1::RollupValue& value) {
        char occurrence = 0, what = 0;
        int kind = 0;
        if (!ParseRollupRest(rest, &occurrence, &what, &kind)) {
          parse_error = absl::DataLossError(
              absl::StrCat("incidents rollup key is malformed: ", rest));
          return;
        }
        const Counted how =
            CountIn(PlaceInWindow(of, *span),
                    occurrence == 'o' ? common::v1::OCCURRENCE_ONGOING
                                      : common::v1::OCCURRENCE_ONCE);
        auto& totals = what == 'k' ? killed : what == 'i' ? injured : affected;
        // People affected is a level: an ongoing incident's counts in full.
        totals[kind].AddTotals(value, how, /*per_period=*/what == 'e');
      }));
  RETURN_IF_ERROR(parse_error);

  WindowSum all_killed, all_injured;
  for (const auto& [kind, k] : killed) {
    if (k.none_recorded()) continue;  // all deleted again
    auto* totals = out->add_kinds();
    totals->set_kind(static_cast<v1::IncidentKind>(kind));
    totals->set_incidents(k.whole());
    totals->set_partly_in(k.maybe());
    totals->set_ongoing(k.ongoing());
    *totals->mutable_killed() = k.Total();
    *totals->mutable_injured() = injured[kind].Total();
    all_killed.Merge(k);
    all_injured.Merge(injured[kind]);
  }
  for (const auto& [kind, a] : affected) {
    if (a.none_recorded()) continue;
    auto* totals = out->add_effects();
    totals->set_kind(static_cast<v1::EffectKind>(kind));
    totals->set_incidents(a.whole());
    totals->set_partly_in(a.maybe());
    totals->set_ongoing(a.ongoing());
    *totals->mutable_affected() = a.Total();
  }
  out->set_incidents(all_killed.whole());
  out->set_partly_in(all_killed.maybe());
  out->set_ongoing(all_killed.ongoing());
  *out->mutable_killed() = all_killed.Total();
  *out->mutable_injured() = all_injured.Total();
  return absl::OkStatus();
}

absl::Status Incidents::ListRevisions(const v1::ListRevisionsRequest& r,
                                      v1::ListRevisionsResponse* out) {
  return parley::ListRevisions({&incidents()}, r.name(), r.page_size(),
                               r.page_token(), r, out->mutable_revisions(),
                               out->mutable_next_page_token());
}

absl::Status Incidents::ListChanges(const v1::ListChangesRequest& r,
                                    v1::ListChangesResponse* out) {
  return parley::ListChanges(feed_, r, out);
}

}  // namespace parley::incidents
