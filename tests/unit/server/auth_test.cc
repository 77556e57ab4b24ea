// The tokens file, token hashing and which role each method needs.
#include "common/server/auth.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

TEST(Sha256HexTest, MatchesSha256sum) {
  // printf %s abc | sha256sum
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(TokenTableTest, FindsPrincipalsByToken) {
  const std::string text = "# desk tokens\n\n" + Sha256Hex("s3cret") +
                           "  editor  desk-kyiv\n" + Sha256Hex("r3ad") +
                           "\treader\tngo-viewer\n";
  absl::StatusOr<TokenTable> table = TokenTable::Parse(text);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  const Principal* editor = table->Find("s3cret");
  ASSERT_NE(editor, nullptr);
  EXPECT_EQ(editor->name, "desk-kyiv");
  EXPECT_EQ(editor->role, Role::kEditor);
  EXPECT_EQ(table->Find("r3ad")->role, Role::kReader);
  EXPECT_EQ(table->Find("S3CRET"), nullptr);
  EXPECT_EQ(table->Find(""), nullptr);
  // The hash itself is not a token.
  EXPECT_EQ(table->Find(Sha256Hex("s3cret")), nullptr);
}

TEST(TokenTableTest, UppercaseHexIsAccepted) {
  std::string hash = Sha256Hex("t");
  for (char& c : hash) c = static_cast<char>(toupper(c));
  absl::StatusOr<TokenTable> table = TokenTable::Parse(hash + " admin ops\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->Find("t")->role, Role::kAdmin);
}

TEST(TokenTableTest, BadLinesAreRefusedNamingTheLine) {
  const std::string good = Sha256Hex("a") + " reader a\n";
  struct Case {
    std::string text;
    std::string says;
  } cases[] = {
      {good + "plaintext-token editor b\n", "line 2"},
      {good + Sha256Hex("b") + " superuser b\n", "unknown role"},
      {good + Sha256Hex("b") + " editor\n", "not three fields"},
      {good + Sha256Hex("b") + " editor b extra\n", "not three fields"},
      {good + good, "twice"},
      {Sha256Hex("a").substr(0, 63) + "g reader a\n", "SHA-256"},
      {good + Sha256Hex("b") + " editor desk\xd0\x9a\n", "name"},
      {good + Sha256Hex("b") + " editor " + std::string(129, 'n') + "\n",
       "name"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<TokenTable> table = TokenTable::Parse(c.text);
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument)
        << c.text;
    EXPECT_THAT(table.status().message(), HasSubstr(c.says)) << c.text;
  }
}

TEST(TokenTableTest, LoadNamesTheFile) {
  absl::StatusOr<TokenTable> missing = TokenTable::Load("/nonexistent/tokens");
  EXPECT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/tokens"));
}

TEST(ReadSecretFileTest, TrimsAndRefusesWhatCannotBeAHeader) {
  const std::string path = ::testing::TempDir() + "/parley-secret";
  std::ofstream(path) << "  s3cret-Value_1  \n";
  absl::StatusOr<std::string> secret = ReadSecretFile(path);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "s3cret-Value_1");
  for (const std::string bad :
       {std::string("two words"), std::string("caf\xc3\xa9"),
        std::string(" \n")}) {
    std::ofstream(path) << bad;
    EXPECT_FALSE(ReadSecretFile(path).ok()) << bad;
  }
  EXPECT_THAT(ReadSecretFile("/nonexistent/secret").status().message(),
              HasSubstr("/nonexistent/secret"));
}

TEST(RequiredRoleTest, ReadsWritesAndAdmin) {
  EXPECT_EQ(
      RequiredRole("parley.exchanges.v1.ExchangesService", "GetAgreement"),
      Role::kReader);
  EXPECT_EQ(
      RequiredRole("parley.exchanges.v1.ExchangesService", "ListRevisions"),
      Role::kReader);
  EXPECT_EQ(RequiredRole("parley.incidents.v1.IncidentsService",
                         "SummarizeIncidents"),
            Role::kReader);
  EXPECT_EQ(RequiredRole("parley.reports.v1.ReportService", "GetSummary"),
            Role::kReader);
  for (const char* write : {"CreateAgreement", "UpdateExchange",
                            "DeleteIncident", "ReportPosition", "Anything"}) {
    EXPECT_EQ(RequiredRole("parley.negotiations.v1.NegotiationsService", write),
              Role::kEditor)
        << write;
  }
  EXPECT_EQ(RequiredRole("parley.admin.v1.AdminService", "ListBackups"),
            Role::kAdmin);
}

TEST(RoleTest, ParseAndOrder) {
  EXPECT_EQ(*ParseRole("admin"), Role::kAdmin);
  EXPECT_FALSE(ParseRole("Admin").ok());
  EXPECT_LT(Role::kReader, Role::kEditor);
  EXPECT_LT(Role::kEditor, Role::kAdmin);
  EXPECT_EQ(RoleName(Role::kEditor), "editor");
}

}  // namespace
}  // namespace parley
