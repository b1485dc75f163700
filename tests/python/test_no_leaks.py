# SPDX-License-Identifier: Apache-2.0
"""Nothing leaks: every verb that reads residents' extracts is run on a synthetic council, and every
file it writes, its stdout and stderr, and the audit log are scanned for the input's names, NHS
numbers, postcodes and dates of birth. Hits are allowed only in the outputs whose job is to carry
the input's rows (listed in ALLOWED, each with why)."""
import json
import os
import re
import subprocess

import pandas as pd
import pytest

from conftest import SOURCE_DIR

AS_OF = "2024-04-01"
# A reference bundle shipped in the repository, for the `score` verb.
ASB_BUNDLE = SOURCE_DIR / "lib" / "profiling" / "models" / "asb.ehm"
NAME = r"[A-Za-z][A-Za-z'\-]+ [A-Za-z][A-Za-z'\-]+"

# Outputs meant to hold the input's values, each with why. Everything else is scanned.
ALLOWED_FILES = {
    "clean.csv": "validate --output: the stream's clean rows",
    "rejects.csv": "validate --rejects: rejected rows with their raw fields, for the data owner to fix",
    "link_rejects.csv": "link --rejects: rows that cannot be linked, with their raw fields, for the data owner",
    "pseudo.csv": "pseudonymise --output: names, dates of birth and postcodes stay in clear for fuzzy matching",
}
ALLOWED_DIRS = {
    "clean": "demo: each stream's clean rows (validate --output)",
    "rejects": "demo: each stream's rejected rows with raw fields (validate --rejects)",
    "extracts": "demo: the synthetic council it generates (the input itself, and its truth/)",
}
ALLOWED_SUFFIX = {".rejects.csv": "features --rejects DIR: a stream's rejected rows with raw fields"}
# Outputs whose identifying columns keep their names but hold no value from the input: scanned for
# values like any other file, only their header is not held against them.
ENCODED_FILES = {"encoded.csv": "encode --output: names, dates of birth, addresses as Bloom encodings, ids hashed"}


def _allowed(rel):
    parts = rel.split("/")
    if parts[-1] in ALLOWED_FILES:
        return ALLOWED_FILES[parts[-1]]
    for d in parts[:-1]:
        if d in ALLOWED_DIRS:
            return ALLOWED_DIRS[d]
    for suffix, why in ALLOWED_SUFFIX.items():
        if parts[-1].endswith(suffix):
            return why
    return None


