#!/usr/bin/env bash
# End-to-end test of parleyctl against the whole suite as processes (three
# domain services and the gateway), on the seed week in deploy/seed:
#
#   tests/e2e/parleyctl_e2e.sh PARLEYCTL EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY
#
# - importing the seed week twice stores it once;
# - every report's figures for the seed week, exactly (2,068 of 12,000
#   bodies; stalled since 2025-10; the train strike at least five killed);
# - a bad line is reported with its file, line and field errors while the
#   good lines load; a missing file and an unreachable gateway get their exit
#   codes;
# - export then import into a fresh suite gives the same records; CSV has
#   first/last-day columns.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ $# -ne 5 ]]; then
  echo "usage: $0 PARLEYCTL EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY" >&2
  exit 2
fi
readonly CTL=$1
shift
e2e_init_many parleyctl "exchanges negotiations incidents gateway" "$@"
readonly SEED=$_e2e_repo/deploy/seed
readonly AS_OF=2026-02-01

# check_json DESC PYTHON: the last stdout, parsed as `d`, makes PYTHON true.
check_json() {
  python3 - "$work/ctl.out" "$2" <<'PY' || fail "$1"
import ast, json, sys
d = json.load(open(sys.argv[1]))
# Statements, then one expression: the check's verdict.
tree = ast.parse(sys.argv[2].strip())
last = tree.body.pop()
scope = {"d": d}
exec(compile(tree, "check", "exec"), scope)
ok = eval(compile(ast.Expression(last.value), "check", "eval"), scope)
if not ok:
    sys.exit(f"not true: {sys.argv[2]}")
PY
  pass "$1"
}

seed_files=("$SEED/exchanges.jsonl" "$SEED/negotiations.jsonl" "$SEED/incidents.jsonl")

start_suite

# --- import, twice ------------------------------------------------------------
ctl import "${seed_files[@]}"
expect_rc "first import" 0
expect_out "first import" "^read 14, created 14, updated 0, unchanged 0 \(already there 0\), deleted 0, refused 0$"
pass "the seed week imports: 14 records"
ctl import "${seed_files[@]}"
expect_rc "second import" 0
expect_out "second import" "^read 14, created 0, updated 0, unchanged 14 \(already there 14\), deleted 0, refused 0$"
ctl export exchanges
[[ $(wc -l <"$last_out") == 2 ]] || fail "after two imports: $(wc -l <"$last_out") exchanges, expected 2"
ctl export statements
[[ $(wc -l <"$last_out") == 4 ]] || fail "after two imports: $(wc -l <"$last_out") statements, expected 4"
pass "importing again stores nothing new (2 exchanges, 4 statements)"

# --- reports --------------------------------------------------------------------
ctl report agreement istanbul-2025 --as_of=$AS_OF --json
expect_rc "agreement report" 0
check_json "agreement: 2,068 of 12,000 bodies, exact, on track" '
t = d["terms"][0]
(t["category"] == "CATEGORY_REMAINS" and t["quota"]["best"] == "12000"
and t["delivered"] == {"low": "2068", "best": "2068", "high": "2068", "qualifier": "QUALIFIER_EXACT"}
and t["verdict"] == "VERDICT_ON_TRACK"
and sorted(t["exchanges"]) == ["exchanges/remains-2025-11", "exchanges/remains-2026-w05"])'
check_json "agreement: by direction RU>UA 2,000 and UA>RU 68" '
({(x["fromParty"]["country"], x["toParty"]["country"]): x["delivered"]["best"]
 for x in d["terms"][0]["byDirection"]} == {("RU", "UA"): "2000", ("UA", "RU"): "68"})'
check_json "agreement: terms without a figure are undetermined" '
([t["verdict"] for t in d["terms"][1:]] == ["VERDICT_UNDETERMINED"] * 2)'
ctl report agreement istanbul-2025 --as_of=$AS_OF
expect_out "agreement table" "^remains +12000 +2068 +17\.2%"
pass "the agreement report prints as a table"

