// parley-negotiations: negotiation rounds, the positions parties hold, and
// what they say about each other and the talks.
#include "common/service/domain_service.h"
#include "services/negotiations/domain.h"
#include "services/negotiations/service.h"

int main(int argc, char** argv) {
  return parley::RunService<parley::negotiations::Negotiations,
                            parley::negotiations::NegotiationsServiceImpl>(
      argc, argv,
      {.name = "negotiations",
       .grpc_service = "parley.negotiations.v1.NegotiationsService",
       .default_port = 50062});
}
