// The gateway's channels to the domain services count every failed call in
// parley_gateway_upstream_errors_total{service,code}: forwarded calls (the
// generic stub the proxy uses) and report calls (the typed stubs) alike,
// each under the service it went to.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/server/metrics.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/gateway/upstreams.h"
#include "tests/lib/metrics_text.h"
#include "tests/lib/raw_call.h"

namespace parley::gateway {
namespace {

using ::parley::testing::SampleValue;

// A loopback address nothing listens on: bound, then released.
std::string ClosedAddress() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return absl::StrCat("127.0.0.1:", ntohs(addr.sin_port));
}

// The process's count of failed calls to `service` with `code` (the
// gateway's channels feed Metrics::Default()).
double Errors(const std::string& service, const std::string& code) {
  return SampleValue(Metrics::Default().Text(),
                     "parley_gateway_upstream_errors_total",
                     {{"service", service}, {"code", code}})
      .value_or(0);
}

std::unique_ptr<grpc::ClientContext> ShortContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(5));
  return context;
}

// As the proxy forwards: raw bytes through the generic stub.
grpc::Status Forward(Upstream& upstream, const std::string& method) {
  auto context = ShortContext();
  return ::parley::testing::CallBytes(*upstream.generic, context.get(), method,
                                      "");
}

TEST(UpstreamErrorsTest, FailedCallsToEachServiceAreCounted) {
  UpstreamOptions options;
  options.exchanges_address = ClosedAddress();
  options.negotiations_address = ClosedAddress();
  options.incidents_address = ClosedAddress();
  Upstreams upstreams(options);
  const double exchanges0 = Errors("exchanges", "UNAVAILABLE");
  const double negotiations0 = Errors("negotiations", "UNAVAILABLE");
  const double incidents0 = Errors("incidents", "UNAVAILABLE");

  EXPECT_EQ(Forward(upstreams.exchanges(),
                    "/parley.exchanges.v1.ExchangesService/GetAgreement")
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  exchanges::v1::ListExchangesRequest list;
  exchanges::v1::ListExchangesResponse listed;
  EXPECT_EQ(upstreams.exchanges_stub()
                .ListExchanges(ShortContext().get(), list, &listed)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  incidents::v1::SummarizeIncidentsRequest summarize;
  incidents::v1::SummarizeIncidentsResponse summary;
  EXPECT_EQ(upstreams.incidents_stub()
                .SummarizeIncidents(ShortContext().get(), summarize, &summary)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);

  EXPECT_EQ(Errors("exchanges", "UNAVAILABLE") - exchanges0, 2);
  EXPECT_EQ(Errors("incidents", "UNAVAILABLE") - incidents0, 1);
  EXPECT_EQ(Errors("negotiations", "UNAVAILABLE") - negotiations0, 0);
}

}  // namespace
}  // namespace parley::gateway
