// What makes a negotiations record valid. Each function checks a record at
// a request path, records every problem, and resolves output-only fields
// (date spans) and estimates in place.
#ifndef PARLEY_SERVICES_NEGOTIATIONS_VALIDATION_H_
#define PARLEY_SERVICES_NEGOTIATIONS_VALIDATION_H_

#include <string>

#include "common/base/status.h"
#include "parley/negotiations/v1/position.pb.h"
#include "parley/negotiations/v1/round.pb.h"
#include "parley/negotiations/v1/statement.pb.h"

namespace parley::negotiations {

void ValidateRound(v1::Round* round, const std::string& field,
                   FieldViolations* v);
void ValidatePosition(v1::Position* position, const std::string& field,
                      FieldViolations* v);
void ValidateStatement(v1::Statement* statement, const std::string& field,
                       FieldViolations* v);

}  // namespace parley::negotiations

#endif  // PARLEY_SERVICES_NEGOTIATIONS_VALIDATION_H_
