#include "common/model/window_sum.h"

#include "absl/strings/str_cat.h"

namespace parley {
namespace {

using ::parley::model::v1::RollupValue;

}  // namespace

void WindowSum::Add(const Estimate& figure, Counted how, bool per_period) {
  RollupValue one;
  AddToRollup(figure, +1, &one);
  AddTotals(one, how, per_period);
}

void WindowSum::AddTotals(const RollupValue& totals, Counted how,
                          bool per_period) {
  switch (how) {
    case Counted::kWhole:
      whole_ += totals.count();
      AddRollup(totals, &full_);
      return;
    case Counted::kMaybe:
      maybe_ += totals.count();
      AddRollup(totals, &bounds_);
      return;
    case Counted::kOngoing:
      ongoing_ += totals.count();
      AddRollup(totals, per_period ? &full_ : &bounds_);
      return;
    case Counted::kNot:
      return;
  }
}

void WindowSum::Merge(const WindowSum& other) {
  AddRollup(other.full_, &full_);
  AddRollup(other.bounds_, &bounds_);
  whole_ += other.whole_;
  maybe_ += other.maybe_;
  ongoing_ += other.ongoing_;
}

std::optional<int64_t> WindowSum::high() const {
  if (full_.unbounded_high() > 0 || bounds_.unbounded_high() > 0) {
    return std::nullopt;
  }
  return full_.high_sum() + bounds_.high_sum();
}

Estimate WindowSum::Total() const {
  Estimate e;
  if (none_recorded() ||
      (bounds_.count() == 0 && full_.unknown() == full_.count())) {
    e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
    return e;
  }
  if (bounds_.count() == 0) return EstimateFromRollup(full_);
  // Some records are behind the upper bound only.
  const bool unbounded = !high().has_value();
  if (unbounded && full_.low_sum() == 0) {
    // No floor and no ceiling: nothing is known of the figure.
    e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
    return e;
  }
  e.set_low(full_.low_sum());
  const bool any_full = full_.count() > 0 && full_.unknown() < full_.count();
  if (any_full && full_.missing_best() == 0) e.set_best(full_.best_sum());
  if (!unbounded) e.set_high(*high());
  if (unbounded) {
    e.set_qualifier(Estimate::QUALIFIER_AT_LEAST);
  } else if (e.has_best() || e.low() > 0) {
    e.set_qualifier(Estimate::QUALIFIER_ABOUT);
  } else {
    e.set_qualifier(Estimate::QUALIFIER_AT_MOST);
  }
  AddClaimSums(full_, &e);
  return e;
}

std::string WindowSum::Note() const {
  return WindowNote(records(), maybe_, ongoing_);
}

std::string WindowNote(int64_t records, int64_t maybe, int64_t ongoing) {
  if (records == 0) return "none recorded";
  std::string note;
  if (maybe > 0) {
    absl::StrAppend(&note, maybe, maybe == 1 ? " record" : " records",
                    " dated only to a longer span may fall in this one: in "
                    "the upper bound only");
  }
  if (ongoing > 0) {
    absl::StrAppend(&note, note.empty() ? "" : "; ", ongoing,
                    ongoing == 1 ? " record" : " records",
                    " ongoing here and beyond: counted as ongoing, figures in "
                    "the upper bound only (levels such as people affected in "
                    "full)");
  }
  return note;
}

Estimate CountEstimate(int64_t surely, int64_t maybe) {
  Estimate e;
  if (surely + maybe == 0) {
    e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
    return e;
  }
  e.set_low(surely);
  e.set_high(surely + maybe);
  if (surely == 0) {
    e.set_qualifier(Estimate::QUALIFIER_AT_MOST);
    return e;
  }
  e.set_best(surely);
  e.set_qualifier(maybe == 0 ? Estimate::QUALIFIER_EXACT
                             : Estimate::QUALIFIER_ABOUT);
  return e;
}

}  // namespace parley
