// Writes: idempotent creates, etag-guarded updates and deletes, history
// and reads as of a past time.
#include "tests/integration/exchanges_fixture.h"

namespace parley::exchanges {
namespace {

TEST_F(ExchangesIntegrationTest, RetriedCreateWithRequestIdStoresNothingNew) {
  SeedWeek();
  const size_t before = CountExchanges();
  ASSERT_EQ(before, 2u);

  // Generated id: the retry must return the same generated name.
  CreateExchangeRequest req;
  *req.mutable_exchange() = Repatriation("2025-W40", 500, 20, kIstanbul);
  req.set_request_id("3f1c2a9e-retry-me");
  Exchange first;
  ASSERT_TRUE(Call(&Stub::CreateExchange, req, &first, "alice").ok());
  EXPECT_EQ(CountExchanges(), before + 1);
  for (int attempt = 0; attempt < 3; ++attempt) {
    Exchange retry;
    const absl::Status s = Call(&Stub::CreateExchange, req, &retry, "alice");
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(retry.metadata().name(), first.metadata().name());
    EXPECT_EQ(retry.metadata().revision(), 1);
    EXPECT_EQ(retry.metadata().etag(), first.metadata().etag());
    EXPECT_TRUE(ProtoEq(retry, first));
  }
  EXPECT_EQ(CountExchanges(), before + 1);
  EXPECT_EQ(Revisions(first.metadata().name()).size(), 1u);

  // The same request_id for a different body.
  CreateExchangeRequest different = req;
  *different.mutable_exchange()->mutable_transfers(1)->mutable_count() =
      Exact(21);
  Exchange out;
  absl::Status s = Call(&Stub::CreateExchange, different, &out, "alice");
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(CountExchanges(), before + 1);

  // Explicit id plus request_id: retried, still one record. A first
  // attempt that was refused as invalid did not use up the request_id.
  CreateExchangeRequest named;
  *named.mutable_exchange() = Repatriation("2025-W41", 10, 10, "");
  named.set_exchange_id("w41");
  named.set_request_id("named-once");
  CreateExchangeRequest invalid_first = named;
  invalid_first.mutable_exchange()->set_occurred("2025-W99");
  s = Call(&Stub::CreateExchange, invalid_first, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(CountExchanges(), before + 1);
  ASSERT_TRUE(Call(&Stub::CreateExchange, named, &out).ok());
  Exchange named_retry;
  ASSERT_TRUE(Call(&Stub::CreateExchange, named, &named_retry).ok());
  EXPECT_EQ(named_retry.metadata().name(), "exchanges/w41");
  EXPECT_EQ(named_retry.metadata().revision(), 1);
  EXPECT_EQ(named_retry.metadata().etag(), out.metadata().etag());
  EXPECT_EQ(CountExchanges(), before + 2);

  // An explicit id that exists, without a request_id, is refused.
  CreateExchangeRequest taken;
  *taken.mutable_exchange() = Repatriation("2026-W05", 1, 1, "");
  taken.set_exchange_id("remains-2026-w05");
  s = Call(&Stub::CreateExchange, taken, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(CountExchanges(), before + 2);
  Exchange original;
  ASSERT_TRUE(GetExchange("exchanges/remains-2026-w05", &original).ok());
  ExpectExact(original.transfers(0).count(), 1000);
  EXPECT_EQ(original.metadata().revision(), 1);

  // Also for agreements.
  CreateAgreementRequest again;
  *again.mutable_agreement() = Istanbul();
  again.set_agreement_id("istanbul-2025");
  Agreement a;
  EXPECT_EQ(Call(&Stub::CreateAgreement, again, &a).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CountAgreements(), 1u);

  // Ids are never reused: not even after a delete.
  DeleteExchangeRequest del;
  del.set_name("exchanges/w41");
  google::protobuf::Empty empty;
  ASSERT_TRUE(Call(&Stub::DeleteExchange, del, &empty).ok());
  taken.set_exchange_id("w41");
  EXPECT_EQ(Call(&Stub::CreateExchange, taken, &out).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CountExchanges(), before + 1);
}

// ---------------------------------------------------------------------------
// Update, etags, history, read_time, delete.

TEST_F(ExchangesIntegrationTest, ExchangeUpdateHistoryReadTimeAndDelete) {
  SeedWeek();
  const std::string name = "exchanges/remains-2026-w05";
  Exchange v1;
  ASSERT_TRUE(GetExchange(name, &v1).ok());
  const Timestamp before_create =
      MillisecondBefore(v1.metadata().create_time());
  const Timestamp between = MomentBetween();

  // Update the description under the current etag.
  UpdateExchangeRequest update;
  update.mutable_exchange()->mutable_metadata()->set_name(name);
  update.mutable_exchange()->mutable_metadata()->set_etag(v1.metadata().etag());
  update.mutable_exchange()->set_description(
      "Refrigerated trucks; per Medinsky");
  update.mutable_exchange()->set_occurred("2020");  // not in the mask
  *update.mutable_update_mask() = Mask({"description"});
  Exchange v2;
  ASSERT_TRUE(Call(&Stub::UpdateExchange, update, &v2, "bob").ok());
  EXPECT_EQ(v2.metadata().revision(), 2);
  EXPECT_NE(v2.metadata().etag(), v1.metadata().etag());
  EXPECT_EQ(v2.metadata().updater(), "bob");
  EXPECT_EQ(v2.metadata().creator(), "anonymous");
  EXPECT_EQ(v2.description(), "Refrigerated trucks; per Medinsky");
  EXPECT_EQ(v2.occurred(), "2026-W05");
  ExpectSpan(v2.occurred_span(), "2026-W05", DateSpan::PRECISION_WEEK,
             "2026-01-26", "2026-02-01");
  {
    Exchange check = v2;
    check.set_description(v1.description());
    *check.mutable_metadata() = v1.metadata();
    EXPECT_TRUE(ProtoEq(check, v1)) << "only the description may change";
  }

  // A stale etag is refused and changes nothing.
  UpdateExchangeRequest stale = update;
  stale.mutable_exchange()->set_description("stale write");
  Exchange out;
  absl::Status s = Call(&Stub::UpdateExchange, stale, &out, "mallory");
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  Exchange now;
  ASSERT_TRUE(GetExchange(name, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));

  // History: two revisions, oldest first.
  auto revisions = Revisions(name);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].revision(), 1);
  EXPECT_EQ(revisions[0].change(), Revision::CHANGE_CREATE);
  EXPECT_EQ(revisions[0].actor(), "anonymous");
  EXPECT_THAT(std::vector<std::string>(revisions[0].changed_fields().begin(),
                                       revisions[0].changed_fields().end()),
              ::testing::IsSupersetOf(
                  {"kind", "occurred", "transfers", "sources", "description"}));
  EXPECT_EQ(revisions[1].revision(), 2);
  EXPECT_EQ(revisions[1].change(), Revision::CHANGE_UPDATE);
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_THAT(revisions[1].changed_fields(), ElementsAre("description"));
  EXPECT_LT(Micros(revisions[0].change_time()),
            Micros(revisions[1].change_time()));
  Exchange snapshot;
  ASSERT_TRUE(revisions[0].snapshot().UnpackTo(&snapshot));
  EXPECT_TRUE(ProtoEq(snapshot, v1));
  ASSERT_TRUE(revisions[1].snapshot().UnpackTo(&snapshot));
  EXPECT_TRUE(ProtoEq(snapshot, v2));

  // As it stood between the two revisions, and before it existed.
  Exchange then;
  ASSERT_TRUE(GetExchange(name, &then, &between).ok());
  EXPECT_TRUE(ProtoEq(then, v1));
  EXPECT_EQ(GetExchange(name, &then, &before_create).code(),
            absl::StatusCode::kNotFound);
  const Timestamp after_update = MomentBetween();

  // A stale delete is refused.
  DeleteExchangeRequest del;
  del.set_name(name);
  del.set_etag(v1.metadata().etag());
  google::protobuf::Empty empty;
  s = Call(&Stub::DeleteExchange, del, &empty, "carol");
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  ASSERT_TRUE(GetExchange(name, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));

  // Delete; it is gone now, but was there before.
  del.set_etag(v2.metadata().etag());
  ASSERT_TRUE(Call(&Stub::DeleteExchange, del, &empty, "carol").ok());
  EXPECT_EQ(GetExchange(name, &now).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(GetExchange(name, &then, &after_update).ok());
  EXPECT_TRUE(ProtoEq(then, v2));
  ASSERT_TRUE(GetExchange(name, &then, &between).ok());
  EXPECT_TRUE(ProtoEq(then, v1));
  const Timestamp after_delete =
      ToTimestamp(absl::Now() + absl::Milliseconds(1));
  EXPECT_EQ(GetExchange(name, &then, &after_delete).code(),
            absl::StatusCode::kNotFound);
  revisions = Revisions(name);
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[2].revision(), 3);
  EXPECT_EQ(revisions[2].change(), Revision::CHANGE_DELETE);
  EXPECT_EQ(revisions[2].actor(), "carol");
  Exchange last_seen;
  ASSERT_TRUE(revisions[2].snapshot().UnpackTo(&last_seen));
  EXPECT_EQ(last_seen.description(), v2.description());

  // ListRevisions pages too: one revision a page, then no token.
  {
    ListRevisionsRequest req;
    req.set_name(name);
    req.set_page_size(1);
    std::vector<int64_t> seen;
    std::string first_token;
    for (int pages = 0; pages < 10; ++pages) {
      ListRevisionsResponse resp;
      ASSERT_TRUE(Call(&Stub::ListRevisions, req, &resp).ok());
      for (const auto& r : resp.revisions()) seen.push_back(r.revision());
      if (first_token.empty()) first_token = resp.next_page_token();
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    EXPECT_THAT(seen, ElementsAre(1, 2, 3));
    // Its token belongs to this record's history only.
    ListRevisionsRequest other;
    other.set_name("exchanges/remains-2025-11");
    other.set_page_token(first_token);
    ListRevisionsResponse resp;
    s = Call(&Stub::ListRevisions, other, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));
    other.clear_page_token();
    other.set_page_size(-1);
    s = Call(&Stub::ListRevisions, other, &resp);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_THAT(ViolationFields(s), ElementsAre("page_size"));
  }

  // Gone from every List, and updates find nothing.
  EXPECT_THAT(ExchangeNames({}), ElementsAre("exchanges/remains-2025-11"));
  ListExchangesRequest by_span;
  by_span.set_span("2026-W05");
  EXPECT_THAT(ExchangeNames(by_span), IsEmpty());
  ListExchangesRequest by_agreement;
  by_agreement.set_agreement(kIstanbul);
  EXPECT_THAT(ExchangeNames(by_agreement),
              ElementsAre("exchanges/remains-2025-11"));
  update.mutable_exchange()->mutable_metadata()->clear_etag();
  EXPECT_EQ(Call(&Stub::UpdateExchange, update, &out).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Call(&Stub::DeleteExchange, del, &empty).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ExchangesIntegrationTest, AgreementUpdateHistoryAndReadTime) {
  const Agreement v1 = CreateAgreementOk(Istanbul(), "istanbul-2025", "alice");
  const Timestamp between = MomentBetween();

  UpdateAgreementRequest update;
  update.mutable_agreement()->mutable_metadata()->set_name(kIstanbul);
  update.mutable_agreement()->mutable_metadata()->set_etag(
      v1.metadata().etag());
  update.mutable_agreement()->set_description("Amended");
  *update.mutable_update_mask() = Mask({"description"});
  Agreement v2;
  ASSERT_TRUE(Call(&Stub::UpdateAgreement, update, &v2, "bob").ok());
  EXPECT_EQ(v2.metadata().revision(), 2);

  // The same stale etag again: ABORTED, unchanged.
  update.mutable_agreement()->set_description("Amended twice");
  Agreement out;
  EXPECT_EQ(Call(&Stub::UpdateAgreement, update, &out).code(),
            absl::StatusCode::kAborted);
  Agreement now;
  ASSERT_TRUE(GetAgreement(kIstanbul, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v2));

  const auto revisions = Revisions(kIstanbul);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].actor(), "alice");
  EXPECT_EQ(revisions[1].actor(), "bob");
  EXPECT_THAT(revisions[1].changed_fields(), ElementsAre("description"));

