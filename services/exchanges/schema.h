// How exchanges records are laid out in the store: what each is indexed by,
// its date, and the totals kept at write time.
#ifndef PARLEY_SERVICES_EXCHANGES_SCHEMA_H_
#define PARLEY_SERVICES_EXCHANGES_SCHEMA_H_

#include <string>

#include "common/collection.h"

namespace parley::exchanges {

const CollectionSchema& AgreementSchema();
const CollectionSchema& ExchangeSchema();
const CollectionSchema& ChannelSchema();
const CollectionSchema& ChannelStatusSchema();

// Rollup keys of the exchanges collection. Delivered people under an
// agreement, per category and direction ("RU>UA"), and in total:
std::string DeliveredKey(const std::string& agreement, int category,
                         const std::string& direction);
std::string DeliveredTotalKey(const std::string& agreement, int category);
// People transferred and exchanges held per month ("2026-01") and kind.
std::string MonthKindKey(const std::string& month, int kind);

}  // namespace parley::exchanges

#endif  // PARLEY_SERVICES_EXCHANGES_SCHEMA_H_
