// The negotiations service end to end through a real gRPC server in-process,
// on a real RocksDB store: client stub -> gRPC -> edge -> domain -> store and
// back, status details included.
//
// The data is the week of `seed-article.txt`: trilateral talks in the UAE
// (2026-W04, "constructive", US-mediated), Russia's demand that Ukraine
// withdraw from the 25% of Donetsk region it holds, and each side blaming the
// other for the stalled prisoner exchanges ("channels/pow-ru-ua").
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"
#include "services/negotiations/domain.h"
#include "services/negotiations/service.h"
#include "tests/lib/in_process_server.h"

namespace parley::negotiations {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::Timestamp;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Estimate;
using ::parley::common::v1::Party;
using ::parley::common::v1::Revision;
using ::parley::common::v1::Source;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using namespace ::parley::negotiations::v1;  // NOLINT: the contract's messages

using Server =
    ::parley::testing::InProcessServer<Negotiations, NegotiationsServiceImpl>;
using Stub = NegotiationsService::Stub;

constexpr char kUaeRound[] = "rounds/uae-2026-01";
constexpr char kIstanbulRound[] = "rounds/istanbul-2";
constexpr char kGenevaRound[] = "rounds/geneva-proximity";
constexpr char kPowChannel[] = "channels/pow-ru-ua";

// ---------------------------------------------------------------------------
// Builders.

Party Country(const std::string& code) {
  Party p;
  p.set_country(code);
  return p;
}

Source Reported(const std::string& publisher, const std::string& published) {
  Source s;
  s.set_publisher(publisher);
  s.set_published(published);
  s.set_url(absl::StrCat("https://example.org/", publisher.size(), "/", published));
  s.set_reliability(Source::RELIABILITY_REPORTED);
  return s;
}

Source MedinskyTelegram() {
  Source s;
  s.mutable_attributed_to()->set_person("Vladimir Medinsky");
  s.mutable_attributed_to()->set_role("chief negotiator");
  s.mutable_attributed_to()->set_country("RU");
  s.set_channel("Telegram post");
  s.set_published("2026-W05");
  s.set_reliability(Source::RELIABILITY_CLAIMED);
  return s;
}

Round UaeRound() {
  Round r;
  r.set_title("Trilateral talks in the UAE");
  r.set_format(FORMAT_TRILATERAL);
  *r.add_parties() = Country("UA");
  *r.add_parties() = Country("RU");
  *r.add_mediators() = Country("US");
  r.mutable_venue()->set_country("AE");
  r.mutable_venue()->set_settlement("Abu Dhabi");
  r.set_held("2026-W04");
  auto* c = r.add_characterisations();
  c->set_term("constructive");
  c->mutable_by()->set_organization("the participants");
  r.add_outcomes("Further talks agreed");
  *r.add_sources() = Reported("Kyiv Independent", "2026-W05");
  return r;
}

Round IstanbulRound() {
  Round r;
  r.set_title("Second Istanbul round");
  r.set_format(FORMAT_BILATERAL);
  *r.add_parties() = Country("RU");
  *r.add_parties() = Country("UA");
  *r.add_mediators() = Country("TR");
  r.mutable_venue()->set_country("TR");
  r.mutable_venue()->set_settlement("Istanbul");
  r.set_held("2025-06-02");
  r.add_outcomes("Exchange of remains agreed: 6,000 bodies per side");
  *r.add_sources() = Reported("Reuters", "2025-06-02");
  return r;
}

Round GenevaRound() {
  Round r;
  r.set_title("Proximity talks in Geneva");
  r.set_format(FORMAT_PROXIMITY);
  *r.add_parties() = Country("UA");
  *r.add_parties() = Country("RU");
  *r.add_mediators() = Country("CH");
  *r.add_mediators() = Country("US");
  r.mutable_venue()->set_country("CH");
  r.set_held("2025-11-20/2025-11-21");
  *r.add_sources() = Reported("Reuters", "2025-11-21");
  return r;
}

// "Russia demands that Ukraine withdraw from the 25% of Donetsk region it
// holds."
Position DonetskDemand() {
  Position p;
  *p.mutable_holder() = Country("RU");
  p.set_stance(STANCE_DEMAND);
  p.set_issue("territory");
  p.set_summary("Ukraine to withdraw from the part of Donetsk region it holds");
  *p.mutable_addressee() = Country("UA");
  p.mutable_subject()->set_country("UA");
  p.mutable_subject()->set_admin1("Donetsk");
  p.mutable_quantity()->set_best(25);
  p.mutable_quantity()->set_qualifier(Estimate::QUALIFIER_ABOUT);
  p.set_quantity_unit("percent of the region's territory");
  p.set_state(POSITION_STATE_OPEN);
  p.set_first_reported("2026-W05");
  *p.add_sources() = Reported("Kyiv Independent", "2026-W05");
  return p;
}

Position CeasefireOffer() {
  Position p;
  *p.mutable_holder() = Country("UA");
  p.set_stance(STANCE_OFFER);
  p.set_issue("ceasefire");
  p.set_summary("A ceasefire along the current line");
  p.set_state(POSITION_STATE_OPEN);
  p.set_first_reported("2025-11");
  *p.add_sources() = Reported("Reuters", "2025-11");
  return p;
}

Position PrisonersAgreed() {
  Position p;
  *p.mutable_holder() = Country("UA");
  p.set_stance(STANCE_DEMAND);
  p.set_issue("prisoners");
  p.set_summary("All-for-all prisoner exchange");
  p.set_state(POSITION_STATE_AGREED);
  p.set_first_reported("2025-06-02");
  *p.add_sources() = Reported("Reuters", "2025-06-02");
  return p;
}

Statement MedinskyAccusation() {
  Statement s;
  s.mutable_speaker()->set_person("Vladimir Medinsky");
  s.mutable_speaker()->set_role("chief negotiator");
  s.mutable_speaker()->set_country("RU");
  s.set_made("2026-W05");
  s.set_kind(STATEMENT_KIND_ACCUSATION);
  s.set_summary("Ukraine is deliberately delaying the prisoner exchange");
  *s.mutable_target() = Country("UA");
  s.add_about(kPowChannel);
  *s.add_sources() = MedinskyTelegram();
  return s;
}

Statement UkrainianAccusation() {
  Statement s;
  s.mutable_speaker()->set_organization(
      "Coordination Headquarters for the Treatment of Prisoners of War");
  s.mutable_speaker()->set_country("UA");
  s.set_made("2026-01-29");
  s.set_kind(STATEMENT_KIND_ACCUSATION);
  s.set_summary("Russia is blocking the exchange");
  *s.mutable_target() = Country("RU");
  s.add_about(kPowChannel);
  *s.add_sources() = Reported("Ukrinform", "2026-01-29");
  return s;
}

Statement TalksAssessment() {
  Statement s;
  *s.mutable_speaker() = Country("UA");
  s.set_made("2026-01-24");
  s.set_kind(STATEMENT_KIND_ASSESSMENT);
  s.set_summary("The talks were constructive");
  s.add_about(kUaeRound);
  s.add_about("incidents/kharkiv-train");
  *s.add_sources() = Reported("Kyiv Independent", "2026-01-24");
  return s;
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

std::vector<std::string> Publishers(const Position& p) {
  std::vector<std::string> out;
  for (const auto& s : p.sources()) out.push_back(s.publisher());
  return out;
}

// ---------------------------------------------------------------------------
// The fixture: one server on a fresh store per test.

class NegotiationsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { stub_ = NegotiationsService::NewStub(server_.channel()); }

  void Restart() {
    stub_.reset();
    server_.Restart();
    stub_ = NegotiationsService::NewStub(server_.channel());
  }

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

  Round CreateRoundOk(const Round& r, const std::string& id,
                      const std::string& caller = "") {
    CreateRoundRequest req;
    *req.mutable_round() = r;
    req.set_round_id(id);
    Round out;
    const absl::Status s = Call(&Stub::CreateRound, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateRound " << id << ": " << s;
    return out;
  }
  Position CreatePositionOk(const Position& p, const std::string& id,
                            const std::string& caller = "") {
    CreatePositionRequest req;
    *req.mutable_position() = p;
    req.set_position_id(id);
    Position out;
    const absl::Status s = Call(&Stub::CreatePosition, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreatePosition " << id << ": " << s;
    return out;
  }
  Statement CreateStatementOk(const Statement& st, const std::string& id,
                              const std::string& caller = "") {
    CreateStatementRequest req;
    *req.mutable_statement() = st;
    req.set_statement_id(id);
    Statement out;
    const absl::Status s = Call(&Stub::CreateStatement, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateStatement " << id << ": " << s;
    return out;
  }

  absl::Status Report(const Position& p, ReportPositionResponse* out,
                      const std::string& request_id = "",
                      const std::string& caller = "") {
    ReportPositionRequest req;
    *req.mutable_position() = p;
    req.set_request_id(request_id);
    return Call(&Stub::ReportPosition, req, out, caller);
  }

  // Every name a List returns, following next_page_token to the end.
  template <typename Req, typename Resp, typename Records>
  std::vector<std::string> Names(
      grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
      Req req, Records (Resp::*records)() const) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 200; ++pages) {
      Resp resp;
      const absl::Status s = Call(method, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      for (const auto& r : (resp.*records)()) names.push_back(r.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }
  std::vector<std::string> RoundNames(ListRoundsRequest req) {
    return Names(&Stub::ListRounds, std::move(req), &ListRoundsResponse::rounds);
  }
  std::vector<std::string> PositionNames(ListPositionsRequest req) {
    return Names(&Stub::ListPositions, std::move(req),
                 &ListPositionsResponse::positions);
  }
  std::vector<std::string> StatementNames(ListStatementsRequest req) {
    return Names(&Stub::ListStatements, std::move(req),
                 &ListStatementsResponse::statements);
  }
  std::vector<Position> AllPositions() {
    std::vector<Position> all;
    ListPositionsRequest req;
    req.set_page_size(500);
    ListPositionsResponse resp;
    EXPECT_TRUE(Call(&Stub::ListPositions, req, &resp).ok());
    for (const auto& p : resp.positions()) all.push_back(p);
    return all;
  }

  std::vector<Revision> Revisions(const std::string& name) {
    ListRevisionsRequest req;
    req.set_name(name);
    ListRevisionsResponse resp;
    const absl::Status s = Call(&Stub::ListRevisions, req, &resp);
    EXPECT_TRUE(s.ok()) << name << ": " << s;
    return {resp.revisions().begin(), resp.revisions().end()};
  }

  absl::Status GetRound(const std::string& name, Round* out,
                        const Timestamp* read_time = nullptr) {
    GetRoundRequest req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(&Stub::GetRound, req, out);
  }
  absl::Status GetPosition(const std::string& name, Position* out,
                           const Timestamp* read_time = nullptr) {
    GetPositionRequest req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(&Stub::GetPosition, req, out);
  }
  absl::Status GetStatement(const std::string& name, Statement* out,
                            const Timestamp* read_time = nullptr) {
    GetStatementRequest req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(&Stub::GetStatement, req, out);
  }

  void SeedRounds() {
    CreateRoundOk(UaeRound(), "uae-2026-01");
    CreateRoundOk(IstanbulRound(), "istanbul-2");
    CreateRoundOk(GenevaRound(), "geneva-proximity");
  }
  void SeedPositions() {
    CreatePositionOk(DonetskDemand(), "ru-donetsk");
    CreatePositionOk(CeasefireOffer(), "ua-ceasefire");
    CreatePositionOk(PrisonersAgreed(), "ua-prisoners");
  }
  void SeedStatements() {
    CreateStatementOk(MedinskyAccusation(), "medinsky-delay");
    CreateStatementOk(UkrainianAccusation(), "ua-blocking");
    CreateStatementOk(TalksAssessment(), "ua-constructive");
  }

  Server server_;
  std::unique_ptr<Stub> stub_;
};

// ---------------------------------------------------------------------------
// Rounds.

TEST_F(NegotiationsIntegrationTest, RoundCreateGetListUpdateDelete) {
  const absl::Time before = absl::Now() - absl::Seconds(1);
  const Round created = CreateRoundOk(UaeRound(), "uae-2026-01", "alice");
  const auto& m = created.metadata();
  EXPECT_EQ(m.name(), kUaeRound);
  EXPECT_EQ(m.revision(), 1);
  EXPECT_FALSE(m.etag().empty());
  EXPECT_EQ(m.creator(), "alice");
  EXPECT_EQ(m.updater(), "alice");
  EXPECT_GE(Micros(m.create_time()), absl::ToUnixMicros(before));
  EXPECT_EQ(created.held_span().text(), "2026-W04");
  EXPECT_EQ(created.held_span().precision(), DateSpan::PRECISION_WEEK);
  EXPECT_EQ(created.held_span().first_day(), "2026-01-19");
  EXPECT_EQ(created.held_span().last_day(), "2026-01-25");
  EXPECT_EQ(created.format(), FORMAT_TRILATERAL);
  ASSERT_EQ(created.characterisations_size(), 1);
  EXPECT_EQ(created.characterisations(0).term(), "constructive");
  EXPECT_EQ(created.venue().settlement(), "Abu Dhabi");

  Round got;
  ASSERT_TRUE(GetRound(kUaeRound, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));
  ListRoundsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListRounds, ListRoundsRequest(), &listed).ok());
  ASSERT_EQ(listed.rounds_size(), 1);
  EXPECT_TRUE(ProtoEq(listed.rounds(0), created));

  // Add an outcome and a second characterisation, under the etag.
  UpdateRoundRequest update;
  Round* patch = update.mutable_round();
  patch->mutable_metadata()->set_name(kUaeRound);
  patch->mutable_metadata()->set_etag(m.etag());
  *patch->mutable_characterisations() = created.characterisations();
  auto* c = patch->add_characterisations();
  c->set_term("difficult");
  *c->mutable_by() = Country("RU");
  patch->set_title("not in the mask");
  *update.mutable_update_mask() = Mask({"characterisations"});
  Round updated;
  ASSERT_TRUE(Call(&Stub::UpdateRound, update, &updated, "bob").ok());
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_EQ(updated.metadata().creator(), "alice");
  EXPECT_EQ(updated.metadata().updater(), "bob");
  EXPECT_NE(updated.metadata().etag(), m.etag());
  EXPECT_EQ(updated.title(), "Trilateral talks in the UAE");
  ASSERT_EQ(updated.characterisations_size(), 2);
  EXPECT_EQ(updated.characterisations(1).term(), "difficult");
  EXPECT_EQ(updated.held_span().first_day(), "2026-01-19");

  // Move it a week later: the span is recomputed and re-indexed.
  UpdateRoundRequest move;
  move.mutable_round()->mutable_metadata()->set_name(kUaeRound);
  move.mutable_round()->set_held("2026-02-04/2026-02-05");
  *move.mutable_update_mask() = Mask({"held"});
  ASSERT_TRUE(Call(&Stub::UpdateRound, move, &updated).ok());
  EXPECT_EQ(updated.held_span().precision(), DateSpan::PRECISION_RANGE);
  EXPECT_EQ(updated.held_span().first_day(), "2026-02-04");
  ListRoundsRequest w04;
  w04.set_span("2026-W04");
  EXPECT_THAT(RoundNames(w04), IsEmpty());
  w04.set_span("2026-02-05");
  EXPECT_THAT(RoundNames(w04), ElementsAre(kUaeRound));

  DeleteRoundRequest del;
  del.set_name(kUaeRound);
  del.set_etag(updated.metadata().etag());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteRound, del, &empty, "carol").ok());
  EXPECT_EQ(GetRound(kUaeRound, &got).code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(RoundNames({}), IsEmpty());
  EXPECT_EQ(Call(&Stub::DeleteRound, del, &empty).code(), absl::StatusCode::kNotFound);
  const auto revisions = Revisions(kUaeRound);
  ASSERT_EQ(revisions.size(), 4u);
  EXPECT_EQ(revisions[0].change(), Revision::CHANGE_CREATE);
  EXPECT_THAT(revisions[1].changed_fields(), ElementsAre("characterisations"));
  // The resolved span is a field of the record too, and it changed with held.
  EXPECT_THAT(revisions[2].changed_fields(), UnorderedElementsAre("held", "held_span"));
  EXPECT_EQ(revisions[3].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[3].actor(), "carol");
}

TEST_F(NegotiationsIntegrationTest, RoundListFilters) {
  SeedRounds();
  const auto names = [&](auto fill) {
    ListRoundsRequest req;
    fill(req);
    return RoundNames(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre(kUaeRound, kIstanbulRound, kGenevaRound));
  // Span: overlap with `held`.
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01"); }), ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-25"); }), ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-26"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2025"); }),
              UnorderedElementsAre(kIstanbulRound, kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-11-21/2025-12-31"); }),
              ElementsAre(kGenevaRound));
  // Party: parties and mediators both count.
  EXPECT_THAT(names([](auto& r) { r.set_party("UA"); }),
              UnorderedElementsAre(kUaeRound, kIstanbulRound, kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_party("US"); }),
              UnorderedElementsAre(kUaeRound, kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_party("TR"); }), ElementsAre(kIstanbulRound));
  EXPECT_THAT(names([](auto& r) { r.set_party("DE"); }), IsEmpty());
  // Venue country: where it was held, not who mediated.
  EXPECT_THAT(names([](auto& r) { r.set_venue_country("AE"); }), ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_venue_country("US"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_venue_country("CH"); }),
              ElementsAre(kGenevaRound));
  // Format.
  EXPECT_THAT(names([](auto& r) { r.set_format(FORMAT_TRILATERAL); }),
              ElementsAre(kUaeRound));
  EXPECT_THAT(names([](auto& r) { r.set_format(FORMAT_PROXIMITY); }),
              ElementsAre(kGenevaRound));
  EXPECT_THAT(names([](auto& r) { r.set_format(FORMAT_MULTILATERAL); }), IsEmpty());
  // Combinations: every filter must hold.
  EXPECT_THAT(names([](auto& r) {
                r.set_party("US");
                r.set_span("2025");
              }),
              ElementsAre(kGenevaRound));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_format(FORMAT_BILATERAL);
                r.set_venue_country("TR");
              }),
              ElementsAre(kIstanbulRound));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("TR");
                r.set_format(FORMAT_TRILATERAL);
              }),
              IsEmpty());

  // Bad filters name themselves.
  struct Bad {
    std::function<void(ListRoundsRequest&)> fill;
    const char* field;
  };
  for (const Bad& bad : std::vector<Bad>{
           {[](auto& r) { r.set_party("XX"); }, "party"},
           {[](auto& r) { r.set_venue_country("uae"); }, "venue_country"},
           {[](auto& r) { r.set_format(static_cast<Format>(99)); }, "format"},
           {[](auto& r) { r.set_span("2026-13"); }, "span"},
           {[](auto& r) { r.set_page_size(-1); }, "page_size"},
           {[](auto& r) { r.set_page_token("garbage"); }, "page_token"}}) {
    ListRoundsRequest req;
    bad.fill(req);
    ListRoundsResponse resp;
    const absl::Status s = Call(&Stub::ListRounds, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad.field << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre(bad.field));
  }
}

