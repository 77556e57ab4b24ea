// The incidents service end to end through a real gRPC server in-process, on
// a real RocksDB store: client stub -> gRPC -> edge -> domain -> store and
// back, status details included.
//
// The data is the week of `seed-article.txt`: a Russian drone strike on a
// passenger train in Kharkiv region on 2026-01-27 that killed at least five,
// and strikes on energy infrastructure over recent months ("2025-11/2026-01")
// with outages in freezing weather, no figure given. Beside them, a shelling
// in Kherson and a drone strike in Belgorod (attributed to Ukraine).
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/date_span.h"
#include "common/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "services/incidents/domain.h"
#include "services/incidents/service.h"
#include "tests/lib/in_process_server.h"

namespace parley::incidents {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::Timestamp;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Revision;
using ::parley::common::v1::Source;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using namespace ::parley::incidents::v1;  // NOLINT: the contract's messages

using Server = ::parley::testing::InProcessServer<Incidents, IncidentsServiceImpl>;
using Stub = IncidentsService::Stub;

constexpr char kTrain[] = "incidents/kharkiv-train";
constexpr char kEnergy[] = "incidents/energy-2025-11";
constexpr char kKherson[] = "incidents/kherson-shelling";
constexpr char kBelgorod[] = "incidents/belgorod-drone";

// ---------------------------------------------------------------------------
// Builders.

Source Reported(const std::string& publisher) {
  Source s;
  s.set_publisher(publisher);
  s.set_published("2026-W05");
  s.set_url("https://example.org/report");
  s.set_reliability(Source::RELIABILITY_REPORTED);
  return s;
}

Estimate Exact(int64_t n) {
  Estimate e;
  e.set_best(n);
  e.set_qualifier(Estimate::QUALIFIER_EXACT);
  return e;
}

Estimate AtLeast(int64_t n) {
  Estimate e;
  e.set_low(n);
  e.set_qualifier(Estimate::QUALIFIER_AT_LEAST);
  return e;
}

Estimate Unknown() {
  Estimate e;
  e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  return e;
}

void Attribute(Incident* i, const std::string& country, Source::Reliability r) {
  i->mutable_attribution()->mutable_party()->set_country(country);
  i->mutable_attribution()->set_reliability(r);
}

// "A Russian drone strike on a passenger train in Kharkiv region on Tuesday
// killed at least five."
Incident TrainStrike() {
  Incident i;
  i.set_title("Drone strike on a passenger train");
  i.set_kind(INCIDENT_KIND_DRONE_STRIKE);
  i.set_target(TARGET_CATEGORY_PASSENGER_TRAIN);
  i.set_occurred("2026-01-27");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_admin1("Kharkiv");
  i.mutable_place()->mutable_coordinates()->set_latitude(49.99);
  i.mutable_place()->mutable_coordinates()->set_longitude(36.23);
  i.mutable_place()->set_precision(::parley::common::v1::Place::PRECISION_ADMIN1);
  Attribute(&i, "RU", Source::RELIABILITY_REPORTED);
  *i.mutable_casualties()->mutable_killed() = AtLeast(5);
  *i.add_sources() = Reported("Kyiv Independent");
  return i;
}

// "Strikes on energy infrastructure in recent months; outages in freezing
// weather."
Incident EnergyCampaign() {
  Incident i;
  i.set_title("Strikes on energy infrastructure");
  i.set_kind(INCIDENT_KIND_STRIKE_CAMPAIGN);
  i.set_target(TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
  i.set_occurred("2025-11/2026-01");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_precision(::parley::common::v1::Place::PRECISION_COUNTRY);
  Attribute(&i, "RU", Source::RELIABILITY_REPORTED);
  for (auto kind : {EFFECT_KIND_POWER_OUTAGE, EFFECT_KIND_HEATING_OUTAGE}) {
    auto* e = i.add_effects();
    e->set_kind(kind);
    *e->mutable_affected() = Unknown();
    e->set_note("in freezing weather");
  }
  *i.add_sources() = Reported("Kyiv Independent");
  return i;
}

Incident KhersonShelling() {
  Incident i;
  i.set_title("Shelling of a residential district");
  i.set_kind(INCIDENT_KIND_SHELLING);
  i.set_target(TARGET_CATEGORY_RESIDENTIAL);
  i.set_occurred("2026-01-10");
  i.mutable_place()->set_country("UA");
  i.mutable_place()->set_admin1("Kherson");
  Attribute(&i, "RU", Source::RELIABILITY_CLAIMED);
  *i.mutable_casualties()->mutable_killed() = Exact(2);
  i.mutable_casualties()->mutable_injured()->set_best(7);
  i.mutable_casualties()->mutable_injured()->set_qualifier(Estimate::QUALIFIER_ABOUT);
  *i.add_sources() = Reported("Suspilne");
  return i;
}

Incident BelgorodDrone() {
  Incident i;
  i.set_title("Drone strike on a car");
  i.set_kind(INCIDENT_KIND_DRONE_STRIKE);
  i.set_target(TARGET_CATEGORY_RESIDENTIAL);
  i.set_occurred("2026-01-28");
  i.mutable_place()->set_country("RU");
  i.mutable_place()->set_admin1("Belgorod");
  Attribute(&i, "UA", Source::RELIABILITY_CLAIMED);
  *i.mutable_casualties()->mutable_killed() = Exact(1);
  *i.mutable_casualties()->mutable_injured() = Exact(3);
  *i.add_sources() = Reported("TASS");
  return i;
}

// ---------------------------------------------------------------------------
// Assertion helpers.

::testing::AssertionResult ProtoEq(const google::protobuf::Message& a,
                                   const google::protobuf::Message& b) {
  std::string diff;
  MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  if (d.Compare(a, b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "protos differ:\n" << diff;
}

std::vector<std::string> ViolationFields(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> fields;
  if (!GetBadRequest(status, &bad_request)) return fields;
  for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  return fields;
}

int64_t Micros(const Timestamp& t) { return TimeUtil::TimestampToMicroseconds(t); }

Timestamp MomentBetween() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const Timestamp t = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return t;
}

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask m;
  for (const char* p : paths) m.add_paths(p);
  return m;
}

// "At least n": low n, nothing known above it.
void ExpectAtLeast(const Estimate& e, int64_t low) {
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_AT_LEAST) << e.ShortDebugString();
  EXPECT_EQ(e.low(), low) << e.ShortDebugString();
  EXPECT_FALSE(e.has_best()) << e.ShortDebugString();
  EXPECT_FALSE(e.has_high()) << e.ShortDebugString();
}

void ExpectExact(const Estimate& e, int64_t n) {
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_EXACT) << e.ShortDebugString();
  EXPECT_EQ(e.low(), n);
  EXPECT_EQ(e.best(), n);
  EXPECT_EQ(e.high(), n);
}

