// Agreements, exchanges, channels and channel statuses: create, read, list,
// update and delete through the in-process server, on the seed week.
#include "tests/integration/exchanges_fixture.h"

namespace parley::exchanges {
namespace {

// ---------------------------------------------------------------------------
// Agreements: the Istanbul agreement, whole life cycle.

TEST_F(ExchangesIntegrationTest, AgreementCreateGetListUpdateDelete) {
  const absl::Time before = absl::Now() - absl::Seconds(1);
  const Agreement created =
      CreateAgreementOk(Istanbul(), "istanbul-2025", "alice");
  const auto& m = created.metadata();
  EXPECT_EQ(m.name(), kIstanbul);
  EXPECT_EQ(m.revision(), 1);
  EXPECT_FALSE(m.etag().empty());
  EXPECT_GE(Micros(m.create_time()), absl::ToUnixMicros(before));
  EXPECT_LE(Micros(m.create_time()),
            absl::ToUnixMicros(absl::Now() + absl::Seconds(1)));
  EXPECT_EQ(Micros(m.update_time()), Micros(m.create_time()));
  EXPECT_EQ(m.creator(), "alice");
  EXPECT_EQ(m.updater(), "alice");

  // The resolved span, and the terms as the article gives them.
  ExpectSpan(created.concluded_span(), "2025", DateSpan::PRECISION_YEAR,
             "2025-01-01", "2025-12-31");
  ASSERT_EQ(created.terms_size(), 3);
  EXPECT_EQ(created.terms(0).category(), CATEGORY_REMAINS);
  ExpectExact(created.terms(0).quota(), 12000);
  EXPECT_EQ(created.terms(1).category(), CATEGORY_WOUNDED_PRISONERS);
  ExpectUnknown(created.terms(1).quota());
  EXPECT_EQ(created.terms(2).category(), CATEGORY_PRISONERS_UNDER_25);
  ExpectUnknown(created.terms(2).quota());
  EXPECT_FALSE(created.terms(0).has_deadline_span());
  EXPECT_EQ(created.title(), "Istanbul agreement of 2025");
  EXPECT_EQ(created.place().settlement(), "Istanbul");
  ASSERT_EQ(created.parties_size(), 2);
  EXPECT_EQ(created.parties(0).country(), "RU");
  EXPECT_EQ(created.parties(1).country(), "UA");
  EXPECT_EQ(created.round(), "rounds/istanbul-2");

  // Get returns exactly what Create returned.
  Agreement got;
  ASSERT_TRUE(GetAgreement(kIstanbul, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));

  // List holds it, once.
  ListAgreementsResponse listed;
  ASSERT_TRUE(
      Call(&Stub::ListAgreements, ListAgreementsRequest(), &listed).ok());
  ASSERT_EQ(listed.agreements_size(), 1);
  EXPECT_TRUE(ProtoEq(listed.agreements(0), created));
  EXPECT_TRUE(listed.next_page_token().empty());

  // Update the description only, under the current etag.
  UpdateAgreementRequest update;
  update.mutable_agreement()->mutable_metadata()->set_name(kIstanbul);
  update.mutable_agreement()->mutable_metadata()->set_etag(m.etag());
  update.mutable_agreement()->set_description(
      "Concluded at the second Istanbul round");
  update.mutable_agreement()->set_title("not in the mask: must not change");
  *update.mutable_update_mask() = Mask({"description"});
  Agreement updated;
  ASSERT_TRUE(Call(&Stub::UpdateAgreement, update, &updated, "bob").ok());
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_NE(updated.metadata().etag(), m.etag());
  EXPECT_EQ(updated.metadata().creator(), "alice");
  EXPECT_EQ(updated.metadata().updater(), "bob");
  EXPECT_EQ(Micros(updated.metadata().create_time()), Micros(m.create_time()));
  EXPECT_GT(Micros(updated.metadata().update_time()), Micros(m.update_time()));
  EXPECT_EQ(updated.description(), "Concluded at the second Istanbul round");
  EXPECT_EQ(updated.title(), "Istanbul agreement of 2025");
  ExpectExact(updated.terms(0).quota(), 12000);
  ASSERT_TRUE(GetAgreement(kIstanbul, &got).ok());
  EXPECT_TRUE(ProtoEq(got, updated));

  // Delete under the current etag; it is gone now but its history stays.
  DeleteAgreementRequest del;
  del.set_name(kIstanbul);
  del.set_etag(updated.metadata().etag());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteAgreement, del, &empty, "carol").ok());
  EXPECT_EQ(GetAgreement(kIstanbul, &got).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(CountAgreements(), 0u);
  EXPECT_EQ(Call(&Stub::DeleteAgreement, del, &empty).code(),
            absl::StatusCode::kNotFound);
  const auto revisions = Revisions(kIstanbul);
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[2].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[2].actor(), "carol");
}

