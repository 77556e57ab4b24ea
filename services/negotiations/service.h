// The gRPC edge of the negotiations service: each handler hands its request
// to the domain on the worker pool (common/server.h); nothing else happens
// here.
#ifndef PARLEY_SERVICES_NEGOTIATIONS_SERVICE_H_
#define PARLEY_SERVICES_NEGOTIATIONS_SERVICE_H_

#include "common/server/service_host.h"
#include "common/service/change_watch.h"
#include "parley/negotiations/v1/negotiations_service.grpc.pb.h"
#include "services/negotiations/domain.h"

namespace parley::negotiations {

class NegotiationsServiceImpl final
    : public v1::NegotiationsService::CallbackService {
 public:
  explicit NegotiationsServiceImpl(ServiceHost<Negotiations>* host)
      : host_(host) {}

  PARLEY_UNARY(Negotiations, GetRound, v1::GetRoundRequest, v1::Round)
  PARLEY_UNARY(Negotiations, ListRounds, v1::ListRoundsRequest,
               v1::ListRoundsResponse)
  PARLEY_UNARY(Negotiations, CreateRound, v1::CreateRoundRequest, v1::Round)
  PARLEY_UNARY(Negotiations, BatchCreateRounds, v1::BatchCreateRoundsRequest,
               v1::BatchCreateRoundsResponse)
  PARLEY_UNARY(Negotiations, UpdateRound, v1::UpdateRoundRequest, v1::Round)
  PARLEY_UNARY(Negotiations, DeleteRound, v1::DeleteRoundRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Negotiations, GetPosition, v1::GetPositionRequest, v1::Position)
  PARLEY_UNARY(Negotiations, ListPositions, v1::ListPositionsRequest,
               v1::ListPositionsResponse)
  PARLEY_UNARY(Negotiations, CreatePosition, v1::CreatePositionRequest,
               v1::Position)
  PARLEY_UNARY(Negotiations, BatchCreatePositions,
               v1::BatchCreatePositionsRequest,
               v1::BatchCreatePositionsResponse)
  PARLEY_UNARY(Negotiations, UpdatePosition, v1::UpdatePositionRequest,
               v1::Position)
  PARLEY_UNARY(Negotiations, DeletePosition, v1::DeletePositionRequest,
               google::protobuf::Empty)

  PARLEY_UNARY(Negotiations, GetStatement, v1::GetStatementRequest,
               v1::Statement)
  PARLEY_UNARY(Negotiations, ListStatements, v1::ListStatementsRequest,
               v1::ListStatementsResponse)
  PARLEY_UNARY(Negotiations, CreateStatement, v1::CreateStatementRequest,
               v1::Statement)
  PARLEY_UNARY(Negotiations, BatchCreateStatements,
               v1::BatchCreateStatementsRequest,
               v1::BatchCreateStatementsResponse)
  PARLEY_UNARY(Negotiations, UpdateStatement, v1::UpdateStatementRequest,
               v1::Statement)
  PARLEY_UNARY(Negotiations, DeleteStatement, v1::DeleteStatementRequest,
               google::protobuf::Empty)
  PARLEY_UNARY(Negotiations, SummarizeStatements,
               v1::SummarizeStatementsRequest, v1::SummarizeStatementsResponse)

  PARLEY_UNARY(Negotiations, ReportPosition, v1::ReportPositionRequest,
               v1::ReportPositionResponse)
  PARLEY_UNARY(Negotiations, ListRevisions, v1::ListRevisionsRequest,
               v1::ListRevisionsResponse)
  PARLEY_UNARY(Negotiations, ListChanges, v1::ListChangesRequest,
               v1::ListChangesResponse)
  PARLEY_WATCH_CHANGES(Negotiations, v1::WatchChangesRequest,
                       v1::WatchChangesResponse)

 private:
  ServiceHost<Negotiations>* host_;
};

}  // namespace parley::negotiations

#endif  // PARLEY_SERVICES_NEGOTIATIONS_SERVICE_H_
