// Rollups by date span, read for a window by the window rule
// (common/model/window.h). A record of one day adds to the totals of that
// day; a longer one to the totals of its exact span (first and last day),
// so a window's totals are the days inside it, summed whole, and the few
// distinct longer spans that reach into it, each placed against the window.
// The cost is the days of the window and the distinct spans near it, never
// the records.
//
// Keys, within a collection: "<prefix>d|<day>|<rest>" for one-day records,
// "<prefix>s|<first day>|<last day>|<rest>" for longer ones. `rest` is the
// schema's own (what is totalled, a kind, a direction).
#ifndef PARLEY_COMMON_STORE_WINDOW_ROLLUPS_H_
#define PARLEY_COMMON_STORE_WINDOW_ROLLUPS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/model/date_span.h"
#include "common/store/collection.h"
#include "parley/model/v1/rollup_value.pb.h"

namespace parley {

// The key of a record's totals whose date is `span`.
std::string SpanRollupKey(absl::string_view prefix, const DateSpan& span,
                          absl::string_view rest);

// Every rollup under `prefix` whose span may reach into `window`: `fn` gets
// the span the totals are for (one day, or a record's whole span), the rest
// of the key, and the totals. Spans that end before the window are skipped;
// the caller places the others (PlaceInWindow / CountIn).
absl::Status ScanWindowRollups(
    Collection& collection, absl::string_view prefix, const DateSpan& window,
    const std::function<void(const DateSpan& span, absl::string_view rest,
                             const ::parley::model::v1::RollupValue&)>& fn);

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_WINDOW_ROLLUPS_H_
