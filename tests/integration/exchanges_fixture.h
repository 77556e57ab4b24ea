// Shared by the exchanges integration tests: the seed-week records, helpers
// and the fixture. The tests run the exchanges service end to end through a
// real gRPC server in-process, on a real RocksDB store: every call goes client
// stub -> gRPC -> edge -> domain
// -> store and back, status details included.
//
// The data is the week of `seed-article.txt`: the Istanbul agreement of 2025
// (12,000 bodies; wounded prisoners and those under 25), the repatriations of
// 2026-W05 (1,000 returned, 38 received) and 2025-11 (1,000 and 30), and the
// prisoner-exchange channel RU-UA, stalled since October 2025.
#ifndef PARLEY_TESTS_INTEGRATION_EXCHANGES_FIXTURE_H_
#define PARLEY_TESTS_INTEGRATION_EXCHANGES_FIXTURE_H_

#include <algorithm>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/service.h"
#include "tests/lib/in_process_server.h"

namespace parley::exchanges {

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
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using namespace ::parley::exchanges::v1;  // NOLINT: the contract's messages

using Server =
    ::parley::testing::InProcessServer<Exchanges, ExchangesServiceImpl>;
using Stub = ExchangesService::Stub;

inline constexpr char kIstanbul[] = "agreements/istanbul-2025";
inline constexpr char kPowChannel[] = "channels/pow-ru-ua";

// ---------------------------------------------------------------------------
// Builders for the seed week.

inline Party Country(const std::string& code) {
  Party p;
  p.set_country(code);
  return p;
}

inline Estimate Exact(int64_t n) {
  Estimate e;
  e.set_best(n);
  e.set_qualifier(Estimate::QUALIFIER_EXACT);
  return e;
}

inline Estimate Unknown() {
  Estimate e;
  e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
  return e;
}

// "as confirmed by Russian chief negotiator Vladimir Medinsky via a Telegram
// post".
inline Source MedinskyTelegram() {
  Source s;
  s.mutable_attributed_to()->set_person("Vladimir Medinsky");
  s.mutable_attributed_to()->set_role("chief negotiator");
  s.mutable_attributed_to()->set_country("RU");
  s.set_channel("Telegram post");
  s.set_published("2026-W05");
  s.set_reliability(Source::RELIABILITY_CONFIRMED);
  return s;
}

inline Source Reported(const std::string& publisher) {
  Source s;
  s.set_publisher(publisher);
  s.set_published("2026-W05");
  s.set_url("https://example.org/report");
  s.set_reliability(Source::RELIABILITY_REPORTED);
  return s;
}

inline Agreement Istanbul() {
  Agreement a;
  a.set_title("Istanbul agreement of 2025");
  a.set_concluded("2025");
  a.mutable_place()->set_country("TR");
  a.mutable_place()->set_settlement("Istanbul");
  a.mutable_place()->set_precision(
      ::parley::common::v1::Place::PRECISION_SETTLEMENT);
  *a.add_parties() = Country("RU");
  *a.add_parties() = Country("UA");
  *a.add_mediators() = Country("TR");
  a.set_round("rounds/istanbul-2");
  Term* remains = a.add_terms();
  remains->set_category(CATEGORY_REMAINS);
  *remains->mutable_quota() = Exact(12000);
  Term* wounded = a.add_terms();
  wounded->set_category(CATEGORY_WOUNDED_PRISONERS);
  *wounded->mutable_quota() = Unknown();
  Term* young = a.add_terms();
  young->set_category(CATEGORY_PRISONERS_UNDER_25);
  *young->mutable_quota() = Unknown();
  *a.add_sources() = Reported("Kyiv Independent");
  a.set_description("12,000 bodies, wounded prisoners and those under 25");
  return a;
}

inline Transfer MakeTransfer(const std::string& from, const std::string& to,
                      Category category, int64_t count) {
  Transfer t;
  *t.mutable_from_party() = Country(from);
  *t.mutable_to_party() = Country(to);
  t.set_category(category);
  *t.mutable_count() = Exact(count);
  return t;
}

// A repatriation of remains: Russia returned `returned`, received `received`.
inline Exchange Repatriation(const std::string& occurred, int64_t returned,
                      int64_t received, const std::string& agreement) {
  Exchange e;
  e.set_kind(EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e.set_occurred(occurred);
  e.set_agreement(agreement);
  *e.add_transfers() = MakeTransfer("RU", "UA", CATEGORY_REMAINS, returned);
  *e.add_transfers() = MakeTransfer("UA", "RU", CATEGORY_REMAINS, received);
  *e.add_sources() = MedinskyTelegram();
  e.set_description(absl::StrCat("Russia returned ", returned,
                                 " bodies and received ", received));
  return e;
}

inline Channel PowChannel() {
  Channel c;
  c.set_title("Prisoner-of-war exchanges, RU-UA");
  c.set_kind(EXCHANGE_KIND_PRISONER_EXCHANGE);
  *c.add_parties() = Country("RU");
  *c.add_parties() = Country("UA");
  *c.add_sources() = Reported("Kyiv Independent");
  return c;
}

inline ChannelStatus StalledSinceOctober() {
  ChannelStatus s;
  s.set_channel(kPowChannel);
  s.set_state(CHANNEL_STATE_STALLED);
  s.set_since("2025-10");
  s.set_reported("2026-W05");
  s.set_summary(
      "No prisoner exchange since October 2025; each side blames the other");
  Source ua = Reported("Kyiv Independent");
  ua.set_reliability(Source::RELIABILITY_DISPUTED);
  *s.add_sources() = ua;
  return s;
}

// ---------------------------------------------------------------------------
// Assertion helpers.

inline ::testing::AssertionResult ProtoEq(const google::protobuf::Message& a,
                                   const google::protobuf::Message& b) {
  std::string diff;
  MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  if (d.Compare(a, b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "protos differ:\n" << diff;
}

// The fields a BadRequest names, in reply order.
inline std::vector<std::string> ViolationFields(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> fields;
  if (!GetBadRequest(status, &bad_request)) return fields;
  for (const auto& v : bad_request.field_violations())
    fields.push_back(v.field());
  return fields;
}

inline void ExpectSpan(const DateSpan& span, const std::string& text,
                       DateSpan::Precision precision, const std::string& first,
                       const std::string& last) {
  EXPECT_EQ(span.text(), text);
  EXPECT_EQ(span.precision(), precision);
  EXPECT_EQ(span.first_day(), first);
  EXPECT_EQ(span.last_day(), last);
}

inline void ExpectExact(const Estimate& e, int64_t n) {
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_EXACT);
  EXPECT_TRUE(e.has_low() && e.has_best() && e.has_high()) << e.DebugString();
  EXPECT_EQ(e.low(), n);
  EXPECT_EQ(e.best(), n);
  EXPECT_EQ(e.high(), n);
}

inline void ExpectUnknown(const Estimate& e) {
  EXPECT_EQ(e.qualifier(), Estimate::QUALIFIER_UNKNOWN);
  EXPECT_FALSE(e.has_low() || e.has_best() || e.has_high()) << e.DebugString();
}

inline int64_t Micros(const Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

inline Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// A moment strictly between two server writes: the clock read after the
// first has returned, with a margin on both sides.
inline Timestamp MomentBetween() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const Timestamp t = ToTimestamp(absl::Now());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return t;
}

inline FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask m;
  for (const char* p : paths) m.add_paths(p);
  return m;
}

// ---------------------------------------------------------------------------
// The fixture: one server on a fresh store per test.

class ExchangesIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stub_ = ExchangesService::NewStub(server_.channel());
  }

