// The agreement chart: people delivered over time under one term, per
// direction and in total, against the quotas. A delivery dated only to a
// week or a month is not a point: between the first and the day after the
// last day of its span the chart shows a band, from what was surely
// delivered by then (the lower line, which takes it at the end of its span)
// to what may have been (the upper line, which takes it at the start). The
// figures in words (subtitle) are the report's own.
#include <algorithm>
#include <map>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/parleyctl/chart_spec.h"
#include "tools/parleyctl/format.h"

namespace parley::ctl::chart {
namespace {

namespace r = ::parley::reports::v1;

constexpr char kTotal[] = "total";
constexpr char kSurely[] = "surely delivered by then";
constexpr char kMaybe[] = "may have been delivered by then";
constexpr int kHeight = 320;

// One direction's delivery in one exchange.
struct Delivery {
  std::string series;
  Extent when;
  Bounds count;
};

std::string Thousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(i, ",");
  return n < 0 ? "-" + digits : digits;
}

// "1,000", or "900 to 1,000" for a quota given as a range.
std::string QuotaText(const Bounds& quota) {
  return quota.low == quota.high || quota.low == 0
             ? Thousands(quota.high)
             : absl::StrCat(Thousands(quota.low), " to ",
                            Thousands(quota.high));
}

std::string Direction(const exchanges::v1::Transfer& t) {
  return absl::StrCat(PartyText(t.from_party()), " to ",
                      PartyText(t.to_party()));
}

}  // namespace

