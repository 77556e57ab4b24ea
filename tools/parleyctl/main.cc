// parleyctl: the analysts' command line for Parley, over the gateway.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/base/flags.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/kinds.h"

namespace {

constexpr char kUsageText[] =
    "parleyctl [flags] COMMAND ...\n"
    "\n"
    "  import FILE...                     load JSON-lines records "
    "(idempotent)\n"
    "  export KIND [key=value]... [--format jsonl|csv]\n"
    "  report agreement NAME | stalled | talks ROUND | summary SPAN [--json]\n"
    "  chart agreement NAME --out FILE.svg\n"
    "\n"
    "Connection: --gateway (localhost:50051), --token, --tls, --ca_cert; each\n"
    "also as PARLEY_GATEWAY, PARLEY_TOKEN, ... Exit codes: 0 ok, 1 failed,\n"
    "2 usage, 3 gateway unreachable, 4 not authorised, 5 file missing.\n"
    "`parleyctl COMMAND --help` explains a command.";

const char* CommandHelp(const std::string& command) {
  if (command == "import") {
    return "parleyctl import FILE...\n\n"
           "Loads records through the gateway. Each line of each file is one "
           "record\n"
           "in the API's JSON form, named by metadata.name "
           "(\"agreements/istanbul-2025\");\n"
           "other metadata and resolved spans are ignored. Request ids derive "
           "from each\n"
           "record, so importing a file again stores nothing new. A bad line "
           "is\n"
           "reported as FILE:LINE with the server's field errors; the good "
           "lines still\n"
           "load, and the exit code is 1. Load files in dependency order "
           "(agreements\n"
           "and channels before the exchanges that name them).";
  }
  if (command == "export") {
    return "parleyctl export KIND [key=value]... [--format jsonl|csv]\n\n"
           "Writes every record of KIND matching the List filters to stdout, "
           "following\n"
           "pages. Filters are the List request's fields: span=2026-W05, "
           "party=UA,\n"
           "agreement=agreements/istanbul-2025, region=Kharkiv, ... jsonl is "
           "what import\n"
           "reads back; csv has one column per field, dates as first/last day "
           "beside\n"
           "the original span, estimates as low/best/high/qualifier.\n"
           "KIND: ";
  }
  if (command == "report") {
    return "parleyctl report agreement NAME [--as_of DAY] [--known_at TIME]\n"
           "parleyctl report stalled [--threshold_days N]\n"
           "parleyctl report talks ROUND [--days_before N] [--days_after N]\n"
           "parleyctl report summary SPAN [--region R] [--parties RU,UA]\n\n"
           "Prints a report as a table, or with --json as the API's JSON. "
           "--as_of is\n"
           "the day described (default today); --known_at answers from what "
           "had been\n"
           "recorded by then (RFC 3339).";
  }
  if (command == "chart") {
    return "parleyctl chart agreement NAME --out FILE.svg [--as_of DAY]\n\n"
           "Draws cumulative deliveries by direction against the quota of the\n"
           "agreement's first term with a figure, with the projected "
           "completion\n"
           "interval shaded.";
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  // `parleyctl COMMAND --help` is the command's help, not every flag's.
  for (int i = 1; i + 1 < argc; ++i) {
    if (CommandHelp(argv[i]) != nullptr &&
        (std::strcmp(argv[i + 1], "--help") == 0 ||
         std::strcmp(argv[i + 1], "-h") == 0)) {
      std::printf("%s%s\n", CommandHelp(argv[i]),
                  std::string(argv[i]) == "export"
                      ? parley::ctl::KindNames().c_str()
                      : "");
      return parley::ctl::kOk;
    }
  }
  std::vector<char*> args = parley::ParseFlagsWithEnv(argc, argv, kUsageText);
  if (args.size() < 2) {
    std::fprintf(stderr, "%s\n", kUsageText);
    return parley::ctl::kUsage;
  }
  const std::string command = args[1];
  const std::vector<std::string> rest(args.begin() + 2, args.end());
  auto client = parley::ctl::Client::FromFlags();
  if (command == "import") return parley::ctl::Import(*client, rest);
  if (command == "export") return parley::ctl::Export(*client, rest);
  if (command == "report") return parley::ctl::Report(*client, rest);
  if (command == "chart") return parley::ctl::Chart(*client, rest);
  std::fprintf(stderr, "unknown command \"%s\"\n\n%s\n", command.c_str(),
               kUsageText);
  return parley::ctl::kUsage;
}
