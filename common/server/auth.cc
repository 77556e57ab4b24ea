#include "common/server/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/files.h"
#include "common/base/log.h"

namespace parley {
namespace {

// Names travel as gRPC metadata (x-parley-caller) and into logs: plain
// ASCII only, or gRPC refuses the header on every call.
bool IsPrincipalName(absl::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '@' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// Compares in time independent of where the two differ.
bool SameSecret(absl::string_view given, absl::string_view secret) {
  return given.size() == secret.size() &&
         CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

bool IsLowerHex(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

std::string MetadataValue(const Metadata& metadata, absl::string_view key) {
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  if (name == "reader") return Role::kReader;
  if (name == "editor") return Role::kEditor;
  if (name == "admin") return Role::kAdmin;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role \"", name, "\": expected reader, editor or admin"));
}

Role RequiredRole(absl::string_view service, absl::string_view method) {
  if (service == "parley.admin.v1.AdminService") return Role::kAdmin;
  if (service == "parley.reports.v1.ReportService") return Role::kReader;
  if (absl::StartsWith(method, "Get") || absl::StartsWith(method, "List") ||
      absl::StartsWith(method, "Summarize") ||
      absl::StartsWith(method, "Watch")) {
    return Role::kReader;
  }
  return Role::kEditor;
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

absl::StatusOr<TokenTable> TokenTable::Parse(absl::string_view text) {
  TokenTable table;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": ", why,
                       " (expected: <sha256 hex of the token> <role> <name>)"));
    };
    if (fields.size() != 3) return bad("not three fields");
    const std::string hash = absl::AsciiStrToLower(fields[0]);
    if (hash.size() != 64 || !IsLowerHex(hash)) {
      return bad("the first field is not a SHA-256 hex digest (64 hex digits)");
    }
    absl::StatusOr<Role> role = ParseRole(fields[1]);
    if (!role.ok()) return bad(role.status().message());
    if (!IsPrincipalName(fields[2])) {
      return bad("the name is not 1-128 of A-Z a-z 0-9 . _ @ -");
    }
    if (!table.by_hash_.emplace(hash, Principal{std::string(fields[2]), *role})
             .second) {
      return bad("the same token hash is listed twice");
    }
  }
  return table;
}

absl::StatusOr<TokenTable> TokenTable::Load(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path, "tokens file");
  if (!text.ok()) return text.status();
  absl::StatusOr<TokenTable> table = Parse(*text);
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tokens file ", path, ": ", table.status().message()));
  }
  if (table->size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("tokens file ", path, " lists no token"));
  }
  return table;
}

const Principal* TokenTable::Find(absl::string_view token) const {
  // Looked up by hash: comparing digests leaks nothing useful about tokens.
  auto it = by_hash_.find(Sha256Hex(token));
  return it == by_hash_.end() ? nullptr : &it->second;
}

absl::StatusOr<std::string> BearerToken(const Metadata& metadata) {
  const std::string value = MetadataValue(metadata, "authorization");
  if (value.empty()) {
    return absl::UnauthenticatedError(
        "no credentials: send metadata \"authorization: Bearer <token>\"");
  }
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(absl::string_view(value).substr(0, 7), kScheme)) {
    return absl::UnauthenticatedError(
        "the authorization metadata is not \"Bearer <token>\"");
  }
  return std::string(
      absl::StripAsciiWhitespace(absl::string_view(value).substr(7)));
}

