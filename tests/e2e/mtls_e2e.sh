#!/usr/bin/env bash
# Mutual TLS inside the suite, and certificates and tokens renewed without a
# restart, as Kubernetes renews a mounted Secret (files replaced in place):
#
#   tests/e2e/mtls_e2e.sh EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY
#
# - the domain services serve TLS and require a client certificate signed by
#   the suite's CA (--tls_client_ca_file); the gateway presents its own and
#   checks theirs (--upstream_ca_file, --upstream_cert_file, ...). A report
#   through the gateway answers in full;
# - a caller with no client certificate, one signed by another CA, or in
#   plaintext is refused by a service;
# - under a steady load of reports through the gateway, every certificate
#   (the gateway's, the services', the gateway's client certificate, this
#   one from a new CA) is replaced at once, as a Secret's files are, and the
#   tokens file gains a token and loses one: the new certificates are served
#   and the new token admitted within seconds, the revoked one refused, and
#   no call of the load fails; then the stores trust only the new CA, and a
#   restarted store still answers the gateway (its new certificate is used);
# - a store with a certificate from another CA is not trusted by the gateway.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init_many mtls "exchanges negotiations incidents gateway" "$@"
command -v openssl >/dev/null || fail "openssl is missing (tests/lib/install-deps.sh installs it)"
readonly REPORTS=parley.reports.v1.ReportService

tls=$work/tls
mkdir -p "$tls"

# ca NAME: a CA.
ca() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=Parley $1 CA" -keyout "$tls/$1.key" -out "$tls/$1.crt" 2>/dev/null
}
# leaf CA NAME SERIAL: a certificate for 127.0.0.1 and localhost, for server
# and client use, signed by CA, in $tls/NAME-SERIAL.{crt,key}.
leaf() {
  local ca=$1 name=$2 serial=$3 out=$tls/$2-$3
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=$name" -keyout "$out.key" -out "$out.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >"$out.ext"
  openssl x509 -req -in "$out.csr" -CA "$tls/$ca.crt" -CAkey "$tls/$ca.key" \
    -set_serial "$serial" -days 2 -extfile "$out.ext" -out "$out.crt" 2>/dev/null
}
# generation N SERIAL CLIENT_CA...: $tls/gen-N with the certificates of
# SERIAL and the CA bundle the stores accept client certificates from.
generation() {
  local n=$1 serial=$2 name
  shift 2
  mkdir -p "$tls/gen-$n"
  for name in gateway services client; do
    cp "$tls/$name-$serial.crt" "$tls/gen-$n/$name.crt"
    cp "$tls/$name-$serial.key" "$tls/gen-$n/$name.key"
  done
  cat "$@" >"$tls/gen-$n/client-ca.crt"
}
# switch N: $tls/live becomes generation N in one step, as the kubelet swaps
# a Secret's files (a directory symlink replaced by rename): a reader never
# sees a key of one generation beside a certificate of another.
switch() {
  ln -sfn "gen-$1" "$tls/live.new"
  mv -T "$tls/live.new" "$tls/live"
}
ca suite
ca renewed # signs the renewed client certificate
ca intruder
for name in gateway services; do
  leaf suite "$name" 1
  leaf suite "$name" 2
done
leaf suite client 1
leaf renewed client 2
leaf intruder intruder 1
# 1: as deployed; 2: every certificate renewed, the client's by a new CA the
# stores now also trust; 3: the stores trust only the new CA.
generation 1 1 "$tls/suite.crt"
generation 2 2 "$tls/suite.crt" "$tls/renewed.crt"
generation 3 2 "$tls/renewed.crt"
switch 1
pass "a suite CA, a renewal CA, certificates (two of each) and an intruder's CA"

# serial_at ADDR [CLIENT]: the serial of the certificate served at ADDR.
serial_at() {
  local -a client=()
  [[ -n ${2:-} ]] && client=(-cert "$tls/live/$2.crt" -key "$tls/live/$2.key")
  openssl s_client -connect "$1" -servername localhost "${client[@]}" </dev/null 2>/dev/null |
    openssl x509 -noout -serial 2>/dev/null | cut -d= -f2
}

