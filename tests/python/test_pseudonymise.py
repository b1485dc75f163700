# SPDX-License-Identifier: Apache-2.0
"""`earlyhelp pseudonymise` and `earlyhelp.pseudonymise`: identifier columns replaced by keyed
pseudonyms, everything else copied, the key never shown, and linkage on exact identifiers kept."""
import os
import re
import subprocess

import pandas as pd
import pytest

import earlyhelp
from earlyhelp import governance as gov

KEY_A = "0123456789abcdef" * 4
KEY_B = "fedcba9876543210" * 4


def _key(tmp_path, name, hex_text):
    path = tmp_path / name
    path.write_text(hex_text + "\n")
    return path


def _run(cli, *args, audit=None):
    env = dict(os.environ)
    cmd = [cli] + (["--audit-log", str(audit)] if audit else ["--no-audit"]) + [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env)


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture()
def health(source_dir):
    return source_dir / "examples" / "data" / "sample_council" / "health_ae.csv"


def test_cli_pseudonymises_identifiers_only_and_never_shows_the_key(cli, tmp_path, health):
    key = _key(tmp_path, "a.key", KEY_A)
    audit = tmp_path / "audit.jsonl"
    out = tmp_path / "out.csv"
    r = _run(cli, "pseudonymise", "--key-file", key, "--stream", "health_ae", "--input", health, "--output", out,
             audit=audit)
    assert r.returncode == 0, r.stderr
    src, got = _read(health), _read(out)
    assert list(got.columns) == list(src.columns) and len(got) == len(src)
    assert "reconciled" in r.stdout and f"read {len(src)} written {len(src)} rejected 0" in r.stdout
    # Exact identifiers and record ids become 32 hex digits; missing stays missing.
    for col in ["nhs_number", "record_id"]:
        present = src[col].str.strip() != ""
        assert got.loc[present, col].str.fullmatch(r"[0-9a-f]{32}").all(), col
        assert (got.loc[~present, col] == "").all()
        assert not set(got[col]) & set(src.loc[present, col])
    # Spellings the linker reads as one NHS number get one pseudonym ("401 000 0007", "4010000007").
    spelled = src["nhs_number"].str.replace(" ", "")
    for value in spelled[spelled != ""].unique():
        assert got.loc[spelled == value, "nhs_number"].nunique() == 1
    # Names, dates of birth and postcodes stay in clear for fuzzy matching; the rest is copied.
    for col in ["first_name", "surname", "dob", "postcode", "attendance_date", "discharge"]:
        assert got[col].tolist() == src[col].tolist(), col
    # The key appears nowhere: output, terminal, audit record (only its fingerprint).
    text = out.read_text() + r.stdout + r.stderr + audit.read_text()
    assert KEY_A not in text and KEY_A.upper() not in text
    assert gov.PseudonymKey.from_hex(KEY_A).fingerprint in audit.read_text()
    assert "9434765919" not in r.stdout + r.stderr  # counts and column names only
    # Deterministic under one key, unrelated under another.
    again, other = tmp_path / "again.csv", tmp_path / "other.csv"
    assert _run(cli, "pseudonymise", "--key-file", key, "--stream", "health_ae", "--input", health,
                "--output", again).returncode == 0
    assert again.read_bytes() == out.read_bytes()
    assert _run(cli, "pseudonymise", "--key-file", _key(tmp_path, "b.key", KEY_B), "--stream", "health_ae",
                "--input", health, "--output", other).returncode == 0
    assert not (set(_read(other)["nhs_number"]) - {""}) & (set(got["nhs_number"]) - {""})


def test_python_and_cli_agree(cli, tmp_path, health):
    key = _key(tmp_path, "a.key", KEY_A)
    out = tmp_path / "out.csv"
    assert _run(cli, "pseudonymise", "--key-file", key, "--stream", "health_ae", "--columns", "discharge",
                "--input", health, "--output", out).returncode == 0
    frame = earlyhelp.pseudonymise(_read(health), key, stream="health_ae", columns=["discharge"])
    assert frame.equals(_read(out))
    counts = earlyhelp.pseudonymise(str(health), str(key), stream="health_ae", columns="discharge",
                                    output=str(tmp_path / "py.csv"))
    assert (tmp_path / "py.csv").read_bytes() == out.read_bytes()
    assert counts["rows_read"] == counts["rows_written"] and counts["columns"] == ["record_id", "nhs_number",
                                                                                   "discharge"]


