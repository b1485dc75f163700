# SPDX-License-Identifier: Apache-2.0
"""What every benchmark driver records about the machine and the build it measured."""
import pathlib
import platform
import re
import resource
import subprocess
import time


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


def run_cli(cmd: list[str]) -> tuple[str, float, float]:
    """Runs a command; returns stdout, wall seconds and the child's peak RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return r.stdout + r.stderr, secs, max(peak, before) / 1024.0


def parse_summary(text: str) -> dict:
    """The summary line `earlyhelp link` prints (records, persons, pairs, seconds by phase) as numbers."""
    m = re.search(r"records (\d+) identities (\d+) pairs_compared (\d+) links (\d+) persons (\d+) seconds ([\d.]+) "
                  r"\(read ([\d.]+) fit ([\d.]+) predict ([\d.]+) cluster ([\d.]+)\)", text)
    if not m:
        raise SystemExit("unexpected link output:\n" + text)
    keys = ["records", "identities", "pairs", "links", "persons", "seconds", "read", "fit", "predict", "cluster"]
    return {k: float(v) for k, v in zip(keys, m.groups())}


def training_script():
    """scripts/train_reference_models as a module: its councils, tables, baselines and fits, so the
    benchmarks that judge the reference models share one definition of each."""
    import importlib.machinery
    import importlib.util

    path = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "train_reference_models"
    loader = importlib.machinery.SourceFileLoader("train_reference_models", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("train_reference_models", loader))
    loader.exec_module(module)
    return module
