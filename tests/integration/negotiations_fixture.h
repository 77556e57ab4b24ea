// Shared by the negotiations integration tests: the fixture. The tests run the
// negotiations service end to end through a real gRPC server in-process, on a
// real RocksDB store: client stub -> gRPC -> edge -> domain -> store and back,
// status details included.
//
// The data is the seed week (tests/lib/negotiations_records.h).
#ifndef PARLEY_TESTS_INTEGRATION_NEGOTIATIONS_FIXTURE_H_
#define PARLEY_TESTS_INTEGRATION_NEGOTIATIONS_FIXTURE_H_

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/model/date_span.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"
#include "services/negotiations/domain.h"
#include "services/negotiations/service.h"
#include "tests/lib/grpc_helpers.h"
#include "tests/lib/negotiations_records.h"
#include "tests/lib/service_test.h"
#include "tests/lib/status_matchers.h"

namespace parley::negotiations {

using ::google::protobuf::Timestamp;
using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Estimate;
using ::parley::common::v1::Revision;
using ::parley::testing::CeasefireOffer;
using ::parley::testing::Country;
using ::parley::testing::DonetskDemand;
using ::parley::testing::GenevaRound;
using ::parley::testing::IstanbulRound;
using ::parley::testing::kGenevaRound;
using ::parley::testing::kIstanbulRound;
using ::parley::testing::kPowChannel;
using ::parley::testing::kUaeRound;
using ::parley::testing::Mask;
using ::parley::testing::MedinskyAccusation;
using ::parley::testing::Micros;
using ::parley::testing::MillisecondBefore;
using ::parley::testing::MomentBetween;
using ::parley::testing::PrisonersAgreed;
using ::parley::testing::ProtoEq;
using ::parley::testing::Reported;
using ::parley::testing::TalksAssessment;
using ::parley::testing::ToTimestamp;
using ::parley::testing::UaeRound;
using ::parley::testing::UkrainianAccusation;
using ::parley::testing::ViolationFields;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using namespace ::parley::negotiations::v1;  // NOLINT: the contract's messages

using Stub = NegotiationsService::Stub;

// The publishers of a position's sources, in order.
inline std::vector<std::string> Publishers(const Position& p) {
  std::vector<std::string> out;
  for (const auto& s : p.sources()) out.push_back(s.publisher());
  return out;
}

// A report of Russia's Donetsk demand on `day`, from `publisher`.
inline Position DonetskReport(const std::string& day,
                              const std::string& publisher) {
  Position p = DonetskDemand();
  p.set_first_reported(day);
  p.clear_sources();
  *p.add_sources() = Reported(publisher, day);
  return p;
}

// One server on a fresh store per test.
class NegotiationsIntegrationTest
    : public ::parley::testing::ServiceTest<
          Negotiations, NegotiationsServiceImpl, NegotiationsService> {
 protected:
  Round CreateRoundOk(const Round& r, const std::string& id,
                      const std::string& caller = "") {
    CreateRoundRequest req;
    *req.mutable_round() = r;
    req.set_round_id(id);
    return CallOk(&Stub::CreateRound, req, caller);
  }
  Position CreatePositionOk(const Position& p, const std::string& id,
                            const std::string& caller = "") {
    CreatePositionRequest req;
    *req.mutable_position() = p;
    req.set_position_id(id);
    return CallOk(&Stub::CreatePosition, req, caller);
  }
  Statement CreateStatementOk(const Statement& st, const std::string& id,
                              const std::string& caller = "") {
    CreateStatementRequest req;
    *req.mutable_statement() = st;
    req.set_statement_id(id);
    return CallOk(&Stub::CreateStatement, req, caller);
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
  std::vector<std::string> RoundNames(ListRoundsRequest req) {
    return ListNames(&Stub::ListRounds, std::move(req),
                     &ListRoundsResponse::rounds);
  }
  std::vector<std::string> PositionNames(ListPositionsRequest req) {
    return ListNames(&Stub::ListPositions, std::move(req),
                     &ListPositionsResponse::positions);
  }
  std::vector<std::string> StatementNames(ListStatementsRequest req) {
    return ListNames(&Stub::ListStatements, std::move(req),
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

  absl::Status GetRound(const std::string& name, Round* out,
                        const Timestamp* read_time = nullptr) {
    return GetRecord(&Stub::GetRound, name, out, read_time);
  }
  absl::Status GetPosition(const std::string& name, Position* out,
                           const Timestamp* read_time = nullptr) {
    return GetRecord(&Stub::GetPosition, name, out, read_time);
  }
  absl::Status GetStatement(const std::string& name, Statement* out,
                            const Timestamp* read_time = nullptr) {
    return GetRecord(&Stub::GetStatement, name, out, read_time);
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
};

}  // namespace parley::negotiations

#endif  // PARLEY_TESTS_INTEGRATION_NEGOTIATIONS_FIXTURE_H_
