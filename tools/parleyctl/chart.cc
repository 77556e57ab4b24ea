// parleyctl chart agreement|incidents|talks: a chart of one of the gateway's
// reports, as a Vega-Lite specification with its data inline
// (--format=vega-lite, for notebooks and the Vega editor), or rendered to
// SVG or PNG. The charts themselves are built in chart_*.cc.
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "parley/reports/v1/reports_service.pb.h"
#include "tools/parleyctl/chart_render.h"
#include "tools/parleyctl/chart_spec.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/format.h"
#include "tools/parleyctl/report_times.h"

ABSL_FLAG(std::string, out, "",
          "chart: the file to write (default standard output); sync: the "
          "folder of the copy");
ABSL_FLAG(std::string, by, "",
          "chart incidents: week or month (default: week for spans up to "
          "three months)");
ABSL_FLAG(std::string, term, "",
          "chart agreement: the term's category (\"remains\"; default the "
          "first term with a quota and deliveries)");
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, region);
ABSL_DECLARE_FLAG(std::vector<std::string>, parties);
ABSL_DECLARE_FLAG(int, days_before);
ABSL_DECLARE_FLAG(int, days_after);

namespace parley::ctl {
namespace {

namespace r = ::parley::reports::v1;
constexpr char kReports[] = "parley.reports.v1.ReportService";
// More periods than this make bars too thin to read.
constexpr size_t kMaxPeriods = 120;

std::string WithCollection(const std::string& id, const std::string& prefix) {
  return id.find('/') == std::string::npos ? prefix + id : id;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "chart: %s\n", status.ToString().c_str());
  return ExitCodeFor(status);
}

absl::StatusOr<chart::Json> AgreementSpec(Client& client,
                                          const std::string& id) {
  r::GetAgreementProgressRequest q;
  q.set_agreement(WithCollection(id, "agreements/"));
  SetReportTimes("chart", &q);  // checked in Chart()
  auto got = client.Call(kReports, "GetAgreementProgress", q);
  if (!got.ok()) return got.status();
  const auto& progress =
      static_cast<const r::GetAgreementProgressResponse&>(**got);
  const std::string wanted = absl::GetFlag(FLAGS_term);
  const r::TermProgress* term = nullptr;
  for (const auto& t : progress.terms()) {
    const std::string category =
        EnumText(exchanges::v1::Category_Name(t.category()), "CATEGORY_");
    if (!wanted.empty()
            ? category == wanted ||
                  exchanges::v1::Category_Name(t.category()) == wanted
            : chart::BoundsOf(t.quota()).known && !t.exchanges().empty()) {
      term = &t;
      break;
    }
  }
  if (term == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(q.agreement(), " has no term ",
                     wanted.empty() ? "with a quota and deliveries to draw"
                                    : absl::StrCat("for --term=", wanted)));
  }
  // The term's exchanges, page by page, for their spans and transfers.
  // As known when the report was made, so a later correction does not mix
  // into an earlier report's figures.
  exchanges::v1::ListExchangesRequest list;
  list.set_agreement(q.agreement());
  list.set_page_size(500);
  if (progress.times().has_known_at()) {
    *list.mutable_read_time() = progress.times().known_at();
  }
  std::vector<exchanges::v1::Exchange> all;
  do {
    auto listed = client.Call("parley.exchanges.v1.ExchangesService",
                              "ListExchanges", list);
    if (!listed.ok()) return listed.status();
    const auto& page =
        static_cast<const exchanges::v1::ListExchangesResponse&>(**listed);
    all.insert(all.end(), page.exchanges().begin(), page.exchanges().end());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return chart::AgreementChart(progress, *term, all);
}

// SPAN and --by, checked before any call: usage errors.
absl::StatusOr<std::vector<DateSpan>> IncidentPeriods(
    const std::string& span_text, chart::Period* by) {
  auto span = DateSpan::Parse(span_text);
  if (!span.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("SPAN: ", span.status().message()));
  }
  const std::string by_flag = absl::GetFlag(FLAGS_by);
  *by =
      span->length_days() <= 92 ? chart::Period::kWeek : chart::Period::kMonth;
  if (by_flag == "week") {
    *by = chart::Period::kWeek;
  } else if (by_flag == "month") {
    *by = chart::Period::kMonth;
  } else if (!by_flag.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--by is week or month, not \"", by_flag, "\""));
  }
  std::vector<DateSpan> periods = chart::PeriodsOf(*span, *by);
  if (periods.size() > kMaxPeriods) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SPAN ", span->text(), " has ", periods.size(), " periods; at most ",
        kMaxPeriods, " are drawn: use --by=month or a shorter span"));
  }
  return periods;
}

