// The incidents rollups on a real RocksDB: after concurrent creates, updates
// and deletes, SummarizeIncidents equals a full recount over the records by
// the window rule (computed here on its own), and it reads the rollups of
// the span's days and of the longer spans near it, not the incidents.
#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/model/date_span.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "rocksdb/statistics.h"
#include "services/incidents/domain.h"
#include "services/incidents/schema.h"
#include "tests/lib/grpc_helpers.h"
#include "tests/lib/records.h"
#include "tests/lib/temp_store.h"

namespace parley::incidents {
namespace {

using ::parley::common::v1::Source;
using ::parley::testing::AtLeast;
using ::parley::testing::Exact;

const Caller kWriter{"writer"};

// ---------------------------------------------------------------------------
// Random but valid incidents.

// One of: exact, at least, at most, about (with or without bounds),
// unknown, or unset (nullopt).
std::optional<Estimate> RandomEstimate(std::mt19937& rng) {
  Estimate e;
  const int64_t n = rng() % 40;
  switch (rng() % 7) {
    case 0:
      e.set_best(n);
      e.set_qualifier(Estimate::QUALIFIER_EXACT);
      break;
    case 1:
      e.set_low(n);
      e.set_qualifier(Estimate::QUALIFIER_AT_LEAST);
      break;
    case 2:
      e.set_high(n + 5);
      e.set_qualifier(Estimate::QUALIFIER_AT_MOST);
      break;
    case 3:
      e.set_low(n);
      e.set_best(n + 2);
      e.set_high(n + 9);
      e.set_qualifier(Estimate::QUALIFIER_ABOUT);
      break;
    case 4:
      e.set_best(n);
      e.set_qualifier(Estimate::QUALIFIER_ABOUT);
      break;
    case 5:
      e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
      break;
    default:
      return std::nullopt;
  }
  return e;
}

constexpr v1::IncidentKind kKinds[] = {
    v1::INCIDENT_KIND_DRONE_STRIKE, v1::INCIDENT_KIND_MISSILE_STRIKE,
    v1::INCIDENT_KIND_SHELLING, v1::INCIDENT_KIND_STRIKE_CAMPAIGN};
// Spelled as sources spell them: case differs, one region's name is a
// prefix of another's (both UA-63), and one has no ISO code. "" is an
// incident known only by country.
const char* const kRegions[] = {"Kharkiv", "KHARKIV", "Kharkiv Oblast",
                                "Donetsk", "Narnia",  ""};

std::string RandomOccurred(std::mt19937& rng) {
  const absl::CivilDay day = absl::CivilDay(2026, 1, 1) + rng() % 50;
  switch (rng() % 6) {
    case 0:  // a week
      return absl::StrFormat("2026-W%02d", 1 + rng() % 7);
    case 1:  // a range starting that day
      return absl::StrCat(FormatDay(day), "/", FormatDay(day + 1 + rng() % 20));
    case 2:
      return rng() % 2 ? "2026-01" : "2026-02";
    default:
      return FormatDay(day);
  }
}

v1::Incident RandomIncident(std::mt19937& rng) {
  v1::Incident i;
  i.set_title("strike");
  i.set_kind(kKinds[rng() % 4]);
  i.set_target(v1::TARGET_CATEGORY_RESIDENTIAL);
  i.set_occurred(RandomOccurred(rng));
  if (rng() % 3 == 0)
    i.set_occurrence(::parley::common::v1::OCCURRENCE_ONGOING);
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_admin1(kRegions[rng() % 6]);
  if (auto killed = RandomEstimate(rng))
    *i.mutable_casualties()->mutable_killed() = *killed;
  if (auto injured = RandomEstimate(rng)) {
    *i.mutable_casualties()->mutable_injured() = *injured;
  }
  // At most one effect of each kind (several of a kind: see below).
  for (auto kind :
       {v1::EFFECT_KIND_POWER_OUTAGE, v1::EFFECT_KIND_HEATING_OUTAGE,
        v1::EFFECT_KIND_WATER_OUTAGE}) {
    if (rng() % 3 != 0) continue;
    auto* e = i.add_effects();
    e->set_kind(kind);
    if (auto affected = RandomEstimate(rng)) *e->mutable_affected() = *affected;
  }
  auto* s = i.add_sources();
  s->set_publisher("Ukrinform");
  s->set_reliability(Source::RELIABILITY_REPORTED);
  return i;
}

// ---------------------------------------------------------------------------
// The recount: estimate sums computed here, independently of the rollups.

// How a record counts in a window, worked out here from its days.
enum class How { kWhole, kMaybe, kOngoing, kNot };

struct Sum {
  int64_t count = 0;  // records, however they count
  int64_t whole = 0, maybe = 0, ongoing = 0;
  // Records in full: their sums.
  int64_t low = 0;
  int64_t best = 0;
  int64_t high = 0;
  bool all_best = true;
  bool all_high = true;
  bool all_exact = true;
  // No part in full has a figure.
  bool all_unknown = true;
  // Records behind the upper bound only: their highs.
  int64_t bound_count = 0;
  int64_t bound_high = 0;
  bool bound_all_high = true;

