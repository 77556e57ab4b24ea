// Metrics: call counts and latencies by method and code, the gateway's
// upstream errors, and the /metrics endpoint itself.
#include "common/server/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/lib/metrics_text.h"

namespace parley {
namespace {

using ::parley::testing::SampleValue;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr char kGet[] = "/parley.exchanges.v1.ExchangesService/GetAgreement";
constexpr char kList[] = "/parley.exchanges.v1.ExchangesService/ListAgreements";

// A second suite on other ports gets metrics ports of its own.
TEST(MetricsTest, DefaultAddressFollowsTheListenPort) {
  EXPECT_EQ(DefaultMetricsAddress("127.0.0.1:50061"), "127.0.0.1:51061");
  EXPECT_EQ(DefaultMetricsAddress("0.0.0.0:53061"), "127.0.0.1:54061");
  EXPECT_EQ(DefaultMetricsAddress("[::1]:40000"), "127.0.0.1:41000");
  // No port to follow, or none to add 1000 to: a free one.
  EXPECT_EQ(DefaultMetricsAddress("127.0.0.1:0"), "127.0.0.1:0");
  EXPECT_EQ(DefaultMetricsAddress("127.0.0.1:65000"), "127.0.0.1:0");
  EXPECT_EQ(DefaultMetricsAddress("unix:/run/parley.sock"), "127.0.0.1:0");
}

TEST(MetricsTest, CountsCallsByMethodAndCode) {
  Metrics m;
  m.RecordCall(kGet, grpc::StatusCode::OK, absl::Milliseconds(2));
  m.RecordCall(kGet, grpc::StatusCode::OK, absl::Milliseconds(3));
  m.RecordCall(kGet, grpc::StatusCode::NOT_FOUND, absl::Milliseconds(1));
  m.RecordCall(kList, grpc::StatusCode::OK, absl::Seconds(20));
  const std::string text = m.Text();
  EXPECT_THAT(text, HasSubstr("# TYPE parley_rpc_calls_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE parley_rpc_latency_seconds histogram"));
  EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                          {{"method", kGet}, {"code", "OK"}}),
              Optional(2.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                          {{"method", kGet}, {"code", "NOT_FOUND"}}),
              Optional(1.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                          {{"method", kList}, {"code", "OK"}}),
              Optional(1.0));
  EXPECT_EQ(SampleValue(text, "parley_rpc_calls_total",
                        {{"method", kList}, {"code", "NOT_FOUND"}}),
            std::nullopt);

  EXPECT_THAT(
      SampleValue(text, "parley_rpc_latency_seconds_count", {{"method", kGet}}),
      Optional(3.0));
  EXPECT_THAT(
      SampleValue(text, "parley_rpc_latency_seconds_sum", {{"method", kGet}}),
      Optional(::testing::DoubleNear(0.006, 1e-9)));
  // Buckets from half a millisecond to ten seconds: 1 ms falls in le=0.001,
  // 2 ms and 3 ms in le=0.005; 20 s only in +Inf.
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_bucket",
                          {{"method", kGet}, {"le", "0.0005"}}),
              Optional(0.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_bucket",
                          {{"method", kGet}, {"le", "0.001"}}),
              Optional(1.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_bucket",
                          {{"method", kGet}, {"le", "0.005"}}),
              Optional(3.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_bucket",
                          {{"method", kList}, {"le", "10"}}),
              Optional(0.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_bucket",
                          {{"method", kList}, {"le", "+Inf"}}),
              Optional(1.0));
}

TEST(MetricsTest, ConcurrentCallsAreAllCounted) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 1000; ++i) {
        // Every thread races to create the same series on first use.
        m.RecordCall(
            i % 2 == 0 ? kGet : kList,
            t % 2 == 0 ? grpc::StatusCode::OK : grpc::StatusCode::UNAVAILABLE,
            absl::Microseconds(100));
      }
    });
  }
  for (auto& t : threads) t.join();
  const std::string text = m.Text();
  for (const char* method : {kGet, kList}) {
    for (const char* code : {"OK", "UNAVAILABLE"}) {
      EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                              {{"method", method}, {"code", code}}),
                  Optional(2000.0))
          << method << " " << code;
    }
    EXPECT_THAT(SampleValue(text, "parley_rpc_latency_seconds_count",
                            {{"method", method}}),
                Optional(4000.0));
  }
}

