#!/usr/bin/env python3
"""Turns one crash run's figures (parley-crash-driver --results) into the
results file (the same JSON with how and where it was taken) and a Markdown
summary: cycles, writes acknowledged and cut off, what the restarts found,
and the failures, if any."""
import argparse
import datetime
import json
import os
import platform


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release()}


def row(name, value):
    return f"| {name} | {value} |"


def service_table(r):
    domains = list(r.get("service", {}))
    lines = ["| | " + " | ".join(domains + ["all"]) + " |",
             "|---|" + "---:|" * (len(domains) + 1)]
    keys = [("cycles", "kill cycles"),
            ("kills_while_writing", "... killed while writing"),
            ("kills_while_stopping", "... killed while stopping (SIGTERM first)"),
            ("stopped_before_the_kill", "... stopped cleanly before the kill"),
            ("kills_while_starting", "extra kills while starting again"),
            ("power_losses", "kills followed by a simulated power loss"),
            ("unsynced_wal_bytes_dropped", "... unsynced WAL bytes dropped"),
            ("writes_acknowledged", "writes acknowledged"),
            ("writes_cut_off", "writes cut off by the kill"),
            ("cut_off_found_applied", "... found wholly applied"),
            ("cut_off_found_absent", "... found wholly absent"),
            ("lost", "**acknowledged writes lost**"),
            ("torn", "records neither before nor after a cut-off write"),
            ("create_retries", "creates retried with their request id"),
            ("create_retry_failures", "... not returning their record"),
            ("records_read_back", "records read back after restarts"),
            ("feed_reads_across_kills", "change-feed pages read across the kills"),
            ("feed_changes_checked", "change-feed entries checked against the feed read whole"),
            ("check_store_runs", "`--check_store` runs"),
            ("check_store_failures", "**`--check_store` failures**")]
    totals = r.get("service_totals", {})
    for key, name in keys:
        cells = [str(r["service"][d].get(key, "")) for d in domains]
        lines.append(f"| {name} | " + " | ".join(cells + [str(totals.get(key, ""))]) + " |")
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("markdown")
    p.add_argument("--command", default="")
    p.add_argument("--git_rev", default="")
    p.add_argument("--mode", default="")
    p.add_argument("--elapsed", type=int, default=0)
    a = p.parse_args()
    with open(a.results) as f:
        r = json.load(f)
    r["run"] = {"mode": a.mode, "command": a.command, "git_rev": a.git_rev,
                "elapsed_seconds": a.elapsed, "machine": machine(),
                "date": datetime.datetime.now(datetime.timezone.utc)
                .strftime("%Y-%m-%d %H:%M UTC")}
    with open(a.results, "w") as f:
        json.dump(r, f, indent=2)
        f.write("\n")

    run = r["run"]
    out = [f"# Crash run ({a.mode})", "",
           f"`{run['command']}` at {run['git_rev']}, {run['date']}, "
           f"{run['machine']['cores']} cores ({run['machine']['cpu']}); "
           f"{a.elapsed} s in all. "
           f"Result: **{'passed' if r['passed'] else 'FAILED'}**, "
           f"{r['failure_count']} failures.", ""]
    if r.get("service"):
        out += ["## Domain services killed mid-write", "",
                f"{r['writers']} writers; the kill {r['kill_delay_ms'][0]} to "
                f"{r['kill_delay_ms'][1]} ms after they start.", ""]
        out += service_table(r)
    g = r.get("gateway")
    if g:
        out += ["", "## Gateway killed mid-create", "",
                "| | |", "|---|---:|",
                row("kill cycles", g["cycles"]),
                row("creates sent (each with its own request id)", g["creates_sent"]),
                row("cut off, then retried with the same request id", g["creates_cut_off"]),
                row("records the services hold", g["records"]),
                row("**request ids with two records**", g["duplicates"]),
                row("**request ids with none**", g["missing"]),
                row("answered with another record than stored", g["answered_with_another_record"])]
    b = r.get("backup")
    if b:
        out += ["", "## Service killed during a backup", "",
                "| | |", "|---|---:|",
                row("kills during CreateBackup", b["cycles"]),
                row("an uninterrupted backup took (ms)", round(b["uninterrupted_backup_ms"])),
                row("backups answered before the kill", b["backups_answered_before_kill"]),
                row("backups cut off", b["backups_cut_off"]),
                row("... listed anyway (and so checked)", b["cut_off_backups_listed"]),
                row("backups listed", b["backups_listed"]),
                row("... restored and passing `--check_store`", b["backups_restored_and_checked"]),
                row("writes acknowledged meanwhile / lost", f"{b['writes_acknowledged']} / {b['lost']}")]
    reg = r.get("register")
    if reg:
        out += ["", "## Compare-and-set under kills (no lost updates)", "",
                f"{reg['clients']} clients (half through the gateway, half "
                f"straight to the service) read one of {reg['records']} hot "
                "records and write it back with the etag they read.", "",
                "| | |", "|---|---:|",
                row("kills of the service (of which while stopping)",
                    f"{reg['service_kills']} ({reg['killed_while_stopping']})"),
                row("... followed by a simulated power loss", reg["power_losses"]),
                row("kills of the gateway", reg["gateway_kills"]),
                row("updates tried", reg["updates_tried"]),
                row("acknowledged", reg["acknowledged"]),
                row("refused as stale (ABORTED)", reg["refused_stale"]),
                row("cut off (found applied / absent)",
                    f"{reg['cut_off']} ({reg['cut_off_found_applied']} / {reg['cut_off_found_absent']})"),
                row("revisions checked", reg["revisions_checked"]),
                row("**chains broken**", reg["chains_broken"]),
                row("acknowledged updates lost", reg["acknowledged_lost"]),
                row("acknowledged updates sharing a precondition", reg["shared_preconditions"]),
                row("refused updates applied", reg["refused_yet_applied"]),
                row("revisions no update sent / wrong content",
                    f"{reg['revisions_no_update_sent']} / {reg['wrong_content']}"),
                row("revisions with another actor / dated outside their call",
                    f"{reg['wrong_actor']} / {reg['dated_outside_call']}")]
    if r["failures"]:
        out += ["", "## Failures", ""] + [f"- {f}" for f in r["failures"][:50]]
    with open(a.markdown, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
