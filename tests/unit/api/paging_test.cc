#include "common/api/paging.h"

#include "gtest/gtest.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"

namespace parley {
namespace {

using exchanges::v1::ListExchangesRequest;

TEST(PagingTest, TokenRoundTrips) {
  api::v1::PageToken token;
  token.set_query_fingerprint(42);
  token.set_plan(2);
  token.set_last_key(std::string("a\0b", 3));
  auto decoded = DecodePageToken(EncodePageToken(token), 42);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->last_key(), std::string("a\0b", 3));
  EXPECT_EQ(decoded->plan(), 2u);
}

TEST(PagingTest, TokenFromAnotherQueryIsRefused) {
  api::v1::PageToken token;
  token.set_query_fingerprint(42);
  auto decoded = DecodePageToken(EncodePageToken(token), 43);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(decoded.status().message().find("page_token"), std::string::npos);
}

TEST(PagingTest, GarbageIsRefused) {
  for (const char* bad : {"!!!", "not base64 at all", "AAAA"}) {
    EXPECT_EQ(DecodePageToken(bad, 0).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(PagingTest, FingerprintIgnoresPagingFieldsOnly) {
  ListExchangesRequest a;
  a.set_span("2026-W05");
  ListExchangesRequest b = a;
  b.set_page_size(7);
  b.set_page_token("x");
  EXPECT_EQ(QueryFingerprint(a), QueryFingerprint(b));
  b.set_party("UA");
  EXPECT_NE(QueryFingerprint(a), QueryFingerprint(b));
}

}  // namespace
}  // namespace parley
