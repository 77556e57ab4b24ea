#!/usr/bin/env bash
# End-to-end test of the parley-incidents binary, run as a separate process
# and called only through server reflection (see lib.sh): the seed article's
# incidents are created and read back, listed, summarised, before and after a
# restart.
#
#   tests/e2e/incidents_e2e.sh path/to/parley-incidents
#
# - the Russian drone strike on a passenger train in Kharkiv region on
#   Tuesday 2026-01-27, at least five killed ("at least": low 5, no best, no
#   high);
# - the strikes on energy infrastructure in recent months (2025-11/2026-01,
#   ongoing throughout), power and heating outages in freezing weather, no
#   figures given: ongoing in every span they reach into;
# - ListIncidents filters (region, case-insensitively; kind; target;
#   min_killed), SummarizeIncidents totals by span and region;
# - a bad incident is INVALID_ARGUMENT naming its fields, and stores nothing.
#
# Clients, restart and environment (BUF, E2E_VERBOSE, E2E_CLIENTS): see
# lib.sh. Ends with "N passed, M failed"; exits non-zero at the first failed
# check.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init parley.incidents.v1.IncidentsService parley-incidents "$@"

# --- requests ----------------------------------------------------------------

readonly TRAIN=incidents/kharkiv-train-2026-01-27
readonly ENERGY=incidents/energy-strikes-2025-11-2026-01
readonly TRAIN_TITLE=$SEED_TRAIN_TITLE
readonly FREEZING="outages for civilians in freezing weather"

create_train_request=$(seed_train_request)

create_energy_request='{
  "incidentId": "energy-strikes-2025-11-2026-01",
  "requestId": "e2e-create-incident-energy-strikes-2025-11-2026-01",
  "incident": {
    "title": "Strikes on energy infrastructure in recent months",
    "kind": "INCIDENT_KIND_STRIKE_CAMPAIGN",
    "target": "TARGET_CATEGORY_ENERGY_INFRASTRUCTURE",
    "occurred": "2025-11/2026-01",
    "occurrence": "OCCURRENCE_ONGOING",
    "place": {"country": "UA", "precision": "PRECISION_COUNTRY"},
    "attribution": {"party": {"country": "RU"}, "reliability": "RELIABILITY_REPORTED"},
    "effects": [
      {"kind": "EFFECT_KIND_POWER_OUTAGE",
       "affected": {"qualifier": "QUALIFIER_UNKNOWN"},
       "note": "widespread power '"$FREEZING"'"},
      {"kind": "EFFECT_KIND_HEATING_OUTAGE",
       "affected": {"qualifier": "QUALIFIER_UNKNOWN"},
       "note": "heating '"$FREEZING"'"}
    ],
    "sources": ['"$REPORT_SOURCE"']
  }
}'

# killed low > high, kind unset, place missing; on the train's day, so that
# a leak into the rollups would show in the week's summary.
bad_incident_request='{
  "incidentId": "e2e-bad",
  "incident": {
    "target": "TARGET_CATEGORY_PASSENGER_TRAIN",
    "occurred": "2026-01-27",
    "casualties": {"killed": {"low": 10, "high": 5, "qualifier": "QUALIFIER_ABOUT"}},
    "sources": ['"$REPORT_SOURCE"']
  }
}'

# --- checks ------------------------------------------------------------------

check_reflection() {
  expect_reflection "$1" GetIncident ListIncidents CreateIncident \
    UpdateIncident DeleteIncident SummarizeIncidents ListRevisions
}

