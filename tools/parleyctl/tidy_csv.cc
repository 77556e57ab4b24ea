#include "tools/parleyctl/tidy_csv.h"

#include <cstdio>
#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "csv.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"
#include "parley/common/v1/source.pb.h"
#include "tools/parleyctl/format.h"

namespace parley::ctl {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

constexpr char kEstimate[] = "parley.common.v1.Estimate";
constexpr char kDateSpan[] = "parley.common.v1.DateSpan";
constexpr char kParty[] = "parley.common.v1.Party";
constexpr char kSource[] = "parley.common.v1.Source";
constexpr char kMetadata[] = "parley.common.v1.Metadata";
constexpr char kTimestamp[] = "google.protobuf.Timestamp";

// The message `path` leads to from `base`; null if a step is unset.
const Message* Follow(const Message* base,
                      const std::vector<const FieldDescriptor*>& path) {
  for (const FieldDescriptor* f : path) {
    if (base == nullptr || !base->GetReflection()->HasField(*base, f))
      return nullptr;
    base = &base->GetReflection()->GetMessage(*base, f);
  }
  return base;
}

std::string ScalarText(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  if (f->has_presence() && !r->HasField(m, f)) return "";
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnumValue(m, f) == 0 ? "" : EnumWord(r->GetEnum(m, f));
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(m, f) ? "true" : "false";
    default:
      return "";
  }
}

// "Kyiv Independent [reported]", "Telegram / Vladimir Medinsky (RU)
// [confirmed]": who published it, who said it, how sure it is.
std::string SourceText(const common::v1::Source& s) {
  std::string who = s.publisher();
  const std::string attributed = PartyText(s.attributed_to());
  if (!attributed.empty()) absl::StrAppend(&who, " / ", attributed);
  return absl::StrCat(
      who, " [",
      EnumWord(common::v1::Source::Reliability_descriptor()->FindValueByNumber(
          s.reliability())),
      "]");
}

std::string ClaimsCell(const common::v1::Estimate& e) {
  std::vector<std::string> claims;
  for (const auto& c : e.claims()) {
    claims.push_back(absl::StrCat(PartyText(c.claimed_by()), ": ", c.value()));
  }
  return absl::StrJoin(claims, "; ");
}

// A message in a cell of its own: "kind: power outage, affected: unknown".
std::string MessageText(const Message& m) {
  if (m.GetDescriptor()->full_name() == kParty) {
    return PartyText(static_cast<const common::v1::Party&>(m));
  }
  if (m.GetDescriptor()->full_name() == kSource) {
    return SourceText(static_cast<const common::v1::Source&>(m));
  }
  if (m.GetDescriptor()->full_name() == kEstimate) {
    return EstimateText(static_cast<const common::v1::Estimate&>(m));
  }
  std::vector<std::string> parts;
  const auto* r = m.GetReflection();
  std::vector<const FieldDescriptor*> set;
  r->ListFields(m, &set);
  for (const FieldDescriptor* f : set) {
    std::string value;
    if (f->is_repeated()) {
      std::vector<std::string> items;
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        items.push_back(f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                            ? MessageText(r->GetRepeatedMessage(m, f, i))
                        : f->cpp_type() == FieldDescriptor::CPPTYPE_STRING
                            ? r->GetRepeatedString(m, f, i)
                            : "");
      }
      value = absl::StrJoin(items, ", ");
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->message_type()->full_name() == kDateSpan) continue;
      value = MessageText(r->GetMessage(m, f));
    } else {
      value = ScalarText(m, f);
    }
    if (!value.empty()) parts.push_back(absl::StrCat(f->name(), ": ", value));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

TidyLayout::TidyLayout(const Descriptor* type, const std::string& row_field) {
  if (!row_field.empty()) row_field_ = type->FindFieldByName(row_field);
  AddColumns(type, "", {}, false, 0);
}

