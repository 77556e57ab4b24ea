// Test base for a domain service served in-process on a fresh store
// (tests/lib/in_process_server.h), reached through its generated stub: the
// calls every service's integration tests make.
#ifndef PARLEY_TESTS_LIB_SERVICE_TEST_H_
#define PARLEY_TESTS_LIB_SERVICE_TEST_H_

#include <chrono>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "common/api/grpc_status.h"
#include "common/base/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "parley/common/v1/revision.pb.h"
#include "tests/lib/in_process_server.h"
#include "tests/lib/status_matchers.h"

namespace parley::testing {

// How many pages a List walk follows at most.
inline constexpr int kMaxPages = 200;

// One unary call on `stub`, with a 30 s deadline; `caller` becomes
// "x-parley-caller" metadata if not empty.
template <typename Stub, typename Req, typename Resp>
absl::Status CallStub(Stub& stub,
                      grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                   const Req&, Resp*),
                      const Req& request, Resp* response,
                      const std::string& caller = "") {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  if (!caller.empty()) context.AddMetadata("x-parley-caller", caller);
  return FromGrpcStatus((stub.*method)(&context, request, response));
}

// One server on a fresh store per test, and a stub on it.
template <typename Domain, typename Edge, typename Service>
class ServiceTest : public ::testing::Test {
 protected:
  using Stub = typename Service::Stub;
  template <typename Req, typename Resp>
  using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Req&,
                                        Resp*);

  void SetUp() override { stub_ = Service::NewStub(server_.channel()); }

  // Stops and starts the server on the same data, as a restart would.
  void Restart() {
    stub_.reset();
    server_.Restart();
    stub_ = Service::NewStub(server_.channel());
  }

  template <typename Req, typename Resp>
  absl::Status Call(Method<Req, Resp> method, const Req& request,
                    Resp* response, const std::string& caller = "") {
    return CallStub(*stub_, method, request, response, caller);
  }

  // A call that must succeed (the test fails if it does not); its reply.
  template <typename Req, typename Resp>
  Resp CallOk(Method<Req, Resp> method, const Req& request,
              const std::string& caller = "") {
    Resp out;
    const absl::Status s = Call(method, request, &out, caller);
    EXPECT_TRUE(s.ok()) << Req::descriptor()->name() << " "
                        << request.ShortDebugString() << ": " << s;
    return out;
  }

  // Get `name` through `method`, as of `read_time` if given.
  template <typename Req, typename Resp>
  absl::Status GetRecord(Method<Req, Resp> method, const std::string& name,
                         Resp* out,
                         const google::protobuf::Timestamp* read_time) {
    Req req;
    req.set_name(name);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return Call(method, req, out);
  }

  // Every name a List returns, following next_page_token to the end;
  // `page_sizes`, if given, gets the size of each page.
  template <typename Req, typename Resp, typename Records>
  std::vector<std::string> ListNames(Method<Req, Resp> method, Req req,
                                     Records (Resp::*records)() const,
                                     std::vector<int>* page_sizes = nullptr) {
    std::vector<std::string> names;
    for (int pages = 0; pages < kMaxPages; ++pages) {
      Resp resp;
      const absl::Status s = Call(method, req, &resp);
      EXPECT_TRUE(s.ok()) << req.ShortDebugString() << ": " << s;
      if (!s.ok()) break;
      if (page_sizes != nullptr)
        page_sizes->push_back((resp.*records)().size());
      for (const auto& r : (resp.*records)())
        names.push_back(r.metadata().name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }

  // Each filter, alone on a List request, is refused as INVALID_ARGUMENT
  // naming exactly its field.
  template <typename Req, typename Resp>
  void ExpectFiltersRefused(
      Method<Req, Resp> method,
      const std::vector<BadFilter<std::type_identity_t<Req>>>& filters) {
    for (const auto& [fill, field] : filters) {
      SCOPED_TRACE(field);
      Req req;
      fill(req);
      Resp resp;
      const absl::Status s = Call(method, req, &resp);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
          << field << ": " << s;
      EXPECT_THAT(ViolationFields(s), ::testing::ElementsAre(field));
    }
  }

  // The history of `name`, oldest first (one page).
  std::vector<::parley::common::v1::Revision> Revisions(
      const std::string& name) {
    return RevisionsVia(&Stub::ListRevisions, name);
  }

  InProcessServer<Domain, Edge> server_;
  std::unique_ptr<Stub> stub_;

 private:
  template <typename Req, typename Resp>
  std::vector<::parley::common::v1::Revision> RevisionsVia(
      Method<Req, Resp> method, const std::string& name) {
    Req req;
    req.set_name(name);
    Resp resp;
    const absl::Status s = Call(method, req, &resp);
    EXPECT_TRUE(s.ok()) << name << ": " << s;
    return {resp.revisions().begin(), resp.revisions().end()};
  }
};

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_SERVICE_TEST_H_
