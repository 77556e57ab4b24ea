// The rows of bad_input_test.cc for what each domain and report checks:
// out-of-range and unknown values, huge strings and repeated fields,
// missing fields.
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "tests/gateway/bad_input_rows.h"

namespace parley::gateway_test {
namespace {

namespace rp = ::parley::reports::v1;

// Spoils the baseline create of each kind.
template <typename Spoil>
std::string Exchange(Spoil spoil) {
  return With(NewExchange(), [&](ex::CreateExchangeRequest* r) {
    spoil(r->mutable_exchange());
  });
}
template <typename Spoil>
std::string Incident(Spoil spoil) {
  return With(NewIncident(), [&](in::CreateIncidentRequest* r) {
    spoil(r->mutable_incident());
  });
}
template <typename Spoil>
std::string Round(Spoil spoil) {
  return With(NewRound(),
              [&](ng::CreateRoundRequest* r) { spoil(r->mutable_round()); });
}
template <typename Spoil>
std::string Position(Spoil spoil) {
  return With(NewPosition(), [&](ng::CreatePositionRequest* r) {
    spoil(r->mutable_position());
  });
}
template <typename Spoil>
std::string Statement(Spoil spoil) {
  return With(NewStatement(), [&](ng::CreateStatementRequest* r) {
    spoil(r->mutable_statement());
  });
}

Estimate Best(int64_t n) {
  Estimate e;
  e.set_best(n);
  e.set_qualifier(Estimate::QUALIFIER_EXACT);
  return e;
}

const std::string kLong(4097, 'x');       // over the 4,096-byte text limit
const std::string kHuge(1 << 20, 'x');    // 1 MiB: under the message limit
const std::string kTooBig(5 << 20, 'x');  // 5 MiB: over it

std::vector<Row> ExchangeRows() {
  const auto count = [](ex::Exchange* e) {
    return e->mutable_transfers(0)->mutable_count();
  };
  return {
      {"no exchange at all", Ex("CreateExchange"), "", kBad, "exchange.kind"},
      {"unknown kind", Ex("CreateExchange"), Exchange([](auto* e) {
         e->set_kind(static_cast<ex::ExchangeKind>(99));
       }),
       kBad, "exchange.kind"},
      {"negative kind", Ex("CreateExchange"), Exchange([](auto* e) {
         e->set_kind(static_cast<ex::ExchangeKind>(-1));
       }),
       kBad, "exchange.kind"},
      {"unknown category", Ex("CreateExchange"), Exchange([](auto* e) {
         e->mutable_transfers(0)->set_category(static_cast<ex::Category>(1000));
       }),
       kBad, "exchange.transfers[0].category"},
      {"negative count", Ex("CreateExchange"),
       Exchange([&](auto* e) { *count(e) = Best(-1); }), kBad,
       "exchange.transfers[0].count.best"},
      {"count over 10^12", Ex("CreateExchange"),
       Exchange([&](auto* e) { *count(e) = Best(1'000'000'000'001); }), kBad,
       "exchange.transfers[0].count.best"},
      {"count of 2^63-1", Ex("CreateExchange"),
       Exchange([&](auto* e) { *count(e) = Best(kInt64Max); }), kBad,
       "exchange.transfers[0].count.best"},
      {"unknown qualifier", Ex("CreateExchange"), Exchange([&](auto* e) {
         count(e)->set_qualifier(static_cast<Estimate::Qualifier>(42));
       }),
       kBad, "exchange.transfers[0].count.qualifier"},
      {"year 0", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_occurred("0000-01-01"); }), kBad,
       "exchange.occurred"},
      {"year 10000", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_occurred("10000-01-01"); }), kBad,
       "exchange.occurred"},
      {"week 54", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_occurred("2026-W54"); }), kBad,
       "exchange.occurred"},
      {"date in other digits", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_occurred("٢٠٢٦-٠١-٢٧"); }), kBad,
       "exchange.occurred"},
      {"date with a NUL", Ex("CreateExchange"), Exchange([](auto* e) {
         e->set_occurred(std::string("2026-01-27\0x", 12));
       }),
       kBad, "exchange.occurred"},
      {"description over 4,096 bytes", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_description(kLong); }), kBad,
       "exchange.description"},
      {"description of 1 MiB", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_description(kHuge); }), kBad,
       "exchange.description"},
      {"request of 5 MiB", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_description(kTooBig); }), kTooLarge,
       "larger than max"},
      {"257 transfers", Ex("CreateExchange"), Exchange([](auto* e) {
         while (e->transfers_size() < 257)
           *e->add_transfers() = e->transfers(0);
       }),
       kBad, "exchange.transfers"},
      {"50,000 bad transfers", Ex("CreateExchange"), Exchange([](auto* e) {
         ex::Transfer bad = e->transfers(0);
         bad.mutable_from_party()->set_country("XX");
         *bad.mutable_count() = Best(-1);
         e->clear_transfers();
         for (int i = 0; i < 50000; ++i) *e->add_transfers() = bad;
       }),
       kBad, "exchange.transfers"},
      {"20,000 sources", Ex("CreateExchange"), Exchange([](auto* e) {
         while (e->sources_size() < 20000) *e->add_sources() = e->sources(0);
       }),
       kBad, "exchange.sources"},
      {"no source", Ex("CreateExchange"),
       Exchange([](auto* e) { e->clear_sources(); }), kBad, "exchange.sources"},
      {"latitude NaN", Ex("CreateExchange"), Exchange([](auto* e) {
         e->mutable_place()->set_country("TR");
         e->mutable_place()->mutable_coordinates()->set_latitude(std::nan(""));
       }),
       kBad, "exchange.place.coordinates.latitude"},
      {"longitude infinite", Ex("CreateExchange"), Exchange([](auto* e) {
         e->mutable_place()->set_country("TR");
         e->mutable_place()->mutable_coordinates()->set_longitude(
             std::numeric_limits<double>::infinity());
       }),
       kBad, "exchange.place.coordinates.longitude"},
      {"agreement that does not exist", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_agreement("agreements/minsk-2015"); }),
       kBad, "exchange.agreement"},
      {"agreement that is no name", Ex("CreateExchange"),
       Exchange([](auto* e) { e->set_agreement("../agreements/x"); }), kBad,
       "exchange.agreement"},
      {"bad exchange_id", Ex("CreateExchange"),
       With(NewExchange(), [](auto* r) { r->set_exchange_id("Bad_Id"); }), kBad,
       "exchange_id"},
      {"request_id of 129 bytes", Ex("CreateExchange"),
       With(NewExchange(),
            [](auto* r) { r->set_request_id(std::string(129, 'r')); }),
       kBad, "request_id"},
      {"agreement without terms", Ex("CreateAgreement"),
       With(NewAgreement(),
            [](auto* r) { r->mutable_agreement()->clear_terms(); }),
       kBad, "agreement.terms"},
      {"agreement with one party", Ex("CreateAgreement"),
       With(NewAgreement(),
            [](auto* r) {
              r->mutable_agreement()->mutable_parties()->RemoveLast();
            }),
       kBad, "agreement.parties"},
      {"status of a channel that does not exist", Ex("CreateChannelStatus"),
       With(NewChannelStatus(),
            [](auto* r) {
              r->mutable_channel_status()->set_channel("channels/x");
            }),
       kBad, "channel_status.channel"},
      {"unknown channel state", Ex("CreateChannelStatus"),
       With(NewChannelStatus(),
            [](auto* r) {
              r->mutable_channel_status()->set_state(
                  static_cast<ex::ChannelState>(5000));
            }),
       kBad, "channel_status.state"},
      {"list: unknown kind", Ex("ListExchanges"),
       With(ex::ListExchangesRequest(),
            [](auto* r) { r->set_kind(static_cast<ex::ExchangeKind>(77)); }),
       kBad, "kind"},
      {"list: bad span", Ex("ListExchanges"),
       With(ex::ListExchangesRequest(),
            [](auto* r) { r->set_span("2026-13"); }),
       kBad, "span"},
      {"list: party not a country", Ex("ListAgreements"),
       With(ex::ListAgreementsRequest(),
            [](auto* r) { r->set_party("Ukraine"); }),
       kBad, "party"},
      {"get: read_time before year 1", Ex("GetExchange"),
       With(ex::GetExchangeRequest(),
            [](auto* r) {
              r->set_name(kW05Exchange);
              r->mutable_read_time()->set_seconds(-70'000'000'000);
            }),
       kBad, "read_time"},
      {"list: read_time with negative nanos", Ex("ListExchanges"),
       With(ex::ListExchangesRequest(),
            [](auto* r) { r->mutable_read_time()->set_nanos(-1); }),
       kBad, "read_time"},
  };
}

