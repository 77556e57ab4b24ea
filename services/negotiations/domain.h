// The negotiations domain: the standard methods of rounds, positions and
// statements, and ReportPosition, which folds a re-report into the position
// it repeats. Plain functions over protos: testable without a server.
#ifndef PARLEY_SERVICES_NEGOTIATIONS_DOMAIN_H_
#define PARLEY_SERVICES_NEGOTIATIONS_DOMAIN_H_

#include <array>

#include "absl/synchronization/mutex.h"
#include "common/server/auth.h"
#include "common/service/change_feed.h"
#include "common/service/resource_methods.h"
#include "common/store/store.h"
#include "parley/negotiations/v1/negotiations_service.pb.h"

namespace parley::negotiations {

class Negotiations {
 public:
  explicit Negotiations(Store* store);
  Negotiations(const Negotiations&) = delete;
  Negotiations& operator=(const Negotiations&) = delete;

  absl::Status GetRound(const v1::GetRoundRequest& request, v1::Round* out);
  absl::Status ListRounds(const v1::ListRoundsRequest& request,
                          v1::ListRoundsResponse* out);
  absl::Status CreateRound(const v1::CreateRoundRequest& request,
                           const Caller& caller, v1::Round* out);
  absl::Status BatchCreateRounds(const v1::BatchCreateRoundsRequest& request,
                                 const Caller& caller,
                                 v1::BatchCreateRoundsResponse* out);
  absl::Status UpdateRound(const v1::UpdateRoundRequest& request,
                           const Caller& caller, v1::Round* out);
  absl::Status DeleteRound(const v1::DeleteRoundRequest& request,
                           const Caller& caller);

  absl::Status GetPosition(const v1::GetPositionRequest& request,
                           v1::Position* out);
  absl::Status ListPositions(const v1::ListPositionsRequest& request,
                             v1::ListPositionsResponse* out);
  absl::Status CreatePosition(const v1::CreatePositionRequest& request,
                              const Caller& caller, v1::Position* out);
  absl::Status BatchCreatePositions(
      const v1::BatchCreatePositionsRequest& request, const Caller& caller,
      v1::BatchCreatePositionsResponse* out);
  absl::Status UpdatePosition(const v1::UpdatePositionRequest& request,
                              const Caller& caller, v1::Position* out);
  absl::Status DeletePosition(const v1::DeletePositionRequest& request,
                              const Caller& caller);

  absl::Status GetStatement(const v1::GetStatementRequest& request,
                            v1::Statement* out);
  absl::Status ListStatements(const v1::ListStatementsRequest& request,
                              v1::ListStatementsResponse* out);
  absl::Status CreateStatement(const v1::CreateStatementRequest& request,
                               const Caller& caller, v1::Statement* out);
  absl::Status BatchCreateStatements(
      const v1::BatchCreateStatementsRequest& request, const Caller& caller,
      v1::BatchCreateStatementsResponse* out);
  absl::Status UpdateStatement(const v1::UpdateStatementRequest& request,
                               const Caller& caller, v1::Statement* out);
  absl::Status DeleteStatement(const v1::DeleteStatementRequest& request,
                               const Caller& caller);
  // statement_summary.cc.
  absl::Status SummarizeStatements(
      const v1::SummarizeStatementsRequest& request,
      v1::SummarizeStatementsResponse* out);

  absl::Status ReportPosition(const v1::ReportPositionRequest& request,
                              const Caller& caller,
                              v1::ReportPositionResponse* out);

  absl::Status ListRevisions(const v1::ListRevisionsRequest& request,
                             v1::ListRevisionsResponse* out);
  absl::Status ListChanges(const v1::ListChangesRequest& request,
                           v1::ListChangesResponse* out);
  // The change feed (ListChanges, WatchChanges).
  ChangeFeed& change_feed() { return feed_; }

  Collection& rounds() { return rounds_.collection(); }
  Collection& positions() { return positions_.collection(); }
  Collection& statements() { return statements_.collection(); }
  // What --check_store checks.
  std::vector<Collection*> collections() {
    return {&rounds(), &positions(), &statements()};
  }

 private:
  ResourceMethods<v1::Round> rounds_;
  ResourceMethods<v1::Position> positions_;
  ResourceMethods<v1::Statement> statements_;
  // Serialises reports of one position, so two first reports of it cannot
  // both create it. Apart from the store's record locks, which the create
  // and update inside take.
  std::array<absl::Mutex, 64> report_locks_;
  // After the collections it reads.
  ChangeFeed feed_;
};

}  // namespace parley::negotiations

#endif  // PARLEY_SERVICES_NEGOTIATIONS_DOMAIN_H_