# start_store NAME [CERT KEY]: a service on mutual TLS (its certificate the
# live one unless given), health on a plaintext port; wait until SERVING.
declare -A health
start_store() {
  local name=$1 cert=${2:-$tls/live/services.crt} key=${3:-$tls/live/services.key}
  health[$name]=${health[$name]:-127.0.0.1:$(free_port)}
  E2E_NO_WAIT=1 start_named "$name" "--data_dir=${E2E_DATA[$name]}" \
    --tls_cert_file="$cert" --tls_key_file="$key" \
    --tls_client_ca_file="$tls/live/client-ca.crt" --tls_reload_seconds=1 \
    --health_listen="${health[$name]}"
  local deadline=$((SECONDS + 60))
  until healthy_at "${health[$name]}"; do
    ((SECONDS < deadline)) || { server_log=${E2E_LOG[$name]}; fail "$name not SERVING within 60 s"; }
    alive "${E2E_PID[$name]}" || { server_log=${E2E_LOG[$name]}; fail "$name exited"; }
    sleep 0.2
  done
}
for name in exchanges negotiations incidents; do start_store "$name"; done
pass "three services serving mutual TLS"

E2E_GATEWAY_TLS=1 start_named gateway \
  --tls_cert_file="$tls/live/gateway.crt" --tls_key_file="$tls/live/gateway.key" \
  --health_listen="$E2E_HEALTH" --tls_reload_seconds=1 \
  --upstream_ca_file="$tls/suite.crt" --upstream_cert_file="$tls/live/client.crt" \
  --upstream_key_file="$tls/live/client.key" \
  "--exchanges_address=${E2E_ADDR[exchanges]}" \
  "--negotiations_address=${E2E_ADDR[negotiations]}" \
  "--incidents_address=${E2E_ADDR[incidents]}"
grep -q '"client_certificates":true' "${E2E_LOG[exchanges]}" ||
  fail "the exchanges service does not say it requires client certificates"

# report TOKEN: GetSummary through the gateway over TLS; its output in
# $work/report.json; exit status buf's.
report() {
  "$BUF" curl --protocol grpc --timeout 10s --cacert "$tls/suite.crt" \
    -H "authorization: Bearer $1" -d '{"span": "2026-W05", "asOf": "2026-02-01"}' \
    "https://${E2E_ADDR[gateway]}/$REPORTS/GetSummary" >"$work/report.json" 2>"$work/report.err"
}
report "$E2E_READER_TOKEN" || fail "a report through the gateway over mutual TLS: $(cat "$work/report.err")"
[[ -z $(json_get "$work/report.json" missing 2>/dev/null) ]] ||
  fail "the report misses sections: $(cat "$work/report.json")"
pass "a report through the gateway answers in full: the gateway and services trust each other"

# direct ARGS...: a call straight to the exchanges service; exit status buf's.
direct() {
  "$BUF" curl --protocol grpc --timeout 5s "$@" -d '{}' \
    "https://${E2E_ADDR[exchanges]}/parley.exchanges.v1.ExchangesService/ListExchanges" \
    >"$work/direct.out" 2>"$work/direct.err"
}
if direct --cacert "$tls/suite.crt"; then fail "a service answered a caller without a client certificate"; fi
if direct --cacert "$tls/suite.crt" --cert "$tls/intruder-1.crt" --key "$tls/intruder-1.key"; then
  fail "a service answered a caller whose certificate another CA signed"
fi
if "$BUF" curl --protocol grpc --timeout 5s -d '{}' \
  "http://${E2E_ADDR[exchanges]}/parley.exchanges.v1.ExchangesService/ListExchanges" >/dev/null 2>&1; then
  fail "a service answered in plaintext"
fi
pass "a service refuses callers with no client certificate, another CA's, or no TLS"

# --- renewal under load ---------------------------------------------------------
[[ $(serial_at "${E2E_ADDR[gateway]}") == 01 ]] || fail "the gateway does not serve certificate 1"
[[ $(serial_at "${E2E_ADDR[exchanges]}" client) == 01 ]] || fail "exchanges does not serve certificate 1"

