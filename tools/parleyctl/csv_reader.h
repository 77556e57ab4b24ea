// CSV files read with libcsv (RFC 4180: quoted fields may hold commas,
// quotes and line breaks), row by row, each row's cells by header name, and
// where in the file it was, for messages that name the row.
#ifndef PARLEY_TOOLS_PARLEYCTL_CSV_READER_H_
#define PARLEY_TOOLS_PARLEYCTL_CSV_READER_H_

#include <cstdint>
#include <deque>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "csv.h"

namespace parley::ctl {

// One row: its cells, and the line of the file it starts on.
class CsvRow {
 public:
  // The cell under `header`; "" if the file has no such column or the row
  // is short.
  absl::string_view Get(absl::string_view header) const;
  bool Has(absl::string_view header) const;
  int64_t line() const { return line_; }

 private:
  friend class CsvReader;
  const absl::flat_hash_map<std::string, size_t>* columns_ = nullptr;
  std::vector<std::string> cells_;
  int64_t line_ = 0;
};

class CsvReader {
 public:
  // Opens `path` and reads its header row. NOT_FOUND if it cannot be read;
  // INVALID_ARGUMENT if it has no header.
  static absl::StatusOr<std::unique_ptr<CsvReader>> Open(
      const std::string& path);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;
  ~CsvReader();

  const std::vector<std::string>& headers() const { return headers_; }
  // The next row; nullopt at the end. INVALID_ARGUMENT, naming the line,
  // for a malformed file (an unclosed quote).
  absl::StatusOr<std::optional<CsvRow>> Next();
  // Bytes read so far, and the file's size: for progress.
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t size() const { return size_; }

 private:
  CsvReader() = default;
  // Feeds lines to libcsv until a row is complete or the file ends.
  absl::Status Fill();
  static void OnField(void* data, size_t size, void* self);
  static void OnRow(int terminator, void* self);

  std::ifstream in_;
  csv_parser parser_{};
  bool parser_ready_ = false;
  bool at_end_ = false;
  uint64_t bytes_read_ = 0;
  uint64_t size_ = 0;
  int64_t line_ = 0;       // lines fed so far
  int64_t row_start_ = 1;  // the line the row being parsed started on
  std::vector<std::string> current_;
  std::deque<CsvRow> ready_;
  std::vector<std::string> headers_;
  absl::flat_hash_map<std::string, size_t> columns_;
};

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_CSV_READER_H_
