#!/usr/bin/env bash
# End-to-end test of the parley-negotiations binary, run as a separate process
# and called only through server reflection (see lib.sh): the seed article's
# negotiation facts are created and read back, before and after a restart.
#
#   tests/e2e/negotiations_e2e.sh path/to/parley-negotiations
#
# - the trilateral round (RU, UA, US) in the UAE the week before 2026-W05,
#   described as constructive;
# - Russia's demand for the 25% of Donetsk region Ukraine holds, reported
#   again on 2026-02-03 by another source: ReportPosition folds the report
#   into the same position (last_reported moves, the source is added);
# - both sides' accusations of deliberately delaying POW exchanges, and
#   Medinsky's Telegram post about the remains received;
# - a bad statement is INVALID_ARGUMENT naming its fields, and stores nothing.
#
# Clients, restart and environment (BUF, E2E_VERBOSE, E2E_CLIENTS): see
# lib.sh. Ends with "N passed, M failed"; exits non-zero at the first failed
# check.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init parley.negotiations.v1.NegotiationsService parley-negotiations "$@"

# --- requests ----------------------------------------------------------------

readonly ROUND=rounds/uae-2026-w04
readonly POSITION=positions/ru-demand-donetsk
readonly ST_RU=statements/ru-accuses-ua-pow-delay
readonly ST_UA=statements/ua-accuses-ru-pow-delay
readonly ST_MEDINSKY=statements/medinsky-remains-2026-w05
readonly CHANNEL=channels/pow-ru-ua
readonly EXCHANGE=exchanges/2026-w05-remains
readonly ROUND_TITLE=$SEED_ROUND_TITLE
readonly UNIT="percent of the region held by Ukraine"

create_round_request=$(seed_round_request uae-2026-w04)

# position_fields DATE_FIELD DATE SOURCE: Russia's demand as reported on DATE
# (in firstReported or lastReported) by SOURCE (a Source JSON object).
position_fields() {
  cat <<EOF
{
  "holder": {"country": "RU"},
  "stance": "STANCE_DEMAND",
  "issue": "territory",
  "summary": "Ukraine must withdraw from the 25% of Donetsk region it holds",
  "addressee": {"country": "UA"},
  "subject": {"country": "UA", "admin1": "Donetsk",
              "precision": "PRECISION_ADMIN1"},
  "quantity": {"best": 25, "qualifier": "QUALIFIER_ABOUT"},
  "quantityUnit": "$UNIT",
  "state": "POSITION_STATE_OPEN",
  "$1": "$2",
  "sources": [$3]
}
EOF
}

create_position_request='{
  "positionId": "ru-demand-donetsk",
  "requestId": "e2e-create-position-ru-demand-donetsk",
  "position": '"$(position_fields firstReported 2026-W05 "$REPORT_SOURCE")"'
}'

readonly LATER_PUBLISHER="Ukrainska Pravda"
report_position_request='{
  "requestId": "e2e-report-position-ru-demand-donetsk-2026-02-03",
  "position": '"$(position_fields lastReported 2026-02-03 '{
    "publisher": "'"$LATER_PUBLISHER"'", "channel": "news report",
    "published": "2026-02-03", "reliability": "RELIABILITY_REPORTED"}')"'
}'

readonly MEDINSKY='{"country": "RU", "person": "Vladimir Medinsky",
  "role": "chief negotiator"}'
medinsky_request='{
  "statementId": "medinsky-remains-2026-w05",
  "requestId": "e2e-create-statement-medinsky-remains-2026-w05",
  "statement": {
    "speaker": '"$MEDINSKY"',
    "made": "2026-W05",
    "kind": "STATEMENT_KIND_CLAIM",
    "summary": "Russia received the bodies of 38 of its soldiers; the transfer used refrigerated trucks",
    "about": ["'"$EXCHANGE"'"],
    "sources": [{"publisher": "Kyiv Independent", "attributedTo": '"$MEDINSKY"',
                 "channel": "Telegram post", "published": "2026-W05",
                 "reliability": "RELIABILITY_CONFIRMED"}]
  }
}'

# Kind unset, a week that does not exist, an "about" that names no record.
bad_statement_request='{
  "statementId": "e2e-bad",
  "statement": {
    "speaker": {"country": "RU"},
    "made": "2026-W60",
    "summary": "a statement with bad fields",
    "about": ["nonsense"],
    "sources": ['"$REPORT_SOURCE"']
  }
}'

