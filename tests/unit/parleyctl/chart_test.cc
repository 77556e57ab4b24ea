// parleyctl's charts on constructed report replies: where each bound steps,
// how an imprecise date is drawn, the x axis spanning the data and the
// projection and no more, the caption; and each chart through the real
// renderer (checked against the Vega-Lite schema, drawn to SVG, then PNG).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tools/parleyctl/chart_render.h"
#include "tools/parleyctl/chart_spec.h"

namespace parley::ctl::chart {
namespace {

using ::testing::HasSubstr;
namespace r = ::parley::reports::v1;

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// Every inline data row anywhere in the spec that has `key`.
void RowsWith(const Json& node, const std::string& key,
              std::vector<Json>* out) {
  if (node.is_object()) {
    if (node.contains("values") && node["values"].is_array()) {
      for (const auto& row : node["values"]) {
        if (row.is_object() && row.contains(key)) out->push_back(row);
      }
    }
    for (const auto& [name, child] : node.items()) RowsWith(child, key, out);
  } else if (node.is_array()) {
    for (const auto& child : node) RowsWith(child, key, out);
  }
}
std::vector<Json> RowsWith(const Json& spec, const std::string& key) {
  std::vector<Json> rows;
  RowsWith(spec, key, &rows);
  return rows;
}

// Every explicit scale domain of a UTC (time) scale in the spec.
void TimeDomains(const Json& node, std::vector<Json>* out) {
  if (node.is_object()) {
    if (node.contains("scale") && node["scale"].is_object() &&
        node["scale"].value("type", "") == "utc") {
      out->push_back(node["scale"]["domain"]);
    }
    for (const auto& [name, child] : node.items()) TimeDomains(child, out);
  } else if (node.is_array()) {
    for (const auto& child : node) TimeDomains(child, out);
  }
}

// The one x domain a chart has (every time axis in it must agree).
Json XDomain(const Json& spec) {
  std::vector<Json> domains;
  TimeDomains(spec, &domains);
  EXPECT_FALSE(domains.empty());
  for (const auto& d : domains) EXPECT_EQ(d, domains.front());
  return domains.empty() ? Json() : domains.front();
}

std::string CaptionText(const Json& spec) {
  std::string text;
  for (const auto& line : spec["title"]["text"]) {
    absl::StrAppend(&text, line.get<std::string>(), "\n");
  }
  return text;
}

const Json* Row(const std::vector<Json>& rows, const std::string& series,
                const std::string& day) {
  for (const auto& row : rows) {
    if (row["series"] == series && row["day"] == day) return &row;
  }
  return nullptr;
}

// --- agreement -------------------------------------------------------------

r::GetAgreementProgressResponse Progress() {
  return FromJson<r::GetAgreementProgressResponse>(R"({
    "times": {"asOf": "2026-01-31", "knownAt": "2026-02-02T10:00:00Z"},
    "agreement": {"metadata": {"name": "agreements/test"}, "title": "Test accord"},
    "terms": [{
      "category": "CATEGORY_PRISONERS_OF_WAR",
      "quota": {"best": 1000, "qualifier": "QUALIFIER_EXACT"},
      "delivered": {"low": 330, "best": 340, "high": 350},
      "exchanges": ["exchanges/a", "exchanges/b"],
      "pace": {"per_30_days": {"low": 100, "best": 100, "high": 160}},
      "projection": {"earliestDay": "2026-03-01", "latestDay": "2026-06-30"},
      "projectedCompletion": {"firstDay": "2026-03-01", "lastDay": "2026-06-30"},
      "verdict": "VERDICT_ON_TRACK",
      "reasons": ["no deadline"]
    }]})");
}

std::vector<exchanges::v1::Exchange> Exchanges() {
  return {
      FromJson<exchanges::v1::Exchange>(R"({
        "metadata": {"name": "exchanges/a"},
        "occurred": "2025-12",
        "occurredSpan": {"firstDay": "2025-12-01", "lastDay": "2025-12-31",
                         "precision": "PRECISION_MONTH"},
        "transfers": [
          {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
           "category": "CATEGORY_PRISONERS_OF_WAR",
           "count": {"best": 200, "qualifier": "QUALIFIER_EXACT"}},
          {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
           "category": "CATEGORY_REMAINS",
           "count": {"best": 999, "qualifier": "QUALIFIER_EXACT"}}],
        "sources": [{"publisher": "Kyiv Independent"}]})"),
      FromJson<exchanges::v1::Exchange>(R"({
        "metadata": {"name": "exchanges/b"},
        "occurred": "2026-01-10",
        "occurredSpan": {"firstDay": "2026-01-10", "lastDay": "2026-01-10",
                         "precision": "PRECISION_DAY"},
        "transfers": [
          {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
           "category": "CATEGORY_PRISONERS_OF_WAR",
           "count": {"best": 100, "qualifier": "QUALIFIER_EXACT"}},
          {"fromParty": {"country": "UA"}, "toParty": {"country": "RU"},
           "category": "CATEGORY_PRISONERS_OF_WAR",
           "count": {"low": 30, "best": 40, "high": 50,
                     "qualifier": "QUALIFIER_ABOUT"}}],
        "sources": [{"publisher": "Ukrinform"},
                    {"publisher": "Kyiv Independent"}]})"),
      // Not under the term: left out.
      FromJson<exchanges::v1::Exchange>(R"({
        "metadata": {"name": "exchanges/z"},
        "occurred": "2020-01-01",
        "occurredSpan": {"firstDay": "2020-01-01", "lastDay": "2020-01-01"},
        "transfers": [
          {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
           "category": "CATEGORY_PRISONERS_OF_WAR",
           "count": {"best": 5000, "qualifier": "QUALIFIER_EXACT"}}]})"),
  };
}

