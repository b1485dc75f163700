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
