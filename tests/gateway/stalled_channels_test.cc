// StalledChannels through the gateway: "direct prisoner of war exchanges have
// stalled since October 2025, with both Moscow and Kyiv leveling accusations
// that the opposing side is intentionally delaying the process".
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/gateway/gateway_fixture.h"

namespace parley::gateway_test {
namespace {

class StalledChannelsTest : public SeedWeekTest {
 protected:
  rp::ListStalledChannelsResponse List(const std::string& as_of,
                                       int threshold_days = 0) {
    rp::ListStalledChannelsRequest r;
    r.set_as_of(as_of);
    r.set_threshold_days(threshold_days);
    rp::ListStalledChannelsResponse out;
    const grpc::Status s = Stalled(r, &out);
    EXPECT_TRUE(s.ok()) << StatusText(s);
    EXPECT_THAT(out.missing(), IsEmpty()) << MissingText(out.missing());
    return out;
  }

  static const rp::StalledChannel* Find(
      const rp::ListStalledChannelsResponse& r, const std::string& name) {
    for (const auto& c : r.channels()) {
      if (c.channel().metadata().name() == name) return &c;
    }
    return nullptr;
  }

  // A repatriation channel with the W05 exchange in it.
  void AddActiveRemainsChannel() {
    ex::Channel remains = PowChannel();
    remains.set_title("Repatriation of remains, RU-UA");
    remains.set_kind(ex::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
    CreateChannel(remains, "remains-ru-ua");
    ex::Exchange e = Repatriation("2026-W05", 1000, 38, "");
    e.set_channel("channels/remains-ru-ua");
    CreateExchange(e, "remains-channel-w05");
  }
};

TEST_F(StalledChannelsTest, PowChannelAsOfFebruary) {
  const auto r = List("2026-02-01");
  EXPECT_EQ(r.times().as_of(), "2026-02-01");
  ASSERT_EQ(r.channels_size(), 1);
  const rp::StalledChannel& c = r.channels(0);
  EXPECT_EQ(c.channel().metadata().name(), kPowChannel);
  EXPECT_EQ(c.channel().kind(), ex::EXCHANGE_KIND_PRISONER_EXCHANGE);

  // Since October 2025, as the latest status says, precision kept.
  EXPECT_EQ(c.since().text(), "2025-10");
  EXPECT_EQ(c.since().first_day(), "2025-10-01");
  EXPECT_EQ(c.since().last_day(), "2025-10-31");
  EXPECT_EQ(c.latest_status().metadata().name(), kPowStalled);
  EXPECT_EQ(c.latest_status().state(), ex::CHANNEL_STATE_STALLED);
  EXPECT_FALSE(c.has_last_exchange());
  EXPECT_THAT(c.reasons(), Contains(AllOf(HasSubstr(kPowStalled),
                                          HasSubstr("CHANNEL_STATE_STALLED"),
                                          HasSubstr("2025-10"))));
  EXPECT_THAT(c.reasons(), Contains(HasSubstr("no exchange on record")));

  // Each side's words, grouped by the speaker's party.
  ASSERT_EQ(c.sides_size(), 2);
  std::map<std::string, std::vector<std::string>> sides;
  for (const auto& side : c.sides()) {
    sides[side.party().country()] = NamesOf(side.statements());
  }
  EXPECT_THAT(sides["RU"], ElementsAre(kRuAccuses));
  EXPECT_THAT(sides["UA"], ElementsAre(kUaAccuses));
  for (const auto& side : c.sides()) {
    for (const auto& s : side.statements()) {
      EXPECT_EQ(s.kind(), ng::STATEMENT_KIND_ACCUSATION);
      EXPECT_EQ(s.speaker().country(), side.party().country());
      EXPECT_NE(s.target().country(), side.party().country());
    }
  }
}

TEST_F(StalledChannelsTest, NothingReportedAfterAsOfCounts) {
  // As of 2026-01-20 the status (reported in W05) and the statements (made
  // in W05) were yet to come; the channel still has no exchange on record.
  const auto r = List("2026-01-20");
  const rp::StalledChannel* c = Find(r, kPowChannel);
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->has_latest_status());
  EXPECT_THAT(c->reasons(), ElementsAre(HasSubstr("no exchange on record")));
  EXPECT_THAT(c->sides(), IsEmpty());
}

TEST_F(StalledChannelsTest, ActiveChannelIsListedOnlyOnceQuiet) {
  AddActiveRemainsChannel();
  // Its last exchange ended 2026-02-01: not stalled then.
  const auto february = List("2026-02-01");
  EXPECT_EQ(Find(february, "channels/remains-ru-ua"), nullptr);
  EXPECT_NE(Find(february, kPowChannel), nullptr);

  // 120 quiet days by 2026-06-01, beyond the default 90.
  const auto june = List("2026-06-01");
  const rp::StalledChannel* c = Find(june, "channels/remains-ru-ua");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->since().first_day(), "2026-02-02");
  EXPECT_EQ(c->last_exchange().metadata().name(),
            "exchanges/remains-channel-w05");
  EXPECT_FALSE(c->has_latest_status());
  EXPECT_THAT(c->reasons(),
              ElementsAre(AllOf(HasSubstr("exchanges/remains-channel-w05"),
                                HasSubstr("120 days before 2026-06-01"),
                                HasSubstr("threshold 90"))));
  EXPECT_THAT(c->sides(), IsEmpty());

