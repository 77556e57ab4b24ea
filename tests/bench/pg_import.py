#!/usr/bin/env python3
"""PostgreSQL's side of the bulk-import benchmark (tests/bench/run): the same
incidents Parley stored, loaded with COPY into tables that keep what Parley
keeps for each record, in one transaction.

    pg_import.py schema                 # the tables and indexes (SQL)
    pg_import.py rows EXPORT.jsonl OUT  # COPY input from `parleyctl export`
    pg_import.py load OUT               # the timed work (SQL)

What Parley writes per created incident, and its table here:
  - the record with its secondary index terms (region code and name,
    dataset, kind, target, attributed party) and its date order: `incidents`
    with one index per term and one on (first_day, last_day);
  - the request id, for idempotent retries: a unique index;
  - the first revision in the history, with actor and time: `history`;
  - a change-log entry: `changelog`;
  - the rollups (records, low/best/high sums, open totals) per scope (all,
    region code, region name) x span x occurrence x figure (killed,
    injured) x kind, added to what is there: `rollups`, INSERT ... SELECT
    ... GROUP BY ... ON CONFLICT DO UPDATE.
Turning the export into rows is not timed (Parley's import parses the ACLED
CSV inside its time); the COPY and the rest are, commit included.
"""
import json
import sys

SCHEMA = """
CREATE TABLE incidents (
  name text PRIMARY KEY, request_id text NOT NULL UNIQUE, revision int NOT NULL,
  dataset text, kind text, target text, party text,
  region_code text, region_name text,
  first_day date NOT NULL, last_day date NOT NULL, occurrence char NOT NULL,
  killed_low bigint, killed_best bigint, killed_high bigint,
  injured_low bigint, injured_best bigint, injured_high bigint,
  body jsonb NOT NULL);
CREATE INDEX ON incidents (region_code);
CREATE INDEX ON incidents (region_name);
CREATE INDEX ON incidents (dataset);
CREATE INDEX ON incidents (kind);
CREATE INDEX ON incidents (target);
CREATE INDEX ON incidents (party);
CREATE INDEX ON incidents (first_day, last_day);
CREATE TABLE history (
  name text NOT NULL, revision int NOT NULL, actor text NOT NULL,
  time timestamptz NOT NULL, body jsonb NOT NULL, PRIMARY KEY (name, revision));
CREATE TABLE changelog (
  seq bigserial PRIMARY KEY, name text NOT NULL, revision int NOT NULL,
  operation text NOT NULL, time timestamptz NOT NULL);
CREATE TABLE rollups (
  scope text NOT NULL, first_day date NOT NULL, last_day date NOT NULL,
  occurrence char NOT NULL, figure char NOT NULL, kind text NOT NULL,
  records bigint NOT NULL, low bigint NOT NULL, best bigint NOT NULL,
  high bigint NOT NULL, open bigint NOT NULL,
  PRIMARY KEY (scope, first_day, last_day, occurrence, figure, kind));
"""

LOAD = """
\\set ON_ERROR_STOP on
BEGIN;
COPY incidents FROM '{rows}';
INSERT INTO history SELECT name, revision, 'bench', now(), body FROM incidents;
INSERT INTO changelog (name, revision, operation, time)
  SELECT name, revision, 'created', now() FROM incidents ORDER BY name;
INSERT INTO rollups
  SELECT s.scope, i.first_day, i.last_day, i.occurrence, f.figure, i.kind,
         count(*), sum(coalesce(f.low, 0)), sum(coalesce(f.best, f.low, 0)),
         sum(coalesce(f.high, f.best, f.low, 0)),
         count(*) FILTER (WHERE f.high IS NULL)
  FROM incidents i
  CROSS JOIN LATERAL (VALUES ('all'), ('region|' || i.region_code),
                             ('region|' || i.region_name)) s (scope)
  CROSS JOIN LATERAL (VALUES ('k', i.killed_low, i.killed_best, i.killed_high),
                             ('i', i.injured_low, i.injured_best, i.injured_high))
                     f (figure, low, best, high)
  WHERE s.scope IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (scope, first_day, last_day, occurrence, figure, kind) DO UPDATE SET
    records = rollups.records + excluded.records, low = rollups.low + excluded.low,
    best = rollups.best + excluded.best, high = rollups.high + excluded.high,
    open = rollups.open + excluded.open;
COMMIT;
"""


def copy_text(value):
    if value is None:
        return "\\N"
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def rows(export_path, out_path):
    n = 0
    with open(export_path) as src, open(out_path, "w") as out:
        for line in src:
            r = json.loads(line)
            # parleyctl exports proto JSON (camelCase names).
            span = r["occurredSpan"]
            first, last = span["firstDay"], span["lastDay"]
            place = r.get("place", {})
            cas = r.get("casualties", {})
            k, i = cas.get("killed", {}), cas.get("injured", {})
            party = r.get("attribution", {}).get("party", {}).get("country")
            occurrence = "o" if (r.get("occurrence") == "OCCURRENCE_ONGOING"
                                 and first != last) else "x"
            fields = [
                r["metadata"]["name"], "import-" + r["metadata"]["name"], 1,
                r.get("provenance", {}).get("dataset"), r.get("kind"),
                r.get("target"), party, place.get("admin1Code"),
                (place.get("admin1") or "").lower() or None, first, last, occurrence,
                k.get("low"), k.get("best"), k.get("high"),
                i.get("low"), i.get("best"), i.get("high"), line.strip(),
            ]
            out.write("\t".join(copy_text(v) for v in fields) + "\n")
            n += 1
    print(n)


def main():
    if sys.argv[1:2] == ["schema"]:
        print(SCHEMA)
    elif sys.argv[1:2] == ["rows"] and len(sys.argv) == 4:
        rows(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["load"] and len(sys.argv) == 3:
        print(LOAD.format(rows=sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
