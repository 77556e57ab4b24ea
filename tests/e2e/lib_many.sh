# shellcheck shell=bash
# Part of lib.sh (sourced by it): several servers in one test, each by name.

# --- several servers ---------------------------------------------------------
#
# For a test that runs several binaries at once (gateway_e2e.sh: three domain
# services and the gateway in front of them), each known by a NAME:
#
#   e2e_init_many parley-gateway "exchanges negotiations incidents gateway" "$@"
#   start_named exchanges "--data_dir=${E2E_DATA[exchanges]}"
#   start_named gateway "--exchanges_address=${E2E_ADDR[exchanges]}" ...
#   use_server gateway     # call/list_* go to it; its log is dumped on failure
#   stop_named incidents   # SIGTERM; must exit 0 within 30 s
#
# Per NAME: E2E_BIN (its binary, from the arguments, in order), E2E_ADDR (a
# free 127.0.0.1 port), E2E_METRICS (another, for its --metrics_listen),
# E2E_DATA (an empty dir, $work/data/NAME, for those that
# keep data), E2E_PID (while it runs), E2E_LOG (stdout; stderr beside it in
# .stderr).
#
# The suite runs as deployed: start_named gives every server the service
# credential ($E2E_SERVICE_TOKEN_FILE) and the gateway (NAME "gateway") the
# tokens file and --plaintext (E2E_GATEWAY_TLS=1: no --plaintext, the
# script gives TLS flags and --health_listen=$E2E_HEALTH, where start_named
# then waits). Tokens: E2E_READER_TOKEN, E2E_EDITOR_TOKEN,
# E2E_ADMIN_TOKEN; calls carry E2E_TOKEN, the editor's by default. On exit every server still running is stopped; after a failed
# check the other servers' log tails are printed too. The single-server helpers
# above (start_server, stop_server, run_e2e) are not used in this mode.
declare -gA E2E_BIN=() E2E_ADDR=() E2E_METRICS=() E2E_DATA=() E2E_PID=()
declare -gA E2E_LOG=()
E2E_NAMES=()

