// Listing: paging over many records, span overlap and every filter.
#include "tests/integration/exchanges_fixture.h"

namespace parley::exchanges {
namespace {

TEST_F(ExchangesIntegrationTest, PagingVisitsEveryRecordOnceInStableOrder) {
  std::set<std::string> created;
  for (int i = 0; i < 23; ++i) {
    // Generated ids: the order is theirs, not the order of creation.
    const Exchange e =
        CreateExchangeOk(Repatriation("2026-W05", 100 + i, i, ""), "");
    EXPECT_THAT(e.metadata().name(),
                ::testing::MatchesRegex("exchanges/[a-z0-9]{12}"));
    created.insert(e.metadata().name());
  }
  ASSERT_EQ(created.size(), 23u);

  const auto walk = [&](const ListExchangesRequest& req,
                        std::vector<int>* page_sizes) {
    return ListNames(&Stub::ListExchanges, req,
                     &ListExchangesResponse::exchanges, page_sizes);
  };

  for (const char* span : {"", "2026"}) {  // primary scan, date scan
    SCOPED_TRACE(absl::StrCat("span \"", span, "\""));
    ListExchangesRequest req;
    req.set_page_size(5);
    req.set_span(span);
    std::vector<int> sizes;
    const std::vector<std::string> paged = walk(req, &sizes);
    EXPECT_THAT(sizes, ElementsAre(5, 5, 5, 5, 3));
    EXPECT_EQ(paged.size(), 23u);
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), created);
    // The same order again, and the same order as one big page.
    std::vector<int> again_sizes;
    EXPECT_EQ(walk(req, &again_sizes), paged);
    ListExchangesResponse one;
    req.set_page_size(100);
    ASSERT_TRUE(Call(&Stub::ListExchanges, req, &one).ok());
    std::vector<std::string> one_page;
    for (const auto& e : one.exchanges())
      one_page.push_back(e.metadata().name());
    EXPECT_EQ(one_page, paged);
    EXPECT_TRUE(one.next_page_token().empty());
  }

  // Through a term index (party), with the page size changed mid-way (the
  // token names the filters, not the page size).
  ListExchangesRequest req;
  req.set_party("UA");
  req.set_page_size(10);
  ListExchangesResponse first;
  ASSERT_TRUE(Call(&Stub::ListExchanges, req, &first).ok());
  ASSERT_EQ(first.exchanges_size(), 10);
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_size(20);
  req.set_page_token(first.next_page_token());
  ListExchangesResponse rest;
  ASSERT_TRUE(Call(&Stub::ListExchanges, req, &rest).ok());
  EXPECT_EQ(rest.exchanges_size(), 13);
  EXPECT_TRUE(rest.next_page_token().empty());
  std::set<std::string> seen;
  for (const auto& e : first.exchanges()) seen.insert(e.metadata().name());
  for (const auto& e : rest.exchanges()) seen.insert(e.metadata().name());
  EXPECT_EQ(seen, created);
}

TEST_F(ExchangesIntegrationTest, PageSizeDefaultsTo50AndIsCappedAt500) {
  // 501 channels: one more than the largest page.
  for (int i = 0; i < 501; ++i) {
    CreateChannelRequest req;
    *req.mutable_channel() = PowChannel();
    req.set_channel_id(absl::StrCat("c", 1000 + i));
    Channel out;
    ASSERT_TRUE(Call(&Stub::CreateChannel, req, &out).ok()) << i;
  }
  ListChannelsRequest req;
  ListChannelsResponse resp;
  req.set_page_size(0);
  ASSERT_TRUE(Call(&Stub::ListChannels, req, &resp).ok());
  EXPECT_EQ(resp.channels_size(), 50);
  EXPECT_FALSE(resp.next_page_token().empty());
  EXPECT_EQ(resp.channels(0).metadata().name(), "channels/c1000");
  EXPECT_EQ(resp.channels(49).metadata().name(), "channels/c1049");

  req.set_page_size(100000);
  resp.Clear();
  ASSERT_TRUE(Call(&Stub::ListChannels, req, &resp).ok());
  EXPECT_EQ(resp.channels_size(), 500);
  ASSERT_FALSE(resp.next_page_token().empty());
  req.set_page_token(resp.next_page_token());
  resp.Clear();
  ASSERT_TRUE(Call(&Stub::ListChannels, req, &resp).ok());
  ASSERT_EQ(resp.channels_size(), 1);
  EXPECT_EQ(resp.channels(0).metadata().name(), "channels/c1500");
  EXPECT_TRUE(resp.next_page_token().empty());
}

