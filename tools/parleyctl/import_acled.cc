// ACLED export CSV (event_id_cnty, event_date, time_precision, ...,
// fatalities, source, notes) as incidents, by ACLED's codebook:
// - time_precision 1 is the day of event_date; 2 a week ("the specific week
//   or weekend"), the ISO week holding event_date; 3 a month, event_date's;
// - geo_precision 1 is the town (settlement), 2 part of a region (admin2),
//   3 a region (admin1);
// - fatalities is ACLED's most conservative figure: a floor, AT_LEAST;
// - source names sources separated by ';': one Source each, as reported;
// - sub_event_type gives the incident kind; actor1 the attributed party
//   where it names a state's forces ("Military Forces of Russia (2000-)");
// - event_id_cnty becomes the record id ("acled-ukr12345") and, with the
//   export, its provenance.
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/status.h"
#include "common/model/country_codes.h"
#include "common/model/date_span.h"
#include "parley/incidents/v1/incident.pb.h"
#include "tools/parleyctl/csv_reader.h"
#include "tools/parleyctl/import_dataset.h"
#include "tools/parleyctl/import_source.h"

namespace parley::ctl {
namespace {

using incidents::v1::Incident;
using incidents::v1::IncidentKind;

constexpr char kDataset[] = "acled";
constexpr size_t kMaxText = 4096;

// The columns a row cannot be read without.
constexpr const char* kRequired[] = {
    "event_id_cnty", "event_date",    "time_precision", "sub_event_type",
    "country",       "geo_precision", "fatalities",     "source"};

// ACLED's sub-event types as incident kinds. "Air/drone strike" and
// "Shelling/artillery/missile attack" are split by what the notes say.
IncidentKind IncidentKindOf(absl::string_view sub_event,
                            absl::string_view notes) {
  const std::string lowered = absl::AsciiStrToLower(notes);
  if (sub_event == "Air/drone strike") {
    return absl::StrContains(lowered, "drone") ||
                   absl::StrContains(lowered, "uav") ||
                   absl::StrContains(lowered, "shahed")
               ? incidents::v1::INCIDENT_KIND_DRONE_STRIKE
               : incidents::v1::INCIDENT_KIND_AIR_STRIKE;
  }
  if (sub_event == "Shelling/artillery/missile attack") {
    return absl::StrContains(lowered, "missile")
               ? incidents::v1::INCIDENT_KIND_MISSILE_STRIKE
               : incidents::v1::INCIDENT_KIND_SHELLING;
  }
  if (sub_event == "Remote explosive/landmine/IED") {
    return incidents::v1::INCIDENT_KIND_MINE;
  }
  if (sub_event == "Armed clash" || sub_event == "Attack" ||
      sub_event == "Government regains territory" ||
      sub_event == "Non-state actor overtakes territory") {
    return incidents::v1::INCIDENT_KIND_GROUND_ATTACK;
  }
  return incidents::v1::INCIDENT_KIND_OTHER;
}

class AcledSource final : public DatasetCsvSource {
 public:
  using DatasetCsvSource::DatasetCsvSource;

 private:
  absl::StatusOr<ImportRecord> Read(const CsvRow& row,
                                    const std::string& where) const override {
    const std::string upstream(
        absl::StripAsciiWhitespace(row.Get("event_id_cnty")));
    const std::string id = DatasetId("acled-", upstream);
    if (id.empty()) return absl::InvalidArgumentError("event_id_cnty: empty");
    Incident incident;
    auto day = ParseExportDay(row.Get("event_date"));
    if (!day.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "event_date: \"", row.Get("event_date"), "\" is not a date"));
    }
    const absl::string_view time_precision =
        absl::StripAsciiWhitespace(row.Get("time_precision"));
    if (time_precision == "1") {
      incident.set_occurred(FormatDay(*day));
    } else if (time_precision == "2") {
      incident.set_occurred(IsoWeekOf(*day));
    } else if (time_precision == "3") {
      incident.set_occurred(MonthOf(*day));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("time_precision: 1, 2 or 3 (day, week, month), not \"",
                       time_precision, "\""));
    }
    incident.set_occurrence(common::v1::OCCURRENCE_ONCE);

