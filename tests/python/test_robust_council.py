# SPDX-License-Identifier: Apache-2.0
"""The robustness benchmark's council generator (benchmarks/robust_council): fixed by its seed,
truth and records agree, and each knob moves what it says."""

import collections
import csv
import dataclasses
import json
import sys

import pytest

from conftest import SOURCE_DIR

sys.path.insert(0, str(SOURCE_DIR / "benchmarks"))
from robust_council import NO_DOB_ORDER, Knobs, generate, write_data, write_input  # noqa: E402
from robust_council.sources import SOURCES  # noqa: E402
from robust_council.write import SCHEMA_STREAMS  # noqa: E402

SMALL = 1500


def draw(**changes):
    return generate(Knobs(persons=SMALL, **changes))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def default():
    return draw()


def test_same_seed_same_council_other_seed_other():
    first, again = generate(Knobs(persons=600, seed=7)), generate(Knobs(persons=600, seed=7))
    assert [dataclasses.astuple(r) for r in again.records] == [dataclasses.astuple(r) for r in first.records]
    other = generate(Knobs(persons=600, seed=8))
    assert [r.first_name for r in other.records[:50]] != [r.first_name for r in first.records[:50]]


def test_truth_and_records_agree(default, tmp_path):
    write_input(default, tmp_path)
    records = read_csv(tmp_path / "records.csv")
    truth = read_csv(tmp_path / "truth" / "records.csv")
    persons = read_csv(tmp_path / "truth" / "persons.csv")
    households = read_csv(tmp_path / "truth" / "households.csv")
    assert [r["record_id"] for r in records] == [t["record_id"] for t in truth]
    assert len({r["record_id"] for r in records}) == len(records)
    assert len(persons) == SMALL
    person_ids = {p["person_id"] for p in persons}
    assert {t["person_id"] for t in truth} == person_ids          # everybody has a record
    household_of = {p["person_id"]: p["household_id"] for p in persons}
    assert all(household_of[t["person_id"]] == t["household_id"] for t in truth)
    size = collections.Counter(p["household_id"] for p in persons)
    assert all(int(h["size"]) == size[h["household_id"]] for h in households)
    # the canonical columns of `earlyhelp link --input`, without identifiers or middle name by default
    assert list(records[0]) == ["record_id", "source", "first_name", "surname", "dob", "sex", "address", "town",
                                "postcode", "record_date"]
    assert {r["source"] for r in records} == {s.name for s in SOURCES}


def test_household_size_knob(default):
    def mean_size(council):
        return sum(len(h.members) for h in council.households) / len(council.households)

    assert mean_size(draw(household_mean=1)) == 1
    assert 3.1 <= mean_size(default) <= 3.9
    assert 7.0 <= mean_size(draw(household_mean=8)) <= 9.0


def test_records_per_person_knob(default):
    assert len(draw(records_mean=1).records) == SMALL
    assert 2.9 <= len(default.records) / SMALL <= 3.5
    assert 9.5 <= len(draw(records_mean=10).records) / SMALL <= 10.5


def test_dob_missing_knob(default):
    def blank_share(council):
        return sum(not r.dob for r in council.records) / len(council.records)

    assert blank_share(draw(dob_missing=0)) == 0
    assert 0.035 <= blank_share(default) <= 0.065
    assert 0.27 <= blank_share(draw(dob_missing=0.3)) <= 0.33


def test_sources_without_dob_knob():
    council = draw(sources_without_dob=2)
    without = set(NO_DOB_ORDER[:2])
    by_source = collections.defaultdict(list)
    for r in council.records:
        by_source[r.source].append(bool(r.dob))
    assert all(not any(v) for s, v in by_source.items() if s in without)
    assert all(sum(v) / len(v) > 0.9 for s, v in by_source.items() if s not in without)


def test_identifiers_knob(default, tmp_path):
    assert not any(r.nhs_number or r.uprn for r in default.records)
    council = draw(identifiers=True)
    health = [r for r in council.records if r.source == "health"]
    assert sum(bool(r.nhs_number) for r in health) / len(health) > 0.95
    # one NHS number per person (a few mistyped), never shared by two persons
    holders = collections.defaultdict(set)
    for r in health:
        if r.nhs_number:
            holders[r.nhs_number].add(r.person_id)
    assert all(len(p) == 1 for p in holders.values())
    assert sum(bool(r.uprn) for r in council.records if r.source == "revenues") > 0.9 * sum(
        r.source == "revenues" for r in council.records)
    write_input(council, tmp_path)
    assert {"nhs_number", "uprn"} <= set(read_csv(tmp_path / "records.csv")[0])


def test_schema_names_and_data_layout_follow_the_built_in_schema(tmp_path):
    schema = json.loads((SOURCE_DIR / "lib" / "schema" / "council.schema.json").read_text())
    fields = {s["name"]: {f["name"]: f for f in s["fields"]} for s in schema["streams"]}
    council = draw(schema_names=True)
    write_input(council, tmp_path / "input")
    assert {r["source"] for r in read_csv(tmp_path / "input" / "records.csv")} == {
        SCHEMA_STREAMS[s.name][0] for s in SOURCES}
    write_data(council, tmp_path / "data")
    total = 0
    for source, (stream, _, _) in SCHEMA_STREAMS.items():
        rows = read_csv(tmp_path / "data" / f"{stream}.csv")
        total += len(rows)
        assert rows, stream
        # every column is the stream's, and every required non-identity field is filled
        assert set(rows[0]) <= set(fields[stream]), stream
        for name, f in fields[stream].items():
            if not f.get("nullable", True) and f.get("link_key") is None:
                assert all(r[name] for r in rows), (stream, name)
    assert total == len(council.records)


def test_households_hold_what_makes_linkage_hard():
    council = generate(Knobs(persons=4000))
    persons = [p for h in council.households for p in h.members]
    assert sum(bool(p.twin_of) for p in persons) >= 10
    juniors = [p for p in persons if p.named_after]
    assert len(juniors) >= 10
    father = {p.person_id: p for p in persons}
    assert all(father[p.named_after].first == p.first and father[p.named_after].household_id == p.household_id
               for p in juniors)
    kinds = collections.Counter(h.kind for h in council.households)
    assert {"house_share", "family_with_lodger", "three_generations", "couple", "single"} <= set(kinds)
    moved = [h for h in council.households if len(h.homes) > 1]
    assert 0.10 <= len(moved) / len(council.households) <= 0.20
    # a record made after a move may still show the old home (the source has not caught up)
    homes = {h.household_id: h.homes for h in moved}
    late = [r for r in council.records if r.household_id in homes and r.postcode
            and r.record_date > homes[r.household_id][1][0].isoformat()]
    old = [r for r in late if r.postcode.replace(" ", "").upper() == homes[r.household_id][0][1].postcode.replace(" ", "")]
    assert 0.02 <= len(old) / len(late) <= 0.5


def test_knobs_are_checked():
    with pytest.raises(ValueError, match="household_mean"):
        Knobs(household_mean=0.5)
    with pytest.raises(ValueError, match="dob_missing"):
        Knobs(dob_missing=1.5)