// ---------------------------------------------------------------------------
// Positions and statements: CRUD and filters.

TEST_F(NegotiationsIntegrationTest, PositionCrudAndFilters) {
  const Position created = CreatePositionOk(DonetskDemand(), "ru-donetsk", "alice");
  EXPECT_EQ(created.metadata().name(), "positions/ru-donetsk");
  EXPECT_EQ(created.last_reported(), "2026-W05");  // defaults to first
  EXPECT_EQ(created.first_reported_span().first_day(), "2026-01-26");
  EXPECT_EQ(created.last_reported_span().last_day(), "2026-02-01");
  EXPECT_EQ(created.quantity().best(), 25);
  EXPECT_EQ(created.quantity_unit(), "percent of the region's territory");
  Position got;
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));
  CreatePositionOk(CeasefireOffer(), "ua-ceasefire");
  CreatePositionOk(PrisonersAgreed(), "ua-prisoners");

  const auto names = [&](auto fill) {
    ListPositionsRequest req;
    fill(req);
    return PositionNames(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre("positions/ru-donetsk", "positions/ua-ceasefire",
                                   "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_party("UA"); }),
              UnorderedElementsAre("positions/ua-ceasefire", "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_AGREED); }),
              ElementsAre("positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_OPEN); }),
              UnorderedElementsAre("positions/ru-donetsk", "positions/ua-ceasefire"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_WITHDRAWN); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_stance(STANCE_OFFER); }),
              ElementsAre("positions/ua-ceasefire"));
  EXPECT_THAT(names([](auto& r) { r.set_stance(STANCE_DEMAND); }),
              UnorderedElementsAre("positions/ru-donetsk", "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) { r.set_issue("territory"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_issue("Territory"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_issue("energy"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-W05"); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025"); }),
              UnorderedElementsAre("positions/ua-ceasefire", "positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_stance(STANCE_DEMAND);
                r.set_state(POSITION_STATE_AGREED);
              }),
              ElementsAre("positions/ua-prisoners"));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_issue("territory");
              }),
              IsEmpty());

  for (const auto& [fill, field] :
       std::vector<std::pair<std::function<void(ListPositionsRequest&)>, const char*>>{
           {[](auto& r) { r.set_state(static_cast<PositionState>(9)); }, "state"},
           {[](auto& r) { r.set_stance(static_cast<Stance>(9)); }, "stance"},
           {[](auto& r) { r.set_party("Russia"); }, "party"},
           {[](auto& r) { r.set_span("2026-W99"); }, "span"}}) {
    ListPositionsRequest req;
    fill(req);
    ListPositionsResponse resp;
    const absl::Status s = Call(&Stub::ListPositions, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(ViolationFields(s), ElementsAre(field));
  }

  // Withdraw it: it moves between state filters.
  UpdatePositionRequest update;
  update.mutable_position()->mutable_metadata()->set_name("positions/ru-donetsk");
  update.mutable_position()->mutable_metadata()->set_etag(created.metadata().etag());
  update.mutable_position()->set_state(POSITION_STATE_WITHDRAWN);
  *update.mutable_update_mask() = Mask({"state"});
  Position updated;
  ASSERT_TRUE(Call(&Stub::UpdatePosition, update, &updated).ok());
  EXPECT_EQ(updated.state(), POSITION_STATE_WITHDRAWN);
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_WITHDRAWN); }),
              ElementsAre("positions/ru-donetsk"));
  EXPECT_THAT(names([](auto& r) { r.set_state(POSITION_STATE_OPEN); }),
              ElementsAre("positions/ua-ceasefire"));

  DeletePositionRequest del;
  del.set_name("positions/ru-donetsk");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeletePosition, del, &empty).ok());
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &got).code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }), IsEmpty());
}

