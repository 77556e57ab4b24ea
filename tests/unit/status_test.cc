#include "common/status.h"

#include "gmock/gmock.h"
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

}  // namespace
}  // namespace parley
