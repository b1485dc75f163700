# SPDX-License-Identifier: Apache-2.0
"""What the linker does with input it cannot use as given (issue 19, linkage items), from Python
and from `earlyhelp link`. Each test failed before its fix."""

import csv
import subprocess
import warnings

import pandas as pd
import pytest

import earlyhelp
from earlyhelp import linkage

FAMILY = pd.DataFrame({
    "record_id": ["1", "2", "3", "4", "5"],
    "first_name": ["John", "Jon", "Mary", "Ann", "Anne"],
    "surname": ["Smith", "Smith", "Smith", "Jones", "Jones"],
    "dob": ["1980-01-02", "1980-01-02", "1982-05-06", "1975-03-04", "1975-03-04"],
    "address": ["1 High Street"] * 3 + ["9 Low Road"] * 2,
    "postcode": ["OX4 1AA"] * 3 + ["OX4 2BB"] * 2,
})
SMALL = {"u_sample_pairs": 20000, "n_threads": 1}


def run(cli, *args):
    return subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True, timeout=120)


def linked():
    lk = earlyhelp.Linker(SMALL)
    lk.add_records(FAMILY)
    lk.fit()
    lk.predict()
    lk.cluster()
    return lk


def _settings(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"u_sample_pairs": 20000}')
    return path


# ---- 1. cluster() before predict() -----------------------------------------------------------

def test_cluster_before_predict_is_a_state_error():
    lk = earlyhelp.Linker(SMALL)
    lk.add_records(FAMILY)
    lk.fit()
    with pytest.raises(earlyhelp.StateError, match="call predict first"):
        lk.cluster()
    lk.predict()
    persons = lk.cluster()
    assert list(persons.columns) == ["record_id", "person_id"]
    assert persons.record_id.tolist() == FAMILY.record_id.tolist()


# ---- 4. households' date ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["31/03/2024", "2024-13-45", "2024-02-30", 20240331, None])
def test_households_as_of_is_a_typed_error(bad):
    lk = linked()
    with pytest.raises(earlyhelp.InvalidArgument, match="households: as_of") as e:
        lk.households(bad)
    assert "YYYY-MM-DD" in str(e.value)
    assert str(bad) not in str(e.value) or bad is None
    persons = len(set(lk.person_ids()))
    assert len(lk.households("2024-03-31")) == persons
    assert len(lk.households(pd.Timestamp("2024-03-31"))) == persons


# ---- 5. counts with a loaded model -----------------------------------------------------------

def test_cli_link_with_a_model_prints_the_real_counts(cli, tmp_path):
    src, model = tmp_path / "people.csv", tmp_path / "model.json"
    FAMILY.to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "a.csv", "--model-out", model,
            "--settings", _settings(tmp_path))
    assert r.returncode == 0, r.stderr
    r = run(cli, "link", "--input", src, "--output", tmp_path / "b.csv", "--model", model)
    assert r.returncode == 0, r.stderr
    assert "records 5 identities 5 " in r.stdout, r.stdout


# ---- 7. unreadable dates ---------------------------------------------------------------------

def test_unreadable_dates_are_missing_and_counted():
    df = pd.concat([FAMILY, pd.DataFrame({
        "record_id": ["6", "7", "8"], "first_name": ["John"] * 3, "surname": ["Smith"] * 3,
        "dob": ["0000-00-00", "9999-12-31", "31/02/2020"], "address": ["1 High Street"] * 3,
        "postcode": ["OX4 1AA"] * 3})], ignore_index=True)
    lk = earlyhelp.Linker(SMALL)
    lk.add_records(df)
    notes = [w for w in lk.warnings if "date" in w]
    assert len(notes) == 1 and "3 dates of birth" in notes[0] and "treated as missing" in notes[0]
    assert not any(v in notes[0] for v in ("0000-00-00", "9999", "31/02"))


def test_cli_unreadable_dates_warning(cli, tmp_path):
    src = tmp_path / "people.csv"
    df = FAMILY.copy()
    df.loc[1, "dob"], df.loc[2, "dob"] = "0000-00-00", "31/02/2020"
    df.to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv", "--settings", _settings(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "2 dates of birth could not be read" in r.stderr
    assert "0000-00-00" not in r.stderr and "31/02/2020" not in r.stderr
