// Estimates (common/estimate): every figure in a record (quotas, counts,
// casualties, quantities) is checked, normalised and summed into rollups.
// Input: up to 8 Estimate messages, each preceded by its length (1 byte).
//
// Properties: an estimate that passes ValidateEstimate still passes once
// normalised, and its bounds bracket its best figure and its claims; sums
// of valid estimates are ordered (low <= best <= high) and are the sums of
// their parts (no overflow: UBSan watches the arithmetic); a rollup that
// adds and removes
// the same estimates is back to zero.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/model/estimate.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/proto_mutator.h"

namespace parley::fuzz {
namespace {

using ::parley::model::v1::RollupValue;

std::string Describe(const Estimate& e) { return e.ShortDebugString(); }

bool IsValid(const Estimate& e) {
  FieldViolations v;
  ValidateEstimate(e, "estimate", &v);
  return v.empty();
}

void CheckNormalized(const Estimate& original, const Estimate& e) {
  const std::string both =
      absl::StrCat(Describe(original), " -> ", Describe(e));
  PARLEY_FUZZ_CHECK(IsValid(e), both);
  PARLEY_FUZZ_CHECK(e.qualifier() == original.qualifier(), both);
  if (e.has_low() && e.has_high()) PARLEY_FUZZ_CHECK(e.low() <= e.high(), both);
  if (e.has_best()) {
    if (e.has_low()) PARLEY_FUZZ_CHECK(e.low() <= e.best(), both);
    if (e.has_high()) PARLEY_FUZZ_CHECK(e.best() <= e.high(), both);
  }
  for (const auto& claim : e.claims()) {
    if (e.has_low()) PARLEY_FUZZ_CHECK(e.low() <= claim.value(), both);
    if (e.has_high()) PARLEY_FUZZ_CHECK(claim.value() <= e.high(), both);
  }
  // Normalising twice changes nothing more.
  Estimate twice = e;
  NormalizeEstimate(&twice);
  PARLEY_FUZZ_CHECK(twice.SerializeAsString() == e.SerializeAsString(), both);
}

void CheckSum(const std::vector<Estimate>& parts) {
  const Estimate sum = SumEstimates(parts);
  std::string all;
  for (const auto& p : parts) absl::StrAppend(&all, Describe(p), "; ");
  // A sum may pass 10^12 (the bound is on each figure), but it is ordered
  // as an estimate must be.
  const std::string what = absl::StrCat(all, "sum ", Describe(sum));
  if (sum.has_low() && sum.has_high()) {
    PARLEY_FUZZ_CHECK(sum.low() <= sum.high(), what);
  }
  if (sum.has_best()) {
    PARLEY_FUZZ_CHECK(!sum.has_low() || sum.low() <= sum.best(), what);
    PARLEY_FUZZ_CHECK(!sum.has_high() || sum.best() <= sum.high(), what);
  }
  // Unsigned, so that an overflow shows in the code under test, not here.
  uint64_t low = 0;
  for (const auto& p : parts) low += p.has_low() ? p.low() : 0;
  if (sum.qualifier() != Estimate::QUALIFIER_UNKNOWN) {
    PARLEY_FUZZ_CHECK(static_cast<uint64_t>(sum.low()) == low,
                      absl::StrCat(all, Describe(sum)));
  }
  RollupValue rollup;
  for (const auto& p : parts) AddToRollup(p, +1, &rollup);
  RollupValue merged;
  AddRollup(rollup, &merged);
  PARLEY_FUZZ_CHECK(
      EstimateFromRollup(merged).SerializeAsString() == sum.SerializeAsString(),
      all);
  for (const auto& p : parts) AddToRollup(p, -1, &rollup);
  PARLEY_FUZZ_CHECK(rollup.SerializeAsString().empty(),
                    absl::StrCat(all, "left ", rollup.ShortDebugString()));
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  FuzzInput input(data, size);
  std::vector<parley::Estimate> valid;
  for (int i = 0; i < 8 && !input.empty(); ++i) {
    const size_t length = input.TakeByte();
    const absl::string_view bytes = input.Rest().substr(0, length);
    std::string chunk(bytes);
    for (size_t n = 0; n < bytes.size(); ++n) input.TakeByte();
    parley::Estimate estimate;
    if (!estimate.ParseFromString(chunk)) continue;
    if (!IsValid(estimate)) continue;
    parley::Estimate normalized = estimate;
    parley::NormalizeEstimate(&normalized);
    CheckNormalized(estimate, normalized);
    valid.push_back(normalized);
  }
  CheckSum(valid);
  return 0;
}

#ifdef PARLEY_LIBFUZZER
// Structure-aware: one change to one estimate (or one added or dropped),
// the length prefixes written again (tests/fuzz/proto_mutator.h).
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned seed) {
  using parley::Estimate;
  static const std::vector<std::string> dictionary;
  parley::fuzz::ProtoMutator mutator(seed, &dictionary);
  if (mutator.Chance(4)) return LLVMFuzzerMutate(data, size, max_size);
  std::vector<Estimate> estimates;
  parley::fuzz::FuzzInput input(data, size);
  while (!input.empty()) {
    const size_t length = input.TakeByte();
    const std::string chunk(input.Rest().substr(0, length));
    for (size_t n = 0; n < chunk.size(); ++n) input.TakeByte();
    if (!estimates.emplace_back().ParseFromString(chunk)) estimates.pop_back();
  }
  if (estimates.empty() || (estimates.size() < 8 && mutator.Chance(4))) {
    estimates.push_back(estimates.empty()
                            ? Estimate()
                            : estimates[mutator.Below(estimates.size())]);
  } else if (estimates.size() > 1 && mutator.Chance(6)) {
    estimates.erase(estimates.begin() + mutator.Below(estimates.size()));
  }
  mutator.Mutate(&estimates[mutator.Below(estimates.size())]);
  std::string out;
  for (const Estimate& e : estimates) {
    const std::string bytes = e.SerializeAsString();
    if (bytes.size() > 255) return LLVMFuzzerMutate(data, size, max_size);
    out.push_back(static_cast<char>(bytes.size()));
    out += bytes;
  }
  const size_t written = parley::fuzz::Replace(out, data, max_size);
  return written > 0 ? written : LLVMFuzzerMutate(data, size, max_size);
}
#endif
