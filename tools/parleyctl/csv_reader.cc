#include "tools/parleyctl/csv_reader.h"

#include <filesystem>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status.h"

namespace parley::ctl {

absl::string_view CsvRow::Get(absl::string_view header) const {
  auto it = columns_->find(header);
  if (it == columns_->end() || it->second >= cells_.size()) return "";
  return cells_[it->second];
}

bool CsvRow::Has(absl::string_view header) const {
  return columns_->contains(header);
}

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(
    const std::string& path) {
  std::unique_ptr<CsvReader> reader(new CsvReader());
  reader->in_.open(path, std::ios::binary);
  if (!reader->in_) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot read the file"));
  }
  std::error_code error;
  reader->size_ = std::filesystem::file_size(path, error);
  if (csv_init(&reader->parser_, CSV_APPEND_NULL) != 0) {
    return absl::ResourceExhaustedError("cannot set up the CSV parser");
  }
  reader->parser_ready_ = true;
  ASSIGN_OR_RETURN(std::optional<CsvRow> header, reader->Next());
  if (!header.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": empty; a CSV file starts with its header row"));
  }
  for (std::string& name : header->cells_) {
    // A byte-order mark before the first header, as spreadsheets write it.
    if (reader->headers_.empty() && absl::StartsWith(name, "\xEF\xBB\xBF")) {
      name = name.substr(3);
    }
    std::string key(absl::StripAsciiWhitespace(name));
    reader->columns_.emplace(key, reader->headers_.size());
    reader->headers_.push_back(std::move(key));
  }
  return reader;
}

CsvReader::~CsvReader() {
  if (parser_ready_) csv_free(&parser_);
}

void CsvReader::OnField(void* data, size_t size, void* self) {
  auto* reader = static_cast<CsvReader*>(self);
  reader->current_.emplace_back(static_cast<const char*>(data), size);
}

void CsvReader::OnRow(int terminator, void* self) {
  auto* reader = static_cast<CsvReader*>(self);
  CsvRow row;
  row.columns_ = &reader->columns_;
  row.cells_ = std::move(reader->current_);
  row.line_ = reader->row_start_;
  reader->current_.clear();
  // A lone carriage return ends a row inside a line (line ends, CRLF
  // included, reach the parser as '\n'): the next row starts on this line.
  reader->row_start_ = terminator == '\r' ? reader->line_ : reader->line_ + 1;
  // A blank line is no row.
  if (row.cells_.size() == 1 && row.cells_[0].empty()) return;
  reader->ready_.push_back(std::move(row));
}

absl::Status CsvReader::Fill() {
  std::string line;
  while (ready_.empty() && !at_end_) {
    if (!std::getline(in_, line)) {
      at_end_ = true;
      if (csv_fini(&parser_, OnField, OnRow, this) != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("row from line ", row_start_,
                         " is cut off: a quoted cell is never closed"));
      }
      break;
    }
    ++line_;
    bytes_read_ += line.size() + 1;
    // CRLF is a line end, as LF is (in a quoted cell too).
    if (!line.empty() && line.back() == '\r') line.pop_back();
    line.push_back('\n');
    if (csv_parse(&parser_, line.data(), line.size(), OnField, OnRow, this) !=
        line.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line_, ": ", csv_strerror(csv_error(&parser_))));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<CsvRow>> CsvReader::Next() {
  RETURN_IF_ERROR(Fill());
  if (ready_.empty()) return std::nullopt;
  CsvRow row = std::move(ready_.front());
  ready_.pop_front();
  return row;
}

}  // namespace parley::ctl