  // An unset estimate is unknown: it adds nothing to low and leaves the
  // best and high open. A level (per_period) of an ongoing record counts in
  // full.
  void Add(const Estimate* e, How how, bool per_period = false) {
    if (how == How::kNot) return;
    ++count;
    (how == How::kWhole ? whole : how == How::kMaybe ? maybe : ongoing)++;
    if (how == How::kMaybe || (how == How::kOngoing && !per_period)) {
      ++bound_count;
      if (e != nullptr && e->has_high()) {
        bound_high += e->high();
      } else {
        bound_all_high = false;
      }
      return;
    }
    if (e == nullptr) {
      all_best = all_high = all_exact = false;
      return;
    }
    if (e->qualifier() != Estimate::QUALIFIER_UNKNOWN) all_unknown = false;
    low += e->has_low() ? e->low() : 0;
    if (e->has_best()) {
      best += e->best();
    } else {
      all_best = false;
    }
    if (e->has_high()) {
      high += e->high();
    } else {
      all_high = false;
    }
    if (e->qualifier() != Estimate::QUALIFIER_EXACT) all_exact = false;
  }
};

// What the rule says the sum is, as an Estimate.
Estimate Want(const Sum& s) {
  Estimate e;
  const int64_t full = s.count - s.bound_count;
  if (s.count == 0 || (s.bound_count == 0 && s.all_unknown)) {
    e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
    return e;
  }
  const bool unbounded = !s.all_high || !s.bound_all_high;
  if (s.bound_count > 0 && unbounded && s.low == 0) {
    e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
    return e;
  }
  e.set_low(s.low);
  if (full > 0 && !s.all_unknown && s.all_best) e.set_best(s.best);
  if (!unbounded) e.set_high(s.high + s.bound_high);
  if (s.bound_count == 0) {
    e.set_qualifier(s.all_exact   ? Estimate::QUALIFIER_EXACT
                    : !s.all_high ? Estimate::QUALIFIER_AT_LEAST
                                  : Estimate::QUALIFIER_ABOUT);
  } else {
    e.set_qualifier(unbounded ? Estimate::QUALIFIER_AT_LEAST
                    : e.has_best() || e.low() > 0
                        ? Estimate::QUALIFIER_ABOUT
                        : Estimate::QUALIFIER_AT_MOST);
  }
  return e;
}

::testing::AssertionResult EstimateMatches(const Estimate& got,
                                           const Sum& sum) {
  const Estimate want = Want(sum);
  std::vector<std::string> problems;
  if (got.has_low() != want.has_low() || got.low() != want.low())
    problems.push_back(absl::StrCat("low ", got.low(), " != ", want.low()));
  if (got.has_best() != want.has_best() || got.best() != want.best())
    problems.push_back(absl::StrCat("best ", got.best(), " != ", want.best()));
  if (got.has_high() != want.has_high() || got.high() != want.high())
    problems.push_back(absl::StrCat("high ", got.high(), " != ", want.high()));
  if (got.qualifier() != want.qualifier()) {
    problems.push_back(
        absl::StrCat("qualifier ", Estimate::Qualifier_Name(got.qualifier()),
                     " != ", Estimate::Qualifier_Name(want.qualifier())));
  }
  if (problems.empty()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  for (const auto& p : problems) failure << p << "; ";
  return failure << "got " << got.ShortDebugString() << ", want "
                 << want.ShortDebugString();
}

struct Expected {
  Sum killed, injured;
  std::map<int, Sum> kind_killed, kind_injured;
  std::map<int, Sum> effect_affected;
};

Expected Recount(const std::vector<v1::Incident>& all, const DateSpan& span,
                 const std::string& region) {
  Expected x;
  for (const auto& i : all) {
    auto occurred = DateSpan::Parse(i.occurred());
    EXPECT_TRUE(occurred.ok()) << i.occurred();
    if (!occurred.ok()) continue;
    // By the region's ISO 3166-2 code where the name has one (every
    // spelling of it alike), else by the name case-folded.
    if (!region.empty()) {
      const std::vector<std::string> terms = RegionTerms(i.place());
      if (std::find(terms.begin(), terms.end(), RegionTermOf(region)) ==
          terms.end()) {
        continue;
      }
    }
    How how = How::kWhole;
    if (occurred->last() < span.first() || occurred->first() > span.last()) {
      continue;
    } else if (occurred->first() < span.first() ||
               occurred->last() > span.last()) {
      how = i.occurrence() == ::parley::common::v1::OCCURRENCE_ONGOING
                ? How::kOngoing
                : How::kMaybe;
    }
    const auto& c = i.casualties();
    const Estimate* killed = c.has_killed() ? &c.killed() : nullptr;
    const Estimate* injured = c.has_injured() ? &c.injured() : nullptr;
    x.killed.Add(killed, how);
    x.injured.Add(injured, how);
    x.kind_killed[i.kind()].Add(killed, how);
    x.kind_injured[i.kind()].Add(injured, how);
    // One effect of a kind per incident (RandomIncident makes no more).
    for (const auto& e : i.effects()) {
      x.effect_affected[e.kind()].Add(
          e.has_affected() ? &e.affected() : nullptr, how, /*per_period=*/true);
    }
  }
  return x;
}

class IncidentsRollupTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    domain_ = std::make_unique<Incidents>(store());
  }
  void Reopen() {
    domain_.reset();
    StoreTest::Reopen();
    domain_ = std::make_unique<Incidents>(store());
  }

