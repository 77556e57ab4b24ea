// UCDP GED CSV (id, date_start, date_end, date_prec, where_prec, adm_1,
// best, low, high, deaths_civilians, side_a, source_article, ...) as
// incidents, by UCDP's codebook:
// - date_start .. date_end is the span (a day, a week or month when it is
//   one exactly, else a range); its precision is the span's;
// - low / best / high are the killed Estimate; deaths_civilians the
//   civilians killed, deaths_a + deaths_b the combatants (parts of best);
// - where_prec 1 is the exact place, 2 within 25 km (a settlement), 3 the
//   second-order division, 4 the first, 5 a line or route (first order),
//   6 the country, 7 international waters (country);
// - side_a is the attributed party where it is a state's government;
// - source_article names articles separated by ';': one Source each;
// - id becomes the record id ("ucdp-ged-552031") and, with the release,
//   its provenance.
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/status.h"
#include "common/model/date_span.h"
#include "parley/incidents/v1/incident.pb.h"
#include "tools/parleyctl/csv_reader.h"
#include "tools/parleyctl/import_dataset.h"
#include "tools/parleyctl/import_source.h"

namespace parley::ctl {
namespace {

using common::v1::Estimate;
using incidents::v1::Incident;

constexpr char kDataset[] = "ucdp-ged";
constexpr size_t kMaxText = 4096;

constexpr const char* kRequired[] = {
    "id",   "date_start", "date_end", "where_prec",      "country",
    "best", "low",        "high",     "type_of_violence"};

// The span `first` .. `last` in its most natural DateSpan form.
std::string SpanText(absl::CivilDay first, absl::CivilDay last) {
  if (first == last) return FormatDay(first);
  const absl::CivilDay month(first.year(), first.month(), 1);
  if (first == month &&
      last == absl::CivilDay(absl::CivilMonth(month) + 1) - 1) {
    return MonthOf(first);
  }
  if (absl::GetWeekday(first) == absl::Weekday::monday && last == first + 6) {
    return IsoWeekOf(first);
  }
  return absl::StrCat(FormatDay(first), "/", FormatDay(last));
}

// A count from a cell ("12", "12.0"); nullopt if it is not one.
std::optional<int64_t> Count(absl::string_view cell) {
  double value = 0;
  cell = absl::StripAsciiWhitespace(cell);
  if (cell.empty() || !absl::SimpleAtod(cell, &value) || value < 0 ||
      value > 1e12) {
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

class UcdpGedSource final : public DatasetCsvSource {
 public:
  using DatasetCsvSource::DatasetCsvSource;

 private:
  absl::StatusOr<ImportRecord> Read(const CsvRow& row,
                                    const std::string& where) const override {
    const std::string upstream(absl::StripAsciiWhitespace(row.Get("id")));
    const std::string id = DatasetId("ucdp-ged-", upstream);
    if (id.empty()) return absl::InvalidArgumentError("id: empty");
    Incident incident;
    auto first = ParseExportDay(row.Get("date_start"));
    auto last = ParseExportDay(row.Get("date_end"));
    if (!first.has_value() || !last.has_value() || *last < *first) {
      return absl::InvalidArgumentError(absl::StrCat(
          "date_start/date_end: \"", row.Get("date_start"), "\" .. \"",
          row.Get("date_end"), "\" is not a span of days"));
    }
    incident.set_occurred(SpanText(*first, *last));
    incident.set_occurrence(common::v1::OCCURRENCE_ONCE);

    const absl::string_view violence =
        absl::StripAsciiWhitespace(row.Get("type_of_violence"));
    const char* kind_text = violence == "1"   ? "State-based violence"
                            : violence == "2" ? "Non-state violence"
                            : violence == "3" ? "One-sided violence"
                                              : nullptr;
    if (kind_text == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("type_of_violence: 1, 2 or 3, not \"", violence, "\""));
    }
    // UCDP says who fought, not with what.
    incident.set_kind(incidents::v1::INCIDENT_KIND_OTHER);
    incident.set_target(incidents::v1::TARGET_CATEGORY_OTHER);
    const absl::string_view settlement = row.Get("where_coordinates");
    incident.set_title(Utf8Prefix(
        settlement.empty() ? std::string(kind_text)
                           : absl::StrCat(kind_text, " at ", settlement),
        kMaxText));

    auto* place = incident.mutable_place();
    const std::string country = CountryOf(row.Get("country"));
    if (country.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "country: \"", row.Get("country"), "\" is no ISO 3166-1 country"));
    }
    place->set_country(country);
    place->set_admin1(Utf8Prefix(row.Get("adm_1"), kMaxText));
    place->set_admin2(Utf8Prefix(row.Get("adm_2"), kMaxText));
    place->set_settlement(Utf8Prefix(settlement, kMaxText));
    double latitude = 0, longitude = 0;
    if (absl::SimpleAtod(row.Get("latitude"), &latitude) &&
        absl::SimpleAtod(row.Get("longitude"), &longitude)) {
      place->mutable_coordinates()->set_latitude(latitude);
      place->mutable_coordinates()->set_longitude(longitude);
    }
    const absl::string_view where_prec =
        absl::StripAsciiWhitespace(row.Get("where_prec"));
    using P = common::v1::Place;
    const P::Precision precision =
        where_prec == "1"                        ? P::PRECISION_EXACT
        : where_prec == "2"                      ? P::PRECISION_SETTLEMENT
        : where_prec == "3"                      ? P::PRECISION_ADMIN2
        : where_prec == "4" || where_prec == "5" ? P::PRECISION_ADMIN1
        : where_prec == "6" || where_prec == "7" ? P::PRECISION_COUNTRY
                                                 : P::PRECISION_UNSPECIFIED;
    if (precision == P::PRECISION_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("where_prec: 1 to 7, not \"", where_prec, "\""));
    }
    place->set_precision(precision);