check_incidents_create() {
  local c=$1 first_time
  rpc_ok "$c" "create train incident" "$SVC/CreateIncident" "$create_train_request"
  expect_json "[$c] created incident" metadata.name "$TRAIN"
  expect_json "[$c] created incident" metadata.revision 1
  first_time=$(json_get "$last_out" metadata.createTime 2>&1) ||
    fail "[$c] created incident has no metadata.createTime: $first_time"
  rpc_ok "$c" "create energy incident" "$SVC/CreateIncident" "$create_energy_request"
  expect_json "[$c] created incident" metadata.name "$ENERGY"
  expect_json "[$c] created incident" metadata.revision 1
  pass "[$c] CreateIncident returns $TRAIN and $ENERGY, revision 1"

  rpc_ok "$c" "retry train create" "$SVC/CreateIncident" "$create_train_request"
  expect_json "[$c] retried create (same request_id)" metadata.name "$TRAIN"
  expect_json "[$c] retried create (same request_id)" metadata.revision 1
  expect_json "[$c] retried create (same request_id)" metadata.createTime "$first_time"
  rpc_ok "$c" "list incidents" "$SVC/ListIncidents" '{}'
  expect_names "[$c] incidents after a retried create" incidents "$ENERGY $TRAIN"
  pass "[$c] retried CreateIncident (same request_id) returns the first result, stores nothing new"
}

check_incidents_read() {
  local c=$1
  rpc_ok "$c" "get train incident" "$SVC/GetIncident" "{\"name\": \"$TRAIN\"}"
  expect_json "[$c] $TRAIN" metadata.name "$TRAIN"
  expect_json "[$c] $TRAIN" title "$TRAIN_TITLE"
  expect_json "[$c] $TRAIN" kind INCIDENT_KIND_DRONE_STRIKE
  expect_json "[$c] $TRAIN" target TARGET_CATEGORY_PASSENGER_TRAIN
  expect_json "[$c] $TRAIN" occurred 2026-01-27
  expect_json "[$c] $TRAIN" occurredSpan.firstDay 2026-01-27
  expect_json "[$c] $TRAIN" occurredSpan.lastDay 2026-01-27
  expect_json "[$c] $TRAIN" occurredSpan.precision PRECISION_DAY
  expect_json "[$c] $TRAIN" place.country UA
  expect_json "[$c] $TRAIN" place.admin1 Kharkiv
  expect_json "[$c] $TRAIN" attribution.party.country RU
  expect_json "[$c] $TRAIN" attribution.reliability RELIABILITY_REPORTED
  expect_json "[$c] $TRAIN" casualties.killed.low 5
  expect_json "[$c] $TRAIN" casualties.killed.qualifier QUALIFIER_AT_LEAST
  expect_absent "[$c] $TRAIN (at least five: no best figure)" casualties.killed.best
  expect_absent "[$c] $TRAIN (at least five: no upper bound)" casualties.killed.high
  expect_absent "[$c] $TRAIN (no injured figure given)" casualties.injured
  expect_json "[$c] $TRAIN" sources.0.reliability RELIABILITY_REPORTED
  pass "[$c] GetIncident $TRAIN: RU drone strike on a passenger train, Kharkiv, 2026-01-27, killed at least 5 (low 5, no best, no high)"

  rpc_ok "$c" "get energy incident" "$SVC/GetIncident" "{\"name\": \"$ENERGY\"}"
  expect_json "[$c] $ENERGY" kind INCIDENT_KIND_STRIKE_CAMPAIGN
  expect_json "[$c] $ENERGY" target TARGET_CATEGORY_ENERGY_INFRASTRUCTURE
  expect_json "[$c] $ENERGY" occurred 2025-11/2026-01
  expect_json "[$c] $ENERGY" occurredSpan.firstDay 2025-11-01
  expect_json "[$c] $ENERGY" occurredSpan.lastDay 2026-01-31
  expect_json "[$c] $ENERGY" place.country UA
  expect_absent "[$c] $ENERGY (country-wide)" place.admin1
  expect_absent "[$c] $ENERGY (no casualties given)" casualties
  expect_count "[$c] $ENERGY" effects 2
  expect_json "[$c] $ENERGY" effects.0.kind EFFECT_KIND_POWER_OUTAGE
  expect_json "[$c] $ENERGY" effects.0.affected.qualifier QUALIFIER_UNKNOWN
  expect_absent "[$c] $ENERGY (no figure: not zero)" effects.0.affected.low
  expect_json "[$c] $ENERGY" effects.0.note "widespread power $FREEZING"
  expect_json "[$c] $ENERGY" effects.1.kind EFFECT_KIND_HEATING_OUTAGE
  expect_json "[$c] $ENERGY" effects.1.affected.qualifier QUALIFIER_UNKNOWN
  expect_json "[$c] $ENERGY" effects.1.note "heating $FREEZING"
  pass "[$c] GetIncident $ENERGY: strike campaign on energy, 2025-11-01..2026-01-31, power and heating outages (affected unknown)"
}

