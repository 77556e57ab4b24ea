// JSON lines as the API writes them (what `export --format jsonl` prints):
// each line one record, named by metadata.name, created with a request id
// derived from its content, so importing a file again stores nothing new.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/fingerprint.h"
#include "common/base/status.h"
#include "nlohmann/json.hpp"
#include "tools/parleyctl/client.h"
#include "tools/parleyctl/import_source.h"

namespace parley::ctl {
namespace {

class JsonlSource final : public RecordSource {
 public:
  absl::Status Open(const std::string& path) {
    path_ = path;
    in_.open(path, std::ios::binary);
    if (!in_) {
      return absl::NotFoundError(absl::StrCat(path, ": cannot read the file"));
    }
    std::error_code error;
    size_ = std::filesystem::file_size(path, error);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<ReadItem>> Next() override {
    std::string line;
    while (std::getline(in_, line)) {
      ++line_;
      bytes_read_ += line.size() + 1;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      ReadItem item;
      item.where = absl::StrCat(path_, ":", line_);
      absl::StatusOr<ImportRecord> record = Read(line);
      if (record.ok()) {
        record->where = item.where;
        item.record = *std::move(record);
      } else {
        item.error = std::string(record.status().message());
      }
      return item;
    }
    return std::nullopt;
  }

  uint64_t bytes_read() const override { return bytes_read_; }
  uint64_t size() const override { return size_; }

 private:
  static absl::StatusOr<ImportRecord> Read(const std::string& line) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
      return absl::InvalidArgumentError("not a JSON object");
    }
    if (!record.contains("metadata") || !record["metadata"].contains("name") ||
        !record["metadata"]["name"].is_string()) {
      return absl::InvalidArgumentError(
          "a record needs metadata.name, e.g. {\"metadata\": {\"name\": "
          "\"agreements/istanbul-2025\"}, ...}");
    }
    const std::string name = record["metadata"]["name"];
    const Kind* kind = KindOf(name);
    if (kind == nullptr || name.find('/') == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", name, "\" names no known kind (", KindNames(), ")"));
    }
    record.erase("metadata");
    const std::string id = name.substr(name.find('/') + 1);
    nlohmann::json request = {
        {kind->request_field, record},
        {kind->request_field + "Id", id},
        // Same record, same id: a second import is a retry, not a duplicate.
        {"requestId",
         absl::StrFormat("import-%016x", Fingerprint64(absl::StrCat(
                                             name, "\n", record.dump())))}};
    ImportRecord out;
    out.kind = kind;
    out.id = id;
    out.request = NewMessage(
        absl::StrCat(kind->package, ".Create", kind->singular, "Request"));
    if (out.request == nullptr) {
      return absl::InternalError("request type not linked in");
    }
    RETURN_IF_ERROR(FromJson(request.dump(), out.request.get()));
    return out;
  }

  std::string path_;
  std::ifstream in_;
  int64_t line_ = 0;
  uint64_t bytes_read_ = 0;
  uint64_t size_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordSource>> OpenJsonlSource(
    const std::string& path) {
  auto source = std::make_unique<JsonlSource>();
  RETURN_IF_ERROR(source->Open(path));
  return source;
}

absl::StatusOr<std::unique_ptr<RecordSource>> OpenSource(
    const std::string& format, const std::string& path,
    const SourceOptions& options) {
  if (format == "jsonl") return OpenJsonlSource(path);
  if (format == "csv") return OpenTidyCsvSource(path);
  if (format == "acled") return OpenAcledSource(path, options);
  if (format == "ucdp-ged") return OpenUcdpGedSource(path, options);
  return absl::InvalidArgumentError(absl::StrCat(
      "--format is jsonl, csv, acled or ucdp-ged, not \"", format, "\""));
}

}  // namespace parley::ctl
