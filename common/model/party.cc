#include "common/model/party.h"

#include "common/model/country_codes.h"

namespace parley {

::parley::common::v1::Party PartyFromTerm(const std::string& term) {
  ::parley::common::v1::Party party;
  if (IsCountryCode(term)) {
    party.set_country(term);
  } else {
    party.set_organization(term);
  }
  return party;
}

}  // namespace parley
