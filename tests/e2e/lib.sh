# shellcheck shell=bash
# Shared by the end-to-end scripts (tests/e2e/<service>_e2e.sh): each runs one
# service binary as a separate process and calls it only through server
# reflection, the way an integrator with grpcurl would: no generated client
# code, no schema files. Source it, then:
#
#   e2e_init parley.x.v1.XService parley-x "$@"   # SVC, BIN, BUF, work dir, port
#   check_foo() { local c=$1; rpc_ok "$c" ...; expect_json ...; pass ...; }
#   run_e2e "check_foo check_bar" "check_bar"      # first run, then restart
#
# Clients: `buf curl` (from $BUF, default <repo>/.tools/bin/buf)
# always; `grpcurl` too when it is on PATH. Every check runs once per client
# against the same server, so a second client's creates are idempotent
# retries (same request_id). Then the server gets SIGTERM (must exit 0 within
# 30 s), is restarted on the same data dir (this time configured through
# PARLEY_LISTEN/PARLEY_DATA_DIR), and the restart checks run again.
#
# Env: BUF (buf binary), E2E_VERBOSE=1 (print every response),
# E2E_CLIENTS (space-separated, overrides the client list: "buf buf" runs
# every check twice through buf curl, to exercise the retry path).
# Ends with "N passed, M failed"; exits non-zero at the first failed check.
#
# E2E_TOKEN, when set, goes with every call as "authorization: Bearer ...".
#
# Globals a script may read: SVC, HEALTH, BIN, BUF, work, data_dir, addr,
# metrics_addr (the server's --metrics_listen, a free port of its own),
# last_out (the last response), last_err (the last client stderr).

readonly HEALTH=grpc.health.v1.Health
_e2e_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# _e2e_start_run CLEANUP: the work dir (CLEANUP removes it on exit), the
# counters, and the clients (E2E_CLIENTS, else buf and grpcurl if on PATH).
_e2e_start_run() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/parley-e2e.XXXXXX")
  data_dir=$work/data
  server_pid=""
  server_log=""
  passed=0
  failed=0
  last_out=$work/none
  last_err=$work/none
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  if [[ -n ${E2E_CLIENTS:-} ]]; then
    read -ra clients <<<"$E2E_CLIENTS"
  else
    clients=(buf)
    if command -v grpcurl >/dev/null 2>&1; then
      clients+=(grpcurl)
    fi
  fi
}

# e2e_init SERVICE LABEL ARGS...: check the arguments (one: the binary) and
# the tools, make a work dir (removed on exit, with the server stopped), pick
# a free port and the clients.
e2e_init() {
  SVC=$1
  E2E_LABEL=$2
  shift 2
  if [[ $# -ne 1 ]]; then
    local upper=${E2E_LABEL^^}
    echo "usage: $0 PATH_TO_${upper//-/_}" >&2
    exit 2
  fi
  BIN=$1
  BUF=${BUF:-$_e2e_repo/.tools/bin/buf}
  if [[ ! -x $BIN ]]; then
    echo "FAIL: server binary '$BIN' is missing or not executable" >&2
    exit 1
  fi
  if [[ ! -x $BUF ]]; then
    echo "FAIL: buf not found at '$BUF' (run tests/lib/install-deps.sh, or set BUF)" >&2
    exit 1
  fi

  _e2e_start_run _e2e_cleanup
  mkdir -p "$data_dir"
  addr=127.0.0.1:$(free_port)
  # Never the default metrics port: tests run in parallel.
  metrics_addr=127.0.0.1:$(free_port)
}

# run_e2e "CHECK..." "CHECK...": start the server (configured by flags), run
# each first-run check for each client (a check is a function taking the
# client), SIGTERM it, check its log; restart it on the same data dir
# (configured by env), run each restart check for each client, SIGTERM it.
run_e2e() {
  local -a first restart
  local client check
  # read -d '' stops at end of input and so always returns 1: not a failure.
  read -r -d '' -a first <<<"$1" || true
  read -r -d '' -a restart <<<"$2" || true
  echo "$E2E_LABEL e2e: $BIN on $addr, clients: ${clients[*]}"

  start_server first flags
  for client in "${clients[@]}"; do
    for check in "${first[@]}"; do "$check" "$client"; done
  done
  stop_server first
  expect_json_log first

  start_server restarted env
  for client in "${clients[@]}"; do
    for check in "${restart[@]}"; do "$check" "$client"; done
  done
  stop_server restarted

  echo "$passed passed, $failed failed"
}

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
    # Cleanup: the server may have exited already; the checks ran earlier.
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$server_pid" || break; sleep 0.1; done
    if alive "$server_pid"; then
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

_e2e_cleanup() {
  kill_server
  rm -rf "$work"
}

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
import json, re, sys
path, value = sys.argv[2], json.load(open(sys.argv[1]))
for key in filter(None, path.split(".")):
    # grpcurl prints the proto's own field names (first_day), buf curl
    # JSON's (firstDay): a camelCase path finds either.
    snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key)
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        value = value[int(key)]
    elif isinstance(value, dict) and key in value:
        value = value[key]
    elif isinstance(value, dict) and snake in value:
        value = value[snake]
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
import json, re, sys
response, key = json.load(open(sys.argv[1])), sys.argv[2]
snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key)
items = response.get(key, response.get(snake, []))
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
    # grpcurl 1.9.1 prints the proto's names (field_violations).
    violations = detail.get("fieldViolations", detail.get("field_violations"))
    if violations is not None:
        fields += [v.get("field", "") for v in violations]
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

