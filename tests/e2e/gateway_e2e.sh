#!/usr/bin/env bash
# End-to-end test of parley-gateway in front of the three domain services,
# all four as separate processes, called only through the gateway's server
# reflection (see lib.sh): no generated client code, no schema files.
#
#   tests/e2e/gateway_e2e.sh path/to/parley-exchanges path/to/parley-negotiations \
#       path/to/parley-incidents path/to/parley-gateway
#
# - reflection on the gateway lists and describes all four APIs, health and
#   reflection;
# - the seed week is written through the gateway (forwarded unparsed): the
#   Istanbul agreement, the 2025-11 and 2026-W05 repatriations of remains,
#   the RU-UA POW channel stalled since 2025-10 and both sides' accusations
#   about it, the trilateral round in the UAE (2026-W04), the drone strike on
#   a passenger train in Kharkiv region on 2026-01-27;
# - a bad create through the gateway is INVALID_ARGUMENT with the service's
#   google.rpc.BadRequest intact; so is a bad report request;
# - the four reports (as of 2026-02-01) answer from the three services;
# - with the incidents service stopped, GetSummary still answers and lists
#   incidents as missing;
# - each process serves Prometheus metrics on its own port: calls by method
#   and code, the failed calls to the stopped incidents service, the store's
#   figures on a domain service;
# - tokens and roles: no or an unknown token is UNAUTHENTICATED, a reader
#   writing or an editor taking a backup PERMISSION_DENIED; a call straight
#   to a domain service without the service credential UNAUTHENTICATED;
#   a request over 16 MiB RESOURCE_EXHAUSTED, nothing stored;
# - an admin backs up exchanges through the gateway; the binary restores it
#   into an empty folder (never over a store) and, started on it, serves the
#   same records;
# - SIGTERM stops the gateway with exit 0; restarted configured by
#   environment (PARLEY_*), it answers again, and on SIGTERM drains: health
#   NOT_SERVING while calls still answer, then exit 0.
#
# Clients and environment (BUF, E2E_VERBOSE, E2E_CLIENTS): see lib.sh. Every
# client runs every check; creates carry request_ids, so a second client's
# are idempotent retries. Ends with "N passed, M failed"; exits non-zero at
# the first failed check.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init_many parley-gateway "exchanges negotiations incidents gateway" "$@"

readonly REPORTS=parley.reports.v1.ReportService
readonly EXCHANGES=parley.exchanges.v1.ExchangesService
readonly NEGOTIATIONS=parley.negotiations.v1.NegotiationsService
readonly INCIDENTS=parley.incidents.v1.IncidentsService
SVC=$REPORTS # the service lib.sh's check_health expects SERVING

# --- requests ----------------------------------------------------------------

readonly AGREEMENT=agreements/istanbul-2025
readonly EX_W05=exchanges/2026-w05-remains
readonly EX_NOV=exchanges/2025-11-remains
readonly CHANNEL=channels/pow-ru-ua
readonly STATUS=channelStatuses/pow-ru-ua-stalled-2025-10
readonly ST_RU=statements/ru-accuses-ua-pow-delay
readonly ST_UA=statements/ua-accuses-ru-pow-delay
readonly ROUND=rounds/uae-2026-01
readonly TRAIN=incidents/kharkiv-train-2026-01-27
readonly AS_OF=2026-02-01

# The seed requests of lib.sh (and REPORT_SOURCE), with the gateway's own
# request ids.
E2E_REQUEST_PREFIX=e2e-gw-create

create_agreement_request=$(seed_agreement_request)

create_channel_request='{
  "channelId": "pow-ru-ua",
  "requestId": "e2e-gw-create-channel-pow-ru-ua",
  "channel": {
    "title": "Prisoner of war exchanges, RU-UA",
    "kind": "EXCHANGE_KIND_PRISONER_EXCHANGE",
    "parties": [{"country": "RU"}, {"country": "UA"}],
    "sources": ['"$REPORT_SOURCE"']
  }
}'

