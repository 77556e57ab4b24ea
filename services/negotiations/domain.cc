#include "services/negotiations/domain.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "common/service/list_filters.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/negotiations/schema.h"
#include "services/negotiations/validation.h"

namespace parley::negotiations {

Negotiations::Negotiations(Store* store)
    : rounds_(store, &RoundSchema(), "round", ValidateRound),
      positions_(store, &PositionSchema(), "position", ValidatePosition),
      statements_(store, &StatementSchema(), "statement", ValidateStatement),
      feed_(store, "negotiations", collections()) {}

// Rounds.

absl::Status Negotiations::GetRound(const v1::GetRoundRequest& r,
                                    v1::Round* out) {
  return rounds_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Negotiations::ListRounds(const v1::ListRoundsRequest& r,
                                      v1::ListRoundsResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Enum(r.format(), "format");
  f.Country(r.venue_country(), "venue_country");
  f.Country(r.party());
  RETURN_IF_ERROR(f.status());
  return rounds_.List(std::move(f.query()), f.page_size(), r.page_token(), r,
                      out->mutable_rounds(), out->mutable_next_page_token());
}

absl::Status Negotiations::CreateRound(const v1::CreateRoundRequest& r,
                                       const Caller& c, v1::Round* out) {
  return rounds_.Create(r.round(), r.round_id(), r.request_id(), r, c, out);
}

absl::Status Negotiations::BatchCreateRounds(
    const v1::BatchCreateRoundsRequest& r, const Caller& c,
    v1::BatchCreateRoundsResponse* out) {
  return rounds_.BatchCreate(r.requests(), c, out->mutable_rounds(),
                             out->mutable_results());
}

absl::Status Negotiations::UpdateRound(const v1::UpdateRoundRequest& r,
                                       const Caller& c, v1::Round* out) {
  return rounds_.Update(r.round(), r.update_mask(), c, out);
}

absl::Status Negotiations::DeleteRound(const v1::DeleteRoundRequest& r,
                                       const Caller& c) {
  return rounds_.Delete(r.name(), r.etag(), c);
}

// Positions.

absl::Status Negotiations::GetPosition(const v1::GetPositionRequest& r,
                                       v1::Position* out) {
  return positions_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Negotiations::ListPositions(const v1::ListPositionsRequest& r,
                                         v1::ListPositionsResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.Text(absl::AsciiStrToLower(r.issue()), "issue");
  f.Country(r.party());
  f.Enum(r.state(), "state");
  f.Enum(r.stance(), "stance");
  RETURN_IF_ERROR(f.status());
  return positions_.List(std::move(f.query()), f.page_size(), r.page_token(), r,
                         out->mutable_positions(),
                         out->mutable_next_page_token());
}

absl::Status Negotiations::CreatePosition(const v1::CreatePositionRequest& r,
                                          const Caller& c, v1::Position* out) {
  return positions_.Create(r.position(), r.position_id(), r.request_id(), r, c,
                           out);
}

absl::Status Negotiations::BatchCreatePositions(
    const v1::BatchCreatePositionsRequest& r, const Caller& c,
    v1::BatchCreatePositionsResponse* out) {
  return positions_.BatchCreate(r.requests(), c, out->mutable_positions(),
                                out->mutable_results());
}

absl::Status Negotiations::UpdatePosition(const v1::UpdatePositionRequest& r,
                                          const Caller& c, v1::Position* out) {
  return positions_.Update(r.position(), r.update_mask(), c, out);
}

absl::Status Negotiations::DeletePosition(const v1::DeletePositionRequest& r,
                                          const Caller& c) {
  return positions_.Delete(r.name(), r.etag(), c);
}

// Statements.

absl::Status Negotiations::GetStatement(const v1::GetStatementRequest& r,
                                        v1::Statement* out) {
  return statements_.Get(r.name(), r.has_read_time(), r.read_time(), out);
}

absl::Status Negotiations::ListStatements(const v1::ListStatementsRequest& r,
                                          v1::ListStatementsResponse* out) {
  ListFilters f(r.page_size(), r.span());
  f.ReadTime(r.has_read_time(), r.read_time());
  f.About(r.about());
  f.Country(r.party());
  f.Enum(r.kind(), "kind");
  RETURN_IF_ERROR(f.status());
  return statements_.List(std::move(f.query()), f.page_size(), r.page_token(),
                          r, out->mutable_statements(),
                          out->mutable_next_page_token());
}

absl::Status Negotiations::CreateStatement(const v1::CreateStatementRequest& r,
                                           const Caller& c,
                                           v1::Statement* out) {
  return statements_.Create(r.statement(), r.statement_id(), r.request_id(), r,
                            c, out);
}

absl::Status Negotiations::BatchCreateStatements(
    const v1::BatchCreateStatementsRequest& r, const Caller& c,
    v1::BatchCreateStatementsResponse* out) {
  return statements_.BatchCreate(r.requests(), c, out->mutable_statements(),
                                 out->mutable_results());
}

absl::Status Negotiations::UpdateStatement(const v1::UpdateStatementRequest& r,
                                           const Caller& c,
                                           v1::Statement* out) {
  return statements_.Update(r.statement(), r.update_mask(), c, out);
}

absl::Status Negotiations::DeleteStatement(const v1::DeleteStatementRequest& r,
                                           const Caller& c) {
  return statements_.Delete(r.name(), r.etag(), c);
}

absl::Status Negotiations::ReportPosition(const v1::ReportPositionRequest& r,
                                          const Caller& c,
                                          v1::ReportPositionResponse* out) {
  v1::Position report = r.position();
  if (report.first_reported().empty())
    report.set_first_reported(report.last_reported());
  if (report.last_reported().empty())
    report.set_last_reported(report.first_reported());
  {
    // Check the report as a whole before looking for its position.
    v1::Position checked = report;
    FieldViolations v;
    ValidatePosition(&checked, "position", &v);
    RETURN_IF_ERROR(v.ToStatus());
  }
  const std::string identity = PositionIdentity(report);
  absl::MutexLock lock(
      &report_locks_[absl::HashOf(identity) % report_locks_.size()]);
  // An edit through UpdatePosition may still win the etag race; then read
  // again and fold into the new revision.
  for (int attempt = 0; attempt < 5; ++attempt) {
    ListQuery query;
    query.terms.push_back({"identity", identity});
    // Withdrawn positions of the same identity may pile up; only an open
    // (or agreed) one takes the report.
    query.matches = [](const Message& m) {
      return static_cast<const v1::Position&>(m).state() !=
             v1::POSITION_STATE_WITHDRAWN;
    };
    query.page_size = 1;
    ASSIGN_OR_RETURN(ListResult found, positions().List(query));
    const v1::Position* existing =
        found.records.empty()
            ? nullptr
            : static_cast<const v1::Position*>(found.records.front().get());
    if (existing == nullptr) {
      RETURN_IF_ERROR(positions_.Create(report, "", r.request_id(), r, c,
                                        out->mutable_position()));
      out->set_created(out->position().metadata().revision() == 1);
      return absl::OkStatus();
    }

    v1::Position patch;
    *patch.mutable_metadata() = existing->metadata();
    // A report older than what is known widens the dates but does not
    // overrule the newer state.
    auto existing_first = DateSpan::Parse(existing->first_reported());
    auto existing_last = DateSpan::Parse(existing->last_reported());
    auto report_first = DateSpan::Parse(report.first_reported());
    auto report_last = DateSpan::Parse(report.last_reported());
    const bool older = existing_last.ok() && report_last.ok() &&
                       report_last->last() < existing_last->last();
    patch.set_last_reported(older ? existing->last_reported()
                                  : report.last_reported());
    const bool earlier = existing_first.ok() && report_first.ok() &&
                         report_first->first() < existing_first->first();
    patch.set_first_reported(earlier ? report.first_reported()
                                     : existing->first_reported());
    *patch.mutable_sources() = existing->sources();
    for (const auto& source : report.sources()) {
      const bool known = std::any_of(
          patch.sources().begin(), patch.sources().end(), [&](const auto& s) {
            return google::protobuf::util::MessageDifferencer::Equals(s,
                                                                      source);
          });
      if (!known) *patch.add_sources() = source;
    }
    patch.set_state(older ? existing->state() : report.state());
    google::protobuf::FieldMask mask;
    for (const char* path :
         {"first_reported", "last_reported", "sources", "state"}) {
      mask.add_paths(path);
    }
    // The same request id as the report: a retry returns what it did first.
    absl::Status status = positions_.Update(
        patch, mask, c, out->mutable_position(), r.request_id(), &r);
    if (!absl::IsAborted(status)) {
      // Created only if this is the retry of a report that created it: the
      // same request id returned the first revision.
      out->set_created(status.ok() && !r.request_id().empty() &&
                       out->position().metadata().revision() == 1 &&
                       existing->metadata().revision() == 1 &&
                       out->position().sources_size() == report.sources_size());
      return status;
    }
  }
  return absl::AbortedError(
      "the position kept changing concurrently; report it again");
}

absl::Status Negotiations::ListRevisions(const v1::ListRevisionsRequest& r,
                                         v1::ListRevisionsResponse* out) {
  return parley::ListRevisions({&rounds(), &positions(), &statements()},
                               r.name(), r.page_size(), r.page_token(), r,
                               out->mutable_revisions(),
                               out->mutable_next_page_token());
}

absl::Status Negotiations::ListChanges(const v1::ListChangesRequest& r,
                                       v1::ListChangesResponse* out) {
  return parley::ListChanges(feed_, r, out);
}

}  // namespace parley::negotiations
