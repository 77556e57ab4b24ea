#!/usr/bin/env bash
# Renders deploy/k8s with `kubectl kustomize` (the base, overlays/dev,
# overlays/prod and the restore Job) and checks each rendering with
# check_manifests.js: every object against the Kubernetes schemas, offline
# (npm kubernetes-models), and Parley's rules (probes, non-root, limits,
# StatefulSets with volumes and headless Services, disruption budgets, the
# NetworkPolicy around the domain pods, TLS in prod and plaintext in dev,
# Secrets and ConfigMaps; check_manifests.js lists them).
#
# Then it checks the checker: a hand-written broken manifest (a container
# without probes, resources or security context) and copies of the dev and
# prod renderings each broken in one way must fail with that problem named.
#
#   bash tests/deploy/kustomize_test.sh
#
# Env: KUBECTL (default kubectl), PARLEY_TOOLS (npm packages; default
# <repo>/.tools, installed by tests/lib/install-deps.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KUBECTL=${KUBECTL:-kubectl}
check=$repo/tests/deploy/check_manifests.js
k8s=$repo/deploy/k8s

if ! command -v "$KUBECTL" >/dev/null 2>&1; then
  echo "kustomize_test: '$KUBECTL' not found (tests/lib/install-deps.sh installs kubectl; or set KUBECTL)" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "kustomize_test: node not found (tests/lib/install-deps.sh installs it)" >&2
  exit 1
fi

tools=${PARLEY_TOOLS:-$repo/.tools}
if ! node -e 'const r = require("module").createRequire(process.argv[1] + "/package.json");
              r.resolve("yaml"); r.resolve("kubernetes-models/v1");' "$tools" 2>/dev/null; then
  echo "kustomize_test: npm packages yaml and kubernetes-models not found under $tools" \
    "(run tests/lib/install-deps.sh, or set PARLEY_TOOLS)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# render NAME DIR: kubectl kustomize DIR into $tmp/NAME.yaml. kustomize v5's
# deprecation warnings for fields kept for kubectl 1.20 are not shown.
render() {
  local name=$1 dir=$2
  if ! "$KUBECTL" kustomize "$dir" >"$tmp/$name.yaml" 2>"$tmp/$name.err"; then
    echo "kustomize_test: kubectl kustomize ${dir#"$repo"/} failed:" >&2
    cat "$tmp/$name.err" >&2
    return 1
  fi
  grep -v "^# Warning: '\(bases\|patchesStrategicMerge\)' is deprecated" "$tmp/$name.err" >&2 || true
}

echo "== render with $("$KUBECTL" version --client 2>/dev/null | head -n 1)"
render base "$k8s/base"
render dev "$k8s/overlays/dev"
render prod "$k8s/overlays/prod"
render restore "$k8s/restore"

echo "== check"
failed=0
node "$check" --profile base --readme "$repo/deploy/README.md" "$tmp/base.yaml" || failed=1
node "$check" --profile dev "$tmp/dev.yaml" || failed=1
node "$check" --profile prod --readme "$repo/deploy/README.md" "$tmp/prod.yaml" || failed=1
node "$check" --profile restore --base "$tmp/base.yaml" "$tmp/restore.yaml" || failed=1
if ((failed)); then
  echo "kustomize_test: FAILED: the problems above are in deploy/k8s" >&2
  exit 1
fi

echo "== self-test: broken manifests must be caught"
caught=0
# expect_caught OUTPUT FILE PROFILE WANT: the checker's OUTPUT must report a
# problem in FILE that contains WANT.
expect_caught() {
  local output=$1 file=$2 profile=$3 want=$4
  if grep -qF -- "check_manifests: $file ($profile): " <<<"$output" &&
    grep -F -- "$file ($profile): " <<<"$output" | grep -qF -- "$want"; then
    caught=$((caught + 1))
    return 0
  fi
  echo "kustomize_test: self-test: the checker missed a broken manifest: $file ($profile)" >&2
  echo "  expected a problem containing '$want'; it said:" >&2
  grep -F -- "$file ($profile)" <<<"$output" | sed 's/^/  /' >&2
  return 1
}
# run_checker PROFILE FILE...: the checker's output; it must exit 1.
run_checker() {
  local out rc
  set +e
  out=$(node "$check" --profile "$@" 2>&1)
  rc=$?
  set -e
  if ((rc != 1)); then
    echo "kustomize_test: self-test: the checker exited $rc on broken manifests, expected 1:" >&2
    echo "$out" >&2
    return 1
  fi
  echo "$out"
}