    const std::string state = StateOf(row.Get("side_a"));
    if (!state.empty()) {
      incident.mutable_attribution()->mutable_party()->set_country(state);
      incident.mutable_attribution()->set_reliability(
          common::v1::Source::RELIABILITY_REPORTED);
    }

    const auto low = Count(row.Get("low"));
    const auto best = Count(row.Get("best"));
    const auto high = Count(row.Get("high"));
    if (!low.has_value() || !best.has_value() || !high.has_value() ||
        *low > *best || *best > *high) {
      return absl::InvalidArgumentError(absl::StrCat(
          "low/best/high: \"", row.Get("low"), "\" <= \"", row.Get("best"),
          "\" <= \"", row.Get("high"), "\" are not counts in order"));
    }
    auto* casualties = incident.mutable_casualties();
    auto* killed = casualties->mutable_killed();
    killed->set_low(*low);
    killed->set_best(*best);
    killed->set_high(*high);
    killed->set_qualifier(*low == *high ? Estimate::QUALIFIER_EXACT
                                        : Estimate::QUALIFIER_ABOUT);
    // Parts of the best estimate: who the dead were, where UCDP says.
    if (auto civilians = Count(row.Get("deaths_civilians"))) {
      casualties->mutable_killed_civilian()->set_best(*civilians);
      casualties->mutable_killed_civilian()->set_qualifier(
          Estimate::QUALIFIER_ABOUT);
    }
    const auto side_a = Count(row.Get("deaths_a"));
    const auto side_b = Count(row.Get("deaths_b"));
    if (side_a.has_value() && side_b.has_value()) {
      casualties->mutable_killed_military()->set_best(*side_a + *side_b);
      casualties->mutable_killed_military()->set_qualifier(
          Estimate::QUALIFIER_ABOUT);
    }

    for (absl::string_view article : absl::StrSplit(
             row.Get("source_article"), ';', absl::SkipWhitespace())) {
      article = absl::StripAsciiWhitespace(article);
      auto* source = incident.add_sources();
      // "Kyiv Independent,2022-03-01,Title": the publisher comes first.
      source->set_publisher(Utf8Prefix(
          absl::StripAsciiWhitespace(article.substr(0, article.find(','))),
          kMaxText));
      source->set_excerpt(Utf8Prefix(article, kMaxText));
      source->set_reliability(common::v1::Source::RELIABILITY_REPORTED);
      if (incident.sources_size() >= 256) break;
    }
    if (incident.sources().empty()) {
      // UCDP codes from sources it does not always name in the export.
      auto* source = incident.add_sources();
      source->set_publisher("UCDP GED");
      source->set_reliability(common::v1::Source::RELIABILITY_REPORTED);
    }
    incident.set_description(
        Utf8Prefix(absl::StrCat(kind_text, "; ", row.Get("conflict_name"), "; ",
                                row.Get("dyad_name")),
                   kMaxText));
    return PutIncident(std::move(incident), upstream, id, where, country);
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordSource>> OpenUcdpGedSource(
    const std::string& path, const SourceOptions& options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<CsvReader> csv,
      OpenDatasetCsv(path, "a UCDP GED",
                     std::vector<std::string>(std::begin(kRequired),
                                              std::end(kRequired))));
  return std::make_unique<UcdpGedSource>(std::move(csv), path, kDataset,
                                         ExportVersion(options, path));
}

}  // namespace parley::ctl