create_status_request='{
  "channelStatusId": "pow-ru-ua-stalled-2025-10",
  "requestId": "e2e-gw-create-channel-status-pow-ru-ua-stalled-2025-10",
  "channelStatus": {
    "channel": "'"$CHANNEL"'",
    "state": "CHANNEL_STATE_STALLED",
    "since": "2025-10",
    "reported": "2026-W05",
    "summary": "direct POW exchanges have stalled since October 2025",
    "sources": ['"$REPORT_SOURCE"']
  }
}'

create_round_request=$(seed_round_request uae-2026-01)

create_train_request=$(seed_train_request)

bad_exchange_request=$(seed_bad_exchange_request e2e-gw-bad)

# The gateway's own validation: a week that does not exist, an unknown party.
bad_summary_request='{"span": "2026-W60", "parties": ["XX"]}'

progress_request='{"agreement": "'"$AGREEMENT"'", "asOf": "'"$AS_OF"'"}'
stalled_request='{"asOf": "'"$AS_OF"'"}'
talks_request='{"round": "'"$ROUND"'", "asOf": "'"$AS_OF"'"}'
summary_request='{"span": "2026-W05", "asOf": "'"$AS_OF"'"}'

# --- helpers -----------------------------------------------------------------

# figure FILE LABEL: the GetSummary figure labelled LABEL, as JSON.
figure() {
  python3 - "$1" "$2" <<'PY'
import json, sys
figures = [f for f in json.load(open(sys.argv[1])).get("figures", [])
           if f.get("label") == sys.argv[2]]
if len(figures) != 1:
    sys.exit(f"{len(figures)} figures labelled '{sys.argv[2]}'")
print(json.dumps(figures[0], sort_keys=True))
PY
}

# expect_figure DESC LABEL PATH EXPECTED: the last GetSummary response's
# figure LABEL has EXPECTED at PATH.
expect_figure() {
  local desc=$1 label=$2 path=$3 expected=$4 one actual
  one=$(figure "$last_out" "$label" 2>&1) || fail "$desc: $one"
  printf '%s' "$one" >"$work/figure.json"
  actual=$(json_get "$work/figure.json" "$path" 2>&1) ||
    fail "$desc: figure '$label': $actual"
  [[ $actual == "$expected" ]] ||
    fail "$desc: figure '$label' has $path '$actual', expected '$expected'"
}

