#!/usr/bin/env python3
"""Writes ACLED-shaped rows: the columns of ACLED's export codebook, with
values drawn the way a year of a war looks in it (mostly day-precision
events, some dated only to a week or a month; regions named as ACLED names
them; a few sources each; notes with commas), newest first as ACLED's
exports list them. Deterministic for a seed.

    tests/bench/make_acled.py ROWS OUT.csv [--seed N] [--id_prefix UKR]
"""
import argparse
import csv
import datetime
import random

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
REGIONS = [
    ("Kharkiv", 49.99, 36.23), ("Donetsk", 48.00, 37.80),
    ("Zaporizhia", 47.84, 35.14), ("Kherson", 46.64, 32.62),
    ("Dnipropetrovsk", 48.46, 35.05), ("Sumy", 50.91, 34.80),
    ("Odesa", 46.48, 30.72), ("Mykolaiv", 46.98, 31.99),
    ("Kyiv", 50.45, 30.52), ("Luhansk", 48.57, 39.31),
]
SUB_EVENTS = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.45),
    ("Explosions/Remote violence", "Air/drone strike", 0.30),
    ("Battles", "Armed clash", 0.15),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.05),
    ("Strategic developments", "Looting/property destruction", 0.05),
]
SOURCES = ["Ukrinform", "Suspilne", "Ukrainska Pravda", "Kyiv Independent",
           "Ministry of Defence of Ukraine", "Telegram"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    # Another prefix makes another set of events (ids are the record ids).
    parser.add_argument("--id_prefix", default="UKR")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime.date(2025, 1, 1)
    weights = [w for _, _, w in SUB_EVENTS]
    with open(args.out, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for n in range(args.rows):
            # Newest first over 396 days, ids counting down with them.
            day = start + datetime.timedelta(days=395 - n * 396 // args.rows)
            event_type, sub_event, _ = rng.choices(SUB_EVENTS, weights)[0]
            region, lat, lon = rng.choice(REGIONS)
            # ACLED: most events to the day, some to a week or a month.
            precision = rng.choices([1, 2, 3], [0.90, 0.07, 0.03])[0]
            fatalities = rng.choices([0, 1, 2, 3, 5, 10], [60, 15, 10, 7, 5, 3])[0]
            sources = "; ".join(rng.sample(SOURCES, rng.randint(1, 3)))
            location = f"{region} settlement {rng.randrange(200)}"
            notes = (f"On {day.isoformat()}, {sub_event.lower()} near {location}, "
                     f"{region} oblast; {fatalities} reported killed.")
            out.writerow([
                f"{args.id_prefix}{args.rows - n}", day.isoformat(), day.year, precision,
                "Political violence", event_type, sub_event,
                "Military Forces of Russia (2000-)", "", 8,
                "Civilians (Ukraine)", "", 7, 78, "", 804, "Europe", "Ukraine",
                region, f"{region}skyi", "", location,
                f"{lat + rng.uniform(-0.5, 0.5):.4f}",
                f"{lon + rng.uniform(-0.5, 0.5):.4f}",
                rng.choices([1, 2, 3], [0.8, 0.15, 0.05])[0], sources,
                "National", notes, fatalities, "", 1700000000 + args.rows - n,
            ])


if __name__ == "__main__":
    main()
