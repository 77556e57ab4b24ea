// The rows of bad_input_test.cc for the input paths added since its first
// table: batch methods as a whole, change-feed positions and kinds, and
// SummarizeStatements; and the batches whose every item is bad
// (BadItemBatches), built from the domain rows: each refused create, sent
// as an item of its kind's batch.
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/feed_position.h"
#include "tests/gateway/bad_input_rows.h"

namespace parley::gateway_test {
namespace {

namespace rp = ::parley::reports::v1;
using ::google::protobuf::internal::WireFormatLite;

constexpr int kMaxBatch = 1000;

// `count` copies of `item`, each under its own id: "<prefix>-<i>".
template <typename Batch, typename Item, typename SetId>
Batch Copies(const Item& item, int count, const std::string& prefix,
             SetId set_id) {
  Batch batch;
  for (int i = 0; i < count; ++i) {
    Item* copy = batch.add_requests();
    *copy = item;
    set_id(copy, absl::StrCat(prefix, "-", i));
  }
  return batch;
}

std::vector<Row> WholeBatchRows() {
  std::vector<Row> rows;
  // No requests, for every batch method.
  for (const auto& [method, service] :
       std::vector<std::pair<std::string, std::string>>{
           {Ex("BatchCreateAgreements"), "exchanges"},
           {Ex("BatchCreateExchanges"), "exchanges"},
           {Ex("BatchCreateChannels"), "exchanges"},
           {Ex("BatchCreateChannelStatuses"), "exchanges"},
           {Ng("BatchCreateRounds"), "negotiations"},
           {Ng("BatchCreatePositions"), "negotiations"},
           {Ng("BatchCreateStatements"), "negotiations"},
           {In("BatchCreateIncidents"), "incidents"},
           {In("BatchUpdateIncidents"), "incidents"}}) {
    rows.push_back({absl::StrCat("batch of no requests (", service, ")"),
                    method, "", kBad, "requests"});
  }
  const auto incident_id = [](in::CreateIncidentRequest* r, std::string id) {
    r->set_incident_id(std::move(id));
  };
  rows.push_back({"batch of 1,001 incidents", In("BatchCreateIncidents"),
                  Bytes(Copies<in::BatchCreateIncidentsRequest>(
                      NewIncident(), kMaxBatch + 1, "refused", incident_id)),
                  kBad, "requests"});
  rows.push_back({"batch of 1,001 statements", Ng("BatchCreateStatements"),
                  Bytes(Copies<ng::BatchCreateStatementsRequest>(
                      NewStatement(), kMaxBatch + 1, "refused",
                      [](ng::CreateStatementRequest* r, std::string id) {
                        r->set_statement_id(std::move(id));
                      })),
                  kBad, "requests"});
  in::UpdateIncidentRequest update;
  *update.mutable_incident() = NewIncident().incident();
  update.mutable_incident()->mutable_metadata()->set_name("incidents/refused");
  update.set_allow_missing(true);
  update.mutable_update_mask()->add_paths("*");
  rows.push_back({"batch of 1,001 incident updates", In("BatchUpdateIncidents"),
                  Bytes(Copies<in::BatchUpdateIncidentsRequest>(
                      update, kMaxBatch + 1, "refused",
                      [](in::UpdateIncidentRequest* r, std::string id) {
                        r->mutable_incident()->mutable_metadata()->set_name(
                            absl::StrCat("incidents/", id));
                      })),
                  kBad, "requests"});
  // 1,000 valid incidents of 4.5 KiB each: past the 4 MiB message limit.
  in::CreateIncidentRequest large = NewIncident();
  large.mutable_incident()->set_description(std::string(4096, 'x'));
  rows.push_back({"batch of 1,000 incidents in 4.5 MiB",
                  In("BatchCreateIncidents"),
                  Bytes(Copies<in::BatchCreateIncidentsRequest>(
                      large, kMaxBatch, "refused", incident_id)),
                  kTooLarge, "larger than max"});
  // Malformed bytes inside the third item, and a field of the second under
  // the wrong wire type: named down to the item.
  in::BatchCreateIncidentsRequest three =
      Copies<in::BatchCreateIncidentsRequest>(NewIncident(), 3, "refused",
                                              incident_id);
  three.mutable_requests(2)->mutable_incident()->set_description(kPlaceholder);
  rows.push_back({"batch: invalid UTF-8 in the third item",
                  In("BatchCreateIncidents"),
                  Spliced(Bytes(three), kPlaceholder, BadUtf8()), kBad,
                  "requests[2].incident.description"});
  rows.push_back(
      {"batch: the second item's incident_id sent as a varint",
       In("BatchCreateIncidents"),
       Delimited(1, Bytes(NewIncident())) +
           Delimited(1, Key(2, WireFormatLite::WIRETYPE_VARINT) + Varint(5)),
       kBad, "requests[1].incident_id"});
  rows.push_back({"batch: a reader creates", In("BatchCreateIncidents"),
                  Bytes(Copies<in::BatchCreateIncidentsRequest>(
                      NewIncident(), 1, "refused", incident_id)),
                  kDenied, "editor", Who::kReader});
  return rows;
}

// ListChanges of each service: positions that are not its own, forged,
// ahead of its log; kinds it does not hold; page sizes.
std::vector<Row> FeedRows() {
  std::vector<Row> rows;
  for (const auto& [service, method, other, kind] : std::vector<
           std::tuple<std::string, std::string, std::string, std::string>>{
           {"exchanges", Ex("ListChanges"), "incidents", "incidents"},
           {"negotiations", Ng("ListChanges"), "exchanges", "exchanges"},
           {"incidents", In("ListChanges"), "negotiations", "rounds"}}) {
    const auto after = [&](const std::string& position) {
      in::ListChangesRequest r;  // the same fields in every service
      r.set_after(position);
      return Bytes(r);
    };
    const auto row = [&](const std::string& what, std::string bytes,
                         grpc::StatusCode code, std::string expect) {
      rows.push_back({absl::StrCat("feed (", service, "): ", what), method,
                      std::move(bytes), code, std::move(expect), Who::kReader});
    };
    row("a position that is none", after("not-a-position"), kBad, "after");
    row("another service's position", after(EncodeFeedPosition(other, 1)), kBad,
        "after");
    row("a position of 1 MiB", after(std::string(1 << 20, 'p')), kBad, "after");
    row("a position with invalid UTF-8",
        Spliced(after(kPlaceholder), kPlaceholder, BadUtf8()), kBad, "after");
    row("a position ahead of its log",
        after(EncodeFeedPosition(service, 1'000'000'000'000)),
        grpc::StatusCode::FAILED_PRECONDITION, "ahead");
    in::ListChangesRequest kinds;
    kinds.add_kinds(kind);
    row("a kind of another service", Bytes(kinds), kBad, "kinds[0]");
    in::ListChangesRequest negative;
    negative.set_page_size(-1);
    row("a negative page size", Bytes(negative), kBad, "page_size");
  }
  return rows;
}

std::vector<Row> SummarizeStatementsRows() {
  const auto summarize = [](auto spoil) {
    ng::SummarizeStatementsRequest r;
    r.set_about("channels/pow-ru-ua");
    spoil(&r);
    return Bytes(r);
  };
  const std::string method = Ng("SummarizeStatements");
  return {
      {"said about: nothing named", method,
       summarize([](auto* r) { r->clear_about(); }), kBad, "about",
       Who::kReader},
      {"said about: no record", method,
       summarize([](auto* r) { r->set_about("pow-ru-ua"); }), kBad, "about",
       Who::kReader},
      {"said about: month 13", method,
       summarize([](auto* r) { r->set_as_of("2026-13-01"); }), kBad, "as_of",
       Who::kReader},
      {"said about: 101 per speaker", method,
       summarize([](auto* r) { r->set_statements_per_speaker(101); }), kBad,
       "statements_per_speaker", Who::kReader},
      {"said about: read_time with negative nanos", method,
       summarize([](auto* r) { r->mutable_read_time()->set_nanos(-1); }), kBad,
       "read_time", Who::kReader},
  };
}

// The domain rows of `create_method` (kBad, small enough to batch), as the
// items of one batch of `batch_method`. `id_field` names the create's id
// ("incident_id").
template <typename Create, typename Batch>
BadItemBatch ItemsOf(const std::vector<Row>& domain_rows,
                     const std::string& create_method,
                     const std::string& batch_method,
                     const std::string& id_field) {
  BadItemBatch out;
  out.name = batch_method;
  out.method = batch_method;
  Batch batch;
  for (const Row& row : domain_rows) {
    if (row.method != create_method || row.code != kBad ||
        row.request.size() > (64 << 10))
      continue;
    Create item;
    if (!item.ParseFromString(row.request)) continue;
    // Apart from the rows about the id itself, each under its own.
    const auto* id = item.GetDescriptor()->FindFieldByName(id_field);
    if (item.GetReflection()->GetString(item, id) == "refused") {
      item.GetReflection()->SetString(
          &item, id, absl::StrCat("refused-", batch.requests_size()));
    }
    out.expect.push_back(
        absl::StrCat("requests[", batch.requests_size(), "].", row.expect));
    out.rows.push_back(row.name);
    *batch.add_requests() = std::move(item);
  }
  out.request = Bytes(batch);
  return out;
}

}  // namespace

std::vector<Row> BatchAndFeedRows() {
  std::vector<Row> rows = WholeBatchRows();
  for (auto* more : {FeedRows, SummarizeStatementsRows}) {
    for (Row& row : more()) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<BadItemBatch> BadItemBatches() {
  const std::vector<Row> rows = DomainRows();
  return {
      ItemsOf<ex::CreateExchangeRequest, ex::BatchCreateExchangesRequest>(
          rows, Ex("CreateExchange"), Ex("BatchCreateExchanges"),
          "exchange_id"),
      ItemsOf<ng::CreateRoundRequest, ng::BatchCreateRoundsRequest>(
          rows, Ng("CreateRound"), Ng("BatchCreateRounds"), "round_id"),
      ItemsOf<ng::CreatePositionRequest, ng::BatchCreatePositionsRequest>(
          rows, Ng("CreatePosition"), Ng("BatchCreatePositions"),
          "position_id"),
      ItemsOf<ng::CreateStatementRequest, ng::BatchCreateStatementsRequest>(
          rows, Ng("CreateStatement"), Ng("BatchCreateStatements"),
          "statement_id"),
      ItemsOf<in::CreateIncidentRequest, in::BatchCreateIncidentsRequest>(
          rows, In("CreateIncident"), In("BatchCreateIncidents"),
          "incident_id"),
  };
}

}  // namespace parley::gateway_test