  Incidents& domain() { return *domain_; }

  absl::Status Create(const v1::Incident& incident, const std::string& id) {
    v1::CreateIncidentRequest req;
    *req.mutable_incident() = incident;
    req.set_incident_id(id);
    v1::Incident out;
    return domain().CreateIncident(req, kWriter, &out);
  }

  v1::SummarizeIncidentsResponse Summarize(const std::string& span,
                                           const std::string& region = "") {
    v1::SummarizeIncidentsRequest req;
    req.set_span(span);
    req.set_region(region);
    v1::SummarizeIncidentsResponse resp;
    const absl::Status s = domain().SummarizeIncidents(req, &resp);
    EXPECT_TRUE(s.ok()) << span << " " << region << ": " << s;
    return resp;
  }

  std::vector<v1::Incident> AllIncidents() {
    std::vector<v1::Incident> all;
    EXPECT_TRUE(domain()
                    .incidents()
                    .ForEach([&](const Message& m) {
                      all.push_back(static_cast<const v1::Incident&>(m));
                    })
                    .ok());
    return all;
  }

  // The summary of (span, region) equals the recount of `all`.
  void ExpectSummaryMatchesRecount(const std::vector<v1::Incident>& all,
                                   const std::string& span_text,
                                   const std::string& region) {
    SCOPED_TRACE(absl::StrCat("span ", span_text, " region \"", region, "\""));
    const DateSpan span = *DateSpan::Parse(span_text);
    const Expected want = Recount(all, span, region);
    const auto got = Summarize(span_text, region);

    EXPECT_EQ(got.span().first_day(), FormatDay(span.first()));
    EXPECT_EQ(got.span().last_day(), FormatDay(span.last()));
    EXPECT_EQ(got.incidents(), want.killed.whole);
    EXPECT_EQ(got.partly_in(), want.killed.maybe);
    EXPECT_EQ(got.ongoing(), want.killed.ongoing);
    EXPECT_TRUE(EstimateMatches(got.killed(), want.killed)) << "killed";
    EXPECT_TRUE(EstimateMatches(got.injured(), want.injured)) << "injured";

    std::set<int> kinds_seen;
    for (const auto& k : got.kinds()) {
      SCOPED_TRACE(v1::IncidentKind_Name(k.kind()));
      EXPECT_TRUE(kinds_seen.insert(k.kind()).second) << "kind listed twice";
      auto it = want.kind_killed.find(k.kind());
      ASSERT_NE(it, want.kind_killed.end()) << "kind with no incidents listed";
      EXPECT_EQ(k.incidents(), it->second.whole);
      EXPECT_EQ(k.partly_in(), it->second.maybe);
      EXPECT_EQ(k.ongoing(), it->second.ongoing);
      EXPECT_TRUE(EstimateMatches(k.killed(), it->second)) << "killed";
      EXPECT_TRUE(EstimateMatches(k.injured(), want.kind_injured.at(k.kind())))
          << "injured";
    }
    EXPECT_EQ(kinds_seen.size(), want.kind_killed.size());

    std::set<int> effects_seen;
    for (const auto& e : got.effects()) {
      SCOPED_TRACE(v1::EffectKind_Name(e.kind()));
      EXPECT_TRUE(effects_seen.insert(e.kind()).second)
          << "effect listed twice";
      auto it = want.effect_affected.find(e.kind());
      ASSERT_NE(it, want.effect_affected.end())
          << "effect nobody reported listed";
      EXPECT_EQ(e.incidents(), it->second.whole);
      EXPECT_EQ(e.partly_in(), it->second.maybe);
      EXPECT_EQ(e.ongoing(), it->second.ongoing);
      EXPECT_TRUE(EstimateMatches(e.affected(), it->second)) << "affected";
    }
    EXPECT_EQ(effects_seen.size(), want.effect_affected.size());
  }