    const absl::string_view sub_event = row.Get("sub_event_type");
    const absl::string_view notes = row.Get("notes");
    incident.set_kind(IncidentKindOf(sub_event, notes));
    incident.set_target(incidents::v1::TARGET_CATEGORY_OTHER);
    const absl::string_view location = row.Get("location");
    incident.set_title(
        Utf8Prefix(location.empty() ? std::string(sub_event)
                                    : absl::StrCat(sub_event, " in ", location),
                   kMaxText));

    auto* place = incident.mutable_place();
    std::string country = CountryCodeOfNumeric(
        std::string_view(row.Get("iso").data(), row.Get("iso").size()));
    if (country.empty()) country = CountryOf(row.Get("country"));
    if (country.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "country: \"", row.Get("country"), "\" is no ISO 3166-1 country"));
    }
    place->set_country(country);
    place->set_admin1(Utf8Prefix(row.Get("admin1"), kMaxText));
    place->set_admin2(Utf8Prefix(row.Get("admin2"), kMaxText));
    place->set_settlement(Utf8Prefix(location, kMaxText));
    double latitude = 0, longitude = 0;
    if (absl::SimpleAtod(row.Get("latitude"), &latitude) &&
        absl::SimpleAtod(row.Get("longitude"), &longitude)) {
      place->mutable_coordinates()->set_latitude(latitude);
      place->mutable_coordinates()->set_longitude(longitude);
    }
    const absl::string_view geo_precision =
        absl::StripAsciiWhitespace(row.Get("geo_precision"));
    if (geo_precision == "1") {
      place->set_precision(common::v1::Place::PRECISION_SETTLEMENT);
    } else if (geo_precision == "2") {
      place->set_precision(common::v1::Place::PRECISION_ADMIN2);
    } else if (geo_precision == "3") {
      place->set_precision(common::v1::Place::PRECISION_ADMIN1);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "geo_precision: 1, 2 or 3 (town, part of a region, region), not \"",
          geo_precision, "\""));
    }

    const std::string state = StateOf(row.Get("actor1"));
    if (!state.empty()) {
      incident.mutable_attribution()->mutable_party()->set_country(state);
      incident.mutable_attribution()->set_reliability(
          common::v1::Source::RELIABILITY_REPORTED);
    }

    int64_t fatalities = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(row.Get("fatalities")),
                          &fatalities) ||
        fatalities < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fatalities: \"", row.Get("fatalities"), "\" is not a count"));
    }
    // ACLED codes the most conservative report: a floor, not a total.
    auto* killed = incident.mutable_casualties()->mutable_killed();
    killed->set_low(fatalities);
    killed->set_qualifier(common::v1::Estimate::QUALIFIER_AT_LEAST);

    for (absl::string_view name :
         absl::StrSplit(row.Get("source"), ';', absl::SkipWhitespace())) {
      auto* source = incident.add_sources();
      source->set_publisher(
          Utf8Prefix(absl::StripAsciiWhitespace(name), kMaxText));
      source->set_reliability(common::v1::Source::RELIABILITY_REPORTED);
      if (incident.sources_size() >= 256) break;
    }
    if (incident.sources().empty()) {
      return absl::InvalidArgumentError("source: names no source");
    }
    incident.set_description(Utf8Prefix(notes, kMaxText));
    return PutIncident(std::move(incident), upstream, id, where, country);
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordSource>> OpenAcledSource(
    const std::string& path, const SourceOptions& options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<CsvReader> csv,
      OpenDatasetCsv(path, "an ACLED",
                     std::vector<std::string>(std::begin(kRequired),
                                              std::end(kRequired))));
  return std::make_unique<AcledSource>(std::move(csv), path, kDataset,
                                       ExportVersion(options, path));
}

}  // namespace parley::ctl
