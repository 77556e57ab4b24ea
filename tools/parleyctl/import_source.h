// What `parleyctl import` reads: records, each as the request that stores
// it, from files in one of the formats analysts have (our JSON lines and
// tidy CSV, ACLED and UCDP GED exports). One reader per format; the import
// itself (import.cc) batches what they yield.
#ifndef PARLEY_TOOLS_PARLEYCTL_IMPORT_SOURCE_H_
#define PARLEY_TOOLS_PARLEYCTL_IMPORT_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "tools/parleyctl/kinds.h"

namespace parley::ctl {

// One record to store, as read.
struct ImportRecord {
  const Kind* kind = nullptr;
  // A Create<Kind>Request (sent in BatchCreate<Kinds>), or, with `put`, an
  // UpdateIncidentRequest that puts the incident whole with allow_missing
  // (sent in BatchUpdateIncidents): a dataset's rows, so a newer export
  // updates what changed.
  std::unique_ptr<google::protobuf::Message> request;
  bool put = false;
  // Where it was read: "acled.csv:14".
  std::string where;
  // A dataset row's country (ISO 3166-1 alpha-2), for --delete_missing.
  std::string country;
  // The record's id ("acled-ukr12345"), for --delete_missing.
  std::string id;
};

// What one row gave: a record, or why it could not be one.
struct ReadItem {
  std::optional<ImportRecord> record;
  std::string where;
  std::string error;
};

struct SourceOptions {
  // provenance.version of dataset rows; the file's name if empty.
  std::string dataset_version;
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next row's record or error; nullopt at the end of the file. An
  // error status means the file cannot be read on (an unclosed quote).
  virtual absl::StatusOr<std::optional<ReadItem>> Next() = 0;
  // The dataset its rows belong to ("acled"), "" for our own formats.
  virtual std::string dataset() const { return ""; }
  // For progress: bytes read so far, and the file's size.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t size() const = 0;
};

// FORMAT is jsonl, csv, acled or ucdp-ged. NOT_FOUND if the file cannot be
// read; INVALID_ARGUMENT naming what is missing (a column) or wrong.
absl::StatusOr<std::unique_ptr<RecordSource>> OpenSource(
    const std::string& format, const std::string& path,
    const SourceOptions& options);

// One reader per format (import_jsonl.cc, import_tidy.cc, import_acled.cc,
// import_ucdp.cc).
absl::StatusOr<std::unique_ptr<RecordSource>> OpenJsonlSource(
    const std::string& path);
absl::StatusOr<std::unique_ptr<RecordSource>> OpenTidyCsvSource(
    const std::string& path);
absl::StatusOr<std::unique_ptr<RecordSource>> OpenAcledSource(
    const std::string& path, const SourceOptions& options);
absl::StatusOr<std::unique_ptr<RecordSource>> OpenUcdpGedSource(
    const std::string& path, const SourceOptions& options);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_IMPORT_SOURCE_H_
