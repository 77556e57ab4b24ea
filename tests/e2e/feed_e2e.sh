#!/usr/bin/env bash
# End-to-end test of the change feed through the gateway, the suite as four
# processes, called through server reflection (buf curl, and grpcurl when on
# PATH) and with parleyctl:
#
#   tests/e2e/feed_e2e.sh PARLEYCTL EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY
#
# - ListChanges of each service through the gateway, as a reader: the seed
#   week's records in the order they were written, resumable from a
#   position; an unknown kind and a malformed position refused by name;
# - WatchChanges through the gateway: the backlog after a position, then a
#   change made while it runs;
# - an update with a FieldMask in each client's JSON form (buf curl the
#   canonical "a,b" string, grpcurl 1.9.1 {"paths": [...]});
# - parleyctl sync: the first run copies everything; an update and a delete
#   later, the next run applies both; --follow applies a new record as it
#   commits, goes on across a restart of the gateway (resuming from its
#   position), and stops on Ctrl-C with exit 0.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ $# -ne 5 ]]; then
  echo "usage: $0 PARLEYCTL EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY" >&2
  exit 2
fi
readonly CTL=$1
shift
e2e_init_many feed "exchanges negotiations incidents gateway" "$@"
readonly SEED=$_e2e_repo/deploy/seed
readonly INCIDENTS=parley.incidents.v1.IncidentsService
readonly EXCHANGES=parley.exchanges.v1.ExchangesService
readonly TRAIN=incidents/kharkiv-train-2026-01-27
readonly ENERGY=incidents/energy-strikes-2025-11-2026-01

start_gateway() {
  start_named gateway "--exchanges_address=${E2E_ADDR[exchanges]}" \
    "--negotiations_address=${E2E_ADDR[negotiations]}" \
    "--incidents_address=${E2E_ADDR[incidents]}"
}
start_suite
use_server gateway

# editor ARGS...: parleyctl with an editor's token, output to the caller.
editor() {
  "$CTL" --gateway="${E2E_ADDR[gateway]}" --token="$E2E_EDITOR_TOKEN" "$@"
}
editor import "$SEED/exchanges.jsonl" "$SEED/negotiations.jsonl" \
  "$SEED/incidents.jsonl" >"$work/import.out" 2>&1 ||
  fail "importing the seed week: $(cat "$work/import.out")"

# changes_of FILE: "name@revision OPERATION" per change, one per line, from a
# ListChanges response or a stream of WatchChanges messages (JSON objects one
# after another, as buf curl and grpcurl print them).
changes_of() {
  python3 - "$1" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
decoder, i = json.JSONDecoder(), 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    obj, i = decoder.raw_decode(text, i)
    for c in obj.get("changes", []):
        print(f'{c["name"]}@{c["revision"]} {c["operation"]}')
PY
}

# stream CLIENT SECONDS METHOD JSON OUT: a server-streaming call for SECONDS,
# its messages in OUT. A watch never ends by itself, so the client always
# exits non-zero (DEADLINE_EXCEEDED): its status is ignored, and the caller
# checks the messages in OUT instead (an error leaves them missing).
stream() {
  local client=$1 seconds=$2 method=$3 request=$4 out=$5
  case $client in
    buf)
      "$BUF" curl --protocol grpc --timeout "${seconds}s" --connect-timeout 5 \
        -H "authorization: Bearer $E2E_READER_TOKEN" -d "$request" \
        "http://$addr/$method" >"$out" 2>"$out.err" || true
      ;;
    grpcurl)
      grpcurl -plaintext -max-time "$seconds" -connect-timeout 5 \
        -H "authorization: Bearer $E2E_READER_TOKEN" -d "$request" \
        "$addr" "$method" >"$out" 2>"$out.err" || true
      ;;
  esac
}

# mask CLIENT FIELD: an update mask in the JSON each client reads: proto3's
# canonical string for buf curl, {"paths": [...]} for grpcurl 1.9.1 (whose
# JSON reader refuses the string form).
mask() {
  case $1 in
    buf) printf '"%s"' "$2" ;;
    grpcurl) printf '{"paths": ["%s"]}' "$2" ;;
  esac
}

