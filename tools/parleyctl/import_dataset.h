// What the readers of published datasets (ACLED, UCDP GED) share: record ids
// from upstream ids, dates in the forms exports use, a state's forces named
// in an actor, and the request that puts a row's incident whole.
#ifndef PARLEY_TOOLS_PARLEYCTL_IMPORT_DATASET_H_
#define PARLEY_TOOLS_PARLEYCTL_IMPORT_DATASET_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "tools/parleyctl/csv_reader.h"
#include "tools/parleyctl/import_source.h"

namespace parley::ctl {

// A record id from a dataset's own: "acled-" + "UKR12345" ->
// "acled-ukr12345" (lower case; anything but letters, digits and '-' as
// '-'; at most 63 characters). "" if nothing is left.
std::string DatasetId(absl::string_view prefix, absl::string_view upstream_id);

// A day as exports write it: "2024-01-15", "2024-01-15 00:00:00.000",
// "15 January 2024", "15-January-2024", "15/01/2024".
std::optional<absl::CivilDay> ParseExportDay(absl::string_view text);

// DateSpan strings: "2024-W03", "2024-01".
std::string IsoWeekOf(absl::CivilDay day);
std::string MonthOf(absl::CivilDay day);

// The country whose state forces an actor names: "Military Forces of Russia
// (2000-)", "Police Forces of Ukraine (2019-)", "Government of Russia
// (Soviet Union)" -> "RU"; "" for anyone else.
std::string StateOf(absl::string_view actor);

// A country's alpha-2 code from how datasets name it ("Russia (Soviet
// Union)", "Ukraine"); "" if unknown.
std::string CountryOf(absl::string_view name);

// At most `max` bytes of `text`, not splitting a UTF-8 sequence.
std::string Utf8Prefix(absl::string_view text, size_t max);

// A dataset's CSV export, row by row: each row a record (Read) or the
// reason it cannot be one.
class DatasetCsvSource : public RecordSource {
 public:
  DatasetCsvSource(std::unique_ptr<CsvReader> csv, std::string path,
                   std::string dataset, std::string version);

  absl::StatusOr<std::optional<ReadItem>> Next() final;
  std::string dataset() const final { return dataset_; }
  uint64_t bytes_read() const final { return csv_->bytes_read(); }
  uint64_t size() const final { return csv_->size(); }

 protected:
  // The record of one row, found at `where`.
  virtual absl::StatusOr<ImportRecord> Read(const CsvRow& row,
                                            const std::string& where) const = 0;
  // The record that puts `incident` whole under `id`, creating it if
  // missing, with its provenance (this dataset, this export, the upstream
  // id): a dataset row, so that a newer export updates only what changed.
  ImportRecord PutIncident(incidents::v1::Incident incident,
                           const std::string& upstream_id,
                           const std::string& id, const std::string& where,
                           const std::string& country) const;

 private:
  std::unique_ptr<CsvReader> csv_;
  std::string path_;
  std::string dataset_;
  std::string version_;
};

// Opens a dataset's CSV export, refusing (INVALID_ARGUMENT, naming them) one
// without the columns its rows cannot be read without.
absl::StatusOr<std::unique_ptr<CsvReader>> OpenDatasetCsv(
    const std::string& path, absl::string_view dataset_title,
    const std::vector<std::string>& required);

// The export's version: --dataset_version, else the file's name.
std::string ExportVersion(const SourceOptions& options,
                          const std::string& path);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_IMPORT_DATASET_H_