  void ExpectAllSummariesMatch() {
    const auto all = AllIncidents();
    for (const char* span :
         {"2026-01", "2026-02", "2026-W05", "2026-01-27",
          "2026-01-15/2026-02-10", "2026", "2025-12", "2026-W01"}) {
      for (const char* region :
           {"", "Kharkiv", "kharkiv", "Kharkiv Oblast", "Donetsk", "Odesa",
            "Lviv", "NARNIA", "UA-63"}) {
        ExpectSummaryMatchesRecount(all, span, region);
      }
    }
  }

  std::unique_ptr<Incidents> domain_;
};

// After many creates, updates (kind, region, day, killed, whole records) and
// deletes from several threads, every summary equals a recount.
TEST_F(IncidentsRollupTest, SummariesEqualARecountAfterConcurrentWrites) {
  constexpr int kThreads = 4, kOps = 150, kIdsPerThread = 30;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      std::mt19937 rng(1000 + t);
      for (int op = 0; op < kOps; ++op) {
        // Ids are shared between threads too, so writers collide.
        const int owner = rng() % 5 == 0 ? (t + 1) % kThreads : t;
        const std::string id =
            absl::StrCat("t", owner, "-", rng() % kIdsPerThread);
        const v1::Incident random = RandomIncident(rng);
        const int what = rng() % 8;
        if (what <= 2) {
          (void)Create(random, id);
          continue;
        }
        if (what == 7) {
          v1::DeleteIncidentRequest del;
          del.set_name(absl::StrCat("incidents/", id));
          (void)domain().DeleteIncident(del, kWriter);
          continue;
        }
        v1::UpdateIncidentRequest update;
        *update.mutable_incident() = random;
        update.mutable_incident()->mutable_metadata()->set_name(
            absl::StrCat("incidents/", id));
        auto* mask = update.mutable_update_mask();
        switch (what) {
          case 3:
            mask->add_paths("kind");
            break;
          case 4:
            mask->add_paths("place.admin1");
            break;
          case 5:
            mask->add_paths("occurred");
            mask->add_paths("casualties.killed");
            break;
          default:
            mask->add_paths("*");
            break;
        }
        v1::Incident out;
        (void)domain().UpdateIncident(update, kWriter, &out);
      }
    });
  }
  for (auto& w : writers) w.join();

  const auto all = AllIncidents();
  ASSERT_GT(all.size(), 20u);  // the mix left a good number standing
  ExpectAllSummariesMatch();

  // The rollups are what is stored: a restart changes nothing.
  Reopen();
  ExpectAllSummariesMatch();
}

