# SPDX-License-Identifier: Apache-2.0
"""`pip wheel` / `pip install` of the repository (pyproject.toml + setup.py): the wheel packages this
CMake build (EARLYHELP_CMAKE_BUILD_DIR, so CI compiles nothing twice), installs offline into a fresh
--system-site-packages virtual environment, and imports and runs from another directory, with the
stubs, py.typed and the earlyhelp command."""
import os
import pathlib
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import SOURCE_DIR


@pytest.fixture(scope="module")
def build_dir():
    d = os.environ.get("EARLYHELP_BUILD_DIR")
    if not d or not (pathlib.Path(d) / "bin" / "earlyhelp").exists():
        pytest.skip("EARLYHELP_BUILD_DIR is not set: run the tests through ctest")
    return pathlib.Path(d)


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EARLYHELP_PYTHON")}
    env.update(extra)
    return env


def _run(args, **kw):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{args}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def test_package_wheel_of_this_build_installs_and_runs_in_a_fresh_venv(build_dir, tmp_path):
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "-q",
          "-w", wheels, SOURCE_DIR], env=_env(EARLYHELP_CMAKE_BUILD_DIR=str(build_dir)), cwd=tmp_path)
    (wheel,) = wheels.glob("earlyhelp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("earlyhelp/__init__.py", "earlyhelp/py.typed", "earlyhelp/_core/__init__.pyi",
                     "earlyhelp/bin/earlyhelp", "earlyhelp/progress.py"):
        assert expected in names, expected
    assert any(n.startswith("earlyhelp/_core.") and n.endswith(".so") for n in names)
    assert any(n.endswith(".data/scripts/earlyhelp") for n in names)

    # A fresh environment that sees Debian's numpy/pandas/tqdm; pip itself comes from the system.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    _run([py, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel], env=_env())

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = _run([py, "-c", "import earlyhelp, pathlib; "
              "print(pathlib.Path(earlyhelp.__file__).resolve()); "
              "print(earlyhelp.link({'record_id': ['1', '2', '3'], 'first_name': ['John', 'Jon', 'Mary'], "
              "'surname': ['Smith', 'Smith', 'Jones'], 'dob': ['1980-01-02'] * 2 + ['1975-05-05']}, "
              "progress=False).shape)"], env=_env(), cwd=elsewhere)
    where, shape = r.stdout.split(maxsplit=1)
    assert pathlib.Path(where).is_relative_to(env_dir.resolve()), where  # not the build tree
    assert shape.strip() == "(3, 2)"  # record_id, person_id for each record: the compiled module ran
    r = _run([env_dir / "bin" / "earlyhelp", "--version"], env=_env(), cwd=elsewhere)
    assert r.stdout.startswith(_run([build_dir / "bin" / "earlyhelp", "--version"]).stdout.split()[0])