absl::Time DeadlineOf(const grpc::ServerContextBase& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

absl::StatusOr<Caller> ServiceAdmission::Admit(
    const grpc::ServerContextBase& context, absl::string_view,
    absl::string_view) const {
  if (!credential_.empty()) {
    absl::StatusOr<std::string> token = BearerToken(context.client_metadata());
    if (!token.ok()) {
      return absl::UnauthenticatedError(
          absl::StrCat("calls to this service must come through the gateway: ",
                       token.status().message()));
    }
    if (!SameSecret(*token, credential_)) {
      return absl::UnauthenticatedError(
          "calls to this service must come through the gateway: wrong "
          "service credential");
    }
  }
  return Caller{.actor = Identify(context.client_metadata()),
                .deadline = DeadlineOf(context)};
}

std::string ServiceAdmission::Identify(const Metadata& metadata) const {
  if (!credential_.empty()) {
    // Only a caller with the credential gets to name someone.
    absl::StatusOr<std::string> token = BearerToken(metadata);
    if (!token.ok() || !SameSecret(*token, credential_)) {
      return "unauthenticated";
    }
  }
  std::string actor = MetadataValue(metadata, kCallerHeader);
  return actor.empty() ? "anonymous" : actor;
}

absl::StatusOr<std::shared_ptr<TokenAdmission>> TokenAdmission::FromFile(
    const std::string& path) {
  const FileStamp stamp = StampOf(path);
  absl::StatusOr<TokenTable> tokens = TokenTable::Load(path);
  if (!tokens.ok()) return tokens.status();
  auto admission = std::make_shared<TokenAdmission>(*std::move(tokens));
  admission->path_ = path;
  admission->next_check_ns_ = absl::GetCurrentTimeNanos() + 1000000000;
  absl::MutexLock lock(&admission->mu_);
  admission->stamp_ = stamp;
  return admission;
}

TokenAdmission::FileStamp TokenAdmission::StampOf(const std::string& path) {
  // stat, not lstat: a Kubernetes Secret's file is a symlink whose target
  // changes when the Secret does.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {static_cast<uint64_t>(st.st_ino), static_cast<int64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
              st.st_mtim.tv_nsec};
}

void TokenAdmission::MaybeReload() const {
  const int64_t now = absl::GetCurrentTimeNanos();
  int64_t next = next_check_ns_.load(std::memory_order_relaxed);
  if (now < next ||
      !next_check_ns_.compare_exchange_strong(next, now + 1000000000)) {
    return;
  }
  const FileStamp stamp = StampOf(path_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (stamp == stamp_) return;
  }
  absl::StatusOr<TokenTable> tokens = TokenTable::Load(path_);
  absl::MutexLock lock(&mu_);
  stamp_ = stamp;
  if (!tokens.ok()) {
    Log(LogLevel::kError,
        "tokens file changed but cannot be read: keeping the tokens in force",
        {{"tokens_file", path_}, {"error", tokens.status().ToString()}});
    return;
  }
  tokens_ = std::make_shared<const TokenTable>(*std::move(tokens));
  Log(LogLevel::kInfo, "tokens file reloaded",
      {{"tokens_file", path_}, {"tokens", tokens_->size()}});
}

std::shared_ptr<const TokenTable> TokenAdmission::Current() const {
  if (!path_.empty()) MaybeReload();
  absl::ReaderMutexLock lock(&mu_);
  return tokens_;
}

std::string TokenAdmission::Identify(const Metadata& metadata) const {
  absl::StatusOr<std::string> token = BearerToken(metadata);
  if (!token.ok()) return "anonymous";
  const std::shared_ptr<const TokenTable> tokens = Current();
  const Principal* principal = tokens->Find(*token);
  return principal == nullptr ? "unknown-token" : principal->name;
}

absl::StatusOr<Caller> TokenAdmission::Admit(
    const grpc::ServerContextBase& context, absl::string_view service,
    absl::string_view method) const {
  absl::StatusOr<std::string> token = BearerToken(context.client_metadata());
  if (!token.ok()) return token.status();
  const std::shared_ptr<const TokenTable> tokens = Current();
  const Principal* principal = tokens->Find(*token);
  if (principal == nullptr) {
    return absl::UnauthenticatedError("unknown or revoked bearer token");
  }
  const Role needed = RequiredRole(service, method);
  if (principal->role < needed) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, " needs the ", RoleName(needed), " role; \"",
                     principal->name, "\" has ", RoleName(principal->role)));
  }
  return Caller{.actor = principal->name, .deadline = DeadlineOf(context)};
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path, "secret file");
  if (!text.ok()) return text.status();
  std::string secret(absl::StripAsciiWhitespace(*text));
  if (secret.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the secret file ", path, " is empty"));
  }
  // It is sent as a header value: printable ASCII, no spaces.
  for (char c : secret) {
    if (c <= 0x20 || c >= 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the secret file ", path,
          " holds more than printable ASCII (make one with `openssl rand "
          "-hex 32`)"));
    }
  }
  return secret;
}

}  // namespace parley