// No figure known: never a made-up zero.
void ExpectNoFigure(const Estimate& e) {
  EXPECT_NE(e.qualifier(), Estimate::QUALIFIER_EXACT) << e.ShortDebugString();
  EXPECT_FALSE(e.has_best()) << e.ShortDebugString();
  EXPECT_FALSE(e.has_high()) << e.ShortDebugString();
  EXPECT_EQ(e.low(), 0) << e.ShortDebugString();
}

// ---------------------------------------------------------------------------
// The fixture: one server on a fresh store per test.

class IncidentsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { stub_ = IncidentsService::NewStub(server_.channel()); }

  template <typename Req, typename Resp>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                 Resp*),
                    const Req& request, Resp* response,
                    const std::string& caller = "") {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!caller.empty()) context.AddMetadata("x-parley-caller", caller);
    return FromGrpcStatus((stub_.get()->*method)(&context, request, response));
  }

  Incident CreateOk(const Incident& i, const std::string& id,
                    const std::string& caller = "") {
    CreateIncidentRequest req;
    *req.mutable_incident() = i;
    req.set_incident_id(id);
    Incident out;
    const absl::Status s = Call(&Stub::CreateIncident, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateIncident " << id << ": " << s;
    return out;
  }

  absl::Status Get(const std::string& name, Incident* out,
                   const Timestamp* read_time = nullptr) {
    GetIncidentRequest req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(&Stub::GetIncident, req, out);
  }

  std::vector<std::string> Names(ListIncidentsRequest req) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 200; ++pages) {
      ListIncidentsResponse resp;
      const absl::Status s = Call(&Stub::ListIncidents, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      for (const auto& i : resp.incidents()) names.push_back(i.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }
  size_t Count() { return Names({}).size(); }

  SummarizeIncidentsResponse Summarize(const std::string& span,
                                       const std::string& region = "") {
    SummarizeIncidentsRequest req;
    req.set_span(span);
    req.set_region(region);
    SummarizeIncidentsResponse resp;
    const absl::Status s = Call(&Stub::SummarizeIncidents, req, &resp);
    EXPECT_TRUE(s.ok()) << span << " " << region << ": " << s;
    return resp;
  }

  std::vector<Revision> Revisions(const std::string& name) {
    ListRevisionsRequest req;
    req.set_name(name);
    ListRevisionsResponse resp;
    const absl::Status s = Call(&Stub::ListRevisions, req, &resp);
    EXPECT_TRUE(s.ok()) << name << ": " << s;
    return {resp.revisions().begin(), resp.revisions().end()};
  }

  void Seed() {
    CreateOk(TrainStrike(), "kharkiv-train");
    CreateOk(EnergyCampaign(), "energy-2025-11");
    CreateOk(KhersonShelling(), "kherson-shelling");
    CreateOk(BelgorodDrone(), "belgorod-drone");
  }

  Server server_;
  std::unique_ptr<Stub> stub_;
};

// ---------------------------------------------------------------------------
// CRUD.

TEST_F(IncidentsIntegrationTest, CreateGetListUpdateDelete) {
  const Incident created = CreateOk(TrainStrike(), "kharkiv-train", "alice");
  const auto& m = created.metadata();
  EXPECT_EQ(m.name(), kTrain);
  EXPECT_EQ(m.revision(), 1);
  EXPECT_EQ(m.creator(), "alice");
  EXPECT_FALSE(m.etag().empty());
  EXPECT_EQ(created.occurred_span().text(), "2026-01-27");
  EXPECT_EQ(created.occurred_span().precision(), DateSpan::PRECISION_DAY);
  EXPECT_EQ(created.occurred_span().first_day(), "2026-01-27");
  ExpectAtLeast(created.casualties().killed(), 5);
  EXPECT_FALSE(created.casualties().has_injured());
  EXPECT_DOUBLE_EQ(created.place().coordinates().latitude(), 49.99);
  EXPECT_EQ(created.attribution().party().country(), "RU");

  Incident got;
  ASSERT_TRUE(Get(kTrain, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));
  ListIncidentsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListIncidents, ListIncidentsRequest(), &listed).ok());
  ASSERT_EQ(listed.incidents_size(), 1);
  EXPECT_TRUE(ProtoEq(listed.incidents(0), created));

  // Add the injured once known, under the etag.
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  update.mutable_incident()->mutable_metadata()->set_etag(m.etag());
  *update.mutable_incident()->mutable_casualties()->mutable_injured() = Exact(12);
  update.mutable_incident()->set_title("not in the mask");
  *update.mutable_update_mask() = Mask({"casualties.injured"});
  Incident updated;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &updated, "bob").ok());
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_EQ(updated.metadata().updater(), "bob");
  EXPECT_EQ(updated.title(), "Drone strike on a passenger train");
  ExpectAtLeast(updated.casualties().killed(), 5);
  ExpectExact(updated.casualties().injured(), 12);
  const auto week = Summarize("2026-W05", "Kharkiv");
  ExpectExact(week.injured(), 12);

  DeleteIncidentRequest del;
  del.set_name(kTrain);
  del.set_etag(updated.metadata().etag());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteIncident, del, &empty, "carol").ok());
  EXPECT_EQ(Get(kTrain, &got).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(Call(&Stub::DeleteIncident, del, &empty).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Summarize("2026-W05").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05", "Kharkiv").kinds_size(), 0);
  const auto revisions = Revisions(kTrain);
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[2].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[2].actor(), "carol");
}