// Changing the day, the kind, the region or the killed figure moves the
// incident between totals; deleting removes it.
TEST_F(IncidentsRollupTest, UpdatesMoveTotalsAndDeletesRemoveThem) {
  v1::Incident train;
  train.set_kind(v1::INCIDENT_KIND_DRONE_STRIKE);
  train.set_target(v1::TARGET_CATEGORY_PASSENGER_TRAIN);
  train.set_occurred("2026-01-27");
  train.mutable_place()->set_country("UA");
  train.mutable_place()->set_admin1("Kharkiv");
  *train.mutable_casualties()->mutable_killed() = AtLeast(5);
  train.add_sources()->set_publisher("Kyiv Independent");
  train.mutable_sources(0)->set_reliability(Source::RELIABILITY_REPORTED);
  ASSERT_TRUE(Create(train, "train").ok());

  auto w05 = Summarize("2026-W05", "Kharkiv");
  ASSERT_EQ(w05.kinds_size(), 1);
  EXPECT_EQ(w05.kinds(0).kind(), v1::INCIDENT_KIND_DRONE_STRIKE);
  EXPECT_EQ(w05.killed().low(), 5);
  EXPECT_FALSE(w05.killed().has_best());
  EXPECT_EQ(w05.killed().qualifier(), Estimate::QUALIFIER_AT_LEAST);

  // Later reports: exactly six killed, a missile, in Sumy, a week later.
  v1::UpdateIncidentRequest update;
  auto* patch = update.mutable_incident();
  patch->mutable_metadata()->set_name("incidents/train");
  patch->set_kind(v1::INCIDENT_KIND_MISSILE_STRIKE);
  patch->set_occurred("2026-02-03");
  patch->mutable_place()->set_country("UA");
  patch->mutable_place()->set_admin1("Sumy");
  *patch->mutable_casualties()->mutable_killed() = Exact(6);
  *update.mutable_update_mask() =
      testing::Mask({"kind", "occurred", "place", "casualties.killed"});
  v1::Incident updated;
  ASSERT_TRUE(domain().UpdateIncident(update, kWriter, &updated).ok());

  EXPECT_EQ(Summarize("2026-W05").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05").kinds_size(), 0);
  EXPECT_EQ(Summarize("2026-01", "Kharkiv").incidents(), 0);
  const auto w06 = Summarize("2026-W06", "sumy");
  EXPECT_EQ(w06.incidents(), 1);
  ASSERT_EQ(w06.kinds_size(), 1);
  EXPECT_EQ(w06.kinds(0).kind(), v1::INCIDENT_KIND_MISSILE_STRIKE);
  EXPECT_EQ(w06.killed().qualifier(), Estimate::QUALIFIER_EXACT);
  EXPECT_EQ(w06.killed().best(), 6);
  EXPECT_EQ(w06.killed().low(), 6);
  EXPECT_EQ(w06.killed().high(), 6);

  v1::DeleteIncidentRequest del;
  del.set_name("incidents/train");
  ASSERT_TRUE(domain().DeleteIncident(del, kWriter).ok());
  const auto gone = Summarize("2026");
  EXPECT_EQ(gone.incidents(), 0);
  EXPECT_EQ(gone.kinds_size(), 0);
  EXPECT_EQ(gone.effects_size(), 0);
  // Nothing left: none recorded, not a zero.
  EXPECT_EQ(gone.killed().qualifier(), Estimate::QUALIFIER_UNKNOWN);
  EXPECT_FALSE(gone.killed().has_low() || gone.killed().has_best());
}

// "Incidents that reported this effect": an incident reporting two power
// outages (two cities) is one incident with a power outage; the people
// affected add up.
TEST_F(IncidentsRollupTest, AnEffectKindCountsEachIncidentOnce) {
  v1::Incident strike;
  strike.set_kind(v1::INCIDENT_KIND_MISSILE_STRIKE);
  strike.set_target(v1::TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
  strike.set_occurred("2026-01-20");
  strike.mutable_place()->set_country("UA");
  for (auto [city, n] : {std::pair{"Kyiv", 1000}, std::pair{"Dnipro", 2000}}) {
    auto* e = strike.add_effects();
    e->set_kind(v1::EFFECT_KIND_POWER_OUTAGE);
    e->mutable_place()->set_country("UA");
    e->mutable_place()->set_settlement(city);
    *e->mutable_affected() = Exact(n);
  }
  strike.add_sources()->set_publisher("Ukrenergo");
  strike.mutable_sources(0)->set_reliability(Source::RELIABILITY_CONFIRMED);
  ASSERT_TRUE(Create(strike, "grid").ok());

  const auto summary = Summarize("2026-W04");
  EXPECT_EQ(summary.incidents(), 1);
  ASSERT_EQ(summary.effects_size(), 1);
  EXPECT_EQ(summary.effects(0).kind(), v1::EFFECT_KIND_POWER_OUTAGE);
  EXPECT_EQ(summary.effects(0).incidents(), 1);
  EXPECT_EQ(summary.effects(0).affected().best(), 3000);
  EXPECT_EQ(summary.effects(0).affected().qualifier(),
            Estimate::QUALIFIER_EXACT);
}

// A week's summary reads that week's rollups: with thousands of incidents in
// other weeks (the days right before and after included) it takes a handful
// of iterator steps, and counts exactly the week's incidents.
TEST_F(IncidentsRollupTest, SummaryReadsRollupsNotIncidents) {
  constexpr int kThreads = 4, kEach = 750;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      std::mt19937 rng(t);
      for (int i = 0; i < kEach; ++i) {
        v1::Incident incident = RandomIncident(rng);
        incident.set_kind(kKinds[i % 4]);
        incident.mutable_place()->set_admin1(i % 2 ? "Kharkiv" : "Donetsk");
        // Every other week of 2025, and the days around 2026-W05.
        std::string occurred;
        switch (i % 3) {
          case 0:
            occurred = FormatDay(absl::CivilDay(2025, 1, 1) + rng() % 365);
            break;
          case 1:
            occurred = "2026-01-25";  // Sunday before
            break;
          default:
            occurred = "2026-02-02";  // Monday after
            break;
        }
        incident.set_occurred(occurred);
        ASSERT_TRUE(Create(incident, absl::StrCat("other-", t, "-", i)).ok());
      }
    });
  }
  for (auto& w : writers) w.join();

  // Ten incidents in 2026-W05, seven of them in Kharkiv, two kinds.
  for (int i = 0; i < 10; ++i) {
    v1::Incident incident;
    incident.set_kind(i % 2 ? v1::INCIDENT_KIND_DRONE_STRIKE
                            : v1::INCIDENT_KIND_SHELLING);
    incident.set_target(v1::TARGET_CATEGORY_RESIDENTIAL);
    incident.set_occurred(FormatDay(absl::CivilDay(2026, 1, 26) + i % 7));
    incident.mutable_place()->set_country("UA");
    incident.mutable_place()->set_admin1(i < 7 ? "Kharkiv" : "Zaporizhzhia");
    *incident.mutable_casualties()->mutable_killed() = Exact(i);
    *incident.mutable_casualties()->mutable_injured() = Exact(1);
    incident.add_sources()->set_publisher("Suspilne");
    incident.mutable_sources(0)->set_reliability(Source::RELIABILITY_REPORTED);
    ASSERT_TRUE(Create(incident, absl::StrCat("w05-", i)).ok());
  }

  auto* stats = store()->statistics();
  uint64_t before = stats->getTickerCount(rocksdb::NUMBER_DB_NEXT);
  const auto week = Summarize("2026-W05");
  const uint64_t week_nexts =
      stats->getTickerCount(rocksdb::NUMBER_DB_NEXT) - before;
  EXPECT_EQ(week.incidents(), 10);
  EXPECT_EQ(week.kinds_size(), 2);
  EXPECT_EQ(week.killed().qualifier(), Estimate::QUALIFIER_EXACT);
  EXPECT_EQ(week.killed().best(), 45);  // 0 + 1 + ... + 9
  EXPECT_EQ(week.injured().best(), 10);
  // 7 days x 2 kinds x (killed, injured) rollups at most: no incident scan.
  EXPECT_LT(week_nexts, 60u) << "NUMBER_DB_NEXT during one week's summary";

  before = stats->getTickerCount(rocksdb::NUMBER_DB_NEXT);
  const auto kharkiv = Summarize("2026-W05", "KHARKIV");
  const uint64_t region_nexts =
      stats->getTickerCount(rocksdb::NUMBER_DB_NEXT) - before;
  EXPECT_EQ(kharkiv.incidents(), 7);
  EXPECT_EQ(kharkiv.killed().best(), 21);  // 0 + 1 + ... + 6
  EXPECT_LT(region_nexts, 60u)
      << "NUMBER_DB_NEXT during one region-week summary";

  // The same after a flush to SST files.
  ASSERT_TRUE(store()->Flush().ok());
  before = stats->getTickerCount(rocksdb::NUMBER_DB_NEXT);
  EXPECT_EQ(Summarize("2026-W05").incidents(), 10);
  EXPECT_LT(stats->getTickerCount(rocksdb::NUMBER_DB_NEXT) - before, 60u);
}