# e2e_init_many LABEL "NAME..." BINARY...: one binary per NAME.
e2e_init_many() {
  E2E_LABEL=$1
  read -ra E2E_NAMES <<<"$2"
  shift 2
  if [[ $# -ne ${#E2E_NAMES[@]} ]]; then
    local usage="" name
    for name in "${E2E_NAMES[@]}"; do
      name=${name^^}
      usage+=" PATH_TO_PARLEY_${name//-/_}"
    done
    echo "usage: $0$usage" >&2
    exit 2
  fi
  BUF=${BUF:-$_e2e_repo/.tools/bin/buf}
  local name bin
  for name in "${E2E_NAMES[@]}"; do
    bin=$1
    shift
    if [[ ! -x $bin ]]; then
      echo "FAIL: $name binary '$bin' is missing or not executable" >&2
      exit 1
    fi
    E2E_BIN[$name]=$bin
  done
  if [[ ! -x $BUF ]]; then
    echo "FAIL: buf not found at '$BUF' (run tests/lib/install-deps.sh, or set BUF)" >&2
    exit 1
  fi

  _e2e_start_run _e2e_cleanup_many
  _e2e_make_credentials
  for name in "${E2E_NAMES[@]}"; do
    E2E_ADDR[$name]=127.0.0.1:$(free_port)
    # Never the default metrics ports: tests run in parallel.
    E2E_METRICS[$name]=127.0.0.1:$(free_port)
    E2E_DATA[$name]=$data_dir/$name
    E2E_LOG[$name]=$work/$name.log
    mkdir -p "${E2E_DATA[$name]}"
  done
}

# _e2e_make_credentials: random tokens for each role, the tokens file with
# their hashes (as an operator would write it), and the service credential.
_e2e_make_credentials() {
  local role token
  E2E_TOKENS_FILE=$work/tokens
  E2E_SERVICE_TOKEN_FILE=$work/service-token
  echo "# e2e tokens: <sha256> <role> <name>" >"$E2E_TOKENS_FILE"
  for role in reader editor admin; do
    token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s %s e2e-%s\n' "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" \
      "$role" "$role" >>"$E2E_TOKENS_FILE"
    printf -v "E2E_${role^^}_TOKEN" %s "$token"
  done
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$E2E_SERVICE_TOKEN_FILE"
  E2E_TOKEN=$E2E_EDITOR_TOKEN
  E2E_HEALTH=127.0.0.1:$(free_port)
}

# use_server NAME: calls (call, list_services, list_methods, describe_service)
# go to NAME, and a failure dumps NAME's log.
use_server() {
  addr=${E2E_ADDR[$1]}
  server_log=${E2E_LOG[$1]}
  BIN=${E2E_BIN[$1]}
}

# healthy_at ADDR: grpc.health.v1 reports SERVING for the whole server.
healthy_at() {
  "$BUF" curl --protocol grpc --timeout 2s --connect-timeout 1 \
    -d '{"service": ""}' "http://$1/$HEALTH/Check" \
    >"$work/health.json" 2>/dev/null || return 1
  [[ $(json_get "$work/health.json" status 2>/dev/null) == SERVING ]]
}

# start_named NAME [ARG...]: start NAME's binary with --listen and
# --metrics_listen at its addresses and ARGs (stdout appended to its log, so that a restart keeps the earlier
# lines), and wait (at most 60 s, for a loaded machine) until health reports SERVING.
# E2E_ENV (an array of VAR=value, empty by default) is put in its environment;
# with E2E_ENV set, pass no --listen: give PARLEY_LISTEN there (the metrics
# address and the credentials then go as PARLEY_* variables too).
start_named() {
  local name=$1 how=flags
  shift
  local -a env=("${E2E_ENV[@]}") listen=("--listen=${E2E_ADDR[$name]}"
    "--metrics_listen=${E2E_METRICS[$name]}")
  local -a auth=("--service_token_file=$E2E_SERVICE_TOKEN_FILE")
  local health_addr=${E2E_ADDR[$name]}
  if [[ $name == gateway ]]; then
    auth+=("--tokens_file=$E2E_TOKENS_FILE")
    if [[ ${E2E_GATEWAY_TLS:-0} == 1 ]]; then
      health_addr=$E2E_HEALTH
    else
      auth+=(--plaintext)
    fi
  fi
  if ((${#env[@]} > 0)); then
    how="env"
    listen=()
    env+=("PARLEY_METRICS_LISTEN=${E2E_METRICS[$name]}")
    # The same settings as variables: --foo_bar is PARLEY_FOO_BAR.
    local flag key
    for flag in "${auth[@]}"; do
      key=${flag#--}
      key=${key%%=*}
      if [[ $flag == *=* ]]; then
        env+=("PARLEY_${key^^}=${flag#*=}")
      else
        env+=("PARLEY_${key^^}=true")
      fi
    done
    auth=()
  fi
  env "${env[@]}" "${E2E_BIN[$name]}" "${listen[@]}" "${auth[@]}" "$@" \
    >>"${E2E_LOG[$name]}" 2>>"${E2E_LOG[$name]}.stderr" &
  E2E_PID[$name]=$!
  # E2E_NO_WAIT=1: started, not waited for (the caller checks its health).
  [[ ${E2E_NO_WAIT:-0} == 1 ]] && return 0
  local deadline=$((SECONDS + 60)) up=0
  while ((SECONDS < deadline)); do
    if ! alive "${E2E_PID[$name]}"; then
      server_log=${E2E_LOG[$name]}
      fail "$name (configured by $how) exited before becoming healthy"
    fi
    if healthy_at "$health_addr"; then
      up=1
      break
    fi
    sleep 0.2
  done
  if ((up == 0)); then
    server_log=${E2E_LOG[$name]}
    fail "$name (configured by $how) not SERVING within 60 s on ${E2E_ADDR[$name]}"
  fi
  pass "$name (configured by $how) is SERVING on ${E2E_ADDR[$name]}"
}
E2E_ENV=()

# stop_named NAME: SIGTERM; NAME must exit 0 within 30 s.
stop_named() {
  local name=$1 pid=${E2E_PID[$1]:-} rc=0
  [[ -n $pid ]] || fail "$name is not running"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if alive "$pid"; then
    server_log=${E2E_LOG[$name]}
    fail "$name still running 30 s after SIGTERM"
  fi
  wait "$pid" || rc=$?
  unset "E2E_PID[$name]"
  if ((rc != 0)); then
    server_log=${E2E_LOG[$name]}
    fail "$name exited $rc after SIGTERM, expected 0"
  fi
  pass "$name exited 0 on SIGTERM"
}

_e2e_cleanup_many() {
  local name pid
  for name in "${!E2E_PID[@]}"; do
    pid=${E2E_PID[$name]}
    if alive "$pid"; then
      # Cleanup after the checks: a server may have exited already.
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
      alive "$pid" && kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
  done
  if ((failed > 0)); then
    for name in "${E2E_NAMES[@]}"; do
      [[ ${E2E_LOG[$name]} == "$server_log" ]] && continue
      if [[ -s ${E2E_LOG[$name]}.stderr ]]; then
        echo "---- $name stderr (last 15 lines) ----" >&2
        tail -n 15 "${E2E_LOG[$name]}.stderr" >&2
      fi
      if [[ -s ${E2E_LOG[$name]} ]]; then
        echo "---- $name stdout (last 15 lines) ----" >&2
        tail -n 15 "${E2E_LOG[$name]}" >&2
      fi
    done
  fi
  rm -rf "$work"
}

# list_service_methods CLIENT SERVICE: SERVICE's methods, one per line
# ("svc/Method"), by reflection.
list_service_methods() {
  case $1 in
    buf)
      "$BUF" curl --protocol grpc --timeout 10s --list-methods "http://$addr" |
        grep -F "$2/"
      ;;
    grpcurl)
      grpcurl -plaintext -max-time 10 "$addr" list "$2" |
        sed -E 's|^(.*)\.([^.]+)$|\1/\2|'
      ;;
  esac
}

# describe_service CLIENT SERVICE: SERVICE's methods as reflection describes
# them, one per line: "Method package.Request package.Response". buf curl
# has no describe: it asks the reflection service (v1, else v1alpha) for the
# file defining SERVICE and decodes its FileDescriptorProto; grpcurl's describe
# is parsed.
describe_service() {
  local c=$1 service=$2 rc=0
  case $c in
    buf)
      local version
      for version in v1 v1alpha; do
        rc=0
        "$BUF" curl --protocol grpc --timeout 10s \
          -d "{\"fileContainingSymbol\": \"$service\"}" \
          "http://$addr/grpc.reflection.$version.ServerReflection/ServerReflectionInfo" \
          >"$work/describe.json" 2>"$work/describe.err" || rc=$?
        ((rc == 0)) && break
      done
      if ((rc != 0)); then
        cat "$work/describe.err" >&2
        return 1
      fi
      python3 - "$work/describe.json" "$service" <<'PY'
import base64, json, sys

def varint(buf, i):
    shift = result = 0
    while True:
        byte = buf[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i

def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        if key & 7 == 0:
            value, i = varint(buf, i)
        elif key & 7 == 2:
            size, i = varint(buf, i)
            value, i = buf[i:i + size], i + size
        elif key & 7 in (1, 5):
            size = 8 if key & 7 == 1 else 4
            value, i = buf[i:i + size], i + size
        else:
            raise ValueError("unsupported wire type")
        yield key >> 3, value

def text(b):
    return bytes(b).decode()

response, wanted = json.load(open(sys.argv[1])), sys.argv[2]
found = False
for encoded in response.get("fileDescriptorResponse", {}).get("fileDescriptorProto", []):
    proto = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    package = ""
    services = []
    for number, value in fields(proto):
        if number == 2:    # FileDescriptorProto.package
            package = text(value)
        elif number == 6:  # FileDescriptorProto.service
            services.append(value)
    for service in services:
        parts = dict(name="", methods=[])
        for number, value in fields(service):
            if number == 1:
                parts["name"] = text(value)
            elif number == 2:  # ServiceDescriptorProto.method
                method = {n: text(v) for n, v in fields(value) if n in (1, 2, 3)}
                parts["methods"].append(method)
        if f"{package}.{parts['name']}" != wanted:
            continue
        found = True
        for m in parts["methods"]:
            print(m.get(1, ""), m.get(2, "").lstrip("."), m.get(3, "").lstrip("."))
sys.exit(0 if found else f"reflection has no file describing {wanted}")
PY
      ;;
    grpcurl)
      grpcurl -plaintext -max-time 10 "$addr" describe "$service" >"$work/describe.txt" ||
        return 1
      sed -nE 's/^ *rpc ([A-Za-z0-9_]+) *\( *(stream +)?\.?([A-Za-z0-9_.]+) *\) *returns *\( *(stream +)?\.?([A-Za-z0-9_.]+) *\).*$/\1 \3 \5/p' \
        "$work/describe.txt"
      ;;
  esac
}