absl::StatusOr<chart::Json> IncidentsSpec(Client& client,
                                          const std::string& span_text) {
  chart::Period by;
  auto periods = IncidentPeriods(span_text, &by);
  if (!periods.ok()) return periods.status();
  const DateSpan span = *DateSpan::Parse(span_text);
  std::vector<chart::PeriodSummary> summaries;
  for (const DateSpan& period : *periods) {
    r::GetSummaryRequest q;
    q.set_span(period.text());
    q.set_region(absl::GetFlag(FLAGS_region));
    for (const auto& p : absl::GetFlag(FLAGS_parties)) q.add_parties(p);
    SetReportTimes("chart", &q);  // checked in Chart()
    if (!summaries.empty()) {
      // Every period as of the same day and known at the same moment as
      // the first, and none that starts after as_of (the gateway cuts the
      // one that straddles it).
      const auto& first = summaries.front().summary.times();
      const auto as_of = chart::ParseDay(first.as_of());
      if (as_of && period.first() > *as_of) break;
      q.set_as_of(first.as_of());
      *q.mutable_known_at() = first.known_at();
    }
    auto got = client.Call(kReports, "GetSummary", q);
    if (!got.ok()) return got.status();
    summaries.push_back(
        {period, static_cast<const r::GetSummaryResponse&>(**got)});
  }
  // The sources for the caption: those of the first page of incidents in
  // the span (a dataset's name and version for imported ones).
  incidents::v1::ListIncidentsRequest list;
  list.set_span(span.text());
  list.set_region(absl::GetFlag(FLAGS_region));
  list.set_page_size(500);
  // Only what the caption needs, not 500 whole incidents.
  list.mutable_read_mask()->add_paths("sources");
  list.mutable_read_mask()->add_paths("provenance");
  if (summaries.back().summary.times().has_known_at()) {
    *list.mutable_read_time() = summaries.back().summary.times().known_at();
  }
  auto listed = client.Call("parley.incidents.v1.IncidentsService",
                            "ListIncidents", list);
  if (!listed.ok()) return listed.status();
  const auto& page =
      static_cast<const incidents::v1::ListIncidentsResponse&>(**listed);
  std::vector<std::string> sources;
  chart::AddSources(page.incidents(), &sources);
  for (const auto& incident : page.incidents()) {
    const auto& p = incident.provenance();
    if (p.dataset().empty()) continue;
    const std::string dataset = absl::StrCat(
        p.dataset(), p.version().empty() ? "" : " (" + p.version() + ")");
    if (std::find(sources.begin(), sources.end(), dataset) == sources.end()) {
      sources.push_back(dataset);
    }
  }
  if (!page.next_page_token().empty()) {
    sources.push_back(
        "and those of further incidents (ListIncidents lists them)");
  }
  return chart::IncidentsChart(span, absl::GetFlag(FLAGS_region), by, summaries,
                               std::move(sources));
}

absl::StatusOr<chart::Json> TalksSpec(Client& client, const std::string& id) {
  r::GetTalksContextRequest q;
  q.set_round(WithCollection(id, "rounds/"));
  q.set_days_before(absl::GetFlag(FLAGS_days_before));
  q.set_days_after(absl::GetFlag(FLAGS_days_after));
  SetReportTimes("chart", &q);  // checked in Chart()
  auto got = client.Call(kReports, "GetTalksContext", q);
  if (!got.ok()) return got.status();
  return chart::TalksChart(
      static_cast<const r::GetTalksContextResponse&>(**got));
}

}  // namespace

int Chart(Client& client, const std::vector<std::string>& args) {
  const std::string out_file = absl::GetFlag(FLAGS_out);
  std::string format = absl::GetFlag(FLAGS_format);
  if (format.empty()) {
    format = absl::EndsWith(out_file, ".png")    ? "png"
             : absl::EndsWith(out_file, ".json") ? "vega-lite"
                                                 : "svg";
  }
  if (args.size() != 2 || (args[0] != "agreement" && args[0] != "incidents" &&
                           args[0] != "talks")) {
    std::fprintf(stderr,
                 "chart: agreement NAME | incidents SPAN | talks ROUND "
                 "[--format svg|png|vega-lite] [--out FILE]\n");
    return kUsage;
  }
  if (format != "svg" && format != "png" && format != "vega-lite") {
    std::fprintf(stderr,
                 "chart: --format is svg, png or vega-lite, not \"%s\"\n",
                 format.c_str());
    return kUsage;
  }
  if (format == "png" && out_file.empty()) {
    std::fprintf(stderr, "chart: --format=png writes a file: give --out\n");
    return kUsage;
  }
  // Usage errors before any call.
  if (r::GetSummaryRequest times; !SetReportTimes("chart", &times)) {
    return kUsage;
  }
  if (args[0] == "incidents") {
    chart::Period by;
    if (auto periods = IncidentPeriods(args[1], &by); !periods.ok()) {
      std::fprintf(stderr, "chart: %s\n",
                   std::string(periods.status().message()).c_str());
      return kUsage;
    }
  }
  absl::StatusOr<chart::Json> spec =
      args[0] == "agreement"   ? AgreementSpec(client, args[1])
      : args[0] == "incidents" ? IncidentsSpec(client, args[1])
                               : TalksSpec(client, args[1]);
  if (!spec.ok()) return Fail(spec.status());
  std::string text;
  if (format == "vega-lite") {
    text = spec->dump(2) + "\n";
  } else {
    auto svg = chart::RenderSvg(*spec, chart::RendererCommand());
    if (!svg.ok()) return Fail(svg.status());
    if (format == "png") {
      if (auto written = chart::WritePng(*svg, out_file, 2); !written.ok()) {
        return Fail(written);
      }
      std::fprintf(stderr, "wrote %s\n", out_file.c_str());
      return kOk;
    }
    text = std::move(*svg);
  }
  if (out_file.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kOk;
  }
  std::ofstream file(out_file, std::ios::binary);
  file << text;
  if (!file.flush()) {
    std::fprintf(stderr, "chart: cannot write %s\n", out_file.c_str());
    return kNoFile;
  }
  std::fprintf(stderr, "wrote %s\n", out_file.c_str());
  return kOk;
}

}  // namespace parley::ctl
