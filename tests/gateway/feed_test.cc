// The change feed through the gateway: ListChanges of all three services
// forwarded like every other method, WatchChanges streamed through the
// gateway's proxy (metadata, status, cancellation), and a watch that
// survives a restart of the gateway by resuming from its position.
#include <thread>

#include "absl/synchronization/mutex.h"
#include "tests/gateway/gateway_fixture.h"
#include "tests/lib/watch_reader.h"

namespace parley::gateway_test {
namespace {

using ::parley::common::v1::Change;

// Another strike, on another day.
in::Incident AnotherStrike(const std::string& day) {
  in::Incident incident = TrainStrike();
  incident.set_occurred(day);
  return incident;
}

std::vector<std::string> Keys(const std::vector<Change>& changes) {
  return ::parley::testing::ChangeKeys(changes);
}

// Every change of a service's feed after `after`, through `stub`.
template <typename Stub, typename Request, typename Response>
std::vector<Change> ReadFeed(Stub& stub,
                             grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                          const Request&,
                                                          Response*),
                             const std::string& after = "",
                             const std::string& caller = kReaderCaller) {
  std::vector<Change> all;
  Request req;
  req.set_after(after);
  for (int page = 0; page < 100; ++page) {
    Response resp;
    const grpc::Status s = Call(stub, method, req, &resp, {.caller = caller});
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    for (const Change& c : resp.changes()) all.push_back(c);
    req.set_after(resp.position());
    if (resp.caught_up()) break;
  }
  return all;
}

// An incidents watch through `stub`, as `caller`, read on its own thread.
class Watch : public ::parley::testing::WatchReader<in::WatchChangesResponse> {
 public:
  Watch(in::IncidentsService::Stub& stub, const std::string& after,
        const std::string& caller = kReaderCaller)
      : WatchReader([&](grpc::ClientContext* context) {
          Authorize(context, caller);
          in::WatchChangesRequest req;
          req.set_after(after);
          return stub.WatchChanges(context, req);
        }) {}
};

TEST_F(SeedWeekTest, EveryServicesFeedThroughTheGateway) {
  const std::vector<Change> exchanges =
      ReadFeed(*gw_.exchanges, &ExStub::ListChanges);
  EXPECT_THAT(
      Keys(exchanges),
      ElementsAre("agreements/istanbul-2025@1", "exchanges/remains-2026-w05@1",
                  "exchanges/remains-2025-11@1", "channels/pow-ru-ua@1",
                  "channelStatuses/pow-stalled-w05@1"));
  // The actor is the caller the gateway admitted, not the gateway.
  for (const Change& c : exchanges) EXPECT_EQ(c.actor(), kSeedCaller);
  EXPECT_THAT(
      Keys(ReadFeed(*gw_.negotiations, &NgStub::ListChanges)),
      ElementsAre("rounds/uae-2026-01@1", "positions/ru-donetsk@1",
                  "statements/ru-accuses-ua@1", "statements/ua-accuses-ru@1"));
  EXPECT_THAT(
      Keys(ReadFeed(*gw_.incidents, &InStub::ListChanges)),
      ElementsAre("incidents/kharkiv-train@1", "incidents/energy-campaign@1"));
  // The same as the service itself gives.
  EXPECT_EQ(Keys(ReadFeed(*direct_.exchanges, &ExStub::ListChanges, "", "")),
            Keys(exchanges));

  // A filter by kind, and a refusal by name.
  ex::ListChangesRequest req;
  req.add_kinds("channels");
  ex::ListChangesResponse resp;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::ListChanges, req, &resp,
                   {.caller = kReaderCaller})
                  .ok());
  EXPECT_THAT(Keys({resp.changes().begin(), resp.changes().end()}),
              ElementsAre("channels/pow-ru-ua@1"));
  req.add_kinds("incidents");
  const grpc::Status bad = Call(*gw_.exchanges, &ExStub::ListChanges, req,
                                &resp, {.caller = kReaderCaller});
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(bad), ElementsAre("kinds[1]"));
}

TEST_F(SeedWeekTest, AWatchStreamsThroughTheGatewayAndLiveChangesFollow) {
  Watch watch(*gw_.incidents, "");
  ASSERT_TRUE(watch.WaitFor(2));
  CreateIncident(AnotherStrike("2026-01-28"), "kherson-shelling");
  ASSERT_TRUE(watch.WaitFor(3));
  EXPECT_THAT(
      Keys(watch.changes()),
      ElementsAre("incidents/kharkiv-train@1", "incidents/energy-campaign@1",
                  "incidents/kherson-shelling@1"));
  in::Incident created;
  ASSERT_TRUE(watch.changes()[2].record().UnpackTo(&created));
  EXPECT_EQ(created.metadata().name(), "incidents/kherson-shelling");
}

TEST_F(SeedWeekTest, AWatchNeedsAToken) {
  grpc::ClientContext context;
  in::WatchChangesRequest req;
  auto reader = gw_.incidents->WatchChanges(&context, req);
  in::WatchChangesResponse resp;
  EXPECT_FALSE(reader->Read(&resp));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SeedWeekTest, AWatchResumesFromItsPositionAfterTheGatewayRestarts) {
  std::vector<Change> seen;
  std::string position;
  {
    Watch watch(*gw_.incidents, "");
    ASSERT_TRUE(watch.WaitFor(2));
    seen = watch.changes();
    position = watch.position();
    // The gateway goes away under the open stream; the client hears of it.
    gw_ = Clients();
    gateway_.reset();
    const grpc::Status end = watch.WaitEnd();
    // The gateway's own word ("resume from the last position") when its
    // trailers beat the closing transport; UNAVAILABLE either way.
    EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE)
        << end.error_message();
  }
  // Written while no gateway ran.
  in::CreateIncidentRequest create;
  *create.mutable_incident() = AnotherStrike("2026-01-28");
  create.set_incident_id("kherson-shelling");
  in::Incident out;
  ASSERT_TRUE(Call(*direct_.incidents, &InStub::CreateIncident, create, &out,
                   {.caller = "desk-direct"})
                  .ok());
  gateway_ = std::make_unique<GatewayServer>(exchanges_server_->channel(),
                                             negotiations_server_->channel(),
                                             incidents_server_->channel());
  gw_ = Clients(gateway_->channel());
  Watch resumed(*gw_.incidents, position);
  ASSERT_TRUE(resumed.WaitFor(1));
  CreateIncident(AnotherStrike("2026-01-29"), "belgorod-drone");
  ASSERT_TRUE(resumed.WaitFor(2));
  for (const Change& c : resumed.changes()) seen.push_back(c);
  // None twice, none missing.
  EXPECT_THAT(Keys(seen), ElementsAre("incidents/kharkiv-train@1",
                                      "incidents/energy-campaign@1",
                                      "incidents/kherson-shelling@1",
                                      "incidents/belgorod-drone@1"));
  EXPECT_EQ(Keys(seen), Keys(ReadFeed(*gw_.incidents, &InStub::ListChanges)));
}

}  // namespace
}  // namespace parley::gateway_test