void TidyLayout::AddColumns(const Descriptor* type, const std::string& prefix,
                            std::vector<const FieldDescriptor*> path,
                            bool in_element, int depth) {
  auto base = [path, in_element](const Message& record,
                                 const Message* element) {
    return Follow(in_element ? element : &record, path);
  };
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    const std::string header =
        prefix.empty() ? f->name() : absl::StrCat(prefix, "_", f->name());
    const Descriptor* sub = f->message_type();
    if (f == row_field_) {
      // One row per element: its columns, read from the element.
      AddColumns(sub, "", {}, true, depth + 1);
      continue;
    }
    if (f->is_repeated()) {
      columns_.push_back(
          {header, [base, f](const Message& record, const Message* element) {
             const Message* m = base(record, element);
             if (m == nullptr) return std::string();
             const auto* r = m->GetReflection();
             std::vector<std::string> items;
             for (int k = 0; k < r->FieldSize(*m, f); ++k) {
               if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                 items.push_back(MessageText(r->GetRepeatedMessage(*m, f, k)));
               } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
                 items.push_back(r->GetRepeatedString(*m, f, k));
               } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
                 items.push_back(EnumWord(r->GetRepeatedEnum(*m, f, k)));
               }
             }
             return absl::StrJoin(items, "; ");
           }});
      continue;
    }
    if (sub == nullptr) {
      columns_.push_back(
          {header, [base, f](const Message& record, const Message* element) {
             const Message* m = base(record, element);
             return m == nullptr ? std::string() : ScalarText(*m, f);
           }});
      continue;
    }
    auto sub_path = path;
    sub_path.push_back(f);
    auto at = [sub_path, in_element](const Message& record,
                                     const Message* element) {
      return Follow(in_element ? element : &record, sub_path);
    };
    const std::string& kind = sub->full_name();
    if (kind == kMetadata) {
      for (const char* name : {"name", "revision", "update_time", "updater"}) {
        const FieldDescriptor* mf = sub->FindFieldByName(name);
        columns_.push_back(
            {name, [at, mf](const Message& record, const Message* element) {
               const Message* m = at(record, element);
               if (m == nullptr) return std::string();
               if (mf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                 return google::protobuf::util::TimeUtil::ToString(
                     static_cast<const google::protobuf::Timestamp&>(
                         m->GetReflection()->GetMessage(*m, mf)));
               }
               return ScalarText(*m, mf);
             }});
      }
      continue;
    }
    if (kind == kDateSpan) {
      // Beside the span as written: its days and precision, to sort by.
      std::string h(absl::StripSuffix(header, "_span"));
      for (const char* name : {"first_day", "last_day", "precision"}) {
        const FieldDescriptor* df = sub->FindFieldByName(name);
        columns_.push_back(
            {absl::StrCat(h, "_", name),
             [at, df](const Message& record, const Message* element) {
               const Message* m = at(record, element);
               return m == nullptr ? std::string() : ScalarText(*m, df);
             }});
      }
      continue;
    }
    if (kind == kEstimate) {
      for (const char* name : {"low", "best", "high", "qualifier"}) {
        const FieldDescriptor* ef = sub->FindFieldByName(name);
        columns_.push_back(
            {absl::StrCat(header, "_", name),
             [at, ef](const Message& record, const Message* element) {
               const Message* m = at(record, element);
               return m == nullptr ? std::string() : ScalarText(*m, ef);
             }});
      }
      columns_.push_back(
          {absl::StrCat(header, "_claims"),
           [at](const Message& record, const Message* element) {
             const Message* m = at(record, element);
             return m == nullptr
                        ? std::string()
                        : ClaimsCell(
                              static_cast<const common::v1::Estimate&>(*m));
           }});
      continue;
    }
    if (kind == kParty || kind == kSource) {
      columns_.push_back(
          {header, [at](const Message& record, const Message* element) {
             const Message* m = at(record, element);
             return m == nullptr ? std::string() : MessageText(*m);
           }});
      continue;
    }
    if (kind == kTimestamp) {
      columns_.push_back(
          {header, [at](const Message& record, const Message* element) {
             const Message* m = at(record, element);
             return m == nullptr
                        ? std::string()
                        : google::protobuf::util::TimeUtil::ToString(
                              static_cast<const google::protobuf::Timestamp&>(
                                  *m));
           }});
      continue;
    }
    if (depth < 3) AddColumns(sub, header, sub_path, in_element, depth + 1);
  }
  if (depth == 0) {
    headers_.clear();
    for (const Column& c : columns_) headers_.push_back(c.header);
  }
}