std::vector<Row> NegotiationsRows() {
  return {
      {"round: no date", Ng("CreateRound"),
       Round([](auto* r) { r->clear_held(); }), kBad, "round.held"},
      {"round: unknown format", Ng("CreateRound"),
       Round([](auto* r) { r->set_format(static_cast<ng::Format>(31337)); }),
       kBad, "round.format"},
      {"round: 300 parties", Ng("CreateRound"), Round([](auto* r) {
         while (r->parties_size() < 300) *r->add_parties() = Country("UA");
       }),
       kBad, "round.parties"},
      {"round: 300 outcomes of 4 KB", Ng("CreateRound"), Round([](auto* r) {
         for (int i = 0; i < 300; ++i) r->add_outcomes(std::string(4096, 'o'));
       }),
       kBad, "round.outcomes"},
      {"round: empty characterisation", Ng("CreateRound"), Round([](auto* r) {
         r->clear_characterisations();
         r->add_characterisations();
       }),
       kBad, "round.characterisations[0].term"},
      {"position: unknown stance", Ng("CreatePosition"),
       Position([](auto* p) { p->set_stance(static_cast<ng::Stance>(9)); }),
       kBad, "position.stance"},
      {"position: negative quantity", Ng("CreatePosition"),
       Position([](auto* p) { p->mutable_quantity()->set_best(-25); }), kBad,
       "position.quantity.best"},
      {"position: quantity without unit", Ng("CreatePosition"),
       Position([](auto* p) { p->clear_quantity_unit(); }), kBad,
       "position.quantity_unit"},
      {"position: last reported before first", Ng("CreatePosition"),
       Position([](auto* p) { p->set_last_reported("2025-01"); }), kBad,
       "position.last_reported"},
      {"position: report with no holder", Ng("ReportPosition"),
       With(ng::ReportPositionRequest(),
            [](auto* r) {
              *r->mutable_position() = ::parley::testing::DonetskDemand();
              r->mutable_position()->clear_holder();
            }),
       kBad, "position.holder"},
      {"statement: no speaker", Ng("CreateStatement"),
       Statement([](auto* s) { s->clear_speaker(); }), kBad,
       "statement.speaker"},
      {"statement: about no record", Ng("CreateStatement"),
       Statement([](auto* s) { s->add_about("weather/today"); }), kBad,
       "statement.about[1]"},
      {"statement: unknown kind", Ng("CreateStatement"), Statement([](auto* s) {
         s->set_kind(static_cast<ng::StatementKind>(-7));
       }),
       kBad, "statement.kind"},
      {"statement: quote of 1 MiB", Ng("CreateStatement"),
       Statement([](auto* s) { s->set_quote(kHuge); }), kBad,
       "statement.quote"},
      {"list statements: about no record", Ng("ListStatements"),
       With(ng::ListStatementsRequest(),
            [](auto* r) { r->set_about("nothing"); }),
       kBad, "about"},
      {"list positions: issue over 4,096 bytes", Ng("ListPositions"),
       With(ng::ListPositionsRequest(), [](auto* r) { r->set_issue(kLong); }),
       kBad, "issue"},
      {"list rounds: unknown format", Ng("ListRounds"),
       With(ng::ListRoundsRequest(),
            [](auto* r) { r->set_format(static_cast<ng::Format>(12)); }),
       kBad, "format"},
  };
}