# expect_names_at DESC PATH EXPECTED: the list at the dotted PATH of the last
# response holds exactly the records named in EXPECTED (space-separated,
# sorted); an absent list is empty.
expect_names_at() {
  local desc=$1 path=$2 expected=$3 actual
  actual=$(json_get "$last_out" "$path" 2>/dev/null) || actual='[]'
  actual=$(python3 -c 'import json, sys
print(" ".join(sorted(i["metadata"]["name"] for i in json.loads(sys.argv[1]))))' "$actual") ||
    fail "$desc: $path is not a list of records"
  [[ $actual == "$expected" ]] ||
    fail "$desc: $path are [$actual], expected [$expected]"
}

# missing_sections FILE: the sorted sections of the `missing` list, with the
# service named for each: "incidents=parley.incidents.v1.IncidentsService".
missing_sections() {
  python3 - "$1" <<'PY'
import json, sys
missing = json.load(open(sys.argv[1])).get("missing", [])
print(" ".join(sorted(f'{m.get("section", "")}={m.get("service", "")}' for m in missing)))
PY
}

# --- checks ------------------------------------------------------------------

check_reflection() {
  local c=$1 services want methods described service
  services=$(list_services "$c" 2>"$work/err.txt") ||
    fail "[$c] listing services by reflection failed: $(cat "$work/err.txt")"
  for want in "$REPORTS" "$EXCHANGES" "$NEGOTIATIONS" "$INCIDENTS" "$HEALTH"; do
    grep -qxF "$want" <<<"$services" ||
      fail "[$c] gateway reflection lists no $want (got: ${services//$'\n'/ })"
  done
  grep -qE '^grpc\.reflection\.v1(alpha)?\.ServerReflection$' <<<"$services" ||
    fail "[$c] gateway reflection does not list itself (got: ${services//$'\n'/ })"
  pass "[$c] gateway reflection lists the four APIs, health and reflection"

  for service in "$REPORTS GetAgreementProgress ListStalledChannels GetTalksContext GetSummary" \
    "$EXCHANGES CreateAgreement CreateExchange CreateChannel CreateChannelStatus ListChannels ListRevisions" \
    "$NEGOTIATIONS CreateRound CreateStatement ListStatements ReportPosition" \
    "$INCIDENTS CreateIncident SummarizeIncidents ListIncidents"; do
    read -ra want <<<"$service"
    methods=$(list_service_methods "$c" "${want[0]}" 2>"$work/err.txt") ||
      fail "[$c] listing ${want[0]} methods failed: $(cat "$work/err.txt")"
    for method in "${want[@]:1}"; do
      grep -qxF "${want[0]}/$method" <<<"$methods" ||
        fail "[$c] gateway reflection lists no method ${want[0]}/$method"
    done
  done
  pass "[$c] gateway reflection lists the methods of all four APIs"

  described=$(describe_service "$c" "$REPORTS" 2>"$work/err.txt") ||
    fail "[$c] describing $REPORTS failed: $(cat "$work/err.txt")"
  for want in "GetAgreementProgress parley.reports.v1.GetAgreementProgressRequest parley.reports.v1.GetAgreementProgressResponse" \
    "ListStalledChannels parley.reports.v1.ListStalledChannelsRequest parley.reports.v1.ListStalledChannelsResponse" \
    "GetTalksContext parley.reports.v1.GetTalksContextRequest parley.reports.v1.GetTalksContextResponse" \
    "GetSummary parley.reports.v1.GetSummaryRequest parley.reports.v1.GetSummaryResponse"; do
    grep -qxF "$want" <<<"$described" ||
      fail "[$c] describe $REPORTS has no '$want' (got: ${described//$'\n'/; })"
  done
  described=$(describe_service "$c" "$EXCHANGES" 2>"$work/err.txt") ||
    fail "[$c] describing $EXCHANGES failed: $(cat "$work/err.txt")"
  grep -qxF "CreateChannelStatus parley.exchanges.v1.CreateChannelStatusRequest parley.exchanges.v1.ChannelStatus" \
    <<<"$described" ||
    fail "[$c] describe $EXCHANGES has no CreateChannelStatus (got: ${described//$'\n'/; })"
  pass "[$c] gateway reflection describes ReportService's 4 methods and the proxied ExchangesService"
}

# create CLIENT WHAT METHOD REQUEST NAME: create through the gateway; the
# answer names NAME.
create() {
  rpc_ok "$1" "create $2 through the gateway" "$3" "$4"
  expect_json "[$1] $2 created through the gateway" metadata.name "$5"
}

check_create_seed() {
  local c=$1
  create "$c" agreement "$EXCHANGES/CreateAgreement" "$create_agreement_request" "$AGREEMENT"
  expect_json "[$c] agreement created through the gateway" terms.0.quota.best 12000
  create "$c" "exchange 2025-11" "$EXCHANGES/CreateExchange" \
    "$(seed_exchange_request 2025-11-remains 2025-11 1000 30)" "$EX_NOV"
  create "$c" "exchange 2026-W05" "$EXCHANGES/CreateExchange" \
    "$(seed_exchange_request 2026-w05-remains 2026-W05 1000 38)" "$EX_W05"
  expect_json "[$c] exchange created through the gateway" occurredSpan.firstDay 2026-01-26
  pass "[$c] through the gateway: CreateAgreement $AGREEMENT, CreateExchange $EX_NOV and $EX_W05"

  create "$c" channel "$EXCHANGES/CreateChannel" "$create_channel_request" "$CHANNEL"
  create "$c" "channel status" "$EXCHANGES/CreateChannelStatus" "$create_status_request" "$STATUS"
  expect_json "[$c] channel status created through the gateway" state CHANNEL_STATE_STALLED
  expect_json "[$c] channel status created through the gateway" sinceSpan.firstDay 2025-10-01
  pass "[$c] through the gateway: CreateChannel $CHANNEL, CreateChannelStatus $STATUS (stalled since 2025-10)"

  create "$c" "RU accusation" "$NEGOTIATIONS/CreateStatement" \
    "$(seed_accusation_request ru-accuses-ua-pow-delay RU UA)" "$ST_RU"
  create "$c" "UA accusation" "$NEGOTIATIONS/CreateStatement" \
    "$(seed_accusation_request ua-accuses-ru-pow-delay UA RU)" "$ST_UA"
  create "$c" round "$NEGOTIATIONS/CreateRound" "$create_round_request" "$ROUND"
  expect_json "[$c] round created through the gateway" heldSpan.firstDay 2026-01-19
  pass "[$c] through the gateway: CreateStatement $ST_RU and $ST_UA, CreateRound $ROUND (2026-W04)"

  create "$c" "train incident" "$INCIDENTS/CreateIncident" "$create_train_request" "$TRAIN"
  expect_json "[$c] incident created through the gateway" casualties.killed.low 5
  pass "[$c] through the gateway: CreateIncident $TRAIN"
}

check_read_through() {
  local c=$1
  rpc_ok "$c" "list exchanges through the gateway" "$EXCHANGES/ListExchanges" \
    "{\"agreement\": \"$AGREEMENT\"}"
  expect_names "[$c] ListExchanges(agreement) through the gateway" exchanges "$EX_NOV $EX_W05"
  rpc_ok "$c" "list statements through the gateway" "$NEGOTIATIONS/ListStatements" \
    "{\"about\": \"$CHANNEL\"}"
  expect_names "[$c] ListStatements(about $CHANNEL) through the gateway" statements "$ST_RU $ST_UA"
  rpc_ok "$c" "get incident through the gateway" "$INCIDENTS/GetIncident" "{\"name\": \"$TRAIN\"}"
  expect_json "[$c] GetIncident through the gateway" metadata.name "$TRAIN"
  pass "[$c] reads through the gateway see each create once (a retry stored nothing new)"
}

check_bad_create() {
  local c=$1
  expect_invalid "$c" "bad CreateExchange through the gateway" "$EXCHANGES/CreateExchange" \
    "$bad_exchange_request" occurred sources count 'from_?[pP]arty'
  rpc_ok "$c" "list exchanges" "$EXCHANGES/ListExchanges" '{}'
  expect_names "[$c] exchanges after a bad create" exchanges "$EX_NOV $EX_W05"
  pass "[$c] a bad create through the gateway stores nothing"

  expect_invalid "$c" "bad GetSummary" "$REPORTS/GetSummary" "$bad_summary_request" \
    '(^|[ ,])span(,|$)' 'parties\[0\]'
}

check_agreement_progress() {
  local c=$1 d="[$1] GetAgreementProgress($AGREEMENT, as of $AS_OF)"
  rpc_ok "$c" "agreement progress" "$REPORTS/GetAgreementProgress" "$progress_request"
  expect_json "$d" times.asOf "$AS_OF"
  expect_json "$d" agreement.metadata.name "$AGREEMENT"
  expect_count "$d" terms 3
  expect_json "$d" terms.0.category CATEGORY_REMAINS
  expect_json "$d" terms.0.quota.best 12000
  expect_json "$d" terms.0.delivered.best 2068
  expect_json "$d" terms.0.delivered.qualifier QUALIFIER_EXACT
  expect_json "$d" terms.0.verdict VERDICT_ON_TRACK
  expect_json "$d" terms.0.exchanges "[\"$EX_NOV\", \"$EX_W05\"]"
  expect_absent "$d (nothing after as_of)" terms.0.partlyAfterAsOf
  expect_count "$d" terms.0.byDirection 2
  expect_absent "$d" missing
  pass "$d: remains delivered 2068 (exact) of 12000 from $EX_NOV and $EX_W05, VERDICT_ON_TRACK"
}

check_stalled_channels() {
  local c=$1 d="[$1] ListStalledChannels(as of $AS_OF)"
  rpc_ok "$c" "stalled channels" "$REPORTS/ListStalledChannels" "$stalled_request"
  expect_count "$d" channels 1
  expect_json "$d" channels.0.channel.metadata.name "$CHANNEL"
  expect_json "$d" channels.0.since.firstDay 2025-10-01
  expect_json "$d" channels.0.latestStatus.metadata.name "$STATUS"
  expect_json "$d" channels.0.latestStatus.state CHANNEL_STATE_STALLED
  expect_count "$d" channels.0.sides 2
  expect_json "$d" channels.0.sides.0.party.country RU
  expect_json "$d" channels.0.sides.0.statements.0.metadata.name "$ST_RU"
  expect_json "$d" channels.0.sides.1.party.country UA
  expect_json "$d" channels.0.sides.1.statements.0.metadata.name "$ST_UA"
  expect_absent "$d" missing
  pass "$d: $CHANNEL stalled since 2025-10-01, RU's and UA's accusations side by side"
}

check_talks_context() {
  local c=$1 d="[$1] GetTalksContext($ROUND, as of $AS_OF)"
  rpc_ok "$c" "talks context" "$REPORTS/GetTalksContext" "$talks_request"
  expect_json "$d" round.metadata.name "$ROUND"
  expect_json "$d" during.span.firstDay 2026-01-19
  expect_json "$d" during.span.lastDay 2026-01-25
  expect_json "$d" after.span.firstDay 2026-01-26
  expect_json "$d" after.span.lastDay 2026-02-01
  expect_names_at "$d" after.incidents "$TRAIN"
  expect_json "$d" after.killed.low 5
  expect_json "$d" after.killed.qualifier QUALIFIER_AT_LEAST
  expect_count "$d during" during.incidents 0
  expect_count "$d before" before.incidents 0
  expect_absent "$d" missing
  pass "$d: the train strike (killed at least 5) in the week after the round"
}

check_summary() {
  local c=$1 d="[$1] GetSummary(2026-W05)"
  rpc_ok "$c" "summary" "$REPORTS/GetSummary" "$summary_request"
  expect_json "$d" span.firstDay 2026-01-26
  expect_json "$d" span.lastDay 2026-02-01
  expect_figure "$d" killed value.low 5
  expect_figure "$d" killed value.qualifier QUALIFIER_AT_LEAST
  expect_figure "$d" killed domain incidents
  expect_figure "$d" "incidents: drone strike" value.best 1
  expect_figure "$d" "exchanges: repatriation of remains" records "[\"$EX_W05\"]"
  expect_absent "$d" missing
  pass "$d: killed at least 5 (low 5, QUALIFIER_AT_LEAST), 1 drone strike, $EX_W05"
}

# With the incidents service down: the report still answers, says so.
check_summary_incidents_down() {
  local c=$1 d="[$1] GetSummary(2026-W05) with incidents down" missing
  rpc_ok "$c" "summary with incidents down" "$REPORTS/GetSummary" "$summary_request"
  missing=$(missing_sections "$last_out")
  [[ $missing == "incidents=$INCIDENTS" ]] ||
    fail "$d: missing is [$missing], expected [incidents=$INCIDENTS]"
  expect_json "$d" missing.0.section incidents
  json_get "$last_out" missing.0.reason >/dev/null 2>&1 ||
    fail "$d: the missing incidents section gives no reason"
  if figure "$last_out" killed >/dev/null 2>&1; then
    fail "$d: still has a 'killed' figure"
  fi
  expect_figure "$d" "exchanges: repatriation of remains" records "[\"$EX_W05\"]"
  pass "$d: answers, incidents missing ($(json_get "$last_out" missing.0.reason)), exchanges still there"
}

check_talks_context_incidents_down() {
  local c=$1 d="[$1] GetTalksContext($ROUND) with incidents down" missing want
  rpc_ok "$c" "talks context with incidents down" "$REPORTS/GetTalksContext" "$talks_request"
  missing=$(missing_sections "$last_out")
  want="after.incidents=$INCIDENTS before.incidents=$INCIDENTS during.incidents=$INCIDENTS"
  [[ $missing == "$want" ]] || fail "$d: missing is [$missing], expected [$want]"
  expect_json "$d" round.metadata.name "$ROUND"
  expect_names_at "$d" after.exchanges "$EX_W05"
  pass "$d: answers with the round and exchanges, the three incident windows missing"
}

# Who may do what: no token, a reader writing, an editor taking a backup,
# and a call around the gateway straight to a service.
check_auth() {
  local c=$1 saved=$E2E_TOKEN
  E2E_TOKEN=""
  expect_code "$c" "ListExchanges without a token" "$EXCHANGES/ListExchanges" '{}' \
    UNAUTHENTICATED
  E2E_TOKEN=not-a-token
  expect_code "$c" "ListExchanges with an unknown token" "$EXCHANGES/ListExchanges" '{}' \
    UNAUTHENTICATED
  E2E_TOKEN=$E2E_READER_TOKEN
  rpc_ok "$c" "a reader lists" "$EXCHANGES/ListExchanges" '{}'
  expect_code "$c" "a reader creating an incident" "$INCIDENTS/CreateIncident" \
    '{"incidentId": "by-a-reader", "incident": {"kind": "INCIDENT_KIND_DRONE_STRIKE", "occurred": "2026-01-28"}}' \
    PERMISSION_DENIED
  rpc_ok "$c" "a reader reads a report" "$REPORTS/GetAgreementProgress" "$progress_request"
  E2E_TOKEN=$E2E_EDITOR_TOKEN
  expect_code "$c" "an editor taking a backup" parley.admin.v1.AdminService/CreateBackup \
    '{"service": "exchanges"}' PERMISSION_DENIED
  expect_code "$c" "GetIncident of the reader's attempt" "$INCIDENTS/GetIncident" \
    '{"name": "incidents/by-a-reader"}' NOT_FOUND
  # Straight to a domain service with a user's token: refused.
  use_server exchanges
  E2E_TOKEN=$E2E_ADMIN_TOKEN
  expect_code "$c" "a call around the gateway" "$EXCHANGES/ListExchanges" '{}' \
    UNAUTHENTICATED
  use_server gateway
  E2E_TOKEN=$saved
  pass "[$c] tokens and roles decide who may call what; services admit only the gateway"
}

# A request over --max_message_bytes (16 MiB: a full batch fits) is refused
# whole.
check_oversized() {
  local c=$1 big=$work/big.json
  python3 -c 'import json; print(json.dumps({"incidentId": "huge",
    "incident": {"description": "x" * (17 << 20)}}))' >"$big"
  expect_code "$c" "a 17 MiB CreateIncident" "$INCIDENTS/CreateIncident" "@$big" \
    RESOURCE_EXHAUSTED
  expect_code "$c" "GetIncident of the oversized one" "$INCIDENTS/GetIncident" \
    '{"name": "incidents/huge"}' NOT_FOUND
}