def _sensitive(council):
    """The identifying values of the council's extracts: whole names (and surnames of 6 letters or
    more, which no English word in our messages equals), NHS numbers, postcodes, dates of birth."""
    names, words, nhs, postcodes, dobs = set(), set(), set(), set(), set()
    for path in council.glob("*.csv"):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        if {"first_name", "surname"} <= set(df.columns):
            for f, s in zip(df["first_name"], df["surname"]):
                if re.fullmatch(NAME, f"{f} {s}"):
                    names.add(f"{f} {s}")
            words |= {s for s in df["surname"] if len(s) >= 6 and s.isalpha()}
        if "nhs_number" in df.columns:
            for v in df["nhs_number"]:
                digits = re.sub(r"\D", "", v)
                if len(digits) == 10:
                    nhs |= {digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"}
        if "postcode" in df.columns:
            for v in df["postcode"]:
                compact = v.replace(" ", "").upper()
                if len(compact) >= 5:
                    postcodes |= {compact, f"{compact[:-3]} {compact[-3:]}"}
        if "dob" in df.columns:
            dobs |= {v for v in df["dob"] if re.fullmatch(r"\d{4}-\d\d-\d\d", v)}
    return names, words, nhs, postcodes, dobs


def _hits(text, sensitive, scan_dates):
    names, words, nhs, postcodes, dobs = sensitive
    found = set()
    for m in re.finditer(rf"(?=\b({NAME}))", text):
        token = m.group(1)
        if token in names:
            found.add(("name", token))
    for token in re.findall(r"[A-Za-z][A-Za-z'\-]{5,}", text):
        if token in words:
            found.add(("surname", token))
    for token in re.findall(r"\d{3} \d{3} \d{4}|\d{10}", text):
        if token in nhs:
            found.add(("nhs_number", token))
    for token in re.findall(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", text.upper()):
        if token in postcodes:
            found.add(("postcode", token))
    if scan_dates:
        for token in re.findall(r"\d{4}-\d\d-\d\d", text):
            if token in dobs:
                found.add(("dob", token))
    return found


@pytest.fixture(scope="module")
def council(cli, tmp_path_factory):
    root = tmp_path_factory.mktemp("leaks")
    data = root / "council"
    r = subprocess.run([cli, "--no-audit", "synth", "--persons", "800", "--seed", "17", "--out", str(data),
                        "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (data / "truth").rename(root / "truth")
    return data


def test_no_verb_leaks_identifiers(cli, council, tmp_path):
    sensitive = _sensitive(council)
    assert all(sensitive), "the scan needs values of every kind to look for"
    audit = tmp_path / "audit.jsonl"
    key = tmp_path / "council.key"
    key.write_text("5a" * 32 + "\n")
    runs = [
        ["validate", "--stream", "health_ae", "--input", council / "health_ae.csv", "--output", "clean.csv",
         "--rejects", "rejects.csv"],
        ["pseudonymise", "--key-file", key, "--stream", "health_ae", "--input", council / "health_ae.csv",
         "--output", "pseudo.csv"],
        ["encode", "--key-file", key, "--stream", "health_ae", "--input", council / "health_ae.csv",
         "--output", "encoded.csv", "--rejects", "encode_rejects.csv"],
        ["link", "--data", council, "--output", "persons.csv", "--households", "households.csv", "--as-of", AS_OF,
         "--rejects", "link_rejects.csv"],
        ["features", "--data", council, "--persons", "persons.csv", "--households", "households.csv",
         "--as-of", AS_OF, "--output", "features.csv", "--rejects", "feature_rejects"],
        ["features", "--data", council, "--persons", "persons.csv", "--households", "households.csv",
         "--as-of", AS_OF, "--level", "family", "--output", "families_features.csv"],
        ["score", "--model", ASB_BUNDLE, "--input", "features.csv", "--output", "scored.csv", "--explain", "3",
         "--keep", "person_id", "--rejects", "score_rejects.csv"],
        ["tf", "--data", council, "--as-of", AS_OF, "--persons", "households.csv", "--output", "families.csv",
         "--members", "members.csv"],
        ["profile", "--data", council, "--as-of", AS_OF, "--persons", "persons.csv", "--households",
         "households.csv", "--history", "history.sqlite", "--output", "alerts.csv", "--scores", "scores.csv",
         "--alert-on-first-assessment"],
        ["profile", "--data", council, "--as-of", "2024-07-01", "--history", "history.sqlite", "--output",
         "alerts_linked.csv"],
        ["report", "--data", council, "--as-of", AS_OF, "--out", "report.html"],  # links the extracts itself
        ["forecast", "--data", council, "--as-of", AS_OF, "--horizon", "2y", "--simulations", "20", "--out",
         "forecast"],
        ["demo", "--persons", "400", "--out", "demo", "--brief"],
    ]
    (tmp_path / "feature_rejects").mkdir()
    streams = ""
    for args in runs:
        r = subprocess.run([cli, "--audit-log", str(audit), *map(str, args)], capture_output=True, text=True,
                           cwd=tmp_path)
        assert r.returncode in (0, 1), f"{args[0]}: {r.stderr}"
        streams += f"\n--- {args[0]} stdout\n{r.stdout}\n--- {args[0]} stderr\n{r.stderr}"
    leaks = {}
    # What the verbs printed, and the audit log, never hold an identifying value.
    for where, text in [("stdout/stderr", streams), ("audit log", audit.read_text())]:
        found = _hits(text, sensitive, scan_dates=True)
        if found:
            leaks[where] = sorted(found)[:5]
    assert all(json.loads(line)["run_id"] for line in audit.read_text().splitlines())
    # Every file written, outside the outputs meant to carry rows. Dates of birth are looked for
    # only in prose (Markdown, text, HTML): tables and JSON reports hold event dates, forecast
    # months and as-of dates, any of which can fall on someone's birthday; a table gets its
    # header checked for an identifying column instead (the quality report withholds the ranges
    # of date-of-birth fields, tested with ingest).
    scanned = 0
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        rel = path.relative_to(tmp_path).as_posix()
        if _allowed(rel) or path in (key, audit) or path.suffix == ".png":
            continue
        text = path.read_text(errors="replace")
        scanned += 1
        if path.suffix == ".csv" and rel not in ENCODED_FILES:
            header = text.split("\n", 1)[0].lower().split(",")
            if {"dob", "date_of_birth", "first_name", "surname", "nhs_number", "postcode"} & set(header):
                leaks[rel] = ["an identifying column in the header"]
        if path.suffix == ".html":
            # The report's plots are inline PNG (base64, not text); its tables hold event dates, as
            # above, so its dates are looked for in the prose around them.
            text = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", text)
            found = _hits(text, sensitive, scan_dates=False)
            found |= _hits(re.sub(r"<table>.*?</table>", "", text, flags=re.S), sensitive, scan_dates=True)
        else:
            found = _hits(text, sensitive, scan_dates=path.suffix in (".md", ".txt", ".html"))
        if found:
            leaks[rel] = sorted(found)[:5]
    assert scanned >= 10, "the verbs wrote fewer files than expected: the scan would prove nothing"
    assert not leaks, f"identifying values outside the outputs meant to hold them: {leaks}"


def test_the_scan_finds_what_it_looks_for(council):
    """The scanner itself: each kind of value is found where it is, so a pass above means something."""
    sensitive = _sensitive(council)
    names, words, nhs, postcodes, dobs = sensitive
    text = " ".join([sorted(names)[0], sorted(nhs)[0], sorted(postcodes)[0].lower(), sorted(dobs)[0],
                     f"x{sorted(words)[0]}x"])
    kinds = {k for k, _ in _hits(text, sensitive, scan_dates=True)}
    assert kinds >= {"name", "nhs_number", "postcode", "dob"}
    assert _allowed("demo/synth/clean/health_ae.csv") and not _allowed("features.csv")
    assert ("surname", sorted(words)[0]) in _hits(sorted(words)[0], sensitive, scan_dates=False)
    assert os.path.exists(council / "person_register.csv")
