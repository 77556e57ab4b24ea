// Estimate arithmetic: checking, completing and summing low/best/high
// figures so that bounds and competing claims survive every total.
#ifndef PARLEY_COMMON_MODEL_ESTIMATE_H_
#define PARLEY_COMMON_MODEL_ESTIMATE_H_

#include <string>
#include <vector>

#include "common/base/status.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/model/v1/rollup_value.pb.h"

namespace parley {

using Estimate = ::parley::common::v1::Estimate;

// Checks `estimate` (at request path `field`) and records every problem.
// Rules: a qualifier is required; figures are >= 0 and low <= best <= high;
// EXACT needs best (low/high, if given, equal it); AT_LEAST needs low and no
// high; AT_MOST needs high; ABOUT needs best or both low and high; UNKNOWN
// takes no figures; claims must be >= 0 and an EXACT estimate's claims
// must agree.
void ValidateEstimate(const Estimate& estimate, const std::string& field,
                      FieldViolations* violations);

// Completes a valid estimate: EXACT gets low = high = best, AT_MOST gets
// low = 0, and bounds widen to span every claim.
void NormalizeEstimate(Estimate* estimate);

// The sum: lows add, highs add (unbounded if any is), bests add only if all
// are known; exact only if all are; unknown if all are. The sum of nothing
// is exactly 0. Claims are summed per claimant (AddClaimSums).
Estimate SumEstimates(const std::vector<Estimate>& estimates);

// Adds (sign = +1) or removes (sign = -1) an estimate to a rollup, whose
// fields are all plain sums so that deltas merge in any order.
void AddToRollup(const Estimate& estimate, int sign,
                 ::parley::model::v1::RollupValue* rollup);
void AddRollup(const ::parley::model::v1::RollupValue& delta,
               ::parley::model::v1::RollupValue* total);

// The total a rollup stands for, with the same rules as SumEstimates.
Estimate EstimateFromRollup(const ::parley::model::v1::RollupValue& rollup);

// What each claimant's figures add up to over `totals`: its claims, and the
// best figure where it claimed nothing (only if every such estimate has
// one), appended to `out` as claims by claimant.
void AddClaimSums(const ::parley::model::v1::RollupValue& totals,
                  Estimate* out);

}  // namespace parley

#endif  // PARLEY_COMMON_MODEL_ESTIMATE_H_