def test_bad_keys_columns_and_rows_are_clear_errors(cli, tmp_path, health):
    out = tmp_path / "out.csv"
    short = _key(tmp_path, "short.key", "ab" * 8)
    r = _run(cli, "pseudonymise", "--key-file", short, "--stream", "health_ae", "--input", health, "--output", out)
    assert r.returncode == 2 and "at least 32" in r.stderr and "ab" * 8 not in r.stderr
    r = _run(cli, "pseudonymise", "--key-file", tmp_path / "none.key", "--stream", "health_ae", "--input", health,
             "--output", out)
    assert r.returncode == 3 and "cannot open key file" in r.stderr
    key = _key(tmp_path, "a.key", KEY_A)
    r = _run(cli, "pseudonymise", "--key-file", key, "--input", health, "--output", out)
    assert r.returncode == 2 and "--stream" in r.stderr and "--columns" in r.stderr
    r = _run(cli, "pseudonymise", "--key-file", key, "--columns", "ni_number", "--input", health, "--output", out)
    assert r.returncode == 2 and "no column 'ni_number'" in r.stderr and "nhs_number" in r.stderr
    assert not out.exists()
    # A ragged row: an error naming file and row, or set aside with --rejects (no values in it).
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("record_id,nhs_number,note\nR1,9434765919,ok\nR2,9434765919\nR3,,x\n")
    r = _run(cli, "pseudonymise", "--key-file", key, "--columns", "record_id,nhs_number", "--input", ragged,
             "--output", out)
    assert r.returncode == 3 and re.search(r"ragged\.csv: row 2 \(line 3\)", r.stderr) and not out.exists()
    rej = tmp_path / "rej.csv"
    r = _run(cli, "pseudonymise", "--key-file", key, "--columns", "record_id,nhs_number", "--input", ragged,
             "--output", out, "--rejects", rej, "--strict")
    assert r.returncode == 1 and "read 3 written 2 rejected 1 (reconciled)" in r.stdout
    assert _read(rej).to_dict("records") == [{"row": "2", "line": "3", "reason": "2 fields where the header has 3"}]
    assert "9434765919" not in rej.read_text()
    assert _read(out)["nhs_number"].tolist()[1] == ""
    # An identifier with no letter or digit is written empty and counted, never silently.
    junk = tmp_path / "junk.csv"
    junk.write_text("nhs_number\n--\n")
    r = _run(cli, "pseudonymise", "--key-file", key, "--columns", "nhs_number", "--input", junk, "--output", out)
    assert r.returncode == 0 and "1 identifier cells held no letter or digit" in r.stderr
    with pytest.raises(earlyhelp.InvalidArgument, match="stream=NAME"):
        earlyhelp.pseudonymise(_read(health), key)


def test_linking_pseudonymised_extracts_gives_the_same_persons(cli, tmp_path):
    """Linkage on exact identifiers is kept: the persons found from pseudonymised extracts are the
    persons found from the clear ones, record for record (record ids mapped through their
    pseudonyms)."""
    clear = tmp_path / "clear"
    assert _run(cli, "synth", "--persons", 600, "--seed", 31, "--out", clear, "--quiet").returncode == 0
    key = _key(tmp_path, "a.key", KEY_A)
    pseudo = tmp_path / "pseudo"
    pseudo.mkdir()
    for extract in sorted(clear.glob("*.csv")):
        r = _run(cli, "pseudonymise", "--key-file", key, "--stream", extract.stem, "--input", extract,
                 "--output", pseudo / extract.name)
        assert r.returncode == 0, r.stderr
    for d in (clear, pseudo):
        r = _run(cli, "link", "--data", d, "--output", tmp_path / f"{d.name}_persons.csv", "--as-of", "2024-03-31",
                 "--quiet")
        assert r.returncode == 0, r.stderr
    a = _read(tmp_path / "clear_persons.csv")
    b = _read(tmp_path / "pseudo_persons.csv")
    assert len(a) == len(b)
    plan = gov.PseudonymPlan.for_stream(earlyhelp.builtin_schema().stream("person_register"))
    a["record_id"] = plan.cells(gov.Pseudonymiser(gov.PseudonymKey.from_hex(KEY_A)), "record_id",
                                a["record_id"].tolist())
    merged = a.merge(b, on="record_id", suffixes=("_clear", "_pseudo"))
    assert len(merged) == len(a)
    # The same partition: each clear person is exactly one pseudonymised person and back.
    assert merged.groupby("person_id_clear")["person_id_pseudo"].nunique().max() == 1
    assert merged.groupby("person_id_pseudo")["person_id_clear"].nunique().max() == 1
