#include "tools/parleyctl/import_dataset.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/base/status.h"
#include "common/model/country_codes.h"
#include "common/model/date_span.h"
#include "tools/parleyctl/kinds.h"

namespace parley::ctl {

std::string DatasetId(absl::string_view prefix, absl::string_view upstream_id) {
  std::string id = absl::AsciiStrToLower(
      absl::StrCat(prefix, absl::StripAsciiWhitespace(upstream_id)));
  for (char& c : id) {
    if (!absl::ascii_isalnum(c) && c != '-') c = '-';
  }
  if (id.size() > 63) id.resize(63);
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id == absl::AsciiStrToLower(prefix) ? "" : id;
}

std::optional<absl::CivilDay> ParseExportDay(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::CivilDay day;
  // "2024-01-15", with or without a time after it.
  if (text.size() >= 10 && absl::ParseCivilTime(text.substr(0, 10), &day) &&
      (text.size() == 10 || text[10] == ' ' || text[10] == 'T')) {
    return day;
  }
  for (const char* format : {"%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d-%m-%Y"}) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &time, &error)) {
      return absl::ToCivilDay(time, absl::UTCTimeZone());
    }
  }
  return std::nullopt;
}

std::string IsoWeekOf(absl::CivilDay day) {
  // The week's Thursday names its year; week 1 holds 4 January.
  const int weekday = static_cast<int>(absl::GetWeekday(day));  // Monday 0
  const absl::CivilDay thursday = day + (3 - weekday);
  const absl::CivilDay jan4(thursday.year(), 1, 4);
  const absl::CivilDay week1 = jan4 - static_cast<int>(absl::GetWeekday(jan4));
  return absl::StrFormat("%04d-W%02d", thursday.year(), (day - week1) / 7 + 1);
}

std::string MonthOf(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d", day.year(), day.month());
}

namespace {

// "Russia (Soviet Union)" -> "Russia"; "Ukraine (2019-)" -> "Ukraine".
absl::string_view WithoutParenthesis(absl::string_view text) {
  const size_t open = text.find(" (");
  if (open != absl::string_view::npos) text = text.substr(0, open);
  return absl::StripAsciiWhitespace(text);
}

}  // namespace

std::string StateOf(absl::string_view actor) {
  for (const char* prefix :
       {"Military Forces of ", "Police Forces of ", "Government of ",
        "Naval Forces of ", "Air Forces of "}) {
    if (absl::StartsWith(actor, prefix)) {
      return CountryOf(actor.substr(strlen(prefix)));
    }
  }
  return "";
}

std::string CountryOf(absl::string_view name) {
  const absl::string_view bare = WithoutParenthesis(name);
  const std::string code =
      CountryCodeOfName(std::string_view(bare.data(), bare.size()));
  if (!code.empty()) return code;
  // "Russia (Soviet Union)": the name in parentheses is an older one.
  return CountryCodeOfName(std::string_view(name.data(), name.size()));
}

std::string Utf8Prefix(absl::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return std::string(text.substr(0, end));
}

DatasetCsvSource::DatasetCsvSource(std::unique_ptr<CsvReader> csv,
                                   std::string path, std::string dataset,
                                   std::string version)
    : csv_(std::move(csv)),
      path_(std::move(path)),
      dataset_(std::move(dataset)),
      version_(std::move(version)) {}

absl::StatusOr<std::optional<ReadItem>> DatasetCsvSource::Next() {
  ASSIGN_OR_RETURN(std::optional<CsvRow> row, csv_->Next());
  if (!row.has_value()) return std::nullopt;
  ReadItem item;
  item.where = absl::StrCat(path_, ":", row->line());
  absl::StatusOr<ImportRecord> record = Read(*row, item.where);
  if (record.ok()) {
    item.record = *std::move(record);
  } else {
    item.error = std::string(record.status().message());
  }
  return item;
}

absl::StatusOr<std::unique_ptr<CsvReader>> OpenDatasetCsv(
    const std::string& path, absl::string_view dataset_title,
    const std::vector<std::string>& required) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> csv, CsvReader::Open(path));
  std::vector<std::string> missing;
  for (const std::string& column : required) {
    if (std::find(csv->headers().begin(), csv->headers().end(), column) ==
        csv->headers().end()) {
      missing.push_back(column);
    }
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not ", dataset_title, " export: no column ",
                     absl::StrJoin(missing, ", ")));
  }
  return csv;
}

std::string ExportVersion(const SourceOptions& options,
                          const std::string& path) {
  if (!options.dataset_version.empty()) return options.dataset_version;
  return std::filesystem::path(path).filename().string();
}

ImportRecord DatasetCsvSource::PutIncident(incidents::v1::Incident incident,
                                           const std::string& upstream_id,
                                           const std::string& id,
                                           const std::string& where,
                                           const std::string& country) const {
  auto* provenance = incident.mutable_provenance();
  provenance->set_dataset(dataset_);
  provenance->set_version(version_);
  provenance->set_upstream_id(upstream_id);
  auto request = std::make_unique<incidents::v1::UpdateIncidentRequest>();
  incident.mutable_metadata()->set_name(absl::StrCat("incidents/", id));
  *request->mutable_incident() = std::move(incident);
  request->mutable_update_mask()->add_paths("*");
  request->set_allow_missing(true);
  ImportRecord record;
  record.kind = KindOf("incidents");
  record.request = std::move(request);
  record.put = true;
  record.where = where;
  record.country = country;
  record.id = id;
  return record;
}

}  // namespace parley::ctl