TEST_F(NegotiationsIntegrationTest, StatementCrudAndFilters) {
  SeedStatements();
  Statement got;
  ASSERT_TRUE(GetStatement("statements/medinsky-delay", &got).ok());
  EXPECT_EQ(got.made_span().first_day(), "2026-01-26");
  EXPECT_EQ(got.speaker().person(), "Vladimir Medinsky");
  EXPECT_THAT(got.about(), ElementsAre(kPowChannel));

  const auto names = [&](auto fill) {
    ListStatementsRequest req;
    fill(req);
    return StatementNames(req);
  };
  // About: what each side says about the stalled channel.
  EXPECT_THAT(names([](auto& r) { r.set_about(kPowChannel); }),
              UnorderedElementsAre("statements/medinsky-delay", "statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_about(kUaeRound); }),
              ElementsAre("statements/ua-constructive"));
  EXPECT_THAT(names([](auto& r) { r.set_about("incidents/kharkiv-train"); }),
              ElementsAre("statements/ua-constructive"));
  EXPECT_THAT(names([](auto& r) { r.set_about("agreements/istanbul-2025"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_kind(STATEMENT_KIND_ACCUSATION); }),
              UnorderedElementsAre("statements/medinsky-delay", "statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_kind(STATEMENT_KIND_DENIAL); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }),
              ElementsAre("statements/medinsky-delay"));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("UA");
                r.set_about(kPowChannel);
              }),
              ElementsAre("statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-01-29"); }),
              UnorderedElementsAre("statements/medinsky-delay", "statements/ua-blocking"));
  EXPECT_THAT(names([](auto& r) { r.set_span("2026-W04"); }),
              ElementsAre("statements/ua-constructive"));
  EXPECT_THAT(names([](auto& r) {
                r.set_span("2026-W04");
                r.set_kind(STATEMENT_KIND_ACCUSATION);
              }),
              IsEmpty());

  for (const char* about : {"nonsense", "rounds/Bad Id", "people/medinsky"}) {
    ListStatementsRequest req;
    req.set_about(about);
    ListStatementsResponse resp;
    const absl::Status s = Call(&Stub::ListStatements, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << about;
    EXPECT_THAT(ViolationFields(s), ElementsAre("about")) << about;
  }
  ListStatementsRequest bad_kind;
  bad_kind.set_kind(static_cast<StatementKind>(77));
  ListStatementsResponse resp;
  EXPECT_THAT(ViolationFields(Call(&Stub::ListStatements, bad_kind, &resp)),
              ElementsAre("kind"));

  // Re-point a statement: the about index follows.
  UpdateStatementRequest update;
  update.mutable_statement()->mutable_metadata()->set_name("statements/ua-blocking");
  update.mutable_statement()->add_about("agreements/istanbul-2025");
  *update.mutable_update_mask() = Mask({"about"});
  Statement updated;
  ASSERT_TRUE(Call(&Stub::UpdateStatement, update, &updated).ok());
  EXPECT_THAT(updated.about(), ElementsAre("agreements/istanbul-2025"));
  EXPECT_THAT(names([](auto& r) { r.set_about(kPowChannel); }),
              ElementsAre("statements/medinsky-delay"));
  EXPECT_THAT(names([](auto& r) { r.set_about("agreements/istanbul-2025"); }),
              ElementsAre("statements/ua-blocking"));

  DeleteStatementRequest del;
  del.set_name("statements/medinsky-delay");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteStatement, del, &empty).ok());
  EXPECT_THAT(names([](auto& r) { r.set_about(kPowChannel); }), IsEmpty());
  EXPECT_EQ(GetStatement("statements/medinsky-delay", &got).code(),
            absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------
// Paging, idempotency, etags, history.

TEST_F(NegotiationsIntegrationTest, PagingVisitsEveryRecordOnce) {
  std::set<std::string> created;
  for (int i = 0; i < 23; ++i) {
    Statement s = MedinskyAccusation();
    s.set_made(FormatDay(absl::CivilDay(2026, 1, 1) + i));
    s.set_summary(absl::StrCat("statement ", i));
    created.insert(CreateStatementOk(s, "").metadata().name());
  }
  ASSERT_EQ(created.size(), 23u);

  for (const auto& fill : std::vector<std::function<void(ListStatementsRequest&)>>{
           [](auto&) {},                                      // primary scan
           [](auto& r) { r.set_span("2026"); },               // date scan
           [](auto& r) { r.set_about(kPowChannel); },         // term scan
           [](auto& r) { r.set_party("RU"); r.set_span("2026-01"); }}) {
    ListStatementsRequest req;
    fill(req);
    SCOPED_TRACE(req.ShortDebugString());
    req.set_page_size(5);
    std::vector<int> sizes;
    std::vector<std::string> paged;
    for (int pages = 0; pages < 20; ++pages) {
      ListStatementsResponse resp;
      const absl::Status s = Call(&Stub::ListStatements, req, &resp);
      ASSERT_TRUE(s.ok()) << s;
      sizes.push_back(resp.statements_size());
      for (const auto& st : resp.statements()) paged.push_back(st.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    EXPECT_THAT(sizes, ElementsAre(5, 5, 5, 5, 3));
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), created);
    EXPECT_EQ(paged.size(), 23u);
  }

  // A token belongs to its query.
  ListStatementsRequest first;
  first.set_page_size(5);
  first.set_about(kPowChannel);
  ListStatementsResponse page;
  ASSERT_TRUE(Call(&Stub::ListStatements, first, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  ListStatementsRequest other;
  other.set_party("RU");
  other.set_page_token(page.next_page_token());
  const absl::Status s = Call(&Stub::ListStatements, other, &page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));

  // The default page is 50; more than 500 is lowered, not refused.
  ListStatementsRequest big;
  big.set_page_size(100000);
  ListStatementsResponse all;
  ASSERT_TRUE(Call(&Stub::ListStatements, big, &all).ok());
  EXPECT_EQ(all.statements_size(), 23);
  EXPECT_TRUE(all.next_page_token().empty());
}

TEST_F(NegotiationsIntegrationTest, RetriedCreateWithRequestIdStoresNothingNew) {
  CreateRoundRequest req;
  *req.mutable_round() = UaeRound();
  req.set_request_id("round-retry-1");
  Round first;
  ASSERT_TRUE(Call(&Stub::CreateRound, req, &first).ok());
  EXPECT_THAT(first.metadata().name(), ::testing::MatchesRegex("rounds/[a-z0-9]{12}"));
  for (int attempt = 0; attempt < 3; ++attempt) {
    Round retry;
    ASSERT_TRUE(Call(&Stub::CreateRound, req, &retry).ok());
    EXPECT_TRUE(ProtoEq(retry, first));
  }
  EXPECT_EQ(RoundNames({}).size(), 1u);
  EXPECT_EQ(Revisions(first.metadata().name()).size(), 1u);

  CreateRoundRequest different = req;
  different.mutable_round()->set_held("2026-W03");
  Round out;
  EXPECT_EQ(Call(&Stub::CreateRound, different, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(RoundNames({}).size(), 1u);

  // Positions and statements alike.
  CreatePositionRequest position;
  *position.mutable_position() = DonetskDemand();
  position.set_request_id("position-retry-1");
  Position p1, p2;
  ASSERT_TRUE(Call(&Stub::CreatePosition, position, &p1).ok());
  ASSERT_TRUE(Call(&Stub::CreatePosition, position, &p2).ok());
  EXPECT_EQ(p1.metadata().name(), p2.metadata().name());
  EXPECT_EQ(AllPositions().size(), 1u);

  CreateStatementRequest statement;
  *statement.mutable_statement() = MedinskyAccusation();
  statement.set_statement_id("medinsky-delay");
  statement.set_request_id("statement-retry-1");
  Statement s1, s2;
  ASSERT_TRUE(Call(&Stub::CreateStatement, statement, &s1).ok());
  ASSERT_TRUE(Call(&Stub::CreateStatement, statement, &s2).ok());
  EXPECT_TRUE(ProtoEq(s1, s2));
  EXPECT_EQ(StatementNames({}).size(), 1u);
  // The explicit id without the request_id is taken.
  statement.clear_request_id();
  EXPECT_EQ(Call(&Stub::CreateStatement, statement, &s2).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(NegotiationsIntegrationTest, StaleEtagIsAbortedAndChangesNothing) {
  SeedRounds();
  Round v1;
  ASSERT_TRUE(GetRound(kIstanbulRound, &v1).ok());
  UpdateRoundRequest update;
  update.mutable_round()->mutable_metadata()->set_name(kIstanbulRound);
  update.mutable_round()->mutable_metadata()->set_etag(v1.metadata().etag());
  update.mutable_round()->set_description("first edit");
  *update.mutable_update_mask() = Mask({"description"});
  Round v2;
  ASSERT_TRUE(Call(&Stub::UpdateRound, update, &v2).ok());

  update.mutable_round()->set_description("edit on a stale read");
  Round out;
  absl::Status s = Call(&Stub::UpdateRound, update, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  Round now;
  ASSERT_TRUE(GetRound(kIstanbulRound, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));

  DeleteRoundRequest del;
  del.set_name(kIstanbulRound);
  del.set_etag(v1.metadata().etag());
  google::protobuf::Empty empty;
  s = Call(&Stub::DeleteRound, del, &empty);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  EXPECT_TRUE(GetRound(kIstanbulRound, &now).ok());

  // Positions and statements refuse stale etags too.
  SeedPositions();
  Position p;
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &p).ok());
  DeletePositionRequest del_position;
  del_position.set_name("positions/ru-donetsk");
  del_position.set_etag("1-0000000000000000");
  EXPECT_EQ(Call(&Stub::DeletePosition, del_position, &empty).code(),
            absl::StatusCode::kAborted);
  SeedStatements();
  UpdateStatementRequest st;
  st.mutable_statement()->mutable_metadata()->set_name("statements/ua-blocking");
  st.mutable_statement()->mutable_metadata()->set_etag("7-ffffffffffffffff");
  st.mutable_statement()->set_summary("stale");
  Statement st_out;
  EXPECT_EQ(Call(&Stub::UpdateStatement, st, &st_out).code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(GetStatement("statements/ua-blocking", &st_out).ok());
  EXPECT_EQ(st_out.summary(), "Russia is blocking the exchange");
}

TEST_F(NegotiationsIntegrationTest, HistoryAndReadTime) {
  const Position v1 = CreatePositionOk(DonetskDemand(), "ru-donetsk", "alice");
  const Timestamp after_create = MomentBetween();
  UpdatePositionRequest update;
  update.mutable_position()->mutable_metadata()->set_name("positions/ru-donetsk");
  update.mutable_position()->mutable_quantity()->set_best(30);
  update.mutable_position()->mutable_quantity()->set_qualifier(Estimate::QUALIFIER_ABOUT);
  *update.mutable_update_mask() = Mask({"quantity"});
  Position v2;
  ASSERT_TRUE(Call(&Stub::UpdatePosition, update, &v2, "bob").ok());
  EXPECT_EQ(v2.quantity().best(), 30);
  const Timestamp after_update = MomentBetween();
  DeletePositionRequest del;
  del.set_name("positions/ru-donetsk");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeletePosition, del, &empty, "carol").ok());

  Position then;
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &then, &after_create).ok());
  EXPECT_TRUE(ProtoEq(then, v1));
  ASSERT_TRUE(GetPosition("positions/ru-donetsk", &then, &after_update).ok());
  EXPECT_TRUE(ProtoEq(then, v2));
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &then).code(), absl::StatusCode::kNotFound);
  const Timestamp before_create =
      TimeUtil::MicrosecondsToTimestamp(Micros(v1.metadata().create_time()) - 1000);
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &then, &before_create).code(),
            absl::StatusCode::kNotFound);
  const Timestamp now = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  EXPECT_EQ(GetPosition("positions/ru-donetsk", &then, &now).code(),
            absl::StatusCode::kNotFound);

  const auto revisions = Revisions("positions/ru-donetsk");
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[0].change(), Revision::CHANGE_CREATE);
  EXPECT_EQ(revisions[0].actor(), "alice");
  EXPECT_EQ(revisions[1].change(), Revision::CHANGE_UPDATE);
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_THAT(revisions[1].changed_fields(), ElementsAre("quantity"));
  Position snapshot;
  ASSERT_TRUE(revisions[1].snapshot().UnpackTo(&snapshot));
  EXPECT_EQ(snapshot.quantity().best(), 30);
  EXPECT_EQ(revisions[2].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[2].actor(), "carol");

  // Rounds and statements keep history the same way, through one method.
  SeedRounds();
  SeedStatements();
  EXPECT_EQ(Revisions(kUaeRound).size(), 1u);
  EXPECT_EQ(Revisions("statements/ua-blocking").size(), 1u);
  ListRevisionsRequest req;
  ListRevisionsResponse resp;
  for (const char* name : {"", "channels/pow-ru-ua", "rounds/UAE", "positions/"}) {
    req.set_name(name);
    const absl::Status s = Call(&Stub::ListRevisions, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  req.set_name("rounds/never-was");
  EXPECT_EQ(Call(&Stub::ListRevisions, req, &resp).code(), absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------
// Bad input: every bad field named, nothing stored.

TEST_F(NegotiationsIntegrationTest, BadInputNamesEveryBadFieldAndStoresNothing) {
  CreateRoundRequest round;
  Round r = UaeRound();
  r.clear_format();
  r.mutable_parties()->RemoveLast();
  r.set_held("2026-01-24/2026-01-20");
  r.add_characterisations()->mutable_by()->set_country("RU");
  *round.mutable_round() = r;
  round.set_round_id("UAE_2026");
  Round round_out;
  absl::Status s = Call(&Stub::CreateRound, round, &round_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("round_id", "round.format", "round.parties",
                                   "round.held", "round.characterisations[1].term"));
  EXPECT_THAT(RoundNames({}), IsEmpty());

  CreatePositionRequest position;
  Position p = DonetskDemand();
  p.clear_holder();
  p.clear_stance();
  p.clear_issue();
  p.clear_state();
  p.clear_quantity_unit();
  p.set_first_reported("2026-01-27");
  p.set_last_reported("2026-01-20");
  *position.mutable_position() = p;
  Position position_out;
  s = Call(&Stub::CreatePosition, position, &position_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("position.holder", "position.stance",
                                   "position.issue", "position.state",
                                   "position.quantity_unit", "position.last_reported"));
  EXPECT_TRUE(AllPositions().empty());

  CreateStatementRequest statement;
  Statement st = MedinskyAccusation();
  st.clear_speaker();
  st.clear_kind();
  st.clear_summary();
  st.clear_about();
  st.add_about("nonsense");
  st.add_about("rounds/Bad Id");
  st.add_about("channels/pow-ru-ua");
  *statement.mutable_statement() = st;
  statement.set_request_id(std::string(200, 'r'));
  Statement statement_out;
  s = Call(&Stub::CreateStatement, statement, &statement_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("request_id", "statement.speaker", "statement.kind",
                                   "statement.summary", "statement.about[0]",
                                   "statement.about[1]"));
  EXPECT_THAT(StatementNames({}), IsEmpty());

  // A bad update names the field and leaves the record as it was.
  SeedRounds();
  Round before;
  ASSERT_TRUE(GetRound(kUaeRound, &before).ok());
  UpdateRoundRequest update;
  update.mutable_round()->mutable_metadata()->set_name(kUaeRound);
  update.mutable_round()->add_parties()->set_country("XX");
  update.mutable_round()->set_held("2026-W00");
  *update.mutable_update_mask() = Mask({"parties", "held"});
  s = Call(&Stub::UpdateRound, update, &round_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("round.parties", "round.parties[0].country",
                                   "round.held"));
  Round after;
  ASSERT_TRUE(GetRound(kUaeRound, &after).ok());
  EXPECT_TRUE(ProtoEq(after, before));
  // Unknown and output-only mask paths.
  *update.mutable_update_mask() = Mask({"venue_name", "held_span"});
  s = Call(&Stub::UpdateRound, update, &round_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("update_mask", "update_mask"));
  ASSERT_TRUE(GetRound(kUaeRound, &after).ok());
  EXPECT_TRUE(ProtoEq(after, before));
  EXPECT_EQ(Revisions(kUaeRound).size(), 1u);

  // Malformed names are INVALID_ARGUMENT naming "name"; absent is NOT_FOUND.
  for (const char* name : {"", "rounds/", "rounds/Bad Id", "positions/uae-2026-01",
                           "rounds/uae/x"}) {
    Round out;
    s = GetRound(name, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  EXPECT_EQ(GetRound("rounds/no-such-round", &after).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RoundNames({}).size(), 3u);
}

// ---------------------------------------------------------------------------
// ReportPosition.

// A report of Russia's Donetsk demand on `day`, from `publisher`.
Position DonetskReport(const std::string& day, const std::string& publisher) {
  Position p = DonetskDemand();
  p.set_first_reported(day);
  p.clear_sources();
  *p.add_sources() = Reported(publisher, day);
  return p;
}

TEST_F(NegotiationsIntegrationTest, ReportPositionCreatesThenFoldsReReports) {
  // First report: creates.
  ReportPositionResponse first;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &first, "", "alice").ok());
  EXPECT_TRUE(first.created());
  const std::string name = first.position().metadata().name();
  EXPECT_THAT(name, ::testing::MatchesRegex("positions/[a-z0-9]{12}"));
  EXPECT_EQ(first.position().first_reported(), "2026-01-20");
  EXPECT_EQ(first.position().last_reported(), "2026-01-20");
  EXPECT_EQ(first.position().metadata().creator(), "alice");
  EXPECT_THAT(Publishers(first.position()), ElementsAre("Reuters"));

  // A later report from a new source: same position, last_reported moves,
  // the source is added.
  ReportPositionResponse later;
  ASSERT_TRUE(Report(DonetskReport("2026-01-29", "Kyiv Independent"), &later, "", "bob")
                  .ok());
  EXPECT_FALSE(later.created());
  EXPECT_EQ(later.position().metadata().name(), name);
  EXPECT_EQ(later.position().first_reported(), "2026-01-20");
  EXPECT_EQ(later.position().last_reported(), "2026-01-29");
  EXPECT_EQ(later.position().last_reported_span().first_day(), "2026-01-29");
  EXPECT_EQ(later.position().metadata().revision(), 2);
  EXPECT_EQ(later.position().metadata().updater(), "bob");
  EXPECT_THAT(Publishers(later.position()), ElementsAre("Reuters", "Kyiv Independent"));
  ASSERT_EQ(AllPositions().size(), 1u);

  // An earlier report (published late): its source is added, but
  // last_reported does not move back.
  ReportPositionResponse earlier;
  ASSERT_TRUE(Report(DonetskReport("2026-01-22", "Ukrinform"), &earlier).ok());
  EXPECT_FALSE(earlier.created());
  EXPECT_EQ(earlier.position().metadata().name(), name);
  EXPECT_EQ(earlier.position().first_reported(), "2026-01-20");
  EXPECT_EQ(earlier.position().last_reported(), "2026-01-29");
  EXPECT_EQ(earlier.position().last_reported_span().first_day(), "2026-01-29");
  EXPECT_THAT(Publishers(earlier.position()),
              ElementsAre("Reuters", "Kyiv Independent", "Ukrinform"));

  // The identical source again: not duplicated, and no new revision.
  ReportPositionResponse same;
  ASSERT_TRUE(Report(DonetskReport("2026-01-29", "Kyiv Independent"), &same).ok());
  EXPECT_FALSE(same.created());
  EXPECT_EQ(same.position().metadata().name(), name);
  EXPECT_EQ(same.position().sources_size(), 3);
  EXPECT_EQ(same.position().last_reported(), "2026-01-29");
  EXPECT_EQ(same.position().metadata().revision(), 3);

  // Issue and region spelled otherwise are the same position.
  Position respelled = DonetskReport("2026-02-03", "Meduza");
  respelled.set_issue("Territory");
  respelled.mutable_subject()->set_admin1("donetsk");
  ReportPositionResponse respelled_out;
  ASSERT_TRUE(Report(respelled, &respelled_out).ok());
  EXPECT_FALSE(respelled_out.created());
  EXPECT_EQ(respelled_out.position().metadata().name(), name);
  EXPECT_EQ(respelled_out.position().last_reported(), "2026-02-03");

  Position stored;
  ASSERT_TRUE(GetPosition(name, &stored).ok());
  EXPECT_TRUE(ProtoEq(stored, respelled_out.position()));
  EXPECT_EQ(AllPositions().size(), 1u);
  EXPECT_EQ(Revisions(name).size(), 4u);

  // The span index follows last_reported: the position stands from its
  // first report to its last.
  ListPositionsRequest span;
  span.set_span("2026-02-01/2026-02-05");
  EXPECT_THAT(PositionNames(span), ElementsAre(name));
  span.set_span("2026-01-01/2026-01-19");
  EXPECT_THAT(PositionNames(span), IsEmpty());

  // Another stance, subject or holder is another position.
  Position offer = DonetskReport("2026-02-03", "Reuters");
  offer.set_stance(STANCE_OFFER);
  Position zaporizhzhia = DonetskReport("2026-02-03", "Reuters");
  zaporizhzhia.mutable_subject()->set_admin1("Zaporizhzhia");
  Position us = DonetskReport("2026-02-03", "Reuters");
  *us.mutable_holder() = Country("US");
  std::set<std::string> names = {name};
  for (const Position& other : {offer, zaporizhzhia, us}) {
    ReportPositionResponse out;
    ASSERT_TRUE(Report(other, &out).ok());
    EXPECT_TRUE(out.created());
    names.insert(out.position().metadata().name());
  }
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(AllPositions().size(), 4u);
}

TEST_F(NegotiationsIntegrationTest, ReportPositionAcceptsLastReportedAlone) {
  Position p = DonetskReport("2026-01-20", "Reuters");
  p.clear_first_reported();
  p.set_last_reported("2026-01-21");
  ReportPositionResponse out;
  ASSERT_TRUE(Report(p, &out).ok());
  EXPECT_TRUE(out.created());
  EXPECT_EQ(out.position().first_reported(), "2026-01-21");
  EXPECT_EQ(out.position().last_reported(), "2026-01-21");
}

TEST_F(NegotiationsIntegrationTest, WithdrawnPositionIsNotReused) {
  ReportPositionResponse opened;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &opened).ok());
  ASSERT_TRUE(opened.created());
  const std::string old_name = opened.position().metadata().name();

  // A report of the withdrawal updates the open position.
  Position withdrawal = DonetskReport("2026-01-25", "Kyiv Independent");
  withdrawal.set_state(POSITION_STATE_WITHDRAWN);
  ReportPositionResponse withdrawn;
  ASSERT_TRUE(Report(withdrawal, &withdrawn).ok());
  EXPECT_FALSE(withdrawn.created());
  EXPECT_EQ(withdrawn.position().metadata().name(), old_name);
  EXPECT_EQ(withdrawn.position().state(), POSITION_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawn.position().last_reported(), "2026-01-25");

  // Put forward again: a new position, the withdrawn one stays as it was.
  ReportPositionResponse again;
  ASSERT_TRUE(Report(DonetskReport("2026-02-02", "Reuters"), &again).ok());
  EXPECT_TRUE(again.created());
  EXPECT_NE(again.position().metadata().name(), old_name);
  EXPECT_EQ(again.position().state(), POSITION_STATE_OPEN);
  EXPECT_EQ(again.position().first_reported(), "2026-02-02");
  Position old;
  ASSERT_TRUE(GetPosition(old_name, &old).ok());
  EXPECT_EQ(old.state(), POSITION_STATE_WITHDRAWN);
  EXPECT_EQ(old.last_reported(), "2026-01-25");
  EXPECT_EQ(old.metadata().revision(), 2);

  ListPositionsRequest open;
  open.set_state(POSITION_STATE_OPEN);
  EXPECT_THAT(PositionNames(open), ElementsAre(again.position().metadata().name()));
  ListPositionsRequest gone;
  gone.set_state(POSITION_STATE_WITHDRAWN);
  EXPECT_THAT(PositionNames(gone), ElementsAre(old_name));

  // A further report folds into the new one.
  ReportPositionResponse further;
  ASSERT_TRUE(Report(DonetskReport("2026-02-04", "Ukrinform"), &further).ok());
  EXPECT_FALSE(further.created());
  EXPECT_EQ(further.position().metadata().name(), again.position().metadata().name());
  EXPECT_EQ(AllPositions().size(), 2u);
}

TEST_F(NegotiationsIntegrationTest, ReportPositionRetryWithRequestIdStoresNothingNew) {
  ReportPositionResponse first;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &first, "report-1").ok());
  ASSERT_TRUE(first.created());
  // The client lost the reply and retries: the first result comes back.
  ReportPositionResponse retry;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &retry, "report-1").ok());
  EXPECT_EQ(retry.position().metadata().name(), first.position().metadata().name());
  EXPECT_EQ(retry.position().metadata().revision(), 1);
  EXPECT_EQ(retry.position().sources_size(), 1);
  EXPECT_EQ(AllPositions().size(), 1u);
  EXPECT_EQ(Revisions(first.position().metadata().name()).size(), 1u);
  // "Repeating it returns the first result": the first result said created.
  EXPECT_TRUE(retry.created())
      << "a retried ReportPosition (same request_id) answers differently from "
         "the first call";
}

