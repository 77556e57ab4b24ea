// Who may call the gateway, as whom, and how the domain services know a
// call came through it: bearer tokens mapped to roles, PERMISSION_DENIED
// for a role too low, UNAUTHENTICATED for no or a wrong token, nothing
// stored either way; the service credential between gateway and services.
#include <map>

#include "services/gateway/proxy.h"
#include "tests/gateway/gateway_fixture.h"
#include "tests/gateway/seed_week.h"

namespace parley::gateway_test {
namespace {

using ExStub = ex::ExchangesService::Stub;
using InStub = in::IncidentsService::Stub;
using RpStub = rp::ReportService::Stub;
using ::parley::gateway::ForwardsHeader;

ex::CreateAgreementRequest CreateIstanbul() {
  ex::CreateAgreementRequest create;
  *create.mutable_agreement() = Istanbul();
  create.set_agreement_id("istanbul-2025");
  return create;
}

// How many agreements the exchanges service holds (asked directly).
class AuthTest : public GatewayTest {
 protected:
  int StoredAgreements() {
    ex::ListAgreementsRequest list;
    ex::ListAgreementsResponse listed;
    EXPECT_TRUE(
        Call(*direct_.exchanges, &ExStub::ListAgreements, list, &listed).ok());
    return listed.agreements_size();
  }

  // A create through the gateway with `authorization` set to `header`
  // ("" for none).
  grpc::Status CreateWithHeader(const std::string& header) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!header.empty()) context.AddMetadata("authorization", header);
    ex::Agreement created;
    return gw_.exchanges->CreateAgreement(&context, CreateIstanbul(), &created);
  }
};

TEST_F(AuthTest, NoTokenIsUnauthenticatedAndStoresNothing) {
  ex::Agreement created;
  const grpc::Status status = Call(*gw_.exchanges, &ExStub::CreateAgreement,
                                   CreateIstanbul(), &created, {.caller = ""});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              ::testing::HasSubstr("authorization: Bearer"));
  EXPECT_EQ(StoredAgreements(), 0);
}

TEST_F(AuthTest, MalformedOrUnknownTokensAreUnauthenticated) {
  const std::string headers[] = {"Basic dXNlcjpwYXNz", "Bearer",
                                 "token-desk-editor", "Bearer token-nobody",
                                 "Bearer " + TokenFor(kDefaultCaller) + "x"};
  for (const std::string& header : headers) {
    const grpc::Status status = CreateWithHeader(header);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << header << ": " << StatusText(status);
  }
  EXPECT_EQ(StoredAgreements(), 0);
  // The scheme is case-insensitive, as HTTP says.
  EXPECT_TRUE(CreateWithHeader("bearer " + TokenFor(kDefaultCaller)).ok());
  EXPECT_EQ(StoredAgreements(), 1);
}

TEST_F(AuthTest, ReaderReadsButCannotWrite) {
  LoadSeedWeek();
  // Create, update and delete: each refused, naming the role needed.
  ex::Agreement created;
  ex::CreateAgreementRequest create = CreateIstanbul();
  create.set_agreement_id("another");
  grpc::Status status = Call(*gw_.exchanges, &ExStub::CreateAgreement, create,
                             &created, {.caller = kReaderCaller});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("editor"));

  ex::GetAgreementRequest get;
  get.set_name(kIstanbul);
  ex::Agreement istanbul;
  ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::GetAgreement, get, &istanbul,
                   {.caller = kReaderCaller})
                  .ok());
  ex::UpdateAgreementRequest update;
  *update.mutable_agreement() = istanbul;
  update.mutable_agreement()->set_description("changed by a reader");
  update.mutable_update_mask()->add_paths("description");
  ex::Agreement updated;
  status = Call(*gw_.exchanges, &ExStub::UpdateAgreement, update, &updated,
                {.caller = kReaderCaller});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  in::DeleteIncidentRequest remove;
  remove.set_name(kTrain);
  google::protobuf::Empty empty;
  status = Call(*gw_.incidents, &InStub::DeleteIncident, remove, &empty,
                {.caller = kReaderCaller});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Nothing changed.
  EXPECT_EQ(StoredAgreements(), 1);
  ex::Agreement now;
  ASSERT_TRUE(Call(*direct_.exchanges, &ExStub::GetAgreement, get, &now).ok());
  EXPECT_EQ(now.metadata().etag(), istanbul.metadata().etag());
  in::GetIncidentRequest train;
  train.set_name(kTrain);
  in::Incident still;
  EXPECT_TRUE(
      Call(*direct_.incidents, &InStub::GetIncident, train, &still).ok());

  // Lists and reports are reads.
  ex::ListExchangesRequest list;
  ex::ListExchangesResponse listed;
  EXPECT_TRUE(Call(*gw_.exchanges, &ExStub::ListExchanges, list, &listed,
                   {.caller = kReaderCaller})
                  .ok());
  EXPECT_EQ(listed.exchanges_size(), 2);
  rp::GetSummaryRequest summary;
  summary.set_span("2026-W05");
  summary.set_as_of("2026-02-01");
  rp::GetSummaryResponse report;
  EXPECT_TRUE(Call(*gw_.reports, &RpStub::GetSummary, summary, &report,
                   {.caller = kReaderCaller})
                  .ok());
}

