#!/usr/bin/env python3
"""Turns a soak run's buckets (parley-soak-load) and samples (tests/soak/run)
into per-minute figures, the verdicts, a Markdown summary, the figures as
JSON and a chart (a Vega-Lite spec, rendered to SVG and PNG when the
renderer is there).

Verdicts (exit 1 if one fails):
- every call of every type succeeded (a refused update would be the only
  expected error, and the single updater races no one, so none is allowed);
- every call type was called in every bucket after the first, the watcher
  saw changes and never ended with an error, and at least one backup was
  taken;
- full mode only (the quick mode's minute is all warm-up): after warm-up
  (the first third of the run, at least 2 minutes), each process's RSS
  grows less than 5% of its mean + 8 MiB over the rest of the run by its
  least-squares slope, open files by fewer than 5, and each call type's
  p99 in the last third is within 3x + 20 ms of the middle third's.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys

PROCESSES = ["exchanges", "negotiations", "incidents", "gateway"]
STORES = ["exchanges", "negotiations", "incidents"]


def slope(points):
    """Least-squares slope of [(x, y)]; 0 for fewer than two points."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return 0.0 if den == 0 else sum((x - mx) * (y - my) for x, y in points) / den


def read_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("buckets")
    p.add_argument("samples")
    p.add_argument("--mode", default="full")
    p.add_argument("--bucket_seconds", type=float, default=60)
    p.add_argument("--command", default="")
    p.add_argument("--git_rev", default="")
    p.add_argument("--out", required=True, help="path prefix of the results")
    a = p.parse_args()
    buckets = read_lines(a.buckets)
    samples = read_lines(a.samples)
    problems = []

    # --- calls, per bucket
    types = sorted({t for b in buckets for t in b["calls"]})
    totals = {t: {"calls": 0, "ok": 0, "failed": {}} for t in types}
    for b in buckets:
        for t, c in b["calls"].items():
            totals[t]["calls"] += c["calls"]
            totals[t]["ok"] += c["ok"]
            for code, n in c["failed"].items():
                totals[t]["failed"][code] = totals[t]["failed"].get(code, 0) + n
    for t, c in totals.items():
        if c["failed"]:
            problems.append(f"{t}: failed calls {c['failed']}")
    expected_every_bucket = [t for t in types if t != "backup"]
    for b in buckets[1:]:
        # The last bucket may be a sliver of the run's end.
        if b is buckets[-1] and len(buckets) > 2:
            continue
        for t in expected_every_bucket:
            if b["calls"].get(t, {}).get("calls", 0) == 0:
                problems.append(f"bucket {b['bucket']}: no {t} call")
    if totals.get("backup", {}).get("ok", 0) == 0:
        problems.append("no backup was taken")
    watch_events = sum(b["watch"]["events"] for b in buckets)
    watch_errors = {}
    for b in buckets:
        for code, n in b["watch"]["errors"].items():
            watch_errors[code] = watch_errors.get(code, 0) + n
    if watch_events == 0:
        problems.append("the change-feed watcher saw no change")
    if watch_errors:
        problems.append(f"the watcher's stream ended with errors {watch_errors}")
    for needed in ["create_exchange", "create_statement", "create_incident",
                   "batch_incidents", "update_incident", "list_incidents",
                   "report_agreement", "report_stalled", "report_talks",
                   "report_summary"]:
        if totals.get(needed, {}).get("ok", 0) == 0:
            problems.append(f"no {needed} call succeeded")

    # --- process figures, per minute (per bucket in quick mode)
    unit = a.bucket_seconds
    per = {}
    for s in samples:
        k = int(s["t"] // unit)
        per.setdefault(k, []).append(s)
    rows = []
    for k in sorted(per):
        group = per[k]
        row = {"minute": (k + 1) * unit / 60.0}
        for proc in PROCESSES:
            for key in ["rss_kib", "fds", "threads"]:
                row[f"{proc}.{key}"] = max(s[proc][key] for s in group)
        for store in STORES:
            row[f"{store}.store_bytes"] = group[-1][store]["store_bytes"]
            row[f"{store}.wal_files"] = max(s[store]["wal_files"] for s in group)
            row[f"{store}.table_files"] = max(s[store].get("table_files", 0) for s in group)
        rows.append(row)
    run_minutes = samples[-1]["t"] / 60.0 if samples else 0.0
    # The quick mode's minute is all warm-up: its trends are shown, not judged.
    warm = run_minutes / 3.0 if a.mode == "quick" else max(run_minutes / 3.0, 2.0)
    after = [s for s in samples if s["t"] / 60.0 >= warm]
    trends = {}
    for proc in PROCESSES:
        rss = [(s["t"] / 60.0, s[proc]["rss_kib"] / 1024.0) for s in after]
        # Open files other than the store's table and WAL files (which come
        # and go with the data, its flushes and compactions): what a handle
        # leak would grow.
        fds = [(s["t"] / 60.0, s[proc]["fds"] - s[proc].get("table_files", 0)
                - s[proc].get("wal_files", 0)) for s in after]
        threads = [(s["t"] / 60.0, s[proc]["threads"]) for s in after]
        span = (after[-1]["t"] - after[0]["t"]) / 60.0 if len(after) > 1 else 0.0
        mean_rss = sum(y for _, y in rss) / len(rss) if rss else 0.0
        trends[proc] = {
            "rss_mib_per_min": round(slope(rss), 3),
            "rss_mib_mean": round(mean_rss, 1),
            "rss_growth_mib_over_window": round(slope(rss) * span, 2),
            "fds_per_min": round(slope(fds), 3),
            "fds_growth_over_window": round(slope(fds) * span, 2),
            "threads_per_min": round(slope(threads), 3),
            "window_minutes": round(span, 1),
        }
        if a.mode == "full":
            if slope(rss) * span > 0.05 * mean_rss + 8:
                problems.append(
                    f"{proc}: RSS grows {slope(rss):.2f} MiB/min after warm-up "
                    f"({slope(rss) * span:.1f} MiB over {span:.0f} min, mean {mean_rss:.0f} MiB)")
            if slope(fds) * span >= 5:
                problems.append(f"{proc}: open files (besides table and WAL files) grow "
                                f"{slope(fds):.2f}/min after warm-up")

    # --- p99 per call type per bucket, and steadiness
    p99 = {t: [(b["t"] / 60.0, b["calls"][t]["p99_ms"]) for b in buckets
               if t in b["calls"] and b["calls"][t]["calls"] > 0] for t in types}
    steadiness = {}
    for t, pts in p99.items():
        if t == "backup" or len(pts) < 6:
            continue
        third = len(pts) // 3
        middle = sorted(y for _, y in pts[third:2 * third])
        last = sorted(y for _, y in pts[2 * third:])
        mid_med = middle[len(middle) // 2]
        last_med = last[len(last) // 2]
        steadiness[t] = {"p99_ms_middle_third": round(mid_med, 2),
                         "p99_ms_last_third": round(last_med, 2)}
        if a.mode == "full" and last_med > 3 * mid_med + 20:
            problems.append(f"{t}: p99 {last_med:.1f} ms in the last third, "
                            f"{mid_med:.1f} ms in the middle third")

    result = {
        "mode": a.mode, "command": a.command, "git_rev": a.git_rev,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cores": os.cpu_count()},
        "run_minutes": round(run_minutes, 1), "warm_up_minutes": round(warm, 1),
        "calls": totals, "watch": {"events": watch_events, "errors": watch_errors},
        "trends_after_warm_up": trends, "p99_steadiness": steadiness,
        "per_minute": rows, "p99_per_bucket": p99,
        "problems": problems, "passed": not problems,
    }
    with open(a.out + ".json", "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")

    # --- chart: one panel per figure, minutes along x
    values = []
    for r in rows:
        for proc in PROCESSES:
            values.append({"minute": r["minute"], "panel": "RSS (MiB)", "series": proc,
                           "value": r[f"{proc}.rss_kib"] / 1024.0})
            values.append({"minute": r["minute"], "panel": "open files", "series": proc,
                           "value": r[f"{proc}.fds"]})
            values.append({"minute": r["minute"], "panel": "threads", "series": proc,
                           "value": r[f"{proc}.threads"]})
        for store in STORES:
            values.append({"minute": r["minute"], "panel": "store size (MiB)", "series": store,
                           "value": r[f"{store}.store_bytes"] / 1048576.0})
            values.append({"minute": r["minute"], "panel": "WAL files", "series": store,
                           "value": r[f"{store}.wal_files"]})
            values.append({"minute": r["minute"], "panel": "table files", "series": store,
                           "value": r[f"{store}.table_files"]})
    for t, pts in p99.items():
        for x, y in pts:
            values.append({"minute": x, "panel": "p99 latency (ms, log)", "series": t,
                           "value": max(y, 0.01)})
    panels = ["RSS (MiB)", "open files", "threads", "store size (MiB)", "WAL files",
              "table files"]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": f"Parley soak: {run_minutes:.0f} min of mixed load through the gateway",
                  "subtitle": f"{a.command} at {a.git_rev}; warm-up ends at minute {warm:.0f}"},
        "data": {"values": values},
        "vconcat": [
            {"hconcat": [
                {"title": panel, "width": 260, "height": 140,
                 "transform": [{"filter": {"field": "panel", "equal": panel}}],
                 "mark": {"type": "line", "point": len(rows) < 40},
                 "encoding": {
                     "x": {"field": "minute", "type": "quantitative", "title": "minute"},
                     "y": {"field": "value", "type": "quantitative", "title": None},
                     "color": {"field": "series", "type": "nominal", "title": "process / store",
                               "scale": {"domain": PROCESSES}}}}
                for panel in panels[i:i + 3]]}
            for i in range(0, len(panels), 3)
        ] + [{
            "title": "p99 latency per call type (ms, log scale)", "width": 860, "height": 220,
            "transform": [{"filter": {"field": "panel", "equal": "p99 latency (ms, log)"}}],
            "mark": {"type": "line", "point": len(buckets) < 40},
            "encoding": {
                "x": {"field": "minute", "type": "quantitative", "title": "minute"},
                "y": {"field": "value", "type": "quantitative", "scale": {"type": "log"},
                      "title": "p99 ms"},
                "color": {"field": "series", "type": "nominal", "title": "call type",
                          "scale": {"scheme": "tableau20"}}}}],
        "resolve": {"scale": {"color": "independent"}},
    }
    with open(a.out + ".vl.json", "w") as f:
        json.dump(spec, f, indent=1)
    render = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "parleyctl",
                          "vega_render.js")
    chart_note = ""
    if shutil.which("node") and a.mode == "full":
        with open(a.out + ".svg", "w") as svg:
            done = subprocess.run(["node", render, a.out + ".vl.json"], stdout=svg)
        if done.returncode == 0 and shutil.which("rsvg-convert"):
            subprocess.run(["rsvg-convert", "-z", "1.5", "-b", "white", "-o",
                            a.out + ".png", a.out + ".svg"], check=False)
            chart_note = f"Chart: `{os.path.basename(a.out)}.png` (spec `.vl.json`)."

    # --- Markdown
    out = [f"# Soak ({a.mode})", "",
           f"`{a.command}` at {a.git_rev}, {result['date']}, {os.cpu_count()} cores; "
           f"{run_minutes:.1f} min; warm-up taken as the first {warm:.1f} min. "
           f"Result: **{'passed' if not problems else 'FAILED'}**.", ""]
    if chart_note:
        out += [chart_note, ""]
    out += ["| call type | calls | ok | failed | p99 ms (middle third / last third) |",
            "|---|---:|---:|---|---|"]
    for t in types:
        c = totals[t]
        st = steadiness.get(t)
        steady = f"{st['p99_ms_middle_third']} / {st['p99_ms_last_third']}" if st else "-"
        out.append(f"| {t} | {c['calls']} | {c['ok']} | {c['failed'] or 0} | {steady} |")
    out += ["", f"Change-feed watcher: {watch_events} changes, stream errors {watch_errors or 0}.", "",
            "| after warm-up | RSS mean (MiB) | RSS slope (MiB/min) | open files besides table and WAL files, slope (/min) | threads slope (/min) |",
            "|---|---:|---:|---:|---:|"]
    for proc in PROCESSES:
        tr = trends[proc]
        out.append(f"| {proc} | {tr['rss_mib_mean']} | {tr['rss_mib_per_min']} | "
                   f"{tr['fds_per_min']} | {tr['threads_per_min']} |")
    if rows:
        last = rows[-1]
        out += ["", "At the end: " + ", ".join(
            f"{s} {last[f'{s}.store_bytes'] / 1048576:.0f} MiB in {last[f'{s}.wal_files']} WAL file(s)"
            for s in STORES) + "."]
    if problems:
        out += ["", "## Problems", ""] + [f"- {x}" for x in problems]
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(out) + "\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
