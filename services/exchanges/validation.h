// What makes an exchanges record valid. Each function checks a record at a
// request path, records every problem, and resolves output-only fields
// (date spans) and estimates in place. Checks that need the store
// (references) are the domain's.
#ifndef PARLEY_SERVICES_EXCHANGES_VALIDATION_H_
#define PARLEY_SERVICES_EXCHANGES_VALIDATION_H_

#include <string>

#include "common/base/status.h"
#include "parley/exchanges/v1/agreement.pb.h"
#include "parley/exchanges/v1/channel.pb.h"
#include "parley/exchanges/v1/exchange.pb.h"

namespace parley::exchanges {

void ValidateAgreement(v1::Agreement* agreement, const std::string& field,
                       FieldViolations* v);
void ValidateExchange(v1::Exchange* exchange, const std::string& field,
                      FieldViolations* v);
void ValidateChannel(v1::Channel* channel, const std::string& field,
                     FieldViolations* v);
void ValidateChannelStatus(v1::ChannelStatus* status, const std::string& field,
                           FieldViolations* v);

}  // namespace parley::exchanges

#endif  // PARLEY_SERVICES_EXCHANGES_VALIDATION_H_
