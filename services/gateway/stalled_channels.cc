// StalledChannels: channels with no exchange within the threshold, or whose
// latest reported state is stalled or suspended, with each side's words.
#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/api/grpc_status.h"
#include "common/model/date_span.h"
#include "common/model/window.h"
#include "services/gateway/report_support.h"
#include "services/gateway/reports.h"

namespace parley::gateway {
namespace {

using exchanges::v1::Channel;
using exchanges::v1::ChannelStatus;
using exchanges::v1::Exchange;

constexpr int kDefaultThresholdDays = 90;
// Channels fetched at once.
constexpr size_t kWorkers = 8;
// Statements shown per side: the latest few, so the answer stays small.
constexpr int kDefaultStatementsPerSide = 10;
constexpr int kMaxStatementsPerSide = 100;

// The day a status speaks for: when it was reported, else since when.
absl::CivilDay StatusDay(const ChannelStatus& status) {
  auto reported = StoredSpan(status.reported());
  if (reported.has_value()) return reported->last();
  return StoredSpan(status.since())->first();
}

}  // namespace

absl::Status Reports::ListStalledChannels(
    const reports::v1::ListStalledChannelsRequest& r, const Caller& caller,
    reports::v1::ListStalledChannelsResponse* out) {
  if (r.threshold_days() < 0)
    return InvalidField("threshold_days", "must be >= 0");
  if (r.statements_per_side() < 0 ||
      r.statements_per_side() > kMaxStatementsPerSide) {
    return InvalidField(
        "statements_per_side",
        absl::StrCat("must be 0 (the default, ", kDefaultStatementsPerSide,
                     ") to ", kMaxStatementsPerSide));
  }
  const int per_side = r.statements_per_side() > 0 ? r.statements_per_side()
                                                   : kDefaultStatementsPerSide;
  ASSIGN_OR_RETURN(ReportContext context,
                   ResolveContext(r.as_of(), r.has_known_at(), r.known_at(),
                                  caller, *upstreams_));
  FillTimes(context, out->mutable_times());
  const int threshold =
      r.threshold_days() > 0 ? r.threshold_days() : kDefaultThresholdDays;
  auto& exchanges = upstreams_->exchanges_stub();
  auto& negotiations = upstreams_->negotiations_stub();

  std::vector<Channel> channels;
  grpc::Status listed = ListAll<exchanges::v1::ListChannelsRequest,
                                exchanges::v1::ListChannelsResponse>(
      context, {},
      [&](grpc::ClientContext* c, const auto& q, auto* p) {
        return exchanges.ListChannels(c, q, p);
      },
      [](auto& p) { return p.mutable_channels(); }, &channels);
  if (!listed.ok()) return FromGrpcStatus(listed);

  // Per channel, concurrently: its exchanges, its statuses, and what was
  // said about it.
  struct Found {
    std::vector<Exchange> exchanges;
    std::vector<ChannelStatus> statuses;
    negotiations::v1::SummarizeStatementsResponse said;
    grpc::Status exchanges_status, statuses_status, statements_status;
  };
  std::vector<Found> found(channels.size());
  // A few workers take channels in turn: concurrency without a thread per
  // channel.
  std::atomic<size_t> next{0};
  const auto fetch = [&](size_t i) {
    const std::string& name = channels[i].metadata().name();
    exchanges::v1::ListExchangesRequest by_channel;
    by_channel.set_channel(name);
    found[i].exchanges_status = ListAll<exchanges::v1::ListExchangesRequest,
                                        exchanges::v1::ListExchangesResponse>(
        context, by_channel,
        [&](grpc::ClientContext* c, const auto& q, auto* p) {
          return exchanges.ListExchanges(c, q, p);
        },
        [](auto& p) { return p.mutable_exchanges(); }, &found[i].exchanges);
    exchanges::v1::ListChannelStatusesRequest statuses;
    statuses.set_channel(name);
    found[i].statuses_status =
        ListAll<exchanges::v1::ListChannelStatusesRequest,
                exchanges::v1::ListChannelStatusesResponse>(
            context, statuses,
            [&](grpc::ClientContext* c, const auto& q, auto* p) {
              return exchanges.ListChannelStatuses(c, q, p);
            },
            [](auto& p) { return p.mutable_channel_statuses(); },
            &found[i].statuses);
    // Per side, the count and the latest few, as of the report's day: the
    // negotiations service reads its counts, not every statement.
    negotiations::v1::SummarizeStatementsRequest about;
    about.set_about(name);
    about.set_as_of(FormatDay(context.as_of));
    about.set_statements_per_speaker(per_side);
    SetKnownAt(context, &about);
    auto call = UpstreamContext(context);
    found[i].statements_status =
        negotiations.SummarizeStatements(call.get(), about, &found[i].said);
  };
  std::vector<std::thread> workers;
  const size_t worker_count = std::min<size_t>(kWorkers, channels.size());
  for (size_t w = 0; w < worker_count; ++w) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < channels.size(); i = next++) fetch(i);
    });
  }
  for (auto& w : workers) w.join();

  bool statements_missing = false;
  for (size_t i = 0; i < channels.size(); ++i) {
    Found& f = found[i];
    if (!f.exchanges_status.ok() || !f.statuses_status.ok()) {
      AddMissing(
          absl::StrCat("channel ", channels[i].metadata().name()),
          upstreams_->exchanges().service,
          f.exchanges_status.ok() ? f.statuses_status : f.exchanges_status,
          out->mutable_missing());
      continue;
    }
    reports::v1::StalledChannel stalled;
    // The last exchange and the latest status known by as_of.
    const Exchange* last = nullptr;
    for (const auto& e : f.exchanges) {
      auto span = StoredSpan(e.occurred());
      if (!span.has_value() ||
          PlaceAsOf(*span, context.as_of) == Placement::kOutside)
        continue;
      if (last == nullptr ||
          span->last() > StoredSpan(last->occurred())->last())
        last = &e;
    }
    const ChannelStatus* latest = nullptr;
    for (const auto& s : f.statuses) {
      if (!StoredSpan(s.since()).has_value() || StatusDay(s) > context.as_of)
        continue;
      if (latest == nullptr || StatusDay(s) > StatusDay(*latest)) latest = &s;
    }
    // A stalled status stops counting once an exchange ended after it.
    const bool said_stalled =
        latest != nullptr &&
        (latest->state() == exchanges::v1::CHANNEL_STATE_STALLED ||
         latest->state() == exchanges::v1::CHANNEL_STATE_SUSPENDED) &&
        (last == nullptr ||
         StoredSpan(last->occurred())->last() <= StatusDay(*latest));
    if (said_stalled) {
      stalled.add_reasons(
          absl::StrCat("latest status (", latest->metadata().name(), ") says ",
                       exchanges::v1::ChannelState_Name(latest->state()),
                       " since ", latest->since()));
      *stalled.mutable_since() = latest->since_span();
    }
    if (last == nullptr) {
      stalled.add_reasons("no exchange on record in this channel");
    } else {
      const absl::CivilDay end = StoredSpan(last->occurred())->last();
      const int64_t quiet = context.as_of - end;
      if (quiet > threshold) {
        stalled.add_reasons(absl::StrCat(
            "last exchange ", last->metadata().name(), " ended ",
            FormatDay(end), ", ", quiet, " days before ",
            FormatDay(context.as_of), " (threshold ", threshold, ")"));
        if (!said_stalled) {
          *stalled.mutable_since() = DateSpan::Days(end + 1, end + 1).ToProto();
        }
      }
      *stalled.mutable_last_exchange() = *last;
    }
    if (stalled.reasons().empty()) continue;
    *stalled.mutable_channel() = channels[i];
    if (latest != nullptr) *stalled.mutable_latest_status() = *latest;
    if (!f.statements_status.ok()) {
      statements_missing = true;
    } else {
      for (auto& speaker : *f.said.mutable_speakers()) {
        reports::v1::SideStatements* side = stalled.add_sides();
        *side->mutable_party() = speaker.speaker();
        side->set_statement_count(speaker.statement_count());
        *side->mutable_statements() = std::move(*speaker.mutable_statements());
      }
    }
    *out->add_channels() = std::move(stalled);
  }
  if (statements_missing) {
    const auto& status =
        std::find_if(found.begin(), found.end(), [](const Found& f) {
          return !f.statements_status.ok();
        })->statements_status;
    AddMissing("statements", upstreams_->negotiations().service, status,
               out->mutable_missing());
  }
  return absl::OkStatus();
}

}  // namespace parley::gateway
