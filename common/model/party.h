// How a party is named in indexes, filters and report figures.
#ifndef PARLEY_COMMON_MODEL_PARTY_H_
#define PARLEY_COMMON_MODEL_PARTY_H_

#include <string>

#include "parley/common/v1/party.pb.h"

namespace parley {

// How a party is indexed and filtered: its country code, else its
// organisation's name.
inline std::string PartyTerm(const ::parley::common::v1::Party& party) {
  return party.country().empty() ? party.organization() : party.country();
}

// The party a term names: a country if it is an ISO 3166-1 code, else an
// organisation.
::parley::common::v1::Party PartyFromTerm(const std::string& term);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_PARTY_H_
