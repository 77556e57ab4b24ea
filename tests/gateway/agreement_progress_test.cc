// AgreementProgress through the gateway, on the seed week: the Istanbul
// agreement's 12,000 bodies against the repatriations of 2025-11 (1,000 and
// 30) and 2026-W05 (1,000 and 38).
//
// The pace figures follow from the design ("the low uses the longest reading
// of the window and the lowest delivered figure"): the first delivery is
// known only as "2025-11", so as of 2026-02-01 the window is at longest 93
// days (from 2025-11-01) and at shortest 64 days (from 2025-11-30).
//   low  = floor(2068 * 30 / 93) = floor(667.09)  = 667
//   high = ceil (2068 * 30 / 64) = ceil (969.375) = 970
// The projection: 12000 - 2068 = 9932 left; at the fastest pace (2068 per 64
// days) 307.4 -> 308 days, at the slowest (2068 per 93 days) 446.7 -> 447
// days after 2026-02-01: 2026-12-06 to 2027-04-24.
#include "tests/gateway/gateway_fixture.h"

namespace parley::gateway_test {
namespace {

rp::GetAgreementProgressRequest ProgressRequest(const std::string& as_of) {
  rp::GetAgreementProgressRequest r;
  r.set_agreement(kIstanbul);
  r.set_as_of(as_of);
  return r;
}

const rp::TermProgress* TermOf(const rp::GetAgreementProgressResponse& p,
                               ex::Category category) {
  for (const auto& t : p.terms()) {
    if (t.category() == category) return &t;
  }
  return nullptr;
}

// "RU>UA" -> the direction's delivered estimate.
std::map<std::string, Estimate> ByDirection(const rp::TermProgress& term) {
  std::map<std::string, Estimate> out;
  for (const auto& d : term.by_direction()) {
    out[absl::StrCat(d.from_party().country(), ">", d.to_party().country())] =
        d.delivered();
  }
  return out;
}

class AgreementProgressTest : public SeedWeekTest {
 protected:
  rp::GetAgreementProgressResponse Get(
      const rp::GetAgreementProgressRequest& r) {
    rp::GetAgreementProgressResponse out;
    const grpc::Status s = Progress(r, &out);
    EXPECT_TRUE(s.ok()) << StatusText(s);
    EXPECT_THAT(out.missing(), IsEmpty()) << MissingText(out.missing());
    return out;
  }

