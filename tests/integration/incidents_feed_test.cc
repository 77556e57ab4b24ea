// The change feed (ListChanges, WatchChanges) of the incidents service, end
// to end through an in-process gRPC server on a real store: commit order,
// nothing twice or missing under concurrent writers, resuming from a
// position across restarts, bad positions and kinds, and a watch's stream.
#include <atomic>
#include <map>
#include <thread>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "common/api/feed_position.h"
#include "tests/integration/incidents_fixture.h"
#include "tests/lib/watch_reader.h"

ABSL_DECLARE_FLAG(int, watch_heartbeat_ms);
ABSL_DECLARE_FLAG(absl::Duration, change_retention);

namespace parley::incidents {
namespace {

using ::parley::common::v1::Change;

class IncidentsFeedTest : public IncidentsIntegrationTest {
 protected:
  // Every change after `after`, page by page; the position after the last.
  std::vector<Change> ReadFeed(const std::string& after, std::string* position,
                               int page_size = 7) {
    std::vector<Change> all;
    ListChangesRequest req;
    req.set_after(after);
    req.set_page_size(page_size);
    for (int page = 0; page < 1000; ++page) {
      ListChangesResponse resp;
      const absl::Status s = Call(&Stub::ListChanges, req, &resp);
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) break;
      for (const Change& c : resp.changes()) all.push_back(c);
      EXPECT_FALSE(resp.position().empty());
      req.set_after(resp.position());
      if (resp.caught_up()) break;
    }
    if (position != nullptr) *position = req.after();
    return all;
  }

