// parley-incidents: incidents on the ground, their casualties and their
// effects on civilians.
#include "common/service/domain_service.h"
#include "services/incidents/domain.h"
#include "services/incidents/service.h"

int main(int argc, char** argv) {
  return parley::RunService<parley::incidents::Incidents,
                            parley::incidents::IncidentsServiceImpl>(
      argc, argv,
      {.name = "incidents",
       .grpc_service = "parley.incidents.v1.IncidentsService",
       .default_port = 50063});
}
