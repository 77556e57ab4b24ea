// How one quota stands as of a day: delivered by the window rule ("up to
// as_of"), share, pace, projection and verdict. A term's quota and each
// side's share of it are judged alike, here.
#ifndef PARLEY_SERVICES_GATEWAY_QUOTA_PROGRESS_H_
#define PARLEY_SERVICES_GATEWAY_QUOTA_PROGRESS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/model/estimate.h"
#include "common/model/window_sum.h"
#include "parley/common/v1/party.pb.h"
#include "parley/exchanges/v1/exchange.pb.h"
#include "parley/reports/v1/reports_service.pb.h"

namespace parley::gateway {

// People of one category moved one way by exchanges over one span: one
// transfer of a record (with its exchange), or the rollups' total of every
// such transfer (without).
struct Delivery {
  absl::CivilDay first;
  absl::CivilDay last;
  int category = 0;
  common::v1::Party from_party;
  common::v1::Party to_party;
  Estimate count;
  const exchanges::v1::Exchange* exchange = nullptr;
};

// What progress is judged by: the report's day, the stall threshold and
// the term's deadline (empty: none).
struct Judging {
  absl::CivilDay as_of;
  int stall_days = 90;
  std::string deadline;
};

// The deliveries behind one quota, placed against as_of: those whose span
// ended by then in full, those straddling it in the upper bound only.
class QuotaTrack {
 public:
  explicit QuotaTrack(absl::CivilDay as_of) : as_of_(as_of) {}
  // A delivery that began after as_of is not added.
  void Add(const Delivery* delivery);

  const WindowSum& delivered() const { return delivered_; }
  const std::vector<const Delivery*>& behind() const { return behind_; }
  // Those straddling as_of: they may have come after it.
  const std::vector<const Delivery*>& maybe() const { return maybe_; }

 private:
  absl::CivilDay as_of_;
  WindowSum delivered_;
  std::vector<const Delivery*> behind_;
  std::vector<const Delivery*> maybe_;
};

// The parts of a quota's progress; TermProgress and SideProgress both have
// them.
struct QuotaProgress {
  Estimate delivered;
  double share_low_percent = 0;
  double share_high_percent = 0;
  reports::v1::Pace pace;
  reports::v1::Projection projection;
  std::optional<common::v1::DateSpan> projected_completion;
  reports::v1::Verdict verdict = reports::v1::VERDICT_UNSPECIFIED;
  std::vector<std::string> reasons;
};

QuotaProgress AssessQuota(const Estimate& quota, const QuotaTrack& track,
                          const Judging& judging);

// Copies `progress` into a TermProgress or a SideProgress.
template <typename Out>
void FillProgress(const QuotaProgress& progress, Out* out) {
  *out->mutable_delivered() = progress.delivered;
  out->set_share_low_percent(progress.share_low_percent);
  out->set_share_high_percent(progress.share_high_percent);
  if (progress.pace.has_per_30_days()) *out->mutable_pace() = progress.pace;
  if (!progress.projection.earliest_day().empty() ||
      !progress.projection.latest_day().empty()) {
    *out->mutable_projection() = progress.projection;
  }
  if (progress.projected_completion.has_value()) {
    *out->mutable_projected_completion() = *progress.projected_completion;
  }
  out->set_verdict(progress.verdict);
  for (const auto& reason : progress.reasons) out->add_reasons(reason);
}

// Whether an estimate gives any figure (a quota "with no figure given"
// does not).
bool HasFigure(const Estimate& e);

// How bad a verdict is, for the worst of a term's sides: a term is only as
// far along as its slowest side.
int Severity(reports::v1::Verdict verdict);

}  // namespace parley::gateway

#endif  // PARLEY_SERVICES_GATEWAY_QUOTA_PROGRESS_H_