std::vector<std::vector<std::string>> TidyLayout::Rows(
    const Message& record) const {
  std::vector<const Message*> elements;
  if (row_field_ != nullptr) {
    const auto* r = record.GetReflection();
    for (int i = 0; i < r->FieldSize(record, row_field_); ++i) {
      elements.push_back(&r->GetRepeatedMessage(record, row_field_, i));
    }
  }
  // A record without a figure of its row field is still one row.
  if (elements.empty()) elements.push_back(nullptr);
  std::vector<std::vector<std::string>> rows;
  for (const Message* element : elements) {
    std::vector<std::string> cells;
    for (const Column& c : columns_) cells.push_back(c.value(record, element));
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string RowFieldOf(const std::string& record_type) {
  if (record_type == "parley.exchanges.v1.Exchange") return "transfers";
  if (record_type == "parley.exchanges.v1.Agreement") return "terms";
  return "";
}

const std::vector<std::string>& SourceHeaders() {
  static const auto* headers = new std::vector<std::string>{
      "name",      "source", "publisher",   "attributed_to", "channel",
      "published", "url",    "reliability", "excerpt"};
  return *headers;
}

std::vector<std::vector<std::string>> SourceRows(const Message& record) {
  std::vector<std::vector<std::string>> rows;
  const Descriptor* type = record.GetDescriptor();
  const FieldDescriptor* sources = type->FindFieldByName("sources");
  const FieldDescriptor* metadata = type->FindFieldByNumber(1);
  if (sources == nullptr || metadata == nullptr) return rows;
  const auto* r = record.GetReflection();
  const std::string name =
      ScalarText(r->GetMessage(record, metadata),
                 metadata->message_type()->FindFieldByName("name"));
  for (int i = 0; i < r->FieldSize(record, sources); ++i) {
    const auto& s = static_cast<const common::v1::Source&>(
        r->GetRepeatedMessage(record, sources, i));
    rows.push_back({name, absl::StrCat(i), s.publisher(),
                    PartyText(s.attributed_to()), s.channel(), s.published(),
                    s.url(),
                    EnumWord(common::v1::Source::Reliability_descriptor()
                                 ->FindValueByNumber(s.reliability())),
                    s.excerpt()});
  }
  return rows;
}

std::string EnumWord(const google::protobuf::EnumValueDescriptor* value) {
  if (value == nullptr || value->number() == 0) return "";
  // The prefix every value of the enum shares ("EXCHANGE_KIND_").
  const auto* type = value->type();
  std::string prefix = type->value(0)->name();
  prefix = prefix.substr(0, prefix.rfind("UNSPECIFIED"));
  return EnumText(value->name(), prefix);
}

int EnumFromWord(const google::protobuf::EnumDescriptor* type,
                 const std::string& word) {
  const std::string wanted(absl::StripAsciiWhitespace(word));
  if (wanted.empty()) return 0;
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* value = type->value(i);
    if (value->name() == wanted || EnumWord(value) == wanted) {
      return value->number();
    }
  }
  return -1;
}

void WriteCsvRow(std::FILE* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) std::fputc(',', out);
    // Quoted only where it must be, as spreadsheets write it.
    if (cells[i].find_first_of(",\"\r\n") == std::string::npos) {
      std::fputs(cells[i].c_str(), out);
    } else {
      csv_fwrite(out, cells[i].data(), cells[i].size());
    }
  }
  std::fputc('\n', out);
}

}  // namespace parley::ctl
