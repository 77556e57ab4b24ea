#!/usr/bin/env bash
# End-to-end test of the parley-exchanges binary, run as a separate process and
# called only through server reflection, the way an integrator with grpcurl
# would: no generated client code, no schema files.
#
#   tests/e2e/exchanges_e2e.sh path/to/parley-exchanges
#
# Clients, restart and environment (BUF, E2E_VERBOSE, E2E_CLIENTS): see
# lib.sh. Ends with "N passed, M failed"; exits non-zero at the first failed
# check.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init parley.exchanges.v1.ExchangesService parley-exchanges "$@"

# --- requests ----------------------------------------------------------------

readonly AGREEMENT=agreements/istanbul-2025
readonly EX_W05=exchanges/2026-w05-remains
readonly EX_NOV=exchanges/2025-11-remains
readonly AGREEMENT_TITLE=$SEED_AGREEMENT_TITLE

create_agreement_request=$(seed_agreement_request)

bad_exchange_request=$(seed_bad_exchange_request e2e-bad)

# --- checks ------------------------------------------------------------------

check_reflection() {
  expect_reflection "$1" GetAgreement ListAgreements CreateAgreement GetExchange \
    ListExchanges CreateExchange ListRevisions
}

check_agreement_create() {
  local c=$1 first_time
  rpc_ok "$c" "create agreement" "$SVC/CreateAgreement" "$create_agreement_request"
  expect_json "[$c] created agreement" metadata.name "$AGREEMENT"
  expect_json "[$c] created agreement" metadata.revision 1
  expect_json "[$c] created agreement" title "$AGREEMENT_TITLE"
  first_time=$(json_get "$last_out" metadata.createTime 2>&1) ||
    fail "[$c] created agreement has no metadata.createTime: $first_time"
  pass "[$c] CreateAgreement returns $AGREEMENT, revision 1"

  rpc_ok "$c" "retry agreement create" "$SVC/CreateAgreement" "$create_agreement_request"
  expect_json "[$c] retried create (same request_id)" metadata.name "$AGREEMENT"
  expect_json "[$c] retried create (same request_id)" metadata.revision 1
  expect_json "[$c] retried create (same request_id)" metadata.createTime "$first_time"
  rpc_ok "$c" "list agreements" "$SVC/ListAgreements" '{}'
  expect_names "[$c] agreements after a retried create" agreements "$AGREEMENT"
  pass "[$c] retried CreateAgreement (same request_id) returns the first result, stores nothing new"
}

check_agreement_read() {
  local c=$1
  rpc_ok "$c" "get agreement" "$SVC/GetAgreement" "{\"name\": \"$AGREEMENT\"}"
  expect_json "[$c] agreement" metadata.name "$AGREEMENT"
  expect_json "[$c] agreement" title "$AGREEMENT_TITLE"
  expect_json "[$c] agreement" concluded 2025
  expect_json "[$c] agreement" concludedSpan.firstDay 2025-01-01
  expect_json "[$c] agreement" concludedSpan.lastDay 2025-12-31
  expect_json "[$c] agreement" concludedSpan.precision PRECISION_YEAR
  expect_json "[$c] agreement" place.country TR
  expect_json "[$c] agreement" place.settlement Istanbul
  expect_json "[$c] agreement" parties.0.country RU
  expect_json "[$c] agreement" parties.1.country UA
  expect_json "[$c] agreement" terms.0.category CATEGORY_REMAINS
  expect_json "[$c] agreement" terms.0.quota.best 12000
  expect_json "[$c] agreement" terms.0.quota.qualifier QUALIFIER_EXACT
  expect_json "[$c] agreement" terms.1.category CATEGORY_WOUNDED_PRISONERS
  expect_json "[$c] agreement" terms.1.quota.qualifier QUALIFIER_UNKNOWN
  expect_json "[$c] agreement" terms.2.category CATEGORY_PRISONERS_UNDER_25
  expect_json "[$c] agreement" terms.2.quota.qualifier QUALIFIER_UNKNOWN
  expect_json "[$c] agreement" sources.0.publisher "Kyiv Independent"
  pass "[$c] GetAgreement returns the agreement as created (title, concludedSpan 2025-01-01..2025-12-31, 3 terms)"

  rpc_ok "$c" "list agreements" "$SVC/ListAgreements" '{}'
  expect_names "[$c] ListAgreements" agreements "$AGREEMENT"
  pass "[$c] ListAgreements holds exactly $AGREEMENT"
}

check_exchanges_create() {
  local c=$1
  rpc_ok "$c" "create exchange 2026-W05" "$SVC/CreateExchange" \
    "$(seed_exchange_request 2026-w05-remains 2026-W05 1000 38)"
  expect_json "[$c] created exchange" metadata.name "$EX_W05"
  expect_json "[$c] created exchange" metadata.revision 1
  rpc_ok "$c" "create exchange 2025-11" "$SVC/CreateExchange" \
    "$(seed_exchange_request 2025-11-remains 2025-11 1000 30)"
  expect_json "[$c] created exchange" metadata.name "$EX_NOV"
  pass "[$c] CreateExchange returns $EX_W05 and $EX_NOV"
}

