#!/usr/bin/env python3
"""What tests/faults/run asks of parley-faults-load's counts.

  phases.py expect OUT PHASE DESC EXPR  the closed phase PHASE (the last line
                                        of OUT so named) satisfies EXPR
  phases.py get OUT PHASE EXPR         print EXPR's value as JSON
  phases.py wait LIVE PHASE EXPR SECONDS  poll the open phase (LIVE) until it
                                        is PHASE and EXPR holds; print how
                                        long it took
  phases.py report OUT FACTS MD JSON    the results of a run as a table (MD)
                                        and as JSON, from the phases and the
                                        script's own figures (FACTS, JSON)

EXPR is Python over the phase's counts, with these names:
  s            the streams: s["exchanges"]["ok"], s["summary"]["missing"]...
  ok(n)        calls of stream n that succeeded
  calls(n)     all calls of stream n
  failed(n)    {CODE: count} of stream n's failed calls
  only(n, *codes)  stream n failed only with these codes (or not at all)
  clean(*ns)   none of these streams (default: all) failed
  NEGOTIATIONS, INCIDENTS  the services' names, as a summary's missing
               sections give them
"""
import json
import sys
import time


def names(phase):
    streams = phase["streams"]

    def only(n, *codes):
        return set(streams[n]["failed"]) <= set(codes)

    def clean(*ns):
        return all(not streams[n]["failed"] for n in (ns or streams))

    return {
        "NEGOTIATIONS": "parley.negotiations.v1.NegotiationsService",
        "INCIDENTS": "parley.incidents.v1.IncidentsService",
        "s": streams,
        "ok": lambda n: streams[n]["ok"],
        "calls": lambda n: streams[n]["calls"],
        "failed": lambda n: streams[n]["failed"],
        "only": only,
        "clean": clean,
    }


def load_phases(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def expect(out, phase_name, desc, expr):
    matching = [p for p in load_phases(out) if p["phase"] == phase_name]
    if not matching:
        print(f"no phase {phase_name} in {out}", file=sys.stderr)
        return 1
    phase = matching[-1]
    if eval(expr, names(phase)):  # noqa: S307 (our own expressions)
        return 0
    print(f"phase {phase_name}: {desc}: not ({expr})", file=sys.stderr)
    print(json.dumps(phase, indent=1, sort_keys=True)[:6000], file=sys.stderr)
    return 1


def get(out, phase_name, expr):
    matching = [p for p in load_phases(out) if p["phase"] == phase_name]
    if not matching:
        print(f"no phase {phase_name} in {out}", file=sys.stderr)
        return 1
    print(json.dumps(eval(expr, names(matching[-1]))))  # noqa: S307
    return 0


def wait(live, phase_name, expr, seconds):
    # LIVE is rewritten every 250 ms: right after a phase is opened it may
    # still hold the previous phase's counts, which must not satisfy EXPR.
    start = time.monotonic()
    phase = None
    while time.monotonic() - start < float(seconds):
        try:
            with open(live) as f:
                phase = json.load(f)
        except (OSError, ValueError):
            phase = None  # not written yet, or being replaced: read again
        if (phase is not None and phase.get("phase") == phase_name
                and eval(expr, names(phase))):  # noqa: S307
            print(f"{time.monotonic() - start:.2f}")
            return 0
        time.sleep(0.1)
    print(f"phase {phase_name}: not ({expr}) within {seconds} s",
          file=sys.stderr)
    if phase is not None:
        print(json.dumps(phase, indent=1, sort_keys=True)[:6000],
              file=sys.stderr)
    return 1


def cell(stream):
    """"ok / failed (codes)" for one stream in one phase."""
    failed = stream["failed"]
    text = f'{stream["ok"]}'
    if failed:
        text += " / " + ", ".join(f"{n} {c}" for c, n in sorted(failed.items()))
    return text


def report(out, facts_path, md_path, json_path):
    phases = load_phases(out)
    with open(facts_path) as f:
        facts = json.load(f)
    shown = [p for p in phases if p["phase"] not in ("", "start", "finished")]
    stream_names = list(shown[0]["streams"]) if shown else []
    lines = [
        f"# Faults under load: {facts.get('mode', '?')} run",
        "",
        f"Code: {facts.get('code', '?')}; machine: {facts.get('machine', '?')}.",
        f"Made by `tests/faults/run --{facts.get('mode', 'full')}`; what each "
        "phase means and what is",
        "checked: `docs/reliability.md`, section Faults.",
        "",
        "Calls per phase, through the gateway: ok / failed (by code); for the",
        "summary, how many named a section missing.",
        "",
        "| phase | s | " + " | ".join(stream_names) + " | summary missing |",
        "| --- | --- | " + " | ".join("---" for _ in stream_names) + " | --- |",
    ]
    for p in shown:
        cells = [cell(p["streams"][n]) for n in stream_names]
        missing = p["streams"].get("summary", {}).get("missing", {})
        # "parley.negotiations.v1.NegotiationsService" -> "negotiations"
        missing_text = ", ".join(f"{k.split('.')[1] if k.count('.') > 2 else k} {v}"
                                 for k, v in sorted(missing.items()))
        lines.append(f"| {p['phase']} | {p['seconds']:.1f} | "
                     + " | ".join(cells) + f" | {missing_text or '-'} |")
    lines += ["", "## Figures", ""]
    for key, value in facts.items():
        if key not in ("mode", "code", "machine"):
            lines.append(f"- {key}: {json.dumps(value, sort_keys=True)}")
    with open(md_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(json_path, "w") as f:
        json.dump({"facts": facts, "phases": shown}, f, indent=1,
                  sort_keys=True)
        f.write("\n")
    return 0


def main(argv):
    commands = {"expect": (expect, 4), "get": (get, 3), "wait": (wait, 4),
                "report": (report, 4)}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    command, arity = commands[argv[1]]
    if len(argv) != arity + 2:
        print(__doc__, file=sys.stderr)
        return 2
    return command(*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