  Incident Update(const std::string& name, int killed) {
    UpdateIncidentRequest req;
    req.mutable_incident()->mutable_metadata()->set_name(name);
    *req.mutable_incident()->mutable_casualties()->mutable_killed() =
        Exact(killed);
    *req.mutable_update_mask() = Mask({"casualties"});
    return CallOk(&Stub::UpdateIncident, req);
  }
};

std::vector<std::string> Keys(const std::vector<Change>& changes) {
  return ::parley::testing::ChangeKeys(changes);
}

TEST_F(IncidentsFeedTest, EveryWriteInOrderWithTheRecordAsOfItsRevision) {
  const Incident train = CreateOk(TrainStrike(), "kharkiv-train", "desk-a");
  CreateOk(KhersonShelling(), "kherson-shelling");
  const Incident updated = Update(kTrain, 7);
  DeleteIncidentRequest del;
  del.set_name(kKherson);
  CallOk(&Stub::DeleteIncident, del);

  std::string position;
  const std::vector<Change> feed = ReadFeed("", &position, 2);
  ASSERT_EQ(feed.size(), 4u);
  EXPECT_THAT(
      Keys(feed),
      ElementsAre("incidents/kharkiv-train@1", "incidents/kherson-shelling@1",
                  "incidents/kharkiv-train@2", "incidents/kherson-shelling@2"));
  EXPECT_EQ(feed[0].operation(), Change::OPERATION_CREATED);
  EXPECT_EQ(feed[0].kind(), "incidents");
  EXPECT_EQ(feed[0].actor(), "desk-a");
  Incident as_created;
  ASSERT_TRUE(feed[0].record().UnpackTo(&as_created));
  EXPECT_TRUE(ProtoEq(as_created, train));
  EXPECT_EQ(feed[2].operation(), Change::OPERATION_UPDATED);
  EXPECT_THAT(feed[2].changed_fields(), ElementsAre("casualties"));
  Incident as_updated;
  ASSERT_TRUE(feed[2].record().UnpackTo(&as_updated));
  EXPECT_TRUE(ProtoEq(as_updated, updated));
  // A delete carries what was deleted, not its body.
  EXPECT_EQ(feed[3].operation(), Change::OPERATION_DELETED);
  EXPECT_FALSE(feed[3].has_record());
  EXPECT_EQ(feed[3].tombstone().name(), kKherson);
  EXPECT_EQ(feed[3].tombstone().revision(), 1);
  EXPECT_FALSE(feed[3].tombstone().etag().empty());
  // Each change's position resumes right after it.
  const std::vector<Change> rest = ReadFeed(feed[1].position(), nullptr);
  EXPECT_THAT(Keys(rest), ElementsAre("incidents/kharkiv-train@2",
                                      "incidents/kherson-shelling@2"));

  // Later writes, later: exactly those, after the kept position, also after
  // a restart of the service.
  EXPECT_THAT(ReadFeed(position, nullptr), IsEmpty());
  Restart();
  CreateOk(BelgorodDrone(), "belgorod-drone");
  EXPECT_THAT(Keys(ReadFeed(position, nullptr)),
              ElementsAre("incidents/belgorod-drone@1"));
}

TEST_F(IncidentsFeedTest, FromNowGivesThePositionOnly) {
  Seed();
  ListChangesRequest req;
  req.set_from_now(true);
  const ListChangesResponse now = CallOk(&Stub::ListChanges, req);
  EXPECT_THAT(now.changes(), IsEmpty());
  EXPECT_TRUE(now.caught_up());
  Update(kTrain, 9);
  EXPECT_THAT(Keys(ReadFeed(now.position(), nullptr)),
              ElementsAre("incidents/kharkiv-train@2"));
}

TEST_F(IncidentsFeedTest, BadRequestsAreRefusedByName) {
  Seed();
  ListChangesResponse resp;
  ListChangesRequest kinds;
  kinds.add_kinds("incidents");
  kinds.add_kinds("exchanges");
  absl::Status s = Call(&Stub::ListChanges, kinds, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("kinds[1]"));

  ListChangesRequest garbage;
  garbage.set_after("not-a-position");
  s = Call(&Stub::ListChanges, garbage, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("after"));

  // A position of another service's feed (what the exchanges service would
  // hand out) is not read as ours.
  ListChangesRequest other;
  other.set_after(EncodeFeedPosition("exchanges", 1));
  s = Call(&Stub::ListChanges, other, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("after"));

  // Ahead of the log: a store restored from an older backup, say.
  ListChangesRequest ahead;
  ahead.set_after(EncodeFeedPosition("incidents", 1000));
  s = Call(&Stub::ListChanges, ahead, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("full export"));

  ListChangesRequest negative;
  negative.set_page_size(-1);
  s = Call(&Stub::ListChanges, negative, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_size"));
}

TEST_F(IncidentsFeedTest, ConcurrentWritersAndAPagingReaderAgreeWithHistory) {
  constexpr int kWriters = 6;
  constexpr int kRecords = 15;
  std::atomic<int> writers_done{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kRecords; ++i) {
        const std::string id = absl::StrCat("w", w, "-", i);
        Incident incident = KhersonShelling();
        incident.set_occurred(FormatDay(absl::CivilDay(2026, 1, 1) + i));
        CreateOk(incident, id);
        // Half of them are corrected, some twice.
        if (i % 2 == 0) Update(absl::StrCat("incidents/", id), i + 1);
        if (i % 4 == 0) Update(absl::StrCat("incidents/", id), i + 2);
      }
      ++writers_done;
    });
  }
  // The reader pages the feed while they write, as an integrator would.
  std::vector<Change> read;
  std::string position;
  while (writers_done.load() < kWriters) {
    for (Change& c : ReadFeed(position, &position, 5)) read.push_back(c);
  }
  for (auto& t : writers) t.join();
  for (Change& c : ReadFeed(position, &position, 5)) read.push_back(c);

  // Nothing twice, and each record's revisions in order, one by one.
  std::set<std::string> seen;
  std::map<std::string, int64_t> last_revision;
  for (const Change& c : read) {
    EXPECT_TRUE(seen.insert(absl::StrCat(c.name(), "@", c.revision())).second)
        << c.name() << "@" << c.revision() << " twice";
    EXPECT_EQ(c.revision(), last_revision[c.name()] + 1) << c.name();
    last_revision[c.name()] = c.revision();
  }
  // Nothing missing: the feed holds every revision the history holds.
  EXPECT_EQ(last_revision.size(), size_t{kWriters * kRecords});
  size_t revisions = 0;
  for (const auto& [name, revision] : last_revision) {
    ListRevisionsRequest req;
    req.set_name(name);
    req.set_page_size(100);
    const ListRevisionsResponse history = CallOk(&Stub::ListRevisions, req);
    ASSERT_EQ(history.revisions_size(), revision) << name;
    revisions += history.revisions_size();
  }
  EXPECT_EQ(read.size(), revisions);
  // And the feed read again from the start is the same sequence.
  EXPECT_EQ(Keys(ReadFeed("", nullptr, 1000)), Keys(read));
}

// A watch of this service, read on its own thread.
class Watch : public ::parley::testing::WatchReader<WatchChangesResponse> {
 public:
  Watch(Stub& stub, const std::string& after)
      : WatchReader([&](grpc::ClientContext* context) {
          WatchChangesRequest req;
          req.set_after(after);
          return stub.WatchChanges(context, req);
        }) {}
};