TEST_F(ExchangesIntegrationTest, BadPagingIsInvalidArgumentNamingTheField) {
  SeedWeek();
  for (int i = 0; i < 3; ++i) {
    CreateExchangeOk(Repatriation("2025-W30", 10, 10, ""),
                     absl::StrCat("x", i));
  }

  ListExchangesResponse resp;
  ListExchangesRequest negative;
  negative.set_page_size(-1);
  absl::Status s = Call(&Stub::ListExchanges, negative, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_size"));

  // A real token, from a query with other filters.
  ListExchangesRequest first;
  first.set_page_size(2);
  first.set_span("2025");
  ASSERT_TRUE(Call(&Stub::ListExchanges, first, &resp).ok());
  ASSERT_FALSE(resp.next_page_token().empty());
  const std::string token = resp.next_page_token();

  ListExchangesRequest other_span = first;
  other_span.set_span("2026");
  other_span.set_page_token(token);
  s = Call(&Stub::ListExchanges, other_span, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));

  ListExchangesRequest other_plan = first;
  other_plan.set_party("UA");
  other_plan.set_page_token(token);
  s = Call(&Stub::ListExchanges, other_plan, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));

  // A token from another collection's List.
  ListAgreementsRequest agreements;
  agreements.set_page_token(token);
  ListAgreementsResponse agreements_resp;
  s = Call(&Stub::ListAgreements, agreements, &agreements_resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));

  for (const std::string garbage :
       {"garbage", "not a token!!", "AAAA", "%%%"}) {
    ListExchangesRequest req = first;
    req.set_page_token(garbage);
    s = Call(&Stub::ListExchanges, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << garbage << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("page_token")) << garbage;
  }

  // The real token still works with its own query.
  ListExchangesRequest same = first;
  same.set_page_token(token);
  EXPECT_TRUE(Call(&Stub::ListExchanges, same, &resp).ok());
  EXPECT_EQ(resp.exchanges_size(), 2);
}

// ---------------------------------------------------------------------------
// Filters.