n=0
echo "feed e2e: clients: ${clients[*]}"
for client in "${clients[@]}"; do
  n=$((n + 1))
  # --- ListChanges ---------------------------------------------------------
  E2E_TOKEN=$E2E_READER_TOKEN
  rpc_ok "$client" "the incidents feed" "$INCIDENTS/ListChanges" '{"pageSize": 1}'
  [[ $(changes_of "$last_out") == "$TRAIN@1 OPERATION_CREATED" ]] ||
    fail "[$client] first page of the incidents feed: $(changes_of "$last_out")"
  position=$(json_get "$last_out" position)
  rpc_ok "$client" "the feed after a position" "$INCIDENTS/ListChanges" \
    "{\"after\": \"$position\"}"
  # (A second client's pass also sees the first one's writes.)
  [[ $(changes_of "$last_out" | head -1) == "$ENERGY@1 OPERATION_CREATED" ]] ||
    fail "[$client] the feed after the first change: $(changes_of "$last_out")"
  # grpcurl prints the proto's own field names (caught_up), buf curl JSON's.
  # Neither name present leaves $caught empty, which fails the check below.
  caught=$(json_get "$last_out" caughtUp 2>/dev/null || json_get "$last_out" caught_up 2>/dev/null || true)
  [[ $caught == true ]] || fail "[$client] not caught up after the last change"
  pass "[$client] ListChanges through the gateway pages the incidents feed in order"
  rpc_ok "$client" "the exchanges feed, channels only" "$EXCHANGES/ListChanges" \
    '{"kinds": ["channels"]}'
  [[ $(changes_of "$last_out" | tr '\n' ' ') == "channels/remains-ru-ua@1 OPERATION_CREATED channels/pow-ru-ua@1 OPERATION_CREATED " ]] ||
    fail "[$client] channels in the exchanges feed: $(changes_of "$last_out")"
  pass "[$client] ListChanges filters by kind"
  expect_invalid "$client" "an unknown kind" "$EXCHANGES/ListChanges" \
    '{"kinds": ["incidents"]}' '^ ?kinds\[0\]'
  expect_invalid "$client" "a malformed position" "$INCIDENTS/ListChanges" \
    '{"after": "not-a-position"}' 'after'

  # --- an update with a FieldMask, in the client's JSON form ----------------
  E2E_TOKEN=$E2E_EDITOR_TOKEN
  rpc_ok "$client" "a correction" "$INCIDENTS/GetIncident" "{\"name\": \"$TRAIN\"}"
  etag=$(json_get "$last_out" metadata.etag)
  rpc_ok "$client" "a correction" "$INCIDENTS/UpdateIncident" "{
    \"incident\": {\"metadata\": {\"name\": \"$TRAIN\", \"etag\": \"$etag\"},
                   \"description\": \"corrected by the e2e test, pass $n\"},
    \"updateMask\": $(mask "$client" description)}"
  revision=$(json_get "$last_out" metadata.revision)
  pass "[$client] UpdateIncident takes the client's form of a FieldMask"

  # --- WatchChanges ----------------------------------------------------------
  stream "$client" 6 "$INCIDENTS/WatchChanges" "{\"after\": \"$position\"}" \
    "$work/watch-$client.json" &
  watcher=$!
  sleep 2
  E2E_TOKEN=$E2E_EDITOR_TOKEN
  rpc_ok "$client" "a new incident while watching" "$INCIDENTS/CreateIncident" "{
    \"incidentId\": \"watched-$client\",
    \"incident\": {\"title\": \"Shelling of a market, Kherson\",
      \"kind\": \"INCIDENT_KIND_SHELLING\", \"target\": \"TARGET_CATEGORY_OTHER\",
      \"occurred\": \"2026-01-29\",
      \"place\": {\"country\": \"UA\", \"admin1\": \"Kherson\", \"precision\": \"PRECISION_ADMIN1\"},
      \"sources\": [{\"publisher\": \"e2e\", \"reliability\": \"RELIABILITY_REPORTED\"}]}}"
  wait "$watcher"
  got=$(changes_of "$work/watch-$client.json" | tr '\n' ' ')
  [[ $got == *"$ENERGY@1 OPERATION_CREATED"* && $got == *"$TRAIN@$revision OPERATION_UPDATED"* &&
    $got == *"incidents/watched-$client@1 OPERATION_CREATED"* ]] ||
    fail "[$client] WatchChanges gave [$got] ($(head -c 300 "$work/watch-$client.json.err"))"
  [[ $got != *"$TRAIN@1 "* ]] || fail "[$client] WatchChanges went back before its position"
  pass "[$client] WatchChanges through the gateway: the backlog after a position, then a live create"
done