// ---------------------------------------------------------------------------
// Filters.

TEST_F(IncidentsIntegrationTest, ListFilters) {
  Seed();
  const auto names = [&](auto fill) {
    ListIncidentsRequest req;
    fill(req);
    return Names(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre(kTrain, kEnergy, kKherson, kBelgorod));
  // Span: overlap with `occurred`; the campaign spans three months.
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-W05"); }),
              UnorderedElementsAre(kTrain, kEnergy, kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-10"); }),
              UnorderedElementsAre(kEnergy, kKherson));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-12"); }), ElementsAre(kEnergy));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-10"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-02"); }), IsEmpty());
  // Region: case-insensitive, whole name.
  EXPECT_THAT(names([](auto& r) { r.set_region("Kharkiv"); }), ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("kharkiv"); }), ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("KHARKIV"); }), ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_region("Kharkiv Oblast"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_region("Khar"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_region("Belgorod"); }), ElementsAre(kBelgorod));
  // Kind and target.
  EXPECT_THAT(names([](auto& r) { r.set_kind(INCIDENT_KIND_DRONE_STRIKE); }),
              UnorderedElementsAre(kTrain, kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_kind(INCIDENT_KIND_STRIKE_CAMPAIGN); }),
              ElementsAre(kEnergy));
  EXPECT_THAT(names([](auto& r) { r.set_kind(INCIDENT_KIND_MINE); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_target(TARGET_CATEGORY_PASSENGER_TRAIN); }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_target(TARGET_CATEGORY_RESIDENTIAL); }),
              UnorderedElementsAre(kKherson, kBelgorod));
  EXPECT_THAT(
      names([](auto& r) { r.set_target(TARGET_CATEGORY_ENERGY_INFRASTRUCTURE); }),
      ElementsAre(kEnergy));
  // Attributed party.
  EXPECT_THAT(names([](auto& r) { r.set_attributed_party("RU"); }),
              UnorderedElementsAre(kTrain, kEnergy, kKherson));
  EXPECT_THAT(names([](auto& r) { r.set_attributed_party("UA"); }),
              ElementsAre(kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_attributed_party("US"); }), IsEmpty());
  // min_killed: best, else low ("at least five" is 5); unknown is 0.
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(1); }),
              UnorderedElementsAre(kTrain, kKherson, kBelgorod));
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(2); }),
              UnorderedElementsAre(kTrain, kKherson));
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(5); }), ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(6); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_min_killed(0); }),
              UnorderedElementsAre(kTrain, kEnergy, kKherson, kBelgorod));
  // Combinations.
  EXPECT_THAT(names([](auto& r) {
                r.set_kind(INCIDENT_KIND_DRONE_STRIKE);
                r.set_attributed_party("RU");
              }),
              ElementsAre(kTrain));
  EXPECT_THAT(names([](auto& r) {
                r.set_span("2026-01");
                r.set_min_killed(2);
              }),
              UnorderedElementsAre(kTrain, kKherson));
  EXPECT_THAT(names([](auto& r) {
                r.set_region("kharkiv");
                r.set_target(TARGET_CATEGORY_ENERGY_INFRASTRUCTURE);
              }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) {
                r.set_region("Kherson");
                r.set_span("2026-W02");
                r.set_kind(INCIDENT_KIND_SHELLING);
                r.set_attributed_party("RU");
                r.set_min_killed(2);
              }),
              ElementsAre(kKherson));

  // Bad filters name themselves.
  for (const auto& [fill, field] :
       std::vector<std::pair<std::function<void(ListIncidentsRequest&)>, const char*>>{
           {[](auto& r) { r.set_min_killed(-1); }, "min_killed"},
           {[](auto& r) { r.set_attributed_party("Russia"); }, "attributed_party"},
           {[](auto& r) { r.set_kind(static_cast<IncidentKind>(99)); }, "kind"},
           {[](auto& r) { r.set_target(static_cast<TargetCategory>(99)); }, "target"},
           {[](auto& r) { r.set_span("yesterday"); }, "span"},
           {[](auto& r) { r.set_region(std::string(5000, 'k')); }, "region"},
           {[](auto& r) { r.set_page_size(-5); }, "page_size"}}) {
    ListIncidentsRequest req;
    fill(req);
    ListIncidentsResponse resp;
    const absl::Status s = Call(&Stub::ListIncidents, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre(field));
  }
}

