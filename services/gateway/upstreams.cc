#include "services/gateway/upstreams.h"

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/files.h"
#include "common/server/auth.h"
#include "common/server/metrics.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

ABSL_FLAG(std::string, exchanges_address, "127.0.0.1:50061",
          "host:port of the exchanges service");
ABSL_FLAG(std::string, negotiations_address, "127.0.0.1:50062",
          "host:port of the negotiations service");
ABSL_FLAG(std::string, incidents_address, "127.0.0.1:50063",
          "host:port of the incidents service");
ABSL_FLAG(int, default_deadline_ms, 10000,
          "deadline for calls to the domain services when the caller set none");
ABSL_FLAG(std::string, upstream_ca_file, "",
          "PEM CA certificates the domain services' certificates must be "
          "signed by: calls to them go over TLS (default plaintext)");
ABSL_FLAG(std::string, upstream_cert_file, "",
          "PEM client certificate the gateway presents to the domain "
          "services (mutual TLS; with --upstream_key_file)");
ABSL_FLAG(std::string, upstream_key_file, "",
          "PEM private key of --upstream_cert_file");
ABSL_FLAG(std::string, upstream_server_name, "",
          "the name the domain services' certificates carry, if not the "
          "host of their addresses");
ABSL_DECLARE_FLAG(int, max_message_bytes);
ABSL_DECLARE_FLAG(int, tls_reload_seconds);

namespace parley::gateway {
namespace {

// `name`: the service, as failed calls to it are counted in the metrics.
std::shared_ptr<grpc::Channel> Connect(const std::string& name,
                                       const std::string& address,
                                       const UpstreamOptions& options) {
  grpc::ChannelArguments args;
  // Find a dead connection within ~40 s even when idle, so a restarted
  // service is reconnected before the next call needs it.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  // A store's name may not resolve yet (a headless Service lists a pod only
  // once it is Ready): look it up again after a second, not gRPC's 30.
  args.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS, 1000);
  if (!options.server_name.empty()) {
    args.SetSslTargetNameOverride(options.server_name);
  }
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  // Counts every failed call on the channel, forwarded or made by a report.
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewUpstreamErrorInterceptorFactory(name));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address,
      options.credentials != nullptr ? options.credentials
                                     : grpc::InsecureChannelCredentials(),
      args, std::move(interceptors));
}

Upstream Make(std::string name, std::string service, std::string address,
              std::shared_ptr<grpc::Channel> channel) {
  Upstream u{std::move(name), std::move(service), std::move(address),
             std::move(channel), nullptr};
  u.generic = std::make_unique<grpc::GenericStub>(u.channel);
  return u;
}

}  // namespace

UpstreamOptions UpstreamOptionsFromFlags() {
  UpstreamOptions options;
  options.exchanges_address = absl::GetFlag(FLAGS_exchanges_address);
  options.negotiations_address = absl::GetFlag(FLAGS_negotiations_address);
  options.incidents_address = absl::GetFlag(FLAGS_incidents_address);
  options.default_deadline =
      absl::Milliseconds(std::max(1, absl::GetFlag(FLAGS_default_deadline_ms)));
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.server_name = absl::GetFlag(FLAGS_upstream_server_name);
  return options;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
UpstreamCredentialsFromFlags() {
  const std::string ca_file = absl::GetFlag(FLAGS_upstream_ca_file);
  const std::string cert_file = absl::GetFlag(FLAGS_upstream_cert_file);
  const std::string key_file = absl::GetFlag(FLAGS_upstream_key_file);
  if (ca_file.empty()) {
    if (!cert_file.empty() || !key_file.empty()) {
      return absl::InvalidArgumentError(
          "--upstream_cert_file/--upstream_key_file: need --upstream_ca_file "
          "(a client certificate is presented over TLS)");
    }
    return nullptr;
  }
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError(cert_file.empty()
                                          ? "--upstream_cert_file: missing; "
                                            "--upstream_key_file needs it"
                                          : "--upstream_key_file: missing; "
                                            "--upstream_cert_file needs it");
  }
  // Read once here so that a bad file stops the start with its flag's name.
  const std::pair<const char*, std::string> files[] = {
      {"upstream_ca_file", ca_file},
      {"upstream_cert_file", cert_file},
      {"upstream_key_file", key_file}};
  for (const auto& [flag, path] : files) {
    if (path.empty()) continue;
    absl::StatusOr<std::string> text = ReadTextFile(path, "PEM file");
    if (!text.ok() || text->find("-----BEGIN ") == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": ",
                       text.ok() ? absl::StrCat(path, " is not a PEM file")
                                 : std::string(text.status().message())));
    }
  }
  const int reload = std::max(1, absl::GetFlag(FLAGS_tls_reload_seconds));
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          key_file, cert_file, ca_file, reload);
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (!cert_file.empty()) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

Upstreams::Upstreams(const UpstreamOptions& o)
    : exchanges_(Make("exchanges", "parley.exchanges.v1.ExchangesService",
                      o.exchanges_address,
                      Connect("exchanges", o.exchanges_address, o))),
      negotiations_(Make("negotiations",
                         "parley.negotiations.v1.NegotiationsService",
                         o.negotiations_address,
                         Connect("negotiations", o.negotiations_address, o))),
      incidents_(Make("incidents", "parley.incidents.v1.IncidentsService",
                      o.incidents_address,
                      Connect("incidents", o.incidents_address, o))),
      default_deadline_(o.default_deadline),
      service_credential_(o.service_credential) {
  MakeStubs();
}

Upstreams::Upstreams(std::shared_ptr<grpc::Channel> exchanges,
                     std::shared_ptr<grpc::Channel> negotiations,
                     std::shared_ptr<grpc::Channel> incidents,
                     absl::Duration default_deadline,
                     std::string service_credential)
    : exchanges_(Make("exchanges", "parley.exchanges.v1.ExchangesService",
                      "in-process", std::move(exchanges))),
      negotiations_(Make("negotiations",
                         "parley.negotiations.v1.NegotiationsService",
                         "in-process", std::move(negotiations))),
      incidents_(Make("incidents", "parley.incidents.v1.IncidentsService",
                      "in-process", std::move(incidents))),
      default_deadline_(default_deadline),
      service_credential_(std::move(service_credential)) {
  MakeStubs();
}

void StampUpstreamCall(const std::string& service_credential,
                       const std::string& actor, grpc::ClientContext* client) {
  if (!service_credential.empty()) {
    client->AddMetadata("authorization",
                        absl::StrCat("Bearer ", service_credential));
  }
  client->AddMetadata(kCallerHeader, actor);
}

void Upstreams::MakeStubs() {
  exchanges_stub_ =
      exchanges::v1::ExchangesService::NewStub(exchanges_.channel);
  negotiations_stub_ =
      negotiations::v1::NegotiationsService::NewStub(negotiations_.channel);
  incidents_stub_ =
      incidents::v1::IncidentsService::NewStub(incidents_.channel);
}

}  // namespace parley::gateway
