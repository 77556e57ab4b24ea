// parleyctl import: loads JSON-lines records through the public API. Each
// line is one record as the API writes it (what `export --format jsonl`
// prints), named by `metadata.name`. Request ids derive from each record, so
// running an import again stores nothing new; a bad line is reported with
// its file, line and the server's field errors, and the good lines still
// load.
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/fingerprint.h"
#include "common/base/status.h"
#include "nlohmann/json.hpp"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/kinds.h"

namespace parley::ctl {
namespace {

void PrintError(const std::string& where, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s: %s\n", where.c_str(),
               absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  google::rpc::BadRequest bad;
  if (GetBadRequest(status, &bad)) {
    for (const auto& v : bad.field_violations()) {
      std::fprintf(stderr, "    %s: %s\n", v.field().c_str(),
                   v.description().c_str());
    }
  }
}

// Creates one record; OK if it was created now or by an earlier import of
// the same line.
absl::Status ImportRecord(Client& client, nlohmann::json record) {
  if (!record.is_object() || !record.contains("metadata") ||
      !record["metadata"].contains("name") ||
      !record["metadata"]["name"].is_string()) {
    return absl::InvalidArgumentError(
        "a record needs metadata.name, e.g. {\"metadata\": {\"name\": "
        "\"agreements/istanbul-2025\"}, ...}");
  }
  const std::string name = record["metadata"]["name"];
  const Kind* kind = KindOf(name);
  if (kind == nullptr || name.find('/') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name, "\" names no known kind (", KindNames(), ")"));
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
  auto message = NewMessage(
      absl::StrCat(kind->package, ".Create", kind->singular, "Request"));
  if (message == nullptr)
    return absl::InternalError("request type not linked in");
  RETURN_IF_ERROR(FromJson(request.dump(), message.get()));
  return client
      .Call(kind->service, absl::StrCat("Create", kind->singular), *message)
      .status();
}

}  // namespace

int Import(Client& client, const std::vector<std::string>& files) {
  if (files.empty()) {
    std::fprintf(stderr, "import: name at least one JSON-lines file\n");
    return kUsage;
  }
  int stored = 0, failed = 0;
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read the file\n", file.c_str());
      return kNoFile;
    }
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = absl::StrCat(file, ":", number);
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded()) {
        PrintError(where, absl::InvalidArgumentError("not a JSON object"));
        ++failed;
        continue;
      }
      absl::Status status = ImportRecord(client, std::move(record));
      if (status.ok()) {
        ++stored;
        continue;
      }
      const int code = ExitCodeFor(status);
      if (code == kUnreachable || code == kUnauthorized) {
        PrintError(absl::StrCat("gateway ", client.address()), status);
        return code;
      }
      PrintError(where, status);
      ++failed;
    }
  }
  std::printf("%d records stored (new or already there), %d failed\n", stored,
              failed);
  return failed == 0 ? kOk : kFailed;
}

}  // namespace parley::ctl
