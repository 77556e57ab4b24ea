// Authentication input (common/auth): the gateway's tokens file, the
// "authorization: Bearer <token>" header every call carries, the
// x-parley-caller header a domain service reads, and the role a method
// needs. Input: byte 0 chooses a check, the rest is its text.
//
// Properties: a tokens file that parses finds each of its tokens with the
// name and role given and nothing else; a refused one says which line; a
// bearer token has no surrounding space and errors are UNAUTHENTICATED; a
// caller is identified only by the credential; every method needs one of
// the three roles, AdminService's the admin role.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/server/auth.h"
#include "tests/fuzz/fuzz_input.h"

namespace parley::fuzz {
namespace {

// A tokens file as written: if it parses, every line but blanks and
// comments became one entry.
void CheckTableText(absl::string_view text) {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(text);
  if (!table.ok()) {
    PARLEY_FUZZ_CHECK(
        table.status().code() == absl::StatusCode::kInvalidArgument &&
            absl::StartsWith(table.status().message(), "line "),
        table.status().ToString());
    return;
  }
  size_t entries = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line.front() != '#') ++entries;
  }
  PARLEY_FUZZ_CHECK(table->size() == entries, text);
}

// Lines "<token> <role and name>", the token hashed as an operator would:
// if the table parses, each token is found as its name and role.
void CheckTableOfTokens(absl::string_view text) {
  std::string file;
  std::vector<std::pair<std::string, std::vector<std::string>>> expected;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) continue;
    const absl::string_view token = line.substr(0, space);
    const absl::string_view rest = line.substr(space + 1);
    absl::StrAppend(&file, Sha256Hex(token), " ", rest, "\n");
    expected.emplace_back(
        std::string(token),
        absl::StrSplit(rest, absl::ByAnyChar(" \t\r\v\f"), absl::SkipEmpty()));
  }
  absl::StatusOr<TokenTable> table = TokenTable::Parse(file);
  if (!table.ok()) return;
  PARLEY_FUZZ_CHECK(table->size() == expected.size(), file);
  for (const auto& [token, fields] : expected) {
    PARLEY_FUZZ_CHECK(fields.size() == 2, file);
    const Principal* found = table->Find(token);
    PARLEY_FUZZ_CHECK(found != nullptr && found->name == fields[1], file);
    absl::StatusOr<Role> role = ParseRole(fields[0]);
    PARLEY_FUZZ_CHECK(role.ok() && found->role == *role, file);
  }
}

// Metadata from lines "key: value"; the bearer token and who each
// admission says is calling.
void CheckMetadata(absl::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    pairs.emplace_back(
        std::string(line.substr(0, colon)),
        std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1))));
  }
  Metadata metadata;
  for (const auto& [key, value] : pairs) {
    metadata.emplace(grpc::string_ref(key.data(), key.size()),
                     grpc::string_ref(value.data(), value.size()));
  }
  absl::StatusOr<std::string> token = BearerToken(metadata);
  if (token.ok()) {
    PARLEY_FUZZ_CHECK(absl::StripAsciiWhitespace(*token) == *token, *token);
  } else {
    PARLEY_FUZZ_CHECK(
        token.status().code() == absl::StatusCode::kUnauthenticated,
        token.status().ToString());
  }

  const std::string credential = "service-credential-0123456789";
  const std::string anyone = ServiceAdmission().Identify(metadata);
  const std::string with_credential =
      ServiceAdmission(credential).Identify(metadata);
  PARLEY_FUZZ_CHECK(!anyone.empty() && !with_credential.empty(), text);
  if (!token.ok() || *token != credential) {
    // Without the credential nobody gets to name a caller.
    PARLEY_FUZZ_CHECK(with_credential == "unauthenticated", with_credential);
  } else {
    PARLEY_FUZZ_CHECK(with_credential == anyone, with_credential);
  }

  auto table = TokenTable::Parse(
      absl::StrCat(Sha256Hex("reader-token"), " reader desk-reader\n"));
  PARLEY_FUZZ_CHECK(table.ok(), table.status().ToString());
  const std::string user = TokenAdmission(*std::move(table)).Identify(metadata);
  if (token.ok() && *token == "reader-token") {
    PARLEY_FUZZ_CHECK(user == "desk-reader", user);
  } else {
    PARLEY_FUZZ_CHECK(user == "anonymous" || user == "unknown-token", user);
  }
}

// "service/method": the role it needs.
void CheckRole(absl::string_view text) {
  const size_t slash = text.find('/');
  const absl::string_view service = text.substr(0, slash);
  const absl::string_view method =
      slash == absl::string_view::npos ? "" : text.substr(slash + 1);
  const Role role = RequiredRole(service, method);
  PARLEY_FUZZ_CHECK(
      role == Role::kReader || role == Role::kEditor || role == Role::kAdmin,
      text);
  absl::StatusOr<Role> parsed = ParseRole(RoleName(role));
  PARLEY_FUZZ_CHECK(parsed.ok() && *parsed == role, text);
  if (service == "parley.admin.v1.AdminService") {
    PARLEY_FUZZ_CHECK(role == Role::kAdmin, text);
  } else if (service != "parley.reports.v1.ReportService" &&
             !absl::StartsWith(method, "Get") &&
             !absl::StartsWith(method, "List") &&
             !absl::StartsWith(method, "Summarize")) {
    // Writes, and methods nobody has classified, are closed to readers.
    PARLEY_FUZZ_CHECK(role == Role::kEditor, text);
  }
  absl::StatusOr<Role> any = ParseRole(text);
  PARLEY_FUZZ_CHECK(
      any.ok() || any.status().code() == absl::StatusCode::kInvalidArgument,
      text);
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  FuzzInput input(data, size);
  const uint8_t check = input.TakeByte();
  const absl::string_view text = input.Rest();
  switch (check % 4) {
    case 0:
      CheckTableText(text);
      break;
    case 1:
      CheckTableOfTokens(text);
      break;
    case 2:
      CheckMetadata(text);
      break;
    case 3:
      CheckRole(text);
      break;
  }
  return 0;
}
