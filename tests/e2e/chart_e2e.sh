#!/usr/bin/env bash
# End-to-end test of parleyctl's charts against the whole suite as processes,
# on the seed week (deploy/seed), as a desk would make them:
#
#   tests/e2e/chart_e2e.sh PARLEYCTL EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY
#
# For each chart (agreement istanbul-2025, incidents 2026-01, talks
# uae-2026-01):
# - --format=vega-lite gives a specification that follows the Vega-Lite
#   schema, with the data inline: the x axis spans the data (and the
#   projection) and no more, a delivery dated to a month or a week is a band
#   over it, bounds stay bounds, the caption names the sources and times;
# - --format=svg is well-formed SVG with the headline and the caption;
# - --format=png is a PNG of a sensible size.
# And bad input: an unknown chart, a malformed span, --by or --format, PNG
# without --out, an unknown agreement, a renderer that is not there: each a
# clear message and its exit code, and no file left behind.
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ $# -ne 5 ]]; then
  echo "usage: $0 PARLEYCTL EXCHANGES NEGOTIATIONS INCIDENTS GATEWAY" >&2
  exit 2
fi
readonly CTL=$1
shift
e2e_init_many chart "exchanges negotiations incidents gateway" "$@"
readonly SEED=$_e2e_repo/deploy/seed
readonly RENDER=$_e2e_repo/tools/parleyctl/vega_render.js
readonly AS_OF=2026-02-01

# check_spec DESC FILE PYTHON: the Vega-Lite spec in FILE, parsed as `d`,
# makes PYTHON true. `rows(key)` is every inline data row with that key;
# `domains` every time axis's domain; `caption` the caption's text.
check_spec() {
  python3 - "$2" "$3" <<'PY' || fail "$1"
import ast, json, sys
d = json.load(open(sys.argv[1]))
def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)
def rows(key):
    return [r for n in walk(d) if isinstance(n.get("values"), list)
            for r in n["values"] if isinstance(r, dict) and key in r]
domains = [n["scale"]["domain"] for n in walk(d)
           if isinstance(n.get("scale"), dict) and n["scale"].get("type") == "utc"]
caption = "\n".join(d["title"]["text"])
tree = ast.parse(sys.argv[2].strip())
last = tree.body.pop()
scope = {"d": d, "rows": rows, "domains": domains, "caption": caption}
exec(compile(tree, "check", "exec"), scope)
if not eval(compile(ast.Expression(last.value), "check", "eval"), scope):
    sys.exit(f"not true: {sys.argv[2]}")
PY
  pass "$1"
}

# check_svg DESC FILE WORDS...: FILE parses as SVG and its text has WORDS.
check_svg() {
  local desc=$1 file=$2
  shift 2
  python3 - "$file" "$@" <<'PY' || fail "$desc"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
assert float(root.get("width")) > 640, root.get("width")
text = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))
for want in sys.argv[2:]:
    assert want in text, f"{want!r} not in the SVG's text: {text[:300]}"
PY
  pass "$desc"
}

# check_png DESC FILE: a PNG, 2x a chart's size: wider than 1280 px and of
# a height a chart has.
check_png() {
  python3 - "$2" <<'PY' || fail "$1"
import struct, sys
head = open(sys.argv[1], "rb").read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n", head[:8]
width, height = struct.unpack(">II", head[16:24])
assert 1280 <= width <= 2600 and 500 <= height <= 2400, (width, height)
PY
  pass "$1"
}

