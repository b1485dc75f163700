# SPDX-License-Identifier: Apache-2.0
"""Messages about bad rows never carry identifier values (issue 17): rows of the sample council
are given invalid NHS numbers, UPRNs, postcodes and dates of birth, each a marker string; every
verb that reads the extracts is run over them, and its stdout, stderr and audit record name rows
and fields but never a marker. (The rejects files, which exist to carry the raw rows back to the
data owner, may hold them.)"""
import csv
import shutil
import subprocess

import pytest

MARKERS = {"nhs_number": "943 476 591X", "uprn": "UPRN-ZQ-4471", "postcode": "QZ9 ZZQZQ", "dob": "31/02/1991"}


@pytest.fixture(scope="module")
def faulty(source_dir, tmp_path_factory):
    src = source_dir / "examples" / "data" / "sample_council"
    root = tmp_path_factory.mktemp("faulty")
    data = root / "data"
    shutil.copytree(src, data, ignore=shutil.ignore_patterns("*.py"))
    planted = 0
    for path in data.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header = rows[0]
        for field, value in MARKERS.items():
            if field in header and len(rows) > 2:
                rows[2][header.index(field)] = value
                planted += 1
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    assert planted >= 8
    return root, data


def _run(cli, root, *args):
    log = root / "audit.jsonl"
    r = subprocess.run([str(cli), "--audit-log", str(log), *map(str, args)], capture_output=True, text=True,
                       timeout=120)
    return r, log


def _assert_no_marker(r, log, verb):
    text = r.stdout + r.stderr + (log.read_text() if log.exists() else "")
    for field, value in MARKERS.items():
        assert value not in text, f"{verb}: the {field} value appears in its messages or audit record"


def test_no_verb_prints_an_identifier_value(cli, faulty):
    root, data = faulty
    out = root / "out"
    out.mkdir()
    r, log = _run(cli, root, "validate", "--stream", "person_register", "--input", data / "person_register.csv",
                  "--output", out / "clean.csv", "--rejects", out / "rejects.csv")
    assert r.returncode == 0, r.stderr
    assert any(v in (out / "rejects.csv").read_text() for v in MARKERS.values())  # the rejects carry them
    _assert_no_marker(r, log, "validate")
    r, log = _run(cli, root, "link", "--data", data, "--output", out / "persons.csv", "--households",
                  out / "households.csv", "--rejects", out / "link_rejects.csv")
    assert r.returncode == 0, r.stderr
    _assert_no_marker(r, log, "link")
    common = ["--data", data, "--persons", out / "persons.csv", "--as-of", "2024-06-01", "--rejects", out / "rej"]
    for verb, extra in (("features", ["--output", out / "f.csv"]),
                        ("tf", ["--households", out / "households.csv", "--output", out / "tf.csv"]),
                        ("profile", ["--households", out / "households.csv", "--output", out / "alerts.csv"])):
        r, log = _run(cli, root, verb, *common, *extra)
        assert r.returncode == 0, (verb, r.stderr)
        _assert_no_marker(r, log, verb)
    key = root / "key"
    r, _ = _run(cli, root, "keygen", "--out", key)
    assert r.returncode == 0, r.stderr
    r, log = _run(cli, root, "pseudonymise", "--key-file", key, "--stream", "person_register", "--input",
                  data / "person_register.csv", "--output", out / "pseudo.csv", "--rejects", out / "p_rej.csv",
                  "--strict")
    _assert_no_marker(r, log, "pseudonymise")
