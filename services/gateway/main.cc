// parley-gateway: the one endpoint for the whole API. It forwards the domain
// services' calls unparsed and composes the cross-domain reports.
#include "common/server.h"
#include "services/gateway/gateway.h"

int main(int argc, char** argv) {
  return parley::RunServiceLoop(
      argc, argv,
      {.name = "gateway",
       .grpc_service = "parley.reports.v1.ReportService",
       .default_port = 50051,
       .stateless = true},
      [] {
        return std::make_unique<parley::gateway::Gateway>(
            std::make_unique<parley::gateway::Upstreams>(
                parley::gateway::UpstreamOptionsFromFlags()),
            parley::WorkerThreads());
      });
}
