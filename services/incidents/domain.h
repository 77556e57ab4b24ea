// The incidents domain: the standard methods of incidents, and totals over a
// span read from the rollups kept at write time. Plain functions over
// protos: testable without a server.
#ifndef PARLEY_SERVICES_INCIDENTS_DOMAIN_H_
#define PARLEY_SERVICES_INCIDENTS_DOMAIN_H_

#include "common/server/auth.h"
#include "common/service/change_feed.h"
#include "common/service/resource_methods.h"
#include "common/store/store.h"
#include "parley/incidents/v1/incidents_service.pb.h"

namespace parley::incidents {

class Incidents {
 public:
  explicit Incidents(Store* store);
  Incidents(const Incidents&) = delete;
  Incidents& operator=(const Incidents&) = delete;

  absl::Status GetIncident(const v1::GetIncidentRequest& request,
                           v1::Incident* out);
  absl::Status ListIncidents(const v1::ListIncidentsRequest& request,
                             v1::ListIncidentsResponse* out);
  absl::Status CreateIncident(const v1::CreateIncidentRequest& request,
                              const Caller& caller, v1::Incident* out);
  absl::Status BatchCreateIncidents(
      const v1::BatchCreateIncidentsRequest& request, const Caller& caller,
      v1::BatchCreateIncidentsResponse* out);
  absl::Status UpdateIncident(const v1::UpdateIncidentRequest& request,
                              const Caller& caller, v1::Incident* out);
  absl::Status BatchUpdateIncidents(
      const v1::BatchUpdateIncidentsRequest& request, const Caller& caller,
      v1::BatchUpdateIncidentsResponse* out);
  absl::Status DeleteIncident(const v1::DeleteIncidentRequest& request,
                              const Caller& caller);

  absl::Status SummarizeIncidents(const v1::SummarizeIncidentsRequest& request,
                                  v1::SummarizeIncidentsResponse* out);

  absl::Status ListRevisions(const v1::ListRevisionsRequest& request,
                             v1::ListRevisionsResponse* out);
  absl::Status ListChanges(const v1::ListChangesRequest& request,
                           v1::ListChangesResponse* out);
  // The change feed (ListChanges, WatchChanges).
  ChangeFeed& change_feed() { return feed_; }

  Collection& incidents() { return incidents_.collection(); }
  // What --check_store checks.
  std::vector<Collection*> collections() { return {&incidents()}; }

 private:
  ResourceMethods<v1::Incident> incidents_;
  // After the collections it reads.
  ChangeFeed feed_;
};

}  // namespace parley::incidents

#endif  // PARLEY_SERVICES_INCIDENTS_DOMAIN_H_
