// Who may call, and as whom. The gateway admits users by bearer token and
// role; the domain services admit only the gateway, by a shared service
// credential, and take the user it names as the actor of the call.
#ifndef PARLEY_COMMON_SERVER_AUTH_H_
#define PARLEY_COMMON_SERVER_AUTH_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace parley {

// Metadata the gateway sets on calls to a domain service: the user on whose
// behalf it calls. Never taken from a user: the gateway overwrites it.
inline constexpr char kCallerHeader[] = "x-parley-caller";

// Who is calling, as far as the service can tell.
struct Caller {
  std::string actor;
  // The call's deadline (absl::InfiniteFuture() if it has none), for calls
  // this one makes in turn.
  absl::Time deadline = absl::InfiniteFuture();
};

// Ordered: each role may do everything the ones before it may.
enum class Role { kReader = 1, kEditor = 2, kAdmin = 3 };

absl::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRole(absl::string_view name);

// What a method needs: reads (Get*, List*, Summarize*, every report) need a
// reader, AdminService an admin, anything else (a write) an editor, so a
// method added later is closed to readers until someone says otherwise.
Role RequiredRole(absl::string_view service, absl::string_view method);

// Lowercase hex SHA-256, as `sha256sum` prints it.
std::string Sha256Hex(absl::string_view data);

struct Principal {
  std::string name;
  Role role = Role::kReader;
};

// The gateway's tokens file: one line per token,
//   <sha256 hex of the token> <role> <name>
// with '#' comments and blank lines. Only hashes are kept, so the file (and
// a memory dump) does not give the tokens away.
class TokenTable {
 public:
  static absl::StatusOr<TokenTable> Parse(absl::string_view text);
  // Errors name the file and line.
  static absl::StatusOr<TokenTable> Load(const std::string& path);

  // The principal holding `token`, or null.
  const Principal* Find(absl::string_view token) const;
  size_t size() const { return by_hash_.size(); }

 private:
  absl::flat_hash_map<std::string, Principal> by_hash_;
};

// A call's metadata, as gRPC hands it to servers and interceptors.
using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// The token in "authorization: Bearer <token>"; UNAUTHENTICATED, saying
// what is wrong, if there is none.
absl::StatusOr<std::string> BearerToken(const Metadata& metadata);

// Decides whether a call may proceed, and as whom.
class Admission {
 public:
  virtual ~Admission() = default;
  // `service` is the full gRPC service name, `method` the method's name.
  virtual absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context,
                                       absl::string_view service,
                                       absl::string_view method) const = 0;
  // Who the metadata says is calling, for the call log: a name, never a
  // secret; "anonymous" if nobody is named.
  virtual std::string Identify(const Metadata& metadata) const = 0;
};

// A domain service's admission. With a credential, a call must carry it as
// its bearer token (the gateway's); the actor is the user the gateway names.
// Without one, anyone is admitted (local runs and tests).
class ServiceAdmission final : public Admission {
 public:
  explicit ServiceAdmission(std::string credential = "")
      : credential_(std::move(credential)) {}
  absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context,
                               absl::string_view service,
                               absl::string_view method) const override;
  std::string Identify(const Metadata& metadata) const override;

 private:
  std::string credential_;
};

// The gateway's admission: a user's bearer token, found in the table, with a
// role that allows the method. The actor is the token's name.
class TokenAdmission final : public Admission {
 public:
  explicit TokenAdmission(TokenTable tokens)
      : tokens_(std::make_shared<const TokenTable>(std::move(tokens))) {}
  // From a tokens file, read again when it changes (checked at most once a
  // second, on calls): a token added or revoked in the file (a Kubernetes
  // Secret updated in place) counts without a restart. A change that does
  // not parse is logged and the tokens in force are kept. Errors of the
  // first read name the file and line.
  static absl::StatusOr<std::shared_ptr<TokenAdmission>> FromFile(
      const std::string& path);

  absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context,
                               absl::string_view service,
                               absl::string_view method) const override;
  std::string Identify(const Metadata& metadata) const override;

 private:
  // The file's identity and version: a replaced file (a new inode, as a
  // Secret's symlink swap gives) or one written in place.
  struct FileStamp {
    uint64_t inode = 0;
    int64_t size = -1;
    int64_t mtime_ns = 0;
    bool operator==(const FileStamp& o) const {
      return inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
    }
  };
  static FileStamp StampOf(const std::string& path);
  // The tokens in force, after MaybeReload.
  std::shared_ptr<const TokenTable> Current() const;
  // At most once a second, one caller (the one that claims the check) looks
  // at the file and, if it changed, reads it outside the lock and swaps the
  // table in; the others go on with the tokens in force, under a reader
  // lock, never waiting on the file.
  void MaybeReload() const;

  std::string path_;  // "" if not from a file
  mutable std::atomic<int64_t> next_check_ns_{0};
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const TokenTable> tokens_ ABSL_GUARDED_BY(mu_);
  mutable FileStamp stamp_ ABSL_GUARDED_BY(mu_);
};

// Reads a one-line secret (the service credential), trimmed. Errors name
// the file; an empty file is an error, not "no credential".
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

// The call's deadline, or absl::InfiniteFuture().
absl::Time DeadlineOf(const grpc::ServerContextBase& context);

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_AUTH_H_
