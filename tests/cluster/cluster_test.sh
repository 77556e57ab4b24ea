#!/usr/bin/env bash
# Parley's manifests on a real one-node Kubernetes cluster (deploy/cluster/up):
#  1. every overlay and the restore Job pass `kubectl apply --server-side
#     --dry-run=server --validate=strict` in namespaces that enforce PodSecurity
#     `restricted`, and broken copies (a field the schema does not declare, a
#     container allowed to escalate) are refused;
#  2. the dev overlay: every pod Ready on its own probes, the seed week
#     loaded and a report run through `kubectl port-forward` (first try: the
#     gateway is Ready only once it reaches its stores), a backup through the
#     gateway, a record written after it, then deploy/README.md's restore
#     procedure, run as written: the record is gone, the seed is there, the
#     old store kept aside;
#  3. the prod overlay (one gateway replica, to fit the 2-CPU node), with its
#     Secrets made by deploy/README.md's commands: the gateway serves TLS,
#     gateway and stores speak mutual TLS (a store refuses a caller without
#     the client certificate), the seed loads and the report is exact.
# Tears everything down. Exits 77 (ctest's SKIP_RETURN_CODE), saying why,
# when the machine cannot run the cluster (no Kubernetes binaries in
# PARLEY_KUBE_BIN_DIR, not root, no container engine).
#
#   tests/cluster/cluster_test.sh PARLEYCTL
#
# Env: PARLEY_KUBE_BIN_DIR, BUF, KEEP=1 (leave the cluster up; the state dir
# is printed), PARLEY_IMAGE_ARCHIVE (use this docker-archive, don't build).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CTL=$(cd "$(dirname "${1:?usage: cluster_test.sh PARLEYCTL}")" && pwd)/$(basename "$1")
BUF=${BUF:-$repo/.tools/bin/buf}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$repo/deploy/image/containers.conf}

skip() { echo "SKIP: $*"; exit 77; }
[[ -n ${PARLEY_KUBE_BIN_DIR:-} ]] ||
  skip "PARLEY_KUBE_BIN_DIR is not set (tests/run sets it when ../shared/tools/k8s is there)"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet pause; do
  [[ -x $PARLEY_KUBE_BIN_DIR/$b ]] || skip "no $b in PARLEY_KUBE_BIN_DIR ($PARLEY_KUBE_BIN_DIR)"
done
[[ $(id -u) == 0 ]] || skip "the kubelet and containerd need root"
for t in kubectl etcd containerd runc dnsmasq podman; do
  command -v "$t" >/dev/null || skip "no $t here (tests/lib/install-deps.sh installs it on Debian)"
done
podman info >/dev/null 2>&1 || skip "podman does not work here"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $passed - $1"; }
fail() {
  failed=$((failed + 1))
  echo "FAIL - $1" >&2
  [[ -n ${KUBECONFIG:-} ]] && kubectl get pods -A -o wide >&2 2>/dev/null
  echo "$passed passed, $failed failed"
  exit 1
}

# One cluster per machine (deploy/cluster/up's bridge and DNS address).
# Below ctest's timeout, so a test waiting here fails rather than is killed.
exec 9>/run/lock/parley-cluster.lock
flock -w 600 9 || fail "another cluster test held the lock for 10 minutes"
# Holding the lock, any cluster of an earlier test still up here is stale (a
# run killed at its timeout): take it down first.
for stale in /tmp/parley-cluster.*; do
  [[ -f $stale/apiserver.pid || -f $stale/kubelet.pid ]] || continue
  echo "     taking down a cluster left by an earlier run: $stale"
  "$repo/deploy/cluster/down" "$stale" >/dev/null 2>&1 9>&-
done

