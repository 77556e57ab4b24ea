// Bad input through the gateway, over TCP as a client meets it: every kind
// of malformed request (bytes that are no request, fields under the wrong
// wire type, invalid UTF-8, out-of-range and unknown values, huge strings
// and repeated fields, missing fields, bad, absent or too weak tokens, page
// tokens of another query or forged, bad etags, names and field masks) to
// each domain, the reports and backups. Each row names the code it must
// get and the field (or, without a BadRequest, the words) the error must
// name; after each, every collection of every service is read back: nothing
// was stored, changed or deleted.
#include <cstdio>

#include "common/api/paging.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "tests/gateway/bad_input_rows.h"
#include "tests/gateway/gateway_fixture.h"
#include "tests/lib/raw_call.h"

namespace parley::gateway_test {
namespace {

// The gateway as deployed in front of the in-process services: its own
// gRPC server on a loopback port, with the production message limits, so
// that errors cross a real HTTP/2 connection (header size limits included).
class TcpGateway {
 public:
  TcpGateway(std::shared_ptr<grpc::Channel> exchanges,
             std::shared_ptr<grpc::Channel> negotiations,
             std::shared_ptr<grpc::Channel> incidents) {
    gateway_ = std::make_unique<::parley::gateway::Gateway>(
        std::make_unique<::parley::gateway::Upstreams>(
            std::move(exchanges), std::move(negotiations), std::move(incidents),
            absl::Seconds(5)),
        2, TestAdmission());
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
    builder.SetMaxSendMessageSize(kMaxMessageBytes);
    for (grpc::Service* service : gateway_->services())
      builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    EXPECT_GT(port, 0);
    grpc::ChannelArguments args;
    // The client may send more than the gateway accepts, to be refused.
    args.SetMaxSendMessageSize(64 << 20);
    channel_ =
        grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                  grpc::InsecureChannelCredentials(), args);
  }
  ~TcpGateway() {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(5));
    server_->Wait();
    gateway_->Stop();
  }

  static constexpr int kMaxMessageBytes = 4 << 20;
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

 private:
  std::unique_ptr<::parley::gateway::Gateway> gateway_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

class BadInputTest : public SeedWeekTest {
 protected:
  void SetUp() override {
    SeedWeekTest::SetUp();
    tcp_ = std::make_unique<TcpGateway>(exchanges_server_->channel(),
                                        negotiations_server_->channel(),
                                        incidents_server_->channel());
  }
  void TearDown() override { tcp_.reset(); }

  // One call of `method` with `bytes` as the request, as `who`.
  grpc::Status Send(const std::string& method, const std::string& bytes,
                    Who who, std::string* reply = nullptr) {
    grpc::GenericStub stub(tcp_->channel());
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    const std::string token = TokenOf(who);
    if (!token.empty()) context.AddMetadata("authorization", token);
    return ::parley::testing::CallBytes(stub, &context, method, bytes, reply);
  }

  static std::string TokenOf(Who who) {
    switch (who) {
      case Who::kEditor:
        return absl::StrCat("Bearer ", TokenFor(kDefaultCaller));
      case Who::kReader:
        return absl::StrCat("Bearer ", TokenFor(kReaderCaller));
      case Who::kAdmin:
        return absl::StrCat("Bearer ", TokenFor(kAdminCaller));
      case Who::kNobody:
        return "";
      case Who::kUnknownToken:
        return "Bearer token-of-nobody";
      case Who::kNotBearer:
        return absl::StrCat("Basic ", TokenFor(kDefaultCaller));
      case Who::kHugeToken:
        return absl::StrCat("Bearer ", std::string(6000, 'k'));
    }
    return "";
  }