TEST_F(ExchangesIntegrationTest, AgreementListFilters) {
  CreateAgreementOk(Istanbul(), "istanbul-2025");
  Agreement civilians = Istanbul();
  civilians.set_title("Civilian return arrangement");
  civilians.set_concluded("2024-03-15");
  civilians.clear_mediators();
  *civilians.add_mediators() = Country("QA");
  civilians.clear_terms();
  civilians.add_terms()->set_category(CATEGORY_CHILDREN);
  civilians.set_round("rounds/doha-1");
  CreateAgreementOk(civilians, "doha-children");

  const auto names = [&](auto fill) {
    ListAgreementsRequest req;
    fill(req);
    return AgreementNames(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre(kIstanbul, "agreements/doha-children"));
  EXPECT_THAT(names([](auto& r) { r.set_party("TR"); }),
              ElementsAre(kIstanbul));
  EXPECT_THAT(names([](auto& r) { r.set_party("QA"); }),
              ElementsAre("agreements/doha-children"));
  EXPECT_THAT(names([](auto& r) { r.set_party("UA"); }),
              UnorderedElementsAre(kIstanbul, "agreements/doha-children"));
  EXPECT_THAT(names([](auto& r) { r.set_party("US"); }), IsEmpty());
  EXPECT_THAT(
      names([](auto& r) { r.set_category(CATEGORY_WOUNDED_PRISONERS); }),
      ElementsAre(kIstanbul));
  EXPECT_THAT(names([](auto& r) { r.set_category(CATEGORY_CHILDREN); }),
              ElementsAre("agreements/doha-children"));
  EXPECT_THAT(names([](auto& r) { r.set_category(CATEGORY_CIVILIANS); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_round("rounds/istanbul-2"); }),
              ElementsAre(kIstanbul));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-05-16"); }),
              ElementsAre(kIstanbul));
  EXPECT_THAT(names([](auto& r) { r.set_span("2024-W11"); }),
              ElementsAre("agreements/doha-children"));
  EXPECT_THAT(names([](auto& r) { r.set_span("2023"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) {
                r.set_party("RU");
                r.set_span("2024");
              }),
              ElementsAre("agreements/doha-children"));

  // A bad filter names itself.
  ListAgreementsRequest bad;
  bad.set_round("istanbul-2");
  bad.set_party("XX");
  ListAgreementsResponse resp;
  const absl::Status s = Call(&Stub::ListAgreements, bad, &resp);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(s), UnorderedElementsAre("round", "party"));
}

// ---------------------------------------------------------------------------
// Exchanges: the seed week's two repatriations.