std::vector<Row> IncidentRows() {
  return {
      {"incident: no place", In("CreateIncident"),
       Incident([](auto* i) { i->clear_place(); }), kBad, "incident.place"},
      {"incident: no such country", In("CreateIncident"),
       Incident([](auto* i) { i->mutable_place()->set_country("ZZ"); }), kBad,
       "incident.place.country"},
      {"incident: latitude 200", In("CreateIncident"), Incident([](auto* i) {
         i->mutable_place()->mutable_coordinates()->set_latitude(200);
       }),
       kBad, "incident.place.coordinates.latitude"},
      {"incident: unknown target", In("CreateIncident"), Incident([](auto* i) {
         i->set_target(static_cast<in::TargetCategory>(31337));
       }),
       kBad, "incident.target"},
      {"incident: negative killed", In("CreateIncident"), Incident([](auto* i) {
         i->mutable_casualties()->mutable_killed()->set_low(-5);
       }),
       kBad, "incident.casualties.killed.low"},
      {"incident: 2 * 10^12 injured", In("CreateIncident"),
       Incident([](auto* i) {
         *i->mutable_casualties()->mutable_injured() = Best(2'000'000'000'000);
       }),
       kBad, "incident.casualties.injured.best"},
      {"incident: negative outage", In("CreateIncident"), Incident([](auto* i) {
         auto* effect = i->add_effects();
         effect->set_kind(in::EFFECT_KIND_POWER_OUTAGE);
         effect->set_duration_hours(-1);
       }),
       kBad, "incident.effects[0].duration_hours"},
      {"incident: 300 effects", In("CreateIncident"), Incident([](auto* i) {
         for (int e = 0; e < 300; ++e)
           i->add_effects()->set_kind(in::EFFECT_KIND_POWER_OUTAGE);
       }),
       kBad, "incident.effects"},
      {"incident: unknown reliability", In("CreateIncident"),
       Incident([](auto* i) {
         i->mutable_attribution()->set_reliability(
             static_cast<::parley::common::v1::Source::Reliability>(64));
       }),
       kBad, "incident.attribution.reliability"},
      {"incident: range of dates reversed", In("CreateIncident"),
       Incident([](auto* i) { i->set_occurred("2026-02-01/2026-01-01"); }),
       kBad, "incident.occurred"},
      {"incident: bad incident_id", In("CreateIncident"),
       With(NewIncident(), [](auto* r) { r->set_incident_id("-train"); }), kBad,
       "incident_id"},
      {"list: negative min_killed", In("ListIncidents"),
       With(in::ListIncidentsRequest(), [](auto* r) { r->set_min_killed(-1); }),
       kBad, "min_killed"},
      {"list: region over 4,096 bytes", In("ListIncidents"),
       With(in::ListIncidentsRequest(), [](auto* r) { r->set_region(kLong); }),
       kBad, "region"},
      {"list: attributed party not a country", In("ListIncidents"),
       With(in::ListIncidentsRequest(),
            [](auto* r) { r->set_attributed_party("R"); }),
       kBad, "attributed_party"},
      {"summarize: no span", In("SummarizeIncidents"), "", kBad, "span"},
  };
}

}  // namespace