TEST_F(NegotiationsIntegrationTest, ReportPositionBadInputNamesFieldsAndStoresNothing) {
  Position bad = DonetskReport("2026-01-20", "Reuters");
  bad.clear_stance();
  bad.clear_issue();
  bad.mutable_holder()->set_country("XX");
  bad.clear_sources();
  ReportPositionResponse out;
  const absl::Status s = Report(bad, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("position.stance", "position.issue",
                                   "position.holder.country", "position.sources"));
  Position no_date = DonetskReport("2026-01-20", "Reuters");
  no_date.clear_first_reported();
  const absl::Status d = Report(no_date, &out);
  EXPECT_EQ(d.code(), absl::StatusCode::kInvalidArgument) << d;
  EXPECT_THAT(ViolationFields(d), ::testing::Contains("position.first_reported"));
  EXPECT_TRUE(AllPositions().empty());
}

// Eight first reports of a position that does not exist yet, at once: one
// position, every source on it, the latest date as its last report.
TEST_F(NegotiationsIntegrationTest, ConcurrentFirstReportsCreateOnePosition) {
  constexpr int kThreads = 8;
  std::vector<ReportPositionResponse> responses(kThreads);
  std::vector<absl::Status> statuses(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> reporters;
  for (int t = 0; t < kThreads; ++t) {
    reporters.emplace_back([&, t] {
      // Each thread its own stub, all on the same server.
      auto stub = NegotiationsService::NewStub(server_.channel());
      ReportPositionRequest req;
      *req.mutable_position() = DonetskReport(
          FormatDay(absl::CivilDay(2026, 1, 20) + t), absl::StrCat("Outlet ", t));
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      statuses[t] = FromGrpcStatus(stub->ReportPosition(&context, req, &responses[t]));
    });
  }
  for (auto& r : reporters) r.join();

  int created = 0;
  std::set<std::string> names;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(statuses[t].ok()) << t << ": " << statuses[t];
    created += responses[t].created() ? 1 : 0;
    names.insert(responses[t].position().metadata().name());
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(names.size(), 1u);
  const auto all = AllPositions();
  ASSERT_EQ(all.size(), 1u);
  const Position& p = all[0];
  EXPECT_EQ(p.metadata().name(), *names.begin());
  std::vector<std::string> expected;
  for (int t = 0; t < kThreads; ++t) expected.push_back(absl::StrCat("Outlet ", t));
  EXPECT_THAT(Publishers(p), UnorderedElementsAreArray(expected));
  EXPECT_EQ(p.last_reported(), "2026-01-27");
  EXPECT_EQ(p.metadata().revision(), kThreads);
}

TEST_F(NegotiationsIntegrationTest, ReportsFoldAfterARestart) {
  ReportPositionResponse first;
  ASSERT_TRUE(Report(DonetskReport("2026-01-20", "Reuters"), &first).ok());
  SeedRounds();
  Restart();
  ReportPositionResponse again;
  ASSERT_TRUE(Report(DonetskReport("2026-01-30", "Ukrinform"), &again).ok());
  EXPECT_FALSE(again.created());
  EXPECT_EQ(again.position().metadata().name(), first.position().metadata().name());
  EXPECT_EQ(again.position().last_reported(), "2026-01-30");
  EXPECT_EQ(AllPositions().size(), 1u);
  ListRoundsRequest us;
  us.set_party("US");
  EXPECT_THAT(RoundNames(us), UnorderedElementsAre(kUaeRound, kGenevaRound));
}

}  // namespace
}  // namespace parley::negotiations
