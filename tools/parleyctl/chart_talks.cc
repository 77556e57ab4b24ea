// The talks chart: a time map around a round of talks. The windows before,
// during and after the round are shaded columns; each incident, exchange and
// statement is a bar over the days its date covers, so one known to the day
// is narrow and solid and one known only to a week or a month is as wide as
// that and pale: it may have happened on any day of it. A record reaching
// past the chart's edge is cut there, and its label says its whole span.
#include <algorithm>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/parleyctl/chart_spec.h"
#include "tools/parleyctl/format.h"

namespace parley::ctl::chart {
namespace {

namespace r = ::parley::reports::v1;

constexpr char kDay[] = "known to the day";
constexpr char kLonger[] = "known to a longer span: any day of it";
constexpr char kOngoing[] = "ongoing over the span";

std::string Shorten(const std::string& text, size_t width) {
  if (text.size() <= width) return text;
  size_t cut = text.rfind(' ', width - 1);
  if (cut == std::string::npos || cut < width / 2) cut = width - 1;
  return text.substr(0, cut) + "…";
}

}  // namespace

absl::StatusOr<Json> TalksChart(const r::GetTalksContextResponse& context) {
  const r::Window* windows[] = {&context.before(), &context.during(),
                                &context.after()};
  // The axis: the windows there are (the gateway cuts them at as_of, so a
  // round close to as_of may have no "after").
  std::optional<Extent> axis;
  for (const r::Window* w : windows) {
    const auto e = ExtentOf(w->span());
    if (!e) continue;
    axis = axis ? Extent{std::min(axis->start, e->start),
                         std::max(axis->end, e->end)}
                : *e;
  }
  if (!axis) {
    return absl::FailedPreconditionError("the report has no windows to draw");
  }
  const absl::CivilDay from = axis->start;
  const absl::CivilDay to = axis->end;
  std::set<std::string> seen;
  std::set<std::string> rows;
  std::vector<std::string> undated;
  Json records = Json::array();
  int order = 0;
  auto add = [&](const std::string& lane, const std::string& name,
                 const std::string& label, const common::v1::DateSpan& span,
                 bool ongoing) {
    if (!seen.insert(name).second) return;
    const auto extent = ExtentOf(span);
    if (!extent) {
      undated.push_back(name);
      return;
    }
    const Extent whole = *extent;
    const bool one_day = whole.end - whole.start == 1;
    // One row per record, even where two share a label.
    std::string row = absl::StrCat(lane, ": ", Shorten(label, 56));
    for (int n = 2; !rows.insert(row).second; ++n) {
      row = absl::StrCat(lane, ": ", Shorten(label, 50), " (", n, ")");
    }
    records.push_back(
        {{"lane", lane},
         {"order", order++},
         {"name", name},
         {"row", row},
         {"label", label},
         {"span", span.text().empty()
                      ? absl::StrCat(span.first_day(), "/", span.last_day())
                      : span.text()},
         {"start", DayText(std::max(whole.start, from))},
         {"end", DayText(std::min(whole.end, to))},
         {"date", ongoing   ? kOngoing
                  : one_day ? kDay
                            : kLonger}});
  };
  const auto& round = context.round();
  add("round", round.metadata().name(), round.title(), round.held_span(),
      false);
  std::vector<std::string> sources;
  AddSources(std::vector<negotiations::v1::Round>{round}, &sources);
  std::vector<std::string> notes;
  for (const r::Window* w : windows) {
    for (const auto& i : w->incidents()) {
      add("incident", i.metadata().name(), i.title(), i.occurred_span(),
          i.occurrence() == common::v1::OCCURRENCE_ONGOING);
    }
    AddSources(w->incidents(), &sources);
  }
  for (const r::Window* w : windows) {
    for (const auto& e : w->exchanges()) {
      std::string label = EnumText(exchanges::v1::ExchangeKind_Name(e.kind()),
                                   "EXCHANGE_KIND_");
      for (const auto& t : e.transfers()) {
        absl::StrAppend(&label, ", ", PartyText(t.from_party()), " to ",
                        PartyText(t.to_party()), " ", EstimateText(t.count()));
      }
      add("exchange", e.metadata().name(), label, e.occurred_span(), false);
    }
    AddSources(w->exchanges(), &sources);
  }
  for (const r::Window* w : windows) {
    for (const auto& s : w->statements()) {
      add("statement", s.metadata().name(),
          absl::StrCat(PartyText(s.speaker()), ": ", s.summary()),
          s.made_span(), false);
    }
    AddSources(w->statements(), &sources);
  }
  if (!undated.empty()) {
    notes.push_back(absl::StrCat(
        "Not drawn, no date: ", absl::StrJoin(undated, ", "), "."));
  }
  // Windows with more incidents than a report lists: their count instead.
  const char* window_names[] = {"before", "during", "after"};
  Json shades = Json::array();
  for (int i = 0; i < 3; ++i) {
    const r::Window& w = *windows[i];
    const auto extent = ExtentOf(w.span());
    if (!extent) continue;
    const Extent e = *extent;
    // What was killed, by the rule (incidents partly in or ongoing in the
    // upper bound only); "none recorded" with no incident behind it.
    const std::string killed =
        w.incident_count() == 0
            ? std::string("none recorded")
            : FigureText(w.killed(), w.incident_count(), w.partly_in_size(),
                         w.ongoing_size());
    shades.push_back(
        {{"window", window_names[i]},
         {"start", DayText(e.start)},
         {"end", DayText(e.end)},
         {"label", absl::StrCat(window_names[i], ": killed ", killed)}});
    if (w.incidents_left_out()) {
      notes.push_back(absl::StrCat(
          window_names[i], ": ", w.incident_count(),
          " incidents, too many to draw one by one; ListIncidents with span ",
          w.span().text(), " lists them."));
      records.push_back(
          {{"lane", "incident"},
           {"order", order++},
           {"name", absl::StrCat("incidents ", window_names[i])},
           {"row", absl::StrCat("incident: ", w.incident_count(), " ",
                                window_names[i])},
           {"label", absl::StrCat(w.incident_count(), " incidents")},
           {"span", w.span().text()},
           {"start", DayText(e.start)},
           {"end", DayText(e.end)},
           {"date", kLonger}});
    }
  }

  const Json x = TimeX("start", "date (UTC)", from, to);
  const Json y = {{"field", "row"},
                  {"type", "nominal"},
                  {"title", nullptr},
                  {"sort", {{"field", "order"}}},
                  {"axis", {{"labelLimit", 400}}}};
  Json layers = Json::array();
  layers.push_back(
      {{"data", {{"values", shades}}},
       {"layer",
        {{{"mark", {{"type", "rect"}, {"opacity", 0.5}}},
          {"encoding",
           {{"x", x},
            {"x2", {{"field", "end"}}},
            // A value, not a scale: the records' colours are their own.
            {"color",
             {{"condition",
               {{"test", "datum.window === 'during'"}, {"value", "#ffe3a0"}}},
              {"value", "#eeeeee"}}}}}},
         {{"mark",
           {{"type", "text"},
            {"align", "left"},
            {"baseline", "top"},
            {"dx", 4},
            {"dy", -16},
            {"fontSize", 10},
            {"color", "#444444"}}},
          {"encoding",
           {{"x", SameX(x, "start")},
            {"y", {{"value", 0}}},
            {"text", {{"field", "label"}}}}}}}}});
  layers.push_back(
      {{"data", {{"values", records}}},
       {"layer",
        {{{"mark",
           {{"type", "bar"},
            {"clip", true},
            {"cornerRadius", 2},
            {"stroke", "#333333"},
            {"strokeWidth", 0.5}}},
          {"encoding",
           {{"x", x},
            {"x2", {{"field", "end"}}},
            {"y", y},
            {"color",
             {{"field", "lane"},
              {"type", "nominal"},
              {"title", "record"},
              {"scale",
               {{"domain", {"round", "incident", "exchange", "statement"}},
                {"range", {"#f58518", "#e45756", "#4c78a8", "#54a24b"}}}}}},
            {"opacity",
             {{"field", "date"},
              {"type", "nominal"},
              {"title", "date"},
              {"scale",
               {{"type", "ordinal"},
                {"domain", {kDay, kLonger, kOngoing}},
                {"range", {1.0, 0.35, 0.65}}}}}},
            {"tooltip",
             {{{"field", "label"}, {"type", "nominal"}},
              {{"field", "span"}, {"type", "nominal"}, {"title", "date"}},
              {{"field", "name"}, {"type", "nominal"}}}}}}},
         {{"mark",
           {{"type", "text"},
            {"align", "left"},
            {"dx", 3},
            {"fontSize", 9},
            {"color", "#222222"}}},
          {"encoding",
           {{"x", SameX(x, "start")},
            {"y", y},
            {"text", {{"field", "span"}}}}}}}}});

  Json body = {
      {"width", kWidth}, {"height", {{"step", 22}}}, {"layer", layers}};
  const std::string headline = absl::StrCat(round.title(), ", ", round.held(),
                                            ": before, during and after");
  std::vector<std::string> subtitle = {
      absl::StrCat("Windows: before ", context.before().span().first_day(),
                   " to ", context.before().span().last_day(), ", during ",
                   context.during().span().first_day(), " to ",
                   context.during().span().last_day(), ", after ",
                   context.after().span().first_day(), " to ",
                   context.after().span().last_day(), "."),
      "Each record is a bar over the days its date covers; pale where it is "
      "known only to a longer span."};
  return Publishable(
      std::move(body), headline, subtitle,
      Caption(sources, context.times(), notes, context.missing()));
}

}  // namespace parley::ctl::chart
