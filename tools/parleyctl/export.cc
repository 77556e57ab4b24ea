// parleyctl export: a filtered List, every page, as JSON lines (what import
// reads back) or CSV with one column per sortable field: dates as first and
// last day beside the original span, estimates as low/best/high/qualifier.
#include <cstdio>
#include <functional>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "parley/common/v1/date_span.pb.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/metadata.pb.h"
#include "parley/common/v1/party.pb.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/kinds.h"

ABSL_FLAG(std::string, format, "jsonl", "export format: jsonl or csv");

namespace parley::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct Column {
  std::string header;
  std::function<std::string(const Message&)> value;
};

std::string Csv(const std::string& cell) {
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  return absl::StrCat("\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\"");
}

std::string Scalar(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return f->has_presence() && !r->HasField(m, f)
                 ? ""
                 : absl::StrCat(r->GetInt64(m, f));
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

// Columns of a message type, flattened: `get` reaches the message from the
// record.
void AddColumns(const Descriptor* type, const std::string& prefix,
                std::function<const Message*(const Message&)> get,
                std::vector<Column>* columns, int depth) {
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    const std::string header =
        prefix.empty() ? f->name() : absl::StrCat(prefix, "_", f->name());
    if (f->is_repeated()) {
      // Lists stay whole, as compact JSON in one cell.
      columns->push_back(
          {header, [get, f](const Message& record) -> std::string {
             const Message* m = get(record);
             if (m == nullptr) return "";
             const int n = m->GetReflection()->FieldSize(*m, f);
             if (n == 0) return "";
             std::vector<std::string> items;
             for (int k = 0; k < n; ++k) {
               if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                 items.push_back(ToJson(
                     m->GetReflection()->GetRepeatedMessage(*m, f, k), false));
               } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
                 items.push_back(
                     nlohmann::json(
                         m->GetReflection()->GetRepeatedString(*m, f, k))
                         .dump());
               }
             }
             return absl::StrCat("[", absl::StrJoin(items, ","), "]");
           }});
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      columns->push_back({header, [get, f](const Message& record) {
                            const Message* m = get(record);
                            return m == nullptr ? std::string() : Scalar(*m, f);
                          }});
      continue;
    }
    const Descriptor* sub = f->message_type();
    auto sub_get = [get, f](const Message& record) -> const Message* {
      const Message* m = get(record);
      if (m == nullptr || !m->GetReflection()->HasField(*m, f)) return nullptr;
      return &m->GetReflection()->GetMessage(*m, f);
    };
    if (sub->full_name() == "parley.common.v1.Metadata") {
      for (const char* name : {"name", "revision", "update_time", "updater"}) {
        const FieldDescriptor* mf = sub->FindFieldByName(name);
        columns->push_back(
            {name, [sub_get, mf](const Message& record) -> std::string {
               const Message* m = sub_get(record);
               if (m == nullptr) return "";
               if (mf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                 return google::protobuf::util::TimeUtil::ToString(
                     static_cast<const google::protobuf::Timestamp&>(
                         m->GetReflection()->GetMessage(*m, mf)));
               }
               return Scalar(*m, mf);
             }});
      }
    } else if (sub->full_name() == "parley.common.v1.DateSpan") {
      // Beside the span string: its first and last day, to sort by.
      for (const char* name : {"first_day", "last_day"}) {
        const FieldDescriptor* df = sub->FindFieldByName(name);
        std::string h = header;
        absl::StrReplaceAll({{"_span", ""}}, &h);
        columns->push_back(
            {absl::StrCat(h, "_", name), [sub_get, df](const Message& record) {
               const Message* m = sub_get(record);
               return m == nullptr ? std::string() : Scalar(*m, df);
             }});
      }
    } else if (sub->full_name() == "google.protobuf.Timestamp") {
      columns->push_back(
          {header, [sub_get](const Message& record) -> std::string {
             const Message* m = sub_get(record);
             return m == nullptr
                        ? ""
                        : google::protobuf::util::TimeUtil::ToString(
                              static_cast<const google::protobuf::Timestamp&>(
                                  *m));
           }});
    } else if (depth < 3) {
      AddColumns(sub, header, sub_get, columns, depth + 1);
    }
  }
}

}  // namespace

int Export(Client& client, const std::vector<std::string>& args) {
  if (args.empty() || KindOf(args[0]) == nullptr) {
    std::fprintf(stderr, "export: name a kind (%s)\n", KindNames().c_str());
    return kUsage;
  }
  const Kind& kind = *KindOf(args[0]);
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "jsonl" && format != "csv") {
    std::fprintf(stderr, "export: --format is jsonl or csv, not \"%s\"\n",
                 format.c_str());
    return kUsage;
  }
  nlohmann::json filters = nlohmann::json::object();
  for (size_t i = 1; i < args.size(); ++i) {
    const size_t eq = args[i].find('=');
    if (eq == std::string::npos) {
      std::fprintf(
          stderr, "export: filters are key=value (span=2026-W05), not \"%s\"\n",
          args[i].c_str());
      return kUsage;
    }
    filters[args[i].substr(0, eq)] = args[i].substr(eq + 1);
  }
  auto request =
      NewMessage(absl::StrCat(kind.package, ".List", kind.plural, "Request"));
  if (request == nullptr) {
    std::fprintf(stderr, "export: request type not linked in\n");
    return kFailed;
  }
  if (absl::Status s = FromJson(filters.dump(), request.get()); !s.ok()) {
    std::fprintf(stderr, "export: bad filter: %s\n",
                 std::string(s.message()).c_str());
    return kUsage;
  }
  const auto* record_type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          absl::StrCat(kind.package, ".", kind.singular));
  std::vector<Column> columns;
  AddColumns(
      record_type, "", [](const Message& m) { return &m; }, &columns, 0);
  if (format == "csv") {
    std::vector<std::string> headers;
    for (const auto& c : columns) headers.push_back(c.header);
    std::printf("%s\n", absl::StrJoin(headers, ",").c_str());
  }
  const auto* request_type = request->GetDescriptor();
  const auto* page_size = request_type->FindFieldByName("page_size");
  const auto* page_token = request_type->FindFieldByName("page_token");
  request->GetReflection()->SetInt32(request.get(), page_size, 500);
  while (true) {
    auto response =
        client.Call(kind.service, absl::StrCat("List", kind.plural), *request);
    if (!response.ok()) {
      std::fprintf(stderr, "export: %s\n",
                   response.status().ToString().c_str());
      return ExitCodeFor(response.status());
    }
    const Message& page = **response;
    const auto* items = page.GetDescriptor()->field(0);
    for (int i = 0; i < page.GetReflection()->FieldSize(page, items); ++i) {
      const Message& record =
          page.GetReflection()->GetRepeatedMessage(page, items, i);
      if (format == "jsonl") {
        std::printf("%s\n", ToJson(record, false).c_str());
      } else {
        std::vector<std::string> cells;
        for (const auto& c : columns) cells.push_back(Csv(c.value(record)));
        std::printf("%s\n", absl::StrJoin(cells, ",").c_str());
      }
    }
    const std::string next = page.GetReflection()->GetString(
        page, page.GetDescriptor()->FindFieldByName("next_page_token"));
    if (next.empty()) break;
    request->GetReflection()->SetString(request.get(), page_token, next);
  }
  return kOk;
}

}  // namespace parley::ctl