// ---------------------------------------------------------------------------
// Paging, idempotency, etags, history.

TEST_F(IncidentsIntegrationTest, PagingVisitsEveryRecordOnce) {
  std::set<std::string> all, deadly;
  for (int i = 0; i < 27; ++i) {
    Incident incident = KhersonShelling();
    incident.set_occurred(FormatDay(absl::CivilDay(2026, 1, 1) + i));
    *incident.mutable_casualties()->mutable_killed() = Exact(i);
    const std::string name = CreateOk(incident, "").metadata().name();
    all.insert(name);
    if (i >= 10) deadly.insert(name);
  }
  ASSERT_EQ(all.size(), 27u);

  struct Query {
    std::function<void(ListIncidentsRequest&)> fill;
    std::vector<int> sizes;
    const std::set<std::string>* want;
  };
  for (const Query& q : std::vector<Query>{
           {[](auto&) {}, {4, 4, 4, 4, 4, 4, 3}, &all},
           {[](auto& r) { r.set_span("2026-01"); }, {4, 4, 4, 4, 4, 4, 3}, &all},
           {[](auto& r) { r.set_region("KHERSON"); }, {4, 4, 4, 4, 4, 4, 3}, &all},
           // A filter checked on each record still fills whole pages.
           {[](auto& r) {
              r.set_region("kherson");
              r.set_min_killed(10);
            },
            {4, 4, 4, 4, 1},
            &deadly}}) {
    ListIncidentsRequest req;
    q.fill(req);
    SCOPED_TRACE(req.ShortDebugString());
    req.set_page_size(4);
    std::vector<int> sizes;
    std::vector<std::string> paged;
    for (int pages = 0; pages < 20; ++pages) {
      ListIncidentsResponse resp;
      const absl::Status s = Call(&Stub::ListIncidents, req, &resp);
      ASSERT_TRUE(s.ok()) << s;
      sizes.push_back(resp.incidents_size());
      for (const auto& i : resp.incidents()) paged.push_back(i.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    EXPECT_EQ(sizes, q.sizes);
    EXPECT_EQ(paged.size(), q.want->size());
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), *q.want);
  }

  // A token from one query is refused by another.
  ListIncidentsRequest first;
  first.set_page_size(4);
  first.set_region("Kherson");
  ListIncidentsResponse page;
  ASSERT_TRUE(Call(&Stub::ListIncidents, first, &page).ok());
  ListIncidentsRequest other = first;
  other.set_min_killed(3);
  other.set_page_token(page.next_page_token());
  const absl::Status s = Call(&Stub::ListIncidents, other, &page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));
}

