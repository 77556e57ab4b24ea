// parleyctl export: a filtered List, every page, as JSON lines (what import
// reads back) or tidy CSV (tools/parleyctl/tidy_csv.h: one row per figure,
// one column per value), with the sources as a table of their own.
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
#include "tools/parleyctl/tidy_csv.h"

ABSL_FLAG(std::string, format, "",
          "export and import: jsonl (the default) or csv; import also reads "
          "acled and ucdp-ged; chart: svg (the default), png or vega-lite");
ABSL_FLAG(std::string, sources_out, "",
          "export --format csv: also write the records' sources, one row "
          "each, to this CSV file");

namespace parley::ctl {

using google::protobuf::Message;

int Export(Client& client, const std::vector<std::string>& args) {
  if (args.empty() || KindOf(args[0]) == nullptr) {
    std::fprintf(stderr, "export: name a kind (%s)\n", KindNames().c_str());
    return kUsage;
  }
  const Kind& kind = *KindOf(args[0]);
  std::string format = absl::GetFlag(FLAGS_format);
  if (format.empty()) format = "jsonl";
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
  const TidyLayout layout(record_type, RowFieldOf(record_type->full_name()));
  std::FILE* sources = nullptr;
  const std::string sources_out = absl::GetFlag(FLAGS_sources_out);
  if (format == "csv") {
    WriteCsvRow(stdout, layout.headers());
    if (!sources_out.empty()) {
      sources = std::fopen(sources_out.c_str(), "w");
      if (sources == nullptr) {
        std::fprintf(stderr, "export: cannot write %s\n", sources_out.c_str());
        return kNoFile;
      }
      WriteCsvRow(sources, SourceHeaders());
    }
  }
  struct Closer {
    std::FILE* file;
    ~Closer() {
      if (file != nullptr) std::fclose(file);
    }
  } closer{sources};
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
        continue;
      }
      for (const auto& row : layout.Rows(record)) WriteCsvRow(stdout, row);
      if (sources != nullptr) {
        for (const auto& row : SourceRows(record)) WriteCsvRow(sources, row);
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