TEST(AgreementChart, MonthDatedDeliveryIsABandOverItsMonthNotAPoint) {
  const auto progress = Progress();
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  const auto rows = RowsWith(*spec, "open_high");
  // Across December the 200 may or may not have been delivered yet.
  const Json* dec1 = Row(rows, "RU to UA", "2025-12-01");
  ASSERT_NE(dec1, nullptr);
  EXPECT_EQ((*dec1)["low"], 0);
  EXPECT_EQ((*dec1)["high"], 200);
  // From the day after its month, surely.
  const Json* jan1 = Row(rows, "RU to UA", "2026-01-01");
  ASSERT_NE(jan1, nullptr);
  EXPECT_EQ((*jan1)["low"], 200);
  EXPECT_EQ((*jan1)["high"], 200);
  // A delivery on a known day: its bounds meet the day after.
  const Json* jan10 = Row(rows, "total", "2026-01-10");
  const Json* jan11 = Row(rows, "total", "2026-01-11");
  ASSERT_NE(jan10, nullptr);
  ASSERT_NE(jan11, nullptr);
  EXPECT_EQ((*jan10)["low"], 200);
  EXPECT_EQ((*jan10)["high"], 350);  // 200 + 100 + 50, the UA to RU high
  EXPECT_EQ((*jan11)["low"], 330);   // 200 + 100 + 30, its low
  EXPECT_EQ((*jan11)["high"], 350);  // "about 40" stays a range
  // Nothing drawn past as_of, and no step at a point inside December.
  for (const auto& row : rows) {
    EXPECT_LE(row["day"].get<std::string>(), "2026-02-01") << row;
    EXPECT_NE(row["day"], "2025-12-31") << row;
  }
  // The exchange outside the term and the other category are not counted.
  for (const auto& row : rows) EXPECT_LE(row["high"].get<int64_t>(), 350);
}

