# SPDX-License-Identifier: Apache-2.0
import json
import os
import subprocess

import pandas as pd
import pytest

import earlyhelp
from earlyhelp import governance as gov

KEY_HEX = "a" * 64


def test_sha256_and_normalise():
    assert gov.sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert gov.normalise_for_pseudonym("postcode", "sw1a 1aa") == "SW1A1AA"
    assert gov.normalise_for_pseudonym("dob", "03/04/2020") == "2020-04-03"


def test_pseudonymiser_matches_between_spellings_and_hides_values():
    p = gov.Pseudonymiser(gov.PseudonymKey.from_hex(KEY_HEX))
    a, b, c = p.pseudonymise_many("nhs_number", ["943 476 5919", "9434765919", "9434765910"])
    assert a == b != c
    assert len(a) == 32 and "9434765919" not in a
    assert p.pseudonymise_many("nhs_number", [""]) == [""]
    with pytest.raises(earlyhelp.InvalidArgument):
        gov.PseudonymKey(b"short")
    assert "fingerprint=" in repr(gov.PseudonymKey.generate())


def test_pseudonymise_frame_keeps_missing_and_other_columns():
    df = pd.DataFrame({"nhs_number": ["9434765919", None, "943 476 5919"], "age": [1, 2, 3]})
    out = gov.pseudonymise_frame(df, gov.PseudonymKey.from_hex(KEY_HEX), ["nhs_number"])
    assert out["age"].tolist() == [1, 2, 3]
    assert out["nhs_number"].iloc[0] == out["nhs_number"].iloc[2]
    assert out["nhs_number"].iloc[1] is None
    assert df["nhs_number"].iloc[0] == "9434765919"  # the input is untouched
    with pytest.raises(KeyError, match="no column 'nhs'"):
        gov.pseudonymise_frame(df, gov.PseudonymKey.from_hex(KEY_HEX), {"nhs": "nhs_number"})


def test_cli_keygen_writes_audit_chain(cli, tmp_path):
    log = tmp_path / "audit.jsonl"
    key = tmp_path / "key.hex"
    env = dict(os.environ, EARLYHELP_AUDIT_LOG=str(log))
    r = subprocess.run([cli, "keygen", "--out", str(key)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    k = gov.PseudonymKey.from_file(str(key))
    assert k.fingerprint in r.stdout
    # A second keygen refuses to overwrite (exit 2) and is audited as an error.
    r2 = subprocess.run([cli, "keygen", "--out", str(key)], capture_output=True, text=True, env=env)
    assert r2.returncode == 2 and "exists" in r2.stderr
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [rec["action"] for rec in records] == ["keygen", "keygen"]
    assert records[0]["status"] == "ok" and records[1]["status"].startswith("error")
    assert records[0]["key_fingerprint"] == k.fingerprint
    assert KEY_HEX not in log.read_text() and k.to_hex() not in log.read_text()
    assert gov.verify_audit_log(str(log))["ok"]
    v = subprocess.run([cli, "audit", "verify", "--audit-log", str(log)], capture_output=True, text=True)
    assert v.returncode == 0 and "2 records, chain intact" in v.stdout
    # Tamper: drop the first line -> the chain breaks at line 1.
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[1:]))
    v = subprocess.run([cli, "audit", "verify", "--audit-log", str(log)], capture_output=True, text=True)
    assert v.returncode == 1
    assert gov.verify_audit_log(str(log))["first_bad_line"] == 1