TEST_F(ExchangesIntegrationTest, SpanFilterIsOverlap) {
  CreateExchangeOk(Repatriation("2026-W05", 1000, 38, ""), "w05");
  CreateExchangeOk(Repatriation("2025-11", 1000, 30, ""), "nov");
  CreateExchangeOk(Repatriation("2025", 500, 500, ""), "y2025");

  const auto by_span = [&](const std::string& span) {
    ListExchangesRequest req;
    req.set_span(span);
    return ExchangeNames(req);
  };
  EXPECT_THAT(by_span("2026-01-27"), ElementsAre("exchanges/w05"));
  EXPECT_THAT(by_span("2026-01"), ElementsAre("exchanges/w05"));
  EXPECT_THAT(by_span("2026-02"), ElementsAre("exchanges/w05"));  // ends 02-01
  EXPECT_THAT(by_span("2026"), ElementsAre("exchanges/w05"));
  EXPECT_THAT(by_span("2026-W05"), ElementsAre("exchanges/w05"));
  EXPECT_THAT(by_span("2026-01-25"), IsEmpty());
  EXPECT_THAT(by_span("2026-02-02"), IsEmpty());
  EXPECT_THAT(by_span("2025-12"), ElementsAre("exchanges/y2025"));
  EXPECT_THAT(by_span("2025-06"), ElementsAre("exchanges/y2025"));
  EXPECT_THAT(by_span("2025-12-31"), ElementsAre("exchanges/y2025"));
  EXPECT_THAT(by_span("2025-11"),
              UnorderedElementsAre("exchanges/nov", "exchanges/y2025"));
  EXPECT_THAT(by_span("2025-11-30/2026-01-26"),
              UnorderedElementsAre("exchanges/nov", "exchanges/y2025",
                                   "exchanges/w05"));
  EXPECT_THAT(by_span("2024"), IsEmpty());

  for (const char* bad : {"2025-13", "2026-W54", "26-01"}) {
    ListExchangesRequest req;
    req.set_span(bad);
    ListExchangesResponse resp;
    const absl::Status s = Call(&Stub::ListExchanges, req, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(ViolationFields(s), ElementsAre("span")) << bad;
  }
}

TEST_F(ExchangesIntegrationTest, ExchangeFiltersAndCombinations) {
  SeedWeek();  // remains-2026-w05, remains-2025-11 (Istanbul)
  CreateAgreementOk(Istanbul(), "other-agreement");
  // A POW exchange through the channel, mediated by the UAE.
  Exchange pow;
  pow.set_kind(EXCHANGE_KIND_PRISONER_EXCHANGE);
  pow.set_occurred("2025-08-14");
  pow.set_agreement(kIstanbul);
  pow.set_channel(kPowChannel);
  *pow.add_transfers() =
      MakeTransfer("RU", "UA", CATEGORY_PRISONERS_OF_WAR, 84);
  *pow.add_transfers() =
      MakeTransfer("UA", "RU", CATEGORY_WOUNDED_PRISONERS, 84);
  *pow.add_intermediaries() = Country("AE");
  *pow.add_sources() = Reported("Reuters");
  CreateExchangeOk(pow, "pow-2025-08");
  // Children returned through Qatar, under no agreement.
  Exchange kids;
  kids.set_kind(EXCHANGE_KIND_CIVILIAN_RETURN);
  kids.set_occurred("2025-12");
  *kids.add_transfers() = MakeTransfer("RU", "UA", CATEGORY_CHILDREN, 7);
  *kids.add_intermediaries() = Country("QA");
  *kids.add_sources() = Reported("Reuters");
  CreateExchangeOk(kids, "children-2025-12");

  const std::string w05 = "exchanges/remains-2026-w05";
  const std::string nov = "exchanges/remains-2025-11";
  const std::string aug = "exchanges/pow-2025-08";
  const std::string dec = "exchanges/children-2025-12";
  const auto names = [&](auto fill) {
    ListExchangesRequest req;
    fill(req);
    return ExchangeNames(req);
  };

  // Party: giver, receiver or intermediary.
  EXPECT_THAT(names([](auto& r) { r.set_party("UA"); }),
              UnorderedElementsAre(w05, nov, aug, dec));
  EXPECT_THAT(names([](auto& r) { r.set_party("AE"); }), ElementsAre(aug));
  EXPECT_THAT(names([](auto& r) { r.set_party("QA"); }), ElementsAre(dec));
  EXPECT_THAT(names([](auto& r) { r.set_party("US"); }), IsEmpty());
  // Kind.
  EXPECT_THAT(
      names([](auto& r) { r.set_kind(EXCHANGE_KIND_REPATRIATION_OF_REMAINS); }),
      UnorderedElementsAre(w05, nov));
  EXPECT_THAT(
      names([](auto& r) { r.set_kind(EXCHANGE_KIND_PRISONER_EXCHANGE); }),
      ElementsAre(aug));
  EXPECT_THAT(names([](auto& r) { r.set_kind(EXCHANGE_KIND_OTHER); }),
              IsEmpty());
  // Category: any transfer.
  EXPECT_THAT(names([](auto& r) { r.set_category(CATEGORY_REMAINS); }),
              UnorderedElementsAre(w05, nov));
  EXPECT_THAT(
      names([](auto& r) { r.set_category(CATEGORY_WOUNDED_PRISONERS); }),
      ElementsAre(aug));
  EXPECT_THAT(names([](auto& r) { r.set_category(CATEGORY_CHILDREN); }),
              ElementsAre(dec));
  EXPECT_THAT(names([](auto& r) { r.set_category(CATEGORY_CIVILIANS); }),
              IsEmpty());
  // Agreement and channel.
  EXPECT_THAT(names([](auto& r) { r.set_agreement(kIstanbul); }),
              UnorderedElementsAre(w05, nov, aug));
  EXPECT_THAT(
      names([](auto& r) { r.set_agreement("agreements/other-agreement"); }),
      IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_channel(kPowChannel); }),
              ElementsAre(aug));
  // Combinations: every filter must hold.
  EXPECT_THAT(names([](auto& r) {
                r.set_agreement(kIstanbul);
                r.set_span("2026-W05");
              }),
              ElementsAre(w05));
  EXPECT_THAT(names([](auto& r) {
                r.set_agreement(kIstanbul);
                r.set_span("2025");
              }),
              UnorderedElementsAre(nov, aug));
  EXPECT_THAT(names([](auto& r) {
                r.set_kind(EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
                r.set_span("2025-11");
              }),
              ElementsAre(nov));
  EXPECT_THAT(names([](auto& r) {
                r.set_party("AE");
                r.set_kind(EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
              }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) {
                r.set_channel(kPowChannel);
                r.set_category(CATEGORY_PRISONERS_OF_WAR);
                r.set_party("RU");
                r.set_span("2025-08");
              }),
              ElementsAre(aug));
  EXPECT_THAT(names([](auto& r) {
                r.set_channel(kPowChannel);
                r.set_span("2025-09");
              }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) {
                r.set_agreement(kIstanbul);
                r.set_party("QA");
              }),
              IsEmpty());

  // Bad filters, all named in one reply.
  ListExchangesRequest bad;
  bad.set_party("XX");
  bad.set_agreement("istanbul-2025");
  bad.set_channel("agreements/pow-ru-ua");
  bad.set_kind(static_cast<ExchangeKind>(99));
  bad.set_category(static_cast<Category>(42));
  bad.set_span("2025-13");
  bad.set_page_size(-5);
  ListExchangesResponse resp;
  const absl::Status s = Call(&Stub::ListExchanges, bad, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("party", "agreement", "channel", "kind",
                                   "category", "span", "page_size"));
}

}  // namespace
}  // namespace parley::exchanges
