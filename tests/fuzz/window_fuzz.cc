// The window rule (common/model/window.h, window_sum.h): how a record dated
// to a span counts in a window of days, and so every figure's bounds.
// Input: a window (start, length), cut points splitting it into smaller
// windows that cover it, then up to 12 records, 6 bytes each: start day,
// span kind (a day, an ISO week, a month, a range of up to 60 days),
// occurrence (once or ongoing), per period or not, and a figure (exact, at
// least, at most, about with bounds, unknown).
//
// Properties, for the window W and the cover W1..Wk:
// - a record partly in W never lowers W's low bound, and adding it never
//   lowers the high bound either: figures only widen;
// - low(W) <= best(W) <= high(W) when bounded;
// - sum of low(Wi) <= low(W), and high(W) <= sum of high(Wi) when all are
//   bounded: a window's figure never exceeds what a cover of smaller
//   windows allows, and never claims more surely than they do;
// - counts follow Placement: records()==whole+maybe+ongoing, and a single
//   day is never partly in a window.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/model/date_span.h"
#include "common/model/estimate.h"
#include "common/model/window.h"
#include "common/model/window_sum.h"
#include "tests/fuzz/fuzz_input.h"

namespace parley::fuzz {
namespace {

using Qualifier = Estimate::Qualifier;
constexpr absl::CivilDay kOrigin(2025, 1, 1);

struct Record {
  DateSpan span;
  Occurrence occurrence;
  bool per_period;
  Estimate figure;
};

DateSpan SpanOf(uint8_t start, uint8_t kind) {
  const absl::CivilDay day = kOrigin + start;
  switch (kind % 4) {
    case 0:
      return DateSpan::Days(day, day);
    case 1: {  // the ISO week holding `day`: Monday to Sunday
      const int from_monday = (static_cast<int>(absl::GetWeekday(day)) + 7 -
                               static_cast<int>(absl::Weekday::monday)) %
                              7;
      return DateSpan::Days(day - from_monday, day - from_monday + 6);
    }
    case 2: {
      const absl::CivilMonth month(day);
      return DateSpan::Days(absl::CivilDay(month),
                            absl::CivilDay(month + 1) - 1);
    }
    default:
      return DateSpan::Days(day, day + (kind / 4) % 60);
  }
}

Estimate FigureOf(uint8_t q, uint8_t a, uint8_t b) {
  Estimate e;
  const int64_t low = a % 50, extra = b % 50;
  switch (q % 5) {
    case 0:
      e.set_qualifier(Estimate::QUALIFIER_EXACT);
      e.set_low(low);
      e.set_best(low);
      e.set_high(low);
      break;
    case 1:
      e.set_qualifier(Estimate::QUALIFIER_AT_LEAST);
      e.set_low(low);
      break;
    case 2:
      e.set_qualifier(Estimate::QUALIFIER_AT_MOST);
      e.set_high(low + extra);
      break;
    case 3:
      e.set_qualifier(Estimate::QUALIFIER_ABOUT);
      e.set_low(low);
      e.set_best(low + extra / 2);
      e.set_high(low + extra);
      break;
    default:
      e.set_qualifier(Estimate::QUALIFIER_UNKNOWN);
      break;
  }
  NormalizeEstimate(&e);
  return e;
}

WindowSum SumIn(const std::vector<Record>& records, absl::CivilDay first,
                absl::CivilDay last) {
  WindowSum sum;
  for (const Record& r : records) {
    const Placement placement = PlaceInWindow(r.span, first, last);
    if (IsSingleDay(r.span)) {
      PARLEY_FUZZ_CHECK(placement != Placement::kPartlyIn, r.span.text());
    }
    const Counted how = CountIn(placement, r.occurrence);
    if (how != Counted::kNot) sum.Add(r.figure, how, r.per_period);
  }
  return sum;
}

std::string Describe(const WindowSum& s) {
  return absl::StrCat("low ", s.low(), " high ",
                      s.high() ? absl::StrCat(*s.high()) : "unbounded", " (",
                      s.whole(), " whole, ", s.maybe(), " maybe, ", s.ongoing(),
                      " ongoing)");
}

void CheckOrdered(const WindowSum& s) {
  const Estimate total = s.Total();
  PARLEY_FUZZ_CHECK(s.records() == s.whole() + s.maybe() + s.ongoing(),
                    Describe(s));
  PARLEY_FUZZ_CHECK(s.low() >= 0, Describe(s));
  if (s.high()) PARLEY_FUZZ_CHECK(s.low() <= *s.high(), Describe(s));
  if (total.has_best()) {
    PARLEY_FUZZ_CHECK(!total.has_low() || total.low() <= total.best(),
                      total.ShortDebugString());
    PARLEY_FUZZ_CHECK(!total.has_high() || total.best() <= total.high(),
                      total.ShortDebugString());
  }
  if (s.none_recorded()) {
    PARLEY_FUZZ_CHECK(total.qualifier() == Estimate::QUALIFIER_UNKNOWN,
                      total.ShortDebugString());
  }
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley;        // NOLINT
  using namespace parley::fuzz;  // NOLINT
  FuzzInput in(data, size);
  const absl::CivilDay first = kOrigin + in.TakeByte();
  const absl::CivilDay last = first + in.TakeByte() % 90;
  // Cut points: each day after a cut starts a new smaller window.
  std::vector<absl::CivilDay> starts = {first};
  const int cuts = in.TakeByte() % 6;
  for (int i = 0; i < cuts; ++i) {
    const absl::CivilDay cut = first + 1 + in.TakeByte() % 90;
    if (cut <= last) starts.push_back(cut);
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());

  std::vector<Record> records;
  while (!in.empty() && records.size() < 12) {
    const uint8_t start = in.TakeByte(), kind = in.TakeByte(),
                  flags = in.TakeByte(), q = in.TakeByte(), a = in.TakeByte(),
                  b = in.TakeByte();
    Record r{SpanOf(start, kind),
             (flags & 1) ? common::v1::OCCURRENCE_ONGOING
                         : common::v1::OCCURRENCE_ONCE,
             (flags & 2) != 0, FigureOf(q, a, b)};
    if (!r.per_period || r.occurrence == common::v1::OCCURRENCE_ONGOING) {
      records.push_back(std::move(r));
    }
  }

  // Figures only widen: each record added keeps low and high where they
  // were or moves them out, and one that may fall in W adds to no low.
  WindowSum running;
  std::vector<Record> so_far;
  for (const Record& r : records) {
    const int64_t low_before = running.low();
    const std::optional<int64_t> high_before = running.high();
    so_far.push_back(r);
    running = SumIn(so_far, first, last);
    CheckOrdered(running);
    const Counted how =
        CountIn(PlaceInWindow(r.span, first, last), r.occurrence);
    PARLEY_FUZZ_CHECK(running.low() >= low_before, Describe(running));
    if (how == Counted::kMaybe) {
      PARLEY_FUZZ_CHECK(running.low() == low_before,
                        absl::StrCat(r.span.text(), ": ", Describe(running)));
    }
    if (high_before && running.high()) {
      PARLEY_FUZZ_CHECK(*running.high() >= *high_before, Describe(running));
    }
    if (!high_before) PARLEY_FUZZ_CHECK(!running.high(), Describe(running));
  }

  // W against its cover. Lows leave out per-period figures (levels, which
  // count in full in every window they overlap, so in each part of a cover).
  const WindowSum whole = SumIn(records, first, last);
  std::vector<Record> sums;
  for (const Record& r : records) {
    if (!r.per_period) sums.push_back(r);
  }
  const WindowSum whole_sums = SumIn(sums, first, last);
  int64_t low_sum = 0, high_sum = 0;
  bool bounded = true;
  for (size_t i = 0; i < starts.size(); ++i) {
    const absl::CivilDay end = i + 1 < starts.size() ? starts[i + 1] - 1 : last;
    const WindowSum part = SumIn(records, starts[i], end);
    CheckOrdered(part);
    low_sum += SumIn(sums, starts[i], end).low();
    if (part.high()) {
      high_sum += *part.high();
    } else {
      bounded = false;
    }
  }
  PARLEY_FUZZ_CHECK(
      low_sum <= whole_sums.low(),
      absl::StrCat("cover low ", low_sum, " > ", Describe(whole_sums)));
  if (bounded && whole.high()) {
    PARLEY_FUZZ_CHECK(
        *whole.high() <= high_sum,
        absl::StrCat("cover high ", high_sum, " < ", Describe(whole)));
  }
  if (bounded) PARLEY_FUZZ_CHECK(whole.high().has_value(), Describe(whole));
  return 0;
}