# An admin takes an online backup of exchanges through the gateway.
check_backup() {
  local c=$1 saved=$E2E_TOKEN
  E2E_TOKEN=$E2E_ADMIN_TOKEN
  rpc_ok "$c" "CreateBackup(exchanges)" parley.admin.v1.AdminService/CreateBackup \
    '{"service": "exchanges"}'
  expect_json "[$c] CreateBackup" service exchanges
  backup_id=$(json_get "$last_out" backupId)
  [[ $backup_id =~ ^[1-9][0-9]*$ ]] || fail "[$c] CreateBackup: backupId '$backup_id'"
  backup_dir=$(json_get "$last_out" backupDir)
  rpc_ok "$c" "ListBackups(exchanges)" parley.admin.v1.AdminService/ListBackups \
    '{"service": "exchanges"}'
  # (grpcurl prints the proto's field names: backup_id.)
  grep -Eq "\"backup(Id|_id)\": *$backup_id" "$last_out" ||
    fail "[$c] ListBackups does not list backup $backup_id"
  expect_code "$c" "CreateBackup of an unknown service" \
    parley.admin.v1.AdminService/CreateBackup '{"service": "weather"}' INVALID_ARGUMENT
  E2E_TOKEN=$saved
  pass "[$c] an admin takes and lists backups through the gateway (backup $backup_id)"
}

