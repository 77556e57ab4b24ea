#include "services/incidents/schema.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/model/estimate.h"
#include "common/model/keys.h"
#include "common/model/window.h"
#include "common/store/index_terms.h"
#include "parley/incidents/v1/incident.pb.h"

namespace parley::incidents {

using v1::Incident;

std::string RegionTerm(const std::string& admin1) {
  return absl::AsciiStrToLower(admin1);
}

std::string DayPrefix(const std::string& region, absl::CivilDay day) {
  std::string key;
  if (region.empty()) {
    key = "day|";
  } else {
    key = "region|";
    keys::AppendString(&key, RegionTerm(region));
  }
  absl::StrAppend(&key, FormatDay(day), "|");
  return key;
}

std::string RollupKey(const std::string& region, absl::CivilDay day, char what,
                      int kind) {
  return absl::StrCat(DayPrefix(region, day), std::string(1, what), "|", kind);
}

bool ParseRollupKey(absl::string_view key, const std::string& region,
                    char* what, int* kind) {
  // The day has a fixed length, so the prefix of any day is as long.
  const size_t prefix = DayPrefix(region, absl::CivilDay(2000, 1, 1)).size();
  if (key.size() < prefix + 3) return false;
  key.remove_prefix(prefix);
  *what = key[0];
  return key[1] == '|' && absl::SimpleAtoi(key.substr(2), kind);
}

namespace {

// The totals of one incident under one key prefix (region or not).
void AddIncident(const Incident& incident, const std::string& region,
                 absl::CivilDay day, int sign, RollupDeltas* deltas) {
  // No figure reported is not zero: it is unknown, and keeps totals open.
  Estimate unknown;
  unknown.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  const auto& c = incident.casualties();
  AddToRollup(c.has_killed() ? c.killed() : unknown, sign,
              &(*deltas)[RollupKey(region, day, 'k', incident.kind())]);
  AddToRollup(c.has_injured() ? c.injured() : unknown, sign,
              &(*deltas)[RollupKey(region, day, 'i', incident.kind())]);
  // An incident counts once per effect kind, however many places it names.
  std::map<int, std::vector<Estimate>> affected;
  for (const auto& effect : incident.effects()) {
    affected[effect.kind()].push_back(effect.has_affected() ? effect.affected()
                                                            : unknown);
  }
  for (const auto& [kind, estimates] : affected) {
    AddToRollup(SumEstimates(estimates), sign,
                &(*deltas)[RollupKey(region, day, 'e', kind)]);
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
            AddTerm(&terms, "region", RegionTerm(i.place().admin1()));
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
            AddIncident(i, "", CountingDay(*span), sign, deltas);
            if (!i.place().admin1().empty()) {
              AddIncident(i, i.place().admin1(), CountingDay(*span), sign,
                          deltas);
            }
          },
  };
  return *schema;
}

}  // namespace parley::incidents
