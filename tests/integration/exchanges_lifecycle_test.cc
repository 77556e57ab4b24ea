// The caller recorded on every change, and a restart that keeps it all.
#include "tests/integration/exchanges_fixture.h"

namespace parley::exchanges {
namespace {

// ---------------------------------------------------------------------------
// Who did it.

TEST_F(ExchangesIntegrationTest, CallerMetadataBecomesCreatorUpdaterAndActor) {
  const Agreement a = CreateAgreementOk(Istanbul(), "istanbul-2025", "alice");
  EXPECT_EQ(a.metadata().creator(), "alice");
  EXPECT_EQ(a.metadata().updater(), "alice");
  const Exchange e = CreateExchangeOk(
      Repatriation("2026-W05", 1000, 38, kIstanbul), "w05", "alice");
  EXPECT_EQ(e.metadata().creator(), "alice");
  const Channel c = CreateChannelOk(PowChannel(), "pow-ru-ua");  // no metadata
  EXPECT_EQ(c.metadata().creator(), "anonymous");

  UpdateExchangeRequest update;
  update.mutable_exchange()->mutable_metadata()->set_name("exchanges/w05");
  update.mutable_exchange()->set_description("checked");
  *update.mutable_update_mask() = Mask({"description"});
  Exchange updated;
  ASSERT_TRUE(Call(&Stub::UpdateExchange, update, &updated, "bob").ok());
  EXPECT_EQ(updated.metadata().creator(), "alice");
  EXPECT_EQ(updated.metadata().updater(), "bob");

  Exchange got;
  ASSERT_TRUE(GetExchange("exchanges/w05", &got).ok());
  EXPECT_EQ(got.metadata().creator(), "alice");
  EXPECT_EQ(got.metadata().updater(), "bob");

  const auto revisions = Revisions("exchanges/w05");
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].actor(), "alice");
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_EQ(Revisions(kIstanbul).at(0).actor(), "alice");
  EXPECT_EQ(Revisions(kPowChannel).at(0).actor(), "anonymous");
}

// ---------------------------------------------------------------------------
// Restart.

