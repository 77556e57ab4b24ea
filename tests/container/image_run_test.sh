#!/usr/bin/env bash
# The image built and run as deployed: deploy/image/build --fast makes
# parley:dev from the Dockerfile's runtime stage and this host's binaries;
# the four services then run from it in one podman pod the way the manifests
# run them (uid 10001, read-only root, no capabilities, no new privileges, a
# volume per store, the tokens and the service token read from files), and
# are called from the host only through the gateway's published port:
#   - the containers run as uid 10001 on a read-only root, the stores on
#     their volumes;
#   - health ("" and the reports' readiness) and reflection, with grpcurl
#     (when on PATH) and buf curl;
#   - the seed week imported with the host's parleyctl, the agreement report
#     exact, and the image's own parleyctl answers the same;
#   - a backup of each store through the gateway, listed, its files on the
#     store's volume;
#   - a store restarted on its volume keeps its records.
# Prints the image's size and the suite's start time (first container
# started to the gateway ready). Exits 77 (ctest's SKIP_RETURN_CODE), saying
# why, when no container engine works here.
#
#   tests/container/image_run_test.sh PARLEYCTL
#
# Env: PARLEY_IMAGE (use this image, don't build), BUF, CONTAINERS_CONF.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CTL=${1:?usage: image_run_test.sh PARLEYCTL}
BUF=${BUF:-$repo/.tools/bin/buf}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$repo/deploy/image/containers.conf}
# shellcheck source=tests/e2e/lib.sh
source "$repo/tests/e2e/lib.sh"

if ! command -v podman >/dev/null 2>&1; then
  echo "SKIP: no podman here (tests/lib/install-deps.sh installs it on Debian)"
  exit 77
fi
if ! podman info >/tmp/parley-podman-info.$$ 2>&1; then
  echo "SKIP: podman does not work here: $(tail -1 /tmp/parley-podman-info.$$)"
  rm -f /tmp/parley-podman-info.$$
[[ -x $BUF ]] || { echo "FAIL: buf not found at '$BUF' (run tests/lib/install-deps.sh, or set BUF)" >&2; exit 1; }
  exit 77
fi
rm -f /tmp/parley-podman-info.$$
[[ -x $BUF ]] || { echo "FAIL: buf not found at '$BUF' (run tests/lib/install-deps.sh, or set BUF)" >&2; exit 1; }

pod=parley-test-$$
cleanup() {
  local rc=$?
  set +e # every step, whatever the one before did
  if ((rc != 0)) && [[ -n ${pod:-} ]]; then
    # Context for the failure already reported; a container may not exist.
    for c in gateway exchanges negotiations incidents; do
      echo "---- $c (last 15 lines) ----" >&2
      podman logs --tail 15 "$pod-$c" >&2 2>/dev/null || true
    done
  fi
  # Cleanup of whatever was made: some of it may never have been.
  podman pod rm -f -t 10 "$pod" >/dev/null 2>&1 || true
  for s in exchanges negotiations incidents; do podman volume rm -f "$pod-$s" >/dev/null 2>&1 || true; done
  [[ -n ${built_tag:-} ]] && podman rmi "$built_tag" >/dev/null 2>&1
  rm -rf "$work"
  exit $rc
}
_e2e_start_run cleanup
server_log=""

image=${PARLEY_IMAGE:-}
if [[ -z $image ]]; then
  "$repo/deploy/image/build" --fast --tag "localhost/parley:test-$$" >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log" >&2; fail "deploy/image/build --fast failed"; }
  image=localhost/parley:test-$$
  built_tag=$image
  grep '^build:' "$work/build.log"
  pass "deploy/image/build --fast made $image"
fi
size=$(podman image inspect --format '{{.Size}}' "$image")