  void Restart() {
    stub_.reset();
    server_.Restart();
    stub_ = ExchangesService::NewStub(server_.channel());
  }

  // One unary call; `caller` becomes "x-parley-caller" metadata if not empty.
  template <typename Req, typename Resp>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Req&, Resp*),
                    const Req& request, Resp* response,
                    const std::string& caller = "") {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    if (!caller.empty()) context.AddMetadata("x-parley-caller", caller);
    return FromGrpcStatus((stub_.get()->*method)(&context, request, response));
  }

  // Creates and fails the test (returning an empty record) if refused.
  Agreement CreateAgreementOk(const Agreement& a, const std::string& id,
                              const std::string& caller = "") {
    CreateAgreementRequest req;
    *req.mutable_agreement() = a;
    req.set_agreement_id(id);
    Agreement out;
    const absl::Status s = Call(&Stub::CreateAgreement, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateAgreement " << id << ": " << s;
    return out;
  }
  Exchange CreateExchangeOk(const Exchange& e, const std::string& id,
                            const std::string& caller = "") {
    CreateExchangeRequest req;
    *req.mutable_exchange() = e;
    req.set_exchange_id(id);
    Exchange out;
    const absl::Status s = Call(&Stub::CreateExchange, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateExchange " << id << ": " << s;
    return out;
  }
  Channel CreateChannelOk(const Channel& c, const std::string& id,
                          const std::string& caller = "") {
    CreateChannelRequest req;
    *req.mutable_channel() = c;
    req.set_channel_id(id);
    Channel out;
    const absl::Status s = Call(&Stub::CreateChannel, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateChannel " << id << ": " << s;
    return out;
  }
  ChannelStatus CreateChannelStatusOk(const ChannelStatus& c,
                                      const std::string& id,
                                      const std::string& caller = "") {
    CreateChannelStatusRequest req;
    *req.mutable_channel_status() = c;
    req.set_channel_status_id(id);
    ChannelStatus out;
    const absl::Status s = Call(&Stub::CreateChannelStatus, req, &out, caller);
    EXPECT_TRUE(s.ok()) << "CreateChannelStatus " << id << ": " << s;
    return out;
  }

  // Every name a List query returns, following next_page_token to the end.
  std::vector<std::string> ExchangeNames(ListExchangesRequest req) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 100; ++pages) {
      ListExchangesResponse resp;
      const absl::Status s = Call(&Stub::ListExchanges, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      for (const auto& e : resp.exchanges())
        names.push_back(e.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }
  std::vector<std::string> AgreementNames(ListAgreementsRequest req) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 100; ++pages) {
      ListAgreementsResponse resp;
      const absl::Status s = Call(&Stub::ListAgreements, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      for (const auto& a : resp.agreements())
        names.push_back(a.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }
  std::vector<std::string> ChannelNames(ListChannelsRequest req) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 100; ++pages) {
      ListChannelsResponse resp;
      const absl::Status s = Call(&Stub::ListChannels, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      for (const auto& c : resp.channels())
        names.push_back(c.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }
  std::vector<std::string> ChannelStatusNames(ListChannelStatusesRequest req) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 100; ++pages) {
      ListChannelStatusesResponse resp;
      const absl::Status s = Call(&Stub::ListChannelStatuses, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      for (const auto& c : resp.channel_statuses())
        names.push_back(c.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }

  size_t CountExchanges() { return ExchangeNames({}).size(); }
  size_t CountAgreements() { return AgreementNames({}).size(); }
  size_t CountChannels() { return ChannelNames({}).size(); }
  size_t CountChannelStatuses() { return ChannelStatusNames({}).size(); }

  std::vector<Revision> Revisions(const std::string& name) {
    ListRevisionsRequest req;
    req.set_name(name);
    ListRevisionsResponse resp;
    const absl::Status s = Call(&Stub::ListRevisions, req, &resp);
    EXPECT_TRUE(s.ok()) << name << ": " << s;
    return {resp.revisions().begin(), resp.revisions().end()};
  }

  absl::Status GetExchange(const std::string& name, Exchange* out,
                           const Timestamp* read_time = nullptr) {
    GetExchangeRequest req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(&Stub::GetExchange, req, out);
  }
  absl::Status GetAgreement(const std::string& name, Agreement* out,
                            const Timestamp* read_time = nullptr) {
    GetAgreementRequest req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(&Stub::GetAgreement, req, out);
  }

  // The seed week: the agreement, the channel, its status, and the two
  // repatriations under the agreement.
  void SeedWeek() {
    CreateAgreementOk(Istanbul(), "istanbul-2025");
    CreateChannelOk(PowChannel(), "pow-ru-ua");
    CreateChannelStatusOk(StalledSinceOctober(), "pow-stalled-2025-10");
    CreateExchangeOk(Repatriation("2026-W05", 1000, 38, kIstanbul),
                     "remains-2026-w05");
    CreateExchangeOk(Repatriation("2025-11", 1000, 30, kIstanbul),
                     "remains-2025-11");
  }

  Server server_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace parley::exchanges

#endif  // PARLEY_TESTS_INTEGRATION_EXCHANGES_FIXTURE_H_
