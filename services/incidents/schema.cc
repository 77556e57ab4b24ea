#include "services/incidents/schema.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "common/model/subdivisions.h"
#include "common/model/window.h"
#include "common/store/index_terms.h"
#include "common/store/window_rollups.h"
#include "parley/incidents/v1/incident.pb.h"

namespace parley::incidents {

using v1::Incident;

std::vector<std::string> RegionTerms(const ::parley::common::v1::Place& place) {
  std::vector<std::string> terms;
  if (!place.admin1_code().empty()) terms.push_back(place.admin1_code());
  std::string name = absl::AsciiStrToLower(place.admin1());
  if (!name.empty() && (terms.empty() || name != terms[0])) {
    terms.push_back(std::move(name));
  }
  return terms;
}

std::string RegionTermOf(const std::string& region) {
  if (region.empty()) return "";
  std::string code = SubdivisionCode("", region);
  return code.empty() ? absl::AsciiStrToLower(region) : code;
}

std::string RollupPrefix(const std::string& region_term) {
  if (region_term.empty()) return "all|";
  std::string key = "region|";
  keys::AppendString(&key, region_term);
  return key;
}

std::string RollupRest(char occurrence, char what, int kind) {
  return absl::StrCat(std::string(1, occurrence), "|", std::string(1, what),
                      "|", kind);
}

bool ParseRollupRest(absl::string_view rest, char* occurrence, char* what,
                     int* kind) {
  if (rest.size() < 5 || rest[1] != '|' || rest[3] != '|') return false;
  *occurrence = rest[0];
  *what = rest[2];
  return (*occurrence == 'o' || *occurrence == 'x') &&
         (*what == 'k' || *what == 'i' || *what == 'e') &&
         absl::SimpleAtoi(rest.substr(4), kind);
}

namespace {

// The totals of one incident under one key prefix (region or not).
void AddIncident(const Incident& incident, const std::string& region,
                 const DateSpan& span, int sign, RollupDeltas* deltas) {
  const std::string prefix = RollupPrefix(region);
  const char occurrence =
      !IsSingleDay(span) &&
              incident.occurrence() == common::v1::OCCURRENCE_ONGOING
          ? 'o'
          : 'x';
  const auto key = [&](char what, int kind) {
    return SpanRollupKey(prefix, span, RollupRest(occurrence, what, kind));
  };
  // No figure reported is not zero: it is unknown, and keeps totals open.
  Estimate unknown;
  unknown.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  const auto& c = incident.casualties();
  AddToRollup(c.has_killed() ? c.killed() : unknown, sign,
              &(*deltas)[key('k', incident.kind())]);
  AddToRollup(c.has_injured() ? c.injured() : unknown, sign,
              &(*deltas)[key('i', incident.kind())]);
  // An incident counts once per effect kind, however many places it names.
  std::map<int, std::vector<Estimate>> affected;
  for (const auto& effect : incident.effects()) {
    affected[effect.kind()].push_back(effect.has_affected() ? effect.affected()
                                                            : unknown);
  }
  for (const auto& [kind, estimates] : affected) {
    AddToRollup(SumEstimates(estimates), sign, &(*deltas)[key('e', kind)]);
  }
}

}  // namespace

const CollectionSchema& IncidentSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "incidents",
      .prototype = &Incident::default_instance(),
      .output_only_fields = {"occurred_span"},
      .index_terms =
          [](const Message& m) {
            const auto& i = static_cast<const Incident&>(m);
            std::vector<IndexTerm> terms;
            for (std::string& region : RegionTerms(i.place())) {
              AddTerm(&terms, "region", std::move(region));
            }
            AddTerm(&terms, "dataset", i.provenance().dataset());
            AddEnumTerm(&terms, "kind", i.kind());
            AddEnumTerm(&terms, "target", i.target());
            AddTerm(&terms, "attributed_party",
                    PartyTerm(i.attribution().party()));
            return terms;
          },
      .date =
          [](const Message& m) {
            return StoredSpan(static_cast<const Incident&>(m).occurred());
          },
      .rollups =
          [](const Message& m, int sign, RollupDeltas* deltas) {
            const auto& i = static_cast<const Incident&>(m);
            auto span = StoredSpan(i.occurred());
            if (!span.has_value()) return;
            AddIncident(i, "", *span, sign, deltas);
            for (const std::string& region : RegionTerms(i.place())) {
              AddIncident(i, region, *span, sign, deltas);
            }
          },
      // A newer export of a dataset, the rest unchanged, is no change.
      .provenance_fields = {"provenance.version"},
      // 2: totals by span under the window rule (1 had them by first day);
      // 3: regions by ISO 3166-2 code where known (2 by name).
      .rollups_version = 3,
  };
  return *schema;
}

}  // namespace parley::incidents
