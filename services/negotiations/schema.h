// How negotiations records are laid out in the store: what each is indexed
// by and its date.
#ifndef PARLEY_SERVICES_NEGOTIATIONS_SCHEMA_H_
#define PARLEY_SERVICES_NEGOTIATIONS_SCHEMA_H_

#include <string>

#include "common/store/collection.h"
#include "parley/negotiations/v1/position.pb.h"

namespace parley::negotiations {

const CollectionSchema& RoundSchema();
const CollectionSchema& PositionSchema();
const CollectionSchema& StatementSchema();

// What makes two reports the same position: holder, stance, issue and
// subject. Indexed as "identity", so ReportPosition finds it in one seek.
std::string PositionIdentity(const v1::Position& position);

}  // namespace parley::negotiations

#endif  // PARLEY_SERVICES_NEGOTIATIONS_SCHEMA_H_