# A second editor token to revoke, and one to add.
revoked=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
added=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
hash() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
cp "$E2E_TOKENS_FILE" "$work/tokens.base"
{ cat "$work/tokens.base"; echo "$(hash "$revoked") editor e2e-revoked"; } >"$work/tokens.new"
mv -f "$work/tokens.new" "$E2E_TOKENS_FILE"
sleep 1.5
report "$revoked" || fail "the token about to be revoked does not work yet: $(cat "$work/report.err")"

# The load: reports with the reader's token, back to back, until told to stop.
load_stop=$work/load.stop
(
  ok=0 failed=0
  while [[ ! -e $load_stop ]]; do
    if "$BUF" curl --protocol grpc --timeout 10s --cacert "$tls/suite.crt" \
      -H "authorization: Bearer $E2E_READER_TOKEN" -d '{"span": "2026-W05", "asOf": "2026-02-01"}' \
      "https://${E2E_ADDR[gateway]}/$REPORTS/GetSummary" >"$work/load.out" 2>>"$work/load.err" &&
      ! grep -q '"missing"' "$work/load.out"; then
      ok=$((ok + 1))
    else
      failed=$((failed + 1))
      cat "$work/load.out" >>"$work/load.err"
    fi
  done
  echo "$ok $failed" >"$work/load.result"
) &
load_pid=$!
sleep 2

# Renew everything, and change the tokens: one added, one revoked.
switch 2
{ cat "$work/tokens.base"; echo "$(hash "$added") editor e2e-added"; } >"$work/tokens.new"
mv -f "$work/tokens.new" "$E2E_TOKENS_FILE"

# await DESC CONDITION: CONDITION (a command) true within 30 s.
await() {
  local deadline=$((SECONDS + 30))
  until eval "$2"; do
    ((SECONDS < deadline)) || fail "$1: not within 30 s"
    sleep 0.5
  done
  pass "$1"
}
await "the gateway serves its renewed certificate, unrestarted" \
  '[[ $(serial_at "${E2E_ADDR[gateway]}") == 02 ]]'
await "exchanges serves its renewed certificate, unrestarted" \
  '[[ $(serial_at "${E2E_ADDR[exchanges]}" client) == 02 ]]'
await "the added token is admitted" 'report "$added"'
await "the revoked token is refused" '! report "$revoked" && grep -q -i unauthenticated "$work/report.err"'
sleep 3 # more load on the renewed certificates
touch "$load_stop"
wait "$load_pid"
read -r load_ok load_failed <"$work/load.result"
((load_failed == 0)) || fail "$load_failed of $((load_ok + load_failed)) calls failed during the renewal: $(tail -5 "$work/load.err")"
((load_ok >= 5)) || fail "only $load_ok calls made during the renewal"
pass "no call failed during the renewal ($load_ok reports through the gateway)"
grep -q '"msg":"tokens file reloaded"' "${E2E_LOG[gateway]}" || fail "the gateway did not log the tokens reload"

# The gateway uses its renewed client certificate: the stores now trust only
# the new CA, and a restarted store makes the gateway connect anew.
switch 3
sleep 3 # past a reload
stop_named exchanges
start_store exchanges
report "$E2E_READER_TOKEN" || fail "a report after the renewal: $(cat "$work/report.err")"
[[ -z $(json_get "$work/report.json" missing 2>/dev/null) ]] ||
  fail "the gateway's renewed client certificate was refused: $(cat "$work/report.json")"
pass "a store that trusts only the new CA answers the gateway: it presents its renewed client certificate"

# The gateway checks the stores' certificates: one signed by another CA is
# not called (its sections are missing), even with the right name.
stop_named incidents
start_store incidents "$tls/intruder-1.crt" "$tls/intruder-1.key"
report "$E2E_READER_TOKEN" || fail "a report with an impostor store: $(cat "$work/report.err")"
grep -q '"section": *"incidents"' "$work/report.json" ||
  fail "the gateway took an impostor's certificate: $(cat "$work/report.json")"
pass "a store whose certificate another CA signed is not trusted: the report lists incidents as missing"
for name in gateway incidents negotiations exchanges; do stop_named "$name"; done
echo "$passed passed, $failed failed"
