// How exchanges records are laid out in the store: what each is indexed by,
// its date, and the totals kept at write time.
#ifndef PARLEY_SERVICES_EXCHANGES_SCHEMA_H_
#define PARLEY_SERVICES_EXCHANGES_SCHEMA_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/store/collection.h"

namespace parley::exchanges {

const CollectionSchema& AgreementSchema();
const CollectionSchema& ExchangeSchema();
const CollectionSchema& ChannelSchema();
const CollectionSchema& ChannelStatusSchema();

// Rollup keys of the exchanges collection.
//
// People delivered under an agreement, per span of the exchange (first and
// last day), category and direction: "agreement|<agreement>|<first>|<last>|
// <category>|<from><to>". The first day leads, so the deliveries that began
// by a day are one range scan.
std::string AgreementPrefix(absl::string_view agreement);
std::string DeliveryKey(absl::string_view agreement, absl::CivilDay first,
                        absl::CivilDay last, int category,
                        absl::string_view from_party,
                        absl::string_view to_party);
// A delivery key read back (without its agreement prefix).
struct DeliveryRollup {
  absl::CivilDay first;
  absl::CivilDay last;
  int category = 0;
  std::string from_party;
  std::string to_party;
};
bool ParseDeliveryRollup(absl::string_view key, DeliveryRollup* out);

// Totals per span (common/store/window_rollups.h keys under kTotalsPrefix):
// exchanges held per kind (one delta per exchange: its people transferred),
// "k|<kind>", and people moved per category and direction (one delta per
// transfer), "t|<category>|<from><to>".
inline constexpr char kTotalsPrefix[] = "totals|";
std::string KindRest(int kind);
std::string TransferRest(int category, absl::string_view from_party,
                         absl::string_view to_party);

// A totals key's rest read back: what ('k' kind, 't' transfer), the kind or
// category, and a transfer's parties.
struct TotalsRest {
  char what = 0;
  int number = 0;
  std::string from_party;
  std::string to_party;
};
// False if malformed.
bool ParseTotalsRest(absl::string_view rest, TotalsRest* out);

}  // namespace parley::exchanges

#endif  // PARLEY_SERVICES_EXCHANGES_SCHEMA_H_
