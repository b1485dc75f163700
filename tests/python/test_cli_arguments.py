# SPDX-License-Identifier: Apache-2.0
"""Thread counts above the hardware are clamped rather than aborting."""
import subprocess

import earlyhelp


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


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