  // A longer threshold leaves it out again.
  EXPECT_EQ(Find(List("2026-06-01", 200), "channels/remains-ru-ua"), nullptr);
}

TEST_F(StalledChannelsTest, KnownAtBeforeTheChannelWasRecorded) {
  rp::ListStalledChannelsRequest r;
  r.set_as_of("2026-02-01");
  *r.mutable_known_at() = before_second_exchange_;
  rp::ListStalledChannelsResponse out;
  ASSERT_TRUE(Stalled(r, &out).ok());
  EXPECT_THAT(out.channels(), IsEmpty());
  EXPECT_TRUE(ProtoEq(out.times().known_at(), before_second_exchange_));

  *r.mutable_known_at() = after_seed_;
  ASSERT_TRUE(Stalled(r, &out).ok());
  ASSERT_EQ(out.channels_size(), 1);
  EXPECT_EQ(out.channels(0).sides_size(), 2);
}

// A channel argued over for months: each side shows its latest statements,
// newest first, and says how many it made in all.
TEST_F(StalledChannelsTest, LatestStatementsPerSideAndTheirCount) {
  for (int day = 1; day <= 14; ++day) {
    ng::Statement s = MedinskyAccusation();
    s.set_made(absl::StrFormat("2025-12-%02d", day));
    CreateStatement(s, absl::StrCat("ru-december-", day));
  }
  const auto sides_of = [&](int per_side) {
    rp::ListStalledChannelsRequest r;
    r.set_as_of("2026-02-01");
    r.set_statements_per_side(per_side);
    rp::ListStalledChannelsResponse out;
    EXPECT_TRUE(Stalled(r, &out).ok());
    std::map<std::string, rp::SideStatements> sides;
    const rp::StalledChannel* c = Find(out, kPowChannel);
    if (c != nullptr) {
      for (const auto& side : c->sides()) sides[side.party().country()] = side;
    }
    return sides;
  };
  // The default: 10 of RU's 15 (the W05 one and 14 December ones).
  auto sides = sides_of(0);
  EXPECT_EQ(sides["RU"].statement_count(), 15);
  EXPECT_THAT(
      NamesOf(sides["RU"].statements()),
      ElementsAre(kRuAccuses, "statements/ru-december-14",
                  "statements/ru-december-13", "statements/ru-december-12",
                  "statements/ru-december-11", "statements/ru-december-10",
                  "statements/ru-december-9", "statements/ru-december-8",
                  "statements/ru-december-7", "statements/ru-december-6"));
  EXPECT_EQ(sides["UA"].statement_count(), 1);
  EXPECT_THAT(NamesOf(sides["UA"].statements()), ElementsAre(kUaAccuses));
  // As many as asked for.
  sides = sides_of(2);
  EXPECT_EQ(sides["RU"].statement_count(), 15);
  EXPECT_THAT(NamesOf(sides["RU"].statements()),
              ElementsAre(kRuAccuses, "statements/ru-december-14"));
  // Out of range: refused by name.
  for (int bad : {-1, 101}) {
    rp::ListStalledChannelsRequest r;
    r.set_statements_per_side(bad);
    rp::ListStalledChannelsResponse out;
    const grpc::Status s = Stalled(r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(ViolationFields(s), ElementsAre("statements_per_side"));
  }
}

TEST_F(StalledChannelsTest, NegativeThresholdIsRefused) {
  rp::ListStalledChannelsRequest r;
  r.set_threshold_days(-5);
  rp::ListStalledChannelsResponse out;
  const grpc::Status s = Stalled(r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(s);
  EXPECT_THAT(ViolationFields(s), ElementsAre("threshold_days"));
}

}  // namespace
}  // namespace parley::gateway_test
