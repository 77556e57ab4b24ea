// What makes an incident valid: checks a record at a request path, records
// every problem, and resolves output-only fields and estimates in place.
#ifndef PARLEY_SERVICES_INCIDENTS_VALIDATION_H_
#define PARLEY_SERVICES_INCIDENTS_VALIDATION_H_

#include <string>

#include "common/base/status.h"
#include "parley/incidents/v1/incident.pb.h"

namespace parley::incidents {

void ValidateIncident(v1::Incident* incident, const std::string& field,
                      FieldViolations* v);

}  // namespace parley::incidents

#endif  // PARLEY_SERVICES_INCIDENTS_VALIDATION_H_
