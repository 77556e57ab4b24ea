#!/usr/bin/env bash
# Lints the protobuf contracts under protos/ with buf, by the rules in the
# repo root's buf.yaml. Fails (exit 1) on any finding.
#
# Env: BUF (buf binary; default <repo>/.tools/bin/buf, installed
# by tests/lib/install-deps.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUF=${BUF:-$repo/.tools/bin/buf}
if [[ ! -x $BUF ]]; then
  echo "buf-lint: buf not found at '$BUF' (run tests/lib/install-deps.sh, or set BUF)" >&2
  exit 1
fi

cd "$repo"
if ! "$BUF" build --error-format=text >/dev/null; then
  echo "buf-lint: protos/ does not compile" >&2
  exit 1
fi
if ! "$BUF" lint --error-format=text; then
  echo "buf-lint: findings above (rules and exceptions: buf.yaml)" >&2
  exit 1
fi
echo "buf-lint: protos/ is clean"
