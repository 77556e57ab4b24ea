// parley-exchanges: prisoner and remains exchanges, the agreements that set
// their quotas, and the channels they run through.
#include "common/service/domain_service.h"
#include "services/exchanges/domain.h"
#include "services/exchanges/service.h"

int main(int argc, char** argv) {
  return parley::RunService<parley::exchanges::Exchanges,
                            parley::exchanges::ExchangesServiceImpl>(
      argc, argv,
      {.name = "exchanges",
       .grpc_service = "parley.exchanges.v1.ExchangesService",
       .default_port = 50061});
}
