#include "common/server/server_credentials.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/files.h"

ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain to serve TLS with (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(bool, plaintext, false,
          "serve without TLS; for local runs, tests, or behind a proxy that "
          "terminates TLS");

namespace parley {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view flag) {
  absl::StatusOr<std::string> text = ReadTextFile(path, "PEM file");
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--", flag, ": ", text.status().message()));
  }
  if (text->find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", path, " is not a PEM file"));
  }
  return text;
}

}  // namespace

bool TlsRequested() {
  return !absl::GetFlag(FLAGS_tls_cert_file).empty() ||
         !absl::GetFlag(FLAGS_tls_key_file).empty();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFlags(bool require_choice) {
  const std::string cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key_file = absl::GetFlag(FLAGS_tls_key_file);
  const bool plaintext = absl::GetFlag(FLAGS_plaintext);
  if (!TlsRequested()) {
    if (require_choice && !plaintext) {
      return absl::FailedPreconditionError(
          "this service faces users and serves TLS: give --tls_cert_file and "
          "--tls_key_file, or --plaintext to serve without TLS");
    }
    return grpc::InsecureServerCredentials();
  }
  if (plaintext) {
    return absl::InvalidArgumentError(
        "--plaintext: cannot be combined with --tls_cert_file/--tls_key_file");
  }
  if (cert_file.empty() || key_file.empty()) {
    return absl::InvalidArgumentError(
        cert_file.empty()
            ? "--tls_cert_file: missing; --tls_key_file needs it"
            : "--tls_key_file: missing; --tls_cert_file needs it");
  }
  absl::StatusOr<std::string> cert = ReadPem(cert_file, "tls_cert_file");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(key_file, "tls_key_file");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

}  // namespace parley
