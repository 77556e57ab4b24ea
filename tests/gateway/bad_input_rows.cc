#include "tests/gateway/bad_input_rows.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "google/protobuf/wire_format_lite.h"
#include "gtest/gtest.h"
#include "parley/admin/v1/admin_service.pb.h"
#include "parley/exchanges/v1/exchanges_service.pb.h"
#include "parley/incidents/v1/incidents_service.pb.h"
#include "parley/negotiations/v1/negotiations_service.pb.h"
#include "parley/reports/v1/reports_service.pb.h"

namespace parley::gateway_test {

namespace rp = ::parley::reports::v1;
using WF = ::google::protobuf::internal::WireFormatLite;

// ---------------------------------------------------------------------------
// Bytes.

std::string Varint(uint64_t value) {
  std::string out;
  do {
    out.push_back(
        static_cast<char>((value & 0x7f) | (value > 0x7f ? 0x80 : 0)));
    value >>= 7;
  } while (value != 0);
  return out;
}

std::string Key(int number, WF::WireType wire_type) {
  return Varint((static_cast<uint64_t>(number) << 3) | wire_type);
}

std::string Delimited(int number, const std::string& payload) {
  return Key(number, WF::WIRETYPE_LENGTH_DELIMITED) + Varint(payload.size()) +
         payload;
}

// `bytes` with `placeholder` (found exactly once) replaced by `raw`, of the
// same length: how invalid UTF-8, which protobuf will not serialize in a
// string field, gets into one.
std::string Spliced(const std::string& bytes, const std::string& placeholder,
                    const std::string& raw) {
  EXPECT_EQ(placeholder.size(), raw.size());
  const size_t at = bytes.find(placeholder);
  EXPECT_NE(at, std::string::npos) << placeholder;
  EXPECT_EQ(bytes.find(placeholder, at + 1), std::string::npos) << placeholder;
  if (at == std::string::npos) return bytes;
  std::string out = bytes;
  out.replace(at, raw.size(), raw);
  return out;
}

const std::string& BadUtf8() {
  static const std::string* bad = new std::string("ok\x80\xc0\xaf\xed\xa0\x80");
  return *bad;
}

// ---------------------------------------------------------------------------
// Baselines.

ex::CreateExchangeRequest NewExchange() {
  ex::CreateExchangeRequest r;
  *r.mutable_exchange() = Repatriation("2026-W05", 10, 5);
  r.set_exchange_id("refused");
  return r;
}
ex::CreateAgreementRequest NewAgreement() {
  ex::CreateAgreementRequest r;
  *r.mutable_agreement() = Istanbul();
  r.set_agreement_id("refused");
  return r;
}
ex::CreateChannelStatusRequest NewChannelStatus() {
  ex::CreateChannelStatusRequest r;
  *r.mutable_channel_status() = StalledSinceOctober();
  r.set_channel_status_id("refused");
  return r;
}
ex::UpdateExchangeRequest ExchangeUpdate(const Fixtures& f) {
  ex::UpdateExchangeRequest r;
  *r.mutable_exchange() = f.exchange;
  r.mutable_exchange()->set_description("corrected");
  r.mutable_update_mask()->add_paths("description");
  return r;
}
ng::CreateRoundRequest NewRound() {
  ng::CreateRoundRequest r;
  *r.mutable_round() = UaeRound();
  r.set_round_id("refused");
  return r;
}
ng::CreatePositionRequest NewPosition() {
  ng::CreatePositionRequest r;
  *r.mutable_position() = ::parley::testing::DonetskDemand();
  r.set_position_id("refused");
  return r;
}
ng::CreateStatementRequest NewStatement() {
  ng::CreateStatementRequest r;
  *r.mutable_statement() = MedinskyAccusation();
  r.set_statement_id("refused");
  return r;
}
ng::UpdateRoundRequest RoundUpdate(const Fixtures& f) {
  ng::UpdateRoundRequest r;
  *r.mutable_round() = f.round;
  r.mutable_round()->set_description("corrected");
  r.mutable_update_mask()->add_paths("description");
  return r;
}
in::CreateIncidentRequest NewIncident() {
  in::CreateIncidentRequest r;
  *r.mutable_incident() = TrainStrike();
  r.set_incident_id("refused");
  return r;
}
in::UpdateIncidentRequest IncidentUpdate(const Fixtures& f) {
  in::UpdateIncidentRequest r;
  *r.mutable_incident() = f.incident;
  r.mutable_incident()->set_description("corrected");
  r.mutable_update_mask()->add_paths("description");
  return r;
}
rp::GetSummaryRequest Summary() {
  rp::GetSummaryRequest r;
  r.set_span("2026-W05");
  r.set_as_of("2026-02-01");
  return r;
}
rp::GetAgreementProgressRequest Progress() {
  rp::GetAgreementProgressRequest r;
  r.set_agreement(kIstanbul);
  r.set_as_of("2026-02-01");
  return r;
}
rp::GetTalksContextRequest Talks() {
  rp::GetTalksContextRequest r;
  r.set_round(kUaeRound);
  r.set_as_of("2026-02-01");
  return r;
}

namespace {

// ---------------------------------------------------------------------------
// Rows by kind.

void WireRows(std::vector<Row>* rows) {
  const std::string exchange = Bytes(NewExchange());
  const std::string incident = Bytes(NewIncident());
  const int kind = ex::Exchange::kKindFieldNumber;
  *rows = {
      {"garbage", Ex("CreateExchange"), "\xff\xff\xff\xff", kBad,
       "parley.exchanges.v1.CreateExchangeRequest"},
      {"field number 0", In("CreateIncident"), std::string("\x00\x01", 2), kBad,
       "malformed field key"},
      {"cut off", In("CreateIncident"), incident.substr(0, incident.size() - 3),
       kBad, "incident_id"},
      {"length past the end", In("CreateIncident"), "\x0a\x7f\x01", kBad,
       "incident"},
      {"unended group of an unknown field", Ng("CreateRound"), "\x7b\x08\x01",
       kBad, "cut off"},
      {"varint that never ends", Ex("GetExchange"),
       std::string("\x12\x02\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 13),
       kBad, "read_time.seconds"},
      {"exchange_id sent as a varint", Ex("CreateExchange"),
       exchange + Key(2, WF::WIRETYPE_VARINT) + Varint(7), kBad, "exchange_id"},
      {"exchange sent as a fixed32", Ex("CreateExchange"),
       Key(1, WF::WIRETYPE_FIXED32) + "\x01\x02\x03\x04", kBad, "exchange"},
      {"exchange.kind sent as bytes", Ex("CreateExchange"),
       Delimited(1, Delimited(kind, "\x01")), kBad, "exchange.kind"},
      {"page_size sent as a fixed64", Ex("ListExchanges"),
       Key(1, WF::WIRETYPE_FIXED64) + std::string(8, '\x01'), kBad,
       "page_size"},
      {"incident.casualties.killed.low sent as bytes", In("CreateIncident"),
       Delimited(1, Delimited(9, Delimited(1, Delimited(1, "5")))), kBad,
       "incident.casualties.killed.low"},
      {"summary span sent as a varint", Rp("GetSummary"),
       Key(1, WF::WIRETYPE_VARINT) + Varint(2026), kBad, "span"},
      {"garbage to a report", Rp("GetSummary"), "\xff\xff\xff", kBad,
       "parley.reports.v1.GetSummaryRequest"},
      {"cut-off bytes to backups", Ad("CreateBackup"), "\x0a\x05\x01", kBad,
       "service", Who::kAdmin},
  };
}

void Utf8Rows(std::vector<Row>* rows) {
  const auto bad = [](const std::string& bytes) {
    return Spliced(bytes, kPlaceholder, BadUtf8());
  };
  rows->insert(
      rows->end(),
      {
          {"invalid UTF-8: exchange.description", Ex("CreateExchange"),
           bad(With(NewExchange(),
                    [](auto* r) {
                      r->mutable_exchange()->set_description(kPlaceholder);
                    })),
           kBad, "exchange.description"},
          {"invalid UTF-8: exchange.sources[0].channel", Ex("CreateExchange"),
           bad(With(NewExchange(),
                    [](auto* r) {
                      r->mutable_exchange()->mutable_sources(0)->set_channel(
                          kPlaceholder);
                    })),
           kBad, "exchange.sources[0].channel"},
          {"invalid UTF-8: exchange.transfers[1].to_party.person",
           Ex("CreateExchange"),
           bad(With(NewExchange(),
                    [](auto* r) {
                      r->mutable_exchange()
                          ->mutable_transfers(1)
                          ->mutable_to_party()
                          ->set_person(kPlaceholder);
                    })),
           kBad, "exchange.transfers[1].to_party.person"},
          {"invalid UTF-8: exchange_id", Ex("CreateExchange"),
           bad(With(NewExchange(),
                    [](auto* r) { r->set_exchange_id(kPlaceholder); })),
           kBad, "exchange_id"},
          {"invalid UTF-8: a name", Ng("GetRound"),
           bad(With(ng::GetRoundRequest(),
                    [](auto* r) { r->set_name(kPlaceholder); })),
           kBad, "name"},
          {"invalid UTF-8: round.outcomes[0]", Ng("CreateRound"),
           bad(With(NewRound(),
                    [](auto* r) {
                      r->mutable_round()->clear_outcomes();
                      r->mutable_round()->add_outcomes(kPlaceholder);
                    })),
           kBad, "round.outcomes[0]"},
          {"invalid UTF-8: incident.place.admin1", In("CreateIncident"),
           bad(With(NewIncident(),
                    [](auto* r) {
                      r->mutable_incident()->mutable_place()->set_admin1(
                          kPlaceholder);
                    })),
           kBad, "incident.place.admin1"},
          {"invalid UTF-8: a page token", In("ListIncidents"),
           bad(With(in::ListIncidentsRequest(),
                    [](auto* r) { r->set_page_token(kPlaceholder); })),
           kBad, "page_token"},
          {"invalid UTF-8: a summary's region", Rp("GetSummary"),
           bad(With(Summary(), [](auto* r) { r->set_region(kPlaceholder); })),
           kBad, "region", Who::kReader},
          {"invalid UTF-8: an update mask path", Ex("UpdateExchange"),
           bad(With(ex::UpdateExchangeRequest(),
                    [](auto* r) {
                      r->mutable_update_mask()->add_paths(kPlaceholder);
                    })),
           kBad, "update_mask.paths[0]"},
      });
}

void TokenRows(std::vector<Row>* rows) {
  const std::string create = Bytes(NewExchange());
  rows->insert(rows->end(),
               {
                   {"no token", Ex("CreateExchange"), create, kUnauthenticated,
                    "authorization: Bearer", Who::kNobody},
                   {"unknown token", Ex("CreateExchange"), create,
                    kUnauthenticated, "token", Who::kUnknownToken},
                   {"not a bearer token", In("ListIncidents"), "",
                    kUnauthenticated, "Bearer", Who::kNotBearer},
                   {"a 6,000-byte token", Rp("GetSummary"), Bytes(Summary()),
                    kUnauthenticated, "token", Who::kHugeToken},
                   {"a reader creates", Ex("CreateExchange"), create, kDenied,
                    "editor", Who::kReader},
                   {"a reader deletes", In("DeleteIncident"),
                    With(in::DeleteIncidentRequest(),
                         [](auto* r) { r->set_name(kTrain); }),
                    kDenied, "editor", Who::kReader},
                   {"a reader reports a position", Ng("ReportPosition"),
                    Bytes(NewPosition()), kDenied, "editor", Who::kReader},
                   {"an editor takes a backup", Ad("CreateBackup"),
                    With(::parley::admin::v1::CreateBackupRequest(),
                         [](auto* r) { r->set_service("exchanges"); }),
                    kDenied, "admin"},
                   {"a backup of no such service", Ad("CreateBackup"),
                    With(::parley::admin::v1::CreateBackupRequest(),
                         [](auto* r) { r->set_service("weather"); }),
                    kBad, "service", Who::kAdmin},
               });
}

void PagingRows(const Fixtures& f, std::vector<Row>* rows) {
  const auto listing = [](const std::string& party, const std::string& token) {
    return With(ex::ListExchangesRequest(), [&](auto* r) {
      r->set_party(party);
      r->set_page_size(1);
      r->set_page_token(token);
    });
  };
  rows->insert(
      rows->end(),
      {
          {"page token of another filter", Ex("ListExchanges"),
           listing("RU", f.ua_exchanges_token), kBad, "page_token"},
          {"page token of another collection", In("ListIncidents"),
           With(in::ListIncidentsRequest(),
                [&](auto* r) { r->set_page_token(f.ua_exchanges_token); }),
           kBad, "page_token"},
          {"page token of a list, to ListRevisions", Ex("ListRevisions"),
           With(ex::ListRevisionsRequest(),
                [&](auto* r) {
                  r->set_name(kW05Exchange);
                  r->set_page_token(f.ua_exchanges_token);
                }),
           kBad, "page_token"},
          {"forged page token", Ex("ListExchanges"),
           listing("UA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), kBad, "page_token"},
          {"page token not base64", Ex("ListExchanges"),
           listing("UA", "%%%not base64%%%"), kBad, "page_token"},
          {"page token of 100 KB", Ex("ListExchanges"),
           listing("UA", std::string(100000, 'A')), kBad, "page_token"},
          // Its fingerprint is right, the rest is made up.
          {"page token forged with the right fingerprint", Ex("ListExchanges"),
           With(ex::ListExchangesRequest(),
                [&](auto* r) {
                  r->set_page_token(f.forged_fingerprinted_token);
                }),
           kBad, "page_token"},
          {"negative page size", Ng("ListStatements"),
           With(ng::ListStatementsRequest(),
                [](auto* r) { r->set_page_size(-1); }),
           kBad, "page_size"},
          {"huge page size (lowered to 500)", In("ListIncidents"),
           With(in::ListIncidentsRequest(),
                [](auto* r) { r->set_page_size(kInt32Max); }),
           kOk, ""},
          {"negative revisions page size", In("ListRevisions"),
           With(in::ListRevisionsRequest(),
                [](auto* r) {
                  r->set_name(kTrain);
                  r->set_page_size(-5);
                }),
           kBad, "page_size"},
      });
}

void EtagNameAndMaskRows(const Fixtures& f, std::vector<Row>* rows) {
  const auto exchange_update = [&](auto spoil) {
    return With(ExchangeUpdate(f), spoil);
  };
  rows->insert(
      rows->end(),
      {
          {"etag nobody issued", Ex("UpdateExchange"),
           exchange_update([](auto* r) {
             r->mutable_exchange()->mutable_metadata()->set_etag("forged");
           }),
           kAborted, "etag"},
          {"etag of 1 MB", In("UpdateIncident"),
           With(IncidentUpdate(f),
                [](auto* r) {
                  r->mutable_incident()->mutable_metadata()->set_etag(
                      std::string(1 << 20, 'e'));
                }),
           kAborted, "etag"},
          {"delete with a stale etag", Ng("DeleteRound"),
           With(ng::DeleteRoundRequest(),
                [&](auto* r) {
                  r->set_name(kUaeRound);
                  r->set_etag("0-0000000000000000");
                }),
           kAborted, "etag"},
          {"no name to update", Ng("UpdateRound"),
           With(RoundUpdate(f),
                [](auto* r) {
                  r->mutable_round()->mutable_metadata()->clear_name();
                }),
           kBad, "round.metadata.name"},
          {"name of another collection", Ex("GetExchange"),
           With(ex::GetExchangeRequest(),
                [](auto* r) { r->set_name(kIstanbul); }),
           kBad, "name"},
          {"name with upper case", Ng("GetRound"),
           With(ng::GetRoundRequest(),
                [](auto* r) { r->set_name("rounds/UAE-2026"); }),
           kBad, "name"},
          {"name with a path", In("GetIncident"),
           With(in::GetIncidentRequest(),
                [](auto* r) { r->set_name("incidents/../exchanges/x"); }),
           kBad, "name"},
          {"name of 1 MB", In("DeleteIncident"),
           With(in::DeleteIncidentRequest(),
                [](auto* r) {
                  r->set_name("incidents/" + std::string(1 << 20, 'a'));
                }),
           kBad, "name"},
          {"no name", Ex("DeleteExchange"), "", kBad, "name"},
          {"revisions of no such collection", Ng("ListRevisions"),
           With(ng::ListRevisionsRequest(),
                [](auto* r) { r->set_name("treaties/minsk"); }),
           kBad, "name"},
          {"well-formed name of nothing", Ex("GetExchange"),
           With(ex::GetExchangeRequest(),
                [](auto* r) { r->set_name("exchanges/never-happened"); }),
           kNotFound, "exchanges/never-happened"},
          {"mask: no such field", Ex("UpdateExchange"),
           exchange_update(
               [](auto* r) { r->mutable_update_mask()->add_paths("weather"); }),
           kBad, "update_mask"},
          {"mask: output only", Ex("UpdateExchange"),
           exchange_update([](auto* r) {
             r->mutable_update_mask()->add_paths("occurred_span");
           }),
           kBad, "update_mask"},
          {"mask: metadata", In("UpdateIncident"),
           With(IncidentUpdate(f),
                [](auto* r) {
                  r->mutable_update_mask()->add_paths("metadata.etag");
                }),
           kBad, "update_mask"},
          {"mask: into a repeated field", Ex("UpdateExchange"),
           exchange_update([](auto* r) {
             r->mutable_update_mask()->add_paths("transfers.count");
           }),
           kBad, "update_mask"},
          {"mask: empty path", Ng("UpdateRound"),
           With(RoundUpdate(f),
                [](auto* r) { r->mutable_update_mask()->add_paths(""); }),
           kBad, "update_mask.paths[1]"},
          {"mask: 100,000 paths", Ng("UpdateRound"),
           With(RoundUpdate(f),
                [](auto* r) {
                  for (int i = 0; i < 100000; ++i)
                    r->mutable_update_mask()->add_paths("no_such_field");
                }),
           kBad, "update_mask"},
          {"update to a bad value", In("UpdateIncident"),
           With(IncidentUpdate(f),
                [](auto* r) {
                  r->mutable_incident()->set_description(
                      std::string(5000, 'd'));
                }),
           kBad, "incident.description"},
      });
}

}  // namespace

std::string Ex(const std::string& m) {
  return absl::StrCat("/", kExchangesService, "/", m);
}
std::string Ng(const std::string& m) {
  return absl::StrCat("/", kNegotiationsService, "/", m);
}
std::string In(const std::string& m) {
  return absl::StrCat("/", kIncidentsService, "/", m);
}
std::string Rp(const std::string& m) {
  return absl::StrCat("/parley.reports.v1.ReportService/", m);
}
std::string Ad(const std::string& m) {
  return absl::StrCat("/parley.admin.v1.AdminService/", m);
}

std::vector<Row> AllRows(const Fixtures& f) {
  std::vector<Row> rows;
  WireRows(&rows);
  Utf8Rows(&rows);
  TokenRows(&rows);
  PagingRows(f, &rows);
  EtagNameAndMaskRows(f, &rows);
  for (auto* more : {DomainRows, ReportRows, BatchAndFeedRows}) {
    for (Row& row : more()) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> BaselineRows(const Fixtures& f) {
  return {
      {"create exchange", Ex("CreateExchange"), Bytes(NewExchange()), kOk, ""},
      {"create agreement", Ex("CreateAgreement"), Bytes(NewAgreement()), kOk,
       ""},
      {"create channel status", Ex("CreateChannelStatus"),
       Bytes(NewChannelStatus()), kOk, ""},
      {"update exchange", Ex("UpdateExchange"), Bytes(ExchangeUpdate(f)), kOk,
       ""},
      {"create round", Ng("CreateRound"), Bytes(NewRound()), kOk, ""},
      {"create position", Ng("CreatePosition"), Bytes(NewPosition()), kOk, ""},
      {"create statement", Ng("CreateStatement"), Bytes(NewStatement()), kOk,
       ""},
      {"update round", Ng("UpdateRound"), Bytes(RoundUpdate(f)), kOk, ""},
      {"create incident", In("CreateIncident"), Bytes(NewIncident()), kOk, ""},
      {"update incident", In("UpdateIncident"), Bytes(IncidentUpdate(f)), kOk,
       ""},
      {"summary", Rp("GetSummary"), Bytes(Summary()), kOk, ""},
      {"progress", Rp("GetAgreementProgress"), Bytes(Progress()), kOk, ""},
      {"talks", Rp("GetTalksContext"), Bytes(Talks()), kOk, ""},
  };
}

}  // namespace parley::gateway_test
