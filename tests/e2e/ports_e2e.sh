#!/usr/bin/env bash
# Two suites side by side on one machine: a service started with only
# --listen serves its metrics on that port + 1000, not on its default
# port's, so a second instance on other ports starts beside the first (it
# used to die with "cannot serve metrics" while the default suite ran).
#
#   tests/e2e/ports_e2e.sh EXCHANGES
#
# Two exchanges services on two pairs of free ports (P, P + 1000), no
# --metrics_listen: both serve gRPC health and /metrics on their own
# P + 1000; a third on the first one's port fails cleanly.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init parley.exchanges.v1.ExchangesService parley-exchanges "$@"

pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true # may have exited: checked below
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true # its exit code is checked where it matters
  done
  rm -rf "$work"
}
trap stop_all EXIT

# pair_port: a free port P with P + 1000 free too.
pair_port() {
  python3 -c 'import socket
for _ in range(200):
    a = socket.socket(); a.bind(("127.0.0.1", 0)); p = a.getsockname()[1]
    if p + 1000 > 65535:
        a.close(); continue
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", p + 1000))
    except OSError:
        a.close(); continue
    a.close(); b.close(); print(p); break'
}

# start N PORT: an exchanges service on PORT with only --listen and a store.
start() {
  mkdir -p "$work/data$1"
  "$BIN" --listen="127.0.0.1:$2" --data_dir="$work/data$1" \
    >"$work/server$1.log" 2>&1 &
  pids+=($!)
}

# metrics_at PORT: /metrics answers on PORT with Parley's series (20 s).
metrics_at() {
  local _
  for _ in $(seq 100); do
    if curl -sf "http://127.0.0.1:$1/metrics" >"$work/metrics.txt" 2>/dev/null &&
      grep -q '^parley_' "$work/metrics.txt"; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

p1=$(pair_port)
p2=$(pair_port)
[[ -n $p1 && -n $p2 && $p1 != "$p2" ]] || fail "no two free port pairs"
start 1 "$p1"
start 2 "$p2"
metrics_at $((p1 + 1000)) || fail "the first instance serves no metrics on $((p1 + 1000)): $(tail -5 "$work/server1.log")"
metrics_at $((p2 + 1000)) || fail "the second instance serves no metrics on $((p2 + 1000)): $(tail -5 "$work/server2.log")"
pass "two instances with only --listen serve metrics on their own port + 1000"
for _ in $(seq 100); do healthy_at "127.0.0.1:$p2" && break; sleep 0.2; done
healthy_at "127.0.0.1:$p1" || fail "the first instance is not SERVING"
healthy_at "127.0.0.1:$p2" || fail "the second instance is not SERVING"
pass "both are SERVING on gRPC"

# A third on the first one's gRPC port: its metrics port is taken, so it
# stops at once, saying why, and the first goes on.
rc=0
timeout 20 "$BIN" --listen="127.0.0.1:$p1" --data_dir="$work/data3" \
  >"$work/server3.log" 2>&1 || rc=$?
[[ $rc != 0 && $rc != 124 ]] || fail "a third instance on a taken port: exit $rc"
grep -q "cannot serve metrics" "$work/server3.log" || fail "a third instance on a taken port does not say why: $(tail -3 "$work/server3.log")"
healthy_at "127.0.0.1:$p1" || fail "the first instance stopped serving"
pass "a third on a taken port stops with \"cannot serve metrics\"; the first goes on"
echo "$passed passed, $failed failed"
