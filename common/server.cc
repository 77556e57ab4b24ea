#include "common/server.h"

#include <pthread.h>

#include <csignal>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_log.h"
#include "common/flags.h"
#include "common/log.h"
#include "common/metrics.h"
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
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "largest request or response message accepted");

namespace parley {

Caller CallerOf(const grpc::CallbackServerContext* context) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("x-parley-caller");
  Caller caller;
  caller.actor = it == metadata.end() || it->second.empty()
                     ? "anonymous"
                     : std::string(it->second.data(), it->second.size());
  const auto deadline = context->deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    caller.deadline = absl::FromChrono(deadline);
  }
  return caller;
}

int WorkerThreads() { return std::max(1, absl::GetFlag(FLAGS_workers)); }

int RunServiceLoop(
    int argc, char** argv, const ServiceConfig& config,
    const std::function<std::unique_ptr<ServiceParts>()>& make_parts) {
  const std::string usage =
      absl::StrCat("parley-", config.name, ": the ", config.name,
                   " service. Every flag --x may be given as PARLEY_X.");
  ParseFlagsWithEnv(argc, argv, usage.c_str());
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

  // After the signal mask (its threads must not take SIGTERM) and before the
  // gRPC port: a metrics port already taken stops the start.
  if (!ServeMetricsFromFlags(config.default_port + 1000)) return 1;

  std::unique_ptr<ServiceParts> parts = make_parts();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : parts->services())
    builder.RegisterService(service);
  // A second instance on the same port must fail, not share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewCallLogInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    Log(LogLevel::kError, "cannot listen", {{"listen", listen}});
    return 1;
  }
  auto* health = server->GetHealthCheckService();
  health->SetServingStatus(false);
  health->SetServingStatus(config.grpc_service, false);
  Log(LogLevel::kInfo,
      config.stateless ? "listening" : "listening; opening store",
      {{"listen", listen},
       {"port", port},
       {"data_dir", config.stateless ? "" : data_dir}});

  std::unique_ptr<Store> store;
  if (!config.stateless) {
    auto opened = Store::Open({.path = data_dir});
    if (!opened.ok()) {
      Log(LogLevel::kError, "cannot open store",
          {{"data_dir", data_dir}, {"error", opened.status().ToString()}});
      server->Shutdown(std::chrono::system_clock::now());
      parts->Detach();
      return 1;
    }
    store = *std::move(opened);
    Metrics::Default().AttachStore(store.get());
  }
  parts->Attach(store.get());
  health->SetServingStatus(true);
  health->SetServingStatus(config.grpc_service, true);
  Log(LogLevel::kInfo, "serving", {{"listen", listen}, {"port", port}});

  int signal = 0;
  sigwait(&signals, &signal);
  Log(LogLevel::kInfo, "shutting down", {{"signal", strsignal(signal)}});
  // Probes see NOT_SERVING first, so traffic drains away before we stop.
  health->Shutdown();
  const auto grace =
      std::chrono::system_clock::now() +
      std::chrono::seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  server->Shutdown(grace);
  server->Wait();
  parts->Detach();
  Metrics::Default().DetachStore();  // no scrape reads it from here on
  store.reset();  // flush and close
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace parley
