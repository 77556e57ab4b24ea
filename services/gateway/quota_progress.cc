#include "services/gateway/quota_progress.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/model/date_span.h"
#include "common/model/window.h"

namespace parley::gateway {
namespace {

using reports::v1::Verdict;

const absl::CivilDay kLastDay(9999, 12, 31);

// A quota's bounds: the lowest and highest number it may mean.
struct Bounds {
  int64_t low = 0;
  std::optional<int64_t> high;
};

Bounds BoundsOf(const Estimate& e) {
  Bounds b;
  b.low = e.has_low() ? e.low() : (e.has_best() ? e.best() : 0);
  if (e.has_high()) {
    b.high = e.high();
  } else if (e.has_best()) {
    b.high = e.best();
  }
  return b;
}

// "exchanges/x (2025-11)", or the span alone for a rollup's total.
std::string Describe(const Delivery& d) {
  const std::string span =
      d.first == d.last
          ? FormatDay(d.first)
          : absl::StrCat(FormatDay(d.first), "/", FormatDay(d.last));
  if (d.exchange == nullptr) return absl::StrCat("a delivery dated ", span);
  return absl::StrCat(d.exchange->metadata().name(), " (",
                      d.exchange->occurred(), ")");
}

// The deliveries straddling as_of, named once each, the first few of them.
std::string DescribeMaybe(const QuotaTrack& track) {
  constexpr size_t kNamed = 3;
  std::vector<std::string> names;
  for (const Delivery* d : track.maybe()) {
    std::string name = Describe(*d);
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(std::move(name));
  }
  if (names.size() <= kNamed) return absl::StrJoin(names, ", ");
  const size_t more = names.size() - kNamed;
  names.resize(kNamed);
  return absl::StrCat(absl::StrJoin(names, ", "), " and ", more, " more");
}

// The pace, and from it the projection, of what was delivered.
void Project(const Estimate& quota, const QuotaTrack& track,
             const Judging& judging, QuotaProgress* out) {
  if (track.behind().empty()) return;
  const WindowSum& got = track.delivered();
  // The window runs from the first delivery to as_of. Its length is known
  // only as precisely as the first delivery's date: the longest reading
  // starts on its first day, the shortest on its last (or as_of, if it may
  // have come only then).
  absl::CivilDay first = track.behind().front()->first;
  absl::CivilDay first_end = track.behind().front()->last;
  for (const Delivery* d : track.behind()) {
    first = std::min(first, d->first);
    first_end = std::min(first_end, d->last);
  }
  const int64_t longest = std::max<int64_t>(1, judging.as_of - first + 1);
  const int64_t shortest = std::max<int64_t>(
      1, judging.as_of - std::min(first_end, judging.as_of) + 1);
  *out->pace.mutable_window() =
      DateSpan::Days(first, std::max(first, judging.as_of)).ToProto();
  // Low: what surely came, over the longest reading; high: what may have
  // come, over the shortest.
  Estimate* per_30 = out->pace.mutable_per_30_days();
  per_30->set_low(got.low() * 30 / longest);
  if (out->delivered.has_best())
    per_30->set_best(out->delivered.best() * 30 / longest);
  if (got.high().has_value()) {
    per_30->set_high((*got.high() * 30 + shortest - 1) / shortest);
  }
  per_30->set_qualifier(per_30->has_high() ? Estimate::QUALIFIER_ABOUT
                                           : Estimate::QUALIFIER_AT_LEAST);

  if (!HasFigure(quota)) return;
  const Bounds need = BoundsOf(quota);
  if (got.low() >= need.high.value_or(need.low)) return;  // completed
  // Past the last day a DateSpan can name there is nothing to project.
  const double room = static_cast<double>(kLastDay - judging.as_of);
  // Earliest: the least left to deliver at the fastest pace.
  const double fastest =
      static_cast<double>(got.high().value_or(got.low())) / shortest;
  const int64_t least_left =
      got.high().has_value() ? std::max<int64_t>(0, need.low - *got.high()) : 0;
  std::optional<absl::CivilDay> earliest, latest;
  if (least_left == 0 || fastest > 0) {
    const double days = least_left == 0 ? 0 : std::ceil(least_left / fastest);
    if (days <= room) earliest = judging.as_of + static_cast<int64_t>(days);
  }
  // Latest: the most left at the slowest pace; unbounded if nothing surely
  // came, or the quota has no upper figure.
  const double slowest = static_cast<double>(got.low()) / longest;
  if (slowest > 0 && need.high.has_value()) {
    const double days = std::ceil((*need.high - got.low()) / slowest);
    if (days <= room) latest = judging.as_of + static_cast<int64_t>(days);
  }
  if (!earliest.has_value()) {
    out->reasons.push_back(
        "at the fastest reading of the pace the quota would not be met "
        "before 9999");
    return;
  }
  out->projection.set_earliest_day(FormatDay(*earliest));
  if (latest.has_value()) {
    out->projection.set_latest_day(FormatDay(*latest));
    out->projected_completion =
        DateSpan::Days(*earliest, std::max(*earliest, *latest)).ToProto();
  }
}

void Judge(const Estimate& quota, const QuotaTrack& track,
           const Judging& judging, QuotaProgress* out) {
  const Bounds need = BoundsOf(quota);
  const WindowSum& got = track.delivered();
  auto verdict = [out](Verdict v, std::string reason) {
    out->verdict = v;
    out->reasons.push_back(std::move(reason));
  };
  if (HasFigure(quota) && got.low() >= need.high.value_or(need.low)) {
    verdict(reports::v1::VERDICT_COMPLETED,
            absl::StrCat("delivered at least ", got.low(), " of ",
                         need.high.value_or(need.low)));
    return;
  }
  // The latest a delivery may have come, as far as as_of.
  absl::CivilDay last_delivery;
  bool any = false;
  for (const Delivery* d : track.behind()) {
    const absl::CivilDay end = std::min(d->last, judging.as_of);
    if (!any || end > last_delivery) last_delivery = end;
    any = true;
  }
  if (any && judging.as_of - last_delivery > judging.stall_days) {
    verdict(reports::v1::VERDICT_STALLED,
            absl::StrCat("no delivery in the ", judging.as_of - last_delivery,
                         " days since ", FormatDay(last_delivery),
                         " (threshold ", judging.stall_days, ")"));
    return;
  }
  if (!HasFigure(quota)) {
    verdict(reports::v1::VERDICT_UNDETERMINED,
            "the agreement gives no figure for this quota");
    return;
  }
  if (!any) {
    verdict(reports::v1::VERDICT_UNDETERMINED, "no delivery recorded yet");
    return;
  }
  const std::string& earliest = out->projection.earliest_day();
  const std::string& latest = out->projection.latest_day();
  if (earliest.empty()) {
    verdict(reports::v1::VERDICT_UNDETERMINED,
            "the pace does not allow a projection");
    return;
  }
  // Why the slow end has no bound, if it has none.
  const std::string unbounded =
      got.low() > 0 ? "the quota has no upper figure"
                    : absl::StrCat("nothing was surely delivered by ",
                                   FormatDay(judging.as_of));
  auto deadline = StoredSpan(judging.deadline);
  if (!deadline.has_value()) {
    if (!latest.empty()) {
      verdict(reports::v1::VERDICT_ON_TRACK,
              absl::StrCat("no deadline; at this pace complete between ",
                           earliest, " and ", latest));
    } else {
      verdict(reports::v1::VERDICT_UNDETERMINED,
              absl::StrCat("no deadline; at the fastest reading of the pace "
                           "complete from ",
                           earliest,
                           ", but the slowest gives no bound: ", unbounded));
    }
    return;
  }
  const std::string deadline_day = FormatDay(deadline->last());
  if (!latest.empty() && StoredSpan(latest)->last() <= deadline->last()) {
    verdict(reports::v1::VERDICT_ON_TRACK,
            absl::StrCat("even at the slowest reading of the pace complete by ",
                         latest, ", before the deadline ", deadline_day));
    return;
  }
  if (StoredSpan(earliest)->first() > deadline->last()) {
    verdict(reports::v1::VERDICT_BEHIND,
            absl::StrCat("even at the fastest reading of the pace complete "
                         "only from ",
                         earliest, "; deadline ", deadline_day));
    return;
  }
  // The bounds straddle the deadline.
  verdict(reports::v1::VERDICT_UNDETERMINED,
          absl::StrCat(
              "on track at the fast end of the pace (complete from ", earliest,
              track.maybe().empty()
                  ? ""
                  : absl::StrCat(", if ", DescribeMaybe(track), " came by ",
                                 FormatDay(judging.as_of)),
              "); behind at the slow end (",
              latest.empty() ? absl::StrCat("no bound: ", unbounded)
                             : absl::StrCat("complete by ", latest),
              "); deadline ", deadline_day));
}

}  // namespace

void QuotaTrack::Add(const Delivery* delivery) {
  const Placement placement =
      PlaceAsOf(DateSpan::Days(delivery->first, delivery->last), as_of_);
  if (placement == Placement::kOutside) return;
  const bool surely = placement == Placement::kInside;
  delivered_.Add(delivery->count, surely ? Counted::kWhole : Counted::kMaybe);
  behind_.push_back(delivery);
  if (!surely) maybe_.push_back(delivery);
}

QuotaProgress AssessQuota(const Estimate& quota, const QuotaTrack& track,
                          const Judging& judging) {
  QuotaProgress out;
  const WindowSum& got = track.delivered();
  out.delivered = got.Total();
  if (HasFigure(quota)) {
    const Bounds need = BoundsOf(quota);
    const int64_t need_high = need.high.value_or(need.low);
    if (need_high > 0) out.share_low_percent = 100.0 * got.low() / need_high;
    if (need.low > 0) {
      out.share_high_percent =
          100.0 * got.high().value_or(got.low()) / need.low;
    }
  }
  Project(quota, track, judging, &out);
  Judge(quota, track, judging, &out);
  // After the verdict's own reason, which comes first.
  if (!track.maybe().empty()) {
    out.reasons.push_back(
        absl::StrCat(DescribeMaybe(track), " may have come after ",
                     FormatDay(judging.as_of), ": in the upper bounds only"));
  }
  return out;
}

bool HasFigure(const Estimate& e) {
  return e.qualifier() != Estimate::QUALIFIER_UNKNOWN &&
         (e.has_low() || e.has_best() || e.has_high());
}

int Severity(reports::v1::Verdict verdict) {
  switch (verdict) {
    case reports::v1::VERDICT_COMPLETED:
      return 0;
    case reports::v1::VERDICT_ON_TRACK:
      return 1;
    case reports::v1::VERDICT_UNDETERMINED:
    case reports::v1::VERDICT_UNSPECIFIED:
      return 2;
    case reports::v1::VERDICT_STALLED:
      return 3;
    case reports::v1::VERDICT_BEHIND:
      return 4;
    default:
      return 2;
  }
}

}  // namespace parley::gateway
