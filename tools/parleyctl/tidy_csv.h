// The tidy CSV form of records, for spreadsheets, pandas and R: one column
// per value, never JSON in a cell. Estimates are four columns (low, best,
// high, qualifier) and their claims a "UA: 6057; RU: 6060" cell; a date is
// its span as written beside its first and last day and precision; a party
// is its code or name; enums are words ("drone strike"). Where a record
// holds several figures of one kind (an exchange's transfers, an
// agreement's terms) it is one row per figure, its other columns repeated;
// other lists are one cell, "; " between items. Sources are a cell too
// ("Kyiv Independent [reported]; ..."), and in full as their own table.
#ifndef PARLEY_TOOLS_PARLEYCTL_TIDY_CSV_H_
#define PARLEY_TOOLS_PARLEYCTL_TIDY_CSV_H_

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace parley::ctl {

// How records of one type become rows.
class TidyLayout {
 public:
  // `row_field`: the repeated message field whose elements are rows
  // ("transfers"); "" for one row per record.
  TidyLayout(const google::protobuf::Descriptor* type,
             const std::string& row_field);

  const std::vector<std::string>& headers() const { return headers_; }
  // The rows of one record: cells in header order.
  std::vector<std::vector<std::string>> Rows(
      const google::protobuf::Message& record) const;

 private:
  struct Column {
    std::string header;
    // The cell, from the record and (for the row field's columns) the
    // row's element.
    std::function<std::string(const google::protobuf::Message& record,
                              const google::protobuf::Message* element)>
        value;
  };
  void AddColumns(const google::protobuf::Descriptor* type,
                  const std::string& prefix,
                  std::vector<const google::protobuf::FieldDescriptor*> path,
                  bool in_row_element, int depth);

  const google::protobuf::FieldDescriptor* row_field_ = nullptr;
  std::vector<std::string> headers_;
  std::vector<Column> columns_;
};

// The repeated field whose elements are rows, per record type:
// "transfers" for exchanges, "terms" for agreements, "" otherwise.
std::string RowFieldOf(const std::string& record_type);

// The sources table: one row per source of each record.
const std::vector<std::string>& SourceHeaders();
std::vector<std::vector<std::string>> SourceRows(
    const google::protobuf::Message& record);

// "EXCHANGE_KIND_PRISONER_EXCHANGE" -> "prisoner exchange"; and back, given
// the enum ("prisoner exchange" or the full name -> its number; -1 if
// unknown).
std::string EnumWord(const google::protobuf::EnumValueDescriptor* value);
int EnumFromWord(const google::protobuf::EnumDescriptor* type,
                 const std::string& word);

// Writes one CSV row (RFC 4180 quoting, by libcsv) to `out`.
void WriteCsvRow(std::FILE* out, const std::vector<std::string>& cells);

}  // namespace parley::ctl

#endif  // PARLEY_TOOLS_PARLEYCTL_TIDY_CSV_H_