check_agreement_progress_again() {
  local c=$1 d="[$1] GetAgreementProgress (gateway configured by env)"
  rpc_ok "$c" "agreement progress" "$REPORTS/GetAgreementProgress" "$progress_request"
  expect_json "$d" terms.0.delivered.best 2068
  expect_json "$d" terms.0.verdict VERDICT_ON_TRACK
  pass "$d: delivered 2068, VERDICT_ON_TRACK"
}

# --- run ---------------------------------------------------------------------

echo "gateway e2e: ${E2E_BIN[gateway]} on ${E2E_ADDR[gateway]}, clients: ${clients[*]}"
for name in exchanges negotiations incidents; do
  start_named "$name" "--data_dir=${E2E_DATA[$name]}"
done
gateway_flags=(
  "--exchanges_address=${E2E_ADDR[exchanges]}"
  "--negotiations_address=${E2E_ADDR[negotiations]}"
  "--incidents_address=${E2E_ADDR[incidents]}"
  "--default_deadline_ms=5000"
)
start_named gateway "${gateway_flags[@]}"
use_server gateway

for client in "${clients[@]}"; do
  for check in check_reflection check_health check_create_seed check_read_through \
    check_bad_create check_agreement_progress check_stalled_channels \
    check_talks_context check_summary check_auth check_oversized check_backup; do
    "$check" "$client"
  done