  // Everything every service holds, read directly: what must not change.
  struct Stored {
    std::string counts;  // "agreements=1 exchanges=2 ..."
    std::string bytes;   // every record, metadata included
  };
  Stored ReadEverything() {
    Stored stored;
    const auto add = [&](const char* what, const auto& records,
                         const google::protobuf::Message& response) {
      absl::StrAppend(&stored.counts, what, "=", records.size(), " ");
      stored.bytes += response.SerializeAsString();
    };
    const auto list = [&](auto& stub, auto method, auto request,
                          auto response) {
      request.set_page_size(500);
      const grpc::Status s = Call(stub, method, request, &response);
      EXPECT_TRUE(s.ok()) << StatusText(s);
      return response;
    };
    auto& e = *direct_.exchanges;
    auto& n = *direct_.negotiations;
    auto& i = *direct_.incidents;
    auto agreements =
        list(e, &ExStub::ListAgreements, ex::ListAgreementsRequest(),
             ex::ListAgreementsResponse());
    add("agreements", agreements.agreements(), agreements);
    auto exchanges = list(e, &ExStub::ListExchanges, ex::ListExchangesRequest(),
                          ex::ListExchangesResponse());
    add("exchanges", exchanges.exchanges(), exchanges);
    auto channels = list(e, &ExStub::ListChannels, ex::ListChannelsRequest(),
                         ex::ListChannelsResponse());
    add("channels", channels.channels(), channels);
    auto statuses =
        list(e, &ExStub::ListChannelStatuses, ex::ListChannelStatusesRequest(),
             ex::ListChannelStatusesResponse());
    add("channelStatuses", statuses.channel_statuses(), statuses);
    auto rounds = list(n, &NgStub::ListRounds, ng::ListRoundsRequest(),
                       ng::ListRoundsResponse());
    add("rounds", rounds.rounds(), rounds);
    auto positions = list(n, &NgStub::ListPositions, ng::ListPositionsRequest(),
                          ng::ListPositionsResponse());
    add("positions", positions.positions(), positions);
    auto statements =
        list(n, &NgStub::ListStatements, ng::ListStatementsRequest(),
             ng::ListStatementsResponse());
    add("statements", statements.statements(), statements);
    auto incidents = list(i, &InStub::ListIncidents, in::ListIncidentsRequest(),
                          in::ListIncidentsResponse());
    add("incidents", incidents.incidents(), incidents);
    return stored;
  }

  // What the rows need from the store: current records and real tokens.
  Fixtures Gather() {
    Fixtures f;
    ex::GetExchangeRequest get_exchange;
    get_exchange.set_name(kW05Exchange);
    EXPECT_TRUE(
        Call(*gw_.exchanges, &ExStub::GetExchange, get_exchange, &f.exchange)
            .ok());
    ng::GetRoundRequest get_round;
    get_round.set_name(kUaeRound);
    EXPECT_TRUE(
        Call(*gw_.negotiations, &NgStub::GetRound, get_round, &f.round).ok());
    in::GetIncidentRequest get_incident;
    get_incident.set_name(kTrain);
    EXPECT_TRUE(
        Call(*gw_.incidents, &InStub::GetIncident, get_incident, &f.incident)
            .ok());
    // Both seed exchanges involve Ukraine: one per page leaves a token.
    ex::ListExchangesRequest by_party;
    by_party.set_party("UA");
    by_party.set_page_size(1);
    ex::ListExchangesResponse page;
    EXPECT_TRUE(
        Call(*gw_.exchanges, &ExStub::ListExchanges, by_party, &page).ok());
    f.ua_exchanges_token = page.next_page_token();
    EXPECT_FALSE(f.ua_exchanges_token.empty());
    // A token with the right fingerprint for an unfiltered list of
    // exchanges, but a resume key nobody issued.
    ::parley::api::v1::PageToken forged;
    forged.set_query_fingerprint(QueryFingerprint(ex::ListExchangesRequest()));
    forged.set_last_key(std::string("\xff\x00garbage", 9));
    f.forged_fingerprinted_token = EncodePageToken(forged);
    return f;
  }

  std::unique_ptr<TcpGateway> tcp_;
};

TEST_F(BadInputTest, EveryMalformedRequestIsRefusedByNameAndStoresNothing) {
  const Fixtures fixtures = Gather();
  const std::vector<Row> rows = AllRows(fixtures);
  ASSERT_EQ(ReadEverything().counts,
            "agreements=1 exchanges=2 channels=1 channelStatuses=1 rounds=1 "
            "positions=1 statements=2 incidents=2 ");
  int checked = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(absl::StrCat("row \"", row.name, "\": ", row.method));
    const Stored before = ReadEverything();
    const grpc::Status status = Send(row.method, row.request, row.who);
    ++checked;
    EXPECT_EQ(status.error_code(), row.code)
        << StatusText(status).substr(0, 600);
    const std::string& message = status.error_message();
    if (row.code != grpc::StatusCode::OK) {
      // Clear: a message that says what is wrong, and short enough to read
      // (and to fit a header).
      EXPECT_FALSE(message.empty());
      EXPECT_LE(message.size(), 4096u) << message.substr(0, 300);
      const std::vector<std::string> fields = ViolationFields(status);
      if (!fields.empty()) {
        EXPECT_THAT(fields, Contains(row.expect)) << message.substr(0, 600);
      }
      EXPECT_THAT(message, HasSubstr(row.expect)) << message.substr(0, 600);
    }
    const Stored after = ReadEverything();
    EXPECT_EQ(after.counts, before.counts);
    EXPECT_TRUE(after.bytes == before.bytes) << "a record changed";
  }
  EXPECT_GE(checked, 100);
  std::printf("%d malformed requests, each refused as specified\n", checked);
}