# --- checks ------------------------------------------------------------------

check_reflection() {
  expect_reflection "$1" GetRound ListRounds CreateRound GetPosition \
    ListPositions CreatePosition ReportPosition GetStatement ListStatements \
    CreateStatement ListRevisions
}

check_round_create() {
  local c=$1 first_time
  rpc_ok "$c" "create round" "$SVC/CreateRound" "$create_round_request"
  expect_json "[$c] created round" metadata.name "$ROUND"
  expect_json "[$c] created round" metadata.revision 1
  first_time=$(json_get "$last_out" metadata.createTime 2>&1) ||
    fail "[$c] created round has no metadata.createTime: $first_time"
  pass "[$c] CreateRound returns $ROUND, revision 1"

  rpc_ok "$c" "retry round create" "$SVC/CreateRound" "$create_round_request"
  expect_json "[$c] retried create (same request_id)" metadata.name "$ROUND"
  expect_json "[$c] retried create (same request_id)" metadata.revision 1
  expect_json "[$c] retried create (same request_id)" metadata.createTime "$first_time"
  rpc_ok "$c" "list rounds" "$SVC/ListRounds" '{}'
  expect_names "[$c] rounds after a retried create" rounds "$ROUND"
  pass "[$c] retried CreateRound (same request_id) returns the first result, stores nothing new"
}

check_round_read() {
  local c=$1 i party
  rpc_ok "$c" "get round" "$SVC/GetRound" "{\"name\": \"$ROUND\"}"
  expect_json "[$c] $ROUND" metadata.name "$ROUND"
  expect_json "[$c] $ROUND" title "$ROUND_TITLE"
  expect_json "[$c] $ROUND" format FORMAT_TRILATERAL
  expect_count "[$c] $ROUND" parties 3
  i=0
  for party in RU UA US; do
    expect_json "[$c] $ROUND" "parties.$i.country" "$party"
    expect_json "[$c] $ROUND" "characterisations.$i.term" constructive
    expect_json "[$c] $ROUND" "characterisations.$i.by.country" "$party"
    i=$((i + 1))
  done
  expect_count "[$c] $ROUND" mediators 1
  expect_json "[$c] $ROUND" mediators.0.country AE
  expect_json "[$c] $ROUND" venue.country AE
  expect_json "[$c] $ROUND" held 2026-W04
  expect_json "[$c] $ROUND" heldSpan.firstDay 2026-01-19
  expect_json "[$c] $ROUND" heldSpan.lastDay 2026-01-25
  expect_json "[$c] $ROUND" heldSpan.precision PRECISION_WEEK
  expect_json "[$c] $ROUND" sources.0.reliability RELIABILITY_REPORTED
  pass "[$c] GetRound $ROUND: trilateral RU/UA/US, mediated by AE, venue AE, heldSpan 2026-01-19..2026-01-25, constructive"

  rpc_ok "$c" "list rounds of January" "$SVC/ListRounds" '{"span": "2026-01"}'
  expect_names "[$c] ListRounds(span 2026-01)" rounds "$ROUND"
  rpc_ok "$c" "list rounds of week 5" "$SVC/ListRounds" '{"span": "2026-W05"}'
  expect_names "[$c] ListRounds(span 2026-W05, the week after)" rounds ""
  rpc_ok "$c" "list rounds with the US" "$SVC/ListRounds" '{"party": "US"}'
  expect_names "[$c] ListRounds(party US)" rounds "$ROUND"
  rpc_ok "$c" "list rounds mediated by AE" "$SVC/ListRounds" '{"party": "AE"}'
  expect_names "[$c] ListRounds(party AE, a mediator)" rounds "$ROUND"
  rpc_ok "$c" "list rounds in AE" "$SVC/ListRounds" \
    '{"venueCountry": "AE", "format": "FORMAT_TRILATERAL"}'
  expect_names "[$c] ListRounds(venue AE, trilateral)" rounds "$ROUND"
  rpc_ok "$c" "list bilateral rounds" "$SVC/ListRounds" '{"format": "FORMAT_BILATERAL"}'
  expect_names "[$c] ListRounds(bilateral)" rounds ""
  pass "[$c] ListRounds finds $ROUND by span 2026-01 (not 2026-W05), party, mediator, venue and format"
}