TEST(AgreementChart, XAxisSpansTheDataAndTheProjectionAndNoMore) {
  const auto progress = Progress();
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  // From the first day of the first delivery to the day after the latest
  // projected completion; not back to exchanges/z's 2020.
  EXPECT_EQ(XDomain(*spec), Json({"2025-12-01", "2026-07-01"}));
  const auto shade = RowsWith(*spec, "label");
  bool projected = false;
  for (const auto& row : shade) {
    if (row["label"].get<std::string>().find("projected completion") == 0) {
      projected = true;
      EXPECT_EQ(row["start"], "2026-03-01");
      EXPECT_EQ(row["end"], "2026-07-01");
    }
  }
  EXPECT_TRUE(projected);

  // With no projection, the axis ends at as_of.
  auto no_projection = progress;
  no_projection.mutable_terms(0)->clear_projection();
  no_projection.mutable_terms(0)->clear_projected_completion();
  spec = AgreementChart(no_projection, no_projection.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(XDomain(*spec), Json({"2025-12-01", "2026-02-01"}));
}

TEST(AgreementChart, CaptionNamesSourcesOnceAndTheReportTimes) {
  const auto progress = Progress();
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  const std::string caption = CaptionText(*spec);
  EXPECT_THAT(caption, HasSubstr("Sources: Kyiv Independent; Ukrinform."));
  EXPECT_THAT(caption, HasSubstr("As of 2026-01-31, as known at "
                                 "2026-02-02T10:00:00Z"));
  EXPECT_THAT(caption, HasSubstr("No deadline"));
  EXPECT_EQ((*spec)["$schema"], kVegaLiteSchema);
  // The quota is drawn.
  bool quota = false;
  for (const auto& row : RowsWith(*spec, "people")) {
    quota = quota || (row.contains("label") && row["people"] == 1000);
  }
  EXPECT_TRUE(quota);
}

TEST(AgreementChart, EachSidesQuotaAgainstItsDirection) {
  auto progress = Progress();
  auto* term = progress.mutable_terms(0);
  auto* to_ua = term->add_sides();
  to_ua->mutable_receiver()->set_country("UA");
  to_ua->mutable_quota()->set_best(600);
  to_ua->mutable_quota()->set_qualifier(common::v1::Estimate::QUALIFIER_EXACT);
  auto* to_ru = term->add_sides();
  to_ru->mutable_receiver()->set_country("RU");
  to_ru->mutable_quota()->set_best(400);
  to_ru->mutable_quota()->set_qualifier(common::v1::Estimate::QUALIFIER_EXACT);
  auto spec = AgreementChart(progress, *term, Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  std::map<std::string, std::pair<std::string, int64_t>> quotas;
  for (const auto& row : RowsWith(*spec, "people")) {
    if (!row.contains("label")) continue;
    quotas[row["label"]] = {row["series"], row["people"]};
  }
  EXPECT_EQ(quotas["quota to UA 600"],
            std::make_pair(std::string("RU to UA"), int64_t{600}));
  EXPECT_EQ(quotas["quota to RU 400"],
            std::make_pair(std::string("UA to RU"), int64_t{400}));
  EXPECT_EQ(quotas["quota 1,000 (total)"],
            std::make_pair(std::string("total"), int64_t{1000}));
}

TEST(AgreementChart, AnOpenLatestDayShadesToTheEdgeAndSaysSo) {
  auto progress = Progress();
  progress.mutable_terms(0)->mutable_projection()->clear_latest_day();
  progress.mutable_terms(0)->clear_projected_completion();
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  // A third again past the earliest day (from 2025-12-01): to 2026-03-31.
  EXPECT_EQ(XDomain(*spec), Json({"2025-12-01", "2026-03-31"}));
  bool said = false;
  for (const auto& row : RowsWith(*spec, "label")) {
    if (row["label"].get<std::string>().find("no latest day") !=
        std::string::npos) {
      said = true;
      EXPECT_EQ(row["end"], "2026-03-31");
    }
  }
  EXPECT_TRUE(said);
}

TEST(AgreementChart, PartlyAfterAsOfOpenCountsAndQuotaRangesStayBounds) {
  auto progress = Progress();
  auto* term = progress.mutable_terms(0);
  term->mutable_quota()->set_low(900);
  term->mutable_quota()->set_high(1000);
  term->mutable_quota()->set_qualifier(common::v1::Estimate::QUALIFIER_ABOUT);
  term->add_exchanges("exchanges/c");
  term->add_partly_after_as_of("exchanges/c");
  auto exchanges = Exchanges();
  // "At least 20", in a week that runs past as_of (2026-01-31).
  exchanges.push_back(FromJson<exchanges::v1::Exchange>(R"({
    "metadata": {"name": "exchanges/c"},
    "occurred": "2026-W05",
    "occurredSpan": {"firstDay": "2026-01-26", "lastDay": "2026-02-01"},
    "transfers": [
      {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
       "category": "CATEGORY_PRISONERS_OF_WAR",
       "count": {"low": 20, "best": 20, "qualifier": "QUALIFIER_AT_LEAST"}}],
    "sources": [{"publisher": "Ukrinform"}]})"));
  auto spec = AgreementChart(progress, *term, exchanges);
  ASSERT_TRUE(spec.ok()) << spec.status();
  const auto rows = RowsWith(*spec, "open_high");
  const Json* end = Row(rows, "total", "2026-02-01");  // the day after as_of
  ASSERT_NE(end, nullptr);
  EXPECT_EQ((*end)["low"], 330);   // not surely delivered by as_of
  EXPECT_EQ((*end)["high"], 370);  // may have been, with no upper figure
  EXPECT_EQ((*end)["open_high"], true);
  const Json* before = Row(rows, "total", "2026-01-11");
  ASSERT_NE(before, nullptr);
  EXPECT_EQ((*before)["open_high"], false);
  // The fastest pace reaches the quota's low on the earliest day.
  bool fastest = false;
  for (const auto& row : RowsWith(*spec, "pace")) {
    if (row["pace"] == "at the fastest pace" && row["day"] == "2026-03-01") {
      fastest = true;
      EXPECT_EQ(row["people"], 900);
    }
  }
  EXPECT_TRUE(fastest);
  std::set<std::string> labels;
  for (const auto& row : RowsWith(*spec, "label")) labels.insert(row["label"]);
  EXPECT_TRUE(labels.count("quota 900 to 1,000 (total)")) << spec->dump();
  const auto& title = (*spec)["vconcat"][0]["title"];
  EXPECT_THAT(title["subtitle"].dump(), HasSubstr("at least"));
  EXPECT_THAT(CaptionText(*spec), HasSubstr("in the upper line only: "
                                            "exchanges/c"));
}

TEST(AgreementChart, WhatTheReportCouldNotFillIsInTheCaption) {
  auto progress = Progress();
  auto* missing = progress.add_missing();
  missing->set_section("sources");
  missing->set_service("exchanges");
  missing->set_reason("deadline exceeded");
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_THAT(CaptionText(*spec),
              HasSubstr("Not available: sources (exchanges: deadline"));
}

TEST(AgreementChart, RefusesATermWithoutQuotaOrDeliveries) {
  auto progress = Progress();
  progress.mutable_terms(0)->mutable_quota()->Clear();
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kFailedPrecondition);
  progress = Progress();
  spec = AgreementChart(progress, progress.terms(0), {});
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kFailedPrecondition);
}