// A batch response's results (field 2 of every batch response) and how many
// records it holds (field 1), read without knowing its type.
std::vector<::parley::common::v1::BatchResult> BatchResults(
    const std::string& reply, int* records) {
  std::vector<::parley::common::v1::BatchResult> results;
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(reply.data()),
      static_cast<int>(reply.size()));
  *records = 0;
  while (const uint32_t tag = in.ReadTag()) {
    const int field =
        google::protobuf::internal::WireFormatLite::GetTagFieldNumber(tag);
    std::string bytes;
    uint32_t length = 0;
    if (!in.ReadVarint32(&length) || !in.ReadString(&bytes, length)) break;
    if (field == 1) ++*records;
    if (field == 2) results.emplace_back().ParseFromString(bytes);
  }
  return results;
}

// The same bad creates as the domain rows, as the items of a batch: the
// call succeeds, and each item is refused alone, by its field under
// "requests[i]", storing nothing.
TEST_F(BadInputTest, EveryBadItemOfABatchIsRefusedByNameAndStoresNothing) {
  int items = 0;
  for (const BadItemBatch& batch : BadItemBatches()) {
    SCOPED_TRACE(batch.name);
    ASSERT_GE(batch.expect.size(), 3u);
    const Stored before = ReadEverything();
    std::string reply;
    const grpc::Status status =
        Send(batch.method, batch.request, Who::kEditor, &reply);
    ASSERT_TRUE(status.ok()) << StatusText(status).substr(0, 600);
    int records = 0;
    const auto results = BatchResults(reply, &records);
    EXPECT_EQ(records, 0);
    ASSERT_EQ(results.size(), batch.expect.size());
    for (size_t i = 0; i < results.size(); ++i) {
      SCOPED_TRACE(absl::StrCat("item ", i, ": ", batch.rows[i]));
      const auto& result = results[i];
      EXPECT_EQ(result.outcome(),
                ::parley::common::v1::BatchResult::OUTCOME_REFUSED);
      EXPECT_EQ(result.error().code(), "INVALID_ARGUMENT");
      EXPECT_FALSE(result.error().message().empty());
      std::vector<std::string> fields;
      for (const auto& v : result.error().field_violations())
        fields.push_back(v.field());
      EXPECT_THAT(fields, Contains(batch.expect[i]))
          << result.error().message().substr(0, 300);
      ++items;
    }
    const Stored after = ReadEverything();
    EXPECT_EQ(after.counts, before.counts);
    EXPECT_TRUE(after.bytes == before.bytes) << "a record changed";
  }
  std::printf("%d bad batch items, each refused by name\n", items);
}

// The rows' baselines are good requests: each row fails for its own reason.
TEST_F(BadInputTest, TheBaselinesAreAccepted) {
  const Fixtures fixtures = Gather();
  for (const Row& row : BaselineRows(fixtures)) {
    SCOPED_TRACE(row.name);
    const grpc::Status status = Send(row.method, row.request, Who::kEditor);
    EXPECT_TRUE(status.ok()) << StatusText(status);
  }
}

// However many fields are bad, the error stays small enough for a header.
TEST_F(BadInputTest, ReplyMessagesStayBounded) {
  // 10,000 bad parties: every one is named in the BadRequest up to a
  // budget, the message says how many more there were.
  rp::GetSummaryRequest summary;
  summary.set_span("2026-W05");
  for (int i = 0; i < 10000; ++i) summary.add_parties("XX");
  const grpc::Status status =
      Send(Rp("GetSummary"), summary.SerializeAsString(), Who::kReader);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(status).substr(0, 300);
  EXPECT_LE(status.error_message().size(), 4096u);
  EXPECT_THAT(status.error_message(), HasSubstr("more"));
  EXPECT_THAT(ViolationFields(status), Contains("parties[0]"));
}

}  // namespace
}  // namespace parley::gateway_test
