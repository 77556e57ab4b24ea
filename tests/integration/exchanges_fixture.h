// Shared by the exchanges integration tests: the fixture. The tests run the
// exchanges service end to end through a real gRPC server in-process, on a
// real RocksDB store: every call goes client stub -> gRPC -> edge -> domain
// -> store and back, status details included.
//
// The data is the seed week (tests/lib/exchanges_records.h).
#ifndef PARLEY_TESTS_INTEGRATION_EXCHANGES_FIXTURE_H_
#define PARLEY_TESTS_INTEGRATION_EXCHANGES_FIXTURE_H_

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/service.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/grpc_helpers.h"
#include "tests/lib/service_test.h"
#include "tests/lib/status_matchers.h"

namespace parley::exchanges {

using ::google::protobuf::Timestamp;
using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Estimate;
using ::parley::common::v1::Revision;
using ::parley::common::v1::Source;
using ::parley::testing::BadFieldCase;
using ::parley::testing::Country;
using ::parley::testing::Exact;
using ::parley::testing::ExpectExact;
using ::parley::testing::ExpectSpan;
using ::parley::testing::ExpectUnknown;
using ::parley::testing::Istanbul;
using ::parley::testing::kIstanbul;
using ::parley::testing::kPowChannel;
using ::parley::testing::MakeTransfer;
using ::parley::testing::Mask;
using ::parley::testing::Micros;
using ::parley::testing::MillisecondBefore;
using ::parley::testing::MomentBetween;
using ::parley::testing::PowChannel;
using ::parley::testing::ProtoEq;
using ::parley::testing::Repatriation;
using ::parley::testing::Reported;
using ::parley::testing::StalledSinceOctober;
using ::parley::testing::ToTimestamp;
using ::parley::testing::ViolationFields;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using namespace ::parley::exchanges::v1;  // NOLINT: the contract's messages

using Stub = ExchangesService::Stub;

// One server on a fresh store per test.
class ExchangesIntegrationTest
    : public ::parley::testing::ServiceTest<Exchanges, ExchangesServiceImpl,
                                            ExchangesService> {
 protected:
  // Creates and fails the test (returning an empty record) if refused.
  Agreement CreateAgreementOk(const Agreement& a, const std::string& id,
                              const std::string& caller = "") {
    CreateAgreementRequest req;
    *req.mutable_agreement() = a;
    req.set_agreement_id(id);
    return CallOk(&Stub::CreateAgreement, req, caller);
  }
  Exchange CreateExchangeOk(const Exchange& e, const std::string& id,
                            const std::string& caller = "") {
    CreateExchangeRequest req;
    *req.mutable_exchange() = e;
    req.set_exchange_id(id);
    return CallOk(&Stub::CreateExchange, req, caller);
  }
  Channel CreateChannelOk(const Channel& c, const std::string& id,
                          const std::string& caller = "") {
    CreateChannelRequest req;
    *req.mutable_channel() = c;
    req.set_channel_id(id);
    return CallOk(&Stub::CreateChannel, req, caller);
  }
  ChannelStatus CreateChannelStatusOk(const ChannelStatus& c,
                                      const std::string& id,
                                      const std::string& caller = "") {
    CreateChannelStatusRequest req;
    *req.mutable_channel_status() = c;
    req.set_channel_status_id(id);
    return CallOk(&Stub::CreateChannelStatus, req, caller);
  }

  // Every name a List query returns, following next_page_token to the end.
  std::vector<std::string> ExchangeNames(ListExchangesRequest req) {
    return ListNames(&Stub::ListExchanges, std::move(req),
                     &ListExchangesResponse::exchanges);
  }
  std::vector<std::string> AgreementNames(ListAgreementsRequest req) {
    return ListNames(&Stub::ListAgreements, std::move(req),
                     &ListAgreementsResponse::agreements);
  }
  std::vector<std::string> ChannelNames(ListChannelsRequest req) {
    return ListNames(&Stub::ListChannels, std::move(req),
                     &ListChannelsResponse::channels);
  }
  std::vector<std::string> ChannelStatusNames(ListChannelStatusesRequest req) {
    return ListNames(&Stub::ListChannelStatuses, std::move(req),
                     &ListChannelStatusesResponse::channel_statuses);
  }

  size_t CountExchanges() { return ExchangeNames({}).size(); }
  size_t CountAgreements() { return AgreementNames({}).size(); }
  size_t CountChannels() { return ChannelNames({}).size(); }
  size_t CountChannelStatuses() { return ChannelStatusNames({}).size(); }

  absl::Status GetExchange(const std::string& name, Exchange* out,
                           const Timestamp* read_time = nullptr) {
    return GetRecord(&Stub::GetExchange, name, out, read_time);
  }
  absl::Status GetAgreement(const std::string& name, Agreement* out,
                            const Timestamp* read_time = nullptr) {
    return GetRecord(&Stub::GetAgreement, name, out, read_time);
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
};

}  // namespace parley::exchanges

#endif  // PARLEY_TESTS_INTEGRATION_EXCHANGES_FIXTURE_H_
