// A figure summed over the records of a window by the window rule
// (common/model/window.h): records inside count in full; records that may
// fall in the window, and ongoing ones' figures, widen the upper bound only.
// "3, up to 81" rather than 81 or 3; "none recorded" rather than 0. What
// each side claims is kept, summed per claimant.
#ifndef PARLEY_COMMON_MODEL_WINDOW_SUM_H_
#define PARLEY_COMMON_MODEL_WINDOW_SUM_H_

#include <cstdint>
#include <optional>
#include <string>

#include "common/model/estimate.h"
#include "common/model/window.h"
#include "parley/model/v1/rollup_value.pb.h"

namespace parley {

class WindowSum {
 public:
  // One record's figure, counted as `how`. A per-period figure (a level
  // that holds throughout the record's span, not a sum over it) of an
  // ongoing record counts in full.
  void Add(const Estimate& figure, Counted how, bool per_period = false);
  // The totals of `totals.count()` records that all count as `how`.
  void AddTotals(const ::parley::model::v1::RollupValue& totals, Counted how,
                 bool per_period = false);
  void Merge(const WindowSum& other);

  // Records behind the figure, by how they count.
  int64_t whole() const { return whole_; }
  int64_t maybe() const { return maybe_; }
  int64_t ongoing() const { return ongoing_; }
  int64_t records() const { return whole_ + maybe_ + ongoing_; }
  bool none_recorded() const { return records() == 0; }

  // The bounds of the total: low from the records in full (0 if none); high
  // adding every record's high, unset if any is unbounded.
  int64_t low() const { return full_.low_sum(); }
  std::optional<int64_t> high() const;

  // The rule's total: low from the records counted in full, high adding
  // the others' highs (unbounded if any is), best from those in full only;
  // exact only if everything counts in full and exactly. With no record
  // behind it, QUALIFIER_UNKNOWN (none recorded: not a zero); so too with
  // neither a floor nor a ceiling (every figure unknown). Claims are
  // the per-claimant sums over the records in full.
  Estimate Total() const;

  // "none recorded", or what stands behind the upper bound ("1 record dated
  // only to a longer span may fall in this one: in the upper bound only");
  // "" if nothing needs saying.
  std::string Note() const;

 private:
  ::parley::model::v1::RollupValue full_;
  ::parley::model::v1::RollupValue bounds_;
  int64_t whole_ = 0;
  int64_t maybe_ = 0;
  int64_t ongoing_ = 0;
};

// What WindowSum::Note says of `records` records of which `maybe` may fall
// in the window and `ongoing` were ongoing there and beyond.
std::string WindowNote(int64_t records, int64_t maybe, int64_t ongoing);

// A count of records by the rule: the records surely in the window (inside,
// or ongoing there), up to those that may be: "3, and 1 more that may fall
// in this week" is {low 3, best 3, high 4}. Exact when none only may be;
// none recorded (QUALIFIER_UNKNOWN) when there are none at all.
Estimate CountEstimate(int64_t surely, int64_t maybe);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_WINDOW_SUM_H_
