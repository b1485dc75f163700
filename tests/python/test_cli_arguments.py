# SPDX-License-Identifier: Apache-2.0
"""The command line explains a wrong verb or number plainly: an unknown verb is named with the
verbs and the closest one; a number out of range or not a number says what was expected, never
with a 300-digit range and never read as 18446744073709551611; a refused run creates nothing.
Thread counts above the hardware are clamped rather than aborting."""
import subprocess

import pytest

import earlyhelp


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


def test_unknown_verb_lists_the_verbs_and_the_closest(cli):
    r = _run(cli, "lnik", "--input", "x.csv")
    assert r.returncode == 2
    assert "unknown verb 'lnik'" in r.stderr and "Did you mean 'link'?" in r.stderr
    for verb in ("validate", "score", "link", "synth", "model", "keygen", "demo"):
        assert verb in r.stderr
    r = _run(cli, "--no-audit", "frobnicate")
    assert r.returncode == 2 and "unknown verb 'frobnicate'" in r.stderr and "Did you mean" not in r.stderr
    r = _run(cli)
    assert r.returncode == 2 and "give a verb" in r.stderr and "validate" in r.stderr
    assert _run(cli, "--version").returncode == 0
    assert _run(cli, "--audit-log", "a.jsonl", "version").returncode == 0


@pytest.mark.parametrize("args,expected", [
    (["validate", "--stream", "s", "--input", "i", "--output", "o", "--rejects", "r", "--max-field-bytes", "abc"],
     "expected a whole number from 1 to 1073741824, got 'abc'"),
    (["validate", "--stream", "s", "--input", "i", "--output", "o", "--rejects", "r", "--max-field-bytes", "0"],
     "expected a whole number from 1 to 1073741824, got '0'"),
    (["synth", "--persons", "-5"], "expected a whole number from 1 to 50000000, got '-5'"),
    (["synth", "--persons", "2.5"], "got '2.5'"),
    (["synth", "--seed", "-1"], "expected a whole number from 0 to 18446744073709551615, got '-1'"),
    (["synth", "--threads", "-2"], "expected a whole number from 0 to 65536, got '-2'"),
    (["synth", "--error-scale", "11"], "--error-scale"),
    (["demo", "--persons", "-5"], "expected a whole number from 100 to 2000000, got '-5'"),
    (["demo", "--seed", "-5"], "got '-5'"),
    (["score", "--model", "m", "--input", "i", "--output", "o", "--threads", "-1"], "got '-1'"),
    (["audit", "show", "-n", "-3"], "got '-3'"),
])
def test_numbers_are_checked_plainly(cli, tmp_path, args, expected):
    if args[0] in ("synth", "demo"):
        args = args + ["--out", str(tmp_path / "out")]
    r = _run(cli, "--no-audit", *args)
    assert r.returncode == 2, r.stderr
    assert expected in r.stderr
    assert "18446744073709551611" not in r.stderr and "e+308" not in r.stderr
    assert len(r.stderr) < 600
    assert not (tmp_path / "out").exists()


def test_synth_with_more_threads_than_cores_is_clamped(cli, tmp_path):
    r = _run(cli, "--no-audit", "synth", "--persons", "300", "--seed", "2", "--threads", "1000", "--out",
             tmp_path / "a", "--quiet")
    assert r.returncode == 0, r.stderr
    r = _run(cli, "--no-audit", "synth", "--persons", "300", "--seed", "2", "--threads", "1", "--out",
             tmp_path / "b", "--quiet")
    assert r.returncode == 0, r.stderr
    for f in (tmp_path / "a").rglob("*.csv"):
        assert f.read_bytes() == (tmp_path / "b" / f.relative_to(tmp_path / "a")).read_bytes()


def test_python_generate_clamps_threads():
    a = earlyhelp.synth.generate(persons=300, seed=2, threads=100000)
    b = earlyhelp.synth.generate(persons=300, seed=2, threads=1)
    assert a.persons == b.persons
    assert a["person_register"].equals(b["person_register"])
