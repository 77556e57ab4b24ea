#include "common/model/estimate.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/model/party.h"

namespace parley {
namespace {

using Q = Estimate::Qualifier;
using ::parley::model::v1::ClaimTotal;
using ::parley::model::v1::RollupValue;

bool IsZero(const ClaimTotal& c) {
  return c.value_sum() == 0 && c.estimates() == 0 && c.best_sum() == 0 &&
         c.missing_best() == 0;
}

}  // namespace

void ValidateEstimate(const Estimate& e, const std::string& field,
                      FieldViolations* v) {
  const auto sub = [&](absl::string_view name) {
    return absl::StrCat(field, ".", name);
  };
  bool bad = false;
  const auto add = [&](std::string f, std::string d) {
    bad = true;
    v->Add(std::move(f), std::move(d));
  };
  // Bounded so that sums over any store stay far from int64 overflow.
  constexpr int64_t kMaxFigure = 1'000'000'000'000;
  const auto check = [&](bool has, int64_t value, absl::string_view name) {
    if (!has) return;
    if (value < 0) add(sub(name), "must be >= 0");
    if (value > kMaxFigure) add(sub(name), "must be at most 10^12");
  };
  check(e.has_low(), e.low(), "low");
  check(e.has_best(), e.best(), "best");
  check(e.has_high(), e.high(), "high");
  if (e.has_low() && e.has_high() && e.low() > e.high()) {
    add(sub("low"), absl::StrCat("low ", e.low(), " exceeds high ", e.high()));
  }
  if (e.has_best() && e.has_low() && e.best() < e.low()) {
    add(sub("best"),
        absl::StrCat("best ", e.best(), " is below low ", e.low()));
  }
  if (e.has_best() && e.has_high() && e.best() > e.high()) {
    add(sub("best"),
        absl::StrCat("best ", e.best(), " exceeds high ", e.high()));
  }
  // Claims are bounded as the figures are: normalising makes them bounds.
  for (int i = 0; i < e.claims_size(); ++i) {
    if (e.claims(i).value() < 0) {
      add(absl::StrCat(field, ".claims[", i, "].value"), "must be >= 0");
    }
    if (e.claims(i).value() > kMaxFigure) {
      add(absl::StrCat(field, ".claims[", i, "].value"),
          "must be at most 10^12");
    }
  }
  if (bad) return;
  switch (e.qualifier()) {
    case Estimate::QUALIFIER_EXACT:
      if (!e.has_best() &&
          !(e.has_low() && e.has_high() && e.low() == e.high())) {
        add(sub("best"), "required for QUALIFIER_EXACT");
      } else {
        const int64_t value = e.has_best() ? e.best() : e.low();
        if ((e.has_low() && e.low() != value) ||
            (e.has_high() && e.high() != value)) {
          add(sub("qualifier"),
              "QUALIFIER_EXACT needs low == best == high; use "
              "QUALIFIER_ABOUT for a range");
        }
        for (int i = 0; i < e.claims_size(); ++i) {
          if (e.claims(i).value() != value) {
            add(absl::StrCat(field, ".claims[", i, "].value"),
                "claims disagree with an exact figure; use QUALIFIER_ABOUT");
          }
        }
      }
      break;
    case Estimate::QUALIFIER_AT_LEAST:
      if (!e.has_low()) add(sub("low"), "required for QUALIFIER_AT_LEAST");
      if (e.has_high()) {
        add(sub("high"), "must be unset for QUALIFIER_AT_LEAST (unbounded)");
      }
      break;
    case Estimate::QUALIFIER_AT_MOST:
      if (!e.has_high()) add(sub("high"), "required for QUALIFIER_AT_MOST");
      break;
    case Estimate::QUALIFIER_ABOUT:
      if (!e.has_best() && !(e.has_low() && e.has_high()) &&
          e.claims_size() == 0) {
        add(sub("best"), "QUALIFIER_ABOUT needs best, or both low and high");
      }
      break;
    case Estimate::QUALIFIER_UNKNOWN:
      if (e.has_low() || e.has_best() || e.has_high() || e.claims_size() > 0) {
        add(sub("qualifier"), "QUALIFIER_UNKNOWN takes no figures");
      }
      break;
    default:
      add(sub("qualifier"),
          "required: QUALIFIER_EXACT, QUALIFIER_AT_LEAST, QUALIFIER_AT_MOST, "
          "QUALIFIER_ABOUT or QUALIFIER_UNKNOWN");
  }
}

void NormalizeEstimate(Estimate* e) {
  switch (e->qualifier()) {
    case Estimate::QUALIFIER_EXACT: {
      const int64_t value = e->has_best() ? e->best() : e->low();
      e->set_low(value);
      e->set_best(value);
      e->set_high(value);
      return;
    }
    case Estimate::QUALIFIER_AT_MOST:
      if (!e->has_low()) e->set_low(0);
      break;
    default:
      break;
  }
  for (const auto& claim : e->claims()) {
    if (!e->has_low() || claim.value() < e->low()) e->set_low(claim.value());
    // An unset high is unbounded: a claim cannot exceed it.
    if (e->qualifier() != Estimate::QUALIFIER_AT_LEAST &&
        (!e->has_high() || claim.value() > e->high())) {
      e->set_high(claim.value());
    }
  }
  // Bounds the claims set where there were none must still hold the best
  // figure: {best 1000, claims [1200]} is 1000..1200, not 1200..1200.
  if (e->has_best()) {
    if (e->has_low() && e->low() > e->best()) e->set_low(e->best());
    if (e->has_high() && e->high() < e->best()) e->set_high(e->best());
  }
}

void AddToRollup(const Estimate& e, int sign, RollupValue* r) {
  r->set_count(r->count() + sign);
  r->set_low_sum(r->low_sum() + sign * (e.has_low() ? e.low() : 0));
  if (e.has_best()) {
    r->set_best_sum(r->best_sum() + sign * e.best());
  } else {
    r->set_missing_best(r->missing_best() + sign);
  }
  if (e.has_high()) {
    r->set_high_sum(r->high_sum() + sign * e.high());
  } else {
    r->set_unbounded_high(r->unbounded_high() + sign);
  }
  if (e.qualifier() != Estimate::QUALIFIER_EXACT) {
    r->set_inexact(r->inexact() + sign);
  }
  if (e.qualifier() == Estimate::QUALIFIER_UNKNOWN) {
    r->set_unknown(r->unknown() + sign);
  }
  absl::flat_hash_set<std::string> claimants;
  for (const auto& claim : e.claims()) {
    std::string claimant = PartyTerm(claim.claimed_by());
    // One claim per claimant and estimate: its first.
    if (claimant.empty() || !claimants.insert(claimant).second) continue;
    auto& claims = *r->mutable_claims();
    ClaimTotal& c = claims[claimant];
    c.set_value_sum(c.value_sum() + sign * claim.value());
    c.set_estimates(c.estimates() + sign);
    if (e.has_best()) {
      c.set_best_sum(c.best_sum() + sign * e.best());
    } else {
      c.set_missing_best(c.missing_best() + sign);
    }
    if (IsZero(c)) claims.erase(claimant);
  }
}

void AddRollup(const RollupValue& d, RollupValue* t) {
  t->set_count(t->count() + d.count());
  t->set_low_sum(t->low_sum() + d.low_sum());
  t->set_best_sum(t->best_sum() + d.best_sum());
  t->set_missing_best(t->missing_best() + d.missing_best());
  t->set_high_sum(t->high_sum() + d.high_sum());
  t->set_unbounded_high(t->unbounded_high() + d.unbounded_high());
  t->set_inexact(t->inexact() + d.inexact());
  t->set_unknown(t->unknown() + d.unknown());
  auto& claims = *t->mutable_claims();
  for (const auto& [claimant, delta] : d.claims()) {
    ClaimTotal& c = claims[claimant];
    c.set_value_sum(c.value_sum() + delta.value_sum());
    c.set_estimates(c.estimates() + delta.estimates());
    c.set_best_sum(c.best_sum() + delta.best_sum());
    c.set_missing_best(c.missing_best() + delta.missing_best());
    if (IsZero(c)) claims.erase(claimant);
  }
}

void AddClaimSums(const RollupValue& totals, Estimate* out) {
  // Sorted by claimant, so the answer does not depend on map order.
  std::vector<std::pair<std::string, const ClaimTotal*>> sorted;
  for (const auto& [claimant, c] : totals.claims()) {
    sorted.emplace_back(claimant, &c);
  }
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [claimant, total] : sorted) {
    const ClaimTotal& c = *total;
    // Where it claimed nothing its sum takes the best figure, so it needs
    // one for every other estimate.
    if (c.estimates() <= 0 || totals.missing_best() != c.missing_best()) {
      continue;
    }
    const int64_t others = totals.count() - c.estimates();
    auto* claim = out->add_claims();
    claim->set_value(c.value_sum() + (totals.best_sum() - c.best_sum()));
    *claim->mutable_claimed_by() = PartyFromTerm(claimant);
    claim->set_note(
        others > 0 ? absl::StrCat("its claims on ", c.estimates(),
                                  c.estimates() == 1 ? " figure" : " figures",
                                  ", and the best figure of the ", others,
                                  " other", others == 1 ? "" : "s")
                   : absl::StrCat("its claims on ", c.estimates(),
                                  c.estimates() == 1 ? " figure" : " figures"));
  }
}

Estimate EstimateFromRollup(const RollupValue& r) {
  Estimate e;
  if (r.count() > 0 && r.unknown() == r.count()) {
    e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
    return e;
  }
  e.set_low(r.low_sum());
  if (r.missing_best() == 0) e.set_best(r.best_sum());
  if (r.unbounded_high() == 0) e.set_high(r.high_sum());
  if (r.inexact() == 0) {
    e.set_qualifier(Estimate::QUALIFIER_EXACT);
  } else if (r.unbounded_high() > 0) {
    e.set_qualifier(Estimate::QUALIFIER_AT_LEAST);
  } else {
    e.set_qualifier(Estimate::QUALIFIER_ABOUT);
  }
  AddClaimSums(r, &e);
  return e;
}

Estimate SumEstimates(const std::vector<Estimate>& estimates) {
  RollupValue total;
  for (const auto& e : estimates) AddToRollup(e, +1, &total);
  // Claims come out summed per claimant.
  return EstimateFromRollup(total);
}

}  // namespace parley