done


stop_named incidents
use_server gateway
for client in "${clients[@]}"; do
  check_summary_incidents_down "$client"
  check_talks_context_incidents_down "$client"
done

# Each process serves its own metrics: the gateway counts the calls it
# served and those to incidents that failed; a domain service has its store.
scrape "${E2E_METRICS[gateway]}"
expect_metric "gateway metrics" parley_rpc_calls_total 1 \
  "method=/$EXCHANGES/CreateExchange" code=OK
expect_metric "gateway metrics" parley_rpc_calls_total 1 \
  "method=/$REPORTS/GetSummary" code=OK
grep -qE '^parley_gateway_upstream_errors_total\{.*service="incidents".*\} [1-9]' \
  "$metrics_out" ||
  fail "gateway metrics: no parley_gateway_upstream_errors_total for incidents"
if grep -q '^parley_store_' "$metrics_out"; then
  fail "gateway metrics: store figures on the gateway, which has no store"
fi
pass "gateway /metrics: calls by method and code, failed calls to incidents"
scrape "${E2E_METRICS[exchanges]}"
expect_metric "exchanges metrics" parley_rpc_calls_total 1 \
  "method=/$EXCHANGES/CreateExchange" code=OK
expect_metric "exchanges metrics" parley_store_wal_syncs_total 1
pass "exchanges /metrics: the calls forwarded to it, its store's WAL syncs"

