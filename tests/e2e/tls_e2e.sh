#!/usr/bin/env bash
# End-to-end test of how parley-gateway faces users: TLS from PEM files (a
# certificate made here with openssl), plaintext only when asked for, a
# plaintext health-only port for probes, and bearer tokens over TLS.
#
#   tests/e2e/tls_e2e.sh path/to/parley-gateway
#
# - started with neither TLS files nor --plaintext, without --tokens_file, or
#   with half a TLS pair, it refuses to start (exit 2) naming the flag;
# - with TLS: reflection and calls over TLS with the CA's certificate; a
#   plaintext client is refused; no token is UNAUTHENTICATED; an editor's
#   call gets through (to an upstream that is down: UNAVAILABLE);
# - --health_listen serves health in plaintext for kubelet probes.
#
# Clients and environment (BUF, E2E_VERBOSE, E2E_CLIENTS): see lib.sh. Ends
# with "N passed, M failed"; exits non-zero at the first failed check.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init_many gateway-tls "gateway" "$@"
command -v openssl >/dev/null || fail "openssl is missing (tests/lib/install-deps.sh installs it)"

readonly EXCHANGES=parley.exchanges.v1.ExchangesService
readonly REPORTS=parley.reports.v1.ReportService

# A CA and a server certificate for 127.0.0.1 and localhost signed by it.
tls=$work/tls
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Parley test CA" \
  -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$tls/san.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
  -CAcreateserial -days 2 -extfile "$tls/san.ext" -out "$tls/server.crt" 2>/dev/null
pass "a CA and a server certificate for 127.0.0.1"

# No stores behind it (port 1): it serves at once rather than wait for them.
upstreams=(--exchanges_address=127.0.0.1:1 --negotiations_address=127.0.0.1:1
  --incidents_address=127.0.0.1:1 --default_deadline_ms=2000 --ready_after_stores=false)
gateway=${E2E_BIN[gateway]}

# refuses DESC WANT ARGS...: the gateway exits 2 at start, its log naming WANT.
refuses() {
  local desc=$1 want=$2 rc=0
  shift 2
  timeout 10 "$gateway" --listen="${E2E_ADDR[gateway]}" --metrics_listen=none \
    "${upstreams[@]}" "$@" >"$work/refused.log" 2>&1 || rc=$?
  ((rc == 2)) || { cat "$work/refused.log" >&2; fail "$desc: exit $rc, expected 2"; }
  grep -q -- "$want" "$work/refused.log" ||
    { cat "$work/refused.log" >&2; fail "$desc: the log does not name $want"; }
  pass "$desc: refuses to start, naming $want"
}
refuses "neither TLS nor --plaintext" "--plaintext" --tokens_file="$E2E_TOKENS_FILE"
refuses "no tokens file" "--tokens_file" --plaintext
refuses "a certificate without its key" "--tls_key_file" \
  --tokens_file="$E2E_TOKENS_FILE" --tls_cert_file="$tls/server.crt"
refuses "TLS and --plaintext at once" "--plaintext" --tokens_file="$E2E_TOKENS_FILE" \
  --tls_cert_file="$tls/server.crt" --tls_key_file="$tls/server.key" --plaintext
printf 'plaintext-token editor someone\n' >"$work/bad-tokens"
refuses "a tokens file with a plaintext token" "line 1" --plaintext \
  --tokens_file="$work/bad-tokens"

# Serving TLS; start_named waits for health on the plaintext health port.
E2E_GATEWAY_TLS=1
start_named gateway "${upstreams[@]}" --tls_cert_file="$tls/server.crt" \
  --tls_key_file="$tls/server.key" --health_listen="$E2E_HEALTH"
pass "health answers SERVING in plaintext on --health_listen ($E2E_HEALTH)"
gw=${E2E_ADDR[gateway]}

# tls_call TOKEN METHOD JSON: a call over TLS trusting only the test CA.
tls_call() {
  local token=$1 method=$2 request=$3 rc=0
  local -a auth=()
  [[ -n $token ]] && auth=(-H "authorization: Bearer $token")
  last_out=$work/out.json
  last_err=$work/err.txt
  "$BUF" curl --protocol grpc --timeout 10s --cacert "$tls/ca.crt" "${auth[@]}" \
    -d "$request" "https://$gw/$method" >"$last_out" 2>"$last_err" || rc=$?
  return "$rc"
}

# tls_code DESC TOKEN METHOD JSON CODE: the call over TLS fails with CODE.
tls_code() {
  local desc=$1 rc=0 err
  tls_call "$2" "$3" "$4" || rc=$?
  ((rc != 0)) || fail "$desc succeeded, expected $5"
  err=$(rpc_error buf "$last_err" "$rc") || fail "$desc: unreadable error"
  [[ ${err%% *} == "$5" ]] || { cat "$last_err" >&2; fail "$desc: got ${err%% *}, expected $5"; }
  pass "$desc over TLS is $5"
}

"$BUF" curl --protocol grpc --timeout 10s --cacert "$tls/ca.crt" --list-services \
  "https://$gw" >"$work/services.txt" 2>"$work/services.err" ||
  { cat "$work/services.err" >&2; fail "reflection over TLS failed"; }
grep -qx "$REPORTS" "$work/services.txt" || fail "reflection over TLS lacks $REPORTS"
pass "reflection over TLS lists the API"

if "$BUF" curl --protocol grpc --http2-prior-knowledge --timeout 5s -d '{}' \
  "http://$gw/$EXCHANGES/ListExchanges" >/dev/null 2>&1; then
  fail "a plaintext call to the TLS port succeeded"
fi
if "$BUF" curl --protocol grpc --timeout 5s -d '{}' \
  "https://$gw/$EXCHANGES/ListExchanges" >/dev/null 2>&1; then
  fail "a client that does not trust the test CA got through"
fi
pass "plaintext clients, and clients that do not trust its CA, are refused"

tls_code "ListExchanges without a token" "" "$EXCHANGES/ListExchanges" '{}' UNAUTHENTICATED
tls_code "a reader's CreateAgreement" "$E2E_READER_TOKEN" "$EXCHANGES/CreateAgreement" \
  '{"agreementId": "x"}' PERMISSION_DENIED
tls_code "an editor's ListExchanges (exchanges is down)" "$E2E_EDITOR_TOKEN" \
  "$EXCHANGES/ListExchanges" '{}' UNAVAILABLE

if command -v grpcurl >/dev/null 2>&1; then
  grpcurl -cacert "$tls/ca.crt" -max-time 10 "$gw" list >"$work/grpcurl.txt" ||
    fail "grpcurl over TLS failed"
  grep -qx "$REPORTS" "$work/grpcurl.txt" || fail "grpcurl over TLS lacks $REPORTS"
  pass "grpcurl -cacert lists the API over TLS"
fi

stop_named gateway
echo "$passed passed, $failed failed"