ctl report stalled --as_of=$AS_OF --json
check_json "stalled: the POW channel, since 2025-10, both sides' accusations" '
([c["channel"]["metadata"]["name"] for c in d["channels"]] == ["channels/pow-ru-ua"]
and d["channels"][0]["since"]["firstDay"] == "2025-10-01"
and sorted(s["party"]["country"] for s in d["channels"][0]["sides"]) == ["RU", "UA"]
and all(st["kind"] == "STATEMENT_KIND_ACCUSATION" for s in d["channels"][0]["sides"] for st in s["statements"]))'

ctl report talks uae-2026-01 --as_of=$AS_OF --json
check_json "talks: the train strike in the week after, at least five killed" '
("incidents/kharkiv-train-2026-01-27" in [i["metadata"]["name"] for i in d["after"]["incidents"]]
and d["after"]["killed"] == {"low": "5", "qualifier": "QUALIFIER_AT_LEAST"}
and d["during"]["span"]["firstDay"] == "2026-01-19")'

ctl report summary 2026-W05 --as_of=$AS_OF --json
check_json "summary: killed low 5 and no best; 1,000 and 38 transferred; 1 position opened" '
f = {x["label"]: x for x in d["figures"]}
(f["killed"]["value"] == {"low": "5", "qualifier": "QUALIFIER_AT_LEAST"}
and f["transferred: remains RU>UA"]["value"]["best"] == "1000"
and f["transferred: remains UA>RU"]["value"]["best"] == "38"
and f["positions opened"]["value"]["best"] == "1"
and f["incidents: drone strike"]["value"]["best"] == "1")'

# --- bad input ------------------------------------------------------------------
bad=$work/bad.jsonl
cat >"$bad" <<'JSONL'
{"metadata": {"name": "incidents/bad-one"}, "kind": "INCIDENT_KIND_SHELLING", "occurred": "2026-13", "target": "TARGET_CATEGORY_RESIDENTIAL", "place": {"country": "UA"}, "sources": [{"publisher": "x", "reliability": "RELIABILITY_REPORTED"}]}
{"metadata": {"name": "incidents/good-one"}, "kind": "INCIDENT_KIND_SHELLING", "occurred": "2026-01-30", "target": "TARGET_CATEGORY_RESIDENTIAL", "place": {"country": "UA", "admin1": "Kherson"}, "sources": [{"publisher": "x", "reliability": "RELIABILITY_REPORTED"}]}
not json
JSONL
ctl import "$bad"
expect_rc "import with bad lines" 1
expect_out "bad line named" "bad\.jsonl:1: INVALID_ARGUMENT"
expect_out "its field named" "incident\.occurred"
expect_out "garbage line named" "bad\.jsonl:3: "
expect_out "the good line loaded" "^read 3, created 1, .*, refused 2$"
pass "a bad line is reported with file, line and field; the good line loads"
ctl import "$work/no-such-file.jsonl"
expect_rc "missing file" 5
pass "a missing file exits 5"
"$CTL" --gateway=127.0.0.1:1 --timeout_seconds=3 report stalled >/dev/null 2>&1 && rc=0 || rc=$?
[[ $rc == 3 ]] || fail "unreachable gateway: exit code $rc, expected 3"
pass "an unreachable gateway exits 3"
E2E_TOKEN=$E2E_READER_TOKEN ctl import "${seed_files[@]}"
expect_rc "import with a reader's token" 4
expect_out "import with a reader's token" "editor"
E2E_TOKEN=not-a-token ctl report stalled
expect_rc "an unknown token" 4
E2E_TOKEN=$E2E_READER_TOKEN ctl report stalled --as_of=$AS_OF
expect_rc "a report with a reader's token" 0
pass "a reader's token reads but cannot import; an unknown token exits 4"
ctl report nonsense
expect_rc "unknown report" 2
ctl import --help
expect_rc "import --help" 0
expect_out "import --help" "JSON form"
pass "usage errors exit 2; every command has --help"

# --- export: tidy CSV, and a round trip into a fresh suite ----------------------
ctl export exchanges --format=csv --sources_out="$work/sources.csv"
head -1 "$last_out" | grep -q "occurred,occurred_first_day,occurred_last_day" ||
  fail "CSV header lacks the date columns"