// Incidents dated only to a longer span are kept as totals of that span: a
// week's summary reads those few totals, however many incidents share them,
// and counts them as partly in (a month against a week of it) or ongoing.
TEST_F(IncidentsRollupTest, LongerSpansAreReadAsTheirTotals) {
  constexpr int kEach = 400;
  for (int i = 0; i < kEach; ++i) {
    v1::Incident incident;
    incident.set_kind(v1::INCIDENT_KIND_SHELLING);
    incident.set_target(v1::TARGET_CATEGORY_RESIDENTIAL);
    // January as a month, or a campaign over December to February.
    const bool ongoing = i % 2 == 1;
    incident.set_occurred(ongoing ? "2025-12/2026-02" : "2026-01");
    if (ongoing) {
      incident.set_occurrence(::parley::common::v1::OCCURRENCE_ONGOING);
    }
    incident.mutable_place()->set_country("UA");
    *incident.mutable_casualties()->mutable_killed() = Exact(2);
    incident.add_sources()->set_publisher("Suspilne");
    incident.mutable_sources(0)->set_reliability(Source::RELIABILITY_REPORTED);
    ASSERT_TRUE(Create(incident, absl::StrCat("long-", i)).ok());
  }
  auto* stats = store()->statistics();
  const uint64_t before = stats->getTickerCount(rocksdb::NUMBER_DB_NEXT);
  const auto week = Summarize("2026-W05");
  EXPECT_LT(stats->getTickerCount(rocksdb::NUMBER_DB_NEXT) - before, 20u)
      << "NUMBER_DB_NEXT during one week's summary";
  EXPECT_EQ(week.incidents(), 0);
  EXPECT_EQ(week.partly_in(), kEach / 2);
  EXPECT_EQ(week.ongoing(), kEach / 2);
  // Nothing surely in the week; up to 2 killed in each.
  EXPECT_EQ(week.killed().low(), 0);
  EXPECT_EQ(week.killed().high(), 2 * kEach);
  EXPECT_EQ(week.killed().qualifier(), Estimate::QUALIFIER_AT_MOST);
  // January holds the month's whole; the campaign still only partly.
  const auto january = Summarize("2026-01");
  EXPECT_EQ(january.incidents(), kEach / 2);
  EXPECT_EQ(january.ongoing(), kEach / 2);
  EXPECT_EQ(january.killed().low(), kEach);
  EXPECT_EQ(january.killed().best(), kEach);
  EXPECT_EQ(january.killed().high(), 2 * kEach);
}

}  // namespace
}  // namespace parley::incidents
