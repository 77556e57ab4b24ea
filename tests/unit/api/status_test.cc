#include "common/base/status.h"

#include "absl/strings/str_cat.h"
#include "common/api/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/stubs/common.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  ASSIGN_OR_RETURN(int half, Half(n));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n) {
  RETURN_IF_ERROR(Half(n).status());
  return absl::OkStatus();
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

TEST(StatusTest, ViolationsBecomeBadRequestOnTheWire) {
  FieldViolations v;
  EXPECT_TRUE(v.ToStatus().ok());
  v.Add("exchange.occurred", "malformed");
  v.Add("exchange.sources", "required");
  grpc::Status wire = ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(wire.error_message(), ::testing::HasSubstr("exchange.occurred"));

  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "exchange.sources");

  // And back, as a client sees it.
  google::rpc::BadRequest round_trip;
  ASSERT_TRUE(GetBadRequest(FromGrpcStatus(wire), &round_trip));
  EXPECT_EQ(round_trip.field_violations(0).field(), "exchange.occurred");
}

TEST(StatusTest, CodesMapOneToOne) {
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("stale")).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("x")).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(ToGrpcStatus(absl::NotFoundError("x")).error_details().empty());
}

// An error goes back in HTTP/2 trailers, which clients refuse past 8 KiB:
// however many fields are bad, or however long what a message quotes, the
// wire form stays small, names the first fields and says how many more.
TEST(StatusTest, ErrorsStaySmallEnoughForTrailers) {
  FieldViolations v;
  for (int i = 0; i < 10000; ++i) {
    v.Add(absl::StrCat("parties[", i, "]"),
          "\"XX\" is not an ISO 3166-1 alpha-2 country code");
  }
  const grpc::Status wire = ToGrpcStatus(v.ToStatus());
  EXPECT_LE(wire.error_message().size() + wire.error_details().size(), 6000u);
  EXPECT_THAT(wire.error_message(), ::testing::HasSubstr("parties[0]: "));
  EXPECT_THAT(wire.error_message(), ::testing::HasSubstr("more"));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_GT(bad.field_violations_size(), 10);
  EXPECT_EQ(bad.field_violations(0).field(), "parties[0]");

  const grpc::Status quoted = ToGrpcStatus(absl::AbortedError(
      absl::StrCat("etag \"", std::string(1 << 20, 'e'), "\" is stale")));
  EXPECT_LE(quoted.error_message().size(), 2100u);
  EXPECT_THAT(quoted.error_message(), ::testing::StartsWith("etag \"eee"));

  // A cut never splits a UTF-8 sequence.
  std::string cyrillic_text(2047, 'x');
  for (int i = 0; i < 100; ++i) cyrillic_text += "ж";
  const std::string cut =
      ToGrpcStatus(absl::NotFoundError(cyrillic_text)).error_message();
  EXPECT_LE(cut.size(), 2100u);
  EXPECT_TRUE(google::protobuf::internal::IsStructurallyValidUTF8(
      cut.data(), static_cast<int>(cut.size())));
}

}  // namespace
}  // namespace parley