cp "$last_out" "$work/exchanges.csv"
python3 - "$work/exchanges.csv" "$work/sources.csv" <<'PY' || fail "the tidy exchanges CSV is not what a spreadsheet wants"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
# One row per transfer: two exchanges of two transfers each.
got = sorted((r["name"], r["from_party"], r["to_party"], r["category"],
              r["count_low"], r["count_best"], r["count_high"],
              r["count_qualifier"], r["occurred"], r["occurred_first_day"],
              r["occurred_last_day"], r["occurred_precision"]) for r in rows)
want = sorted([
    ("exchanges/remains-2025-11", "RU", "UA", "remains", "1000", "1000", "1000", "exact", "2025-11", "2025-11-01", "2025-11-30", "month"),
    ("exchanges/remains-2025-11", "UA", "RU", "remains", "30", "30", "30", "exact", "2025-11", "2025-11-01", "2025-11-30", "month"),
    ("exchanges/remains-2026-w05", "RU", "UA", "remains", "1000", "1000", "1000", "exact", "2026-W05", "2026-01-26", "2026-02-01", "week"),
    ("exchanges/remains-2026-w05", "UA", "RU", "remains", "38", "38", "38", "exact", "2026-W05", "2026-01-26", "2026-02-01", "week"),
])
assert got == want, got
# No JSON in any cell.
assert not any(c.lstrip().startswith(("{", "[")) for r in rows for c in r.values()), "JSON in a cell"
sources = list(csv.DictReader(open(sys.argv[2], newline="")))
assert {s["name"] for s in sources} == {"exchanges/remains-2025-11", "exchanges/remains-2026-w05"}, sources
assert all(s["reliability"] in ("reported", "confirmed", "claimed", "disputed") for s in sources)
print(len(rows), "rows,", len(sources), "sources")
PY
pass "tidy CSV export: one row per transfer, dates as span, days and precision, sources as their own table"
ctl export incidents --format=csv
python3 - "$last_out" <<'PY' || fail "the tidy incidents CSV is not what a spreadsheet wants"
import csv, sys
rows = {r["name"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
train = rows["incidents/kharkiv-train-2026-01-27"]
assert (train["kind"], train["casualties_killed_low"], train["casualties_killed_best"],
        train["casualties_killed_qualifier"], train["place_admin1"], train["place_admin1_code"],
        train["occurred_precision"]) == ("drone strike", "5", "", "at least", "Kharkiv", "UA-63", "day"), train
energy = rows["incidents/energy-strikes-2025-11-2026-01"]
assert energy["occurrence"] == "ongoing" and energy["occurred_first_day"] == "2025-11-01", energy
print(len(rows), "incidents")
PY
pass "tidy CSV export of incidents: killed and injured as columns, the region's ISO code"

kinds=(agreements channels channelStatuses exchanges rounds positions statements incidents)
exported=$work/exported.jsonl
: >"$exported"
for kind in "${kinds[@]}"; do
  ctl export "$kind"
  expect_rc "export $kind" 0
  cat "$last_out" >>"$exported"
done
stop_suite
for name in exchanges negotiations incidents; do rm -rf "${E2E_DATA[$name]:?}"/*; done
start_suite
ctl import "$exported"
expect_rc "import of the export" 0
again=$work/again.jsonl
: >"$again"
for kind in "${kinds[@]}"; do
  ctl export "$kind"
  cat "$last_out" >>"$again"
done
python3 - "$exported" "$again" <<'PY' || fail "the re-imported records differ from the exported ones"
import json, sys
def records(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        name = r["metadata"]["name"]
        del r["metadata"]  # times, etags and revisions are the new store's own
        out[name] = r
    return out
a, b = records(sys.argv[1]), records(sys.argv[2])
if a != b:
    sys.exit(f"differ: {sorted(set(a) ^ set(b)) or [n for n in a if a[n] != b.get(n)]}")
print(f"{len(a)} records identical")
PY
pass "export, then import into a fresh suite, gives the same 15 records"

# The exchanges again from their tidy CSV, into a third store: the same
# records (their agreement and channels first, from JSON lines).
stop_suite
for name in exchanges negotiations incidents; do rm -rf "${E2E_DATA[$name]:?}"/*; done
start_suite
grep -v '^{"metadata":{"name":"exchanges/' "$exported" >"$work/no-exchanges.jsonl"
ctl import "$work/no-exchanges.jsonl"
expect_rc "import without exchanges" 0
ctl import --format=csv "$work/exchanges.csv"
expect_rc "import of the exchanges CSV" 0
expect_out "import of the exchanges CSV" "^read 2, created 2, .*, refused 0$"
ctl export exchanges
grep '^{"metadata":{"name":"exchanges/' "$exported" >"$work/exchanges-before.jsonl"
python3 - "$work/exchanges-before.jsonl" "$last_out" <<'PY' || fail "the exchanges read back from CSV differ"
import json, sys
def records(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        name = r["metadata"]["name"]
        del r["metadata"]
        out[name] = r
    return out
a, b = records(sys.argv[1]), records(sys.argv[2])
# The CSV cell keeps a source's publisher, attribution and reliability
# (the rest is in the sources table).
for r in list(a.values()) + list(b.values()):
    r["sources"] = [(s.get("publisher", ""), s.get("reliability")) for s in r["sources"]]
if a != b:
    sys.exit(f"differ: {[(a[n], b.get(n)) for n in a if a[n] != b.get(n)]}")
PY
pass "the exchanges' tidy CSV imports back into the same records"

# --- datasets: ACLED and UCDP GED exports, re-imported and pruned -----------------
readonly FIXTURES=$_e2e_repo/tests/fixtures
ctl import --format=acled "$FIXTURES/acled_ukraine.csv"
expect_rc "ACLED import with two bad rows" 1
expect_out "ACLED import" "^read 6, created 4, updated 0, unchanged 0 \\(already there 0\\), deleted 0, refused 2$"
expect_out "a bad precision code, by line" "acled_ukraine\.csv:6: time_precision"
ctl export incidents region=UA-63 dataset=acled
[[ $(wc -l <"$last_out") == 2 ]] ||
  fail "ACLED's Kharkiv and Kharkivska oblast: $(wc -l <"$last_out") incidents in UA-63, expected 2"
pass "ACLED rows load with their precision; two spellings of Kharkiv are one region"
# A newer export: one figure revised, one event withdrawn.
python3 - "$FIXTURES/acled_ukraine.csv" "$work/acled_newer.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=rows[0].keys())
out.writeheader()
for r in rows:
    if r["event_id_cnty"] == "UKR10003":
        continue
    if r["event_id_cnty"] == "UKR10001":
        r["fatalities"] = "6"
    out.writerow(r)
PY
ctl import --format=acled --delete_missing "$work/acled_newer.csv"
expect_rc "ACLED re-import" 1
expect_out "ACLED re-import" "^read 5, created 0, updated 1, unchanged 2 \\(already there 0\\), deleted 1, refused 2$"
ctl export incidents dataset=acled --format=csv
python3 - "$last_out" <<'PY' || fail "the re-imported ACLED records are not the newer export's"
import csv, sys
rows = {r["name"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
assert sorted(rows) == ["incidents/acled-ukr10001", "incidents/acled-ukr10002", "incidents/acled-ukr10006"], sorted(rows)
assert rows["incidents/acled-ukr10001"]["casualties_killed_low"] == "6"
assert rows["incidents/acled-ukr10001"]["revision"] == "2"
assert rows["incidents/acled-ukr10002"]["revision"] == "1"
assert rows["incidents/acled-ukr10002"]["occurred_precision"] == "week"
PY
pass "a newer ACLED export updates what changed, leaves the rest, deletes what it withdrew"
ctl import --format=ucdp-ged "$FIXTURES/ucdp_ged_ukraine.csv"
expect_rc "UCDP GED import with a bad row" 1
expect_out "UCDP GED import" "^read 4, created 3, .*, refused 1$"
ctl report summary 2026-W05 --as_of=$AS_OF --region=Kharkiv --json
check_json "summary of Kharkiv: UCDP's range of the 26th to 28th may fall in the week" '
f = {x["label"]: x for x in d["figures"]}
("incidents/ucdp-ged-552033" in f["killed"].get("records", []) + f["killed"].get("partlyIn", []))'

# Charts: tests/e2e/chart_e2e.sh.

stop_suite
echo "$passed passed, $failed failed"