TEST_F(IncidentsFeedTest, AWatchFromMidStreamThenResumedAfterARestart) {
  CreateOk(TrainStrike(), "kharkiv-train");
  std::string middle;
  ReadFeed("", &middle);
  CreateOk(KhersonShelling(), "kherson-shelling");
  std::vector<Change> first_part;
  std::string resume_from;
  {
    // Starts after the first write: the backlog, then live changes.
    Watch watch(*stub_, middle);
    ASSERT_TRUE(watch.WaitFor(1));
    Update(kTrain, 11);
    ASSERT_TRUE(watch.WaitFor(2));
    first_part = watch.changes();
    resume_from = watch.position();
    // The service restarts under the open stream: it ends, saying so.
    Restart();
    const grpc::Status end = watch.WaitEnd();
    EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE)
        << end.error_message();
  }
  CreateOk(BelgorodDrone(), "belgorod-drone");
  Watch resumed(*stub_, resume_from);
  ASSERT_TRUE(resumed.WaitFor(1));
  std::vector<Change> all = first_part;
  for (const Change& c : resumed.changes()) all.push_back(c);
  // The same sequence a reader of the whole feed after `middle` sees.
  EXPECT_EQ(Keys(all), Keys(ReadFeed(middle, nullptr)));
  EXPECT_THAT(Keys(all), ElementsAre("incidents/kherson-shelling@1",
                                     "incidents/kharkiv-train@2",
                                     "incidents/belgorod-drone@1"));
}

TEST_F(IncidentsFeedTest, AnIdleWatchSendsItsPositionAsAHeartbeat) {
  const int before = absl::GetFlag(FLAGS_watch_heartbeat_ms);
  absl::SetFlag(&FLAGS_watch_heartbeat_ms, 50);
  Restart();  // the feed reads its options when the domain is built
  Seed();
  ListChangesRequest req;
  req.set_from_now(true);
  const std::string now = CallOk(&Stub::ListChanges, req).position();
  {
    Watch watch(*stub_, "");
    ASSERT_TRUE(watch.WaitFor(4));
    // Caught up and idle, it keeps saying where it is.
    absl::SleepFor(absl::Milliseconds(1500));
    EXPECT_GE(watch.messages(), 3);
    EXPECT_EQ(watch.position(), now);
    EXPECT_EQ(watch.changes().size(), 4u);
  }
  absl::SetFlag(&FLAGS_watch_heartbeat_ms, before);
}

TEST_F(IncidentsFeedTest, PositionsOlderThanTheRetentionAreRefused) {
  const absl::Duration before = absl::GetFlag(FLAGS_change_retention);
  absl::SetFlag(&FLAGS_change_retention, absl::Hours(1));
  Restart();  // the feed reads its options when the domain is built
  Seed();
  const std::vector<Change> all = ReadFeed("", nullptr, 1);
  ASSERT_EQ(all.size(), 4u);
  Update(kTrain, 8);
  std::string newest;
  ReadFeed(all.back().position(), &newest);
  // An hour from now, everything but each record's newest revision is old.
  auto dropped =
      server_.domain().change_feed().Trim(absl::Now() + absl::Hours(2));
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_EQ(*dropped, 1);  // kharkiv-train@1, superseded by @2

  ListChangesResponse resp;
  for (const std::string& old : {std::string(), all[0].position()}) {
    ListChangesRequest req;
    req.set_after(old);
    const absl::Status s = Call(&Stub::ListChanges, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_THAT(std::string(s.message()),
                ::testing::HasSubstr("resync from a full export"));
  }
  // A client that kept up goes on; one starting over asks from_now.
  CreateOk(BelgorodDrone(), "belgorod-drone-2");
  EXPECT_THAT(Keys(ReadFeed(newest, nullptr)),
              ElementsAre("incidents/belgorod-drone-2@1"));
  absl::SetFlag(&FLAGS_change_retention, before);
}

TEST_F(IncidentsFeedTest, AWatchIsRefusedAsAListIs) {
  WatchChangesRequest req;
  req.add_kinds("rounds");
  grpc::ClientContext context;
  auto reader = stub_->WatchChanges(&context, req);
  WatchChangesResponse resp;
  EXPECT_FALSE(reader->Read(&resp));
  const grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("kinds[0]"));
}

}  // namespace
}  // namespace parley::incidents