S=$(mktemp -d /tmp/parley-cluster.XXXXXX)
pids=()
cleanup() {
  local rc=$?
  set +e # every step, whatever the one before did
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  if [[ -n ${KEEP:-} ]]; then
    echo "KEEP: the cluster is up: export KUBECONFIG=$S/kubeconfig; deploy/cluster/down $S"
  else
    "$repo/deploy/cluster/down" "$S" >/dev/null 2>&1
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work=$S/work
mkdir -p "$work"

# --- the image and the cluster ------------------------------------------------
# A tag of this run's own (another checkout's parley:dev is left alone),
# named parley:dev inside the cluster's containerd.
archive=${PARLEY_IMAGE_ARCHIVE:-}
image_tag=docker.io/library/parley:dev
if [[ -z $archive ]]; then
  archive=$S/parley.tar
  image_tag=localhost/parley:cluster-test-$$
  "$repo/deploy/image/build" --fast --tag "$image_tag" --save "$archive" >"$work/build.log" 2>&1 9>&- ||
    { tail -20 "$work/build.log" >&2; fail "deploy/image/build --fast failed"; }
  # The archive holds the image now; a tag left behind costs only disk.
  podman rmi "$image_tag" >/dev/null 2>&1 || true
fi
t0=$SECONDS
# Six 50Gi volumes: dev's three, then prod's (a deleted namespace's claims
# leave their volumes Released).
# The cluster's daemons must not hold the lock's descriptor.
PV_COUNT=6 PV_SIZE=50Gi "$repo/deploy/cluster/up" "$S" "$archive" >"$work/up.log" 2>&1 9>&- ||
  { cat "$work/up.log" >&2; fail "deploy/cluster/up failed"; }
export KUBECONFIG=$S/kubeconfig
if [[ $image_tag != docker.io/library/parley:dev ]]; then
  ctr --address "$S/node/containerd/containerd.sock" -n k8s.io images tag --force \
    "$image_tag" docker.io/library/parley:dev >/dev/null || fail "tagging the image in the cluster failed"
fi
pass "a one-node cluster up in $((SECONDS - t0)) s ($(kubectl version -o json 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])'))"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# readme_block PATTERN: the ```sh block of deploy/README.md that has PATTERN.
readme_block() {
  awk -v pat="$1" '
    /^```sh$/ { inblock = 1; text = ""; next }
    /^```$/ && inblock { if (index(text, pat)) { printf "%s", text; found = 1; exit } inblock = 0; next }
    inblock { text = text $0 "\n" }
    END { exit !found }' "$repo/deploy/README.md"
}
# port_forward NS TARGET PORT: kubectl port-forward in the background to
# 127.0.0.1:$pf_port, once it accepts connections. kubectl (1.23 on) ends a
# port-forward when a forwarded connection fails (a refused TLS handshake
# does), so a check that expects a failure gets a port-forward of its own.
port_forward() {
  pf_port=$(free_port)
  kubectl -n "$1" port-forward "$2" "$pf_port:$3" >"$work/pf-$pf_port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$pf_port") 2>/dev/null && return 0
    sleep 0.2
  done
  cat "$work/pf-$pf_port.log" >&2
  return 1
}