# Restore: exchanges stopped, its newest backup restored into an empty folder
# by the binary itself, started on it; the gateway serves the same records.
# Not while the service holds the store, even when told to replace it.
if "${E2E_BIN[exchanges]}" --data_dir="${E2E_DATA[exchanges]}" \
  --restore_from="$backup_dir" --restore_replace >"$work/restore-live.log" 2>&1; then
  fail "a restore over a running service's store succeeded"
fi
grep -q "running service" "$work/restore-live.log" ||
  { cat "$work/restore-live.log" >&2; fail "a restore over a running service: no reason given"; }
pass "a restore refuses to replace the store of a running service"
stop_named exchanges
restored=$work/data/exchanges-restored
"${E2E_BIN[exchanges]}" --data_dir="$restored" --restore_from="$backup_dir" \
  >"$work/restore.log" 2>&1 || { cat "$work/restore.log" >&2; fail "restore failed"; }
pass "exchanges restored from $backup_dir into an empty folder"
if "${E2E_BIN[exchanges]}" --data_dir="$restored" --restore_from="$backup_dir" \
  >"$work/restore-again.log" 2>&1; then
  fail "a restore over a store succeeded"
fi
grep -q "not empty" "$work/restore-again.log" ||
  fail "a restore over a store: no 'not empty' in its log"
