#include "common/server.h"

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/call_log.h"
#include "common/files.h"
#include "common/flags.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/restore.h"
#include "common/server_credentials.h"
#include "common/store_check.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "",
          "host:port to serve on; default 127.0.0.1:<the service's port>. "
          "Use 0.0.0.0:<port> to accept connections from other hosts.");
ABSL_FLAG(std::string, data_dir, "",
          "folder of the service's RocksDB; default ./data/<service>");
ABSL_FLAG(int, workers, 32,
          "threads for blocking store calls; more lets more durable writes "
          "share one WAL sync");
ABSL_FLAG(int, shutdown_grace_seconds, 20,
          "on SIGTERM, how long in-flight calls may run before they are "
          "cancelled");
ABSL_FLAG(int, shutdown_drain_seconds, 0,
          "on SIGTERM, how long to report NOT_SERVING while still serving, so "
          "that load balancers and probes steer new calls away first");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
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
ABSL_FLAG(std::string, backup_dir, "",
          "folder of the store's backups; default <data_dir>/../backups/"
          "<service>");
ABSL_FLAG(int, backups_to_keep, 7,
          "after each backup, delete the older ones beyond this many");
ABSL_FLAG(std::string, restore_from, "",
          "restore a backup from this backup folder into --data_dir (which "
          "must be empty or absent), then exit");
ABSL_FLAG(uint32_t, restore_backup_id, 0,
          "with --restore_from: the backup to restore; 0 is the newest");
ABSL_FLAG(bool, check_store, false,
          "check the store in --data_dir (the service must be stopped): "
          "recompute indexes and rollups from the records, check history and "
          "the change log against them, print a JSON report, then exit 0 if "
          "it is consistent, 1 if not, 2 if it could not be checked");
ABSL_FLAG(bool, restore_replace, false,
          "with --restore_from: if --data_dir holds a store, set it aside as "
          "<data_dir>.before-restore-<time> once the restore is whole");