TEST_F(AuthTest, BackupsNeedTheAdminRole) {
  auto admin = admin::v1::AdminService::NewStub(gateway_->channel());
  admin::v1::CreateBackupRequest backup;
  backup.set_service("exchanges");
  admin::v1::Backup taken;
  grpc::Status status =
      Call(*admin, &admin::v1::AdminService::Stub::CreateBackup, backup, &taken,
           {.caller = kDefaultCaller});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("admin"));

  admin::v1::ListBackupsRequest list;
  list.set_service("exchanges");
  admin::v1::ListBackupsResponse listed;
  for (const char* caller : {kReaderCaller, kDefaultCaller}) {
    status = Call(*admin, &admin::v1::AdminService::Stub::ListBackups, list,
                  &listed, {.caller = caller});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << caller;
  }

  // An admin gets past admission; an unknown service is named as the
  // bad field.
  backup.set_service("weather");
  status = Call(*admin, &admin::v1::AdminService::Stub::CreateBackup, backup,
                &taken, {.caller = kAdminCaller});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("service"));
}

// Every method of the API, and the role it needs: a method added later
// fails here until someone decides who may call it.
TEST(RequiredRoleTest, EveryMethodHasTheRoleItShould) {
  const std::map<std::string, Role> expected = {
      {"GetAgreement", Role::kReader},
      {"ListAgreements", Role::kReader},
      {"CreateAgreement", Role::kEditor},
      {"BatchCreateAgreements", Role::kEditor},
      {"UpdateAgreement", Role::kEditor},
      {"DeleteAgreement", Role::kEditor},
      {"GetExchange", Role::kReader},
      {"ListExchanges", Role::kReader},
      {"CreateExchange", Role::kEditor},
      {"BatchCreateExchanges", Role::kEditor},
      {"UpdateExchange", Role::kEditor},
      {"DeleteExchange", Role::kEditor},
      {"GetChannel", Role::kReader},
      {"ListChannels", Role::kReader},
      {"CreateChannel", Role::kEditor},
      {"BatchCreateChannels", Role::kEditor},
      {"UpdateChannel", Role::kEditor},
      {"DeleteChannel", Role::kEditor},
      {"GetChannelStatus", Role::kReader},
      {"ListChannelStatuses", Role::kReader},
      {"CreateChannelStatus", Role::kEditor},
      {"BatchCreateChannelStatuses", Role::kEditor},
      {"UpdateChannelStatus", Role::kEditor},
      {"DeleteChannelStatus", Role::kEditor},
      {"SummarizeAgreement", Role::kReader},
      {"SummarizeExchanges", Role::kReader},
      {"ListRevisions", Role::kReader},
      {"ListChanges", Role::kReader},
      {"WatchChanges", Role::kReader},
      {"GetRound", Role::kReader},
      {"ListRounds", Role::kReader},
      {"CreateRound", Role::kEditor},
      {"BatchCreateRounds", Role::kEditor},
      {"UpdateRound", Role::kEditor},
      {"DeleteRound", Role::kEditor},
      {"GetPosition", Role::kReader},
      {"ListPositions", Role::kReader},
      {"CreatePosition", Role::kEditor},
      {"BatchCreatePositions", Role::kEditor},
      {"UpdatePosition", Role::kEditor},
      {"DeletePosition", Role::kEditor},
      {"ReportPosition", Role::kEditor},
      {"GetStatement", Role::kReader},
      {"ListStatements", Role::kReader},
      {"SummarizeStatements", Role::kReader},
      {"CreateStatement", Role::kEditor},
      {"BatchCreateStatements", Role::kEditor},
      {"UpdateStatement", Role::kEditor},
      {"DeleteStatement", Role::kEditor},
      {"GetIncident", Role::kReader},
      {"ListIncidents", Role::kReader},
      {"CreateIncident", Role::kEditor},
      {"BatchCreateIncidents", Role::kEditor},
      {"BatchUpdateIncidents", Role::kEditor},
      {"UpdateIncident", Role::kEditor},
      {"DeleteIncident", Role::kEditor},
      {"SummarizeIncidents", Role::kReader},
      {"GetAgreementProgress", Role::kReader},
      {"ListStalledChannels", Role::kReader},
      {"GetTalksContext", Role::kReader},
      {"GetSummary", Role::kReader},
      {"CreateBackup", Role::kAdmin},
      {"ListBackups", Role::kAdmin},
  };
  for (const char* name :
       {kExchangesService, kNegotiationsService, kIncidentsService,
        "parley.reports.v1.ReportService", "parley.admin.v1.AdminService"}) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = service->method(i)->name();
      auto it = expected.find(method);
      ASSERT_NE(it, expected.end())
          << name << "/" << method << ": which role may call it? Add it here.";
      EXPECT_EQ(RequiredRole(name, method), it->second)
          << name << "/" << method;
    }
  }
}