check_position_create() {
  local c=$1
  rpc_ok "$c" "create position" "$SVC/CreatePosition" "$create_position_request"
  expect_json "[$c] created position" metadata.name "$POSITION"
  expect_json "[$c] created position" firstReported 2026-W05
  expect_json "[$c] created position" lastReported 2026-W05
  expect_count "[$c] created position" sources 1
  pass "[$c] CreatePosition returns $POSITION, first and last reported 2026-W05"
}

check_position_report() {
  local c=$1 created
  rpc_ok "$c" "report position again" "$SVC/ReportPosition" "$report_position_request"
  created=$(json_get "$last_out" created 2>/dev/null) || created=false
  [[ $created == false ]] ||
    fail "[$c] ReportPosition of a known demand: created is '$created', expected false"
  expect_json "[$c] re-reported position" position.metadata.name "$POSITION"
  expect_json "[$c] re-reported position" position.firstReported 2026-W05
  expect_json "[$c] re-reported position" position.lastReported 2026-02-03
  expect_json "[$c] re-reported position" position.lastReportedSpan.firstDay 2026-02-03
  expect_count "[$c] re-reported position" position.sources 2
  expect_json "[$c] re-reported position" position.sources.0.publisher "Kyiv Independent"
  expect_json "[$c] re-reported position" position.sources.1.publisher "$LATER_PUBLISHER"
  rpc_ok "$c" "list positions" "$SVC/ListPositions" '{}'
  expect_names "[$c] positions after a re-report" positions "$POSITION"
  pass "[$c] ReportPosition (2026-02-03, new source) updates $POSITION: created=false, lastReported 2026-02-03, 2 sources, no duplicate"
}

check_position_read() {
  local c=$1
  rpc_ok "$c" "get position" "$SVC/GetPosition" "{\"name\": \"$POSITION\"}"
  expect_json "[$c] $POSITION" metadata.name "$POSITION"
  expect_json "[$c] $POSITION" holder.country RU
  expect_json "[$c] $POSITION" stance STANCE_DEMAND
  expect_json "[$c] $POSITION" issue territory
  expect_json "[$c] $POSITION" addressee.country UA
  expect_json "[$c] $POSITION" subject.country UA
  expect_json "[$c] $POSITION" subject.admin1 Donetsk
  expect_json "[$c] $POSITION" quantity.best 25
  expect_json "[$c] $POSITION" quantity.qualifier QUALIFIER_ABOUT
  expect_json "[$c] $POSITION" quantityUnit "$UNIT"
  expect_json "[$c] $POSITION" state POSITION_STATE_OPEN
  expect_json "[$c] $POSITION" firstReported 2026-W05
  expect_json "[$c] $POSITION" firstReportedSpan.firstDay 2026-01-26
  expect_json "[$c] $POSITION" lastReported 2026-02-03
  expect_json "[$c] $POSITION" lastReportedSpan.precision PRECISION_DAY
  expect_count "[$c] $POSITION" sources 2
  pass "[$c] GetPosition $POSITION: RU demands UA's 25% of Donetsk, open, reported 2026-W05..2026-02-03, 2 sources"

  rpc_ok "$c" "list positions" "$SVC/ListPositions" '{}'
  expect_names "[$c] ListPositions" positions "$POSITION"
  rpc_ok "$c" "list RU territorial demands" "$SVC/ListPositions" \
    '{"party": "RU", "issue": "territory", "stance": "STANCE_DEMAND", "state": "POSITION_STATE_OPEN"}'
  expect_names "[$c] ListPositions(RU, territory, demand, open)" positions "$POSITION"
  rpc_ok "$c" "list positions of February" "$SVC/ListPositions" '{"span": "2026-02"}'
  expect_names "[$c] ListPositions(span 2026-02, reached by the re-report)" positions "$POSITION"
  rpc_ok "$c" "list UA positions" "$SVC/ListPositions" '{"party": "UA"}'
  expect_names "[$c] ListPositions(party UA)" positions ""
  pass "[$c] ListPositions holds exactly $POSITION; filters by party, issue, stance, state and span"
}

