#include "common/server/server.h"

#include <pthread.h>

#include <csignal>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/files.h"
#include "common/base/flags.h"
#include "common/base/log.h"
#include "common/server/call_log.h"
#include "common/server/metrics.h"
#include "common/server/server_credentials.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "",
          "host:port to serve on; default 127.0.0.1:<the service's port>. "
          "Use 0.0.0.0:<port> to accept connections from other hosts.");
ABSL_FLAG(int, workers, 32,
          "threads for blocking store calls; more lets more durable writes "
          "share one WAL sync");
ABSL_FLAG(int, shutdown_grace_seconds, 20,
          "on SIGTERM, how long in-flight calls may run before they are "
          "cancelled");
ABSL_FLAG(int, shutdown_drain_seconds, 0,
          "on SIGTERM, how long to report NOT_SERVING while still serving, so "
          "that load balancers and probes steer new calls away first");
ABSL_FLAG(int, max_message_bytes, 16 << 20,
          "largest request or response message accepted");
ABSL_FLAG(std::string, health_listen, "",
          "host:port of an extra plaintext port serving grpc.health.v1.Health "
          "(and reflection, which needs no token) for probes that cannot "
          "speak TLS; default none");
ABSL_FLAG(std::string, service_token_file, "",
          "file holding the service credential shared by the gateway and the "
          "domain services: a domain service refuses calls without it, the "
          "gateway presents it; default none (a domain service then accepts "
          "anyone: local runs only)");

