// SummarizeStatements through the in-process server: per speaker, the count
// of statements about a record made by a day and the latest few, read from
// the counts kept at write time; the same answer from history at a past
// read_time; and its bad requests refused by field.
#include "absl/strings/str_format.h"
#include "tests/integration/negotiations_fixture.h"

namespace parley::negotiations {
namespace {

using ::testing::ElementsAreArray;

// A statement by `country` about `about`, made `made`.
Statement Said(const std::string& country, const std::string& made,
               const std::string& about = kPowChannel) {
  Statement s = MedinskyAccusation();
  s.mutable_speaker()->set_country(country);
  s.set_made(made);
  s.clear_about();
  s.add_about(about);
  return s;
}

class StatementSummaryTest : public NegotiationsIntegrationTest {
 protected:
  SummarizeStatementsResponse Summarize(const std::string& as_of,
                                        int per_speaker = 0,
                                        const Timestamp* read_time = nullptr) {
    SummarizeStatementsRequest req;
    req.set_about(kPowChannel);
    req.set_as_of(as_of);
    req.set_statements_per_speaker(per_speaker);
    if (read_time != nullptr) *req.mutable_read_time() = *read_time;
    return CallOk(&Stub::SummarizeStatements, req);
  }

  // Per speaker: "RU 16: ru-15 ru-14 ...".
  static std::vector<std::string> Lines(const SummarizeStatementsResponse& r) {
    std::vector<std::string> lines;
    for (const auto& s : r.speakers()) {
      std::string line =
          absl::StrCat(s.speaker().country(), s.speaker().organization(), " ",
                       s.statement_count(), ":");
      for (const auto& st : s.statements()) {
        absl::StrAppend(&line, " ", st.metadata().name().substr(11));
      }
      lines.push_back(line);
    }
    return lines;
  }