check_statements_create() {
  local c=$1
  rpc_ok "$c" "create RU accusation" "$SVC/CreateStatement" \
    "$(seed_accusation_request ru-accuses-ua-pow-delay RU UA)"
  expect_json "[$c] created statement" metadata.name "$ST_RU"
  rpc_ok "$c" "create UA accusation" "$SVC/CreateStatement" \
    "$(seed_accusation_request ua-accuses-ru-pow-delay UA RU)"
  expect_json "[$c] created statement" metadata.name "$ST_UA"
  rpc_ok "$c" "create Medinsky's claim" "$SVC/CreateStatement" "$medinsky_request"
  expect_json "[$c] created statement" metadata.name "$ST_MEDINSKY"
  pass "[$c] CreateStatement returns $ST_RU, $ST_UA and $ST_MEDINSKY"
}

check_statements_read() {
  local c=$1 name speaker target
  for name in "$ST_RU RU UA" "$ST_UA UA RU"; do
    read -r name speaker target <<<"$name"
    rpc_ok "$c" "get statement" "$SVC/GetStatement" "{\"name\": \"$name\"}"
    expect_json "[$c] $name" metadata.name "$name"
    expect_json "[$c] $name" kind STATEMENT_KIND_ACCUSATION
    expect_json "[$c] $name" speaker.country "$speaker"
    expect_json "[$c] $name" target.country "$target"
    expect_json "[$c] $name" about "[\"$CHANNEL\"]"
    expect_json "[$c] $name" made 2026-W05
    expect_json "[$c] $name" madeSpan.firstDay 2026-01-26
    expect_json "[$c] $name" madeSpan.lastDay 2026-02-01
  done
  pass "[$c] GetStatement: RU accuses UA and UA accuses RU about $CHANNEL, made 2026-W05"

  rpc_ok "$c" "get statement" "$SVC/GetStatement" "{\"name\": \"$ST_MEDINSKY\"}"
  expect_json "[$c] $ST_MEDINSKY" kind STATEMENT_KIND_CLAIM
  expect_json "[$c] $ST_MEDINSKY" speaker.country RU
  expect_json "[$c] $ST_MEDINSKY" speaker.person "Vladimir Medinsky"
  expect_json "[$c] $ST_MEDINSKY" speaker.role "chief negotiator"
  expect_json "[$c] $ST_MEDINSKY" about "[\"$EXCHANGE\"]"
  expect_json "[$c] $ST_MEDINSKY" sources.0.channel "Telegram post"
  expect_json "[$c] $ST_MEDINSKY" sources.0.attributedTo.person "Vladimir Medinsky"
  pass "[$c] GetStatement $ST_MEDINSKY: a claim by Vladimir Medinsky (RU, chief negotiator) about $EXCHANGE"

  rpc_ok "$c" "list statements about the channel" "$SVC/ListStatements" \
    "{\"about\": \"$CHANNEL\"}"
  expect_names "[$c] ListStatements(about $CHANNEL)" statements "$ST_RU $ST_UA"
  rpc_ok "$c" "list accusations" "$SVC/ListStatements" \
    '{"kind": "STATEMENT_KIND_ACCUSATION", "span": "2026-W05"}'
  expect_names "[$c] ListStatements(accusations, 2026-W05)" statements "$ST_RU $ST_UA"
  rpc_ok "$c" "list statements about the exchange" "$SVC/ListStatements" \
    "{\"about\": \"$EXCHANGE\"}"
  expect_names "[$c] ListStatements(about $EXCHANGE)" statements "$ST_MEDINSKY"
  rpc_ok "$c" "list RU statements" "$SVC/ListStatements" '{"party": "RU"}'
  expect_names "[$c] ListStatements(party RU)" statements "$ST_MEDINSKY $ST_RU"
  pass "[$c] ListStatements(about $CHANNEL) is exactly the two accusations; filters by kind, about and party"
}

check_bad_create() {
  local c=$1
  expect_invalid "$c" "bad CreateStatement" "$SVC/CreateStatement" \
    "$bad_statement_request" 'statement\.kind' 'statement\.made' 'statement\.about'

  rpc_ok "$c" "list all statements" "$SVC/ListStatements" '{}'
  expect_names "[$c] statements after a bad create" statements \
    "$ST_MEDINSKY $ST_RU $ST_UA"
  pass "[$c] a bad create stores nothing"
}

# --- run ---------------------------------------------------------------------

run_e2e "check_reflection check_health check_round_create check_round_read
         check_position_create check_position_report check_position_read
         check_statements_create check_statements_read check_bad_create" \
  "check_round_read check_position_read check_statements_read"