namespace parley {

namespace {

// Loads what make_parts needs from the flags.
absl::StatusOr<ServiceEnv> EnvFromFlags(const ServiceConfig& config) {
  ServiceEnv env;
  env.config = config;
  const std::string credential_file = absl::GetFlag(FLAGS_service_token_file);
  if (!credential_file.empty()) {
    absl::StatusOr<std::string> credential = ReadSecretFile(credential_file);
    if (!credential.ok()) {
      return absl::Status(credential.status().code(),
                          absl::StrCat("--service_token_file: ",
                                       credential.status().message()));
    }
    env.service_credential = *std::move(credential);
  } else if (!config.public_endpoint) {
    Log(LogLevel::kWarning,
        "no --service_token_file: accepting calls from anyone; keep this "
        "service on a private address");
  }
  env.admission = std::make_shared<ServiceAdmission>(env.service_credential);
  env.workers = std::max(1, absl::GetFlag(FLAGS_workers));
  return env;
}

}  // namespace

int RunServiceLoop(int argc, char** argv, const ServiceConfig& config,
                   const MakeParts& make_parts) {
  const std::string usage =
      absl::StrCat("parley-", config.name, ": the ", config.name,
                   " service. Every flag --x may be given as PARLEY_X.");
  ParseFlagsWithEnv(argc, argv, usage.c_str());
  // Debian's Abseil is built without NDEBUG, so every Mutex lock would
  // feed a deadlock-detection graph (seen at the top of a profile). Our
  // lock order is fixed by design; tests run with detection on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SetLogService(config.name);

  // Signals are taken by sigwait below, never by a random thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string listen = absl::GetFlag(FLAGS_listen);
  if (listen.empty()) listen = absl::StrCat("127.0.0.1:", config.default_port);

  // Touching the health descriptor links it in, so reflection can describe
  // grpc.health.v1.Health (gRPC's own health service carries none).
  (void)grpc::health::v1::HealthCheckResponse::descriptor();

  if (config.one_off) {
    if (std::optional<int> exit_code = config.one_off()) return *exit_code;
  }
  // After the signal mask (its threads must not take SIGTERM) and before the
  // gRPC port: a metrics port already taken stops the start.
  if (!ServeMetricsFromFlags(listen)) return 1;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFromFlags(config.public_endpoint);
  if (!credentials.ok()) {
    Log(LogLevel::kError, "cannot start",
        {{"error", std::string(credentials.status().message())}});
    return 2;
  }
  absl::StatusOr<ServiceEnv> env = EnvFromFlags(config);
  absl::StatusOr<std::unique_ptr<ServiceParts>> made =
      env.ok() ? make_parts(*env) : env.status();
  if (!made.ok()) {
    Log(LogLevel::kError, "cannot start",
        {{"error", std::string(made.status().message())}});
    return 2;
  }
  std::unique_ptr<ServiceParts> parts = *std::move(made);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, *credentials, &port);
  for (grpc::Service* service : parts->services())
    builder.RegisterService(service);
  // A second instance on the same port must fail, not share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // The gateway keeps idle channels alive with a ping every 30 s; gRPC's
  // server default (one every 5 min) would answer GOAWAY "too_many_pings"
  // and fail the next call on that channel.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewCallLogInterceptorFactory(
      &Metrics::Default(), parts->admission(), parts->logged_services()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    Log(LogLevel::kError, "cannot listen", {{"listen", listen}});
    return 1;
  }
  // Probes that cannot speak TLS get a plaintext port with health alone.
  std::unique_ptr<grpc::Server> health_server;
  const std::string health_listen = absl::GetFlag(FLAGS_health_listen);
  if (!health_listen.empty()) {
    grpc::ServerBuilder health_builder;
    int health_port = 0;
    health_builder.AddListeningPort(
        health_listen, grpc::InsecureServerCredentials(), &health_port);
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_server = health_builder.BuildAndStart();
    if (health_server == nullptr || health_port == 0) {
      Log(LogLevel::kError, "cannot listen",
          {{"health_listen", health_listen}});
      server->Shutdown(std::chrono::system_clock::now());
      parts->Stop();
      return 1;
    }
  }
  std::vector<grpc::HealthCheckServiceInterface*> healths = {
      server->GetHealthCheckService()};
  if (health_server != nullptr)
    healths.push_back(health_server->GetHealthCheckService());
  // Two statuses: the server's ("", for liveness: the process is up and
  // answering) and its service's (config.grpc_service, for readiness: send
  // it traffic), which the parts set when they are ready (Serve).
  // (By name: SetServingStatus(bool) would set every service's status.)
  auto set_alive = [&](bool alive) {
    for (auto* health : healths) health->SetServingStatus("", alive);
  };
  auto set_ready = [&healths, service = config.grpc_service](bool ready) {
    for (auto* health : healths) health->SetServingStatus(service, ready);
  };
  set_alive(false);
  set_ready(false);
  Log(LogLevel::kInfo, "listening",
      {{"listen", listen},
       {"port", port},
       {"tls", TlsRequested()},
       {"client_certificates", ClientCertificatesRequired()}});
  if (absl::Status started = parts->Start(); !started.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", started.ToString()}});
    server->Shutdown(std::chrono::system_clock::now());
    if (health_server != nullptr) health_server->Shutdown();
    parts->Stop();
    return 1;
  }
  set_alive(true);
  Log(LogLevel::kInfo, "serving", {{"listen", listen}, {"port", port}});
  parts->Serve(set_ready);

  int signal = 0;
  sigwait(&signals, &signal);
  Log(LogLevel::kInfo, "shutting down", {{"signal", strsignal(signal)}});
  // Probes see NOT_SERVING first, so traffic drains away before we stop.
  for (auto* health : healths) health->Shutdown();
  parts->Stopping();
  const int drain = absl::GetFlag(FLAGS_shutdown_drain_seconds);
  if (drain > 0) {
    Log(LogLevel::kInfo, "draining", {{"seconds", drain}});
    absl::SleepFor(absl::Seconds(drain));
  }
  const auto grace =
      std::chrono::system_clock::now() +
      std::chrono::seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  server->Shutdown(grace);
  server->Wait();
  if (health_server != nullptr) {
    health_server->Shutdown(std::chrono::system_clock::now());
    health_server->Wait();
  }
  parts->Stop();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace parley
