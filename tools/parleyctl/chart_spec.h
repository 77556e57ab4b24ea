// What every chart of parleyctl shares: Vega-Lite specifications built from
// the reports, with their data inline, a time axis that spans what the data
// needs, bounds drawn as bounds, and a caption with the sources and the
// report's times. The three charts (agreement, incidents, talks) are built
// from report replies by pure functions, so they are tested on constructed
// data as well as through the gateway.
#ifndef PARLEY_TOOLS_PARLEYCTL_CHART_SPEC_H_
#define PARLEY_TOOLS_PARLEYCTL_CHART_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/model/date_span.h"
#include "nlohmann/json.hpp"
#include "parley/common/v1/date_span.pb.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/source.pb.h"
#include "parley/exchanges/v1/exchange.pb.h"
#include "parley/reports/v1/reports_service.pb.h"

namespace parley::ctl::chart {

using Json = nlohmann::json;

// The Vega-Lite version the specifications follow.
inline constexpr char kVegaLiteSchema[] =
    "https://vega.github.io/schema/vega-lite/v5.json";
// The plotting area's width in pixels; the renderer adds axes and legends.
inline constexpr int kWidth = 640;

// "2026-02-01".
std::string DayText(absl::CivilDay day);
// A day of a report ("2026-02-01"), or nullopt if empty or malformed.
std::optional<absl::CivilDay> ParseDay(const std::string& text);

// A span of days as drawn on a time axis: from its first day to the day
// after its last, so that a day, a week or a month has its width.
struct Extent {
  absl::CivilDay start;
  absl::CivilDay end;  // exclusive
};
// nullopt for a span without (valid) days: such a record is not drawn.
std::optional<Extent> ExtentOf(const common::v1::DateSpan& span);

// An estimate as a drawable range, read as the gateway sums it: no low is
// 0, no high is open ("at least 5": `high` is then the largest figure
// given, and `open_high` true). Unknown estimates have `known` false.
struct Bounds {
  bool known = false;
  int64_t low = 0;
  bool has_best = false;
  int64_t best = 0;  // low when there is no best
  int64_t high = 0;
  bool open_high = false;
};
Bounds BoundsOf(const common::v1::Estimate& estimate);

// "Kyiv Independent, Telegram", or the attributed party.
std::string SourceText(const common::v1::Source& source);

// The caption under a chart: its sources (each once, in order), what the
// report could not fill (`missing`), any notes, and the report's as-of day
// and known-at time; wrapped to lines the width of the chart.
std::vector<std::string> Caption(
    const std::vector<std::string>& sources,
    const reports::v1::ReportTimes& times,
    const std::vector<std::string>& notes,
    const google::protobuf::RepeatedPtrField<reports::v1::MissingSection>&
        missing);

// Words wrapped into lines of at most `width` characters.
std::vector<std::string> Wrap(const std::string& text, size_t width);

// A time axis (x) over [from, to) exactly: a UTC scale, so the chart reads
// the same in any time zone, and no "nice" rounding past the data.
// `title` is the axis title, or null for none.
Json TimeX(const std::string& field, const Json& title, absl::CivilDay from,
           absl::CivilDay to);

// Another field on the same time axis as `x` (a TimeX): the same UTC scale.
Json SameX(const Json& x, const std::string& field);

// The publishable chart: `body` (a layer or concat view) with the headline
// and subtitle above it, the caption below, and one look for all charts.
Json Publishable(Json body, const std::string& headline,
                 const std::vector<std::string>& subtitle,
                 const std::vector<std::string>& caption);

// Names of distinct sources of a list of records, in order.
template <typename Records>
void AddSources(const Records& records, std::vector<std::string>* out) {
  for (const auto& record : records) {
    for (const auto& source : record.sources()) {
      const std::string text = SourceText(source);
      bool seen = false;
      for (const auto& s : *out) seen = seen || s == text;
      if (!seen && !text.empty()) out->push_back(text);
    }
  }
}

// --- the three charts ------------------------------------------------------

// Delivered over time per direction and in total against the term's quota
// (and each side's), with the as-of line and the projected completion.
// `exchanges` are the term's exchanges (others are ignored).
absl::StatusOr<Json> AgreementChart(
    const reports::v1::GetAgreementProgressResponse& progress,
    const reports::v1::TermProgress& term,
    const std::vector<exchanges::v1::Exchange>& exchanges);

// How incidents are grouped in time.
enum class Period { kWeek, kMonth };
// The ISO weeks or calendar months that overlap `span`, in order.
std::vector<DateSpan> PeriodsOf(const DateSpan& span, Period by);

// One period's summary, as GetSummary answered it.
struct PeriodSummary {
  DateSpan period;
  reports::v1::GetSummaryResponse summary;
};
// Incidents and killed per period, with the bounds. `sources`: those of the
// incidents behind it, for the caption.
absl::StatusOr<Json> IncidentsChart(const DateSpan& span,
                                    const std::string& region, Period by,
                                    const std::vector<PeriodSummary>& periods,
                                    std::vector<std::string> sources);

// A time map around a round of talks: the round, and the incidents,
// exchanges and statements before, during and after it.
absl::StatusOr<Json> TalksChart(
    const reports::v1::GetTalksContextResponse& context);

}  // namespace parley::ctl::chart

#endif  // PARLEY_TOOLS_PARLEYCTL_CHART_SPEC_H_
