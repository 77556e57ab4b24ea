// Metrics of a real gRPC server in-process (the exchanges service on a real
// store, with the call log interceptor the services run): calls counted by
// method and code as they reach the client, timed, and logged without the
// caller's credentials.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/server/call_log.h"
#include "common/server/metrics.h"
#include "common/service/domain_service.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "parley/exchanges/v1/exchanges_service.grpc.pb.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/service.h"
#include "tests/lib/domain_stack.h"
#include "tests/lib/exchanges_records.h"
#include "tests/lib/metrics_text.h"
#include "tests/lib/raw_call.h"
#include "tests/lib/temp_store.h"

namespace parley {
namespace {

namespace v1 = ::parley::exchanges::v1;
using ::parley::testing::SampleValue;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr char kSecret[] = "s3cret-token-never-logged";
constexpr char kCreate[] =
    "/parley.exchanges.v1.ExchangesService/CreateAgreement";
constexpr char kGet[] = "/parley.exchanges.v1.ExchangesService/GetAgreement";
constexpr char kList[] = "/parley.exchanges.v1.ExchangesService/ListAgreements";

constexpr char kService[] = "parley.exchanges.v1.ExchangesService";

// Where calls are recorded: by the interceptor (a host with no service
// name), or, as the services run, by the host itself with the interceptor
// told to leave the service alone. Either way each call counts once.
enum class RecordedBy { kInterceptor, kHost };

class MetricsIntegrationTest : public ::testing::TestWithParam<RecordedBy> {
 protected:
  void SetUp() override {
    const bool by_host = GetParam() == RecordedBy::kHost;
    const absl::Status opened = stack_.Open(
        dir_.path() + "/db", 4, "", kService, by_host ? &metrics_ : nullptr);
    ASSERT_TRUE(opened.ok()) << opened;
    grpc::ServerBuilder builder;
    builder.RegisterService(stack_.edge());
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    // As the domain services run it, or told to leave the service alone.
    interceptors.push_back(NewCallLogInterceptorFactory(
        &metrics_, nullptr,
        by_host ? std::vector<std::string>{kService} : DomainLoggedServices()));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::ExchangesService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    stub_.reset();
    server_->Shutdown();
    server_->Wait();
    stack_.Close(&server_);
  }

  // A client context carrying a bearer token, as the gateway sends one.
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
    context->AddMetadata("authorization", std::string("Bearer ") + kSecret);
    context->AddMetadata("x-parley-caller", "analyst@example.org");
    return context;
  }

  double Calls(const std::string& method, const std::string& code) {
    return SampleValue(metrics_.Text(), "parley_rpc_calls_total",
                       {{"method", method}, {"code", code}})
        .value_or(0);
  }

  testing::TempDir dir_;
  testing::DomainStack<exchanges::Exchanges, exchanges::ExchangesServiceImpl>
      stack_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::ExchangesService::Stub> stub_;
  Metrics metrics_;
};

TEST_P(MetricsIntegrationTest, CallsAreCountedByMethodAndCode) {
  ::testing::internal::CaptureStdout();
  v1::CreateAgreementRequest create;
  create.set_agreement_id("istanbul-2025");
  *create.mutable_agreement() = testing::Istanbul();
  v1::Agreement agreement;
  ASSERT_TRUE(stub_->CreateAgreement(Context().get(), create, &agreement).ok());

  v1::GetAgreementRequest get;
  get.set_name(testing::kIstanbul);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(stub_->GetAgreement(Context().get(), get, &agreement).ok());
  get.set_name("agreements/no-such-agreement");
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(
        stub_->GetAgreement(Context().get(), get, &agreement).error_code(),
        grpc::StatusCode::NOT_FOUND);
  }
  get.set_name("not a name");
  EXPECT_EQ(stub_->GetAgreement(Context().get(), get, &agreement).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListAgreementsRequest list;
  v1::ListAgreementsResponse listed;
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), list, &listed).ok());
  const std::string log = ::testing::internal::GetCapturedStdout();

  // Recorded before the status is sent, so already there for the client.
  EXPECT_EQ(Calls(kCreate, "OK"), 1);
  EXPECT_EQ(Calls(kGet, "OK"), 3);
  EXPECT_EQ(Calls(kGet, "NOT_FOUND"), 2);
  EXPECT_EQ(Calls(kGet, "INVALID_ARGUMENT"), 1);
  EXPECT_EQ(Calls(kList, "OK"), 1);
  EXPECT_EQ(Calls(kList, "NOT_FOUND"), 0);
  const std::string text = metrics_.Text();
  EXPECT_THAT(
      SampleValue(text, "parley_rpc_latency_seconds_count", {{"method", kGet}}),
      Optional(6.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_bucket",
                          {{"method", kGet}, {"le", "+Inf"}}),
              Optional(6.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_sum",
                          {{"method", kCreate}}),
              Optional(::testing::Gt(0.0)));

  // One JSON line per call, with the caller but never the credential.
  int get_lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, absl::StrCat("\"", kGet, "\""))) ++get_lines;
  }
  EXPECT_EQ(get_lines, 6) << log;
  EXPECT_THAT(log, HasSubstr("NOT_FOUND"));
  EXPECT_THAT(log, HasSubstr("analyst@example.org"));
  EXPECT_THAT(log, Not(HasSubstr(kSecret)));
}

// gRPC answers a typed method's unreadable request itself (UNIMPLEMENTED),
// before any handler: only the interceptor sees the call, which is why the
// domain services, whose methods are typed, keep it (ServiceParts).
TEST_P(MetricsIntegrationTest, UnreadableRequestsToTypedMethodsAreRecorded) {
  if (GetParam() == RecordedBy::kHost) {
    GTEST_SKIP() << "a host of typed methods never sees an unreadable request";
  }
  grpc::GenericStub generic(
      server_->InProcessChannel(grpc::ChannelArguments()));
  // Field 1 (name) said to be 5 bytes long, cut off after one.
  const std::string bytes = {0x0a, 0x05, 'a'};
  ::testing::internal::CaptureStdout();
  const std::unique_ptr<grpc::ClientContext> context = Context();
  const grpc::Status status =
      ::parley::testing::CallBytes(generic, context.get(), kGet, bytes);
  const std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(Calls("unimplemented", "UNIMPLEMENTED"), 1);
  EXPECT_THAT(log, HasSubstr(kGet));
}

INSTANTIATE_TEST_SUITE_P(Recorders, MetricsIntegrationTest,
                         ::testing::Values(RecordedBy::kInterceptor,
                                           RecordedBy::kHost),
                         [](const ::testing::TestParamInfo<RecordedBy>& info) {
                           return info.param == RecordedBy::kHost
                                      ? "ByHost"
                                      : "ByInterceptor";
                         });

}  // namespace
}  // namespace parley
