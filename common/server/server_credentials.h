// How a service listens: TLS from PEM files, or plaintext. A public endpoint
// (the gateway) must be told which: plaintext only when asked for.
#ifndef PARLEY_COMMON_SERVER_SERVER_CREDENTIALS_H_
#define PARLEY_COMMON_SERVER_SERVER_CREDENTIALS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace parley {

// From --tls_cert_file, --tls_key_file, --tls_client_ca_file (mutual TLS:
// callers must present a certificate signed by it), --tls_reload_seconds
// (the files are read again that often: a renewed certificate is served
// without a restart) and --plaintext. Errors name the flag: one of the pair
// without the other, an unreadable file, both TLS and --plaintext, a client
// CA without TLS, or (with `require_choice`) neither.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFlags(bool require_choice);

// True if the flags ask for TLS.
bool TlsRequested();
// True if they ask for client certificates too.
bool ClientCertificatesRequired();

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_SERVER_CREDENTIALS_H_
