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
    "  import [--format F] FILE...        load records in batches "
    "(idempotent)\n"
    "  export KIND [key=value]... [--format jsonl|csv]\n"
    "  report agreement NAME | stalled | talks ROUND | summary SPAN [--json]\n"
    "  sync --out DIR [--follow]          a local copy kept current\n"
    "  chart agreement NAME | incidents SPAN | talks ROUND [--out FILE]\n"
    "\n"
    "Connection: --gateway (localhost:50051), --token, --tls, --ca_cert; each\n"
    "also as PARLEY_GATEWAY, PARLEY_TOKEN, ... Exit codes: 0 ok, 1 failed,\n"
    "2 usage, 3 gateway unreachable, 4 not authorised, 5 file missing,\n"
    "6 interrupted.\n"
    "`parleyctl COMMAND --help` explains a command.";

const char* CommandHelp(const std::string& command) {
  if (command == "import") {
    return "parleyctl import [--format jsonl|csv|acled|ucdp-ged] FILE...\n\n"
           "Loads records through the gateway in batches (--batch_size, up to "
           "1000;\n"
           "--in_flight at once), with a progress line. Formats:\n"
           "  jsonl     one record per line in the API's JSON form, named by\n"
           "            metadata.name (what export --format jsonl writes)\n"
           "  csv       tidy CSV as export --format csv writes it (one row "
           "per\n"
           "            figure; incidents, exchanges and the rest)\n"
           "  acled     an ACLED export (event_id_cnty, event_date, "
           "time_precision, ...)\n"
           "  ucdp-ged  a UCDP GED export (id, date_start, date_end, best, "
           "...)\n"
           "Request ids derive from each record (jsonl, csv) and dataset rows "
           "are put\n"
           "whole under their upstream id, so importing again stores nothing "
           "new, and a\n"
           "newer export updates what changed. --delete_missing (datasets) "
           "then deletes\n"
           "the dataset's records of the files' countries the files no longer "
           "hold.\n"
           "A bad row is reported as FILE:LINE with the server's field "
           "errors; the rest\n"
           "load, and the exit code is 1. Ctrl-C stops after the batches in "
           "flight\n"
           "(exit 6): run the same command again to resume. Records that name "
           "others\n"
           "(an exchange its agreement) load after them when they come later "
           "in the\n"
           "files.";
  }
  if (command == "export") {
    return "parleyctl export KIND [key=value]... [--format jsonl|csv] "
           "[--sources_out FILE]\n\n"
           "Writes every record of KIND matching the List filters to stdout, "
           "following\n"
           "pages. Filters are the List request's fields: span=2026-W05, "
           "party=UA,\n"
           "agreement=agreements/istanbul-2025, region=Kharkiv, "
           "dataset=acled, ...\n"
           "jsonl is what import reads back. csv is tidy: one row per figure "
           "(an\n"
           "exchange's transfers, an agreement's terms), one column per value "
           "(dates as\n"
           "span, first and last day and precision; estimates as low, best, "
           "high,\n"
           "qualifier and claims; lists as one cell, '; ' between items); "
           "--sources_out\n"
           "writes the sources as a table of their own. pandas: "
           "pd.read_csv(FILE);\n"
           "R: read.csv(FILE) (docs/exports.md).\n"
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
  if (command == "sync") {
    return "parleyctl sync --out DIR [--follow] [--kinds k,...]\n\n"
           "Keeps a local copy of every record in DIR: one KIND.jsonl per "
           "kind (what\n"
           "export --format jsonl writes, sorted by name) and "
           ".parley-sync.json, each\n"
           "service's change-feed position. The first run takes everything; "
           "later runs\n"
           "apply the changes since (creates, updates and deletions). "
           "--follow keeps\n"
           "watching and applies changes as they commit, reconnecting from "
           "the saved\n"
           "position when a stream ends, until Ctrl-C. A position the "
           "services no longer\n"
           "keep (--change_retention) fails with exit 1: remove "
           ".parley-sync.json to\n"
           "take a fresh copy.";
  }
  if (command == "chart") {
    return "parleyctl chart agreement NAME [--term CATEGORY]\n"
           "parleyctl chart incidents SPAN [--region R] [--by week|month]\n"
           "parleyctl chart talks ROUND [--days_before N] [--days_after N]\n"
           "  [--format svg|png|vega-lite] [--out FILE] [--as_of DAY] "
           "[--known_at TIME]\n\n"
           "agreement: delivered over time per direction and in total against "
           "the\n"
           "  quotas, with the as-of line and the projected completion "
           "shaded.\n"
           "incidents: incidents and killed per week or month, with the "
           "low-high\n"
           "  bounds; incidents that may fall in a period shown apart.\n"
           "talks: a time map of the round and the incidents, exchanges and\n"
           "  statements before, during and after it.\n"
           "A date known only to a week or a month is drawn over that span. "
           "Every\n"
           "chart has a caption with its sources and the report's times.\n"
           "--format: svg (default, or from --out's .png/.json), png (2x, "
           "needs --out;\n"
           "  rsvg-convert), vega-lite (the specification with its data "
           "inline, for\n"
           "  notebooks and the Vega editor; no renderer needed). "
           "--chart_renderer\n"
           "  names the command that turns a specification into SVG.";
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
  if (command == "sync") return parley::ctl::SyncCopy(*client, rest);
  std::fprintf(stderr, "unknown command \"%s\"\n\n%s\n", command.c_str(),
               kUsageText);
  return parley::ctl::kUsage;
}