# chart KIND ID NAME: the chart in all three formats, into $work/NAME.*.
chart() {
  local kind=$1 id=$2 name=$3
  ctl chart "$kind" "$id" --as_of=$AS_OF --format=vega-lite --out="$work/$name.vl.json"
  expect_rc "chart $kind --format=vega-lite" 0
  node "$RENDER" --check "$work/$name.vl.json" 2>"$work/check.err" ||
    fail "the $kind chart's spec does not follow the Vega-Lite schema: $(cat "$work/check.err")"
  pass "the $kind chart's spec follows the Vega-Lite schema"
  ctl chart "$kind" "$id" --as_of=$AS_OF --out="$work/$name.svg"
  expect_rc "chart $kind (svg)" 0
  ctl chart "$kind" "$id" --as_of=$AS_OF --out="$work/$name.png"
  expect_rc "chart $kind (png, from the file's name)" 0
  check_png "the $kind chart renders to a PNG of a chart's size" "$work/$name.png"
}

start_suite
ctl import "$SEED/exchanges.jsonl" "$SEED/negotiations.jsonl" "$SEED/incidents.jsonl"
expect_rc "seed import" 0

# --- agreement ------------------------------------------------------------------
chart agreement istanbul-2025 agreement
check_spec "agreement: the x axis runs from the first delivery's month to the latest projected day" \
  "$work/agreement.vl.json" '
set(map(tuple, domains)) == {("2025-11-01", "2027-04-25")}'
check_spec "agreement: November's 1,000 is a band over November, surely delivered from December" \
  "$work/agreement.vl.json" '
b = {(r["series"], r["day"]): r for r in rows("open_high")}
(b[("RU to UA", "2025-11-01")]["low"] == 0 and b[("RU to UA", "2025-11-01")]["high"] == 1000
 and b[("RU to UA", "2025-12-01")]["low"] == 1000
 and b[("total", "2026-01-26")]["low"] == 1030 and b[("total", "2026-01-26")]["high"] == 2068
 and b[("total", "2026-02-02")]["low"] == 2068 and "2025-11-30" not in [r["day"] for r in rows("open_high")])'
check_spec "agreement: the quota, the projection as an interval, the caption's sources and times" \
  "$work/agreement.vl.json" '
shade = [r for r in rows("label") if r["label"].startswith("projected completion")]
(any(r.get("people") == 12000 for r in rows("label"))
 and shade and shade[0]["start"] == "2026-12-06" and shade[0]["end"] == "2027-04-25"
 and "Sources: News report (shared/seed-article.txt)" in caption
 and "As of 2026-02-01, as known at " in caption)'
check_svg "agreement: a well-formed SVG with its headline, quota, projection and caption" \
  "$work/agreement.svg" "Istanbul agreement" "quota 12,000" "projected completion" "Sources:" "As of 2026-02-01"

# --- incidents ------------------------------------------------------------------
chart incidents 2026-01 incidents
check_spec "incidents: the weeks of January 2026, no more" "$work/incidents.vl.json" '
set(map(tuple, domains)) == {("2025-12-29", "2026-02-02")}'
check_spec "incidents: the train strike in W05, the energy campaign ongoing in every week" \
  "$work/incidents.vl.json" '
c = {(r["period"], r["how"]): r["incidents"] for r in rows("how")}
(c == {(w, "ongoing here and beyond"): 1 for w in ["2026-W01", "2026-W02", "2026-W03", "2026-W04", "2026-W05"]}
      | {("2026-W05", "in the period"): 1})'
check_spec "incidents: killed in W05 is at least 5 (open above); unknown, not zero, before" \
  "$work/incidents.vl.json" '
k = {r["period"]: r for r in rows("mid") if "how" not in r and ("status" in r or "low" in r)}
(k["2026-W05"]["low"] == 5 and k["2026-W05"]["open_high"] is True
 and all(k[w]["status"] == "unknown" for w in ["2026-W01", "2026-W02", "2026-W03", "2026-W04"]))'
check_svg "incidents: a well-formed SVG with its headline and caption" \
  "$work/incidents.svg" "Incidents and killed per week" "Sources:" "As of 2026-02-01"
