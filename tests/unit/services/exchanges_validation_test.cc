// Validation of exchanges records: every bad field is named in one reply.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/validation.h"
#include "gmock/gmock.h"
#include "google/protobuf/stubs/common.h"
#include "gtest/gtest.h"
#include "services/exchanges/validation.h"
#include "tests/lib/status_matchers.h"

namespace parley::exchanges {
namespace {

using ::parley::testing::BadFieldCase;
using ::parley::testing::CaseName;
using ::parley::testing::SpoiledFields;
using ::parley::testing::ViolationFields;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

v1::Exchange SeedExchange() {
  v1::Exchange e;
  e.set_kind(v1::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
  e.set_occurred("2026-W05");
  auto* t = e.add_transfers();
  t->mutable_from_party()->set_country("RU");
  t->mutable_to_party()->set_country("UA");
  t->set_category(v1::CATEGORY_REMAINS);
  t->mutable_count()->set_best(1000);
  t->mutable_count()->set_qualifier(common::v1::Estimate::QUALIFIER_EXACT);
  auto* s = e.add_sources();
  s->mutable_attributed_to()->set_person("Vladimir Medinsky");
  s->mutable_attributed_to()->set_country("RU");
  s->set_channel("Telegram post");
  s->set_reliability(common::v1::Source::RELIABILITY_CONFIRMED);
  return e;
}

TEST(ExchangeValidationTest, SeedExchangeIsValidAndResolved) {
  v1::Exchange e = SeedExchange();
  FieldViolations v;
  ValidateExchange(&e, "exchange", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(e.occurred_span().first_day(), "2026-01-26");
  EXPECT_EQ(e.occurred_span().last_day(), "2026-02-01");
  EXPECT_EQ(e.transfers(0).count().high(), 1000);
}

TEST(ExchangeValidationTest, OutputOnlySpanFromTheClientIsReplaced) {
  v1::Exchange e = SeedExchange();
  e.mutable_occurred_span()->set_first_day("1999-01-01");
  FieldViolations v;
  ValidateExchange(&e, "exchange", &v);
  EXPECT_EQ(e.occurred_span().first_day(), "2026-01-26");
}

using BadCase = BadFieldCase<v1::Exchange>;

class ExchangeBadFieldTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ExchangeBadFieldTest, NamesTheField) {
  EXPECT_THAT(
      SpoiledFields(GetParam(), SeedExchange(), ValidateExchange, "exchange"),
      ::testing::UnorderedElementsAreArray(GetParam().fields));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ExchangeBadFieldTest,
    ::testing::Values(
        BadCase{"NegativeCount",
                [](v1::Exchange* e) {
                  e->mutable_transfers(0)->mutable_count()->set_best(-3);
                },
                {"exchange.transfers[0].count.best"}},
        BadCase{"LowAboveHigh",
                [](v1::Exchange* e) {
                  auto* c = e->mutable_transfers(0)->mutable_count();
                  c->Clear();
                  c->set_low(10);
                  c->set_high(5);
                  c->set_qualifier(common::v1::Estimate::QUALIFIER_ABOUT);
                },
                {"exchange.transfers[0].count.low"}},
        BadCase{"UnknownPartyCode",
                [](v1::Exchange* e) {
                  e->mutable_transfers(0)->mutable_from_party()->set_country(
                      "XX");
                },
                {"exchange.transfers[0].from_party.country"}},
        BadCase{"SameSides",
                [](v1::Exchange* e) {
                  e->mutable_transfers(0)->mutable_to_party()->set_country(
                      "RU");
                },
                {"exchange.transfers[0].to_party"}},
        BadCase{"MalformedSpan",
                [](v1::Exchange* e) { e->set_occurred("2025-13"); },
                {"exchange.occurred"}},
        BadCase{"MissingSpan",
                [](v1::Exchange* e) { e->clear_occurred(); },
                {"exchange.occurred"}},
        BadCase{"NoTransfers",
                [](v1::Exchange* e) { e->clear_transfers(); },
                {"exchange.transfers"}},
        BadCase{"NoSource",
                [](v1::Exchange* e) { e->clear_sources(); },
                {"exchange.sources"}},
        BadCase{
            "SourceWithoutReliability",
            [](v1::Exchange* e) { e->mutable_sources(0)->clear_reliability(); },
            {"exchange.sources[0].reliability"}},
        BadCase{"UnknownKindNumber",
                [](v1::Exchange* e) {
                  e->set_kind(static_cast<v1::ExchangeKind>(99));
                },
                {"exchange.kind"}},
        BadCase{"MissingCount",
                [](v1::Exchange* e) { e->mutable_transfers(0)->clear_count(); },
                {"exchange.transfers[0].count"}},
        BadCase{"InvalidUtf8",
                [](v1::Exchange* e) { e->set_description("\xff\xfe"); },
                {"exchange.description"}},
        BadCase{"HugeText",
                [](v1::Exchange* e) {
                  e->set_description(std::string(10000, 'a'));
                },
                {"exchange.description"}},
        BadCase{"EverythingAtOnce",
                [](v1::Exchange* e) {
                  e->set_occurred("2026-W54");
                  e->clear_sources();
                  e->mutable_transfers(0)->mutable_to_party()->set_country(
                      "ZZ");
                },
                {"exchange.occurred", "exchange.sources",
                 "exchange.transfers[0].to_party.country"}}),
    CaseName());

TEST(AgreementValidationTest, SeedAgreementTermsWithoutFigures) {
  v1::Agreement a;
  a.set_title("Istanbul agreement");
  a.set_concluded("2025");
  a.add_parties()->set_country("RU");
  a.add_parties()->set_country("UA");
  auto* remains = a.add_terms();
  remains->set_category(v1::CATEGORY_REMAINS);
  remains->mutable_quota()->set_best(12000);
  remains->mutable_quota()->set_qualifier(
      common::v1::Estimate::QUALIFIER_EXACT);
  auto* wounded = a.add_terms();
  wounded->set_category(v1::CATEGORY_WOUNDED_PRISONERS);
  wounded->mutable_quota()->set_qualifier(
      common::v1::Estimate::QUALIFIER_UNKNOWN);
  a.add_sources()->set_publisher("Kyiv Independent");
  a.mutable_sources(0)->set_reliability(
      common::v1::Source::RELIABILITY_REPORTED);
  FieldViolations v;
  ValidateAgreement(&a, "agreement", &v);
  EXPECT_THAT(ViolationFields(v), IsEmpty());
  EXPECT_EQ(a.concluded_span().first_day(), "2025-01-01");

  a.add_terms()->set_category(v1::CATEGORY_REMAINS);
  a.set_round("talks/1");
  FieldViolations v2;
  ValidateAgreement(&a, "agreement", &v2);
  EXPECT_THAT(
      ViolationFields(v2),
      UnorderedElementsAre("agreement.terms[2].category", "agreement.round"));
}

TEST(ChannelStatusValidationTest, RequiresStateAndSince) {
  v1::ChannelStatus s;
  FieldViolations v;
  ValidateChannelStatus(&s, "channel_status", &v);
  EXPECT_THAT(
      ViolationFields(v),
      UnorderedElementsAre("channel_status.state", "channel_status.since",
                           "channel_status.sources"));
}

TEST(ChannelValidationTest, NeedsTwoParties) {
  v1::Channel c;
  c.set_title("POW exchanges, RU-UA");
  c.set_kind(v1::EXCHANGE_KIND_PRISONER_EXCHANGE);
  c.add_parties()->set_country("RU");
  c.add_sources()->set_publisher("Reuters");
  c.mutable_sources(0)->set_reliability(
      common::v1::Source::RELIABILITY_REPORTED);
  FieldViolations v;
  ValidateChannel(&c, "channel", &v);
  EXPECT_THAT(ViolationFields(v), ElementsAre("channel.parties"));
}

// A long name was quoted cut at a byte count, splitting a UTF-8 sequence,
// and the client could not parse the error's details (proto3 strings must
// be UTF-8); the fuzz targets' UTF-8 check (tests/fuzz) failed on it.
TEST(QuotedInputTest, CutNamesStayUtf8) {
  // 79 bytes, then a two-byte character across the 80-byte cut.
  const std::string name =
      absl::StrCat("agreements/", std::string(68, 'a'), "\xc3\xa9x");
  FieldViolations v;
  CheckName(name, "agreements", "name", true, &v);
  const absl::Status status = v.ToStatus();
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(status, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  const std::string& description = bad.field_violations(0).description();
  EXPECT_TRUE(google::protobuf::internal::IsStructurallyValidUTF8(
      description.data(), static_cast<int>(description.size())))
      << description;
  EXPECT_THAT(description, ::testing::StartsWith(absl::StrCat(
                               "\"agreements/", std::string(68, 'a'), "\" ")));
}

}  // namespace
}  // namespace parley::exchanges
