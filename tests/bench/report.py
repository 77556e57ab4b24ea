#!/usr/bin/env python3
"""Turns one benchmark run's figures (tests/bench/run) into the results file
(JSON: every figure, the machine, how it was taken) and a Markdown table with
the ratios issue 8 sets targets for, each marked met or not."""
import argparse
import datetime
import json
import os
import platform
import subprocess


def load(results, name):
    path = os.path.join(results, name + ".json")
    with open(path) as f:
        return json.load(f)


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    # A tree with changes is not the commit: say so.
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no",
                       "--", ".", ":!tests/bench/results"],
                      capture_output=True, text=True).stdout.strip():
        commit += "-dirty"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1),
            "kernel": platform.release(), "commit": commit}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode")
    p.add_argument("--seconds", type=float)
    p.add_argument("--small", type=int)
    p.add_argument("--large", type=int)
    p.add_argument("--import_rows", type=int)
    p.add_argument("results")
    p.add_argument("json_out")
    p.add_argument("md_out")
    a = p.parse_args()
    r = lambda name: load(a.results, name)
    # Before this run's own files are written: they would make any tree dirty.
    taken_on = machine()

    figures = {name[:-5]: load(a.results, name[:-5])
               for name in sorted(os.listdir(a.results)) if name.endswith(".json")}
    targets = []

    def target(what, value, goal, ok):
        targets.append({"what": what, "value": round(value, 3), "goal": goal, "met": ok})

    rows = ["| figure | clients | calls/s | p50 ms | p99 ms | p99.9 ms | server CPU us/call |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    short = {"exchanges": "ex", "gateway": "gw", "empty_server": "empty", "bare_proxy": "proxy"}

    def row(label, f):
        if f.get("missing_responses"):
            label += f" (sections left out: {', '.join(f.get('missing') or ['some'])})"
        # Under 1 us a call is a server idling beside the run.
        cpu = ", ".join(f"{short.get(k, k)} {v:.0f}"
                        for k, v in (f.get("cpu_us_per_call") or {}).items() if v >= 1)
        rows.append(f"| {label} | {f['concurrency']} | {f['throughput']:.0f} | "
                    f"{f['p50_ms']:.2f} | {f['p99_ms']:.2f} | {f['p999_ms']:.2f} | {cpu or '-'} |")

    for c in (1, 8, 64):
        row("create, direct", r(f"create-direct-{c}"))
        row("create, through the gateway", r(f"create-gateway-{c}"))
        row("insert, PostgreSQL 15 (pgbench)", r(f"create-postgresql-{c}"))
    row("empty handler (ceiling)", r("empty-direct-64"))
    row("empty handler through a bare proxy (ceiling)", r("empty-proxy-64"))
    for c in (1, 16):
        row("empty handler (ceiling)", r(f"get-empty-{c}"))
        row("empty handler through a bare proxy (ceiling)", r(f"get-proxy-{c}"))
        row("GetAgreement, direct", r(f"get-direct-{c}"))
        row("GetAgreement, through the gateway", r(f"get-gateway-{c}"))
        row("ListExchanges, direct", r(f"list-direct-{c}"))
        row("ListExchanges, through the gateway", r(f"list-gateway-{c}"))
    for size in (a.small, a.large):
        row(f"GetSummary, {size} records", r(f"summary-{size}"))
        row(f"GetAgreementProgress, {size} records", r(f"progress-{size}"))

    gw64, pg64, gw1 = r("create-gateway-64"), r("create-postgresql-64"), r("create-gateway-1")
    target("creates through the gateway at 64 clients / PostgreSQL at 64",
           gw64["throughput"] / pg64["throughput"], ">= 1", gw64["throughput"] >= pg64["throughput"])
    target("creates through the gateway: 64 clients / 1 client",
           gw64["throughput"] / gw1["throughput"], ">= 10", gw64["throughput"] >= 10 * gw1["throughput"])
    g, d, e = r("get-gateway-16"), r("get-direct-16"), r("get-empty-16")
    target("Get throughput at 16 clients: gateway / direct", g["throughput"] / d["throughput"],
           ">= 0.8", g["throughput"] >= 0.8 * d["throughput"])
    target("Get throughput at 16 clients: direct / empty handler",
           d["throughput"] / e["throughput"], ">= 0.5", d["throughput"] >= 0.5 * e["throughput"])
    # What no gateway could beat here: the bare proxy against the handler.
    ep = r("empty-proxy-64")
    target("ceiling: a do-nothing call through a bare proxy at 64 clients / PostgreSQL at 64",
           ep["throughput"] / pg64["throughput"], "(reported)", True)
    p16 = r("get-proxy-16")
    target("ceiling: a do-nothing call at 16 clients, through a bare proxy / direct",
           p16["throughput"] / e["throughput"], "(reported)", True)
    g1, d1 = r("get-gateway-1"), r("get-direct-1")
    added_p50 = g1["p50_ms"] - d1["p50_ms"]
    added_p99 = g1["p99_ms"] - d1["p99_ms"]
    target("gateway's added latency at p50, 1 client (ms)", added_p50, "(reported)", True)
    target("gateway's added latency at p99, 1 client (ms)", added_p99, "<= 0.5", added_p99 <= 0.5)
    s_small, s_large = r(f"summary-{a.small}"), r(f"summary-{a.large}")
    target(f"Summary p50: {a.large} records / {a.small} records",
           s_large["p50_ms"] / s_small["p50_ms"], "<= 1.2", s_large["p50_ms"] <= 1.2 * s_small["p50_ms"])
    p_small, p_large = r(f"progress-{a.small}"), r(f"progress-{a.large}")
    target(f"AgreementProgress p50: {a.large} records / {a.small} records",
           p_large["p50_ms"] / p_small["p50_ms"], "(reported)", True)

    # Bulk import: parleyctl through the gateway against PostgreSQL's COPY of
    # the same records and what is kept beside them.
    imp, pgi, one = r("import-parley"), r("import-postgresql"), r("import-one-by-one")
    target(f"bulk import of {imp['rows']} ACLED rows through the gateway / PostgreSQL COPY "
           "of the same work (rows/s)", imp["rows_per_second"] / pgi["rows_per_second"],
           ">= 1", imp["rows_per_second"] >= pgi["rows_per_second"])
    if imp["rows"] >= 1000000:
        target(f"bulk import of {imp['rows']} rows through the gateway (s)", imp["seconds"],
               "< 60", imp["seconds"] < 60)
    else:
        target(f"bulk import, 1,000,000 rows at this run's rate (s, extrapolated from "
               f"{imp['rows']})", 1e6 / imp["rows_per_second"], "(reported; full mode: < 60)",
               True)
    target("bulk import / the old one-by-one path (rows/s)",
           imp["rows_per_second"] / one["rows_per_second"], "(reported)", True)
    fs, g1c = r("fsync"), r("group-commit-1")
    d1 = r("create-direct-1")
    target("WAL syncs per create at 1 client", g1c["wal_syncs"] / max(1, g1c["writes"]),
           "<= 1", g1c["wal_syncs"] <= g1c["writes"])
    target("mean WAL sync at 1 client / one fdatasync (pg_test_fsync)",
           g1c["mean_wal_sync_us"] / fs["fdatasync_us"], "(reported)", True)
    target("create p50 at 1 client, direct / one fdatasync",
           d1["p50_ms"] * 1000 / fs["fdatasync_us"], "(reported)", True)

    group = r("group-commit-64")
    rss = r("peak-rss")
    lines = [f"Mode {a.mode}: {a.seconds:g} s per figure, closed-loop clients; "
             f"taken {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC.", ""]
    lines += rows
    lines += ["", "| target | value | goal | met |", "| --- | ---: | --- | --- |"]
    lines += [f"| {t['what']} | {t['value']} | {t['goal']} | {'yes' if t['met'] else 'NO'} |"
              for t in targets]
    lines += ["", f"RocksDB writes per WAL sync at 64 clients: {group['writes_per_sync']:.1f} "
              f"({group['writes']:.0f} writes, {group['wal_syncs']:.0f} syncs).",
              "", "Peak RSS: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in rss.items()) + "."]
    mib = lambda v: f"{v / 2**20:.0f} MiB"
    # Each side's time is the mean of its rounds, taken in turn.
    rounds = lambda f: ("rounds " + " and ".join(f"{s:.1f}" for s in f["rounds_seconds"])
                        + " s (mean shown); " if "rounds_seconds" in f else "")
    lines += ["", "| bulk import | rows | seconds | rows/s | notes |",
              "| --- | ---: | ---: | ---: | --- |",
              f"| parleyctl import --format=acled, through the gateway | {imp['rows']} | "
              f"{imp['seconds']:.1f} | {imp['rows_per_second']:.0f} | "
              + rounds(imp) +
              f"{imp['writes_per_sync']:.1f} writes per WAL sync; CPU s: "
              + ", ".join(f"{k} {v:.1f}" for k, v in imp["cpu_seconds"].items())
              + "; peak RSS: " + ", ".join(f"{k} {mib(v)}" for k, v in imp["peak_rss"].items())
              + " |",
              f"| PostgreSQL 15: COPY + history + change log + rollups, one transaction | "
              f"{pgi['rows']} | {pgi['seconds']:.1f} | {pgi['rows_per_second']:.0f} | "
              + rounds(pgi) +
              "the same records, exported from Parley; turning them into rows not timed |",
              f"| parleyctl import, one record per call, one in flight | {one['rows']} | "
              f"{one['seconds']:.1f} | {one['rows_per_second']:.0f} | "
              f"{imp['rows']} rows would take {one['extrapolated_seconds']:.0f} s |",
              "", f"One 8 kB write + fdatasync here (pg_test_fsync): {fs['fdatasync_us']:.0f} us; "
              f"a create at 1 client, direct: p50 {d1['p50_ms'] * 1000:.0f} us, "
              f"{g1c['wal_syncs'] / max(1, g1c['writes']):.2f} WAL syncs per write, "
              f"mean WAL sync {g1c['mean_wal_sync_us']:.0f} us."]
    md = "\n".join(lines) + "\n"
    with open(a.md_out, "w") as f:
        f.write(md)
    with open(a.json_out, "w") as f:
        json.dump({"mode": a.mode, "seconds_per_figure": a.seconds, "machine": taken_on,
                   "taken_utc": datetime.datetime.utcnow().isoformat(timespec="seconds"),
                   "figures": figures, "targets": targets}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