// --- incidents -------------------------------------------------------------

TEST(PeriodsOf, IsoWeeksAndCalendarMonthsThatOverlapTheSpan) {
  const auto weeks = PeriodsOf(*DateSpan::Parse("2026-01"), Period::kWeek);
  ASSERT_EQ(weeks.size(), 5u);
  EXPECT_EQ(weeks.front().text(), "2026-W01");
  EXPECT_EQ(weeks.front().first(), absl::CivilDay(2025, 12, 29));
  EXPECT_EQ(weeks.back().text(), "2026-W05");
  EXPECT_EQ(weeks.back().last(), absl::CivilDay(2026, 2, 1));
  const auto months = PeriodsOf(*DateSpan::Parse("2025"), Period::kMonth);
  ASSERT_EQ(months.size(), 12u);
  EXPECT_EQ(months.front().text(), "2025-01");
  EXPECT_EQ(months.back().text(), "2025-12");
}

std::vector<PeriodSummary> Summaries() {
  const auto weeks =
      PeriodsOf(*DateSpan::Parse("2026-01-01/2026-01-18"), Period::kWeek);
  EXPECT_EQ(weeks.size(), 3u);
  const char* replies[] = {
      // Two drone strikes in the week, one more dated only to the month.
      R"({"times": {"asOf": "2026-02-01"}, "figures": [
        {"label": "incidents: drone strike", "domain": "incidents",
         "value": {"low": 2, "best": 2, "high": 3},
         "recordCount": 2, "partlyInCount": 1},
        {"label": "killed", "domain": "incidents",
         "value": {"low": 3, "best": 4, "high": 9}, "recordCount": 2,
         "partlyInCount": 1},
        {"label": "exchanges", "domain": "exchanges", "recordCount": 7}]})",
      // Nothing recorded.
      R"({"times": {"asOf": "2026-02-01"}, "figures": [
        {"label": "killed", "domain": "incidents",
         "value": {"qualifier": "QUALIFIER_UNKNOWN"}}]})",
      // "At least 5": no upper figure.
      R"({"times": {"asOf": "2026-02-01"}, "figures": [
        {"label": "incidents: shelling", "domain": "incidents",
         "value": {"low": 1, "best": 1, "high": 1}, "recordCount": 1},
        {"label": "killed", "domain": "incidents",
         "value": {"low": 5, "qualifier": "QUALIFIER_AT_LEAST"},
         "recordCount": 1}]})"};
  std::vector<PeriodSummary> out;
  for (size_t i = 0; i < weeks.size(); ++i) {
    out.push_back({weeks[i], FromJson<r::GetSummaryResponse>(replies[i])});
  }
  return out;
}