  Agreement then;
  ASSERT_TRUE(GetAgreement(kIstanbul, &then, &between).ok());
  EXPECT_EQ(then.description(), Istanbul().description());
  EXPECT_EQ(then.metadata().revision(), 1);
  EXPECT_TRUE(ProtoEq(then, v1));

  // Without an etag the update applies to whatever is current.
  update.mutable_agreement()->mutable_metadata()->clear_etag();
  ASSERT_TRUE(Call(&Stub::UpdateAgreement, update, &out).ok());
  EXPECT_EQ(out.metadata().revision(), 3);
  EXPECT_EQ(out.description(), "Amended twice");

  // Replacing the terms revalidates them (quota normalised).
  UpdateAgreementRequest terms;
  terms.mutable_agreement()->mutable_metadata()->set_name(kIstanbul);
  Term* t = terms.mutable_agreement()->add_terms();
  t->set_category(CATEGORY_REMAINS);
  *t->mutable_quota() = Exact(12000);
  t->set_deadline("2026-06");
  *terms.mutable_update_mask() = Mask({"terms"});
  ASSERT_TRUE(Call(&Stub::UpdateAgreement, terms, &out).ok());
  ASSERT_EQ(out.terms_size(), 1);
  ExpectExact(out.terms(0).quota(), 12000);
  ExpectSpan(out.terms(0).deadline_span(), "2026-06", DateSpan::PRECISION_MONTH,
             "2026-06-01", "2026-06-30");
  ListAgreementsRequest wounded;
  wounded.set_category(CATEGORY_WOUNDED_PRISONERS);
  EXPECT_THAT(AgreementNames(wounded), IsEmpty());
}

TEST_F(ExchangesIntegrationTest, UpdateReindexesAndRecomputesSpans) {
  SeedWeek();
  const std::string name = "exchanges/remains-2026-w05";
  UpdateExchangeRequest update;
  update.mutable_exchange()->mutable_metadata()->set_name(name);
  update.mutable_exchange()->set_occurred("2026-W06");
  update.mutable_exchange()->clear_agreement();
  *update.mutable_update_mask() = Mask({"occurred", "agreement"});
  Exchange out;
  ASSERT_TRUE(Call(&Stub::UpdateExchange, update, &out).ok());
  ExpectSpan(out.occurred_span(), "2026-W06", DateSpan::PRECISION_WEEK,
             "2026-02-02", "2026-02-08");
  EXPECT_EQ(out.agreement(), "");

  ListExchangesRequest req;
  req.set_span("2026-W05");
  EXPECT_THAT(ExchangeNames(req), IsEmpty());
  req.set_span("2026-02-05");
  EXPECT_THAT(ExchangeNames(req), ElementsAre(name));
  ListExchangesRequest by_agreement;
  by_agreement.set_agreement(kIstanbul);
  EXPECT_THAT(ExchangeNames(by_agreement),
              ElementsAre("exchanges/remains-2025-11"));
}

TEST_F(ExchangesIntegrationTest,
       BadUpdateMaskIsInvalidArgumentAndChangesNothing) {
  SeedWeek();
  const std::string name = "exchanges/remains-2026-w05";
  Exchange v1;
  ASSERT_TRUE(GetExchange(name, &v1).ok());

  const std::vector<std::vector<const char*>> masks = {
      {"no_such_field"},
      {"metadata"},
      {"metadata.etag"},
      {"occurred_span"},
      {"description", "occurred_span"},
      {"transfers.nope"},
  };
  for (const auto& paths : masks) {
    UpdateExchangeRequest update;
    update.mutable_exchange()->mutable_metadata()->set_name(name);
    update.mutable_exchange()->set_description("must not be stored");
    for (const char* p : paths) update.mutable_update_mask()->add_paths(p);
    Exchange out;
    const absl::Status s = Call(&Stub::UpdateExchange, update, &out);
    SCOPED_TRACE(update.update_mask().ShortDebugString());
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    const auto fields = ViolationFields(s);
    EXPECT_FALSE(fields.empty());
    EXPECT_THAT(fields, ::testing::Each("update_mask"));
  }

  // A valid mask with an invalid value: the value's field is named.
  UpdateExchangeRequest bad_value;
  bad_value.mutable_exchange()->mutable_metadata()->set_name(name);
  bad_value.mutable_exchange()->set_occurred("2025-13");
  *bad_value.mutable_update_mask() = Mask({"occurred"});
  Exchange out;
  absl::Status s = Call(&Stub::UpdateExchange, bad_value, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("exchange.occurred"));
  // Clearing a required field through the mask.
  UpdateExchangeRequest clear_sources;
  clear_sources.mutable_exchange()->mutable_metadata()->set_name(name);
  *clear_sources.mutable_update_mask() = Mask({"sources"});
  s = Call(&Stub::UpdateExchange, clear_sources, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("exchange.sources"));
  // A reference to an agreement that does not exist.
  UpdateExchangeRequest bad_reference;
  bad_reference.mutable_exchange()->mutable_metadata()->set_name(name);
  bad_reference.mutable_exchange()->set_agreement("agreements/istanbul-2022");
  *bad_reference.mutable_update_mask() = Mask({"agreement"});
  s = Call(&Stub::UpdateExchange, bad_reference, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("exchange.agreement"));
  // A malformed name.
  UpdateExchangeRequest bad_name;
  bad_name.mutable_exchange()->mutable_metadata()->set_name(
      "exchanges/Not_An_Id");
  *bad_name.mutable_update_mask() = Mask({"description"});
  s = Call(&Stub::UpdateExchange, bad_name, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationFields(s), ElementsAre("exchange.metadata.name"));

  Exchange now;
  ASSERT_TRUE(GetExchange(name, &now).ok());
  EXPECT_TRUE(ProtoEq(now, v1));
  EXPECT_EQ(Revisions(name).size(), 1u);
}

}  // namespace
}  // namespace parley::exchanges