# The dev overlay's credentials, as files on a read-only mount.
secrets=$work/secrets
mkdir -p "$secrets"
cp "$repo/deploy/k8s/overlays/dev/secrets/tokens" "$repo/deploy/k8s/overlays/dev/secrets/service-token" "$secrets/"
chmod 755 "$work" "$secrets"
chmod 644 "$secrets"/*

port=$(free_port)
health_port=$(free_port)
addr=127.0.0.1:$port
podman pod create --name "$pod" -p "127.0.0.1:$port:50051" -p "127.0.0.1:$health_port:50050" >/dev/null
common=(--pod "$pod" --read-only --tmpfs /tmp --user 10001:10001 --cap-drop ALL
  --security-opt no-new-privileges -v "$secrets:/etc/parley/secrets:ro"
  -e PARLEY_SERVICE_TOKEN_FILE=/etc/parley/secrets/service-token
  -e PARLEY_SHUTDOWN_DRAIN_SECONDS=2 -e PARLEY_SHUTDOWN_GRACE_SECONDS=10)
declare -A store_port=([exchanges]=50061 [negotiations]=50062 [incidents]=50063)
run_store() {
  local s=$1
  podman run -d --name "$pod-$s" "${common[@]}" -v "$pod-$s:/var/lib/parley" \
    -e PARLEY_DATA_DIR=/var/lib/parley/data -e PARLEY_BACKUP_DIR=/var/lib/parley/backups \
    -e PARLEY_PLAINTEXT=true -e "PARLEY_LISTEN=0.0.0.0:${store_port[$s]}" \
    "$image" "parley-$s" >/dev/null
}
started=$(date +%s.%N)
for s in exchanges negotiations incidents; do podman volume create "$pod-$s" >/dev/null; run_store "$s"; done
podman run -d --name "$pod-gateway" "${common[@]}" \
  -e PARLEY_PLAINTEXT=true -e PARLEY_TOKENS_FILE=/etc/parley/secrets/tokens \
  -e PARLEY_EXCHANGES_ADDRESS=127.0.0.1:50061 -e PARLEY_NEGOTIATIONS_ADDRESS=127.0.0.1:50062 \
  -e PARLEY_INCIDENTS_ADDRESS=127.0.0.1:50063 -e PARLEY_LISTEN=0.0.0.0:50051 \
  -e PARLEY_HEALTH_LISTEN=0.0.0.0:50050 "$image" parley-gateway >/dev/null

# ready: the gateway's readiness service says SERVING (every store answered).
ready() {
  grpcurl_or_buf "127.0.0.1:$health_port" grpc.health.v1.Health/Check \
    '{"service": "parley.reports.v1.ReportService"}' 2>/dev/null | grep -q SERVING
}
grpcurl_or_buf() { # ADDR METHOD REQUEST
  "$BUF" curl --protocol grpc --timeout 5s --connect-timeout 2 -d "$3" "http://$1/$2"
}
deadline=$((SECONDS + 120))
until ready; do
  ((SECONDS < deadline)) || fail "the gateway was not ready within 120 s"
  sleep 0.2
done
start_seconds=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
pass "the four containers started; the gateway ready in $start_seconds s"

for s in gateway exchanges negotiations incidents; do
  [[ $(podman exec "$pod-$s" id -u) == 10001 ]] || fail "$s does not run as uid 10001"
  # Even root in the container cannot write to a read-only root.
  if podman exec --user 0 "$pod-$s" sh -c 'echo x >/usr/local/bin/x' 2>/dev/null; then
    fail "$s could write to its root filesystem"
  fi
  [[ $(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$pod-$s") == true ]] ||
    fail "$s does not run on a read-only root"
done
for s in exchanges negotiations incidents; do
  podman exec "$pod-$s" test -f /var/lib/parley/data/CURRENT ||
    fail "$s keeps no RocksDB store on its volume (/var/lib/parley/data)"
done
pass "every container runs as uid 10001 on a read-only root; each store on its own volume"

# --- health and reflection, from the host ------------------------------------
SVC=parley.reports.v1.ReportService
for c in "${clients[@]}"; do
  addr=127.0.0.1:$health_port
  for service in "" "$SVC"; do
    rpc_ok "$c" "health of '$service'" "$HEALTH/Check" "{\"service\": \"$service\"}"
    expect_json "[$c] health of '$service'" status SERVING
  done
  addr=127.0.0.1:$port
  pass "[$c] health on the published health port: '' and $SVC SERVING"
  services=$(list_services "$c" 2>"$work/err.txt") || fail "[$c] reflection: $(cat "$work/err.txt")"
  for want in parley.reports.v1.ReportService parley.exchanges.v1.ExchangesService \
    parley.incidents.v1.IncidentsService parley.admin.v1.AdminService; do
    grep -qxF "$want" <<<"$services" || fail "[$c] reflection lists no $want (got: ${services//$'\n'/ })"
  done
  pass "[$c] reflection through the gateway lists the reports, domain and admin services"
done

# --- the seed week, a report, the image's own parleyctl ----------------------
ctl_at() { # TOKEN ARGS...
  local token=$1
  shift
  last_out=$work/ctl.out
  last_err=$work/ctl.err
  "$CTL" --gateway="$addr" --token="$token" "$@" >"$last_out" 2>"$last_err"
}
seed=$repo/deploy/seed
ctl_at parley-dev-editor import "$seed/exchanges.jsonl" "$seed/negotiations.jsonl" "$seed/incidents.jsonl" ||
  fail "importing the seed week failed"
grep -Eq '^read 14, created 14, .*refused 0$' "$last_out" "$last_err" ||
  fail "the seed import did not create its 14 records"
pass "the seed week imported through the published port (14 records)"
if ctl_at not-a-token report stalled; then fail "a report with an unknown token succeeded"; fi
grep -q UNAUTHENTICATED "$last_err" || fail "an unknown token: no UNAUTHENTICATED"
ctl_at parley-dev-reader import "$seed/exchanges.jsonl" && fail "a reader could import"
grep -q PERMISSION_DENIED "$last_err" || fail "a reader's import: no PERMISSION_DENIED"
pass "the tokens file is read: an unknown token is refused, a reader cannot write"

ctl_at parley-dev-reader report agreement istanbul-2025 --as_of=2026-02-01 || fail "agreement report failed"
grep -Eq '^remains +12000 +2068 +17\.2%' "$last_out" || fail "agreement report: no 'remains 12000 2068 17.2%' row"
cp "$last_out" "$work/report.host"
podman exec "$pod-gateway" parleyctl --gateway=127.0.0.1:50051 --token=parley-dev-reader \
  report agreement istanbul-2025 --as_of=2026-02-01 >"$work/report.image" 2>"$work/err.txt" ||
  fail "the image's parleyctl failed: $(cat "$work/err.txt")"
cmp -s "$work/report.host" "$work/report.image" || fail "the image's parleyctl prints another report"
pass "the agreement report: 2,068 of 12,000 (17.2%), the same from the image's parleyctl"

# --- backups -----------------------------------------------------------------
E2E_TOKEN=parley-dev-admin
for s in exchanges negotiations incidents; do
  rpc_ok buf "backup of $s" parley.admin.v1.AdminService/CreateBackup "{\"service\": \"$s\"}"
  rpc_ok buf "backups of $s" parley.admin.v1.AdminService/ListBackups "{\"service\": \"$s\"}"
  [[ $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("backups", [])))' "$last_out") == 1 ]] ||
    fail "ListBackups of $s does not list the one backup"
  podman exec "$pod-$s" sh -c 'ls /var/lib/parley/backups/meta | grep -q .' ||
    fail "no backup files on $s's volume"
done
unset E2E_TOKEN
pass "a backup of each store through the gateway, listed, on the store's volume"

# --- a store restarted on its volume -------------------------------------------
podman stop -t 20 "$pod-exchanges" >/dev/null
[[ $(podman inspect --format '{{.State.ExitCode}}' "$pod-exchanges") == 0 ]] ||
  fail "exchanges did not exit 0 on SIGTERM"
podman rm "$pod-exchanges" >/dev/null
run_store exchanges
deadline=$((SECONDS + 60))
until ctl_at parley-dev-reader report agreement istanbul-2025 --as_of=2026-02-01 &&
  cmp -s "$last_out" "$work/report.host"; do
  ((SECONDS < deadline)) || fail "after a restart of exchanges, the report differs or fails"
  sleep 0.5
done
pass "exchanges stopped cleanly and restarted on its volume with its records"

echo "image $image: $((size / 1000000)) MB; four containers to a ready gateway: $start_seconds s"
echo "$passed passed, $failed failed"