# list_expect CLIENT DESC FILTER EXPECTED: ListIncidents(FILTER) holds exactly
# the incidents named in EXPECTED.
list_expect() {
  rpc_ok "$1" "list incidents ($2)" "$SVC/ListIncidents" "$3"
  expect_names "[$1] ListIncidents($2)" incidents "$4"
}

check_incidents_list() {
  local c=$1
  list_expect "$c" "region Kharkiv" '{"region": "Kharkiv"}' "$TRAIN"
  list_expect "$c" "region kharkiv" '{"region": "kharkiv"}' "$TRAIN"
  list_expect "$c" "region Donetsk" '{"region": "Donetsk"}' ""
  pass "[$c] ListIncidents(region) finds $TRAIN by Kharkiv and kharkiv"

  list_expect "$c" "drone strikes" '{"kind": "INCIDENT_KIND_DRONE_STRIKE"}' "$TRAIN"
  list_expect "$c" "strike campaigns" '{"kind": "INCIDENT_KIND_STRIKE_CAMPAIGN"}' "$ENERGY"
  list_expect "$c" "passenger trains" '{"target": "TARGET_CATEGORY_PASSENGER_TRAIN"}' "$TRAIN"
  list_expect "$c" "energy" '{"target": "TARGET_CATEGORY_ENERGY_INFRASTRUCTURE"}' "$ENERGY"
  list_expect "$c" "attributed to RU" '{"attributedParty": "RU"}' "$ENERGY $TRAIN"
  pass "[$c] ListIncidents filters by kind, target and attributed party"

  list_expect "$c" "min_killed 5" '{"minKilled": 5}' "$TRAIN"
  list_expect "$c" "min_killed 6" '{"minKilled": 6}' ""
  list_expect "$c" "Kharkiv drone strikes, min_killed 5" \
    '{"region": "Kharkiv", "kind": "INCIDENT_KIND_DRONE_STRIKE", "minKilled": 5}' "$TRAIN"
  pass "[$c] ListIncidents(min_killed): 5 finds $TRAIN (at least five), 6 does not"

  list_expect "$c" "span 2026-W05" '{"span": "2026-W05"}' "$ENERGY $TRAIN"
  list_expect "$c" "span 2025-12" '{"span": "2025-12"}' "$ENERGY"
  list_expect "$c" "span 2026-02" '{"span": "2026-02"}' ""
  pass "[$c] ListIncidents(span) finds the incidents whose occurred span overlaps it"
}

# summary_expect_train CLIENT DESC [ONGOING]: the last SummarizeIncidents
# response is the train, 1 drone strike, killed at least 5, and with ONGOING
# the energy campaign going on beside it (its kind and its two outages).
summary_expect_train() {
  local d="[$1] SummarizeIncidents($2)" ongoing=${3:-}
  expect_json "$d" incidents 1
  expect_json "$d" killed.low 5
  expect_json "$d" killed.qualifier QUALIFIER_AT_LEAST
  expect_absent "$d (at least: no best)" killed.best
  expect_absent "$d (at least: no upper bound)" killed.high
  expect_json "$d" kinds.0.kind INCIDENT_KIND_DRONE_STRIKE
  expect_json "$d" kinds.0.incidents 1
  expect_json "$d" kinds.0.killed.low 5
  expect_json "$d" kinds.0.killed.qualifier QUALIFIER_AT_LEAST
  if [[ -n $ongoing ]]; then
    expect_json "$d" ongoing 1
    expect_count "$d" kinds 2
    expect_json "$d" kinds.1.kind INCIDENT_KIND_STRIKE_CAMPAIGN
    expect_json "$d" kinds.1.ongoing 1
    expect_count "$d" effects 2
  else
    expect_absent "$d (nothing ongoing)" ongoing
    expect_count "$d" kinds 1
    expect_count "$d" effects 0
  fi
}

