#!/usr/bin/env bash
# Start-up order does not matter: a gateway started before its stores (as on
# Kubernetes, where a store's headless Service resolves only once the store
# is Ready) is alive at once (health "" SERVING: liveness) but not ready
# (health "parley.reports.v1.ReportService" NOT_SERVING: readiness) until it
# can reach every store; then ready by itself, and it serves reports, with
# nothing restarted.
#
#   tests/e2e/startup_e2e.sh EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init_many startup "exchanges negotiations incidents gateway" "$@"
readonly READY=parley.reports.v1.ReportService

# health_status ADDR [SERVICE]: SERVING, NOT_SERVING, or "down".
health_status() {
  if "$BUF" curl --protocol grpc --timeout 2s --connect-timeout 1 \
    -d "{\"service\": \"${2:-}\"}" "http://$1/$HEALTH/Check" >"$work/health.json" 2>/dev/null; then
    json_get "$work/health.json" status
  else
    echo down
  fi
}

gateway=${E2E_ADDR[gateway]}
E2E_NO_WAIT=1 start_named gateway "--exchanges_address=${E2E_ADDR[exchanges]}" \
  "--negotiations_address=${E2E_ADDR[negotiations]}" \
  "--incidents_address=${E2E_ADDR[incidents]}"
use_server gateway
# Alive, but not ready: no store yet.
status=down
for _ in $(seq 150); do
  status=$(health_status "$gateway")
  [[ $status == down ]] || break
  sleep 0.2
done
[[ $status == SERVING ]] || fail "a gateway without its stores is not alive: health says $status"
[[ $(health_status "$gateway" $READY) == NOT_SERVING ]] ||
  fail "a gateway without its stores is ready: $(cat "$work/health.json")"
sleep 2 # it keeps saying so while no store answers
[[ $(health_status "$gateway" $READY) == NOT_SERVING ]] || fail "the gateway turned ready with no store up"
pass "a gateway started before its stores is alive (\"\": SERVING) but not ready ($READY: NOT_SERVING)"

# Two stores up: still not ready.
start_named exchanges "--data_dir=${E2E_DATA[exchanges]}"
start_named negotiations "--data_dir=${E2E_DATA[negotiations]}"
sleep 3 # a probe round or more
[[ $(health_status "$gateway" $READY) == NOT_SERVING ]] || fail "the gateway turned ready with incidents down"
pass "with one store still down it is not ready"

start_named incidents "--data_dir=${E2E_DATA[incidents]}"
deadline=$((SECONDS + 60))
until [[ $(health_status "$gateway" $READY) == SERVING ]]; do
  ((SECONDS < deadline)) || fail "the gateway did not turn ready within 60 s of its stores"
  alive "${E2E_PID[gateway]}" || fail "the gateway exited"
  sleep 0.2
done
pass "once every store answers, the gateway turns ready by itself"

rpc_ok buf "a report through the gateway that started first" \
  parley.reports.v1.ReportService/GetSummary '{"span": "2026-W05", "asOf": "2026-02-01"}'
[[ -z $(json_get "$last_out" missing 2>/dev/null) ]] || fail "the report misses a section: $(cat "$last_out")"
grep -q '"msg":"store unreachable"' "${E2E_LOG[gateway]}" ||
  fail "the gateway did not log the unreachable stores"
grep -q '"msg":"every store reachable: serving"' "${E2E_LOG[gateway]}" ||
  fail "the gateway did not log when it began serving"
pass "a report answers in full; the log says which store was unreachable, and when it became ready"

# Ready once stays ready: a store going away makes reports list what is
# missing, it does not take the gateway out of service.
stop_named incidents
sleep 6 # past a watching probe round
[[ $(health_status "$gateway" $READY) == SERVING ]] || fail "the gateway left service when a store stopped"
pass "a store stopping later leaves the gateway ready (reports list what is missing)"

# A gateway started while a store stays down (a restore, say) is not kept
# out of service for ever: after --ready_wait_seconds it is ready all the
# same, and says which store it lacks.
stop_named gateway
E2E_NO_WAIT=1 start_named gateway "--exchanges_address=${E2E_ADDR[exchanges]}" \
  "--negotiations_address=${E2E_ADDR[negotiations]}" \
  "--incidents_address=${E2E_ADDR[incidents]}" --ready_wait_seconds=3
deadline=$((SECONDS + 60))
until [[ $(health_status "$gateway" $READY) == SERVING ]]; do
  ((SECONDS < deadline)) || fail "the gateway did not turn ready after --ready_wait_seconds with incidents down"
  alive "${E2E_PID[gateway]}" || fail "the gateway exited"
  sleep 0.2
done
grep -q '"msg":"not every store reachable: serving all the same' "${E2E_LOG[gateway]}" ||
  fail "the gateway did not log that it serves without every store"
rpc_ok buf "a report with incidents down" \
  parley.reports.v1.ReportService/GetSummary '{"span": "2026-W05", "asOf": "2026-02-01"}'
grep -q '"section": *"incidents"' "$last_out" || fail "the report does not list incidents as missing: $(cat "$last_out")"
pass "with a store down for good, the gateway is ready after --ready_wait_seconds; reports list it as missing"

for name in gateway negotiations exchanges; do stop_named "$name"; done
echo "$passed passed, $failed failed"
