// The incidents chart: incidents and killed per week or month, each period
// as GetSummary counts it (the one window rule, applied by the gateway):
// incidents wholly in the period, those dated only to a longer span that may
// fall in it, and ongoing ones, stacked and told apart; killed as the best
// figure with its low-high bounds, an open bound marked as open, and a
// period with no record saying so rather than showing a zero.
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "tools/parleyctl/chart_spec.h"
#include "tools/parleyctl/format.h"

namespace parley::ctl::chart {
namespace {

constexpr char kWhole[] = "in the period";
constexpr char kPartly[] = "dated to a longer span: may fall in it";
constexpr char kOngoing[] = "ongoing here and beyond";
constexpr int kCountsHeight = 160;
constexpr int kKilledHeight = 120;

// A period's "none recorded", "unknown" or "not available", in words at the
// foot of a panel `height` pixels high, where a bar would stand.
Json StatusText(const Json& x, int height) {
  return {{"mark",
           {{"type", "text"},
            {"baseline", "bottom"},
            {"dy", -2},
            {"fontSize", 10},
            {"color", "#555555"}}},
          {"transform", {{{"filter", "isValid(datum.status)"}}}},
          {"encoding",
           {{"x", SameX(x, "mid")},
            {"y", {{"value", height}}},
            {"text", {{"field", "status"}}}}}};
}

}  // namespace

std::vector<DateSpan> PeriodsOf(const DateSpan& span, Period by) {
  std::vector<DateSpan> periods;
  if (by == Period::kMonth) {
    for (absl::CivilMonth m(span.first()); absl::CivilDay(m) <= span.last();
         ++m) {
      auto parsed =
          DateSpan::Parse(absl::StrFormat("%04d-%02d", m.year(), m.month()));
      periods.push_back(
          parsed.ok()
              ? *parsed
              : DateSpan::Days(absl::CivilDay(m), absl::CivilDay(m + 1) - 1));
    }
  } else {
    for (absl::CivilDay monday =
             absl::PrevWeekday(span.first() + 1, absl::Weekday::monday);
         monday <= span.last(); monday += 7) {
      const std::string week = absl::FormatTime(
          "%G-W%V", absl::FromCivil(monday, absl::UTCTimeZone()),
          absl::UTCTimeZone());
      auto parsed = DateSpan::Parse(week);
      periods.push_back(parsed.ok() ? *parsed
                                    : DateSpan::Days(monday, monday + 6));
    }
  }
  return periods;
}

absl::StatusOr<Json> IncidentsChart(const DateSpan& span,
                                    const std::string& region, Period by,
                                    const std::vector<PeriodSummary>& periods,
                                    std::vector<std::string> sources) {
  if (periods.empty()) {
    return absl::InvalidArgumentError("no period to draw");
  }
  Json counts = Json::array();
  Json killed = Json::array();
  bool any_partly = false, any_open = false, any_none = false;
  int64_t top_count = 1, top_killed = 1;
  std::vector<std::string> claims;
  const absl::CivilDay from = periods.front().period.first();
  absl::CivilDay to = from + 1;
  // The first report's missing sections stand for all (one suite, one call
  // moment apart); a period without its incidents section says so.
  const auto& missing = periods.front().summary.missing();
  for (const auto& [period, summary] : periods) {
    // The gateway cuts a period that straddles as_of at as_of: drawn so.
    absl::CivilDay last = period.last();
    if (auto cut = ExtentOf(summary.span()); cut && cut->end - 1 < last) {
      last = cut->end - 1;
    }
    to = std::max(to, last + 1);
    const std::string start = DayText(period.first());
    const std::string end = DayText(last + 1);
    const std::string mid =
        DayText(period.first() + (last - period.first() + 1) / 2);
    bool unavailable = false;
    for (const auto& m : summary.missing()) {
      unavailable = unavailable || m.service() == "incidents";
    }
    int64_t whole = 0, partly = 0, ongoing = 0;
    const reports::v1::Figure* killed_figure = nullptr;
    for (const auto& figure : summary.figures()) {
      if (figure.domain() != "incidents") continue;
      if (absl::StartsWith(figure.label(), "incidents: ")) {
        whole += figure.record_count();
        partly += figure.partly_in_count();
        ongoing += figure.ongoing_count();
      } else if (figure.label() == "killed") {
        killed_figure = &figure;
      }
    }
    any_partly = any_partly || partly > 0 || ongoing > 0;
    // Stacked here, so each part is a rect over its period's days.
    const std::pair<const char*, int64_t> parts[] = {
        {kWhole, whole}, {kPartly, partly}, {kOngoing, ongoing}};
    int64_t base = 0;
    for (const auto& [how, n] : parts) {
      if (n == 0) continue;
      counts.push_back({{"period", period.text()},
                        {"start", start},
                        {"end", end},
                        {"how", how},
                        {"incidents", n},
                        {"from", base},
                        {"to", base + n}});
      base += n;
      top_count = std::max(top_count, base);
    }
    if (base == 0) {
      counts.push_back(
          {{"period", period.text()},
           {"start", start},
           {"end", end},
           {"mid", mid},
           {"status", unavailable ? "not available" : "none recorded"}});
    }
    Json row = {{"period", period.text()},
                {"start", start},
                {"end", end},
                {"mid", mid}};
    const bool none =
        killed_figure == nullptr || (killed_figure->record_count() == 0 &&
                                     killed_figure->partly_in_count() == 0 &&
                                     killed_figure->ongoing_count() == 0);
    const Bounds b =
        killed_figure ? BoundsOf(killed_figure->value()) : Bounds{};
    if (unavailable) {
      row["status"] = "not available";
    } else if (none) {
      any_none = true;
      row["status"] = "none recorded";
    } else if (!b.known) {
      row["status"] = "unknown";
    } else {
      row["low"] = b.low;
      row["high"] = b.high;
      row["open_high"] = b.open_high;
      row["figure"] = FigureText(
          killed_figure->value(), killed_figure->record_count(),
          killed_figure->partly_in_count(), killed_figure->ongoing_count());
      if (b.has_best) row["best"] = b.best;
      // The bar: the best figure, or what is surely so where there is none.
      row["bar"] = b.has_best ? b.best : b.low;
      any_open = any_open || b.open_high;
      top_killed = std::max(top_killed, b.high);
      const std::string claimed = ClaimsText(killed_figure->value());
      if (!claimed.empty()) {
        claims.push_back(absl::StrCat(period.text(), ": ", claimed));
      }
    }
    killed.push_back(row);
  }

  const std::string unit = by == Period::kWeek ? "week" : "month";
  Json x = TimeX("start", nullptr, from, to);
  Json x_labelled = TimeX("start", absl::StrCat(unit, " (UTC)"), from, to);
  // A tick at each period's start (an ISO week starts on a Monday).
  Json starts = Json::array();
  for (const auto& p : periods) starts.push_back(DayText(p.period.first()));
  for (Json* axis_x : {&x, &x_labelled}) {
    (*axis_x)["axis"]["values"] = starts;
    (*axis_x)["axis"]["format"] = by == Period::kWeek ? "%d %b" : "%b %Y";
  }
  const Json tooltip_period = {{"field", "period"}, {"type", "nominal"}};

  const Json count_rects = {
      {"mark", {{"type", "rect"}, {"stroke", "white"}, {"strokeWidth", 1}}},
      {"transform", {{{"filter", "isValid(datum.how)"}}}},
      {"encoding",
       {{"x", x},
        {"x2", {{"field", "end"}}},
        {"y",
         {{"field", "from"},
          {"type", "quantitative"},
          {"title", "incidents"},
          {"scale", {{"domain", {0, top_count}}}},
          {"axis",
           {{"tickMinStep", 1},
            {"format", "d"},
            {"tickCount", std::min<int64_t>(top_count, 5)}}}}},
        {"y2", {{"field", "to"}}},
        {"color",
         {{"field", "how"},
          {"type", "nominal"},
          {"title", "incidents counted"},
          {"scale",
           {{"domain", {kWhole, kPartly, kOngoing}},
            {"range", {"#4c78a8", "#9ecae9", "#d4e4f4"}}}}}},
        {"tooltip",
         {tooltip_period,
          {{"field", "how"}, {"type", "nominal"}},
          {{"field", "incidents"}, {"type", "quantitative"}}}}}}};
  const Json incidents_panel = {
      {"width", kWidth},
      {"height", kCountsHeight},
      {"data", {{"values", counts}}},
      {"layer", {count_rects, StatusText(x, kCountsHeight)}}};

  // Killed: the best figure as a bar, low to high as a line across it, an
  // open high as a caret, and "none" where nothing was recorded.
  // Headroom above the highest figure for an open one's caret.
  const Json y_killed = {
      {"field", "bar"},
      {"type", "quantitative"},
      {"title", "killed"},
      {"scale", {{"domain", {0, top_killed + top_killed / 4 + 1}}}}};
  Json killed_layers = Json::array();
  killed_layers.push_back({{"mark",
                            {{"type", "rect"},
                             {"color", "#e45756"},
                             {"opacity", 0.75},
                             {"stroke", "white"},
                             {"strokeWidth", 1}}},
                           {"transform", {{{"filter", "isValid(datum.bar)"}}}},
                           {"encoding",
                            {{"x", x_labelled},
                             {"x2", {{"field", "end"}}},
                             {"y", y_killed},
                             {"y2", {{"datum", 0}}},
                             {"tooltip",
                              {tooltip_period,
                               {{"field", "figure"},
                                {"type", "nominal"},
                                {"title", "killed"}}}}}}});
  killed_layers.push_back(
      {{"mark", {{"type", "rule"}, {"color", "#222222"}, {"strokeWidth", 2}}},
       {"transform", {{{"filter", "isValid(datum.low)"}}}},
       {"encoding",
        {{"x", SameX(x, "mid")},
         {"y", {{"field", "low"}, {"type", "quantitative"}}},
         {"y2", {{"field", "high"}}}}}});
  killed_layers.push_back(
      {{"mark",
        {{"type", "point"},
         {"shape", "triangle-up"},
         {"filled", true},
         {"color", "#222222"},
         {"size", 60},
         {"yOffset", -8}}},
       {"transform", {{{"filter", "datum.open_high === true"}}}},
       {"encoding",
        {{"x", SameX(x, "mid")},
         {"y", {{"field", "high"}, {"type", "quantitative"}}}}}});
  killed_layers.push_back(StatusText(x, kKilledHeight));
  const Json killed_panel = {{"width", kWidth},
                             {"height", kKilledHeight},
                             {"data", {{"values", killed}}},
                             {"layer", killed_layers}};

  Json body = {{"vconcat", {incidents_panel, killed_panel}},
               {"spacing", 8},
               {"resolve", {{"scale", {{"x", "shared"}}}}}};
  std::string where = region.empty() ? "" : absl::StrCat(" in ", region);
  const std::string headline =
      absl::StrCat("Incidents and killed per ", unit, where, ", ", span.text());
  std::vector<std::string> subtitle;
  if (by == Period::kWeek) {
    subtitle.push_back(absl::StrCat(
        "ISO weeks (Monday to Sunday) that overlap ", span.text(), "."));
  }
  if (any_partly) {
    subtitle.push_back(
        "Lighter: incidents dated only to a longer span that may fall in the "
        "period (in the upper bound only); lightest: ongoing ones, going on "
        "in the period.");
  }
  subtitle.push_back(absl::StrCat(
      "Killed: bar, the best figure (or the low where none is given); line, "
      "low to high",
      any_open ? "; caret, no upper figure (\"at least\")" : "",
      any_none ? "; \"none recorded\": no record, not a zero" : "", "."));
  std::vector<std::string> notes;
  if (!claims.empty()) {
    notes.push_back(
        absl::StrCat("Killed, as claimed: ", absl::StrJoin(claims, "; "), "."));
  }
  const reports::v1::ReportTimes& times = periods.front().summary.times();
  return Publishable(std::move(body), headline, subtitle,
                     Caption(sources, times, notes, missing));
}

}  // namespace parley::ctl::chart