TEST_F(IncidentsIntegrationTest, RetriedCreateWithRequestIdStoresNothingNew) {
  CreateIncidentRequest req;
  *req.mutable_incident() = TrainStrike();
  req.set_request_id("train-report-1");
  Incident first;
  ASSERT_TRUE(Call(&Stub::CreateIncident, req, &first).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {
    Incident retry;
    ASSERT_TRUE(Call(&Stub::CreateIncident, req, &retry).ok());
    EXPECT_TRUE(ProtoEq(retry, first));
  }
  EXPECT_EQ(Count(), 1u);
  // Counted once in the totals too.
  const auto day = Summarize("2026-01-27");
  EXPECT_EQ(day.incidents(), 1);
  ExpectAtLeast(day.killed(), 5);

  CreateIncidentRequest different = req;
  *different.mutable_incident()->mutable_casualties()->mutable_killed() = AtLeast(6);
  Incident out;
  EXPECT_EQ(Call(&Stub::CreateIncident, different, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(Summarize("2026-01-27").incidents(), 1);

  // An explicit id is taken, even after its record is deleted.
  CreateOk(KhersonShelling(), "kherson-shelling");
  CreateIncidentRequest taken;
  *taken.mutable_incident() = BelgorodDrone();
  taken.set_incident_id("kherson-shelling");
  EXPECT_EQ(Call(&Stub::CreateIncident, taken, &out).code(),
            absl::StatusCode::kAlreadyExists);
  DeleteIncidentRequest del;
  del.set_name(kKherson);
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteIncident, del, &empty).ok());
  EXPECT_EQ(Call(&Stub::CreateIncident, taken, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(Summarize("2026-01").incidents(), 1);
}

TEST_F(IncidentsIntegrationTest, StaleEtagIsAbortedAndChangesNothing) {
  Seed();
  Incident v1;
  ASSERT_TRUE(Get(kTrain, &v1).ok());
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  update.mutable_incident()->mutable_metadata()->set_etag(v1.metadata().etag());
  update.mutable_incident()->set_description("first edit");
  *update.mutable_update_mask() = Mask({"description"});
  Incident v2;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &v2).ok());

  // A stale correction of the death toll: refused, totals untouched.
  UpdateIncidentRequest stale;
  stale.mutable_incident()->mutable_metadata()->set_name(kTrain);
  stale.mutable_incident()->mutable_metadata()->set_etag(v1.metadata().etag());
  *stale.mutable_incident()->mutable_casualties()->mutable_killed() = Exact(50);
  *stale.mutable_update_mask() = Mask({"casualties.killed"});
  Incident out;
  absl::Status s = Call(&Stub::UpdateIncident, stale, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  Incident now;
  ASSERT_TRUE(Get(kTrain, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));
  ExpectAtLeast(Summarize("2026-01-27").killed(), 5);

  DeleteIncidentRequest del;
  del.set_name(kTrain);
  del.set_etag(v1.metadata().etag());
  google::protobuf::Empty empty;
  s = Call(&Stub::DeleteIncident, del, &empty);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  EXPECT_TRUE(Get(kTrain, &now).ok());
  EXPECT_EQ(Summarize("2026-01-27").incidents(), 1);
}

TEST_F(IncidentsIntegrationTest, CorrectionKeepsHistoryAndReadTime) {
  Seed();
  Incident v1;
  ASSERT_TRUE(Get(kTrain, &v1).ok());
  const Timestamp before_correction = MomentBetween();

  // The toll is corrected to exactly six, and the place to the next region.
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  *update.mutable_incident()->mutable_casualties()->mutable_killed() = Exact(6);
  update.mutable_incident()->mutable_place()->set_country("UA");
  update.mutable_incident()->mutable_place()->set_admin1("Sumy");
  *update.mutable_update_mask() = Mask({"casualties.killed", "place"});
  Incident v2;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &v2, "bob").ok());
  ExpectExact(v2.casualties().killed(), 6);
  EXPECT_FALSE(v2.place().has_coordinates());

  Incident then;
  ASSERT_TRUE(Get(kTrain, &then, &before_correction).ok());
  EXPECT_TRUE(ProtoEq(then, v1));
  ExpectAtLeast(then.casualties().killed(), 5);
  ASSERT_TRUE(Get(kTrain, &then).ok());
  EXPECT_TRUE(ProtoEq(then, v2));
  const Timestamp before_create =
      TimeUtil::MicrosecondsToTimestamp(Micros(v1.metadata().create_time()) - 1000);
  EXPECT_EQ(Get(kTrain, &then, &before_create).code(), absl::StatusCode::kNotFound);

  const auto revisions = Revisions(kTrain);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_THAT(revisions[1].changed_fields(), UnorderedElementsAre("place", "casualties"));
  Incident snapshot;
  ASSERT_TRUE(revisions[0].snapshot().UnpackTo(&snapshot));
  ExpectAtLeast(snapshot.casualties().killed(), 5);

  // Indexes and totals follow the correction.
  ListIncidentsRequest kharkiv;
  kharkiv.set_region("Kharkiv");
  EXPECT_THAT(Names(kharkiv), IsEmpty());
  ListIncidentsRequest sumy;
  sumy.set_region("sumy");
  EXPECT_THAT(Names(sumy), ElementsAre(kTrain));
  ListIncidentsRequest six;
  six.set_min_killed(6);
  EXPECT_THAT(Names(six), ElementsAre(kTrain));
  EXPECT_EQ(Summarize("2026-W05", "Kharkiv").incidents(), 0);
  const auto sumy_week = Summarize("2026-W05", "Sumy");
  EXPECT_EQ(sumy_week.incidents(), 1);
  ExpectExact(sumy_week.killed(), 6);

  ListRevisionsRequest bad;
  ListRevisionsResponse resp;
  for (const char* name : {"", "rounds/uae", "incidents/", "incidents/Kharkiv Train"}) {
    bad.set_name(name);
    const absl::Status s = Call(&Stub::ListRevisions, bad, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  bad.set_name("incidents/never-was");
  EXPECT_EQ(Call(&Stub::ListRevisions, bad, &resp).code(), absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------
// Bad input.

TEST_F(IncidentsIntegrationTest, BadInputNamesEveryBadFieldAndStoresNothing) {
  Seed();
  const auto week_before = Summarize("2026-W05");

  CreateIncidentRequest req;
  Incident i = TrainStrike();
  i.clear_kind();
  i.set_target(static_cast<TargetCategory>(99));
  i.mutable_place()->mutable_coordinates()->set_latitude(123.0);
  i.mutable_attribution()->clear_reliability();
  auto* killed = i.mutable_casualties()->mutable_killed();
  killed->Clear();
  killed->set_low(10);
  killed->set_high(5);
  killed->set_qualifier(Estimate::QUALIFIER_ABOUT);
  auto* outage = i.add_effects();
  outage->set_kind(EFFECT_KIND_POWER_OUTAGE);
  outage->set_duration_hours(-4);
  i.add_effects()->set_note("no kind");
  *req.mutable_incident() = i;
  req.set_incident_id("Train!");
  Incident out;
  absl::Status s = Call(&Stub::CreateIncident, req, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("incident_id", "incident.kind", "incident.target",
                                   "incident.place.coordinates.latitude",
                                   "incident.attribution.reliability",
                                   "incident.casualties.killed.low",
                                   "incident.effects[0].duration_hours",
                                   "incident.effects[1].kind"));

  Incident no_place = TrainStrike();
  no_place.clear_place();
  no_place.clear_occurred();
  *req.mutable_incident() = no_place;
  req.clear_incident_id();
  s = Call(&Stub::CreateIncident, req, &out);
  EXPECT_THAT(ViolationFields(s), UnorderedElementsAre("incident.place", "incident.occurred"));
  EXPECT_EQ(Count(), 4u);
  EXPECT_TRUE(ProtoEq(Summarize("2026-W05"), week_before));

  // A bad update is refused whole: record and totals as they were.
  Incident before;
  ASSERT_TRUE(Get(kTrain, &before).ok());
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kTrain);
  update.mutable_incident()->set_kind(INCIDENT_KIND_MISSILE_STRIKE);
  update.mutable_incident()->mutable_place()->set_country("UA");
  update.mutable_incident()->mutable_place()->mutable_coordinates()->set_longitude(200);
  *update.mutable_update_mask() = Mask({"kind", "place"});
  s = Call(&Stub::UpdateIncident, update, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("incident.place.coordinates.longitude"));
  Incident after;
  ASSERT_TRUE(Get(kTrain, &after).ok());
  EXPECT_TRUE(ProtoEq(after, before));
  EXPECT_TRUE(ProtoEq(Summarize("2026-W05"), week_before));
  EXPECT_EQ(Revisions(kTrain).size(), 1u);

  // Malformed names name "name".
  for (const char* name : {"", "incidents/", "incidents/Kharkiv", "rounds/kharkiv-train"}) {
    s = Get(name, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
}

// ---------------------------------------------------------------------------
// SummarizeIncidents on the seed week.

TEST_F(IncidentsIntegrationTest, SummarizeTheTrainStrikeWeek) {
  Seed();
  // 2026-W05: the train strike (Kharkiv, at least five) and Belgorod (one).
  const auto week = Summarize("2026-W05");
  EXPECT_EQ(week.span().text(), "2026-W05");
  EXPECT_EQ(week.span().precision(), DateSpan::PRECISION_WEEK);
  EXPECT_EQ(week.span().first_day(), "2026-01-26");
  EXPECT_EQ(week.span().last_day(), "2026-02-01");
  EXPECT_EQ(week.incidents(), 2);
  ASSERT_EQ(week.kinds_size(), 1);
  EXPECT_EQ(week.kinds(0).kind(), INCIDENT_KIND_DRONE_STRIKE);
  EXPECT_EQ(week.kinds(0).incidents(), 2);
  ExpectAtLeast(week.kinds(0).killed(), 6);
  ExpectAtLeast(week.killed(), 6);
  // The train's injured are unknown: Belgorod's three are a floor, not a total.
  ExpectAtLeast(week.injured(), 3);
  EXPECT_EQ(week.effects_size(), 0);

  // Kharkiv alone, however it is spelled: "at least five killed".
  for (const char* region : {"Kharkiv", "kharkiv", "KHARKIV"}) {
    SCOPED_TRACE(region);
    const auto kharkiv = Summarize("2026-W05", region);
    EXPECT_EQ(kharkiv.incidents(), 1);
    ASSERT_EQ(kharkiv.kinds_size(), 1);
    EXPECT_EQ(kharkiv.kinds(0).kind(), INCIDENT_KIND_DRONE_STRIKE);
    ExpectAtLeast(kharkiv.killed(), 5);
    ExpectNoFigure(kharkiv.injured());
  }
  const auto day = Summarize("2026-01-27", "Kharkiv");
  EXPECT_EQ(day.incidents(), 1);
  ExpectAtLeast(day.killed(), 5);
  EXPECT_EQ(Summarize("2026-01-26", "Kharkiv").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05", "Kharkiv Oblast").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05", "Lviv").incidents(), 0);
  EXPECT_EQ(Summarize("2026-W05", "Belgorod").incidents(), 1);
  ExpectExact(Summarize("2026-W05", "Belgorod").killed(), 1);

  // January: Kherson (exactly two; about seven injured), the train, Belgorod.
  const auto january = Summarize("2026-01");
  EXPECT_EQ(january.incidents(), 3);
  ASSERT_EQ(january.kinds_size(), 2);
  EXPECT_EQ(january.kinds(0).kind(), INCIDENT_KIND_DRONE_STRIKE);
  EXPECT_EQ(january.kinds(1).kind(), INCIDENT_KIND_SHELLING);
  EXPECT_EQ(january.kinds(1).incidents(), 1);
  ExpectExact(january.kinds(1).killed(), 2);
  EXPECT_EQ(january.kinds(1).injured().best(), 7);
  EXPECT_NE(january.kinds(1).injured().qualifier(), Estimate::QUALIFIER_EXACT);
  ExpectAtLeast(january.killed(), 8);
}

TEST_F(IncidentsIntegrationTest, SummarizeTheEnergyCampaign) {
  Seed();
  // Counted in the day its span starts: 2025-11-01.
  const auto november = Summarize("2025-11");
  EXPECT_EQ(november.incidents(), 1);
  ASSERT_EQ(november.kinds_size(), 1);
  EXPECT_EQ(november.kinds(0).kind(), INCIDENT_KIND_STRIKE_CAMPAIGN);
  EXPECT_EQ(november.kinds(0).incidents(), 1);
  ExpectNoFigure(november.kinds(0).killed());
  ExpectNoFigure(november.killed());
  // Outages with no figure: reported, counted, never zero.
  ASSERT_EQ(november.effects_size(), 2);
  EXPECT_EQ(november.effects(0).kind(), EFFECT_KIND_POWER_OUTAGE);
  EXPECT_EQ(november.effects(0).incidents(), 1);
  ExpectNoFigure(november.effects(0).affected());
  EXPECT_EQ(november.effects(1).kind(), EFFECT_KIND_HEATING_OUTAGE);
  EXPECT_EQ(november.effects(1).incidents(), 1);
  ExpectNoFigure(november.effects(1).affected());

  EXPECT_EQ(Summarize("2025-12").incidents(), 0);
  EXPECT_EQ(Summarize("2025-11-02/2026-01-31").effects_size(), 0);
  // The campaign's own span holds everything seeded.
  const auto campaign = Summarize("2025-11/2026-01");
  EXPECT_EQ(campaign.span().precision(), DateSpan::PRECISION_RANGE);
  EXPECT_EQ(campaign.span().first_day(), "2025-11-01");
  EXPECT_EQ(campaign.span().last_day(), "2026-01-31");
  EXPECT_EQ(campaign.incidents(), 4);
  EXPECT_EQ(campaign.kinds_size(), 3);
  EXPECT_EQ(campaign.effects_size(), 2);
  ExpectAtLeast(campaign.killed(), 8);
  // It has no region: no regional summary holds it.
  EXPECT_EQ(Summarize("2025-11", "Kharkiv").incidents(), 0);

  // A figure arrives for the power outage: the total carries it.
  UpdateIncidentRequest update;
  update.mutable_incident()->mutable_metadata()->set_name(kEnergy);
  Incident patch = EnergyCampaign();
  patch.mutable_effects(0)->mutable_affected()->Clear();
  patch.mutable_effects(0)->mutable_affected()->set_low(1000000);
  patch.mutable_effects(0)->mutable_affected()->set_qualifier(
      Estimate::QUALIFIER_AT_LEAST);
  *update.mutable_incident()->mutable_effects() = patch.effects();
  *update.mutable_update_mask() = Mask({"effects"});
  Incident out;
  ASSERT_TRUE(Call(&Stub::UpdateIncident, update, &out).ok());
  const auto later = Summarize("2025-11");
  ASSERT_EQ(later.effects_size(), 2);
  ExpectAtLeast(later.effects(0).affected(), 1000000);
  EXPECT_EQ(later.effects(0).incidents(), 1);
}

TEST_F(IncidentsIntegrationTest, SummarizeRefusesABadSpanOrRegion) {
  Seed();
  for (const auto& [span, region, field] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "", "span"},
           {"2026-W54", "", "span"},
           {"last week", "Kharkiv", "span"},
           {"2026-W05", std::string(5000, 'k'), "region"}}) {
    SummarizeIncidentsRequest req;
    req.set_span(span);
    req.set_region(region);
    SummarizeIncidentsResponse resp;
    const absl::Status s = Call(&Stub::SummarizeIncidents, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << span << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre(field)) << span;
  }
}

}  // namespace
}  // namespace parley::incidents