# --- 1. server-side dry runs ------------------------------------------------------
# The overlays' own Namespaces (they carry the PodSecurity labels) for real:
# the objects in a dry-run Namespace would have nowhere to go.
kubectl apply -f "$repo/deploy/k8s/overlays/dev/namespace.yaml" -f "$repo/deploy/k8s/overlays/prod/namespace.yaml" >/dev/null
for ns in parley parley-dev; do
  [[ $(kubectl get ns "$ns" -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}') == restricted ]] ||
    fail "namespace $ns does not enforce PodSecurity restricted"
done
# dry_run FILE [NS]: accepted with no PodSecurity warning; the server's
# answer in $work/dry.out.
dry_run() {
  local ns_args=()
  [[ -n ${2:-} ]] && ns_args=(-n "$2")
  kubectl apply --server-side --dry-run=server --validate=strict "${ns_args[@]}" -f "$1" >"$work/dry.out" 2>&1 &&
    ! grep -q 'would violate PodSecurity' "$work/dry.out"
}
for o in overlays/dev overlays/prod restore; do
  kubectl kustomize "$repo/deploy/k8s/$o" >"$work/render.yaml" 2>/dev/null || fail "kustomize $o failed"
  ns=""
  [[ $o == restore ]] && ns=parley-dev
  dry_run "$work/render.yaml" $ns || { cat "$work/dry.out" >&2; fail "the server refused deploy/k8s/$o"; }
  echo "     deploy/k8s/$o: $(grep -c 'server dry run' "$work/dry.out") objects accepted"
done
kubectl kustomize "$repo/deploy/k8s/overlays/prod" >"$work/prod.yaml" 2>/dev/null
python3 - "$work/prod.yaml" "$work" <<'PY'
import sys
text = open(sys.argv[1]).read()
def broken(name, old, new):
    assert old in text, old
    open(f"{sys.argv[2]}/{name}.yaml", "w").write(text.replace(old, new, 1))
broken("typo", "imagePullPolicy: IfNotPresent", "imagePullPolicy: IfNotPresent\n        imagePullPolice: Always")
broken("escalation", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")
PY
dry_run "$work/typo.yaml" && fail "the server accepted a field that no schema declares"
grep -q 'imagePullPolice: field not declared in schema\|unknown field.*imagePullPolice' "$work/dry.out" ||
  { cat "$work/dry.out" >&2; fail "the misspelt field was refused, but not by name"; }
dry_run "$work/escalation.yaml" && fail "a container allowed to escalate passed PodSecurity restricted"
grep -q 'allowPrivilegeEscalation' "$work/dry.out" || fail "the escalation was refused, but not by name"
pass "dev, prod and the restore Job pass the server-side dry run (strict fields, PodSecurity restricted); a misspelt field and an escalating container are refused by name"

# --- 2. the dev overlay ----------------------------------------------------------------
t0=$SECONDS
kubectl apply -k "$repo/deploy/k8s/overlays/dev" >"$work/apply.log" 2>&1 || { cat "$work/apply.log" >&2; fail "applying the dev overlay failed"; }
kubectl -n parley-dev rollout status deployment/gateway --timeout=300s >/dev/null || fail "the dev gateway never became Ready"
for s in exchanges negotiations incidents; do
  kubectl -n parley-dev rollout status "statefulset/$s" --timeout=300s >/dev/null || fail "dev $s never became Ready"
done
# grep -c exits 1 when it counts 0; the count is judged on the next line.
ready=$(kubectl -n parley-dev get pods -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true)
((ready == 4)) || fail "$ready of 4 dev pods Ready"
pass "the dev overlay: 4 pods Ready on their gRPC probes in $((SECONDS - t0)) s"

port_forward parley-dev svc/gateway 50051 || fail "port-forward to the dev gateway failed"
port=$pf_port
ctl() { # TOKEN ARGS...: parleyctl through the port-forward
  local token=$1
  shift
  "$CTL" --gateway="127.0.0.1:$port" --token="$token" "$@" >"$work/ctl.out" 2>"$work/ctl.err" ||
    { cat "$work/ctl.err" >&2; return 1; }
}
seed=("$repo/deploy/seed/exchanges.jsonl" "$repo/deploy/seed/negotiations.jsonl" "$repo/deploy/seed/incidents.jsonl")
ctl parley-dev-editor import "${seed[@]}" || fail "the seed import through the port-forward failed at the first try"
grep -Eq '^read 14, created 14, .*refused 0$' "$work/ctl.out" "$work/ctl.err" || fail "the seed import did not create 14 records"
ctl parley-dev-reader report agreement istanbul-2025 --as_of=2026-02-01 || fail "the agreement report failed"
grep -Eq '^remains +12000 +2068 +17\.2%' "$work/ctl.out" || fail "the agreement report is not 2,068 of 12,000"
cp "$work/ctl.out" "$work/report.dev"
pass "the seed week loaded through kubectl port-forward at the first try; the agreement report exact"

admin() { # METHOD REQUEST: the admin service through the port-forward
  "$BUF" curl --protocol grpc --timeout 60s -H "authorization: Bearer parley-dev-admin" \
    -d "$2" "http://127.0.0.1:$port/parley.admin.v1.AdminService/$1" >"$work/admin.out" 2>&1 ||
    { cat "$work/admin.out" >&2; return 1; }
}
admin CreateBackup '{"service": "exchanges"}' || fail "the backup of exchanges failed"
sed 's#agreements/istanbul-2025#agreements/after-the-backup#' "$repo/deploy/seed/exchanges.jsonl" | head -1 >"$work/later.jsonl"
ctl parley-dev-editor import "$work/later.jsonl" || fail "writing a record after the backup failed"
ctl parley-dev-reader export agreements || fail "export failed"
[[ $(wc -l <"$work/ctl.out") == 2 ]] || fail "after the backup: $(wc -l <"$work/ctl.out") agreements, expected 2"

# deploy/README.md's restore procedure, word for word, in parley-dev.
readme_block 'restore-job.yaml | kubectl' >"$work/restore.sh" || fail "no restore procedure in deploy/README.md"
grep -q '^NS=parley SVC=exchanges$' "$work/restore.sh" || fail "the README's restore block no longer starts NS=parley SVC=exchanges"
sed -i 's/^NS=parley SVC=exchanges$/NS=parley-dev SVC=exchanges/' "$work/restore.sh"
t0=$SECONDS
(cd "$repo" && bash -euo pipefail "$work/restore.sh") >"$work/restore.log" 2>&1 ||
  { cat "$work/restore.log" >&2; fail "deploy/README.md's restore procedure failed"; }
kubectl -n parley-dev rollout status statefulset/exchanges --timeout=300s >/dev/null || fail "exchanges not Ready after the restore"
grep -q '"msg":"restored"' "$work/restore.log" ||
  { cat "$work/restore.log" >&2; fail "the restore Job's log does not say it restored"; }
deadline=$((SECONDS + 120))
until ctl parley-dev-reader export agreements 2>/dev/null && [[ $(wc -l <"$work/ctl.out") == 1 ]]; do
  ((SECONDS < deadline)) || fail "after the restore: $(wc -l <"$work/ctl.out") agreements, expected 1 (the backup's)"
  sleep 1
done
ctl parley-dev-reader report agreement istanbul-2025 --as_of=2026-02-01 || fail "the report after the restore failed"
cmp -s "$work/ctl.out" "$work/report.dev" || fail "the report after the restore differs from before"
kubectl -n parley-dev exec exchanges-0 -- sh -c 'ls -d /var/lib/parley/data.before-restore-*' >/dev/null ||
  fail "the store from before the restore was not kept aside"
pass "a backup through the gateway, then deploy/README.md's restore procedure ($((SECONDS - t0)) s): the later record gone, the report the same, the old store kept aside"

# A port-forward may have ended by itself already (kubectl ends one whose
# connection failed).
kill "${pids[@]}" 2>/dev/null || true
pids=()
kubectl delete namespace parley-dev --timeout=180s >/dev/null || fail "deleting parley-dev failed"

# --- 3. the prod overlay: TLS and mutual TLS inside ----------------------------------
kubectl delete namespace parley --timeout=180s >/dev/null || fail "deleting the dry run's namespace parley failed"
certs=$work/certs
mkdir -p "$certs"
# deploy/README.md's commands: the tokens and the service token, the internal
# CA and both certificates, the four Secrets; the gateway's own certificate
# from the same CA for the name parleyctl dials here (localhost).
{
  readme_block 'leaf stores' | sed '/^kubectl -n parley create secret generic parley-internal-tls/,$d'
  echo 'leaf gateway "DNS:localhost,IP:127.0.0.1" serverAuth'
  readme_block 'kubectl create namespace parley'
  readme_block 'leaf stores' | sed -n '/^kubectl -n parley create secret generic parley-internal-tls/,$p'
  echo 'echo "$TOKEN" >admin.token'
} >"$work/secrets.sh"
(cd "$certs" && bash -euo pipefail "$work/secrets.sh") >"$work/secrets.log" 2>&1 ||
  { cat "$work/secrets.log" >&2; fail "deploy/README.md's Secret commands failed"; }
kubectl label ns parley pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
token=$(cat "$certs/admin.token")
# prod, with one gateway replica (three do not fit 2 CPUs) and the local image.
mkdir -p "$work/prod-here"
prod_rel=$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' \
  "$repo/deploy/k8s/overlays/prod" "$work/prod-here")
cat >"$work/prod-here/kustomization.yaml" <<YAML
resources:
  - $prod_rel
replicas:
  - name: gateway
    count: 1
images:
  - name: registry.example.com/parley
    newName: docker.io/library/parley
    newTag: dev
YAML
t0=$SECONDS
kubectl apply -k "$work/prod-here" >"$work/apply.log" 2>&1 || { cat "$work/apply.log" >&2; fail "applying the prod overlay failed"; }
kubectl -n parley rollout status deployment/gateway --timeout=300s >/dev/null || fail "the prod gateway never became Ready"
for s in exchanges negotiations incidents; do
  kubectl -n parley rollout status "statefulset/$s" --timeout=300s >/dev/null || fail "prod $s never became Ready"
done
pass "the prod overlay (one gateway replica): 4 pods Ready in $((SECONDS - t0)) s"

for s in exchanges negotiations incidents; do
  kubectl -n parley logs "$s-0" >"$work/$s.log" 2>&1
  grep '"msg":"listening"' "$work/$s.log" | grep -q '"client_certificates":true.*"tls":true' ||
    fail "prod $s does not serve TLS requiring client certificates"
done
# Reflection, with the service token, so that only the certificate differs.
store_call() {
  port_forward parley pod/exchanges-0 50061 || fail "port-forward to exchanges-0 failed"
  local store_port=$pf_port
  "$BUF" curl --protocol grpc --timeout 10s --cacert "$certs/ca.crt" --servername exchanges "$@" \
    -H "authorization: Bearer $(cat "$certs/service-token")" \
    --list-services "https://127.0.0.1:$store_port" >"$work/store.out" 2>&1
}
store_call && fail "a prod store answered a caller without a client certificate"
kubectl -n parley logs exchanges-0 >"$work/exchanges.log" 2>&1
grep -q 'peer did not return a certificate' "$work/exchanges.log" ||
  fail "the store's log does not say it refused a caller for want of a client certificate"
store_call --cert "$certs/gateway-client.crt" --key "$certs/gateway-client.key" ||
  { cat "$work/store.out" >&2; fail "a prod store refused the gateway's client certificate"; }
grep -qx parley.exchanges.v1.ExchangesService "$work/store.out" ||
  fail "the prod store's services: $(cat "$work/store.out")"
pass "prod stores serve TLS and refuse a caller without the gateway's client certificate"

port_forward parley svc/gateway 50051 || fail "port-forward to the prod gateway failed"
port=$pf_port
pctl() {
  "$CTL" --gateway="localhost:$port" --tls --ca_cert="$certs/ca.crt" --token="$token" "$@" \
    >"$work/ctl.out" 2>"$work/ctl.err" || { cat "$work/ctl.err" >&2; return 1; }
}
pctl import "${seed[@]}" || fail "the seed import through the prod gateway (TLS) failed"
grep -Eq '^read 14, created 14, .*refused 0$' "$work/ctl.out" "$work/ctl.err" || fail "prod: the seed import did not create 14 records"
pctl report agreement istanbul-2025 --as_of=2026-02-01 || fail "prod: the agreement report failed"
cmp -s "$work/ctl.out" "$work/report.dev" || fail "prod: the agreement report differs from dev's"
"$CTL" --gateway="localhost:$port" --token="$token" report stalled >/dev/null 2>&1 &&
  fail "the prod gateway answered plaintext"
pass "prod: parleyctl over TLS with a token from deploy/README.md's commands; the seed loaded over mutual TLS inside; the report as in dev"

echo "$passed passed, $failed failed"