# call CLIENT METHOD JSON: invoke "service/Method" with a JSON request (or
# @FILE: the request in FILE, for one too large for an argument); the
# response lands in $last_out, the client's stderr in $last_err.
call() {
  local client=$1 method=$2 request=$3
  last_out=$work/out.json
  last_err=$work/err.txt
  local -a auth=()
  [[ -n ${E2E_TOKEN:-} ]] && auth=(-H "authorization: Bearer $E2E_TOKEN")
  case $client in
    buf)
      "$BUF" curl --protocol grpc --timeout 10s --connect-timeout 5 \
        "${auth[@]}" -d "$request" "http://$addr/$method" \
        >"$last_out" 2>"$last_err"
      ;;
    grpcurl)
      local input=/dev/null
      if [[ $request == @* ]]; then
        input=${request#@}
        request=@
      fi
      grpcurl -plaintext -format-error -max-time 10 -connect-timeout 5 \
        "${auth[@]}" -d "$request" "$addr" "$method" \
        <"$input" >"$last_out" 2>"$last_err"
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

# expect_absent DESC PATH: the last response has nothing at PATH (protobuf
# JSON omits unset optional fields, empty lists and zero scalars).
expect_absent() {
  local desc=$1 path=$2 actual
  if actual=$(json_get "$last_out" "$path" 2>/dev/null); then
    fail "$desc: $path is '$actual', expected it absent"
  fi
}

# expect_count DESC LIST N: the last response's repeated field LIST has N
# items (an absent list has 0).
expect_count() {
  local desc=$1 list=$2 expected=$3 actual
  actual=$(json_get "$last_out" "$list" 2>/dev/null) || actual='[]'
  actual=$(python3 -c 'import json, sys; print(len(json.loads(sys.argv[1])))' "$actual")
  [[ $actual == "$expected" ]] ||
    fail "$desc: $list has $actual items, expected $expected"
}

# expect_names DESC LIST EXPECTED: the last response's LIST holds exactly the
# records named in EXPECTED (space-separated, sorted).
expect_names() {
  local desc=$1 list=$2 expected=$3 actual
  actual=$(json_names "$last_out" "$list" 2>&1) || fail "$desc: $actual"
  [[ $actual == "$expected" ]] ||
    fail "$desc: $list are [$actual], expected [$expected]"
}

# expect_invalid CLIENT DESC METHOD JSON FIELD_REGEX...: the call fails with
# INVALID_ARGUMENT, and its google.rpc.BadRequest names a field matching each
# FIELD_REGEX (extended regex over the comma-separated field paths, such as
# "exchange.transfers[0].count.low"). Two passes: the code, the fields.
expect_invalid() {
  local c=$1 desc=$2 method=$3 request=$4 rc=0 err code fields want
  shift 4
  call "$c" "$method" "$request" || rc=$?
  ((rc != 0)) || fail "[$c] $desc succeeded"
  err=$(rpc_error "$c" "$last_err" "$rc") || fail "[$c] $desc: unreadable error"
  code=${err%% *}
  fields=${err#"$code"}
  [[ $code == INVALID_ARGUMENT ]] ||
    fail "[$c] $desc: got $code, expected INVALID_ARGUMENT"
  pass "[$c] $desc is INVALID_ARGUMENT"
  for want in "$@"; do
    grep -qE "$want" <<<"$fields" ||
      fail "[$c] $desc: no BadRequest violation names /$want/ (fields:$fields)"
  done
  pass "[$c] $desc names the bad fields:$fields"
}

# expect_code CLIENT DESC METHOD JSON CODE: the call must fail with CODE
# ("PERMISSION_DENIED").
expect_code() {
  local c=$1 desc=$2 method=$3 request=$4 want=$5 rc=0 err
  call "$c" "$method" "$request" || rc=$?
  ((rc != 0)) || fail "[$c] $desc succeeded, expected $want"
  err=$(rpc_error "$c" "$last_err" "$rc") || fail "[$c] $desc: unreadable error"
  [[ ${err%% *} == "$want" ]] || fail "[$c] $desc: got ${err%% *}, expected $want"
  pass "[$c] $desc is $want"
}

# --- metrics -----------------------------------------------------------------

# scrape ADDR: GET http://ADDR/metrics (Prometheus text) into $metrics_out
# (and $last_out, so that a failure shows it).
scrape() {
  metrics_out=$work/metrics.txt
  last_out=$metrics_out
  last_err=$work/metrics.err
  curl -sS --fail --max-time 5 -o "$metrics_out" "http://$1/metrics" \
    2>"$last_err" || fail "GET http://$1/metrics failed"
}

# expect_metric DESC NAME MIN [LABEL=VALUE...]: the last scrape has the
# sample NAME with exactly these labels, and its value is at least MIN.
# Sets last_out back to the scrape (a pass clears it).
expect_metric() {
  local desc=$1 name=$2 min=$3 actual
  shift 3
  last_out=$metrics_out
  actual=$(python3 - "$metrics_out" "$name" "$@" 2>&1 <<'PY'
import re, sys
path, name, want = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
for line in open(path):
    m = line_re.match(line.strip())
    if m and m.group(1) == name and dict(label_re.findall(m.group(2) or "")) == want:
        print(m.group(3))
        sys.exit(0)
sys.exit(f"no sample {name}{want}")
PY
  ) || fail "$desc: $actual"
  python3 -c 'import sys; sys.exit(float(sys.argv[1]) < float(sys.argv[2]))' \
    "$actual" "$min" || fail "$desc: $name is $actual, expected at least $min"
}

# --- common checks -----------------------------------------------------------

# expect_reflection CLIENT METHOD...: reflection lists $SVC, health and
# itself, and describes each METHOD of $SVC.
expect_reflection() {
  local c=$1 services methods want
  shift
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
  for want in "$@"; do
    grep -qxF "$SVC/$want" <<<"$methods" ||
      fail "[$c] reflection lists no method $SVC/$want"
  done
  pass "[$c] reflection describes the ${SVC##*.} methods"
}

# check_health CLIENT: "" and $SVC are SERVING, an unknown service NOT_FOUND.
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

# --- server ------------------------------------------------------------------

# start_server LABEL [env|flags]: start the binary on $addr and $data_dir and
# wait (at most 60 s, for a loaded machine) until health reports SERVING.
start_server() {
  local label=$1 how=${2:-flags}
  server_log=$work/server-$label.log
  if [[ $how == env ]]; then
    PARLEY_LISTEN=$addr PARLEY_DATA_DIR=$data_dir \
      PARLEY_METRICS_LISTEN=$metrics_addr "$BIN" \
      >"$server_log" 2>"$server_log.stderr" &
  else
    "$BIN" "--listen=$addr" "--data_dir=$data_dir" \
      "--metrics_listen=$metrics_addr" \
      >"$server_log" 2>"$server_log.stderr" &
  fi
  server_pid=$!
  local deadline=$((SECONDS + 60)) status=""
  while ((SECONDS < deadline)); do
    if ! alive "$server_pid"; then
      fail "server ($label, configured by $how) exited before becoming healthy"
    fi
    if "$BUF" curl --protocol grpc --timeout 2s --connect-timeout 1 \
      -d '{"service": ""}' "http://$addr/$HEALTH/Check" \
      >"$work/health.json" 2>/dev/null; then
      # Not yet answering is expected while it starts; the loop retries.
      status=$(json_get "$work/health.json" status 2>/dev/null || true)
      [[ $status == SERVING ]] && break
    fi
    sleep 0.2
  done
  [[ $status == SERVING ]] ||
    fail "server ($label, configured by $how) not SERVING within 60 s on $addr"
  pass "server ($label, configured by $how) is SERVING on $addr"
}

# stop_server LABEL: SIGTERM; the server must exit 0 within 30 s.
stop_server() {
  local label=$1 rc=0
  kill -TERM "$server_pid"
  local deadline=$((SECONDS + 30))
  while alive "$server_pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if alive "$server_pid"; then
    fail "server ($label) still running 30 s after SIGTERM"
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

# The rest of the library: several servers by name, and the seed requests.
# shellcheck source=tests/e2e/lib_many.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib_many.sh"
# shellcheck source=tests/e2e/lib_ctl.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib_ctl.sh"
# shellcheck source=tests/e2e/lib_seed.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib_seed.sh"
