#include "services/incidents/domain.h"

#include <map>

#include "common/model/estimate.h"
#include "common/service/list_filters.h"
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
    : incidents_(store, &IncidentSchema(), "incident", ValidateIncident) {}

absl::Status Incidents::GetIncident(const v1::GetIncidentRequest& r,
                                    v1::Incident* out) {
  return incidents_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Incidents::ListIncidents(const v1::ListIncidentsRequest& r,
                                      v1::ListIncidentsResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Text(RegionTerm(r.region()), "region");
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

absl::Status Incidents::UpdateIncident(const v1::UpdateIncidentRequest& r,
                                       const Caller& c, v1::Incident* out) {
  return incidents_.Update(r.incident(), r.update_mask(), c, out);
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

  // One range scan over the days of the span.
  std::map<int, model::v1::RollupValue> killed, injured, affected;
  absl::Status parse_error;
  RETURN_IF_ERROR(incidents().ScanRollups(
      DayPrefix(r.region(), span->first()),
      DayPrefix(r.region(), span->last() + 1),
      [&](absl::string_view key, const model::v1::RollupValue& value) {
        char what = 0;
        int kind = 0;
        if (!ParseRollupKey(key, r.region(), &what, &kind)) {
          parse_error = absl::DataLossError("rollup key is malformed");
          return;
        }
        auto& totals = what == 'k' ? killed : what == 'i' ? injured : affected;
        AddRollup(value, &totals[kind]);
      }));
  RETURN_IF_ERROR(parse_error);

  model::v1::RollupValue all_killed, all_injured;
  for (const auto& [kind, k] : killed) {
    if (k.count() == 0) continue;  // all deleted again
    auto* totals = out->add_kinds();
    totals->set_kind(static_cast<v1::IncidentKind>(kind));
    totals->set_incidents(k.count());
    *totals->mutable_killed() = EstimateFromRollup(k);
    *totals->mutable_injured() = EstimateFromRollup(injured[kind]);
    AddRollup(k, &all_killed);
    AddRollup(injured[kind], &all_injured);
  }
  for (const auto& [kind, a] : affected) {
    if (a.count() == 0) continue;
    auto* totals = out->add_effects();
    totals->set_kind(static_cast<v1::EffectKind>(kind));
    totals->set_incidents(a.count());
    *totals->mutable_affected() = EstimateFromRollup(a);
  }
  out->set_incidents(all_killed.count());
  *out->mutable_killed() = EstimateFromRollup(all_killed);
  *out->mutable_injured() = EstimateFromRollup(all_injured);
  return absl::OkStatus();
}

absl::Status Incidents::ListRevisions(const v1::ListRevisionsRequest& r,
                                      v1::ListRevisionsResponse* out) {
  return parley::ListRevisions({&incidents()}, r.name(), r.page_size(),
                               r.page_token(), r, out->mutable_revisions(),
                               out->mutable_next_page_token());
}

}  // namespace parley::incidents
