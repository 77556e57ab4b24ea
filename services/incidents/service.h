// The gRPC edge of the incidents service: each handler hands its request to
// the domain on the worker pool (common/server.h); nothing else happens here.
#ifndef PARLEY_SERVICES_INCIDENTS_SERVICE_H_
#define PARLEY_SERVICES_INCIDENTS_SERVICE_H_

#include "common/server/service_host.h"
#include "common/service/change_watch.h"
#include "parley/incidents/v1/incidents_service.grpc.pb.h"
#include "services/incidents/domain.h"

namespace parley::incidents {

class IncidentsServiceImpl final
    : public v1::IncidentsService::CallbackService {
 public:
  explicit IncidentsServiceImpl(ServiceHost<Incidents>* host) : host_(host) {}

  PARLEY_UNARY(Incidents, GetIncident, v1::GetIncidentRequest, v1::Incident)
  PARLEY_UNARY(Incidents, ListIncidents, v1::ListIncidentsRequest,
               v1::ListIncidentsResponse)
  PARLEY_UNARY(Incidents, CreateIncident, v1::CreateIncidentRequest,
               v1::Incident)
  PARLEY_UNARY(Incidents, BatchCreateIncidents, v1::BatchCreateIncidentsRequest,
               v1::BatchCreateIncidentsResponse)
  PARLEY_UNARY(Incidents, UpdateIncident, v1::UpdateIncidentRequest,
               v1::Incident)
  PARLEY_UNARY(Incidents, BatchUpdateIncidents, v1::BatchUpdateIncidentsRequest,
               v1::BatchUpdateIncidentsResponse)
  PARLEY_UNARY(Incidents, DeleteIncident, v1::DeleteIncidentRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Incidents, SummarizeIncidents, v1::SummarizeIncidentsRequest,
               v1::SummarizeIncidentsResponse)
  PARLEY_UNARY(Incidents, ListRevisions, v1::ListRevisionsRequest,
               v1::ListRevisionsResponse)
  PARLEY_UNARY(Incidents, ListChanges, v1::ListChangesRequest,
               v1::ListChangesResponse)
  PARLEY_WATCH_CHANGES(Incidents, v1::WatchChangesRequest,
                       v1::WatchChangesResponse)

 private:
  ServiceHost<Incidents>* host_;
};

}  // namespace parley::incidents

#endif  // PARLEY_SERVICES_INCIDENTS_SERVICE_H_