TEST_F(ExchangesIntegrationTest, SeedWeekExchanges) {
  SeedWeek();

  Exchange w05;
  ASSERT_TRUE(GetExchange("exchanges/remains-2026-w05", &w05).ok());
  EXPECT_EQ(w05.metadata().name(), "exchanges/remains-2026-w05");
  EXPECT_EQ(w05.metadata().revision(), 1);
  EXPECT_FALSE(w05.metadata().etag().empty());
  EXPECT_GT(Micros(w05.metadata().create_time()), 0);
  EXPECT_EQ(w05.metadata().creator(), "anonymous");
  EXPECT_EQ(w05.kind(), EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  EXPECT_EQ(w05.agreement(), kIstanbul);
  ExpectSpan(w05.occurred_span(), "2026-W05", DateSpan::PRECISION_WEEK,
             "2026-01-26", "2026-02-01");
  ASSERT_EQ(w05.transfers_size(), 2);
  EXPECT_EQ(w05.transfers(0).from_party().country(), "RU");
  EXPECT_EQ(w05.transfers(0).to_party().country(), "UA");
  EXPECT_EQ(w05.transfers(0).category(), CATEGORY_REMAINS);
  ExpectExact(w05.transfers(0).count(), 1000);
  EXPECT_EQ(w05.transfers(1).from_party().country(), "UA");
  EXPECT_EQ(w05.transfers(1).to_party().country(), "RU");
  ExpectExact(w05.transfers(1).count(), 38);
  ASSERT_EQ(w05.sources_size(), 1);
  const Source& src = w05.sources(0);
  EXPECT_EQ(src.attributed_to().person(), "Vladimir Medinsky");
  EXPECT_EQ(src.attributed_to().role(), "chief negotiator");
  EXPECT_EQ(src.attributed_to().country(), "RU");
  EXPECT_EQ(src.channel(), "Telegram post");
  EXPECT_EQ(src.reliability(), Source::RELIABILITY_CONFIRMED);

  Exchange nov;
  ASSERT_TRUE(GetExchange("exchanges/remains-2025-11", &nov).ok());
  ExpectSpan(nov.occurred_span(), "2025-11", DateSpan::PRECISION_MONTH,
             "2025-11-01", "2025-11-30");
  ASSERT_EQ(nov.transfers_size(), 2);
  ExpectExact(nov.transfers(0).count(), 1000);
  ExpectExact(nov.transfers(1).count(), 30);

  // Both under the agreement; List returns the same records Get does.
  ListExchangesRequest by_agreement;
  by_agreement.set_agreement(kIstanbul);
  ListExchangesResponse resp;
  ASSERT_TRUE(Call(&Stub::ListExchanges, by_agreement, &resp).ok());
  ASSERT_EQ(resp.exchanges_size(), 2);
  for (const auto& e : resp.exchanges()) {
    EXPECT_TRUE(
        ProtoEq(e, e.metadata().name() == w05.metadata().name() ? w05 : nov));
  }

  // The agreement as the article gives it.
  Agreement istanbul;
  ASSERT_TRUE(GetAgreement(kIstanbul, &istanbul).ok());
  ExpectExact(istanbul.terms(0).quota(), 12000);
  ExpectUnknown(istanbul.terms(1).quota());
  ExpectUnknown(istanbul.terms(2).quota());

  // The collections keep apart ("channels" is a prefix of "channelStatuses").
  EXPECT_EQ(CountAgreements(), 1u);
  EXPECT_EQ(CountChannels(), 1u);
  EXPECT_EQ(CountChannelStatuses(), 1u);
  EXPECT_EQ(CountExchanges(), 2u);
}

TEST_F(ExchangesIntegrationTest, ExchangeCompetingClaimsWidenTheBounds) {
  // One side says 6,057 remains received, the other 6,060 handed over.
  Exchange e = Repatriation("2025-06-11/2025-06-16", 6057, 78, "");
  Estimate* count = e.mutable_transfers(0)->mutable_count();
  count->Clear();
  count->set_best(6057);
  count->set_qualifier(Estimate::QUALIFIER_ABOUT);
  auto* ua = count->add_claims();
  ua->set_value(6057);
  *ua->mutable_claimed_by() = Country("UA");
  auto* ru = count->add_claims();
  ru->set_value(6060);
  *ru->mutable_claimed_by() = Country("RU");
  const Exchange created = CreateExchangeOk(e, "june-2025");
  ExpectSpan(created.occurred_span(), "2025-06-11/2025-06-16",
             DateSpan::PRECISION_RANGE, "2025-06-11", "2025-06-16");
  const Estimate& c = created.transfers(0).count();
  EXPECT_EQ(c.qualifier(), Estimate::QUALIFIER_ABOUT);
  EXPECT_EQ(c.low(), 6057);
  EXPECT_EQ(c.best(), 6057);
  EXPECT_EQ(c.high(), 6060);
  ASSERT_EQ(c.claims_size(), 2);
  EXPECT_EQ(c.claims(1).value(), 6060);
  EXPECT_EQ(c.claims(1).claimed_by().country(), "RU");
}

// ---------------------------------------------------------------------------
// Channels and channel statuses.

TEST_F(ExchangesIntegrationTest, ChannelCrudAndFilters) {
  const Channel created = CreateChannelOk(PowChannel(), "pow-ru-ua", "alice");
  EXPECT_EQ(created.metadata().name(), kPowChannel);
  EXPECT_EQ(created.metadata().revision(), 1);
  EXPECT_FALSE(created.metadata().etag().empty());
  EXPECT_GT(Micros(created.metadata().create_time()), 0);
  EXPECT_EQ(created.kind(), EXCHANGE_KIND_PRISONER_EXCHANGE);
  ASSERT_EQ(created.parties_size(), 2);
  EXPECT_EQ(created.parties(0).country(), "RU");
  EXPECT_EQ(created.parties(1).country(), "UA");

  Channel civ;
  civ.set_title("Children's returns via Qatar");
  civ.set_kind(EXCHANGE_KIND_CIVILIAN_RETURN);
  *civ.add_parties() = Country("UA");
  *civ.add_parties() = Country("QA");
  *civ.add_sources() = Reported("Reuters");
  CreateChannelOk(civ, "children-qa");

  GetChannelRequest get;
  get.set_name(kPowChannel);
  Channel got;
  ASSERT_TRUE(Call(&Stub::GetChannel, get, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));

  const auto names = [&](auto fill) {
    ListChannelsRequest req;
    fill(req);
    return ChannelNames(req);
  };
  EXPECT_THAT(names([](auto&) {}),
              UnorderedElementsAre(kPowChannel, "channels/children-qa"));
  EXPECT_THAT(names([](auto& r) { r.set_party("RU"); }),
              ElementsAre(kPowChannel));
  EXPECT_THAT(names([](auto& r) { r.set_party("UA"); }),
              UnorderedElementsAre(kPowChannel, "channels/children-qa"));
  EXPECT_THAT(names([](auto& r) { r.set_kind(EXCHANGE_KIND_CIVILIAN_RETURN); }),
              ElementsAre("channels/children-qa"));
  EXPECT_THAT(names([](auto& r) {
                r.set_kind(EXCHANGE_KIND_PRISONER_EXCHANGE);
                r.set_party("QA");
              }),
              IsEmpty());

  UpdateChannelRequest update;
  update.mutable_channel()->mutable_metadata()->set_name(kPowChannel);
  update.mutable_channel()->mutable_metadata()->set_etag(
      created.metadata().etag());
  update.mutable_channel()->set_title("POW exchanges, RU-UA");
  *update.mutable_update_mask() = Mask({"title"});
  Channel updated;
  ASSERT_TRUE(Call(&Stub::UpdateChannel, update, &updated, "bob").ok());
  EXPECT_EQ(updated.title(), "POW exchanges, RU-UA");
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_EQ(updated.metadata().updater(), "bob");
  EXPECT_EQ(updated.kind(), EXCHANGE_KIND_PRISONER_EXCHANGE);
  // The old etag is stale now.
  EXPECT_EQ(Call(&Stub::UpdateChannel, update, &updated).code(),
            absl::StatusCode::kAborted);

  DeleteChannelRequest del;
  del.set_name("channels/children-qa");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteChannel, del, &empty).ok());
  get.set_name("channels/children-qa");
  EXPECT_EQ(Call(&Stub::GetChannel, get, &got).code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(names([](auto&) {}), ElementsAre(kPowChannel));
}

