# SPDX-License-Identifier: Apache-2.0
"""Every stage reconciles its rows (issue 19): features, tf and profile print
`rows_read N = used U + unlinked X + rejected R (reconciled)`, where N is every row of the extracts
they read and R every row of their rejects files, on the bundled sample council (which has planted
faults)."""
import csv
import re
import subprocess

import pytest

LINE = re.compile(r"rows_read (\d+) = used (\d+) \+ unlinked (\d+) \+ rejected (\d+) \((reconciled|NOT RECONCILED)\)")


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return sum(1 for row in csv.reader(fh) if row) - 1  # the header; blank lines are not rows


@pytest.fixture(scope="module")
def sample(cli, source_dir, tmp_path_factory):
    data = source_dir / "examples" / "data" / "sample_council"
    tmp = tmp_path_factory.mktemp("reconcile")
    r = subprocess.run([cli, "--no-audit", "link", "--data", str(data), "--output", str(tmp / "persons.csv"),
                        "--households", str(tmp / "households.csv")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return data, tmp


@pytest.mark.parametrize("verb", ["features", "tf", "profile"])
def test_stage_reconciles_every_row(cli, sample, verb):
    data, tmp = sample
    rejects = tmp / f"{verb}-rejects"
    args = {"features": ["--output", str(tmp / "features.csv")],
            "tf": ["--households", str(tmp / "households.csv"), "--output", str(tmp / "families.csv")],
            "profile": ["--households", str(tmp / "households.csv"), "--output", str(tmp / "alerts.csv")]}[verb]
    r = subprocess.run([cli, "--no-audit", verb, "--data", str(data), "--persons", str(tmp / "persons.csv"),
                        "--as-of", "2024-06-01", "--rejects", str(rejects), *args],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    m = LINE.search(r.stdout)
    assert m, r.stdout
    read, used, unlinked, rejected = map(int, m.groups()[:4])
    assert m.group(5) == "reconciled" and read == used + unlinked + rejected
    # N is every row of the extracts the stage read (named on its per-stream lines) ...
    streams = re.findall(r"^(\w+): read (\d+) ", r.stderr, flags=re.M)
    assert streams
    assert read == sum(_rows(data / f"{s}.csv") for s, _ in streams)
    # ... and R every row written to its rejects files, none lost.
    assert rejected > 0 and rejected == sum(_rows(f) for f in rejects.glob("*.rejects.csv"))