ctl chart incidents 2025-11-01/2026-01-31 --as_of=$AS_OF --format=vega-lite
expect_rc "chart incidents over three months" 0
check_spec "incidents over three months: by week; over a year: by month" "$work/ctl.out" '
len({r["period"] for r in rows("mid")}) == 14'
ctl chart incidents 2025 --as_of=$AS_OF --format=vega-lite
check_spec "incidents over a year: twelve months" "$work/ctl.out" '
sorted({r["period"] for r in rows("mid")}) == [f"2025-{m:02d}" for m in range(1, 13)]'

# --- talks ----------------------------------------------------------------------
chart talks uae-2026-01 talks
check_spec "talks: the three windows around the round, no more" "$work/talks.vl.json" '
set(map(tuple, domains)) == {("2026-01-12", "2026-02-02")}'
check_spec "talks: each record once over the days its date covers, cut at the edges" \
  "$work/talks.vl.json" '
r = {x["name"]: x for x in rows("lane")}
(len(r) == 8
 and (r["rounds/uae-2026-01"]["start"], r["rounds/uae-2026-01"]["end"]) == ("2026-01-19", "2026-01-26")
 and r["incidents/energy-strikes-2025-11-2026-01"]["start"] == "2026-01-12"
 and r["incidents/energy-strikes-2025-11-2026-01"]["span"] == "2025-11/2026-01"
 and r["incidents/energy-strikes-2025-11-2026-01"]["date"] == "ongoing over the span"
 and r["incidents/kharkiv-train-2026-01-27"]["date"] == "known to the day"
 and (r["exchanges/remains-2026-w05"]["start"], r["exchanges/remains-2026-w05"]["end"]) == ("2026-01-26", "2026-02-02")
 and r["statements/ru-accuses-ua-pow-delay"]["start"] == "2026-01-12")'
check_spec "talks: what was killed in each window, and the sources" "$work/talks.vl.json" '
([x["label"] for x in rows("window")] == ["before: killed unknown", "during: killed unknown", "after: killed at least 5"]
 and "Vladimir Medinsky (RU), Telegram" in caption)'
check_svg "talks: a well-formed SVG with its headline and caption" \
  "$work/talks.svg" "Trilateral talks" "Sources:"
ctl chart talks uae-2026-01 --as_of=$AS_OF --format=svg
expect_rc "chart talks to standard output" 0
[[ $(head -c 4 "$last_out") == "<svg" ]] || fail "chart without --out: no SVG on standard output"
pass "without --out the chart goes to standard output"

# --- bad input ------------------------------------------------------------------
ctl chart pie istanbul-2025
expect_rc "an unknown chart" 2
expect_err "an unknown chart" "agreement NAME \| incidents SPAN \| talks ROUND"
ctl chart incidents 2026-13 --out="$work/bad.svg"
expect_rc "a malformed span" 2
expect_err "a malformed span" "^chart: SPAN: "
ctl chart incidents 2026-01 --by=day --out="$work/bad.svg"
expect_rc "a bad --by" 2
expect_err "a bad --by" "--by is week or month"
ctl chart incidents 2000/2025 --by=week --out="$work/bad.svg"
expect_rc "too many periods" 2
expect_err "too many periods" "use --by=month"
ctl chart agreement istanbul-2025 --format=gif --out="$work/bad.svg"
expect_rc "a bad --format" 2
expect_err "a bad --format" "--format is svg, png or vega-lite"
ctl chart agreement istanbul-2025 --format=png
expect_rc "PNG to a terminal" 2
expect_err "PNG to a terminal" "give --out"
ctl chart agreement nowhere --out="$work/bad.svg"
expect_rc "an unknown agreement" 1
expect_err "an unknown agreement" "NOT_FOUND"
ctl chart agreement istanbul-2025 --chart_renderer=/nonexistent/render --out="$work/bad.svg"
expect_rc "a missing renderer" 1
expect_err "a missing renderer" "chart renderer \(/nonexistent/render\) failed: not found"
[[ ! -e $work/bad.svg ]] || fail "a failed chart left $work/bad.svg behind"
pass "bad input: clear errors, exit codes 2 (usage) and 1, and no file written"

stop_suite
echo "$passed passed, $failed failed"
