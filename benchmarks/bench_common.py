# SPDX-License-Identifier: Apache-2.0
"""What every benchmark driver records about the machine and the build it measured."""
import pathlib
import platform


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what platform knows)."""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cmake_cache(build: pathlib.Path, key: str) -> str:
    """The value of `key` in build/CMakeCache.txt, or "" when absent."""
    try:
        for line in open(pathlib.Path(build) / "CMakeCache.txt", encoding="utf-8"):
            if line.startswith(key + ":"):
                return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return ""