namespace parley {

namespace {

// Loads what make_parts needs from the flags.
absl::StatusOr<ServiceEnv> EnvFromFlags(const ServiceConfig& config,
                                        const std::string& data_dir) {
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
  } else if (!config.stateless) {
    Log(LogLevel::kWarning,
        "no --service_token_file: accepting calls from anyone; keep this "
        "service on a private address");
  }
  env.admission = std::make_shared<ServiceAdmission>(env.service_credential);
  env.workers = std::max(1, absl::GetFlag(FLAGS_workers));
  env.backups.service = config.name;
  env.backups.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  if (env.backups.backup_dir.empty()) {
    env.backups.backup_dir =
        (std::filesystem::path(FolderPath(data_dir)).parent_path() / "backups" /
         config.name)
            .string();
  }
  env.backups.keep = absl::GetFlag(FLAGS_backups_to_keep);
  return env;
}

// --restore_from: restore, report, and exit without serving.
int Restore(const std::string& data_dir) {
  const std::string from = absl::GetFlag(FLAGS_restore_from);
  const uint32_t id = absl::GetFlag(FLAGS_restore_backup_id);
  absl::StatusOr<RestoreResult> restored =
      RestoreBackup({.backup_dir = from,
                     .backup_id = id,
                     .data_dir = data_dir,
                     .replace = absl::GetFlag(FLAGS_restore_replace)});
  if (!restored.ok()) {
    Log(LogLevel::kError, "restore failed",
        {{"from", from},
         {"data_dir", data_dir},
         {"error", restored.status().ToString()}});
    return 1;
  }
  Log(LogLevel::kInfo, "restored",
      {{"from", from},
       {"backup_id", static_cast<int64_t>(restored->backup_id)},
       {"data_dir", data_dir},
       {"set_aside", restored->set_aside}});
  return 0;
}

// --check_store: open the store, check every collection, print the report.
int CheckStoreAndExit(const ServiceConfig& config, const std::string& data_dir,
                      const MakeParts& make_parts) {
  // Without a store there, opening would make an empty one, which passes.
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT")) {
    Log(LogLevel::kError, "--check_store: no store here",
        {{"data_dir", data_dir}});
    return 2;
  }
  // Only what the domain needs to be built: no credential, no workers.
  ServiceEnv env;
  env.config = config;
  env.admission = std::make_shared<ServiceAdmission>("");
  env.backups.service = config.name;
  absl::StatusOr<std::unique_ptr<ServiceParts>> parts = make_parts(env);
  absl::StatusOr<std::unique_ptr<Store>> store =
      parts.ok() ? Store::Open({.path = data_dir})
                 : absl::StatusOr<std::unique_ptr<Store>>(parts.status());
  if (!store.ok()) {
    Log(LogLevel::kError, "--check_store: cannot open the store",
        {{"data_dir", data_dir}, {"error", store.status().ToString()}});
    return 2;
  }
  if (absl::Status attached = (*parts)->Attach(store->get()); !attached.ok()) {
    Log(LogLevel::kError, "--check_store: cannot bring the store up to date",
        {{"data_dir", data_dir}, {"error", attached.ToString()}});
    return 2;
  }
  absl::StatusOr<StoreCheckReport> report = CheckStore((*parts)->collections());
  (*parts)->Detach();
  if (!report.ok()) {
    Log(LogLevel::kError, "--check_store: cannot read the store",
        {{"data_dir", data_dir}, {"error", report.status().ToString()}});
    return 2;
  }
  std::printf("%s\n", report->ToJson().c_str());
  std::fflush(stdout);
  return report->consistent() ? 0 : 1;
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
  std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty()) data_dir = absl::StrCat("data/", config.name);

  // Touching the health descriptor links it in, so reflection can describe
  // grpc.health.v1.Health (gRPC's own health service carries none).
  (void)grpc::health::v1::HealthCheckResponse::descriptor();

  if (!absl::GetFlag(FLAGS_restore_from).empty()) {
    if (config.stateless) {
      Log(LogLevel::kError, "--restore_from: this service has no store");
      return 2;
    }
    return Restore(data_dir);
  }
  if (absl::GetFlag(FLAGS_check_store)) {
    if (config.stateless) {
      Log(LogLevel::kError, "--check_store: this service has no store");
      return 2;
    }
    return CheckStoreAndExit(config, data_dir, make_parts);
  }
  // After the signal mask (its threads must not take SIGTERM) and before the
  // gRPC port: a metrics port already taken stops the start.
  if (!ServeMetricsFromFlags(config.default_port + 1000)) return 1;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFromFlags(config.public_endpoint);
  if (!credentials.ok()) {
    Log(LogLevel::kError, "cannot start",
        {{"error", std::string(credentials.status().message())}});
    return 2;
  }
  absl::StatusOr<ServiceEnv> env = EnvFromFlags(config, data_dir);
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
      parts->Detach();
      return 1;
    }
  }
  std::vector<grpc::HealthCheckServiceInterface*> healths = {
      server->GetHealthCheckService()};
  if (health_server != nullptr)
    healths.push_back(health_server->GetHealthCheckService());
  auto set_serving = [&](bool serving) {
    for (auto* health : healths) {
      health->SetServingStatus(serving);
      health->SetServingStatus(config.grpc_service, serving);
    }
  };
  set_serving(false);
  Log(LogLevel::kInfo,
      config.stateless ? "listening" : "listening; opening store",
      {{"listen", listen},
       {"port", port},
       {"tls", TlsRequested()},
       {"data_dir", config.stateless ? "" : data_dir}});

  std::unique_ptr<Store> store;
  if (!config.stateless) {
    auto opened = Store::Open({.path = data_dir});
    if (!opened.ok()) {
      Log(LogLevel::kError, "cannot open store",
          {{"data_dir", data_dir}, {"error", opened.status().ToString()}});
      server->Shutdown(std::chrono::system_clock::now());
      if (health_server != nullptr) health_server->Shutdown();
      parts->Detach();
      return 1;
    }
    store = *std::move(opened);
    Metrics::Default().AttachStore(store.get());
  }
  if (absl::Status attached = parts->Attach(store.get()); !attached.ok()) {
    Log(LogLevel::kError, "cannot bring the store up to date",
        {{"data_dir", data_dir}, {"error", attached.ToString()}});
    server->Shutdown(std::chrono::system_clock::now());
    if (health_server != nullptr) health_server->Shutdown();
    parts->Detach();
    return 1;
  }
  set_serving(true);
  Log(LogLevel::kInfo, "serving", {{"listen", listen}, {"port", port}});

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
  parts->Detach();
  Metrics::Default().DetachStore();  // no scrape reads it from here on
  store.reset();                     // flush and close
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace parley
