// TalksContext: a round of talks and what happened on the ground, in the
// exchanges and in public statements before, during and after it.
#include <future>

#include "absl/strings/str_cat.h"
#include "common/api/grpc_status.h"
#include "common/api/validation.h"
#include "common/model/date_span.h"
#include "common/model/party.h"
#include "common/model/window.h"
#include "common/model/window_sum.h"
#include "services/gateway/figures.h"
#include "services/gateway/report_support.h"
#include "services/gateway/reports.h"

namespace parley::gateway {
namespace {

constexpr int kDefaultWindowDays = 7;
// Ten years each way: a window past year 1 would ask the services for a
// span they cannot read, and report a missing section for a bad request.
constexpr int kMaxWindowDays = 3660;
// Most incidents a window lists; past it the window gives totals alone.
constexpr size_t kMaxIncidentsListed = 500;

}  // namespace

absl::Status Reports::GetTalksContext(
    const reports::v1::GetTalksContextRequest& r, const Caller& caller,
    reports::v1::GetTalksContextResponse* out) {
  FieldViolations v;
  CheckName(r.round(), "rounds", "round", true, &v);
  for (const auto& [field, days] : {std::pair{"days_before", r.days_before()},
                                    std::pair{"days_after", r.days_after()}}) {
    if (days < 0 || days > kMaxWindowDays) {
      v.Add(field,
            absl::StrCat("must be within 0..", kMaxWindowDays, " (ten years)"));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(ReportContext context,
                   ResolveContext(r.as_of(), r.has_known_at(), r.known_at(),
                                  caller, *upstreams_));
  FillTimes(context, out->mutable_times());

  negotiations::v1::GetRoundRequest get;
  get.set_name(r.round());
  SetKnownAt(context, &get);
  {
    auto client = UpstreamContext(context);
    grpc::Status status = upstreams_->negotiations_stub().GetRound(
        client.get(), get, out->mutable_round());
    if (!status.ok()) return FromGrpcStatus(status);
  }
  auto held = StoredSpan(out->round().held());
  if (!held.has_value())
    return absl::DataLossError("the round's date is unreadable");
  const int before = r.days_before() > 0 ? r.days_before() : kDefaultWindowDays;
  const int after = r.days_after() > 0 ? r.days_after() : kDefaultWindowDays;

  struct WindowWork {
    reports::v1::Window* window;
    std::optional<DateSpan> span;  // none: entirely after as_of
    grpc::Status incidents, exchanges, statements;
    // How the records listed count in the window, filled by each call.
    Behind incidents_behind, exchanges_behind, statements_behind;
  };
  // Windows end at as_of: the report describes nothing later.
  auto clip = [&](absl::CivilDay first,
                  absl::CivilDay last) -> std::optional<DateSpan> {
    if (first > context.as_of) return std::nullopt;
    return DateSpan::Days(first, std::min(last, context.as_of));
  };
  std::vector<WindowWork> windows = {
      {out->mutable_before(), clip(held->first() - before, held->first() - 1)},
      {out->mutable_during(), clip(held->first(), held->last())},
      {out->mutable_after(), clip(held->last() + 1, held->last() + after)},
  };
  auto& exchanges = upstreams_->exchanges_stub();
  auto& negotiations = upstreams_->negotiations_stub();
  auto& incidents = upstreams_->incidents_stub();
  std::vector<std::future<void>> work;
  for (auto& w : windows) {
    if (!w.span.has_value()) continue;
    *w.window->mutable_span() = w.span->ToProto();
    const std::string span = w.span->text();
    work.push_back(std::async(std::launch::async, [&, span] {
      incidents::v1::ListIncidentsRequest q;
      q.set_span(span);
      std::vector<incidents::v1::Incident> found;
      w.incidents = ListAll<incidents::v1::ListIncidentsRequest,
                            incidents::v1::ListIncidentsResponse>(
          context, q,
          [&](grpc::ClientContext* c, const auto& q, auto* p) {
            return incidents.ListIncidents(c, q, p);
          },
          [](auto& p) { return p.mutable_incidents(); }, &found);
      // No totals when the incidents could not be read: `missing` says why.
      if (!w.incidents.ok()) return;
      WindowSum killed, injured;
      Behind behind;
      std::vector<incidents::v1::Incident> counted;
      for (auto& i : found) {
        const Counted how = CountIncident(i, *w.span);
        if (how == Counted::kNot) continue;
        killed.Add(i.casualties().has_killed() ? i.casualties().killed()
                                               : UnknownEstimate(),
                   how);
        injured.Add(i.casualties().has_injured() ? i.casualties().injured()
                                                 : UnknownEstimate(),
                    how);
        behind.Add(i.metadata().name(), how);
        counted.push_back(std::move(i));
      }
      *w.window->mutable_killed() = killed.Total();
      *w.window->mutable_injured() = injured.Total();
      w.window->set_incident_count(static_cast<int32_t>(counted.size()));
      std::string note = killed.Note();
      if (counted.size() > kMaxIncidentsListed) {
        // Totals of a dataset's worth, not its records: the reply stays a
        // report (and under the message limit).
        w.window->set_incidents_left_out(true);
        absl::StrAppend(&note, note.empty() ? "" : "; ", counted.size(),
                        " incidents, more than a report lists: "
                        "ListIncidents with span ",
                        span, " lists them");
      } else {
        w.incidents_behind = std::move(behind);
        for (auto& i : counted) *w.window->add_incidents() = std::move(i);
      }
      w.window->set_note(note);
    }));
    work.push_back(std::async(std::launch::async, [&, span] {
      exchanges::v1::ListExchangesRequest q;
      q.set_span(span);
      std::vector<exchanges::v1::Exchange> found;
      w.exchanges = ListAll<exchanges::v1::ListExchangesRequest,
                            exchanges::v1::ListExchangesResponse>(
          context, q,
          [&](grpc::ClientContext* c, const auto& q, auto* p) {
            return exchanges.ListExchanges(c, q, p);
          },
          [](auto& p) { return p.mutable_exchanges(); }, &found);
      for (auto& e : found) {
        w.exchanges_behind.Add(e.metadata().name(),
                               CountOnce(e.occurred(), *w.span));
        *w.window->add_exchanges() = std::move(e);
      }
    }));
    work.push_back(std::async(std::launch::async, [&, span] {
      negotiations::v1::ListStatementsRequest q;
      q.set_span(span);
      std::vector<negotiations::v1::Statement> found;
      w.statements = ListAll<negotiations::v1::ListStatementsRequest,
                             negotiations::v1::ListStatementsResponse>(
          context, q,
          [&](grpc::ClientContext* c, const auto& q, auto* p) {
            return negotiations.ListStatements(c, q, p);
          },
          [](auto& p) { return p.mutable_statements(); }, &found);
      for (auto& s : found) {
        w.statements_behind.Add(s.metadata().name(),
                                CountOnce(s.made(), *w.span));
        *w.window->add_statements() = std::move(s);
      }
    }));
  }
  for (auto& w : work) w.get();

  const char* names[] = {"before", "during", "after"};
  for (size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    for (const Behind* behind :
         {&w.incidents_behind, &w.exchanges_behind, &w.statements_behind}) {
      for (const auto& name : behind->maybe) w.window->add_partly_in(name);
      for (const auto& name : behind->ongoing) w.window->add_ongoing(name);
    }
    if (!w.incidents.ok()) {
      AddMissing(absl::StrCat(names[i], ".incidents"),
                 upstreams_->incidents().service, w.incidents,
                 out->mutable_missing());
    }
    if (!w.exchanges.ok()) {
      AddMissing(absl::StrCat(names[i], ".exchanges"),
                 upstreams_->exchanges().service, w.exchanges,
                 out->mutable_missing());
    }
    if (!w.statements.ok()) {
      AddMissing(absl::StrCat(names[i], ".statements"),
                 upstreams_->negotiations().service, w.statements,
                 out->mutable_missing());
    }
  }
  return absl::OkStatus();
}

}  // namespace parley::gateway