# summary_expect_campaign CLIENT SPAN: the last SummarizeIncidents response
# is the energy campaign alone, ongoing in SPAN, with its outages.
summary_expect_campaign() {
  local d="[$1] SummarizeIncidents($2)"
  expect_absent "$d (nothing wholly in it)" incidents
  expect_json "$d" ongoing 1
  expect_count "$d" kinds 1
  expect_json "$d" kinds.0.kind INCIDENT_KIND_STRIKE_CAMPAIGN
  expect_json "$d" kinds.0.ongoing 1
  expect_json "$d" killed.qualifier QUALIFIER_UNKNOWN
  expect_count "$d" effects 2
  expect_json "$d" effects.0.kind EFFECT_KIND_POWER_OUTAGE
  expect_json "$d" effects.0.ongoing 1
  expect_json "$d" effects.1.kind EFFECT_KIND_HEATING_OUTAGE
  expect_json "$d" effects.1.ongoing 1
}

check_summary() {
  local c=$1 d incidents month
  rpc_ok "$c" "summarize week 5" "$SVC/SummarizeIncidents" '{"span": "2026-W05"}'
  expect_json "[$c] SummarizeIncidents(2026-W05)" span.firstDay 2026-01-26
  expect_json "[$c] SummarizeIncidents(2026-W05)" span.lastDay 2026-02-01
  summary_expect_train "$c" "2026-W05" ongoing
  pass "[$c] SummarizeIncidents(2026-W05): 1 incident, killed at least 5, and the campaign still ongoing"

  rpc_ok "$c" "summarize week 5 in Kharkiv" "$SVC/SummarizeIncidents" \
    '{"span": "2026-W05", "region": "Kharkiv"}'
  summary_expect_train "$c" "2026-W05, Kharkiv"
  pass "[$c] SummarizeIncidents(2026-W05, region Kharkiv): the train alone"

  rpc_ok "$c" "summarize 2025-W01" "$SVC/SummarizeIncidents" '{"span": "2025-W01"}'
  d="[$c] SummarizeIncidents(2025-W01)"
  incidents=$(json_get "$last_out" incidents 2>/dev/null) || incidents=0
  [[ $incidents == 0 ]] || fail "$d: incidents is '$incidents', expected 0"
  expect_count "$d" kinds 0
  expect_count "$d" effects 0
  expect_json "$d (none recorded, not 0)" killed.qualifier QUALIFIER_UNKNOWN
  pass "[$c] SummarizeIncidents(2025-W01): no incidents, killed none recorded"

  # The campaign went on from November to January: ongoing in each month.
  for month in 2025-11 2025-12 2026-01; do
    rpc_ok "$c" "summarize $month" "$SVC/SummarizeIncidents" "{\"span\": \"$month\"}"
    if [[ $month == 2026-01 ]]; then
      summary_expect_train "$c" "$month" ongoing
    else
      summary_expect_campaign "$c" "$month"
    fi
  done
  pass "[$c] SummarizeIncidents(2025-11, 2025-12, 2026-01): the strike campaign ongoing, with power and heating outages"
}

check_bad_create() {
  local c=$1
  expect_invalid "$c" "bad CreateIncident" "$SVC/CreateIncident" \
    "$bad_incident_request" 'incident\.casualties\.killed' 'incident\.kind' \
    'incident\.place'

  rpc_ok "$c" "list all incidents" "$SVC/ListIncidents" '{}'
  expect_names "[$c] incidents after a bad create" incidents "$ENERGY $TRAIN"
  rpc_ok "$c" "summarize week 5" "$SVC/SummarizeIncidents" '{"span": "2026-W05"}'
  summary_expect_train "$c" "2026-W05, after a bad create" ongoing
  pass "[$c] a bad create stores nothing (no record, no rollup)"
}

# --- run ---------------------------------------------------------------------

run_e2e "check_reflection check_health check_incidents_create check_incidents_read
         check_incidents_list check_summary check_bad_create" \
  "check_incidents_read check_incidents_list check_summary"
