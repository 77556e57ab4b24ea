// Bad input: INVALID_ARGUMENT naming every bad field, and nothing stored.
#include "tests/integration/exchanges_fixture.h"

namespace parley::exchanges {
namespace {

TEST_F(ExchangesIntegrationTest,
       BadExchangeInputNamesEveryBadFieldAndStoresNothing) {
  SeedWeek();
  const auto count = [](CreateExchangeRequest* r, int i) {
    return r->mutable_exchange()->mutable_transfers(i)->mutable_count();
  };
  // Each spoils a valid request.
  const std::vector<BadFieldCase<CreateExchangeRequest>> cases = {
      {"negative count",
       [&](auto* r) {
         count(r, 0)->Clear();
         count(r, 0)->set_low(-5);
         count(r, 0)->set_qualifier(Estimate::QUALIFIER_AT_LEAST);
       },
       {"exchange.transfers[0].count.low"}},
      {"negative exact count",
       [&](auto* r) { *count(r, 1) = Exact(-38); },
       {"exchange.transfers[1].count.best"}},
      {"low above high",
       [&](auto* r) {
         count(r, 0)->Clear();
         count(r, 0)->set_low(10);
         count(r, 0)->set_high(5);
         count(r, 0)->set_qualifier(Estimate::QUALIFIER_ABOUT);
       },
       {"exchange.transfers[0].count.low"}},
      {"missing count",
       [&](auto* r) {
         r->mutable_exchange()->mutable_transfers(0)->clear_count();
       },
       {"exchange.transfers[0].count"}},
      {"unknown party code",
       [](auto* r) {
         r->mutable_exchange()
             ->mutable_transfers(0)
             ->mutable_from_party()
             ->set_country("XX");
       },
       {"exchange.transfers[0].from_party.country"}},
      {"lower-case party code",
       [](auto* r) {
         r->mutable_exchange()
             ->mutable_transfers(1)
             ->mutable_to_party()
             ->set_country("ru");
       },
       {"exchange.transfers[1].to_party.country"}},
      {"same party on both sides",
       [](auto* r) {
         r->mutable_exchange()
             ->mutable_transfers(0)
             ->mutable_to_party()
             ->set_country("RU");
       },
       {"exchange.transfers[0].to_party"}},
      {"month 13",
       [](auto* r) { r->mutable_exchange()->set_occurred("2025-13"); },
       {"exchange.occurred"}},
      {"week 54",
       [](auto* r) { r->mutable_exchange()->set_occurred("2026-W54"); },
       {"exchange.occurred"}},
      {"empty span",
       [](auto* r) { r->mutable_exchange()->set_occurred(""); },
       {"exchange.occurred"}},
      {"day 30 of February",
       [](auto* r) { r->mutable_exchange()->set_occurred("2026-02-30"); },
       {"exchange.occurred"}},
      {"reversed range",
       [](auto* r) {
         r->mutable_exchange()->set_occurred("2026-02-01/2026-01-01");
       },
       {"exchange.occurred"}},
      {"no transfers",
       [](auto* r) { r->mutable_exchange()->clear_transfers(); },
       {"exchange.transfers"}},
      {"no source",
       [](auto* r) { r->mutable_exchange()->clear_sources(); },
       {"exchange.sources"}},
      {"no reliability",
       [](auto* r) {
         r->mutable_exchange()->mutable_sources(0)->clear_reliability();
       },
       {"exchange.sources[0].reliability"}},
      {"source not http",
       [](auto* r) {
         r->mutable_exchange()->mutable_sources(0)->set_url("t.me/medinsky");
       },
       {"exchange.sources[0].url"}},
      {"unknown kind",
       [](auto* r) {
         r->mutable_exchange()->set_kind(static_cast<ExchangeKind>(99));
       },
       {"exchange.kind"}},
      {"no kind",
       [](auto* r) {
         r->mutable_exchange()->set_kind(EXCHANGE_KIND_UNSPECIFIED);
       },
       {"exchange.kind"}},
      {"unknown category",
       [](auto* r) {
         r->mutable_exchange()->mutable_transfers(0)->set_category(
             static_cast<Category>(77));
       },
       {"exchange.transfers[0].category"}},
      {"agreement that does not exist",
       [](auto* r) {
         r->mutable_exchange()->set_agreement("agreements/istanbul-2022");
       },
       {"exchange.agreement"}},
      {"agreement malformed",
       [](auto* r) { r->mutable_exchange()->set_agreement("istanbul-2025"); },
       {"exchange.agreement"}},
      {"channel that does not exist",
       [](auto* r) { r->mutable_exchange()->set_channel("channels/nope"); },
       {"exchange.channel"}},
      {"bad exchange_id upper case",
       [](auto* r) { r->set_exchange_id("Bad_Id"); },
       {"exchange_id"}},
      {"bad exchange_id leading dash",
       [](auto* r) { r->set_exchange_id("-w05"); },
       {"exchange_id"}},
      {"bad exchange_id too long",
       [](auto* r) { r->set_exchange_id(std::string(64, 'a')); },
       {"exchange_id"}},
      {"request_id too long",
       [](auto* r) { r->set_request_id(std::string(129, 'r')); },
       {"request_id"}},
      {"everything at once",
       [&](auto* r) {
         r->set_exchange_id("Bad_Id");
         r->mutable_exchange()->set_kind(static_cast<ExchangeKind>(99));
         r->mutable_exchange()->set_occurred("2026-W54");
         count(r, 0)->Clear();
         count(r, 0)->set_low(-5);
         count(r, 0)->set_qualifier(Estimate::QUALIFIER_AT_LEAST);
         r->mutable_exchange()
             ->mutable_transfers(1)
             ->mutable_from_party()
             ->set_country("XX");
         r->mutable_exchange()->mutable_sources(0)->clear_reliability();
         r->mutable_exchange()->set_agreement("agreements/no-such-agreement");
         r->mutable_exchange()->set_channel("channels/no-such-channel");
       },
       {"exchange_id", "exchange.kind", "exchange.occurred",
        "exchange.transfers[0].count.low",
        "exchange.transfers[1].from_party.country",
        "exchange.sources[0].reliability", "exchange.agreement",
        "exchange.channel"}},
  };

  const size_t before = CountExchanges();
  ASSERT_EQ(before, 2u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    CreateExchangeRequest req;
    *req.mutable_exchange() = Repatriation("2026-W05", 1000, 38, kIstanbul);
    req.mutable_exchange()->set_channel(kPowChannel);
    req.set_exchange_id("refused");
    c.spoil(&req);
    Exchange out;
    const absl::Status s = Call(&Stub::CreateExchange, req, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_THAT(ViolationFields(s), UnorderedElementsAreArray(c.fields)) << s;
    EXPECT_EQ(CountExchanges(), before);
    if (req.exchange_id() == "refused") {
      Exchange got;
      EXPECT_EQ(GetExchange("exchanges/refused", &got).code(),
                absl::StatusCode::kNotFound);
      ListRevisionsRequest history;
      history.set_name("exchanges/refused");
      ListRevisionsResponse history_out;
      EXPECT_EQ(Call(&Stub::ListRevisions, history, &history_out).code(),
                absl::StatusCode::kNotFound);
    }
  }
  // The baseline request itself is fine (so each case fails for its reason).
  CreateExchangeRequest good;
  *good.mutable_exchange() = Repatriation("2026-W05", 1000, 38, kIstanbul);
  good.mutable_exchange()->set_channel(kPowChannel);
  good.set_exchange_id("accepted");
  Exchange out;
  EXPECT_TRUE(Call(&Stub::CreateExchange, good, &out).ok());
  EXPECT_EQ(CountExchanges(), before + 1);
}

TEST_F(ExchangesIntegrationTest,
       BadAgreementAndChannelInputNamesEveryBadField) {
  CreateAgreementRequest req;
  Agreement a = Istanbul();
  a.clear_title();
  a.set_concluded("2025-00");
  a.mutable_parties()->RemoveLast();
  a.mutable_terms(1)->set_category(CATEGORY_REMAINS);  // duplicate of terms[0]
  a.mutable_terms(2)->mutable_quota()->set_best(5);    // UNKNOWN with a figure
  a.set_round("istanbul-2");
  a.mutable_place()->set_country("");
  *req.mutable_agreement() = a;
  req.set_agreement_id("istanbul-2025");
  Agreement out;
  absl::Status s = Call(&Stub::CreateAgreement, req, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(
      ViolationFields(s),
      UnorderedElementsAre("agreement.title", "agreement.concluded",
                           "agreement.parties", "agreement.terms[1].category",
                           "agreement.terms[2].quota.qualifier",
                           "agreement.round", "agreement.place.country"));
  Agreement no_terms = Istanbul();
  no_terms.clear_terms();
  *req.mutable_agreement() = no_terms;
  s = Call(&Stub::CreateAgreement, req, &out);
  EXPECT_THAT(ViolationFields(s), ElementsAre("agreement.terms"));
  EXPECT_EQ(CountAgreements(), 0u);
  EXPECT_EQ(GetAgreement(kIstanbul, &out).code(), absl::StatusCode::kNotFound);

  CreateChannelRequest channel;
  Channel c = PowChannel();
  c.clear_title();
  c.set_kind(EXCHANGE_KIND_UNSPECIFIED);
  c.mutable_parties(1)->set_country("SU");
  c.clear_sources();
  *channel.mutable_channel() = c;
  channel.set_channel_id("pow_ru_ua");
  Channel channel_out;
  s = Call(&Stub::CreateChannel, channel, &channel_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(
      ViolationFields(s),
      UnorderedElementsAre("channel_id", "channel.title", "channel.kind",
                           "channel.parties[1].country", "channel.sources"));
  EXPECT_EQ(CountChannels(), 0u);
}

TEST_F(ExchangesIntegrationTest, MalformedNamesAreInvalidArgumentNamingName) {
  SeedWeek();
  const std::vector<std::string> bad = {"",
                                        "exchanges/",
                                        "exchanges/Remains",
                                        "exchange/remains-2026-w05",
                                        "agreements/istanbul-2025",
                                        "exchanges/remains-2026-w05/x",
                                        "exchanges/-x"};
  for (const auto& name : bad) {
    SCOPED_TRACE(name);
    Exchange out;
    const absl::Status s = GetExchange(name, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name"));
    DeleteExchangeRequest del;
    del.set_name(name);
    google::protobuf::Empty empty;
    const absl::Status d = Call(&Stub::DeleteExchange, del, &empty);
    EXPECT_EQ(d.code(), absl::StatusCode::kInvalidArgument) << d;
    EXPECT_THAT(ViolationFields(d), ElementsAre("name"));
  }
  // Well-formed but absent is NOT_FOUND, not INVALID_ARGUMENT.
  Exchange out;
  EXPECT_EQ(GetExchange("exchanges/no-such-exchange", &out).code(),
            absl::StatusCode::kNotFound);
  GetChannelRequest channel;
  channel.set_name("channels/Upper");
  Channel channel_out;
  absl::Status s = Call(&Stub::GetChannel, channel, &channel_out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(s), ElementsAre("name"));

  ListRevisionsRequest revisions;
  ListRevisionsResponse revisions_out;
  for (const std::string name :
       {"", "rounds/x", "exchanges/", "exchanges/UP"}) {
    revisions.set_name(name);
    s = Call(&Stub::ListRevisions, revisions, &revisions_out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << name << ": " << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("name")) << name;
  }
  revisions.set_name("exchanges/never-was");
  EXPECT_EQ(Call(&Stub::ListRevisions, revisions, &revisions_out).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountExchanges(), 2u);
}

}  // namespace
}  // namespace parley::exchanges
