# SPDX-License-Identifier: Apache-2.0
"""A drawn council as files: one CSV in the canonical columns (`earlyhelp link --input`), or one
CSV per stream of the built-in schema (`earlyhelp link --data`); the ground truth apart.

    out/records.csv                  (write_input)   or   out/<stream>.csv ...  (write_data)
    out/truth/records.csv            record_id, source, person_id, household_id
    out/truth/persons.csv            person_id, household_id, role, community, sex, dob, twin_of, named_after
    out/truth/households.csv         household_id, kind, size, homes (address ids, ';' between moves)
"""

from __future__ import annotations

import csv
import pathlib
import random

from .sources import BY_NAME

# Each source as a stream of the built-in schema (`earlyhelp schema --format json`): the stream,
# the canonical fields it carries (by the schema's columns), and its required non-identity columns.
SCHEMA_STREAMS: dict[str, tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "education": ("school_exclusions", ("first_name", "surname", "dob", "sex", "postcode"),
                  {"start_date": ("@date",), "category": ("suspension", "permanent_exclusion")}),
    "revenues": ("council_tax", ("first_name", "surname", "address", "town", "postcode", "uprn"),
                 {"account_ref": ("@ref",), "snapshot_date": ("@date",), "arrears_gbp": ("0.00", "125.50", "410.00")}),
    "social_care": ("social_care_contacts", ("first_name", "surname", "dob", "sex", "address", "town", "postcode"),
                    {"contact_date": ("@date",), "outcome": ("nfa", "information_advice", "early_help", "referral")}),
    "health": ("health_mental_health", ("first_name", "surname", "dob", "sex", "postcode", "nhs_number"),
               {"contact_date": ("@date",), "service": ("adult_community", "camhs", "talking_therapies")}),
    "police": ("police_domestic_abuse", ("first_name", "surname", "dob", "sex", "address", "town", "postcode"),
               {"incident_ref": ("@ref",), "incident_date": ("@date",), "role": ("victim", "perpetrator", "other")}),
    "yot": ("youth_offending", ("first_name", "surname", "dob", "sex", "address", "postcode"),
            {"offence_date": ("@date",), "outcome": ("community_resolution", "youth_caution", "referral_order")}),
    "housing": ("housing_tenancy", ("first_name", "surname", "dob", "address", "town", "postcode", "uprn"),
                {"tenancy_ref": ("@ref",), "tenure_type": ("secure", "introductory", "temporary_accommodation"),
                 "start_date": ("@date",)}),
    "dwp": ("dwp_benefits", ("first_name", "surname", "dob", "sex", "postcode"),
            {"snapshot_date": ("@date",), "benefit_type": ("uc", "esa", "pip", "pension_credit")}),
}
# the schema's column for a canonical field where the two differ
SCHEMA_COLUMN = {"address": "address_line", "uprn": {"council_tax": "property_uprn", "housing_tenancy": "property_uprn"}}
SEX_CODES = {"Female": "F", "Male": "M"}
CANONICAL = ("record_id", "source", "first_name", "surname", "dob", "sex", "address", "town", "postcode",
             "nhs_number", "uprn", "record_date")


def schema_name(source: str) -> str:
    """The built-in schema's name for one of the generator's sources."""
    return SCHEMA_STREAMS[source][0]


def as_streams(record) -> dict:
    """A record cut to what its schema stream carries: fields the stream lacks are blank, sex codes
    are the schema's (F/M), the source is the stream's name. The same cut feeds `write_data` and the
    single-file comparison, so --input and --data see the same evidence."""
    stream, fields, _ = SCHEMA_STREAMS[record.source]
    row = {c: "" for c in CANONICAL}
    row.update(record_id=record.record_id, source=stream, record_date=record.record_date)
    for f in fields:
        row[f] = getattr(record, f)
    row["sex"] = SEX_CODES.get(row["sex"], row["sex"])
    return row


def _canonical(record, schema_names: bool) -> dict:
    row = {c: getattr(record, c) for c in CANONICAL}
    if schema_names:
        row["source"] = schema_name(record.source)
    return row


def _write_csv(path: pathlib.Path, columns, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def write_truth(council, out: pathlib.Path) -> None:
    truth = out / "truth"
    _write_csv(truth / "records.csv", ("record_id", "source", "person_id", "household_id"),
               ({"record_id": r.record_id, "source": r.source, "person_id": r.person_id,
                 "household_id": r.household_id} for r in council.records))
    _write_csv(truth / "persons.csv",
               ("person_id", "household_id", "role", "community", "sex", "dob", "twin_of", "named_after"),
               ({"person_id": p.person_id, "household_id": h.household_id, "role": p.role, "community": p.community,
                 "sex": p.sex, "dob": p.dob.isoformat(), "twin_of": p.twin_of, "named_after": p.named_after}
                for h in council.households for p in h.members))
    _write_csv(truth / "households.csv", ("household_id", "kind", "size", "homes"),
               ({"household_id": h.household_id, "kind": h.kind, "size": len(h.members),
                 "homes": ";".join(str(a.address_id) for _, a in h.homes)} for h in council.households))


def rows(council, *, streams_cut: bool = False, record_dates: bool = True) -> list[dict]:
    """The records in the canonical columns, as `write_input` writes them (see there)."""
    if streams_cut:
        out = [as_streams(r) for r in council.records]
    else:
        out = [_canonical(r, council.knobs.schema_names) for r in council.records]
    if not record_dates:
        for row in out:
            row["record_date"] = ""
    return out


def write_input(council, out, *, streams_cut: bool = False, record_dates: bool = True) -> pathlib.Path:
    """out/records.csv in the canonical columns (no middle name; NHS number and UPRN columns only
    with Knobs.identifiers) and the truth. With `streams_cut`, each record is cut to its schema
    stream's fields as `write_data` would write it; without `record_dates`, the record_date column
    is left out. Returns the records file."""
    out = pathlib.Path(out)
    columns = [c for c in CANONICAL if council.knobs.identifiers or c not in ("nhs_number", "uprn")]
    if not record_dates:
        columns.remove("record_date")
    _write_csv(out / "records.csv", columns, rows(council, streams_cut=streams_cut))
    write_truth(council, out)
    return out / "records.csv"


def write_data(council, out) -> pathlib.Path:
    """out/<stream>.csv, one per schema stream in its own columns, and the truth. Returns out."""
    out = pathlib.Path(out)
    rng = random.Random(f"robust-council/streams/{council.knobs.seed}")
    by_stream: dict[str, list[dict]] = {}
    for r in council.records:
        stream, fields, required = SCHEMA_STREAMS[r.source]
        cut = as_streams(r)
        row = {"record_id": r.record_id}
        for f in fields:
            row[_column(f, stream)] = cut[f]
        for column, values in required.items():
            row[column] = (r.record_date if values == ("@date",) else
                           f"R{r.record_id}" if values == ("@ref",) else rng.choice(values))
        by_stream.setdefault(stream, []).append(row)
    for source in BY_NAME:
        stream, fields, required = SCHEMA_STREAMS[source]
        columns = ["record_id"] + [_column(f, stream) for f in fields] + list(required)
        if not council.knobs.identifiers:
            columns = [c for c in columns if c not in ("nhs_number", "uprn", "property_uprn")]
        _write_csv(out / f"{stream}.csv", columns, by_stream.get(stream, []))
    write_truth(council, out)
    return out


def _column(field: str, stream: str) -> str:
    column = SCHEMA_COLUMN.get(field, field)
    return column.get(stream, field) if isinstance(column, dict) else column