TEST(IncidentsChart, StacksWhatMayFallInThePeriodApartAndKeepsBounds) {
  auto spec = IncidentsChart(*DateSpan::Parse("2026-01-01/2026-01-18"), "",
                             Period::kWeek, Summaries(), {"ACLED (2026-02)"});
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(XDomain(*spec), Json({"2025-12-29", "2026-01-19"}));
  const auto counts = RowsWith(*spec, "how");
  ASSERT_EQ(counts.size(), 3u);  // W01 in and partly in; W03 in
  EXPECT_EQ(counts[0]["period"], "2026-W01");
  EXPECT_EQ(counts[0]["how"], "in the period");
  EXPECT_EQ(counts[0]["from"], 0);
  EXPECT_EQ(counts[0]["to"], 2);
  EXPECT_THAT(counts[1]["how"].get<std::string>(), HasSubstr("may fall"));
  EXPECT_EQ(counts[1]["from"], 2);
  EXPECT_EQ(counts[1]["to"], 3);
  EXPECT_EQ(counts[2]["period"], "2026-W03");

  std::vector<Json> killed;
  for (const auto& row : RowsWith(*spec, "mid")) {
    if (!row.contains("how")) killed.push_back(row);
  }
  // Per period: W01's bounds; W02 says none recorded (in both panels);
  // W03's open upper bound.
  int none = 0;
  for (const auto& row : killed) {
    if (row["period"] == "2026-W01") {
      EXPECT_EQ(row["low"], 3);
      EXPECT_EQ(row["best"], 4);
      EXPECT_EQ(row["high"], 9);
      EXPECT_EQ(row["open_high"], false);
    } else if (row["period"] == "2026-W02") {
      EXPECT_EQ(row["status"], "none recorded");
      EXPECT_FALSE(row.contains("best"));
      ++none;
    } else if (row["period"] == "2026-W03") {
      EXPECT_EQ(row["low"], 5);
      EXPECT_EQ(row["open_high"], true);
    }
  }
  EXPECT_EQ(none, 2);
  EXPECT_THAT(CaptionText(*spec), HasSubstr("Sources: ACLED (2026-02)."));
  EXPECT_THAT((*spec)["vconcat"][0]["title"]["text"][0].get<std::string>(),
              HasSubstr("per week"));
}

TEST(IncidentsChart, APeriodCutAtAsOfAndAServiceThatDidNotAnswer) {
  auto periods = Summaries();
  // The gateway cut the last week at as_of, 2026-01-14.
  periods.back().summary.mutable_span()->set_first_day("2026-01-12");
  periods.back().summary.mutable_span()->set_last_day("2026-01-14");
  // And for the second week the incidents service did not answer.
  auto* missing = periods[1].summary.add_missing();
  missing->set_section("incidents");
  missing->set_service("incidents");
  missing->set_reason("unavailable");
  auto spec = IncidentsChart(*DateSpan::Parse("2026-01-01/2026-01-18"), "",
                             Period::kWeek, periods, {});
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(XDomain(*spec), Json({"2025-12-29", "2026-01-15"}));
  int not_available = 0;
  for (const auto& row : RowsWith(*spec, "mid")) {
    if (row["period"] == "2026-W03") EXPECT_EQ(row["end"], "2026-01-15");
    if (row["period"] == "2026-W02") {
      EXPECT_EQ(row["status"], "not available");  // not "none recorded"
      ++not_available;
    }
  }
  EXPECT_EQ(not_available, 2);
}

// --- talks -----------------------------------------------------------------