  // A correction of the W05 repatriation: 40 bodies received, not 38.
  void CorrectW05Received(int64_t received) {
    ex::GetExchangeRequest get;
    get.set_name(kW05Exchange);
    ex::Exchange current;
    ASSERT_TRUE(Call(*gw_.exchanges, &ExStub::GetExchange, get, &current).ok());
    ex::UpdateExchangeRequest update;
    *update.mutable_exchange() = current;
    *update.mutable_exchange()->mutable_transfers(1)->mutable_count() =
        Exact(received);
    update.mutable_update_mask()->add_paths("transfers");
    ex::Exchange updated;
    const grpc::Status s = Call(*gw_.exchanges, &ExStub::UpdateExchange, update,
                                &updated, {.caller = "editor-2"});
    ASSERT_TRUE(s.ok()) << StatusText(s);
    ExpectExact(updated.transfers(1).count(), received);
  }
};

TEST_F(AgreementProgressTest, RemainsAsOfFebruary) {
  const auto p = Get(ProgressRequest("2026-02-01"));
  EXPECT_EQ(p.times().as_of(), "2026-02-01");
  EXPECT_GT(p.times().known_at().seconds(), 0);
  EXPECT_EQ(p.agreement().metadata().name(), kIstanbul);
  ASSERT_EQ(p.terms_size(), 3);

  const rp::TermProgress* remains = TermOf(p, ex::CATEGORY_REMAINS);
  ASSERT_NE(remains, nullptr);
  ExpectExact(remains->quota(), 12000, "quota");
  ExpectExact(remains->delivered(), 2068, "delivered");
  const auto directions = ByDirection(*remains);
  ASSERT_EQ(directions.size(), 2u);
  ExpectExact(directions.at("RU>UA"), 2000, "RU>UA");
  ExpectExact(directions.at("UA>RU"), 68, "UA>RU");
  EXPECT_DOUBLE_EQ(remains->share_low_percent(), 100.0 * 2068 / 12000);
  EXPECT_DOUBLE_EQ(remains->share_high_percent(), 100.0 * 2068 / 12000);
  EXPECT_NEAR(remains->share_low_percent(), 17.2333, 1e-4);
  EXPECT_THAT(remains->exchanges(),
              UnorderedElementsAre(kW05Exchange, kNovExchange));
  EXPECT_THAT(remains->partly_after_as_of(), IsEmpty());
  // Both exchanges cite the same Telegram post: one source, not two.
  ASSERT_EQ(remains->sources_size(), 1);
  EXPECT_EQ(remains->sources(0).attributed_to().person(), "Vladimir Medinsky");

  // Pace over 2025-11-01..2026-02-01.
  ASSERT_TRUE(remains->has_pace());
  EXPECT_EQ(remains->pace().window().first_day(), "2025-11-01");
  EXPECT_EQ(remains->pace().window().last_day(), "2026-02-01");
  const Estimate& per_30 = remains->pace().per_30_days();
  ASSERT_TRUE(per_30.has_low() && per_30.has_high())
      << per_30.ShortDebugString();
  EXPECT_EQ(per_30.low(), 667);   // 2068 * 30 / 93, rounded down
  EXPECT_EQ(per_30.high(), 970);  // 2068 * 30 / 64, rounded up
  EXPECT_LE(per_30.low(), per_30.best());
  EXPECT_LE(per_30.best(), per_30.high());
  EXPECT_EQ(per_30.qualifier(), Estimate::QUALIFIER_ABOUT);

  // Projected completion: an interval, never a single invented day.
  ASSERT_TRUE(remains->has_projected_completion());
  const auto& projected = remains->projected_completion();
  EXPECT_LE(projected.first_day(), projected.last_day());
  EXPECT_EQ(projected.first_day(), "2026-12-06");
  EXPECT_EQ(projected.last_day(), "2027-04-24");

  EXPECT_EQ(remains->verdict(), rp::VERDICT_ON_TRACK);
  EXPECT_THAT(remains->reasons(), Not(IsEmpty()));
}

TEST_F(AgreementProgressTest, TermsWithoutAFigureAreUndetermined) {
  const auto p = Get(ProgressRequest("2026-02-01"));
  for (ex::Category category :
       {ex::CATEGORY_WOUNDED_PRISONERS, ex::CATEGORY_PRISONERS_UNDER_25}) {
    SCOPED_TRACE(ex::Category_Name(category));
    const rp::TermProgress* term = TermOf(p, category);
    ASSERT_NE(term, nullptr);
    EXPECT_EQ(term->quota().qualifier(), Estimate::QUALIFIER_UNKNOWN);
    EXPECT_EQ(term->verdict(), rp::VERDICT_UNDETERMINED);
    ASSERT_THAT(term->reasons(), Not(IsEmpty()));
    EXPECT_THAT(term->reasons(0), HasSubstr("no figure"));
    // Nothing of these categories is on record: none recorded, not 0.
    ExpectUnknown(term->delivered(), "delivered");
    EXPECT_THAT(term->by_direction(), IsEmpty());
    EXPECT_THAT(term->exchanges(), IsEmpty());
    EXPECT_FALSE(term->has_pace());
    EXPECT_FALSE(term->has_projected_completion());
  }
}

TEST_F(AgreementProgressTest, AsOfMidDecemberCountsOnlyNovember) {
  const auto p = Get(ProgressRequest("2025-12-15"));
  EXPECT_EQ(p.times().as_of(), "2025-12-15");
  const rp::TermProgress* remains = TermOf(p, ex::CATEGORY_REMAINS);
  ASSERT_NE(remains, nullptr);
  ExpectExact(remains->delivered(), 1030, "delivered");
  const auto directions = ByDirection(*remains);
  ExpectExact(directions.at("RU>UA"), 1000, "RU>UA");
  ExpectExact(directions.at("UA>RU"), 30, "UA>RU");
  EXPECT_THAT(remains->exchanges(), ElementsAre(kNovExchange));
  // 45 days at longest (from 2025-11-01), 16 at shortest (from 2025-11-30).
  EXPECT_EQ(remains->pace().window().first_day(), "2025-11-01");
  EXPECT_EQ(remains->pace().window().last_day(), "2025-12-15");
  EXPECT_EQ(remains->pace().per_30_days().low(), 686);    // 30900 / 45
  EXPECT_EQ(remains->pace().per_30_days().high(), 1932);  // 30900 / 16, up
  EXPECT_EQ(remains->projected_completion().first_day(), "2026-06-04");
  EXPECT_EQ(remains->projected_completion().last_day(), "2027-04-09");
  EXPECT_EQ(remains->verdict(), rp::VERDICT_ON_TRACK);
}

TEST_F(AgreementProgressTest, SpanStraddlingAsOfIsInTheUpperBoundsOnly) {
  // 2026-W05 runs 2026-01-26..2026-02-01: on 2026-01-28 it may or may not
  // have happened yet. Surely delivered: November's 1,030; may have been:
  // 2,068.
  const auto p = Get(ProgressRequest("2026-01-28"));
  const rp::TermProgress* remains = TermOf(p, ex::CATEGORY_REMAINS);
  ASSERT_NE(remains, nullptr);
  const Estimate& delivered = remains->delivered();
  EXPECT_EQ(delivered.low(), 1030);
  EXPECT_EQ(delivered.best(), 1030);
  EXPECT_EQ(delivered.high(), 2068);
  EXPECT_EQ(delivered.qualifier(), Estimate::QUALIFIER_ABOUT);
  EXPECT_EQ(ByDirection(*remains).at("RU>UA").high(), 2000);
  EXPECT_EQ(ByDirection(*remains).at("UA>RU").low(), 30);
  EXPECT_THAT(remains->partly_after_as_of(), ElementsAre(kW05Exchange));
  EXPECT_EQ(remains->pace().window().last_day(), "2026-01-28");
  // Low: 1,030 over 89 days at longest; high: 2,068 over 60 at shortest.
  EXPECT_EQ(remains->pace().per_30_days().low(), 347);
  EXPECT_EQ(remains->pace().per_30_days().high(), 1034);
  EXPECT_THAT(remains->reasons(),
              Contains(AllOf(HasSubstr(kW05Exchange),
                             HasSubstr("may have come after 2026-01-28"))));
}

TEST_F(AgreementProgressTest, OnTheTenthOfNovemberNothingWasSurelyDelivered) {
  // The November exchange is dated only "2025-11": on the 10th it was not
  // known whether it had happened yet. Delivered: 0, up to 1,030; the pace
  // 0 up to 30,900 per 30 days (all of it on the 10th itself); the
  // projection has an earliest day but no latest, and no verdict is
  // supported.
  const auto p = Get(ProgressRequest("2025-11-10"));
  const rp::TermProgress* remains = TermOf(p, ex::CATEGORY_REMAINS);
  ASSERT_NE(remains, nullptr);
  EXPECT_EQ(remains->delivered().low(), 0);
  EXPECT_FALSE(remains->delivered().has_best());
  EXPECT_EQ(remains->delivered().high(), 1030);
  EXPECT_EQ(remains->delivered().qualifier(), Estimate::QUALIFIER_AT_MOST);
  EXPECT_DOUBLE_EQ(remains->share_low_percent(), 0);
  EXPECT_THAT(remains->partly_after_as_of(), ElementsAre(kNovExchange));
  EXPECT_EQ(remains->pace().per_30_days().low(), 0);
  EXPECT_EQ(remains->pace().per_30_days().high(), 30900);
  // 10,970 left at 1,030 a day: 11 days at the earliest; no latest.
  EXPECT_EQ(remains->projection().earliest_day(), "2025-11-21");
  EXPECT_EQ(remains->projection().latest_day(), "");
  EXPECT_FALSE(remains->has_projected_completion());
  EXPECT_EQ(remains->verdict(), rp::VERDICT_UNDETERMINED);
  ASSERT_THAT(remains->reasons(), Not(IsEmpty()));
  EXPECT_THAT(remains->reasons(0),
              HasSubstr("nothing was surely delivered by 2025-11-10"));
  EXPECT_THAT(remains->reasons(),
              Contains(AllOf(HasSubstr(kNovExchange),
                             HasSubstr("may have come after 2025-11-10"))));
}

TEST_F(AgreementProgressTest, EachSideIsJudgedOnItsOwnQuota) {
  // "300 for 300" civilians by the end of June: Russia handed over all 300,
  // Ukraine 3. The term is behind, not "on track" at 50.5%.
  ex::Agreement a;
  a.set_title("Civilians, 300 for 300");
  a.set_concluded("2026-02");
  *a.add_parties() = Country("RU");
  *a.add_parties() = Country("UA");
  auto* term = a.add_terms();
  term->set_category(ex::CATEGORY_CIVILIANS);
  *term->mutable_quota() = Exact(600);
  term->set_deadline("2026-06");
  for (const char* receiver : {"UA", "RU"}) {
    auto* side = term->add_side_quotas();
    *side->mutable_receiver() = Country(receiver);
    *side->mutable_quota() = Exact(300);
  }
  *a.add_sources() = ::parley::testing::Reported("Kyiv Independent");
  CreateAgreement(a, "civilians-300");
  ex::Exchange e;
  e.set_kind(ex::EXCHANGE_KIND_PRISONER_EXCHANGE);
  e.set_occurred("2026-02-20");
  e.set_agreement("agreements/civilians-300");
  *e.add_transfers() =
      ::parley::testing::MakeTransfer("RU", "UA", ex::CATEGORY_CIVILIANS, 300);
  *e.add_transfers() =
      ::parley::testing::MakeTransfer("UA", "RU", ex::CATEGORY_CIVILIANS, 3);
  *e.add_sources() = ::parley::testing::Reported("Kyiv Independent");
  CreateExchange(e, "civilians-feb");

  rp::GetAgreementProgressRequest r;
  r.set_agreement("agreements/civilians-300");
  r.set_as_of("2026-03-01");
  const auto p = Get(r);
  ASSERT_EQ(p.terms_size(), 1);
  const rp::TermProgress& t = p.terms(0);
  ExpectExact(t.delivered(), 303, "both ways");
  ASSERT_EQ(t.sides_size(), 2);
  const rp::SideProgress& to_ua = t.sides(0);
  EXPECT_EQ(to_ua.receiver().country(), "UA");
  ExpectExact(to_ua.delivered(), 300, "to UA");
  EXPECT_DOUBLE_EQ(to_ua.share_low_percent(), 100);
  EXPECT_EQ(to_ua.verdict(), rp::VERDICT_COMPLETED);
  const rp::SideProgress& to_ru = t.sides(1);
  EXPECT_EQ(to_ru.receiver().country(), "RU");
  ExpectExact(to_ru.delivered(), 3, "to RU");
  EXPECT_DOUBLE_EQ(to_ru.share_low_percent(), 1);
  EXPECT_EQ(to_ru.verdict(), rp::VERDICT_BEHIND);
  EXPECT_TRUE(to_ru.has_pace());
  // The term is as far along as its slowest side.
  EXPECT_EQ(t.verdict(), rp::VERDICT_BEHIND);
  EXPECT_THAT(t.reasons(),
              Contains(HasSubstr("the side receiving RU: behind")));

  // Once Ukraine hands over the rest, every side, and so the term, is met.
  ex::Exchange rest = e;
  rest.set_occurred("2026-03-10");
  rest.mutable_transfers()->DeleteSubrange(0, 1);
  *rest.mutable_transfers(0)->mutable_count() = Exact(297);
  CreateExchange(rest, "civilians-mar");
  r.set_as_of("2026-03-31");
  const auto done = Get(r);
  EXPECT_EQ(done.terms(0).sides(1).verdict(), rp::VERDICT_COMPLETED);
  EXPECT_EQ(done.terms(0).verdict(), rp::VERDICT_COMPLETED);
}

TEST_F(AgreementProgressTest, NoDeliveryWithinTheThresholdIsStalled) {
  auto r = ProgressRequest("2026-06-01");
  r.set_stall_threshold_days(30);
  const auto p = Get(r);
  const rp::TermProgress* remains = TermOf(p, ex::CATEGORY_REMAINS);
  ASSERT_NE(remains, nullptr);
  EXPECT_EQ(remains->verdict(), rp::VERDICT_STALLED);
  ASSERT_THAT(remains->reasons(), Not(IsEmpty()));
  EXPECT_THAT(remains->reasons(0),
              AllOf(HasSubstr("120 days"), HasSubstr("2026-02-01"),
                    HasSubstr("threshold 30")));
  // The terms without a figure had no delivery to stall: still undetermined.
  EXPECT_EQ(TermOf(p, ex::CATEGORY_WOUNDED_PRISONERS)->verdict(),
            rp::VERDICT_UNDETERMINED);
}

TEST_F(AgreementProgressTest, StallThresholdBoundary) {
  // The last delivery ends 2026-02-01; 30 quiet days are within a threshold
  // of 30, 31 are not.
  auto at_30 = ProgressRequest("2026-03-03");
  at_30.set_stall_threshold_days(30);
  EXPECT_EQ(TermOf(Get(at_30), ex::CATEGORY_REMAINS)->verdict(),
            rp::VERDICT_ON_TRACK);
  auto at_31 = ProgressRequest("2026-03-04");
  at_31.set_stall_threshold_days(30);
  EXPECT_EQ(TermOf(Get(at_31), ex::CATEGORY_REMAINS)->verdict(),
            rp::VERDICT_STALLED);
  // The default threshold is 90 days.
  EXPECT_EQ(TermOf(Get(ProgressRequest("2026-05-02")), ex::CATEGORY_REMAINS)
                ->verdict(),
            rp::VERDICT_ON_TRACK);
  EXPECT_EQ(TermOf(Get(ProgressRequest("2026-05-03")), ex::CATEGORY_REMAINS)
                ->verdict(),
            rp::VERDICT_STALLED);
}

TEST_F(AgreementProgressTest, KnownAtBeforeTheSecondExchangeExcludesIt) {
  auto r = ProgressRequest("2026-02-01");
  *r.mutable_known_at() = before_second_exchange_;
  const auto p = Get(r);
  EXPECT_TRUE(ProtoEq(p.times().known_at(), before_second_exchange_));
  const rp::TermProgress* remains = TermOf(p, ex::CATEGORY_REMAINS);
  ASSERT_NE(remains, nullptr);
  ExpectExact(remains->delivered(), 1038, "delivered");
  EXPECT_THAT(remains->exchanges(), ElementsAre(kW05Exchange));
  const auto directions = ByDirection(*remains);
  ExpectExact(directions.at("RU>UA"), 1000, "RU>UA");
  ExpectExact(directions.at("UA>RU"), 38, "UA>RU");
  // The window is the week of W05 alone: 7 days at longest, 1 at shortest.
  EXPECT_EQ(remains->pace().window().first_day(), "2026-01-26");
  EXPECT_EQ(remains->pace().per_30_days().low(), 4448);    // 31140 / 7
  EXPECT_EQ(remains->pace().per_30_days().high(), 31140);  // 31140 / 1
  EXPECT_EQ(remains->projected_completion().first_day(), "2026-02-12");
  EXPECT_EQ(remains->projected_completion().last_day(), "2026-04-16");
}

TEST_F(AgreementProgressTest, ABusyAgreementIsReadFromRollups) {
  // More exchanges than one page: totals, pace and verdicts come from the
  // rollups, and must equal what the records give (read in full with a
  // known_at of now). Spans of a day and of a week, one reaching past as_of,
  // a prisoner term, and an organisation as a party.
  for (int i = 0; i < 120; ++i) {
    ex::Exchange e =
        Repatriation(i % 3 == 0 ? absl::StrCat("2026-W", 6 + i % 8)
                                : FormatDay(absl::CivilDay(2026, 2, 2) + i),
                     i + 1, i % 7);
    if (i % 5 == 0) {
      *e.add_transfers() = ::parley::testing::MakeTransfer(
          "UA", "RU", ex::CATEGORY_PRISONERS_OF_WAR, 10);
    }
    if (i % 11 == 0) {
      e.mutable_transfers(0)->mutable_to_party()->Clear();
      e.mutable_transfers(0)->mutable_to_party()->set_organization("ICRC");
    }
    CreateExchange(e, absl::StrCat("busy-", i));
  }
  for (const std::string as_of : {"2026-03-20", "2026-06-30", "2025-12-15"}) {
    SCOPED_TRACE(as_of);
    const auto rolled = Get(ProgressRequest(as_of));
    auto r = ProgressRequest(as_of);
    *r.mutable_known_at() = ToTimestamp(absl::Now());
    const auto listed = Get(r);
    ASSERT_EQ(rolled.terms_size(), listed.terms_size());
    for (int t = 0; t < rolled.terms_size(); ++t) {
      const rp::TermProgress& a = rolled.terms(t);
      const rp::TermProgress& b = listed.terms(t);
      SCOPED_TRACE(ex::Category_Name(a.category()));
      EXPECT_TRUE(ProtoEq(a.delivered(), b.delivered()));
      ASSERT_EQ(a.by_direction_size(), b.by_direction_size());
      for (int d = 0; d < a.by_direction_size(); ++d) {
        EXPECT_TRUE(ProtoEq(a.by_direction(d), b.by_direction(d)))
            << a.by_direction(d).ShortDebugString() << " vs "
            << b.by_direction(d).ShortDebugString();
      }
      EXPECT_DOUBLE_EQ(a.share_low_percent(), b.share_low_percent());
      EXPECT_DOUBLE_EQ(a.share_high_percent(), b.share_high_percent());
      EXPECT_TRUE(ProtoEq(a.pace(), b.pace()))
          << a.pace().ShortDebugString() << " vs "
          << b.pace().ShortDebugString();
      EXPECT_TRUE(ProtoEq(a.projected_completion(), b.projected_completion()));
      EXPECT_EQ(a.verdict(), b.verdict());
      // Judged alike; the rollups say why nothing is listed.
      ASSERT_GE(a.reasons_size(), 1);
      EXPECT_EQ(a.reasons(0), b.reasons(0));
      EXPECT_THAT(a.reasons(a.reasons_size() - 1), HasSubstr("rollups"));
      EXPECT_THAT(a.exchanges(), IsEmpty());
    }
    const rp::TermProgress* remains = TermOf(listed, ex::CATEGORY_REMAINS);
    ASSERT_NE(remains, nullptr);
    EXPECT_GT(remains->exchanges_size(), 0);
  }
}

TEST_F(AgreementProgressTest, CorrectionLeavesThePastAnswerAlone) {
  auto before = ProgressRequest("2026-02-01");
  *before.mutable_known_at() = before_second_exchange_;
  auto seeded = ProgressRequest("2026-02-01");
  *seeded.mutable_known_at() = after_seed_;
  const auto before_then = Get(before);
  const auto seeded_then = Get(seeded);

  CorrectW05Received(40);

  // Now: 2000 + 70.
  const auto now = Get(ProgressRequest("2026-02-01"));
  const rp::TermProgress* current = TermOf(now, ex::CATEGORY_REMAINS);
  ExpectExact(current->delivered(), 2070, "now");
  ExpectExact(ByDirection(*current).at("UA>RU"), 70, "now UA>RU");

  // As known before the correction: unchanged, figure for figure.
  const auto before_again = Get(before);
  const rp::TermProgress* old = TermOf(before_again, ex::CATEGORY_REMAINS);
  ExpectExact(old->delivered(), 1038, "known before the second exchange");
  ExpectExact(ByDirection(*old).at("UA>RU"), 38, "then UA>RU");
  EXPECT_TRUE(ProtoEq(before_again.terms(0), before_then.terms(0)));

  const auto seeded_again = Get(seeded);
  const rp::TermProgress* whole = TermOf(seeded_again, ex::CATEGORY_REMAINS);
  ExpectExact(whole->delivered(), 2068, "known after the seed");
  ExpectExact(ByDirection(*whole).at("UA>RU"), 68, "seeded UA>RU");
  EXPECT_TRUE(ProtoEq(seeded_again.terms(0), seeded_then.terms(0)));
  EXPECT_TRUE(ProtoEq(seeded_again.agreement(), seeded_then.agreement()));
}

TEST_F(AgreementProgressTest, RefusesBadRequestsAndUnknownAgreements) {
  rp::GetAgreementProgressResponse out;
  rp::GetAgreementProgressRequest bad;
  bad.set_agreement("treaties/istanbul");
  bad.set_stall_threshold_days(-1);
  const grpc::Status invalid = Progress(bad, &out);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << StatusText(invalid);
  EXPECT_THAT(ViolationFields(invalid),
              UnorderedElementsAre("agreement", "stall_threshold_days"));

  auto bad_as_of = ProgressRequest("2026-13");
  EXPECT_THAT(ViolationFields([&] {
                grpc::Status s = Progress(bad_as_of, &out);
                EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
                return s;
              }()),
              ElementsAre("as_of"));

  rp::GetAgreementProgressRequest missing;
  missing.set_agreement("agreements/minsk-2015");
  EXPECT_EQ(Progress(missing, &out).error_code(), grpc::StatusCode::NOT_FOUND);

  // Known at a moment before the agreement was recorded: not found then.
  auto too_early = ProgressRequest("2026-02-01");
  too_early.mutable_known_at()->set_seconds(1);
  EXPECT_EQ(Progress(too_early, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace parley::gateway_test