  // Russia: one a day from 2026-01-01 to 01-15, one dated only by its
  // month, one after the as_of of the tests, one about another channel.
  // Ukraine: three. An organisation: one.
  void SeedSaid() {
    for (int day = 1; day <= 15; ++day) {
      CreateStatementOk(Said("RU", absl::StrFormat("2026-01-%02d", day)),
                        absl::StrFormat("ru-%02d", day));
    }
    CreateStatementOk(Said("RU", "2026-01"), "ru-january");
    CreateStatementOk(Said("RU", "2026-02-03"), "ru-february");
    CreateStatementOk(Said("RU", "2026-01-20", "channels/other"), "ru-other");
    CreateStatementOk(Said("UA", "2026-01-10"), "ua-a");
    CreateStatementOk(Said("UA", "2026-01-10"), "ua-b");
    CreateStatementOk(Said("UA", "2026-W03"), "ua-week");
    Statement icrc = Said("", "2026-01-05");
    icrc.mutable_speaker()->set_organization("ICRC");
    CreateStatementOk(icrc, "icrc");
  }
};

TEST_F(StatementSummaryTest, CountsAndTheLatestPerSpeaker) {
  SeedSaid();
  // By the first day made: the month-dated one began on 01-01 and counts;
  // ties (ua-a, ua-b on 01-10) go by name; 01-12 (the week's first day)
  // is newer.
  EXPECT_THAT(
      Lines(Summarize("2026-01-31", 5)),
      ElementsAre("ICRC 1: icrc", "RU 16: ru-15 ru-14 ru-13 ru-12 ru-11",
                  "UA 3: ua-week ua-a ua-b"));
  // as_of is a span: its last day. The default is 10 each.
  EXPECT_THAT(Lines(Summarize("2026-W02")),
              ElementsAre("ICRC 1: icrc",
                          "RU 12: ru-11 ru-10 ru-09 ru-08 ru-07 ru-06 ru-05 "
                          "ru-04 ru-03 ru-02",
                          "UA 2: ua-a ua-b"));
  // No as_of: every statement, the February one first.
  const auto all = Summarize("", 2);
  EXPECT_THAT(Lines(all),
              ElementsAre("ICRC 1: icrc", "RU 17: ru-february ru-15",
                          "UA 3: ua-week ua-a"));
  // Whole records, as GetStatement returns them.
  Statement got;
  ASSERT_TRUE(GetStatement("statements/ru-15", &got).ok());
  EXPECT_TRUE(ProtoEq(all.speakers(1).statements(1), got));
  // Before anything was said: no speakers.
  EXPECT_THAT(Lines(Summarize("2025-12-31")), IsEmpty());
}

TEST_F(StatementSummaryTest, FollowsUpdatesAndDeletes) {
  SeedSaid();
  // ru-15 deleted, ru-03 moved to 01-30, ua-a now about another channel.
  DeleteStatementRequest del;
  del.set_name("statements/ru-15");
  CallOk(&Stub::DeleteStatement, del);
  UpdateStatementRequest move;
  move.mutable_statement()->mutable_metadata()->set_name("statements/ru-03");
  move.mutable_statement()->set_made("2026-01-30");
  *move.mutable_update_mask() = Mask({"made"});
  CallOk(&Stub::UpdateStatement, move);
  UpdateStatementRequest away;
  away.mutable_statement()->mutable_metadata()->set_name("statements/ua-a");
  away.mutable_statement()->add_about("channels/other");
  *away.mutable_update_mask() = Mask({"about"});
  CallOk(&Stub::UpdateStatement, away);

  EXPECT_THAT(Lines(Summarize("2026-01-31", 3)),
              ElementsAre("ICRC 1: icrc", "RU 15: ru-03 ru-14 ru-13",
                          "UA 2: ua-week ua-b"));
}

TEST_F(StatementSummaryTest, AtAPastReadTimeFromHistory) {
  SeedSaid();
  const auto then = Summarize("2026-01-31", 4);
  const Timestamp read_time = ToTimestamp(absl::Now());
  absl::SleepFor(absl::Milliseconds(2));
  CreateStatementOk(Said("RU", "2026-01-16"), "ru-16");
  DeleteStatementRequest del;
  del.set_name("statements/icrc");
  CallOk(&Stub::DeleteStatement, del);
  ASSERT_THAT(
      Lines(Summarize("2026-01-31", 4)),
      ElementsAre("RU 17: ru-16 ru-15 ru-14 ru-13", "UA 3: ua-week ua-a ua-b"));

  // The history, read as it stood, answers what the counts answered then.
  const auto past = Summarize("2026-01-31", 4, &read_time);
  EXPECT_THAT(Lines(past), ElementsAreArray(Lines(then)));
  EXPECT_TRUE(ProtoEq(past, then));
}

TEST_F(StatementSummaryTest, BadRequestsNameTheirField) {
  SeedSaid();
  const auto refused = [&](SummarizeStatementsRequest req) {
    SummarizeStatementsResponse out;
    const absl::Status s = Call(&Stub::SummarizeStatements, req, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    return ViolationFields(s);
  };
  SummarizeStatementsRequest req;
  EXPECT_THAT(refused(req), ElementsAre("about"));
  req.set_about("pow-ru-ua");
  EXPECT_THAT(refused(req), ElementsAre("about"));
  req.set_about(kPowChannel);
  req.set_as_of("2026-13-01");
  EXPECT_THAT(refused(req), ElementsAre("as_of"));
  req.set_as_of("2026-01-31");
  req.set_statements_per_speaker(101);
  EXPECT_THAT(refused(req), ElementsAre("statements_per_speaker"));
  req.set_statements_per_speaker(-1);
  EXPECT_THAT(refused(req), ElementsAre("statements_per_speaker"));
  req.set_statements_per_speaker(100);
  req.mutable_read_time()->set_nanos(-1);
  EXPECT_THAT(refused(req), ElementsAre("read_time"));
}

}  // namespace
}  // namespace parley::negotiations