r::GetTalksContextResponse Talks() {
  return FromJson<r::GetTalksContextResponse>(R"({
    "times": {"asOf": "2026-02-01"},
    "round": {"metadata": {"name": "rounds/r1"}, "title": "Talks",
              "held": "2026-W04",
              "heldSpan": {"firstDay": "2026-01-19", "lastDay": "2026-01-25"},
              "sources": [{"publisher": "Reuters"}]},
    "before": {"span": {"firstDay": "2026-01-12", "lastDay": "2026-01-18"},
      "incidents": [{"metadata": {"name": "incidents/campaign"},
        "title": "Strike campaign", "occurrence": "OCCURRENCE_ONGOING",
        "occurredSpan": {"text": "2025-11/2026-01", "firstDay": "2025-11-01",
                         "lastDay": "2026-01-31"},
        "sources": [{"publisher": "AP"}]}],
      "ongoing": ["incidents/campaign"], "incidentCount": 1},
    "during": {"span": {"firstDay": "2026-01-19", "lastDay": "2026-01-25"},
      "incidents": [{"metadata": {"name": "incidents/campaign"},
        "title": "Strike campaign", "occurrence": "OCCURRENCE_ONGOING",
        "occurredSpan": {"firstDay": "2025-11-01", "lastDay": "2026-01-31"}}],
      "ongoing": ["incidents/campaign"], "incidentCount": 1},
    "after": {"span": {"firstDay": "2026-01-26", "lastDay": "2026-02-01"},
      "incidents": [{"metadata": {"name": "incidents/train"},
        "title": "Train strike",
        "occurredSpan": {"firstDay": "2026-01-27", "lastDay": "2026-01-27"}}],
      "statements": [{"metadata": {"name": "statements/s"},
        "speaker": {"country": "UA"}, "summary": "Bodies returned",
        "made": "2026-W05",
        "madeSpan": {"text": "2026-W05", "firstDay": "2026-01-26",
                     "lastDay": "2026-02-01"}}],
      "killed": {"low": 5, "qualifier": "QUALIFIER_AT_LEAST"},
      "incidentCount": 2}})");
}

TEST(TalksChart, EachRecordOnceOverItsDaysCutAtTheEdges) {
  auto spec = TalksChart(Talks());
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(XDomain(*spec), Json({"2026-01-12", "2026-02-02"}));
  const auto rows = RowsWith(*spec, "lane");
  ASSERT_EQ(rows.size(), 4u);  // round, campaign (once), train, statement
  EXPECT_EQ(rows[0]["lane"], "round");
  EXPECT_EQ(rows[1]["name"], "incidents/campaign");
  EXPECT_EQ(rows[1]["start"], "2026-01-12");  // cut at the chart's edge
  EXPECT_EQ(rows[1]["end"], "2026-02-01");
  EXPECT_EQ(rows[1]["span"], "2025-11/2026-01");
  EXPECT_EQ(rows[1]["date"], "ongoing over the span");
  EXPECT_EQ(rows[2]["start"], "2026-01-27");
  EXPECT_EQ(rows[2]["end"], "2026-01-28");
  EXPECT_EQ(rows[2]["date"], "known to the day");
  EXPECT_EQ(rows[3]["span"], "2026-W05");
  EXPECT_THAT(rows[3]["date"].get<std::string>(), HasSubstr("longer span"));
  const auto shades = RowsWith(*spec, "window");
  ASSERT_EQ(shades.size(), 3u);
  EXPECT_EQ(shades[2]["label"], "after: killed at least 5");
  EXPECT_THAT(CaptionText(*spec), HasSubstr("Sources: Reuters; AP."));
}

TEST(TalksChart, NoAfterWindowAndTwoRecordsOfOneLabel) {
  auto context = Talks();
  // A round close to as_of: the gateway gives no "after".
  context.clear_after();
  auto* twin = context.mutable_during()->add_incidents();
  twin->mutable_metadata()->set_name("incidents/campaign-2");
  twin->set_title("Strike campaign");
  twin->mutable_occurred_span()->set_first_day("2026-01-20");
  twin->mutable_occurred_span()->set_last_day("2026-01-20");
  auto spec = TalksChart(context);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(XDomain(*spec), Json({"2026-01-12", "2026-01-26"}));
  std::set<std::string> rows;
  int records = 0;
  for (const auto& row : RowsWith(*spec, "lane")) {
    rows.insert(row["row"].get<std::string>());
    ++records;
  }
  EXPECT_EQ(rows.size(), records);  // each record a row of its own
  EXPECT_EQ(RowsWith(*spec, "window").size(), 2u);
}

