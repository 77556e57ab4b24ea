// Shared by the incidents integration tests: the fixture. The tests run the
// incidents service end to end through a real gRPC server in-process, on a
// real RocksDB store: client stub -> gRPC -> edge -> domain -> store and back,
// status details included.
//
// The data is the seed week (tests/lib/incidents_records.h).
#ifndef PARLEY_TESTS_INTEGRATION_INCIDENTS_FIXTURE_H_
#define PARLEY_TESTS_INTEGRATION_INCIDENTS_FIXTURE_H_

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/model/date_span.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "services/incidents/domain.h"
#include "services/incidents/service.h"
#include "tests/lib/grpc_helpers.h"
#include "tests/lib/incidents_records.h"
#include "tests/lib/service_test.h"
#include "tests/lib/status_matchers.h"

namespace parley::incidents {

using ::google::protobuf::Timestamp;
using ::parley::common::v1::DateSpan;
using ::parley::common::v1::Revision;
using ::parley::testing::AtLeast;
using ::parley::testing::BelgorodDrone;
using ::parley::testing::EnergyCampaign;
using ::parley::testing::Exact;
using ::parley::testing::ExpectAtLeast;
using ::parley::testing::ExpectExact;
using ::parley::testing::ExpectNoFigure;
using ::parley::testing::ExpectSpan;
using ::parley::testing::KhersonShelling;
using ::parley::testing::Mask;
using ::parley::testing::MillisecondBefore;
using ::parley::testing::MomentBetween;
using ::parley::testing::ProtoEq;
using ::parley::testing::TrainStrike;
using ::parley::testing::ViolationFields;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using namespace ::parley::incidents::v1;  // NOLINT: the contract's messages

using Stub = IncidentsService::Stub;

// The names Seed() gives the seed incidents.
inline constexpr char kTrain[] = "incidents/kharkiv-train";
inline constexpr char kEnergy[] = "incidents/energy-2025-11";
inline constexpr char kKherson[] = "incidents/kherson-shelling";
inline constexpr char kBelgorod[] = "incidents/belgorod-drone";

// One server on a fresh store per test.
class IncidentsIntegrationTest
    : public ::parley::testing::ServiceTest<Incidents, IncidentsServiceImpl,
                                            IncidentsService> {
 protected:
  Incident CreateOk(const Incident& i, const std::string& id,
                    const std::string& caller = "") {
    CreateIncidentRequest req;
    *req.mutable_incident() = i;
    req.set_incident_id(id);
    return CallOk(&Stub::CreateIncident, req, caller);
  }

  absl::Status Get(const std::string& name, Incident* out,
                   const Timestamp* read_time = nullptr) {
    return GetRecord(&Stub::GetIncident, name, out, read_time);
  }

  // Every name a List returns, following next_page_token to the end.
  std::vector<std::string> Names(ListIncidentsRequest req) {
    return ListNames(&Stub::ListIncidents, std::move(req),
                     &ListIncidentsResponse::incidents);
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

  void Seed() {
    CreateOk(TrainStrike(), "kharkiv-train");
    CreateOk(EnergyCampaign(), "energy-2025-11");
    CreateOk(KhersonShelling(), "kherson-shelling");
    CreateOk(BelgorodDrone(), "belgorod-drone");
  }
};

}  // namespace parley::incidents

#endif  // PARLEY_TESTS_INTEGRATION_INCIDENTS_FIXTURE_H_