TEST(MetricsTest, InventedMethodNamesShareOneSeriesPastTheLimit) {
  Metrics m;
  for (int i = 0; i < 600; ++i) {
    m.RecordCall(absl::StrCat("/x.Y/M", i), grpc::StatusCode::UNIMPLEMENTED,
                 absl::Milliseconds(1));
  }
  const std::string text = m.Text();
  EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                          {{"method", "/x.Y/M0"}, {"code", "UNIMPLEMENTED"}}),
              Optional(1.0));
  EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                          {{"method", "/x.Y/M599"}, {"code", "UNIMPLEMENTED"}}),
              std::nullopt);
  EXPECT_THAT(SampleValue(text, "parley_rpc_calls_total",
                          {{"method", "other"}, {"code", "UNIMPLEMENTED"}}),
              Optional(100.0));
}

TEST(MetricsTest, UpstreamErrorsByServiceAndCode) {
  Metrics m;
  // No family without a sample: the domain services never show this one.
  EXPECT_THAT(m.Text(), Not(HasSubstr("parley_gateway_upstream_errors_total")));
  m.RecordUpstreamError("incidents", grpc::StatusCode::UNAVAILABLE);
  m.RecordUpstreamError("incidents", grpc::StatusCode::UNAVAILABLE);
  m.RecordUpstreamError("exchanges", grpc::StatusCode::DEADLINE_EXCEEDED);
  const std::string text = m.Text();
  EXPECT_THAT(SampleValue(text, "parley_gateway_upstream_errors_total",
                          {{"service", "incidents"}, {"code", "UNAVAILABLE"}}),
              Optional(2.0));
  EXPECT_THAT(
      SampleValue(text, "parley_gateway_upstream_errors_total",
                  {{"service", "exchanges"}, {"code", "DEADLINE_EXCEEDED"}}),
      Optional(1.0));
}

// A port nothing listens on: bound, then released.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(MetricsTest, FailedCallsOnAnInterceptedChannelAreUpstreamErrors) {
  Metrics m;
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewUpstreamErrorInterceptorFactory("exchanges", &m));
  auto channel = grpc::experimental::CreateCustomChannelWithInterceptors(
      absl::StrCat("127.0.0.1:", ClosedPort()),
      grpc::InsecureChannelCredentials(), grpc::ChannelArguments(),
      std::move(interceptors));
  grpc::GenericStub stub(channel);
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(&context, kGet, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     std::lock_guard<std::mutex> lock(mu);
                     status = s;
                     done = true;
                     done_cv.notify_one();
                   });
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done; });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_THAT(SampleValue(m.Text(), "parley_gateway_upstream_errors_total",
                          {{"service", "exchanges"}, {"code", "UNAVAILABLE"}}),
              Optional(2.0));
}

// GET `path` from 127.0.0.1:`port`, HTTP/1.0: the whole response, or "" if
// the connection fails.
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  close(fd);
  return response;
}

TEST(MetricsTest, ServesTextOnAnEphemeralPort) {
  Metrics m;
  m.RecordCall(kGet, grpc::StatusCode::INVALID_ARGUMENT, absl::Milliseconds(1));
  absl::StatusOr<int> port = m.Serve("127.0.0.1:0");
  ASSERT_TRUE(port.ok()) << port.status();
  ASSERT_GT(*port, 0);
  const std::string response = HttpGet(*port, "/metrics");
  EXPECT_THAT(response, HasSubstr("200 OK"));
  const std::string body = response.substr(response.find("\r\n\r\n") + 4);
  EXPECT_THAT(SampleValue(body, "parley_rpc_calls_total",
                          {{"method", kGet}, {"code", "INVALID_ARGUMENT"}}),
              Optional(1.0));

  // Serving twice is a mistake; a second process on the same port fails.
  EXPECT_EQ(m.Serve("127.0.0.1:0").status().code(),
            absl::StatusCode::kFailedPrecondition);
  Metrics other;
  absl::StatusOr<int> taken = other.Serve(absl::StrCat("127.0.0.1:", *port));
  EXPECT_FALSE(taken.ok());
  EXPECT_THAT(taken.status().message(), HasSubstr("cannot listen"));
}

}  // namespace
}  // namespace parley
