#include "common/server/server_credentials.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/files.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain to serve TLS with (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA certificates: with it, callers must present a client "
          "certificate signed by one of them (mutual TLS; the domain "
          "services behind the gateway)");
ABSL_FLAG(int, tls_reload_seconds, 10,
          "how often the TLS files are read again, so that a renewed "
          "certificate (a Kubernetes Secret updated in place) is served "
          "without a restart");
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
    if (!absl::GetFlag(FLAGS_tls_client_ca_file).empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca_file: needs --tls_cert_file and --tls_key_file "
          "(client certificates are checked over TLS)");
    }
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
  // Read once here so that a bad file stops the start with its flag's
  // name; gRPC's file watcher reads them again every --tls_reload_seconds.
  absl::StatusOr<std::string> cert = ReadPem(cert_file, "tls_cert_file");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(key_file, "tls_key_file");
  if (!key.ok()) return key.status();
  const std::string client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  if (!client_ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadPem(client_ca_file, "tls_client_ca_file");
    if (!ca.ok()) return ca.status();
  }
  const int reload = absl::GetFlag(FLAGS_tls_reload_seconds);
  if (reload < 1) {
    return absl::InvalidArgumentError(
        "--tls_reload_seconds: must be at least 1");
  }
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          key_file, cert_file, client_ca_file, reload);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (client_ca_file.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

bool ClientCertificatesRequired() {
  return TlsRequested() && !absl::GetFlag(FLAGS_tls_client_ca_file).empty();
}

}  // namespace parley