pass "a restore never overwrites a store"
start_named exchanges "--data_dir=$restored"
use_server gateway
for client in "${clients[@]}"; do
  rpc_ok "$client" "list exchanges after the restore" "$EXCHANGES/ListExchanges" \
    "{\"agreement\": \"$AGREEMENT\"}"
  expect_names "[$client] ListExchanges after the restore" exchanges "$EX_NOV $EX_W05"
  rpc_ok "$client" "get the agreement after the restore" "$EXCHANGES/GetAgreement" \
    "{\"name\": \"$AGREEMENT\"}"
  expect_json "[$client] GetAgreement after the restore" metadata.name "$AGREEMENT"
done
pass "the restored exchanges service serves every record of the backup"

stop_named gateway
expect_json_log gateway
grep -q '"caller":"e2e-editor"' "${E2E_LOG[gateway]}" ||
  fail "the gateway's call log does not name the token's owner"
for token in "$E2E_READER_TOKEN" "$E2E_EDITOR_TOKEN" "$E2E_ADMIN_TOKEN" \
  "$(cat "$E2E_SERVICE_TOKEN_FILE")"; do
  if grep -qF "$token" "${E2E_LOG[@]}" "$work"/*.log.stderr; then
    fail "a token or the service credential appears in a log"
  fi
done
pass "call logs name the token's owner and hold no token"

# Again, configured by environment only.
E2E_ENV=(
  "PARLEY_LISTEN=${E2E_ADDR[gateway]}"
  "PARLEY_EXCHANGES_ADDRESS=${E2E_ADDR[exchanges]}"
  "PARLEY_NEGOTIATIONS_ADDRESS=${E2E_ADDR[negotiations]}"
  "PARLEY_INCIDENTS_ADDRESS=${E2E_ADDR[incidents]}"
  "PARLEY_SHUTDOWN_DRAIN_SECONDS=3"
  # incidents was stopped above: serve without waiting for every store.
  "PARLEY_READY_AFTER_STORES=false"
)
start_named gateway
E2E_ENV=()
for client in "${clients[@]}"; do check_agreement_progress_again "$client"; done

# SIGTERM with a drain: health says NOT_SERVING at once, calls still answer
# until the drain ends, then it stops (stop_named checks exit 0).
kill -TERM "${E2E_PID[gateway]}"
sleep 0.5
if healthy_at "${E2E_ADDR[gateway]}"; then
  fail "health still SERVING during the drain"
fi
rpc_ok "${clients[0]}" "a call during the drain" "$REPORTS/GetAgreementProgress" \
  "$progress_request"
pass "draining: NOT_SERVING to probes while calls are still answered"
stop_named gateway
stop_named exchanges
stop_named negotiations

echo "$passed passed, $failed failed"
