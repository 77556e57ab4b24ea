// Tidy CSV (what `export --format csv` writes, or a spreadsheet in its
// shape) back into records: each column set on the field it is named after,
// the rows of one record (an exchange's transfers) gathered by name. Output
// only columns (resolved days, revision, update time) are read past.
// Created with a request id derived from the record, as JSON lines are, so
// importing a file again stores nothing new.
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/fingerprint.h"
#include "common/base/status.h"
#include "common/model/country_codes.h"
#include "google/protobuf/descriptor.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"
#include "parley/common/v1/source.pb.h"
#include "tools/parleyctl/client.h"
#include "tools/parleyctl/csv_reader.h"
#include "tools/parleyctl/format.h"
#include "tools/parleyctl/import_source.h"
#include "tools/parleyctl/tidy_csv.h"

namespace parley::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// How one column is read: which field of which message it sets.
struct Setter {
  std::vector<const FieldDescriptor*> path;  // to the message holding it
  const FieldDescriptor* field = nullptr;
  // For an estimate's columns: which part ("low", ..., "claims").
  std::string part;
  bool in_element = false;  // set on the row's element, not the record
  bool output_only = false;
};

common::v1::Party PartyOf(absl::string_view text) {
  common::v1::Party party;
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  const std::string upper = absl::AsciiStrToUpper(trimmed);
  if (trimmed.size() == 2 &&
      IsCountryCode(std::string_view(upper.data(), upper.size()))) {
    party.set_country(upper);
  } else {
    party.set_organization(trimmed);
  }
  return party;
}

// "Kyiv Independent [reported]", "Telegram / Vladimir Medinsky (RU)
// [confirmed]" (as tidy_csv writes a source): its publisher, who it is
// attributed to (named, with the country in parentheses), its reliability.
absl::StatusOr<common::v1::Source> SourceOf(absl::string_view text) {
  common::v1::Source source;
  text = absl::StripAsciiWhitespace(text);
  const size_t open = text.rfind(" [");
  absl::string_view who = text;
  if (open != absl::string_view::npos && absl::EndsWith(text, "]")) {
    who = text.substr(0, open);
    const std::string reliability(
        text.substr(open + 2, text.size() - open - 3));
    const int value =
        EnumFromWord(common::v1::Source::Reliability_descriptor(), reliability);
    if (value < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", reliability, "\" is no reliability"));
    }
    source.set_reliability(static_cast<common::v1::Source::Reliability>(value));
  }
  // "Publisher / Attributed", or "/ Attributed" with no publisher.
  size_t slash = who.find(" / ");
  size_t after = slash + 3;
  if (absl::StartsWith(who, "/ ")) {
    slash = 0;
    after = 2;
  }
  source.set_publisher(
      std::string(absl::StripAsciiWhitespace(who.substr(0, slash))));
  if (slash != absl::string_view::npos) {
    absl::string_view attributed =
        absl::StripAsciiWhitespace(who.substr(after));
    auto* party = source.mutable_attributed_to();
    // "Vladimir Medinsky (RU)": a name and a country.
    if (attributed.size() > 5 && absl::EndsWith(attributed, ")") &&
        attributed[attributed.size() - 5] == '(') {
      party->set_country(
          std::string(attributed.substr(attributed.size() - 4, 2)));
      attributed = absl::StripAsciiWhitespace(
          attributed.substr(0, attributed.size() - 5));
    }
    if (attributed.size() == 2 && party->country().empty()) {
      party->set_country(std::string(attributed));
    } else if (!attributed.empty()) {
      party->set_organization(std::string(attributed));
    }
  }
  return source;
}

class TidyCsvSource final : public RecordSource {
 public:
  TidyCsvSource(std::unique_ptr<CsvReader> csv, std::string path,
                const Kind* kind)
      : csv_(std::move(csv)), path_(std::move(path)), kind_(kind) {
    type_ = google::protobuf::DescriptorPool::generated_pool()
                ->FindMessageTypeByName(
                    absl::StrCat(kind_->package, ".", kind_->singular));
    const std::string row_field = RowFieldOf(type_->full_name());
    if (!row_field.empty()) row_field_ = type_->FindFieldByName(row_field);
    AddSetters(type_, "", {}, false, 0);
  }

  // Columns the file has that no field takes: refused, so a misspelt
  // header is not silently dropped.
  std::vector<std::string> Unknown() const {
    std::vector<std::string> unknown;
    for (const auto& header : csv_->headers()) {
      if (!setters_.contains(header)) unknown.push_back(header);
    }
    return unknown;
  }

