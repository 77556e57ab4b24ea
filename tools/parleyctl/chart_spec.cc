#include "tools/parleyctl/chart_spec.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "tools/parleyctl/format.h"

namespace parley::ctl::chart {

std::string DayText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.empty() || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  return day;
}

std::optional<Extent> ExtentOf(const common::v1::DateSpan& span) {
  const auto first = ParseDay(span.first_day());
  const auto last = ParseDay(span.last_day());
  if (!first || !last || *last < *first) return std::nullopt;
  return Extent{*first, *last + 1};
}

Bounds BoundsOf(const common::v1::Estimate& e) {
  Bounds b;
  if (!e.has_low() && !e.has_best() && !e.has_high()) return b;
  b.known = true;
  // As the services store them (and the gateway sums them): no low is 0, no
  // high is unbounded. An exact figure is its own bounds even if a client
  // left them unset.
  const bool exact =
      e.qualifier() == common::v1::Estimate::QUALIFIER_EXACT && e.has_best();
  b.low = e.has_low() ? e.low() : exact ? e.best() : 0;
  b.has_best = e.has_best();
  b.best = e.has_best() ? e.best() : b.low;
  b.open_high = !e.has_high() && !exact;
  b.high = e.has_high() ? e.high() : std::max(b.best, b.low);
  return b;
}

std::string SourceText(const common::v1::Source& source) {
  std::string who = !source.publisher().empty()
                        ? source.publisher()
                        : PartyText(source.attributed_to());
  if (!source.channel().empty()) absl::StrAppend(&who, ", ", source.channel());
  return who;
}

std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<std::string> Caption(
    const std::vector<std::string>& sources,
    const reports::v1::ReportTimes& times,
    const std::vector<std::string>& notes,
    const google::protobuf::RepeatedPtrField<reports::v1::MissingSection>&
        missing) {
  // About 6 px a character at the caption's 10 px: the chart's width.
  constexpr size_t kChars = kWidth / 5.6;
  std::vector<std::string> lines;
  auto add = [&](const std::string& text) {
    for (auto& line : Wrap(text, kChars)) lines.push_back(std::move(line));
  };
  add(sources.empty()
          ? std::string("Sources: none recorded.")
          : absl::StrCat("Sources: ", absl::StrJoin(sources, "; "), "."));
  for (const auto& m : missing) {
    add(absl::StrCat("Not available: ", m.section(), " (", m.service(), ": ",
                     m.reason(), "); the chart lacks it."));
  }
  for (std::string note : notes) {
    if (!note.empty()) note[0] = absl::ascii_toupper(note[0]);
    add(note);
  }
  std::string known_at = "now";
  if (times.has_known_at()) {
    known_at = google::protobuf::util::TimeUtil::ToString(times.known_at());
  }
  add(absl::StrCat("As of ", times.as_of(), ", as known at ", known_at,
                   ". Parley."));
  return lines;
}

Json SameX(const Json& x, const std::string& field) {
  Json same = {{"field", field}, {"type", "temporal"}, {"scale", x["scale"]}};
  return same;
}

Json TimeX(const std::string& field, const Json& title, absl::CivilDay from,
           absl::CivilDay to) {
  Json axis = {{"labelOverlap", true}, {"labelFlush", true}};
  // Ticks at whole months or years when the axis spans more than a few
  // months, so that no label repeats; days within a season.
  const int64_t days = to - from;
  if (days > 3 * 365) {
    axis["tickCount"] = "year";
    axis["format"] = "%Y";
  } else if (days > 92) {
    axis["tickCount"] = "month";
    axis["format"] = "%b %Y";
  } else {
    axis["format"] = "%d %b";
  }
  return {{"field", field},
          {"type", "temporal"},
          {"title", title},
          {"scale",
           {{"type", "utc"},
            {"domain", {DayText(from), DayText(to)}},
            {"nice", false}}},
          {"axis", axis}};
}

Json Publishable(Json body, const std::string& headline,
                 const std::vector<std::string>& subtitle,
                 const std::vector<std::string>& caption) {
  // About 9 px a character at the headline's 15 px.
  Json title = {{"text", Wrap(headline, kWidth / 8.5)}, {"anchor", "start"}};
  // And about 6.2 px at the subtitle's 11 px.
  std::vector<std::string> subtitle_lines;
  for (const auto& line : subtitle) {
    for (auto& part : Wrap(line, kWidth / 6.2)) {
      subtitle_lines.push_back(std::move(part));
    }
  }
  if (!subtitle_lines.empty()) title["subtitle"] = subtitle_lines;
  body["title"] = title;
  return {{"$schema", kVegaLiteSchema},
          {"vconcat", Json::array({std::move(body)})},
          // The caption sits under the chart, as a newsroom's source line does.
          {"title",
           {{"text", caption},
            {"orient", "bottom"},
            {"anchor", "start"},
            {"fontSize", 10},
            {"fontWeight", "normal"},
            {"color", "#555555"},
            {"offset", 12}}},
          {"padding", 16},
          {"background", "white"},
          {"config",
           {{"font", "DejaVu Sans, sans-serif"},
            {"title", {{"fontSize", 15}, {"subtitleFontSize", 11}}},
            {"view", {{"stroke", nullptr}}},
            {"legend",
             {{"orient", "bottom"},
              {"direction", "vertical"},
              {"labelLimit", 400}}}}}};
}

}  // namespace parley::ctl::chart
