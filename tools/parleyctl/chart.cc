// parleyctl chart agreement NAME --out FILE.svg: cumulative deliveries of
// the agreement's first term with a quota figure, by direction and in total,
// against the quota over time, with the projected completion interval
// shaded. A standalone SVG: title, axes, units and sources in a footnote.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/model/date_span.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"
#include "parley/reports/v1/reports_service.pb.h"
#include "tools/parleyctl/commands.h"
#include "tools/parleyctl/format.h"

ABSL_FLAG(std::string, out, "",
          "chart: the SVG file to write; sync: the folder of the copy");
ABSL_DECLARE_FLAG(std::string, as_of);

namespace parley::ctl {
namespace {

std::string Escape(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

absl::CivilDay Day(const std::string& yyyy_mm_dd) {
  auto span = DateSpan::Parse(yyyy_mm_dd);
  return span.ok() ? span->first() : absl::CivilDay();
}

}  // namespace

int Chart(Client& client, const std::vector<std::string>& args) {
  const std::string out_file = absl::GetFlag(FLAGS_out);
  if (args.size() < 2 || args[0] != "agreement" || out_file.empty()) {
    std::fprintf(stderr, "chart: agreement NAME --out FILE.svg\n");
    return kUsage;
  }
  const std::string name = args[1].find('/') == std::string::npos
                               ? "agreements/" + args[1]
                               : args[1];
  reports::v1::GetAgreementProgressRequest q;
  q.set_agreement(name);
  q.set_as_of(absl::GetFlag(FLAGS_as_of));
  auto got =
      client.Call("parley.reports.v1.ReportService", "GetAgreementProgress", q);
  if (!got.ok()) {
    std::fprintf(stderr, "chart: %s\n", got.status().ToString().c_str());
    return ExitCodeFor(got.status());
  }
  const auto& progress =
      static_cast<const reports::v1::GetAgreementProgressResponse&>(**got);
  const reports::v1::TermProgress* term = nullptr;
  for (const auto& t : progress.terms()) {
    if (t.quota().has_high() || t.quota().has_best()) {
      term = &t;
      break;
    }
  }
  if (term == nullptr || term->exchanges().empty()) {
    std::fprintf(stderr,
                 "chart: %s has no term with a quota and deliveries to draw\n",
                 name.c_str());
    return kFailed;
  }
  // Deliveries per exchange, dated by the last day of its span.
  // Every exchange under the agreement, page by page.
  exchanges::v1::ListExchangesRequest list;
  list.set_agreement(name);
  list.set_page_size(500);
  std::vector<exchanges::v1::Exchange> all;
  do {
    auto listed = client.Call("parley.exchanges.v1.ExchangesService",
                              "ListExchanges", list);
    if (!listed.ok()) {
      std::fprintf(stderr, "chart: %s\n", listed.status().ToString().c_str());
      return ExitCodeFor(listed.status());
    }
    const auto& page =
        static_cast<const exchanges::v1::ListExchangesResponse&>(**listed);
    all.insert(all.end(), page.exchanges().begin(), page.exchanges().end());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  std::map<absl::CivilDay, std::map<std::string, int64_t>>
      steps;  // day -> direction -> n
  std::set<std::string> directions;
  for (const auto& e : all) {
    if (std::find(term->exchanges().begin(), term->exchanges().end(),
                  e.metadata().name()) == term->exchanges().end()) {
      continue;
    }
    for (const auto& t : e.transfers()) {
      if (t.category() != term->category()) continue;
      const std::string direction = absl::StrCat(
          PartyText(t.from_party()), " to ", PartyText(t.to_party()));
      directions.insert(direction);
      steps[Day(e.occurred_span().last_day())][direction] +=
          t.count().has_best() ? t.count().best() : t.count().low();
    }
  }
  const int64_t quota =
      term->quota().has_high() ? term->quota().high() : term->quota().best();
  if (steps.empty() || quota <= 0) {
    std::fprintf(stderr,
                 "chart: %s has no deliveries against a quota to draw\n",
                 name.c_str());
    return kFailed;
  }
  const absl::CivilDay start = steps.begin()->first - 30;
  absl::CivilDay end = Day(progress.times().as_of());
  if (term->has_projected_completion())
    end = std::max(end, Day(term->projected_completion().last_day()));
  end = std::max(end, steps.rbegin()->first) + 30;

  constexpr double kLeft = 80, kRight = 760, kTop = 60, kBottom = 380;
  const double days = static_cast<double>(end - start);
  auto x = [&](absl::CivilDay d) {
    return kLeft + (kRight - kLeft) * (d - start) / days;
  };
  auto y = [&](int64_t n) {
    return kBottom - (kBottom - kTop) * static_cast<double>(n) /
                         static_cast<double>(quota);
  };
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"820\" height=\"500\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"820\" height=\"500\" fill=\"white\"/>\n"
      "<text x=\"410\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">%s: %s "
      "delivered "
      "against a quota of %d</text>\n",
      Escape(progress.agreement().title()),
      Escape(EnumText(exchanges::v1::Category_Name(term->category()),
                      "CATEGORY_")),
      quota);
  // Projected completion: shaded from earliest to latest.
  if (term->has_projected_completion()) {
    const double x1 = x(Day(term->projected_completion().first_day()));
    const double x2 = x(Day(term->projected_completion().last_day()));
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
        "fill=\"#f4c542\" fill-opacity=\"0.35\"/>\n"
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">projected "
        "completion %s .. %s</text>\n",
        x1, kTop, std::max(1.0, x2 - x1), kBottom - kTop, (x1 + x2) / 2,
        kTop - 6, term->projected_completion().first_day(),
        term->projected_completion().last_day());
  }
  // Axes, ticks and the quota line.
  absl::StrAppendFormat(&svg,
                        "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
                        "stroke=\"black\"/>\n"
                        "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
                        "stroke=\"black\"/>\n",
                        kLeft, kBottom, kRight, kBottom, kLeft, kTop, kLeft,
                        kBottom);
  for (int i = 0; i <= 4; ++i) {
    const int64_t n = quota * i / 4;
    absl::StrAppendFormat(
        &svg, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
        kLeft - 6, y(n) + 4, n);
  }
  for (absl::CivilMonth m(start); absl::CivilDay(m) <= end; m += 3) {
    const absl::CivilDay d(m);
    if (d < start) continue;
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%04d-%02d</text>\n",
        x(d), kBottom + 18, m.year(), m.month());
  }
  absl::StrAppendFormat(
      &svg,
      "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"red\" "
      "stroke-dasharray=\"6 4\"/>\n<text x=\"%.0f\" y=\"%.1f\" "
      "fill=\"red\">quota "
      "%d</text>\n",
      kLeft, y(quota), kRight, y(quota), kRight - 70, y(quota) - 6, quota);
  absl::StrAppendFormat(
      &svg,
      "<text x=\"20\" y=\"%.0f\" transform=\"rotate(-90 20 %.0f)\" "
      "text-anchor=\"middle\">people (cumulative)</text>\n"
      "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">date (each exchange "
      "at "
      "the last day of its reported span)</text>\n",
      (kTop + kBottom) / 2, (kTop + kBottom) / 2, (kLeft + kRight) / 2,
      kBottom + 36);
  // One step line per direction, and the total.
  const char* colours[] = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b"};
  std::vector<std::string> series(directions.begin(), directions.end());
  series.push_back("total");
  for (size_t s = 0; s < series.size(); ++s) {
    int64_t sum = 0;
    std::string points = absl::StrFormat("%.1f,%.1f", x(start), y(0));
    for (const auto& [day, by] : steps) {
      int64_t add = 0;
      for (const auto& [direction, n] : by) {
        if (series[s] == "total" || direction == series[s]) add += n;
      }
      absl::StrAppendFormat(&points, " %.1f,%.1f", x(day), y(sum));
      sum += add;
      absl::StrAppendFormat(&points, " %.1f,%.1f", x(day), y(sum));
    }
    absl::StrAppendFormat(&points, " %.1f,%.1f",
                          x(Day(progress.times().as_of())), y(sum));
    const char* colour = series[s] == "total" ? "black" : colours[s % 4];
    absl::StrAppendFormat(
        &svg,
        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
        "stroke-width=\"2\"/>\n"
        "<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">%s: %d</text>\n",
        points, colour, kLeft + 10, kTop + 16 + 16 * s, colour,
        Escape(series[s]), sum);
  }
  // Sources, as a footnote.
  std::vector<std::string> sources;
  for (const auto& src : term->sources()) {
    std::string who = !src.publisher().empty() ? src.publisher()
                                               : PartyText(src.attributed_to());
    if (!src.channel().empty()) absl::StrAppend(&who, ", ", src.channel());
    sources.push_back(who);
  }
  absl::StrAppendFormat(
      &svg,
      "<text x=\"20\" y=\"450\" font-size=\"10\">Sources: %s</text>\n"
      "<text x=\"20\" y=\"466\" font-size=\"10\">As of %s; pace %s per 30 "
      "days; "
      "exchanges: %s. Parley.</text>\n</svg>\n",
      Escape(absl::StrJoin(sources, "; ")), progress.times().as_of(),
      Escape(EstimateText(term->pace().per_30_days())),
      Escape(absl::StrJoin(term->exchanges(), ", ")));
  std::ofstream file(out_file);
  file << svg;
  if (!file) {
    std::fprintf(stderr, "chart: cannot write %s\n", out_file.c_str());
    return kNoFile;
  }
  std::printf("wrote %s\n", out_file.c_str());
  return kOk;
}

}  // namespace parley::ctl