check_exchanges_read() {
  local c=$1
  rpc_ok "$c" "get exchange" "$SVC/GetExchange" "{\"name\": \"$EX_W05\"}"
  expect_json "[$c] $EX_W05" metadata.name "$EX_W05"
  expect_json "[$c] $EX_W05" kind EXCHANGE_KIND_REPATRIATION_OF_REMAINS
  expect_json "[$c] $EX_W05" occurred 2026-W05
  expect_json "[$c] $EX_W05" occurredSpan.firstDay 2026-01-26
  expect_json "[$c] $EX_W05" occurredSpan.lastDay 2026-02-01
  expect_json "[$c] $EX_W05" occurredSpan.precision PRECISION_WEEK
  expect_json "[$c] $EX_W05" agreement "$AGREEMENT"
  expect_json "[$c] $EX_W05" transfers.0.fromParty.country RU
  expect_json "[$c] $EX_W05" transfers.0.toParty.country UA
  expect_json "[$c] $EX_W05" transfers.0.category CATEGORY_REMAINS
  expect_json "[$c] $EX_W05" transfers.0.count.best 1000
  expect_json "[$c] $EX_W05" transfers.0.count.qualifier QUALIFIER_EXACT
  expect_json "[$c] $EX_W05" transfers.1.fromParty.country UA
  expect_json "[$c] $EX_W05" transfers.1.toParty.country RU
  expect_json "[$c] $EX_W05" transfers.1.count.best 38
  expect_json "[$c] $EX_W05" sources.0.attributedTo.person "Vladimir Medinsky"
  expect_json "[$c] $EX_W05" sources.0.attributedTo.role "chief negotiator"
  expect_json "[$c] $EX_W05" sources.0.attributedTo.country RU
  expect_json "[$c] $EX_W05" sources.0.channel "Telegram post"
  expect_json "[$c] $EX_W05" sources.0.reliability RELIABILITY_CONFIRMED
  pass "[$c] GetExchange $EX_W05: occurredSpan 2026-01-26..2026-02-01, RU->UA 1000, UA->RU 38, attributed source"

  rpc_ok "$c" "get exchange" "$SVC/GetExchange" "{\"name\": \"$EX_NOV\"}"
  expect_json "[$c] $EX_NOV" occurredSpan.firstDay 2025-11-01
  expect_json "[$c] $EX_NOV" occurredSpan.lastDay 2025-11-30
  expect_json "[$c] $EX_NOV" occurredSpan.precision PRECISION_MONTH
  expect_json "[$c] $EX_NOV" transfers.1.count.best 30
  pass "[$c] GetExchange $EX_NOV: occurredSpan 2025-11-01..2025-11-30, UA->RU 30"

  rpc_ok "$c" "list exchanges of week 5" "$SVC/ListExchanges" \
    "{\"agreement\": \"$AGREEMENT\", \"span\": \"2026-W05\"}"
  expect_names "[$c] ListExchanges(agreement, span 2026-W05)" exchanges "$EX_W05"
  rpc_ok "$c" "list exchanges of November" "$SVC/ListExchanges" \
    "{\"agreement\": \"$AGREEMENT\", \"span\": \"2025-11\"}"
  expect_names "[$c] ListExchanges(agreement, span 2025-11)" exchanges "$EX_NOV"
  rpc_ok "$c" "list exchanges of the agreement" "$SVC/ListExchanges" \
    "{\"agreement\": \"$AGREEMENT\"}"
  expect_names "[$c] ListExchanges(agreement)" exchanges "$EX_NOV $EX_W05"
  pass "[$c] ListExchanges filters by agreement and span"
}

check_bad_create() {
  local c=$1
  # One violation per bad field; paths like exchange.transfers[0].count.
  expect_invalid "$c" "bad CreateExchange" "$SVC/CreateExchange" \
    "$bad_exchange_request" occurred sources count 'from_?[pP]arty'

  rpc_ok "$c" "list all exchanges" "$SVC/ListExchanges" '{}'
  expect_names "[$c] exchanges after a bad create" exchanges "$EX_NOV $EX_W05"
  pass "[$c] a bad create stores nothing"
}

# check_metrics CLIENT: the calls above, counted by method and code, and the
# store's figures, on the server's own metrics port.
check_metrics() {
  local c=$1
  scrape "$metrics_addr"
  expect_metric "[$c] created exchanges counted" parley_rpc_calls_total 2 \
    "method=/$SVC/CreateExchange" code=OK
  expect_metric "[$c] the bad create counted" parley_rpc_calls_total 1 \
    "method=/$SVC/CreateExchange" code=INVALID_ARGUMENT
  expect_metric "[$c] lists timed" parley_rpc_latency_seconds_count 1 \
    "method=/$SVC/ListExchanges"
  pass "[$c] /metrics counts calls by method and code, and times them"
  expect_metric "[$c] WAL synced" parley_store_wal_syncs_total 1
  expect_metric "[$c] writes" parley_store_writes_total 3
  expect_metric "[$c] write groups" parley_store_write_groups_total 1
  expect_metric "[$c] writes per group" parley_store_writes_per_group 1
  expect_metric "[$c] store size" parley_store_size_bytes 1
  expect_metric "[$c] compaction pending" parley_store_compaction_pending 0
  pass "[$c] /metrics has the store's WAL syncs, writes, groups and size"
}

# check_metrics_restarted CLIENT: served on PARLEY_METRICS_LISTEN, counting
# from zero again with the calls of this run.
check_metrics_restarted() {
  local c=$1
  scrape "$metrics_addr"
  expect_metric "[$c] reads counted" parley_rpc_calls_total 1 \
    "method=/$SVC/GetAgreement" code=OK
  expect_metric "[$c] store figures" parley_store_size_bytes 1
  pass "[$c] /metrics served on PARLEY_METRICS_LISTEN after the restart"
}

# --- run ---------------------------------------------------------------------

run_e2e "check_reflection check_health check_agreement_create check_agreement_read
         check_exchanges_create check_exchanges_read check_bad_create
         check_metrics" \
  "check_agreement_read check_exchanges_read check_metrics_restarted"