# A hand-written workload that breaks the container rules.
cat >"$tmp/no-probes.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: gateway}
  template:
    metadata:
      labels: {app.kubernetes.io/name: gateway}
    spec:
      containers:
        - name: gateway
          image: parley:dev
          command: ["parley-gateway"]
EOF
out=$(run_checker base "$tmp/no-probes.yaml")
for want in 'container gateway: no livenessProbe' 'container gateway: no readinessProbe' \
  'no resources.limits.memory' 'runAsNonRoot is not true' 'readOnlyRootFilesystem is not true' \
  'capabilities do not drop ALL' 'no default deny of ingress' 'no exchanges workload'; do
  expect_caught "$out" no-probes.yaml base "$want"
done

# Copies of the real renderings, each broken in one way (the mutations are
# in check_manifests.js): profile, mutation, the problem it must report.
cases=(
  'dev no-liveness container gateway: no livenessProbe'
  'dev tcp-readiness readinessProbe is not a grpc probe'
  'prod probe-tls-port must probe the health port 50050'
  'dev root-user runAsUser must be a non-root numeric uid'
  'dev writable-root readOnlyRootFilesystem is not true'
  'dev keep-caps capabilities do not drop ALL'
  'dev no-limits no resources.limits.cpu'
  'prod latest-image has no fixed tag'
  'dev store-replicas replicas must be 1'
  'prod no-claims no volumeClaimTemplates'
  'dev store-as-deployment exchanges must be a StatefulSet'
  'dev not-headless is not headless'
  'prod no-pdb 0 PodDisruptionBudgets select its pods'
  'dev no-default-deny no default deny of ingress'
  'dev np-any-pod allows more than the gateway pods'
  'prod np-namespace only a podSelector on the gateway pods'
  'dev np-all-ports (allowing every port)'
  'dev np-selects-gateway selects more than the exchanges pods'
  'prod gateway-one-replica expected at least 3 in prod'
  'dev dev-not-plaintext PARLEY_PLAINTEXT is not "true"'
  'prod prod-no-tls no PARLEY_TLS_CERT_FILE'
  'dev upstream-typo PARLEY_EXCHANGES_ADDRESS=exchange:50061 names no rendered Service'
  'prod no-configmap is not in the rendered manifests'
  'dev listen-localhost is not 0.0.0.0:<port>'
  'dev bad-token-line is not "<sha256 hex> <reader|editor|admin> <name>"'
  'dev unknown-kind unknown kind v1/ConfigMapp'
  'prod schema-type schema: /spec/replicas must be integer'
)
for profile in dev prod; do
  mkdir "$tmp/broken-$profile"
  files=()
  mutations=()
  for c in "${cases[@]}"; do
    read -r p mutation _ <<<"$c"
    [[ $p == "$profile" ]] || continue
    mutations+=("$mutation")
    files+=("$tmp/broken-$profile/$mutation.yaml")
  done
  node "$check" --mutate "$tmp/$profile.yaml" "$tmp/broken-$profile" "${mutations[@]}"
  out=$(run_checker "$profile" "${files[@]}")
  for c in "${cases[@]}"; do
    read -r p mutation want <<<"$c"
    [[ $p == "$profile" ]] || continue
    expect_caught "$out" "$mutation.yaml" "$profile" "$want"
  done
done
echo "kustomize_test: self-test: $caught broken manifests caught"
echo "kustomize_test: ok: base, dev, prod and restore render and pass"