TEST(TalksChart, AWindowWithTooManyIncidentsDrawsTheirCount) {
  auto context = Talks();
  context.mutable_after()->clear_incidents();
  context.mutable_after()->set_incident_count(12000);
  context.mutable_after()->set_incidents_left_out(true);
  auto spec = TalksChart(context);
  ASSERT_TRUE(spec.ok()) << spec.status();
  bool counted = false;
  for (const auto& row : RowsWith(*spec, "lane")) {
    counted = counted || row["label"] == "12000 incidents";
  }
  EXPECT_TRUE(counted);
  EXPECT_THAT(CaptionText(*spec), HasSubstr("12000 incidents, too many"));
}

// --- through the renderer --------------------------------------------------

// Width and height of a PNG, from its IHDR chunk; 0 if it is not a PNG.
std::pair<uint32_t, uint32_t> PngSize(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  unsigned char head[24] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const unsigned char signature[8] = {0x89, 'P',  'N',  'G',
                                      '\r', '\n', 0x1a, '\n'};
  if (!in || std::memcmp(head, signature, 8) != 0) return {0, 0};
  auto be32 = [&](int at) {
    return uint32_t{head[at]} << 24 | uint32_t{head[at + 1]} << 16 |
           uint32_t{head[at + 2]} << 8 | uint32_t{head[at + 3]};
  };
  return {be32(16), be32(20)};
}

void ExpectRenders(const Json& spec, const std::string& headline_words) {
  auto svg = RenderSvg(spec, RendererCommand());
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(svg->rfind("<svg", 0), 0u) << svg->substr(0, 200);
  EXPECT_THAT(*svg, HasSubstr(headline_words));
  EXPECT_THAT(*svg, HasSubstr("Sources: "));
  // PARLEY_CHART_TEST_OUT=DIR keeps the pictures, to look at.
  const char* keep = std::getenv("PARLEY_CHART_TEST_OUT");
  const std::string png = absl::StrCat(
      keep != nullptr ? keep : ::testing::TempDir(), "/chart-",
      ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".png");
  ASSERT_TRUE(WritePng(*svg, png, 2).ok());
  const auto [width, height] = PngSize(png);
  // Twice the chart's width plus axes and legends; never a sliver or a
  // runaway title.
  EXPECT_GE(width, 2u * kWidth);
  EXPECT_LE(width, 2u * (kWidth + 600));
  EXPECT_GE(height, 500u);
  EXPECT_LE(height, 2400u);
  if (keep == nullptr) std::filesystem::remove(png);
}

TEST(ChartRender, AgreementChartRendersToSvgAndPng) {
  const auto progress = Progress();
  auto spec = AgreementChart(progress, progress.terms(0), Exchanges());
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectRenders(*spec, "Test accord");
}

TEST(ChartRender, IncidentsChartRendersToSvgAndPng) {
  auto spec = IncidentsChart(*DateSpan::Parse("2026-01-01/2026-01-18"), "",
                             Period::kWeek, Summaries(), {});
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectRenders(*spec, "Incidents and killed per week");
}

TEST(ChartRender, TalksChartRendersToSvgAndPng) {
  auto spec = TalksChart(Talks());
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectRenders(*spec, "Talks, 2026-W04");
}

TEST(ChartRender, ASpecOutsideTheSchemaOrNoRendererIsAClearError) {
  const Json bad = {{"$schema", kVegaLiteSchema},
                    {"mark", "nonsense"},
                    {"data", {{"values", Json::array()}}}};
  auto svg = RenderSvg(bad, RendererCommand());
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(svg.status().message(), HasSubstr("Vega-Lite schema"));
  svg = RenderSvg(bad, "/nonexistent/renderer");
  ASSERT_FALSE(svg.ok());
  EXPECT_THAT(svg.status().message(), HasSubstr("not found"));
}

}  // namespace
}  // namespace parley::ctl::chart