absl::StatusOr<Json> AgreementChart(
    const r::GetAgreementProgressResponse& progress,
    const r::TermProgress& term,
    const std::vector<exchanges::v1::Exchange>& exchanges) {
  const Bounds quota = BoundsOf(term.quota());
  const auto as_of = ParseDay(progress.times().as_of());
  if (!quota.known || quota.high <= 0 || quota.open_high || !as_of) {
    return absl::FailedPreconditionError(
        "the term has no quota figure to draw against");
  }
  const absl::CivilDay end_of_as_of = *as_of + 1;
  const std::set<std::string> in_term(term.exchanges().begin(),
                                      term.exchanges().end());
  std::vector<Delivery> deliveries;
  std::set<std::string> series;
  std::map<std::string, std::string> receiver_of;  // series -> receiver
  std::vector<std::string> sources;
  std::vector<exchanges::v1::Exchange> drawn;
  std::vector<std::string> undated;
  for (const auto& e : exchanges) {
    if (in_term.count(e.metadata().name()) == 0) continue;
    const auto when = ExtentOf(e.occurred_span());
    if (!when) {
      undated.push_back(e.metadata().name());
      continue;
    }
    drawn.push_back(e);
    for (const auto& t : e.transfers()) {
      if (t.category() != term.category()) continue;
      deliveries.push_back({Direction(t), *when, BoundsOf(t.count())});
      series.insert(deliveries.back().series);
      receiver_of[deliveries.back().series] = PartyText(t.to_party());
    }
  }
  AddSources(drawn, &sources);
  if (deliveries.empty()) {
    return absl::FailedPreconditionError("the term has no deliveries to draw");
  }

  // The x axis: from the first delivery's first day to as_of, the last
  // delivery, or the projection's latest day, whichever is last. A
  // projection with no latest day runs a third again past its earliest.
  absl::CivilDay from = deliveries.front().when.start;
  absl::CivilDay to = end_of_as_of;
  for (const auto& d : deliveries) {
    from = std::min(from, d.when.start);
    to = std::max(to, d.when.end);
  }
  const auto earliest = ParseDay(term.projection().earliest_day());
  const auto latest = ParseDay(term.projection().latest_day());
  if (earliest) to = std::max(to, *earliest + 1);
  if (latest) {
    to = std::max(to, *latest + 1);
  } else if (earliest) {
    to =
        std::max(to, *earliest + std::max<int64_t>(30, (*earliest - from) / 3));
  }

  // The cumulative bounds at every day where one changes, up to as_of. An
  // exchange reaching past as_of is in the upper line only.
  std::set<absl::CivilDay> steps = {from, end_of_as_of};
  for (const auto& d : deliveries) {
    if (d.when.start <= end_of_as_of) steps.insert(d.when.start);
    if (d.when.end <= end_of_as_of) steps.insert(d.when.end);
  }
  Json bounds = Json::array();
  Json lines = Json::array();
  int64_t top = quota.high;
  bool open_at_as_of = false;
  std::map<std::string, std::pair<int64_t, int64_t>> at_as_of;
  std::vector<std::string> all_series(series.begin(), series.end());
  all_series.push_back(kTotal);
  for (const auto& name : all_series) {
    for (const absl::CivilDay day : steps) {
      int64_t low = 0, high = 0;
      bool open = false;
      for (const auto& d : deliveries) {
        if (name != kTotal && d.series != name) continue;
        if (d.when.end <= day) low += d.count.low;
        if (d.when.start <= day) {
          high += d.count.high;
          open = open || d.count.open_high;
        }
      }
      top = std::max(top, high);
      at_as_of[name] = {low, high};
      if (name == kTotal) open_at_as_of = open;
      bounds.push_back({{"series", name},
                        {"day", DayText(day)},
                        {"low", low},
                        {"high", high},
                        {"open_high", open}});
      lines.push_back({{"series", name},
                       {"day", DayText(day)},
                       {"bound", kSurely},
                       {"people", low}});
      lines.push_back({{"series", name},
                       {"day", DayText(day)},
                       {"bound", kMaybe},
                       {"people", high}});
    }
  }

  const Json x = TimeX("day", nullptr, from, to);
  const Json y = {
      {"field", "people"},
      {"type", "quantitative"},
      {"title", "people, cumulative"},
      {"scale", {{"domain", {0, top + top / 20}}, {"nice", false}}}};
  // Directions in a colour each, the total in black; the legend shows the
  // lines' colours, not the pale bands'.
  const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                           "#8c564b"};
  Json colours = Json::array();
  for (size_t i = 0; i < series.size(); ++i) colours.push_back(palette[i % 5]);
  colours.push_back("#222222");
  const Json colour = {{"field", "series"},
                       {"type", "nominal"},
                       {"title", "delivered"},
                       {"legend",
                        {{"symbolType", "stroke"},
                         {"symbolOpacity", 1},
                         {"symbolStrokeWidth", 3}}},
                       {"scale", {{"domain", all_series}, {"range", colours}}}};

  Json layers = Json::array();
  // The projected completion: a shaded interval, and the two paces that
  // bound it, from what may have been delivered by as_of to the quota's low
  // (the earliest day) and from what surely was to its high (the latest).
  if (earliest) {
    const absl::CivilDay shade_end = latest ? *latest + 1 : to;
    const std::string label =
        latest ? absl::StrCat("projected completion ", DayText(*earliest),
                              " to ", DayText(*latest))
               : absl::StrCat("projected completion from ", DayText(*earliest),
                              "; no latest day");
    const Json shade_x = TimeX("start", nullptr, from, to);
    layers.push_back(
        {{"data",
          {{"values",
            {{{"start", DayText(*earliest)},
              {"end", DayText(shade_end)},
              {"label", label}}}}}},
         {"layer",
          {{{"mark",
             {{"type", "rect"}, {"color", "#f2b701"}, {"opacity", 0.22}}},
            {"encoding",
             {{"x", shade_x},
              {"x2", {{"field", "end"}}},
              {"tooltip", {{{"field", "label"}, {"type", "nominal"}}}}}}},
           {{"mark",
             {{"type", "text"},
              {"align", "right"},
              {"baseline", "bottom"},
              {"dx", -4},
              {"dy", -4},
              {"fontSize", 11},
              {"color", "#7a5c00"}}},
            {"encoding",
             {{"x", SameX(shade_x, "end")},
              {"y", {{"value", kHeight}}},
              {"text", {{"field", "label"}}}}}}}}});
    const auto [total_low, total_high] = at_as_of[kTotal];
    Json paces = Json::array();
    paces.push_back({{"pace", "at the fastest pace"},
                     {"day", DayText(end_of_as_of)},
                     {"people", total_high}});
    paces.push_back({{"pace", "at the fastest pace"},
                     {"day", DayText(*earliest)},
                     {"people", quota.low > 0 ? quota.low : quota.high}});
    if (latest) {
      paces.push_back({{"pace", "at the slowest pace"},
                       {"day", DayText(end_of_as_of)},
                       {"people", total_low}});
      paces.push_back({{"pace", "at the slowest pace"},
                       {"day", DayText(*latest + 1)},
                       {"people", quota.high}});
    }
    layers.push_back(
        {{"data", {{"values", paces}}},
         {"mark",
          {{"type", "line"},
           {"color", "#9c7a00"},
           {"strokeDash", {2, 3}},
           {"strokeWidth", 1}}},
         {"encoding", {{"x", x}, {"y", y}, {"detail", {{"field", "pace"}}}}}});
  }

  // The bands: between what was surely and what may have been delivered.
  layers.push_back(
      {{"data", {{"values", bounds}}},
       {"mark",
        {{"type", "area"}, {"interpolate", "step-after"}, {"opacity", 0.18}}},
       {"encoding",
        {{"x", x},
         {"y",
          {{"field", "low"},
           {"type", "quantitative"},
           {"scale", y["scale"]},
           {"title", "people, cumulative"}}},
         {"y2", {{"field", "high"}}},
         {"color", colour},
         {"tooltip",
          {{{"field", "series"}, {"type", "nominal"}},
           {{"field", "day"}, {"type", "temporal"}, {"format", "%Y-%m-%d"}},
           {{"field", "low"}, {"title", "surely delivered"}},
           {{"field", "high"}, {"title", "may have been delivered"}},
           {{"field", "open_high"}, {"title", "no upper figure"}}}}}}});
  layers.push_back({{"data", {{"values", lines}}},
                    {"mark", {{"type", "line"}, {"interpolate", "step-after"}}},
                    {"encoding",
                     {{"x", x},
                      {"y", y},
                      {"color", colour},
                      {"strokeDash",
                       {{"field", "bound"},
                        {"type", "nominal"},
                        {"title", nullptr},
                        {"scale",
                         {{"domain", {kSurely, kMaybe}},
                          {"range", {Json::array(), {4, 3}}}}}}}}}});

  // The quotas: the term's (both ends of a range), and each side's where the
  // agreement splits it, one rule for sides with the same figure.
  Json quotas = Json::array();
  const std::string total_label = absl::StrCat(
      "quota ", QuotaText(quota), series.size() > 1 ? " (total)" : "");
  quotas.push_back(
      {{"series", kTotal}, {"people", quota.high}, {"label", total_label}});
  if (quota.low > 0 && quota.low != quota.high) {
    quotas.push_back(
        {{"series", kTotal}, {"people", quota.low}, {"label", ""}});
  }
  std::map<int64_t, std::vector<std::string>> side_quotas;  // figure -> sides
  std::map<int64_t, std::string> side_series;
  for (const auto& side : term.sides()) {
    const Bounds side_quota = BoundsOf(side.quota());
    if (!side_quota.known || side_quota.open_high) continue;
    const std::string receiver = PartyText(side.receiver());
    side_quotas[side_quota.high].push_back(receiver);
    // In the colour of the direction that delivers to it, if any yet.
    side_series[side_quota.high] = kTotal;
    for (const auto& [name, to_whom] : receiver_of) {
      if (to_whom == receiver) side_series[side_quota.high] = name;
    }
  }
  for (const auto& [figure, receivers] : side_quotas) {
    quotas.push_back(
        {{"series", receivers.size() == 1 ? side_series[figure] : kTotal},
         {"people", figure},
         {"label",
          receivers.size() == 1
              ? absl::StrCat("quota to ", receivers[0], " ", Thousands(figure))
              : absl::StrCat("quota ", Thousands(figure), " each to ",
                             absl::StrJoin(receivers, ", "))}});
  }
  layers.push_back({{"data", {{"values", quotas}}},
                    {"layer",
                     {{{"mark", {{"type", "rule"}, {"strokeDash", {6, 4}}}},
                       {"encoding", {{"y", y}, {"color", colour}}}},
                      {{"mark",
                        {{"type", "text"},
                         {"align", "left"},
                         {"baseline", "top"},
                         {"dx", 4},
                         {"dy", 3}}},
                       {"encoding",
                        {{"x", {{"value", 0}}},
                         {"y", y},
                         {"text", {{"field", "label"}}},
                         {"color", colour}}}}}}});

  // As of: where the record ends; its label runs up the line, so it meets
  // neither the quota's label nor the projection's.
  layers.push_back(
      {{"data",
        {{"values",
          {{{"day", DayText(end_of_as_of)},
            {"label", absl::StrCat("as of ", progress.times().as_of())}}}}}},
       {"layer",
        {{{"mark", {{"type", "rule"}, {"color", "#555555"}}},
          {"encoding", {{"x", x}}}},
         {{"mark",
           {{"type", "text"},
            {"angle", 270},
            {"align", "left"},
            {"baseline", "top"},
            {"dx", 4},
            {"dy", 4},
            {"color", "#555555"}}},
          {"encoding",
           {{"x", x},
            {"y", {{"value", kHeight}}},
            {"text", {{"field", "label"}}}}}}}}});

  Json body = {{"width", kWidth}, {"height", kHeight}, {"layer", layers}};
  const std::string category =
      EnumText(exchanges::v1::Category_Name(term.category()), "CATEGORY_");
  const std::string headline =
      absl::StrCat(progress.agreement().title(), ": ", category,
                   " delivered against a quota of ", QuotaText(quota));
  // The figures in words are the report's, by the one window rule.
  std::vector<std::string> subtitle = {
      absl::StrCat(
          FigureText(term.delivered(), 1, term.partly_after_as_of_size(), 0),
          " delivered by ", progress.times().as_of(),
          absl::StrFormat(" (%.1f%%", term.share_low_percent()),
          term.share_high_percent() > term.share_low_percent() + 0.05
              ? absl::StrFormat(" to %.1f%%)", term.share_high_percent())
              : ")",
          "; pace ", EstimateText(term.pace().per_30_days()), " per 30 days; ",
          EnumText(r::Verdict_Name(term.verdict()), "VERDICT_"), "."),
      absl::StrCat(
          "A delivery dated only to a week or a month is a band over that "
          "span: solid, what was surely delivered by then; dashed, what may "
          "have been",
          open_at_as_of ? " (at least: some counts have no upper figure)" : "",
          ".")};
  std::vector<std::string> notes;
  for (const auto& reason : term.reasons()) notes.push_back(reason);
  const std::string claims = ClaimsText(term.delivered());
  if (!claims.empty()) notes.push_back(absl::StrCat("Claims: ", claims, "."));
  if (!term.partly_after_as_of().empty()) {
    notes.push_back(
        absl::StrCat("Dated partly after as_of, in the upper line only: ",
                     absl::StrJoin(term.partly_after_as_of(), ", "), "."));
  }
  if (!undated.empty()) {
    notes.push_back(absl::StrCat(
        "Not drawn, no date: ", absl::StrJoin(undated, ", "), "."));
  }
  notes.push_back(
      absl::StrCat("Exchanges: ", absl::StrJoin(term.exchanges(), ", "), "."));
  return Publishable(
      std::move(body), headline, subtitle,
      Caption(sources, progress.times(), notes, progress.missing()));
}

}  // namespace parley::ctl::chart