TEST(ForwardsHeaderTest, OnlyWhatTheServiceMayHear) {
  EXPECT_TRUE(ForwardsHeader("x-trace-id", "trace-42"));
  EXPECT_TRUE(ForwardsHeader("traceparent", "00-abc-def-01"));
  EXPECT_TRUE(ForwardsHeader("x-blob-bin", std::string("\0\xff", 2)));
  EXPECT_FALSE(ForwardsHeader("authorization", "Bearer user-token"));
  EXPECT_FALSE(ForwardsHeader("x-parley-caller", "someone-else"));
  EXPECT_FALSE(ForwardsHeader("x-parley-anything", "x"));
  EXPECT_FALSE(ForwardsHeader("x-note", "caf\xc3\xa9"));
  EXPECT_FALSE(ForwardsHeader("x-note", "line\nbreak"));
  EXPECT_FALSE(ForwardsHeader(":path", "/x"));
  EXPECT_FALSE(ForwardsHeader("grpc-timeout", "1S"));
}

// Deployed: the services demand the credential, the gateway presents it.
class ServiceCredentialTest : public GatewayTest {
 protected:
  ServiceCredentialTest() : GatewayTest("svc-secret-1") {}
};

TEST_F(ServiceCredentialTest, EverythingWorksThroughTheGateway) {
  LoadSeedWeek();  // creates through the proxy
  rp::GetAgreementProgressRequest progress;
  progress.set_agreement(kIstanbul);
  progress.set_as_of("2026-02-01");
  rp::GetAgreementProgressResponse report;
  ASSERT_TRUE(
      Call(*gw_.reports, &RpStub::GetAgreementProgress, progress, &report)
          .ok());
  EXPECT_EQ(report.missing_size(), 0);
  rp::GetSummaryRequest summary;
  summary.set_span("2026-W05");
  summary.set_as_of("2026-02-01");
  rp::GetSummaryResponse summarized;
  ASSERT_TRUE(
      Call(*gw_.reports, &RpStub::GetSummary, summary, &summarized).ok());
  EXPECT_EQ(summarized.missing_size(), 0);
}

TEST_F(ServiceCredentialTest, ServicesRefuseCallsThatBypassTheGateway) {
  // A user's own token, or none, straight to a service: refused.
  for (const std::string& caller : {std::string(kAdminCaller), std::string()}) {
    ex::Agreement created;
    const grpc::Status status =
        Call(*direct_.exchanges, &ExStub::CreateAgreement, CreateIstanbul(),
             &created, {.caller = caller});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << StatusText(status);
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr("gateway"));
  }
  // Nothing was stored: the gateway (which has the credential) lists none.
  ex::ListAgreementsRequest list;
  ex::ListAgreementsResponse listed;
  ASSERT_TRUE(
      Call(*gw_.exchanges, &ExStub::ListAgreements, list, &listed).ok());
  EXPECT_EQ(listed.agreements_size(), 0);
}

TEST(GatewayCredentialTest, WrongCredentialLeavesReportSectionsMissing) {
  ExchangesServer exchanges("right");
  NegotiationsServer negotiations("right");
  IncidentsServer incidents("right");
  GatewayServer gateway(exchanges.channel(), negotiations.channel(),
                        incidents.channel(), absl::Seconds(5), "wrong");
  Clients gw(gateway.channel());
  rp::GetSummaryRequest summary;
  summary.set_span("2026-W05");
  summary.set_as_of("2026-02-01");
  rp::GetSummaryResponse report;
  ASSERT_TRUE(Call(*gw.reports, &RpStub::GetSummary, summary, &report).ok());
  ASSERT_GT(report.missing_size(), 0);
  for (const auto& missing : report.missing()) {
    EXPECT_THAT(missing.reason(), ::testing::HasSubstr("UNAUTHENTICATED"));
  }
}

}  // namespace
}  // namespace parley::gateway_test