std::vector<Row> DomainRows() {
  std::vector<Row> rows = ExchangeRows();
  for (auto* more : {NegotiationsRows, IncidentRows}) {
    for (Row& row : more()) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> ReportRows() {
  const auto reader = [](std::string name, std::string method,
                         std::string request, grpc::StatusCode code,
                         std::string expect) {
    return Row{std::move(name),   std::move(method), std::move(request), code,
               std::move(expect), Who::kReader};
  };
  return {
      reader("progress: no agreement", Rp("GetAgreementProgress"), "", kBad,
             "agreement"),
      reader(
          "progress: agreement is no name", Rp("GetAgreementProgress"),
          With(Progress(), [](auto* r) { r->set_agreement("istanbul-2025"); }),
          kBad, "agreement"),
      reader("progress: 30 February", Rp("GetAgreementProgress"),
             With(Progress(), [](auto* r) { r->set_as_of("2026-02-30"); }),
             kBad, "as_of"),
      reader("progress: negative stall threshold", Rp("GetAgreementProgress"),
             With(Progress(), [](auto* r) { r->set_stall_threshold_days(-1); }),
             kBad, "stall_threshold_days"),
      reader("progress: stall threshold of 2^31-1 days",
             Rp("GetAgreementProgress"),
             With(Progress(),
                  [](auto* r) { r->set_stall_threshold_days(kInt32Max); }),
             kOk, ""),
      reader("progress: known_at before 1970", Rp("GetAgreementProgress"),
             With(Progress(),
                  [](auto* r) { r->mutable_known_at()->set_seconds(-1); }),
             kBad, "known_at"),
      reader("progress: known_at with 2e9 nanos", Rp("GetAgreementProgress"),
             With(Progress(),
                  [](auto* r) {
                    r->mutable_known_at()->set_nanos(2'000'000'000);
                  }),
             kBad, "known_at"),
      reader("stalled: negative threshold", Rp("ListStalledChannels"),
             With(rp::ListStalledChannelsRequest(),
                  [](auto* r) { r->set_threshold_days(-3); }),
             kBad, "threshold_days"),
      reader("stalled: threshold of 2^31-1 days", Rp("ListStalledChannels"),
             With(rp::ListStalledChannelsRequest(),
                  [](auto* r) {
                    r->set_threshold_days(kInt32Max);
                    r->set_as_of("2026-02-01");
                  }),
             kOk, ""),
      reader("talks: no round", Rp("GetTalksContext"), "", kBad, "round"),
      reader("talks: negative days before", Rp("GetTalksContext"),
             With(Talks(), [](auto* r) { r->set_days_before(-1); }), kBad,
             "days_before"),
      reader("talks: 2^31-1 days after", Rp("GetTalksContext"),
             With(Talks(), [](auto* r) { r->set_days_after(kInt32Max); }), kBad,
             "days_after"),
      reader("talks: 2^31-1 days before", Rp("GetTalksContext"),
             With(Talks(), [](auto* r) { r->set_days_before(kInt32Max); }),
             kBad, "days_before"),
      reader("talks: round that does not exist", Rp("GetTalksContext"),
             With(Talks(), [](auto* r) { r->set_round("rounds/never-held"); }),
             kNotFound, "rounds/never-held"),
      reader("summary: no span", Rp("GetSummary"), "", kBad, "span"),
      reader("summary: week 60", Rp("GetSummary"),
             With(Summary(), [](auto* r) { r->set_span("2026-W60"); }), kBad,
             "span"),
      reader("summary: as_of before the span", Rp("GetSummary"),
             With(Summary(), [](auto* r) { r->set_as_of("2025-01-01"); }), kBad,
             "as_of"),
      reader("summary: region over 4,096 bytes", Rp("GetSummary"),
             With(Summary(), [](auto* r) { r->set_region(kLong); }), kBad,
             "region"),
      reader("summary: party not a country", Rp("GetSummary"),
             With(Summary(), [](auto* r) { r->add_parties("XX"); }), kBad,
             "parties[0]"),
      // One party 100,000 times: the same filter, no harm.
      reader("summary: 100,000 parties", Rp("GetSummary"),
             With(Summary(),
                  [](auto* r) {
                    for (int i = 0; i < 100000; ++i) r->add_parties("UA");
                  }),
             kOk, ""),
  };
}

}  // namespace parley::gateway_test
