// What `parleyctl import` reads (tools/parleyctl/import_*.cc): JSON lines,
// tidy CSV, ACLED and UCDP GED exports, row by row. Input: one byte picks
// the format (jsonl, csv, acled, ucdp-ged), the rest is the file.
//
// Properties: opening refuses a file it cannot read with INVALID_ARGUMENT;
// every row read is a record or an error, never both and never neither; a
// record is a whole request of the kind it names, with its `where`
// ("file:line", the line within the file); an error says where and why;
// a stream error ends the file; nothing loops (rows <= row ends + 1); a
// row's line is one of the file's.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/fuzz/fuzz_input.h"
#include "tools/parleyctl/import_source.h"

namespace {

// One file per process, rewritten for every input.
const std::string& InputPath() {
  static const std::string path =
      absl::StrCat(P_tmpdir, "/parley-import-fuzz-", getpid(), ".in");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::fuzz::FuzzInput in(data, size);
  static const char* const kFormats[] = {"jsonl", "csv", "acled", "ucdp-ged"};
  const std::string format = kFormats[in.TakeByte() % 4];
  const absl::string_view body = in.Rest();
  {
    std::ofstream out(InputPath(), std::ios::binary | std::ios::trunc);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
  }
  parley::ctl::SourceOptions options;
  auto source = parley::ctl::OpenSource(format, InputPath(), options);
  if (!source.ok()) {
    PARLEY_FUZZ_CHECK(
        source.status().code() == absl::StatusCode::kInvalidArgument,
        source.status().ToString());
    return 0;
  }
  const size_t lines =
      static_cast<size_t>(std::count(body.begin(), body.end(), '\n'));
  // A CSV row may also end at a lone carriage return, inside a line.
  const size_t row_ends =
      lines + static_cast<size_t>(std::count(body.begin(), body.end(), '\r'));
  size_t rows = 0;
  while (true) {
    auto item = (*source)->Next();
    if (!item.ok()) {
      PARLEY_FUZZ_CHECK(
          item.status().code() == absl::StatusCode::kInvalidArgument,
          item.status().ToString());
      break;
    }
    if (!item->has_value()) break;
    ++rows;
    PARLEY_FUZZ_CHECK(rows <= row_ends + 1,
                      absl::StrCat(rows, " rows of ", row_ends, " row ends"));
    const parley::ctl::ReadItem& row = **item;
    PARLEY_FUZZ_CHECK(row.record.has_value() != !row.error.empty(),
                      absl::StrCat(row.where, ": ", row.error));
    PARLEY_FUZZ_CHECK(absl::StartsWith(row.where, InputPath()) ||
                          absl::StrContains(row.where, "parley-import-fuzz-"),
                      row.where);
    const size_t colon = row.where.rfind(':');
    int line = 0;
    PARLEY_FUZZ_CHECK(
        colon != std::string::npos &&
            absl::SimpleAtoi(row.where.substr(colon + 1), &line) && line >= 1 &&
            static_cast<size_t>(line) <= lines + 1,
        row.where);
    if (row.record.has_value()) {
      const parley::ctl::ImportRecord& record = *row.record;
      PARLEY_FUZZ_CHECK(record.kind != nullptr && record.request != nullptr,
                        row.where);
      const std::string type = record.request->GetDescriptor()->name();
      PARLEY_FUZZ_CHECK(record.put ? type == "UpdateIncidentRequest"
                                   : absl::StartsWith(type, "Create"),
                        type);
      PARLEY_FUZZ_CHECK(record.request->IsInitialized(), type);
    }
  }
  return 0;
}
