// parleyctl report: one of the gateway's reports, as a readable table or,
// with --json, as the API's JSON.
#include <algorithm>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "parley/reports/v1/reports_service.pb.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/format.h"
#include "tools/parleyctl/report_times.h"

ABSL_FLAG(bool, json, false, "print the report as JSON");
ABSL_FLAG(std::string, as_of, "",
          "the day the report describes (default today)");
ABSL_FLAG(std::string, known_at, "",
          "answer from what was recorded by this RFC 3339 time (default now)");
ABSL_FLAG(int, threshold_days, 0,
          "stalled: days without an exchange (default 90)");
ABSL_FLAG(int, days_before, 0, "talks: days before the round (default 7)");
ABSL_FLAG(int, days_after, 0, "talks: days after the round (default 7)");
ABSL_FLAG(std::string, region, "",
          "summary: a first-level region (\"Kharkiv\")");
ABSL_FLAG(std::vector<std::string>, parties, {},
          "summary: ISO codes, comma-separated");

namespace parley::ctl {
namespace {

namespace r = ::parley::reports::v1;
constexpr char kReports[] = "parley.reports.v1.ReportService";

void PrintMissing(
    const google::protobuf::RepeatedPtrField<r::MissingSection>& missing) {
  for (const auto& m : missing) {
    std::printf("MISSING %s (%s): %s\n", m.section().c_str(),
                m.service().c_str(), m.reason().c_str());
  }
}

// Delivered by as_of: "2068", or "0, up to 1030" where exchanges straddling
// as_of may have come after it.
std::string DeliveredText(const r::TermProgress& t) {
  if (t.exchanges().empty() &&
      t.delivered().qualifier() == common::v1::Estimate::QUALIFIER_UNKNOWN) {
    return "none recorded";
  }
  return FigureText(t.delivered(), 1, t.partly_after_as_of_size(), 0);
}

// "2026-03-01 .. 2026-09-30", "from 2025-11-11 (no later bound)", "-".
std::string ProjectionText(const r::Projection& p) {
  if (p.earliest_day().empty()) return "-";
  if (p.latest_day().empty()) {
    return absl::StrCat("from ", p.earliest_day(), " (no later bound)");
  }
  return absl::StrCat(p.earliest_day(), " .. ", p.latest_day());
}

void PrintAgreement(const r::GetAgreementProgressResponse& p) {
  std::printf("%s (%s), as of %s\n\n", p.agreement().title().c_str(),
              p.agreement().metadata().name().c_str(),
              p.times().as_of().c_str());
  std::vector<std::vector<std::string>> rows = {
      {"TERM", "QUOTA", "DELIVERED", "SHARE", "PER 30 DAYS",
       "PROJECTED COMPLETION", "VERDICT"}};
  for (const auto& t : p.terms()) {
    std::string share = t.share_high_percent() > 0
                            ? absl::StrFormat("%.1f%%", t.share_low_percent())
                            : "-";
    if (t.share_high_percent() > t.share_low_percent() + 0.05) {
      share = absl::StrFormat("%.1f-%.1f%%", t.share_low_percent(),
                              t.share_high_percent());
    }
    rows.push_back(
        {EnumText(exchanges::v1::Category_Name(t.category()), "CATEGORY_"),
         EstimateText(t.quota()), DeliveredText(t), share,
         t.has_pace() ? EstimateText(t.pace().per_30_days()) : "-",
         ProjectionText(t.projection()),
         EnumText(r::Verdict_Name(t.verdict()), "VERDICT_")});
  }
  std::printf("%s\n", Table(rows).c_str());
  for (const auto& t : p.terms()) {
    std::printf("%s:\n", EnumText(exchanges::v1::Category_Name(t.category()),
                                  "CATEGORY_")
                             .c_str());
    for (const auto& d : t.by_direction()) {
      std::printf(
          "  %s -> %s: %s\n", PartyText(d.from_party()).c_str(),
          PartyText(d.to_party()).c_str(),
          FigureText(d.delivered(), 1, t.partly_after_as_of_size(), 0).c_str());
    }
    for (const auto& side : t.sides()) {
      std::printf(
          "  side receiving %s: quota %s, delivered %s, completion %s, %s\n",
          PartyText(side.receiver()).c_str(),
          EstimateText(side.quota()).c_str(),
          FigureText(side.delivered(), 1, t.partly_after_as_of_size(), 0)
              .c_str(),
          ProjectionText(side.projection()).c_str(),
          EnumText(r::Verdict_Name(side.verdict()), "VERDICT_").c_str());
    }
    if (t.has_pace()) {
      std::printf("  pace taken over %s .. %s\n",
                  t.pace().window().first_day().c_str(),
                  t.pace().window().last_day().c_str());
    }
    for (const auto& reason : t.reasons())
      std::printf("  - %s\n", reason.c_str());
    if (!t.exchanges().empty()) {
      std::printf("  exchanges: %s\n",
                  absl::StrJoin(t.exchanges(), ", ").c_str());
    }
  }
  PrintMissing(p.missing());
}

void PrintStalled(const r::ListStalledChannelsResponse& s) {
  std::printf("Stalled channels, as of %s\n\n", s.times().as_of().c_str());
  if (s.channels().empty()) std::printf("none\n");
  for (const auto& c : s.channels()) {
    std::printf("%s (%s): stalled since %s\n", c.channel().title().c_str(),
                c.channel().metadata().name().c_str(),
                c.since().text().empty() ? "?" : c.since().text().c_str());
    for (const auto& reason : c.reasons())
      std::printf("  - %s\n", reason.c_str());
    if (c.has_last_exchange()) {
      std::printf("  last exchange: %s (%s)\n",
                  c.last_exchange().metadata().name().c_str(),
                  c.last_exchange().occurred().c_str());
    }
    for (const auto& side : c.sides()) {
      if (side.statement_count() > side.statements_size()) {
        std::printf("  %s says (the latest %d of %d):\n",
                    PartyText(side.party()).c_str(), side.statements_size(),
                    side.statement_count());
      } else {
        std::printf("  %s says:\n", PartyText(side.party()).c_str());
      }
      for (const auto& st : side.statements()) {
        std::printf("    [%s, %s] %s\n",
                    EnumText(negotiations::v1::StatementKind_Name(st.kind()),
                             "STATEMENT_KIND_")
                        .c_str(),
                    st.made().c_str(), st.summary().c_str());
      }
    }
  }
  PrintMissing(s.missing());
}

void PrintWindow(const char* name, const r::Window& w) {
  if (!w.has_span()) {
    std::printf("%s: after as_of\n", name);
    return;
  }
  const int behind_bounds = w.partly_in_size() + w.ongoing_size();
  // Counted in full even when too many to list (incidents_left_out).
  const int incidents = std::max(w.incident_count(), w.incidents_size());
  std::printf(
      "%s (%s .. %s): %d incidents (killed %s, injured %s), %d exchanges, %d "
      "statements\n",
      name, w.span().first_day().c_str(), w.span().last_day().c_str(),
      incidents, FigureText(w.killed(), incidents, behind_bounds, 0).c_str(),
      FigureText(w.injured(), incidents, behind_bounds, 0).c_str(),
      w.exchanges_size(), w.statements_size());
  if (!w.note().empty() && w.note() != "none recorded") {
    std::printf("  note: %s\n", w.note().c_str());
  }
  for (const auto& name : w.partly_in())
    std::printf("  partly in this window: %s\n", name.c_str());
  for (const auto& name : w.ongoing())
    std::printf("  ongoing here and beyond: %s\n", name.c_str());
  for (const auto& i : w.incidents()) {
    std::printf("  incident %s: %s, %s\n", i.occurred().c_str(),
                i.title().c_str(), i.metadata().name().c_str());
  }
  for (const auto& e : w.exchanges()) {
    std::printf("  exchange %s: %s\n", e.occurred().c_str(),
                e.metadata().name().c_str());
  }
  for (const auto& s : w.statements()) {
    std::printf("  statement %s: %s: %s\n", s.made().c_str(),
                PartyText(s.speaker()).c_str(), s.summary().c_str());
  }
}

void PrintTalks(const r::GetTalksContextResponse& t) {
  std::printf("%s (%s), held %s\n\n", t.round().title().c_str(),
              t.round().metadata().name().c_str(), t.round().held().c_str());
  PrintWindow("before", t.before());
  PrintWindow("during", t.during());
  PrintWindow("after", t.after());
  PrintMissing(t.missing());
}

void PrintSummary(const r::GetSummaryResponse& s) {
  std::printf("Summary of %s (%s .. %s)\n\n", s.span().text().c_str(),
              s.span().first_day().c_str(), s.span().last_day().c_str());
  std::vector<std::vector<std::string>> rows = {
      {"DOMAIN", "FIGURE", "VALUE", "BASIS", "RECORDS"}};
  // What stands behind upper bounds, once per distinct note.
  std::vector<std::string> notes;
  for (const auto& f : s.figures()) {
    std::vector<std::string> records(f.records().begin(), f.records().end());
    for (const auto& name : f.partly_in()) records.push_back(name + " (maybe)");
    for (const auto& name : f.ongoing()) records.push_back(name + " (ongoing)");
    std::string value = FigureText(f.value(), f.record_count(),
                                   f.partly_in_count(), f.ongoing_count());
    if (f.partly_in_count() + f.ongoing_count() > 0) {
      auto it = std::find(notes.begin(), notes.end(), f.note());
      if (it == notes.end()) it = notes.insert(notes.end(), f.note());
      absl::StrAppend(&value, " *", it - notes.begin() + 1);
    }
    rows.push_back(
        {f.domain(), f.label(), value, f.basis(), absl::StrJoin(records, " ")});
  }
  std::printf("%s", Table(rows).c_str());
  for (size_t i = 0; i < notes.size(); ++i) {
    std::printf("*%zu %s\n", i + 1, notes[i].c_str());
  }
  PrintMissing(s.missing());
}

template <typename Response, typename Print>
int Show(Client& client, const char* method,
         const google::protobuf::Message& request, Print print) {
  auto response = client.Call(kReports, method, request);
  if (!response.ok()) {
    std::fprintf(stderr, "report: %s\n", response.status().ToString().c_str());
    return ExitCodeFor(response.status());
  }
  const auto& typed = static_cast<const Response&>(**response);
  if (absl::GetFlag(FLAGS_json)) {
    std::printf("%s\n", ToJson(typed, true).c_str());
  } else {
    print(typed);
  }
  return kOk;
}

}  // namespace

int Report(Client& client, const std::vector<std::string>& args) {
  const std::string which = args.empty() ? "" : args[0];
  const std::string arg = args.size() > 1 ? args[1] : "";
  if (which == "agreement" && !arg.empty()) {
    r::GetAgreementProgressRequest q;
    q.set_agreement(arg.find('/') == std::string::npos ? "agreements/" + arg
                                                       : arg);
    if (!SetReportTimes("report", &q)) return kUsage;
    return Show<r::GetAgreementProgressResponse>(client, "GetAgreementProgress",
                                                 q, PrintAgreement);
  }
  if (which == "stalled") {
    r::ListStalledChannelsRequest q;
    q.set_threshold_days(absl::GetFlag(FLAGS_threshold_days));
    if (!SetReportTimes("report", &q)) return kUsage;
    return Show<r::ListStalledChannelsResponse>(client, "ListStalledChannels",
                                                q, PrintStalled);
  }
  if (which == "talks" && !arg.empty()) {
    r::GetTalksContextRequest q;
    q.set_round(arg.find('/') == std::string::npos ? "rounds/" + arg : arg);
    q.set_days_before(absl::GetFlag(FLAGS_days_before));
    q.set_days_after(absl::GetFlag(FLAGS_days_after));
    if (!SetReportTimes("report", &q)) return kUsage;
    return Show<r::GetTalksContextResponse>(client, "GetTalksContext", q,
                                            PrintTalks);
  }
  if (which == "summary" && !arg.empty()) {
    r::GetSummaryRequest q;
    q.set_span(arg);
    q.set_region(absl::GetFlag(FLAGS_region));
    for (const auto& p : absl::GetFlag(FLAGS_parties)) q.add_parties(p);
    if (!SetReportTimes("report", &q)) return kUsage;
    return Show<r::GetSummaryResponse>(client, "GetSummary", q, PrintSummary);
  }
  std::fprintf(stderr,
               "report: agreement NAME | stalled | talks ROUND | summary SPAN "
               "(see parleyctl report --help)\n");
  return kUsage;
}

}  // namespace parley::ctl