  absl::StatusOr<std::optional<ReadItem>> Next() override {
    // Rows are gathered by name: read until the next record's first row.
    std::vector<CsvRow> rows;
    if (pending_.has_value()) {
      rows.push_back(*std::move(pending_));
      pending_.reset();
    }
    while (true) {
      ASSIGN_OR_RETURN(std::optional<CsvRow> row, csv_->Next());
      if (!row.has_value()) break;
      if (!rows.empty() && row->Get("name") != rows.front().Get("name")) {
        pending_ = std::move(row);
        break;
      }
      rows.push_back(*std::move(row));
      if (row_field_ == nullptr) break;  // one row per record
    }
    if (rows.empty()) return std::nullopt;
    ReadItem item;
    item.where = absl::StrCat(path_, ":", rows.front().line());
    absl::StatusOr<ImportRecord> record = Read(rows);
    if (record.ok()) {
      record->where = item.where;
      item.record = *std::move(record);
    } else {
      item.error = std::string(record.status().message());
    }
    return item;
  }

  uint64_t bytes_read() const override { return csv_->bytes_read(); }
  uint64_t size() const override { return csv_->size(); }

 private:
  void AddSetters(const Descriptor* type, const std::string& prefix,
                  std::vector<const FieldDescriptor*> path, bool in_element,
                  int depth) {
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* f = type->field(i);
      const std::string header =
          prefix.empty() ? f->name() : absl::StrCat(prefix, "_", f->name());
      const Descriptor* sub = f->message_type();
      if (f == row_field_) {
        AddSetters(sub, "", {}, true, depth + 1);
        continue;
      }
      Setter setter{path, f, "", in_element, false};
      if (f->is_repeated() || sub == nullptr) {
        setters_[header] = setter;
        continue;
      }
      const std::string& kind = sub->full_name();
      if (kind == "parley.common.v1.Metadata") {
        for (const char* name :
             {"name", "revision", "update_time", "updater"}) {
          setters_[name] = Setter{path, f, name, in_element, true};
        }
        continue;
      }
      if (kind == "parley.common.v1.DateSpan") {
        std::string h(absl::StripSuffix(header, "_span"));
        for (const char* name : {"first_day", "last_day", "precision"}) {
          setters_[absl::StrCat(h, "_", name)] =
              Setter{path, f, name, in_element, true};
        }
        continue;
      }
      if (kind == "parley.common.v1.Estimate") {
        for (const char* part :
             {"low", "best", "high", "qualifier", "claims"}) {
          setters_[absl::StrCat(header, "_", part)] =
              Setter{path, f, part, in_element, false};
        }
        continue;
      }
      if (kind == "parley.common.v1.Party" ||
          kind == "google.protobuf.Timestamp" || depth >= 3) {
        setters_[header] = setter;
        continue;
      }
      auto sub_path = path;
      sub_path.push_back(f);
      AddSetters(sub, header, sub_path, in_element, depth + 1);
    }
  }

  static Message* Reach(Message* base,
                        const std::vector<const FieldDescriptor*>& path) {
    for (const FieldDescriptor* f : path) {
      base = base->GetReflection()->MutableMessage(base, f);
    }
    return base;
  }

  // Sets one cell's value; the error names the column.
  static absl::Status Set(const Setter& s, absl::string_view cell,
                          Message* base, const std::string& column) {
    Message* m = Reach(base, s.path);
    const auto* r = m->GetReflection();
    const FieldDescriptor* f = s.field;
    const auto bad = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(column, ": \"", cell, "\" is not ", what));
    };
    if (!s.part.empty()) {  // an estimate's part
      auto* e = static_cast<common::v1::Estimate*>(r->MutableMessage(m, f));
      int64_t n = 0;
      if (s.part == "qualifier") {
        const int value = EnumFromWord(
            common::v1::Estimate::Qualifier_descriptor(), std::string(cell));
        if (value < 0) return bad("a qualifier (exact, at least, ...)");
        e->set_qualifier(static_cast<common::v1::Estimate::Qualifier>(value));
      } else if (s.part == "claims") {
        for (absl::string_view claim :
             absl::StrSplit(cell, ';', absl::SkipWhitespace())) {
          const size_t colon = claim.rfind(':');
          if (colon == absl::string_view::npos ||
              !absl::SimpleAtoi(
                  absl::StripAsciiWhitespace(claim.substr(colon + 1)), &n)) {
            return bad("claims (\"UA: 6057; RU: 6060\")");
          }
          auto* c = e->add_claims();
          c->set_value(n);
          *c->mutable_claimed_by() = PartyOf(claim.substr(0, colon));
        }
      } else if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(cell), &n)) {
        return bad("a whole number");
      } else if (s.part == "low") {
        e->set_low(n);
      } else if (s.part == "best") {
        e->set_best(n);
      } else {
        e->set_high(n);
      }
      return absl::OkStatus();
    }
    const std::string text(cell);
    if (f->is_repeated()) {
      for (absl::string_view item :
           absl::StrSplit(cell, "; ", absl::SkipWhitespace())) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          r->AddString(m, f, std::string(absl::StripAsciiWhitespace(item)));
        } else if (f->message_type() != nullptr &&
                   f->message_type()->full_name() == "parley.common.v1.Party") {
          r->AddMessage(m, f)->CopyFrom(PartyOf(item));
        } else if (f->message_type() != nullptr &&
                   f->message_type()->full_name() ==
                       "parley.common.v1.Source") {
          ASSIGN_OR_RETURN(common::v1::Source source, SourceOf(item));
          r->AddMessage(m, f)->CopyFrom(source);
        } else {
          return absl::InvalidArgumentError(
              absl::StrCat(column,
                           ": a list CSV cannot carry back; import JSON lines "
                           "(export --format jsonl) to keep it"));
        }
      }
      return absl::OkStatus();
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(m, f, text);
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int value = EnumFromWord(f->enum_type(), text);
        if (value < 0) return bad(absl::StrCat("a ", f->enum_type()->name()));
        r->SetEnumValue(m, f, value);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t n = 0;
        if (!absl::SimpleAtoi(text, &n)) return bad("a whole number");
        r->SetInt64(m, f, n);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t n = 0;
        if (!absl::SimpleAtoi(text, &n)) return bad("a whole number");
        r->SetInt32(m, f, n);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double d = 0;
        if (!absl::SimpleAtod(text, &d)) return bad("a number");
        r->SetDouble(m, f, d);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(m, f, text == "true");
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (f->message_type()->full_name() == "parley.common.v1.Party") {
          r->MutableMessage(m, f)->CopyFrom(PartyOf(text));
          return absl::OkStatus();
        }
        return absl::OkStatus();  // a timestamp: output only
      default:
        return absl::OkStatus();
    }
  }

  absl::StatusOr<ImportRecord> Read(const std::vector<CsvRow>& rows) const {
    const std::string name(
        absl::StripAsciiWhitespace(rows.front().Get("name")));
    if (KindOf(name) != kind_ || name.find('/') == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "name: \"", name, "\" is not a name of ", kind_->collection,
          " (the file's first record says what it holds)"));
    }
    std::unique_ptr<Message> record(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(type_)
            ->New());
    for (size_t k = 0; k < rows.size(); ++k) {
      Message* element = nullptr;
      if (row_field_ != nullptr) {
        element = record->GetReflection()->AddMessage(record.get(), row_field_);
      }
      for (const auto& header : csv_->headers()) {
        const absl::string_view cell = rows[k].Get(header);
        if (cell.empty()) continue;
        auto it = setters_.find(header);
        if (it == setters_.end() || it->second.output_only) continue;
        const Setter& setter = it->second;
        // A record's own columns are read from its first row.
        if (!setter.in_element && k > 0) continue;
        Message* base = setter.in_element ? element : record.get();
        if (base == nullptr) continue;
        RETURN_IF_ERROR(Set(setter, cell, base, header));
      }
    }
    const std::string id = name.substr(name.find('/') + 1);
    auto request = NewMessage(
        absl::StrCat(kind_->package, ".Create", kind_->singular, "Request"));
    const Descriptor* request_type = request->GetDescriptor();
    const auto* r = request->GetReflection();
    r->MutableMessage(request.get(), request_type->FindFieldByName(FieldName()))
        ->CopyFrom(*record);
    r->SetString(request.get(),
                 request_type->FindFieldByName(FieldName() + "_id"), id);
    r->SetString(
        request.get(), request_type->FindFieldByName("request_id"),
        absl::StrFormat("import-%016x",
                        Fingerprint64(absl::StrCat(
                            name, "\n", record->SerializeAsString()))));
    ImportRecord out;
    out.kind = kind_;
    out.id = id;
    out.request = std::move(request);
    return out;
  }

  // "exchange", "channel_status": the request field holding the record.
  std::string FieldName() const {
    std::string out;
    for (char c : kind_->request_field) {
      if (absl::ascii_isupper(c)) {
        out.push_back('_');
        out.push_back(absl::ascii_tolower(c));
      } else {
        out.push_back(c);
      }
    }
    return out;
  }

  std::unique_ptr<CsvReader> csv_;
  std::string path_;
  const Kind* kind_;
  const Descriptor* type_ = nullptr;
  const FieldDescriptor* row_field_ = nullptr;
  absl::flat_hash_map<std::string, Setter> setters_;
  std::optional<CsvRow> pending_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordSource>> OpenTidyCsvSource(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> csv, CsvReader::Open(path));
  // What the file holds, from its first record's name.
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> peek, CsvReader::Open(path));
  ASSIGN_OR_RETURN(std::optional<CsvRow> first, peek->Next());
  const Kind* kind = first.has_value() ? KindOf(first->Get("name")) : nullptr;
  if (kind == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": a tidy CSV has a name column whose first record names its "
        "kind (",
        KindNames(), ")"));
  }
  auto source = std::make_unique<TidyCsvSource>(std::move(csv), path, kind);
  if (auto unknown = source->Unknown(); !unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": columns no field of ", kind->collection,
                     " takes: ", absl::StrJoin(unknown, ", ")));
  }
  return source;
}

}  // namespace parley::ctl
