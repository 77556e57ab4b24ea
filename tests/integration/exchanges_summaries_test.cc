// SummarizeExchanges on the seed week: exchanges per kind and people moved
// per category and direction, from the rollups, kept right through updates
// and deletes.
#include <tuple>

#include "tests/integration/exchanges_fixture.h"

namespace parley::exchanges {
namespace {

using ::parley::testing::ExpectAtLeast;

class ExchangesSummaryTest : public ExchangesIntegrationTest {
 protected:
  SummarizeExchangesResponse Summarize(const std::string& span) {
    SummarizeExchangesRequest req;
    req.set_span(span);
    return CallOk(&Stub::SummarizeExchanges, req);
  }
};

// The totals of one category and direction, or fails the test.
const SummarizeExchangesResponse::TransferTotals* Direction(
    const SummarizeExchangesResponse& r, Category category,
    const std::string& from, const std::string& to) {
  for (const auto& t : r.transfers()) {
    if (t.category() == category && t.from_party() == from &&
        t.to_party() == to) {
      return &t;
    }
  }
  ADD_FAILURE() << "no " << Category_Name(category) << " " << from << ">" << to
                << " in " << r.ShortDebugString();
  return nullptr;
}

TEST_F(ExchangesSummaryTest, SummarizeTheSeedWeek) {
  SeedWeek();
  // 2026-W05: the repatriation of 1000 bodies for 38.
  const auto week = Summarize("2026-W05");
  ExpectSpan(week.span(), "2026-W05", DateSpan::PRECISION_WEEK, "2026-01-26",
             "2026-02-01");
  EXPECT_EQ(week.exchanges(), 1);
  ASSERT_EQ(week.kinds_size(), 1);
  EXPECT_EQ(week.kinds(0).kind(), EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  EXPECT_EQ(week.kinds(0).exchanges(), 1);
  ExpectExact(week.kinds(0).transferred(), 1038);
  ASSERT_EQ(week.transfers_size(), 2);
  const auto* returned = Direction(week, CATEGORY_REMAINS, "RU", "UA");
  ASSERT_NE(returned, nullptr);
  ExpectExact(returned->transferred(), 1000);
  EXPECT_EQ(returned->transfers(), 1);
  const auto* received = Direction(week, CATEGORY_REMAINS, "UA", "RU");
  ASSERT_NE(received, nullptr);
  ExpectExact(received->transferred(), 38);

  // Both repatriations from November to the first of February; neither in
  // December.
  const auto winter = Summarize("2025-11/2026-02-01");
  EXPECT_EQ(winter.exchanges(), 2);
  EXPECT_EQ(winter.partly_in(), 0);
  ExpectExact(Direction(winter, CATEGORY_REMAINS, "RU", "UA")->transferred(),
              2000);
  ExpectExact(Direction(winter, CATEGORY_REMAINS, "UA", "RU")->transferred(),
              68);
  EXPECT_EQ(Summarize("2025-12").exchanges(), 0);
  EXPECT_EQ(Summarize("2025-12").transfers_size(), 0);
  // Up to the end of January: 2026-W05 (to 1 February) may or may not fall
  // in it, so it is in the upper bounds only.
  const auto to_january = Summarize("2025-11/2026-01");
  EXPECT_EQ(to_january.exchanges(), 1);
  EXPECT_EQ(to_january.partly_in(), 1);
  const auto* returned_by_january =
      Direction(to_january, CATEGORY_REMAINS, "RU", "UA");
  EXPECT_EQ(returned_by_january->transfers(), 1);
  EXPECT_EQ(returned_by_january->partly_in(), 1);
  EXPECT_EQ(returned_by_january->transferred().low(), 1000);
  EXPECT_EQ(returned_by_january->transferred().best(), 1000);
  EXPECT_EQ(returned_by_january->transferred().high(), 2000);
  EXPECT_EQ(returned_by_january->transferred().qualifier(),
            Estimate::QUALIFIER_ABOUT);
  // No day of the week holds it surely: each may.
  for (const char* day : {"2026-01-26", "2026-01-27", "2026-02-01"}) {
    SCOPED_TRACE(day);
    const auto one_day = Summarize(day);
    EXPECT_EQ(one_day.exchanges(), 0);
    EXPECT_EQ(one_day.partly_in(), 1);
    ASSERT_EQ(one_day.kinds_size(), 1);
    EXPECT_EQ(one_day.kinds(0).partly_in(), 1);
    EXPECT_EQ(one_day.kinds(0).transferred().low(), 0);
    EXPECT_EQ(one_day.kinds(0).transferred().high(), 1038);
    EXPECT_EQ(one_day.kinds(0).transferred().qualifier(),
              Estimate::QUALIFIER_AT_MOST);
  }
  EXPECT_EQ(Summarize("2026-02-02").partly_in(), 0);
}

TEST_F(ExchangesSummaryTest, SummaryFollowsUpdatesAndDeletes) {
  SeedWeek();
  // A figure becomes a range: the total carries it, no longer exact.
  UpdateExchangeRequest update;
  update.mutable_exchange()->mutable_metadata()->set_name(
      "exchanges/remains-2026-w05");
  Exchange patch = Repatriation("2026-W05", 1000, 38, kIstanbul);
  patch.mutable_transfers(1)->mutable_count()->Clear();
  patch.mutable_transfers(1)->mutable_count()->set_low(38);
  patch.mutable_transfers(1)->mutable_count()->set_qualifier(
      Estimate::QUALIFIER_AT_LEAST);
  *update.mutable_exchange()->mutable_transfers() = patch.transfers();
  *update.mutable_update_mask() = Mask({"transfers"});
  CallOk(&Stub::UpdateExchange, update);
  auto week = Summarize("2026-W05");
  EXPECT_EQ(week.exchanges(), 1);
  ExpectAtLeast(Direction(week, CATEGORY_REMAINS, "UA", "RU")->transferred(),
                38);
  ExpectAtLeast(week.kinds(0).transferred(), 1038);

  // Moved to another week: gone from this one, counted in that one.
  update.Clear();
  update.mutable_exchange()->mutable_metadata()->set_name(
      "exchanges/remains-2026-w05");
  update.mutable_exchange()->set_occurred("2026-W06");
  *update.mutable_update_mask() = Mask({"occurred"});
  CallOk(&Stub::UpdateExchange, update);
  EXPECT_EQ(Summarize("2026-W05").exchanges(), 0);
  EXPECT_EQ(Summarize("2026-W05").transfers_size(), 0);
  EXPECT_EQ(Summarize("2026-W06").exchanges(), 1);

  // Deleted: nothing left to count.
  DeleteExchangeRequest del;
  del.set_name("exchanges/remains-2026-w05");
  CallOk(&Stub::DeleteExchange, del);
  EXPECT_EQ(Summarize("2026-W06").exchanges(), 0);
  EXPECT_EQ(Summarize("2026-W06").kinds_size(), 0);
  EXPECT_EQ(Summarize("2025-11").exchanges(), 1);
}

TEST_F(ExchangesSummaryTest, SummaryKeysHoldAnyPartyName) {
  // A non-state party's name is free text: characters the key uses itself
  // must not split it.
  Exchange e = Repatriation("2026-W05", 3, 2, "");
  e.mutable_transfers(0)->mutable_to_party()->Clear();
  e.mutable_transfers(0)->mutable_to_party()->set_organization(
      "Committee | for > the Missing");
  CreateExchangeOk(e, "odd-names");
  const auto week = Summarize("2026-W05");
  const auto* odd =
      Direction(week, CATEGORY_REMAINS, "RU", "Committee | for > the Missing");
  ASSERT_NE(odd, nullptr);
  ExpectExact(odd->transferred(), 3);
}

TEST_F(ExchangesSummaryTest, SummarizeRefusesABadSpan) {
  for (const std::string span : {"", "2026-W54", "last week", "2026-13"}) {
    SummarizeExchangesRequest req;
    req.set_span(span);
    SummarizeExchangesResponse resp;
    const absl::Status s = Call(&Stub::SummarizeExchanges, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << span << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("span")) << span;
  }
}

}  // namespace
}  // namespace parley::exchanges
