#!/usr/bin/env bash
# Every PARLEY_* variable the Kubernetes manifests set must be a flag of the
# binaries (an unknown one would be ignored, and a setting silently lost).
#
#   tests/deploy/env_flags_test.sh BINARY...   (from the repository root)
set -euo pipefail
(($# > 0)) || { echo "usage: $0 BINARY..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for dir in deploy/k8s/overlays/dev deploy/k8s/overlays/prod deploy/k8s/restore; do
  kubectl kustomize "$dir" 2>/dev/null >>"$work/rendered.yaml" ||
    { echo "FAIL: kubectl kustomize $dir" >&2; exit 1; }
done
grep -oE '\bPARLEY_[A-Z0-9_]+' "$work/rendered.yaml" | sort -u >"$work/env.txt"
[[ -s $work/env.txt ]] || { echo "FAIL: no PARLEY_* variables in the manifests" >&2; exit 1; }

# grep finds nothing for a binary without flags (exit 1): the empty-list
# check below is what fails then.
for binary in "$@"; do
  "$binary" --helpfull 2>&1 | grep -oE -- '^ +--[a-z0-9_]+' || true
done | sed -E 's/^ +--//' | tr 'a-z' 'A-Z' | sed 's/^/PARLEY_/' | sort -u >"$work/flags.txt"
[[ -s $work/flags.txt ]] || { echo "FAIL: the binaries listed no flags" >&2; exit 1; }

unknown=$(comm -23 "$work/env.txt" "$work/flags.txt")
if [[ -n $unknown ]]; then
  echo "FAIL: the manifests set variables no binary has a flag for:" >&2
  echo "$unknown" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
echo "ok - $(wc -l <"$work/env.txt") PARLEY_* variables, each a flag"
echo "1 passed, 0 failed"
