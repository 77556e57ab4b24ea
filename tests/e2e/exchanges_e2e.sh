#!/usr/bin/env bash
# End-to-end test of the parley-exchanges binary, run as a separate process and
# called only through server reflection, the way an integrator with grpcurl
# would: no generated client code, no schema files.
#
#   tests/e2e/exchanges_e2e.sh path/to/parley-exchanges
#
# Clients: `buf curl` (from $BUF, default <repo>/.tools/node_modules/.bin/buf)
# always; `grpcurl` too when it is on PATH. Every RPC check runs once per client
# against the same server (the second client's creates are idempotent retries).
# Then the server gets SIGTERM (must exit 0 within 10 s), is restarted on the
# same data dir (this time configured through PARLEY_LISTEN/PARLEY_DATA_DIR),
# and the records must still be there.
#
# Env: BUF (buf binary), E2E_VERBOSE=1 (print every response).
# Ends with "N passed, M failed"; exits non-zero at the first failed check.
set -euo pipefail

readonly SVC=parley.exchanges.v1.ExchangesService
readonly HEALTH=grpc.health.v1.Health

if [[ $# -ne 1 ]]; then
  echo "usage: $0 PATH_TO_PARLEY_EXCHANGES" >&2
  exit 2
fi
BIN=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUF=${BUF:-$repo/.tools/node_modules/.bin/buf}

if [[ ! -x $BIN ]]; then
  echo "FAIL: server binary '$BIN' is missing or not executable" >&2
  exit 1
fi
if [[ ! -x $BUF ]]; then
  echo "FAIL: buf not found at '$BUF' (run tests/lib/install-deps.sh, or set BUF)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/parley-e2e.XXXXXX")
data_dir=$work/data
mkdir -p "$data_dir"
server_pid=""
server_log=""
passed=0
failed=0
last_out=$work/none
last_err=$work/none

# --- process helpers ---------------------------------------------------------

# alive PID: true while the process runs (a zombie, exited but not yet reaped
# by `wait`, counts as gone).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# kill_server: stop the server if it runs (SIGTERM, then SIGKILL after 5 s).
kill_server() {
  [[ -n $server_pid ]] || return 0
  if alive "$server_pid"; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$server_pid" || break; sleep 0.1; done
    if alive "$server_pid"; then
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  kill_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# --- reporting ---------------------------------------------------------------

# pass MESSAGE: count a passed check; the next failure dumps only its own calls.
pass() {
  passed=$((passed + 1))
  echo "ok   $passed - $1"
  last_out=$work/none
  last_err=$work/none
}

# fail MESSAGE: dump what we know (last response, client stderr, server log),
# name the failed check, then stop.
fail() {
  failed=$((failed + 1))
  if [[ -s $last_out ]]; then
    echo "---- last response (stdout) ----" >&2
    head -c 4000 "$last_out" >&2
    echo >&2
  fi
  if [[ -s $last_err ]]; then
    echo "---- last client stderr ----" >&2
    head -c 4000 "$last_err" >&2
    echo >&2
  fi
  if [[ -n $server_log && -s $server_log ]]; then
    echo "---- server stdout (last 30 lines) ----" >&2
    tail -n 30 "$server_log" >&2
  fi
  if [[ -n $server_log && -s $server_log.stderr ]]; then
    echo "---- server stderr (last 30 lines) ----" >&2
    tail -n 30 "$server_log.stderr" >&2
  fi
  echo "FAIL - $1" >&2
  echo "$passed passed, $failed failed"
  exit 1
}

# --- JSON helpers (python3, json module) -------------------------------------

# json_get FILE PATH: print the value at a dotted PATH ("a.b.0.c"; numbers
# index lists). Strings print raw, anything else as JSON. Exit 1 if absent.
json_get() {
  python3 - "$1" "$2" <<'PY'
import json, sys
path, value = sys.argv[2], json.load(open(sys.argv[1]))
for key in filter(None, path.split(".")):
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        value = value[int(key)]
    elif isinstance(value, dict) and key in value:
        value = value[key]
    else:
        sys.exit(f"no '{key}' on the way to '{path}'")
print(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
PY
}

# json_names FILE LIST: the sorted metadata.name of each item in the repeated
# field LIST, space-separated (empty if the field is absent, as protobuf JSON
# omits empty lists).
json_names() {
  python3 - "$1" "$2" <<'PY'
import json, sys
items = json.load(open(sys.argv[1])).get(sys.argv[2], [])
print(" ".join(sorted(item["metadata"]["name"] for item in items)))
PY
}

# rpc_error CLIENT FILE RC: the error a client printed on stderr (FILE) and
# its exit code RC, as one line: "CODE field,field,...", CODE upper-case
# ("INVALID_ARGUMENT"), fields from the google.rpc.BadRequest detail, if any.
# Understands buf curl's Connect JSON ({"code": "invalid_argument",
# "details": [{"type": "google.rpc.BadRequest", "value": base64}]}, exit
# code 8 * code) and grpcurl -format-error's google.rpc.Status JSON ({"code":
# 3, "details": [{"@type": ..., "fieldViolations": [...]}]}, exit code 64 +
# code).
rpc_error() {
  python3 - "$@" <<'PY'
import base64, json, sys

CODES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
         "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
         "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
         "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]

def varint(buf, i):
    shift = result = 0
    while True:
        byte = buf[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i

def wire_fields(buf):
    """(field number, value) pairs of a serialized message."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        wire_type = key & 7
        if wire_type == 0:
            value, i = varint(buf, i)
        elif wire_type == 2:
            size, i = varint(buf, i)
            value, i = buf[i:i + size], i + size
        elif wire_type in (1, 5):
            size = 8 if wire_type == 1 else 4
            value, i = buf[i:i + size], i + size
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
        yield key >> 3, value

def bad_request_fields(raw):
    # google.rpc.BadRequest{1: FieldViolation{1: field, 2: description}}
    return [bytes(v).decode() for num, violation in wire_fields(raw) if num == 1
            for n, v in wire_fields(violation) if n == 1]

client, text, rc = sys.argv[1], open(sys.argv[2]).read(), int(sys.argv[3])
status = None
start = text.find("{")
if start >= 0:
    try:
        status, _ = json.JSONDecoder().raw_decode(text[start:])
    except ValueError:
        pass
if not isinstance(status, dict):  # no JSON: fall back on the exit code
    code = rc // 8 if client == "buf" and rc % 8 == 0 else rc - 64
    print(CODES[code] if 0 < code < len(CODES) else f"UNPARSED(exit {rc})")
    sys.exit(0)
code = status.get("code", 0)
code = CODES[code] if isinstance(code, int) else str(code).upper()
fields = []
for detail in status.get("details", []):
    kind = detail.get("type") or detail.get("@type", "")
    if not kind.endswith("google.rpc.BadRequest"):
        continue
    if "fieldViolations" in detail:
        fields += [v.get("field", "") for v in detail["fieldViolations"]]
    elif "value" in detail:
        value = detail["value"]
        value += "=" * (-len(value) % 4)
        try:
            raw = base64.b64decode(value, validate=True)
        except ValueError:
            raw = base64.urlsafe_b64decode(value)
        fields += bad_request_fields(raw)
print(code, ",".join(fields))
PY
}

# --- clients -----------------------------------------------------------------

# call CLIENT METHOD JSON: invoke "service/Method" with a JSON request; the
# response lands in $last_out, the client's stderr in $last_err.
call() {
  local client=$1 method=$2 request=$3
  last_out=$work/out.json
  last_err=$work/err.txt
  case $client in
    buf)
      "$BUF" curl --protocol grpc --timeout 10s --connect-timeout 5 \
        -d "$request" "http://$addr/$method" >"$last_out" 2>"$last_err"
      ;;
    grpcurl)
      grpcurl -plaintext -format-error -max-time 10 -connect-timeout 5 \
        -d "$request" "$addr" "$method" >"$last_out" 2>"$last_err"
      ;;
  esac
}

# list_services CLIENT / list_methods CLIENT: one per line ("svc/Method").
list_services() {
  case $1 in
    buf) "$BUF" curl --protocol grpc --timeout 10s --list-services "http://$addr" ;;
    grpcurl) grpcurl -plaintext -max-time 10 "$addr" list ;;
  esac
}
list_methods() {
  case $1 in
    buf) "$BUF" curl --protocol grpc --timeout 10s --list-methods "http://$addr" ;;
    grpcurl)
      grpcurl -plaintext -max-time 10 "$addr" list "$SVC" |
        sed -E 's|^(.*)\.([^.]+)$|\1/\2|'
      ;;
  esac
}

# --- assertions --------------------------------------------------------------

# rpc_ok CLIENT DESC METHOD JSON: the call must succeed.
rpc_ok() {
  local client=$1 desc=$2 method=$3 request=$4 rc=0
  call "$client" "$method" "$request" || rc=$?
  if ((rc != 0)); then
    fail "[$client] $desc: $method failed (client exit $rc)"
  fi
  if [[ ${E2E_VERBOSE:-0} == 1 ]]; then
    echo "---- [$client] $method ----"
    cat "$last_out"
  fi
}

# expect_json DESC PATH EXPECTED: the last response has EXPECTED at PATH.
expect_json() {
  local desc=$1 path=$2 expected=$3 actual
  actual=$(json_get "$last_out" "$path" 2>&1) || fail "$desc: $actual"
  [[ $actual == "$expected" ]] ||
    fail "$desc: $path is '$actual', expected '$expected'"
}

# expect_names DESC LIST EXPECTED: the last response's LIST holds exactly the
# records named in EXPECTED (space-separated, sorted).
expect_names() {
  local desc=$1 list=$2 expected=$3 actual
  actual=$(json_names "$last_out" "$list" 2>&1) || fail "$desc: $actual"
  [[ $actual == "$expected" ]] ||
    fail "$desc: $list are [$actual], expected [$expected]"
}

# --- server ------------------------------------------------------------------

# start_server LABEL [env|flags]: start the binary on $addr and $data_dir and
# wait (at most 20 s) until health reports SERVING.
start_server() {
  local label=$1 how=${2:-flags}
  server_log=$work/server-$label.log
  if [[ $how == env ]]; then
    PARLEY_LISTEN=$addr PARLEY_DATA_DIR=$data_dir "$BIN" \
      >"$server_log" 2>"$server_log.stderr" &
  else
    "$BIN" "--listen=$addr" "--data_dir=$data_dir" \
      >"$server_log" 2>"$server_log.stderr" &
  fi
  server_pid=$!
  local deadline=$((SECONDS + 20)) status=""
  while ((SECONDS < deadline)); do
    if ! alive "$server_pid"; then
      fail "server ($label, configured by $how) exited before becoming healthy"
    fi
    if "$BUF" curl --protocol grpc --timeout 2s --connect-timeout 1 \
      -d '{"service": ""}' "http://$addr/$HEALTH/Check" \
      >"$work/health.json" 2>/dev/null; then
      status=$(json_get "$work/health.json" status 2>/dev/null || true)
      [[ $status == SERVING ]] && break
    fi
    sleep 0.2
  done
  [[ $status == SERVING ]] ||
    fail "server ($label, configured by $how) not SERVING within 20 s on $addr"
  pass "server ($label, configured by $how) is SERVING on $addr"
}

# stop_server LABEL: SIGTERM; the server must exit 0 within 10 s.
stop_server() {
  local label=$1 rc=0
  kill -TERM "$server_pid"
  local deadline=$((SECONDS + 10))
  while alive "$server_pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if alive "$server_pid"; then
    fail "server ($label) still running 10 s after SIGTERM"
  fi
  wait "$server_pid" || rc=$?
  server_pid=""
  ((rc == 0)) || fail "server ($label) exited $rc after SIGTERM, expected 0"
  pass "server ($label) exited 0 on SIGTERM"
}

# expect_json_log LABEL: every line the server wrote to stdout is a JSON object.
expect_json_log() {
  local label=$1 bad
  bad=$(python3 - "$server_log" <<'PY'
import json, sys
for number, line in enumerate(open(sys.argv[1]), 1):
    if not line.strip():
        continue
    try:
        ok = isinstance(json.loads(line), dict)
    except ValueError:
        ok = False
    if not ok:
        print(f"line {number}: {line.strip()[:200]}")
        break
PY
  )
  [[ -z $bad ]] || fail "server ($label) stdout is not JSON lines: $bad"
  [[ -s $server_log ]] || fail "server ($label) logged nothing to stdout"
  pass "server ($label) logs JSON lines to stdout"
}

# --- requests ----------------------------------------------------------------

readonly AGREEMENT=agreements/istanbul-2025
readonly EX_W05=exchanges/2026-w05-remains
readonly EX_NOV=exchanges/2025-11-remains
readonly AGREEMENT_TITLE="Istanbul agreement on exchanges of prisoners and remains"

create_agreement_request='{
  "agreementId": "istanbul-2025",
  "requestId": "e2e-create-agreement-istanbul-2025",
  "agreement": {
    "title": "'"$AGREEMENT_TITLE"'",
    "concluded": "2025",
    "place": {"country": "TR", "settlement": "Istanbul",
              "precision": "PRECISION_SETTLEMENT"},
    "parties": [{"country": "RU"}, {"country": "UA"}],
    "terms": [
      {"category": "CATEGORY_REMAINS",
       "quota": {"best": 12000, "qualifier": "QUALIFIER_EXACT"}},
      {"category": "CATEGORY_WOUNDED_PRISONERS",
       "quota": {"qualifier": "QUALIFIER_UNKNOWN"}},
      {"category": "CATEGORY_PRISONERS_UNDER_25",
       "quota": {"qualifier": "QUALIFIER_UNKNOWN"}}
    ],
    "sources": [{"publisher": "Kyiv Independent", "channel": "news report",
                 "published": "2026-W05",
                 "reliability": "RELIABILITY_REPORTED"}]
  }
}'

# exchange_request ID MONTH_OR_WEEK RETURNED RECEIVED
exchange_request() {
  cat <<EOF
{
  "exchangeId": "$1",
  "requestId": "e2e-create-exchange-$1",
  "exchange": {
    "kind": "EXCHANGE_KIND_REPATRIATION_OF_REMAINS",
    "occurred": "$2",
    "agreement": "$AGREEMENT",
    "transfers": [
      {"fromParty": {"country": "RU"}, "toParty": {"country": "UA"},
       "category": "CATEGORY_REMAINS",
       "count": {"best": $3, "qualifier": "QUALIFIER_EXACT"}},
      {"fromParty": {"country": "UA"}, "toParty": {"country": "RU"},
       "category": "CATEGORY_REMAINS",
       "count": {"best": $4, "qualifier": "QUALIFIER_EXACT"}}
    ],
    "sources": [{
      "publisher": "Kyiv Independent",
      "attributedTo": {"person": "Vladimir Medinsky", "role": "chief negotiator",
                       "country": "RU"},
      "channel": "Telegram post",
      "published": "$2",
      "reliability": "RELIABILITY_CONFIRMED"
    }]
  }
}
EOF
}

bad_exchange_request='{
  "exchangeId": "e2e-bad",
  "exchange": {
    "kind": "EXCHANGE_KIND_REPATRIATION_OF_REMAINS",
    "occurred": "2025-13",
    "transfers": [
      {"fromParty": {"country": "XX"}, "toParty": {"country": "UA"},
       "category": "CATEGORY_REMAINS",
       "count": {"low": 10, "high": 5, "qualifier": "QUALIFIER_ABOUT"}}
    ]
  }
}'

# --- checks ------------------------------------------------------------------

check_reflection() {
  local c=$1 services methods want
  services=$(list_services "$c" 2>"$work/err.txt") ||
    fail "[$c] listing services by reflection failed: $(cat "$work/err.txt")"
  for want in "$SVC" "$HEALTH"; do
    grep -qxF "$want" <<<"$services" ||
      fail "[$c] reflection lists no $want (got: ${services//$'\n'/ })"
  done
  grep -qE '^grpc\.reflection\.v1(alpha)?\.ServerReflection$' <<<"$services" ||
    fail "[$c] reflection does not list itself (got: ${services//$'\n'/ })"
  pass "[$c] reflection lists $SVC, $HEALTH and reflection"

  methods=$(list_methods "$c" 2>"$work/err.txt") ||
    fail "[$c] listing methods by reflection failed: $(cat "$work/err.txt")"
  for want in GetAgreement ListAgreements CreateAgreement GetExchange \
    ListExchanges CreateExchange ListRevisions; do
    grep -qxF "$SVC/$want" <<<"$methods" ||
      fail "[$c] reflection lists no method $SVC/$want"
  done
  pass "[$c] reflection describes the ExchangesService methods"
}

check_health() {
  local c=$1 service rc=0 err
  for service in "" "$SVC"; do
    rpc_ok "$c" "health of '$service'" "$HEALTH/Check" "{\"service\": \"$service\"}"
    expect_json "[$c] health of '$service'" status SERVING
  done
  call "$c" "$HEALTH/Check" '{"service": "no.such.Service"}' || rc=$?
  ((rc != 0)) || fail "[$c] health of an unknown service succeeded"
  err=$(rpc_error "$c" "$last_err" "$rc")
  [[ ${err%% *} == NOT_FOUND ]] ||
    fail "[$c] health of an unknown service: got '$err', expected NOT_FOUND"
  pass "[$c] health: '' and $SVC SERVING, unknown service NOT_FOUND"
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
    "$(exchange_request 2026-w05-remains 2026-W05 1000 38)"
  expect_json "[$c] created exchange" metadata.name "$EX_W05"
  expect_json "[$c] created exchange" metadata.revision 1
  rpc_ok "$c" "create exchange 2025-11" "$SVC/CreateExchange" \
    "$(exchange_request 2025-11-remains 2025-11 1000 30)"
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
  local c=$1 rc=0 err code fields want
  call "$c" "$SVC/CreateExchange" "$bad_exchange_request" || rc=$?
  ((rc != 0)) || fail "[$c] a bad CreateExchange succeeded"
  err=$(rpc_error "$c" "$last_err" "$rc") || fail "[$c] bad create: unreadable error"
  code=${err%% *}
  fields=${err#"$code"}
  [[ $code == INVALID_ARGUMENT ]] ||
    fail "[$c] bad create: got $code, expected INVALID_ARGUMENT"
  pass "[$c] bad CreateExchange is INVALID_ARGUMENT"
  # One violation per bad field; paths like exchange.transfers[0].count.
  for want in occurred sources count 'from_?[pP]arty'; do
    grep -qE "$want" <<<"$fields" ||
      fail "[$c] bad create: no BadRequest violation names /$want/ (fields:$fields)"
  done
  pass "[$c] bad CreateExchange names the bad fields:$fields"

  rpc_ok "$c" "list all exchanges" "$SVC/ListExchanges" '{}'
  expect_names "[$c] exchanges after a bad create" exchanges "$EX_NOV $EX_W05"
  pass "[$c] a bad create stores nothing"
}

# --- run ---------------------------------------------------------------------

clients=(buf)
if command -v grpcurl >/dev/null 2>&1; then
  clients+=(grpcurl)
fi

port=$(free_port)
addr=127.0.0.1:$port
echo "parley-exchanges e2e: $BIN on $addr, clients: ${clients[*]}"

start_server first flags
for client in "${clients[@]}"; do
  check_reflection "$client"
  check_health "$client"
  check_agreement_create "$client"
  check_agreement_read "$client"
  check_exchanges_create "$client"
  check_exchanges_read "$client"
  check_bad_create "$client"
done
stop_server first
expect_json_log first

start_server restarted env
for client in "${clients[@]}"; do
  check_agreement_read "$client"
  check_exchanges_read "$client"
done
stop_server restarted

echo "$passed passed, $failed failed"