TEST_F(ExchangesIntegrationTest, RestartKeepsEverything) {
  SeedWeek();
  UpdateExchangeRequest update;
  update.mutable_exchange()->mutable_metadata()->set_name(
      "exchanges/remains-2025-11");
  update.mutable_exchange()->set_description("November of last year");
  *update.mutable_update_mask() = Mask({"description"});
  Exchange nov;
  ASSERT_TRUE(Call(&Stub::UpdateExchange, update, &nov, "bob").ok());
  CreateExchangeRequest idem;
  *idem.mutable_exchange() = Repatriation("2025-W40", 500, 20, kIstanbul);
  idem.set_exchange_id("zz-idem");  // sorts after the seed exchanges
  idem.set_request_id("before-restart");
  Exchange idem_first;
  ASSERT_TRUE(Call(&Stub::CreateExchange, idem, &idem_first).ok());
  DeleteExchangeRequest del;
  del.set_name(idem_first.metadata().name());
  google::protobuf::Empty empty;
  // A paging token issued before the restart.
  ListExchangesRequest paged;
  paged.set_page_size(1);
  paged.set_agreement(kIstanbul);
  ListExchangesResponse page1;
  ASSERT_TRUE(Call(&Stub::ListExchanges, paged, &page1).ok());
  ASSERT_FALSE(page1.next_page_token().empty());

  Agreement istanbul;
  ASSERT_TRUE(GetAgreement(kIstanbul, &istanbul).ok());
  Exchange w05;
  ASSERT_TRUE(GetExchange("exchanges/remains-2026-w05", &w05).ok());
  GetChannelRequest get_channel;
  get_channel.set_name(kPowChannel);
  Channel channel;
  ASSERT_TRUE(Call(&Stub::GetChannel, get_channel, &channel).ok());
  GetChannelStatusRequest get_status;
  get_status.set_name("channelStatuses/pow-stalled-2025-10");
  ChannelStatus status;
  ASSERT_TRUE(Call(&Stub::GetChannelStatus, get_status, &status).ok());
  const auto nov_revisions = Revisions("exchanges/remains-2025-11");
  const Timestamp between = MomentBetween();
  ASSERT_TRUE(Call(&Stub::DeleteExchange, del, &empty).ok());

  Restart();

  Agreement a;
  ASSERT_TRUE(GetAgreement(kIstanbul, &a).ok());
  EXPECT_TRUE(ProtoEq(a, istanbul));
  Exchange e;
  ASSERT_TRUE(GetExchange("exchanges/remains-2026-w05", &e).ok());
  EXPECT_TRUE(ProtoEq(e, w05));
  ASSERT_TRUE(GetExchange("exchanges/remains-2025-11", &e).ok());
  EXPECT_TRUE(ProtoEq(e, nov));
  Channel c;
  ASSERT_TRUE(Call(&Stub::GetChannel, get_channel, &c).ok());
  EXPECT_TRUE(ProtoEq(c, channel));
  ChannelStatus cs;
  ASSERT_TRUE(Call(&Stub::GetChannelStatus, get_status, &cs).ok());
  EXPECT_TRUE(ProtoEq(cs, status));

  // History, the deleted record's past, and the indexes.
  const auto after = Revisions("exchanges/remains-2025-11");
  ASSERT_EQ(after.size(), nov_revisions.size());
  for (size_t i = 0; i < after.size(); ++i)
    EXPECT_TRUE(ProtoEq(after[i], nov_revisions[i]));
  EXPECT_EQ(GetExchange(idem_first.metadata().name(), &e).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(GetExchange(idem_first.metadata().name(), &e, &between).ok());
  EXPECT_TRUE(ProtoEq(e, idem_first));
  EXPECT_EQ(Revisions(idem_first.metadata().name()).back().change(),
            Revision::CHANGE_DELETE);
  EXPECT_THAT(ExchangeNames({}),
              UnorderedElementsAre("exchanges/remains-2026-w05",
                                   "exchanges/remains-2025-11"));
  ListExchangesRequest by_span;
  by_span.set_span("2026-01-27");
  EXPECT_THAT(ExchangeNames(by_span),
              ElementsAre("exchanges/remains-2026-w05"));
  ListChannelStatusesRequest stalled;
  stalled.set_state(CHANNEL_STATE_STALLED);
  EXPECT_THAT(ChannelStatusNames(stalled),
              ElementsAre("channelStatuses/pow-stalled-2025-10"));

  // The old page token continues where it left off.
  paged.set_page_token(page1.next_page_token());
  paged.set_page_size(10);
  ListExchangesResponse page2;
  ASSERT_TRUE(Call(&Stub::ListExchanges, paged, &page2).ok());
  ASSERT_EQ(page1.exchanges_size(), 1);
  EXPECT_EQ(page1.exchanges(0).metadata().name(), "exchanges/remains-2025-11");
  ASSERT_EQ(page2.exchanges_size(), 1);  // zz-idem was deleted
  EXPECT_EQ(page2.exchanges(0).metadata().name(), "exchanges/remains-2026-w05");
  EXPECT_TRUE(page2.next_page_token().empty());

  // The idempotency key survives: the retry returns the first result and
  // does not recreate the record.
  Exchange retry;
  ASSERT_TRUE(Call(&Stub::CreateExchange, idem, &retry).ok());
  EXPECT_EQ(retry.metadata().name(), idem_first.metadata().name());
  EXPECT_EQ(CountExchanges(), 2u);

  // The stored etag still guards writes.
  UpdateExchangeRequest stale = update;
  stale.mutable_exchange()->mutable_metadata()->set_etag(w05.metadata().etag());
  EXPECT_EQ(Call(&Stub::UpdateExchange, stale, &e).code(),
            absl::StatusCode::kAborted);
  update.mutable_exchange()->mutable_metadata()->set_etag(
      nov.metadata().etag());
  update.mutable_exchange()->set_description("after restart");
  ASSERT_TRUE(Call(&Stub::UpdateExchange, update, &e).ok());
  EXPECT_EQ(e.metadata().revision(), 3);
}

}  // namespace
}  // namespace parley::exchanges
