# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures: paths to the source tree, the CLI, the shared public data and a linked
synthetic council."""
import os
import pathlib
import shutil
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("EARLYHELP_SOURCE_DIR", pathlib.Path(__file__).parents[2]))


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR


@pytest.fixture(scope="session")
def cli():
    """Path of the built earlyhelp command-line tool."""
    path = os.environ.get("EARLYHELP_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("EARLYHELP_CLI is not set: run the tests through ctest")
    return path


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data (FEBRL, jellyfish vectors, base rates): absent in a user's clone."""
    path = pathlib.Path(os.environ.get("EARLYHELP_SHARED_DATA", SOURCE_DIR.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (only CI and developers have ../shared)")
    return path


@pytest.fixture(scope="session")
def synth_and_link(cli):
    """make(root, persons, seed, as_of): a synthetic council of `persons` drawn with `seed` in
    root/council, its truth/ moved out to root/truth (a council has none: nothing reading the
    extracts may see it), linked once by the CLI into root/persons.csv and root/households.csv as
    of `as_of`. Returns the extracts' folder."""
    def run(*args):
        r = subprocess.run([cli, "--no-audit", *map(str, args), "--quiet"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr

    def make(root, persons, seed, as_of):
        data = root / "council"
        run("synth", "--persons", persons, "--seed", seed, "--out", data)
        shutil.move(str(data / "truth"), str(root / "truth"))
        run("link", "--data", data, "--output", root / "persons.csv", "--households", root / "households.csv",
            "--as-of", as_of)
        return data
    return make


@pytest.fixture
def extract(tmp_path):
    """A school_attendance extract in tmp_path/in.csv: its header and one row the schema rejects."""
    import earlyhelp

    path = tmp_path / "in.csv"
    header = ",".join(earlyhelp.builtin_schema().stream("school_attendance").field_names) + "\n"
    path.write_text(header + ",".join(["x"] * header.count(",")) + ",x\n")
    return path


@pytest.fixture
def bundle(tmp_path):
    """A linear bundle tmp_path/m.ehm over features a, b, and tmp_path/x.csv: two rows to score."""
    import earlyhelp

    m = earlyhelp.Model.linear([[1.0, -1.0]], [0.0], feature_names=["a", "b"])
    path = tmp_path / "m.ehm"
    m.save(path)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n0.5,0.25\n")
    return path
