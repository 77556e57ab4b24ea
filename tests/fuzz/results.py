#!/usr/bin/env python3
"""Turns one `tests/fuzz/run --full` (a summary line per target and its
libFuzzer log) into the results file (JSON: every figure, the machine, how
it was run) and a Markdown table, for docs/reliability.md. A run of some
targets replaces their entries in an existing results file and keeps the
rest."""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    # A tree with changes is not the commit: say so. The corpora and these
    # results are what the run itself rewrites.
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no",
                       "--", ".", ":!tests/fuzz/corpus", ":!tests/fuzz/results"],
                      capture_output=True, text=True).stdout.strip():
        commit += "-dirty"
    clang = subprocess.run(["clang++-14", "--version"], capture_output=True,
                           text=True).stdout.splitlines()
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "compiler": clang[0] if clang else "", "commit": commit}


# libFuzzer's status lines: "#1234	NEW    cov: 567 ft: 890 corp: 12/3456b ..."
STATUS = re.compile(r"^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")
STAT = re.compile(r"^stat::(\w+):\s+(\d+)")


def parse_log(path):
    figures = {"executions": 0, "exec_per_sec": 0, "cov": 0, "ft": 0,
               "new_units": 0, "peak_rss_mb": 0}
    with open(path, errors="replace") as f:
        for line in f:
            m = STATUS.match(line)
            if m:
                figures["cov"] = int(m.group(2))
                figures["ft"] = int(m.group(3))
                continue
            m = STAT.match(line)
            if not m:
                continue
            key, value = m.group(1), int(m.group(2))
            if key == "number_of_executed_units":
                figures["executions"] = value
            elif key == "average_exec_per_sec":
                figures["exec_per_sec"] = value
            elif key == "new_units_added":
                figures["new_units"] = value
            elif key == "peak_rss_mb":
                figures["peak_rss_mb"] = value
    return figures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("summary")
    p.add_argument("json_out")
    p.add_argument("md_out")
    a = p.parse_args()

    targets = []
    with open(a.summary) as f:
        for line in f:
            name, log, status, crashes, files, size = line.rstrip("\n").split("\t")
            t = {"target": name, **parse_log(log), "exit_status": int(status),
                 "crashes": int(crashes), "corpus_files": int(files),
                 "corpus_bytes": int(size)}
            targets.append(t)
    taken = datetime.datetime.utcnow()
    host = machine()
    for t in targets:
        t["seconds"] = a.seconds
        t["taken_utc"] = taken.isoformat(timespec="seconds")
        t["commit"] = host["commit"]
    # A run of some targets updates theirs and keeps the others' figures.
    if os.path.exists(a.json_out):
        with open(a.json_out) as f:
            earlier = json.load(f).get("targets", [])
        ran = {t["target"] for t in targets}
        order = [t["target"] for t in earlier]
        targets = [t for t in earlier if t["target"] not in ran] + targets
        targets.sort(key=lambda t: order.index(t["target"])
                     if t["target"] in order else len(order))
    total = sum(t["executions"] for t in targets)
    crashes = sum(t["crashes"] for t in targets)

    rows = ["| target | seconds | executions | exec/s | cov | ft | corpus (files, KiB) | crashes |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t in targets:
        rows.append(f"| {t['target']} | {t['seconds']:g} | {t['executions']:,} | "
                    f"{t['exec_per_sec']:,} | "
                    f"{t['cov']:,} | {t['ft']:,} | {t['corpus_files']}, "
                    f"{t['corpus_bytes'] / 1024:.1f} | {t['crashes']} |")
    rows.append(f"| **all** | {sum(t['seconds'] for t in targets):g} | **{total:,}** | | | | "
                f"{sum(t['corpus_files'] for t in targets)}, "
                f"{sum(t['corpus_bytes'] for t in targets) / 1024:.1f} | {crashes} |")
    runs = sorted({(t["taken_utc"][:16].replace("T", " "), t["commit"]) for t in targets})
    lines = ["One target at a time (libFuzzer, one job; clang-14 with ASan and "
             "UBSan); taken "
             + "; ".join(f"{when} UTC at {commit}" for when, commit in runs)
             + ". cov: code edges reached; ft: libFuzzer's features (edges with "
             "hit counts); corpus: after the merge.", ""] + rows
    with open(a.md_out, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(a.json_out, "w") as f:
        json.dump({"machine": host, "total_executions": total,
                   "total_crashes": crashes, "targets": targets}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