TEST_F(ExchangesIntegrationTest, ChannelStatusStalledSinceOctober) {
  CreateChannelOk(PowChannel(), "pow-ru-ua");
  const ChannelStatus created = CreateChannelStatusOk(
      StalledSinceOctober(), "pow-stalled-2025-10", "alice");
  EXPECT_EQ(created.metadata().name(), "channelStatuses/pow-stalled-2025-10");
  EXPECT_EQ(created.metadata().revision(), 1);
  EXPECT_FALSE(created.metadata().etag().empty());
  EXPECT_EQ(created.metadata().creator(), "alice");
  EXPECT_EQ(created.channel(), kPowChannel);
  EXPECT_EQ(created.state(), CHANNEL_STATE_STALLED);
  ExpectSpan(created.since_span(), "2025-10", DateSpan::PRECISION_MONTH,
             "2025-10-01", "2025-10-31");
  ExpectSpan(created.reported_span(), "2026-W05", DateSpan::PRECISION_WEEK,
             "2026-01-26", "2026-02-01");

  GetChannelStatusRequest get;
  get.set_name("channelStatuses/pow-stalled-2025-10");
  ChannelStatus got;
  ASSERT_TRUE(Call(&Stub::GetChannelStatus, get, &got).ok());
  EXPECT_TRUE(ProtoEq(got, created));

  const auto names = [&](auto fill) {
    ListChannelStatusesRequest req;
    fill(req);
    return ChannelStatusNames(req);
  };
  const std::string name = created.metadata().name();
  EXPECT_THAT(names([](auto& r) { r.set_channel(kPowChannel); }),
              ElementsAre(name));
  EXPECT_THAT(names([](auto& r) { r.set_channel("channels/other"); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_state(CHANNEL_STATE_STALLED); }),
              ElementsAre(name));
  EXPECT_THAT(names([](auto& r) { r.set_state(CHANNEL_STATE_ACTIVE); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-10-15"); }),
              ElementsAre(name));
  EXPECT_THAT(names([](auto& r) { r.set_span("2025-09"); }), IsEmpty());
  EXPECT_THAT(names([](auto& r) {
                r.set_channel(kPowChannel);
                r.set_span("2025");
              }),
              ElementsAre(name));

  // A status must name a channel that exists.
  ChannelStatus orphan = StalledSinceOctober();
  orphan.set_channel("channels/no-such-channel");
  CreateChannelStatusRequest create;
  *create.mutable_channel_status() = orphan;
  ChannelStatus out;
  absl::Status s = Call(&Stub::CreateChannelStatus, create, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(s), ElementsAre("channel_status.channel"));
  orphan.clear_channel();
  *create.mutable_channel_status() = orphan;
  s = Call(&Stub::CreateChannelStatus, create, &out);
  EXPECT_THAT(ViolationFields(s), ElementsAre("channel_status.channel"));
  EXPECT_EQ(CountChannelStatuses(), 1u);

  // Resumed: update the state.
  UpdateChannelStatusRequest update;
  update.mutable_channel_status()->mutable_metadata()->set_name(name);
  update.mutable_channel_status()->set_state(CHANNEL_STATE_RESUMED);
  *update.mutable_update_mask() = Mask({"state"});
  ChannelStatus updated;
  ASSERT_TRUE(Call(&Stub::UpdateChannelStatus, update, &updated).ok());
  EXPECT_EQ(updated.state(), CHANNEL_STATE_RESUMED);
  EXPECT_EQ(updated.metadata().revision(), 2);
  EXPECT_EQ(updated.since(), "2025-10");
  EXPECT_THAT(names([](auto& r) { r.set_state(CHANNEL_STATE_STALLED); }),
              IsEmpty());
  EXPECT_THAT(names([](auto& r) { r.set_state(CHANNEL_STATE_RESUMED); }),
              ElementsAre(name));

  DeleteChannelStatusRequest del;
  del.set_name(name);
  del.set_etag(created.metadata().etag());  // stale
  google::protobuf::Empty empty;
  EXPECT_EQ(Call(&Stub::DeleteChannelStatus, del, &empty).code(),
            absl::StatusCode::kAborted);
  del.set_etag(updated.metadata().etag());
  ASSERT_TRUE(Call(&Stub::DeleteChannelStatus, del, &empty).ok());
  EXPECT_EQ(Call(&Stub::GetChannelStatus, get, &got).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CountChannelStatuses(), 0u);
}

}  // namespace
}  // namespace parley::exchanges