# --- parleyctl sync -------------------------------------------------------------
copy=$work/copy
editor sync --out="$copy" >"$work/sync1.out" 2>&1 || fail "first sync: $(cat "$work/sync1.out")"
[[ $(wc -l <"$copy/statements.jsonl") == 4 && $(wc -l <"$copy/exchanges.jsonl") == 2 ]] ||
  fail "first sync: $(wc -l "$copy"/*.jsonl)"
grep -q "\"$TRAIN\"" "$copy/incidents.jsonl" || fail "first sync lacks $TRAIN"
pass "parleyctl sync: the first run copies every record"

E2E_TOKEN=$E2E_EDITOR_TOKEN
client=${clients[0]}
rpc_ok "$client" "delete" "$INCIDENTS/DeleteIncident" "{\"name\": \"$ENERGY\"}"
rpc_ok "$client" "get" "$INCIDENTS/GetIncident" "{\"name\": \"$TRAIN\"}"
etag=$(json_get "$last_out" metadata.etag)
rpc_ok "$client" "update" "$INCIDENTS/UpdateIncident" "{
  \"incident\": {\"metadata\": {\"name\": \"$TRAIN\", \"etag\": \"$etag\"},
                 \"description\": \"synced correction\"},
  \"updateMask\": $(mask "$client" description)}"
editor sync --out="$copy" >"$work/sync2.out" 2>&1 || fail "second sync: $(cat "$work/sync2.out")"
! grep -q "\"$ENERGY\"" "$copy/incidents.jsonl" || fail "the deleted $ENERGY is still in the copy"
grep "\"$TRAIN\"" "$copy/incidents.jsonl" | grep -q "synced correction" ||
  fail "the copy lacks the correction of $TRAIN"
pass "parleyctl sync: a later run applies an update and a delete"

# A copy of some kinds, then of all: the new kinds are taken whole.
part=$work/part
editor sync --out="$part" --kinds=incidents >"$work/sync3.out" 2>&1 ||
  fail "sync of incidents only: $(cat "$work/sync3.out")"
[[ -s $part/incidents.jsonl && ! -e $part/statements.jsonl ]] ||
  fail "sync --kinds=incidents copied: $(ls "$part")"
editor sync --out="$part" >"$work/sync4.out" 2>&1 || fail "sync of all: $(cat "$work/sync4.out")"
[[ $(wc -l <"$part/statements.jsonl") == 4 ]] ||
  fail "after widening --kinds: $(wc -l <"$part/statements.jsonl") statements, expected 4"
pass "parleyctl sync: widening --kinds takes the new kinds whole"

"$CTL" --gateway="${E2E_ADDR[gateway]}" --token="$E2E_READER_TOKEN" sync \
  --out="$copy" --follow >"$work/follow.out" 2>&1 &
follower=$!
# wait_in_copy NAME: until the followed copy holds NAME (30 s).
wait_in_copy() {
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    grep -q "\"$1\"" "$copy/incidents.jsonl" 2>/dev/null && return 0
    sleep 0.2
  done
  fail "the followed copy never got $1 ($(tail -5 "$work/follow.out"))"
}
new_incident() {
  rpc_ok "$client" "create $1" "$INCIDENTS/CreateIncident" "{
    \"incidentId\": \"$1\",
    \"incident\": {\"title\": \"Drone strike, Sumy\", \"kind\": \"INCIDENT_KIND_DRONE_STRIKE\",
      \"target\": \"TARGET_CATEGORY_RESIDENTIAL\", \"occurred\": \"2026-01-30\",
      \"place\": {\"country\": \"UA\", \"admin1\": \"Sumy\", \"precision\": \"PRECISION_ADMIN1\"},
      \"sources\": [{\"publisher\": \"e2e\", \"reliability\": \"RELIABILITY_REPORTED\"}]}}"
}
sleep 1
new_incident followed-1
wait_in_copy incidents/followed-1
pass "parleyctl sync --follow applies a change as it commits"
stop_named gateway
start_gateway
use_server gateway
new_incident followed-2
wait_in_copy incidents/followed-2
pass "parleyctl sync --follow goes on across a gateway restart"
kill -INT "$follower"
rc=0
wait "$follower" || rc=$?
((rc == 0)) || fail "sync --follow exited $rc on Ctrl-C: $(tail -5 "$work/follow.out")"
grep -q "followed-2" "$copy/incidents.jsonl" || fail "the copy lost followed-2 on exit"
pass "parleyctl sync --follow stops on Ctrl-C, exit 0, the copy current"

for name in gateway incidents negotiations exchanges; do stop_named "$name"; done
echo "$passed passed, $failed failed"
