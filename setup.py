# SPDX-License-Identifier: Apache-2.0
"""Builds the earlyhelp wheel: CMake compiles the module earlyhelp._core and the earlyhelp CLI,
setuptools packages them with the pure-Python package, its type stubs and py.typed.

The reference models, schemas and feature definitions are embedded in the compiled code, so the
package needs no data files beside it.

Environment:
  EARLYHELP_CMAKE_BUILD_DIR  package an existing CMake build (e.g. build/ci) instead of building:
                             its python/earlyhelp/_core module (built for this interpreter) and
                             bin/earlyhelp. Nothing is compiled.
  EARLYHELP_CMAKE_ARGS       extra arguments for the CMake configure step (shell words).
  CMAKE_BUILD_PARALLEL_LEVEL compile jobs (CMake's own variable; default: the generator's).
Without EARLYHELP_CMAKE_BUILD_DIR the build goes to build/pip (reused by the next `pip install .`),
configured like the `release` preset, with Python3_EXECUTABLE = the interpreter running pip.
"""

import glob
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def _version() -> str:
    text = (ROOT / "include" / "earlyhelp" / "core" / "version.hpp").read_text()
    parts = [re.search(rf"#define EARLYHELP_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def _prebuilt_dir():
    d = os.environ.get("EARLYHELP_CMAKE_BUILD_DIR", "").strip()
    return pathlib.Path(d).resolve() if d else None


def _cmake_build_dir() -> pathlib.Path:
    return _prebuilt_dir() or ROOT / "build" / "pip"


class CMakeBuild(build_ext):
    """build_ext for the one extension, earlyhelp._core: configure and build with CMake (or take an
    existing build), then copy the module and the CLI into the package."""

    def build_extension(self, ext):
        build_dir = _cmake_build_dir()
        if _prebuilt_dir() is None:
            self._cmake(build_dir)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        module = build_dir / "python" / "earlyhelp" / f"_core{suffix}"
        if not module.is_file():
            found = sorted(glob.glob(str(build_dir / "python" / "earlyhelp" / "_core*.so")))
            raise SystemExit(
                f"earlyhelp: {module} not found"
                + (f" (the build holds {', '.join(os.path.basename(f) for f in found)}: built for another Python; "
                   f"configure it with -DPython3_EXECUTABLE={sys.executable})" if found else
                   " (build the CMake target earlyhelp_python there first)"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(module, target)
        cli = build_dir / "bin" / "earlyhelp"
        if not cli.is_file():
            raise SystemExit(f"earlyhelp: {cli} not found (build the CMake target earlyhelp_cli there first)")
        bin_dir = target.parent / "bin"
        bin_dir.mkdir(exist_ok=True)
        shutil.copyfile(cli, bin_dir / "earlyhelp")
        os.chmod(bin_dir / "earlyhelp", 0o755)

    def _cmake(self, build_dir: pathlib.Path):
        if shutil.which("cmake") is None:
            raise SystemExit("earlyhelp: cmake not found (apt-get install cmake; scripts/install-deps installs "
                             "everything the build needs)")
        configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir)]
        if not (build_dir / "CMakeCache.txt").exists() and shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += [
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DBUILD_TESTING=OFF",
            "-DEARLYHELP_BUILD_EXAMPLES=OFF",
            "-DEARLYHELP_BUILD_CAPI=OFF",
            "-DEARLYHELP_INSTALL=OFF",
        ]
        configure += shlex.split(os.environ.get("EARLYHELP_CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "earlyhelp_python", "earlyhelp_cli"],
                       check=True)


# setuptools' own build and metadata folders go inside the CMake build folder, not the source tree.
_base = _cmake_build_dir() / "setuptools"
_base.mkdir(parents=True, exist_ok=True)

setup(
    version=_version(),
    package_dir={"": "bindings/python"},
    packages=["earlyhelp"],
    package_data={"earlyhelp": ["py.typed", "_core/*.pyi"]},
    ext_modules=[Extension("earlyhelp._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    scripts=["bindings/python/scripts/earlyhelp"],
    zip_safe=False,
    options={"build": {"build_base": str(_base / "build")}, "egg_info": {"egg_base": str(_base)}},
)
