#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""CSV ingest speed: earlyhelp (validating, typed) against pandas.read_csv on the same file.

Generates a school_exclusions-shaped extract (12 mixed columns: identifiers, names, UK dates,
ISO dates, categories, a float, postcodes, UPNs) of --rows rows in /tmp, then times, in one run:

  ours  earlyhelp.read_csv(path, stream="school_exclusions")  -> typed DataFrame + rejects,
        with every field validated (formats, ranges, categories, unique key); all cores, and
        again with threads=1
  ours  earlyhelp validate (the CLI)                           -> clean.csv + rejects.csv;
        all cores, and again with --threads 1
  peer  pandas.read_csv(path)                                   -> DataFrame, dtypes inferred
  peer  pandas.read_csv(path, dtype=..., parse_dates=..., dayfirst=True) -> typed like ours

Each figure is the best of --repeat runs (wall clock). Writes benchmarks/results/io.md.

Usage (from the repository root, after `cmake --preset bench && cmake --build --preset bench`):
  PYTHONPATH=build/bench/python /usr/bin/python3 benchmarks/bench_io.py --build-dir build/bench
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import pathlib
import platform
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from bench_common import cmake_cache, cpu_model  # noqa: E402  (beside this script)

ROOT = pathlib.Path(__file__).resolve().parents[1]

FIRST = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Noah", "Oliver", "George", "Arthur", "Leo", "Muhammad",
         "Harry", "Jack", "Freya", "Lily", "Grace", "Sophia", "Evie", "Theo", "Oscar", "Zara", "Aisha", "Kacper"]
LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Khan", "Patel", "Wright", "Walker", "O'Brien", "Hughes", "Green", "Lewis", "Wood", "Kowalski"]
OUTWARD = ["M1", "M14", "SW1A", "B33", "LS6", "NE1", "CR2", "DN55", "EC1A", "W1A", "BS8", "L8", "S10", "OL11"]
INWARD_LETTERS = list("ABDEFGHJLNPQRSTUWXYZ")
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def generate(path: pathlib.Path, n: int, categories: dict, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    # UPNs: 12 digits and the DfE check letter (weights 2..13, mod 23).
    digits = rng.integers(0, 10, size=(n, 12))
    check = (digits * np.arange(2, 14)).sum(axis=1) % 23
    upn = np.char.add(np.array(list(UPN_LETTERS))[check],
                      np.array(["".join(map(str, d)) for d in digits]))
    dob = pd.to_datetime("2005-01-01") + pd.to_timedelta(rng.integers(0, 13 * 365, n), unit="D")
    start = dob + pd.to_timedelta(rng.integers(5 * 365, 11 * 365, n), unit="D")  # excluded aged 5-16
    il = np.array(INWARD_LETTERS)
    postcode = (np.array(OUTWARD)[rng.integers(0, len(OUTWARD), n)].astype(object) + " " +
                rng.integers(0, 10, n).astype(str).astype(object) + il[rng.integers(0, len(il), n)] +
                il[rng.integers(0, len(il), n)])
    # About 0.1% bad postcodes and 0.1% impossible dates, so the reject path is exercised.
    bad = rng.random(n) < 0.001
    postcode[bad] = "NOT A PC"
    dob_text = dob.strftime("%d/%m/%Y").to_numpy(dtype=object)
    dob_text[rng.random(n) < 0.001] = "31/02/2010"
    df = pd.DataFrame({
        "record_id": np.char.add("EX", np.arange(n).astype(str)),
        "upn": upn,
        "first_name": np.array(FIRST)[rng.integers(0, len(FIRST), n)],
        "surname": np.array(LAST)[rng.integers(0, len(LAST), n)],
        "dob": dob_text,
        "sex": np.array(categories["sex"])[rng.integers(0, len(categories["sex"]), n)],
        "postcode": postcode,
        "school_urn": rng.integers(100000, 150000, n).astype(str),
        "start_date": start.strftime("%Y-%m-%d"),
        "category": np.array(categories["category"])[rng.integers(0, len(categories["category"]), n)],
        "days": np.round(rng.random(n) * 10, 1),
        "reason": np.array(categories["reason"])[rng.integers(0, len(categories["reason"]), n)],
    })
    df.to_csv(path, index=False)


def best_of(repeat: int, fn):
    """Best wall-clock and best CPU seconds (this process plus its children) over `repeat` runs.

    CPU time is reported beside wall time because the machine may be shared: wall time then
    includes waiting for a core, CPU time does not.
    """
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeat):
        out = None
        gc.collect()
        c0 = time.process_time() + _children_cpu()
        t0 = time.perf_counter()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() + _children_cpu() - c0)
    return best_wall, best_cpu, out


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime






def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default="build/bench", help="build tree with bin/earlyhelp and python/")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", default="/tmp/earlyhelp_bench_io.csv")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "io.md"))
    args = ap.parse_args()
    build_dir = pathlib.Path(args.build_dir).resolve()
    sys.path.insert(0, str(build_dir / "python"))
    import earlyhelp

    stream = earlyhelp.builtin_schema().stream("school_exclusions")
    cats = {f.name: list(f.categories) for f in stream.fields if f.categories}
    data = pathlib.Path(args.data)
    print(f"generating {args.rows} rows -> {data}", flush=True)
    generate(data, args.rows, cats)
    size_mb = data.stat().st_size / 1e6

    results = []

    def record(who, what, timing, rows):
        wall, cpu = timing
        results.append((who, what, wall, cpu, rows / wall, rows / cpu, size_mb / wall))
        print(f"{who:5} {what:70} wall {wall:7.3f} s  cpu {cpu:7.3f} s  {rows / wall:12,.0f} rows/s", flush=True)

    wall, cpu, (clean, rejects) = best_of(args.repeat, lambda: earlyhelp.read_csv(data, stream="school_exclusions"))
    assert len(clean) + len(rejects) == args.rows
    n_rejects = len(rejects)
    del clean, rejects
    record("ours", "earlyhelp.read_csv (validate all fields, typed DataFrame + rejects)", (wall, cpu), args.rows)
    wall, cpu, _ = best_of(args.repeat, lambda: earlyhelp.read_csv(data, stream="school_exclusions", threads=1))
    record("ours", "earlyhelp.read_csv, threads=1", (wall, cpu), args.rows)

    cli = build_dir / "bin" / "earlyhelp"
    cmd = [str(cli), "validate", "--stream", "school_exclusions", "--input", str(data), "--output",
           "/tmp/earlyhelp_bench_clean.csv", "--rejects", "/tmp/earlyhelp_bench_rejects.csv", "--quiet"]
    wall, cpu, _ = best_of(args.repeat, lambda: subprocess.run(cmd, check=True, capture_output=True))
    record("ours", "earlyhelp validate CLI (validate, write clean.csv + rejects.csv)", (wall, cpu), args.rows)
    wall, cpu, _ = best_of(args.repeat, lambda: subprocess.run(cmd + ["--threads", "1"], check=True, capture_output=True))
    record("ours", "earlyhelp validate CLI, --threads 1", (wall, cpu), args.rows)

    wall, cpu, df = best_of(args.repeat, lambda: pd.read_csv(data))
    assert len(df) == args.rows
    del df
    record("peer", "pandas.read_csv (dtypes inferred, no validation)", (wall, cpu), args.rows)

    dtypes = {"record_id": str, "upn": str, "first_name": str, "surname": str, "sex": "category",
              "postcode": str, "school_urn": str, "category": "category", "days": "float64", "reason": "category"}
    wall, cpu, _ = best_of(args.repeat, lambda: pd.read_csv(data, dtype=dtypes, parse_dates=["start_date"]))
    record("peer", "pandas.read_csv (declared dtypes, ISO dates parsed, no validation)", (wall, cpu), args.rows)

    def typed_like_ours():
        d = pd.read_csv(data, dtype=dtypes, parse_dates=["start_date"])
        d["dob"] = pd.to_datetime(d["dob"], format="%d/%m/%Y", errors="coerce")
        return d

    wall, cpu, _ = best_of(args.repeat, typed_like_ours)
    record("peer", "pandas.read_csv + to_datetime(dob, '%d/%m/%Y') (typed like ours)", (wall, cpu), args.rows)

    ours_py, ours_py_1, ours_cli, ours_cli_1 = results[0], results[1], results[2], results[3]
    pandas_default, pandas_typed = results[4], results[6]

    def ratio(peer, ours, k):
        return peer[k] / ours[k]

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"] * 3
    lines = [
        "# CSV ingest: earlyhelp vs pandas.read_csv",
        "",
        "Written by `benchmarks/bench_io.py`; do not edit by hand.",
        "",
        f"- date: {now}",
        f"- CPU: {cpu_model()}; cores: {os.cpu_count()}; load average at start of the write-up: {' '.join(load)}"
        " (shared machine: other builds were running)",
        f"- compiler: {cmake_cache(build_dir, 'CMAKE_CXX_COMPILER') or 'unknown'}; build type {cmake_cache(build_dir, 'CMAKE_BUILD_TYPE') or 'unknown'};"
        f" flags `{cmake_cache(build_dir, 'CMAKE_CXX_FLAGS_RELEASE')}`",
        f"- Python {platform.python_version()}, pandas {pd.__version__} (Debian python3-pandas), numpy {np.__version__}",
        f"- input: {args.rows:,} rows x 12 columns (school_exclusions shape), {size_mb:.1f} MB, "
        f"{n_rejects} rows rejected by earlyhelp (planted bad postcodes / dates)",
        f"- each figure: best of {args.repeat} wall-clock runs, same file, same process run",
        f"- command: `PYTHONPATH={args.build_dir}/python /usr/bin/python3 benchmarks/bench_io.py "
        f"--build-dir {args.build_dir} --rows {args.rows} --repeat {args.repeat}`",
        "",
        "| who | what | wall s | CPU s | rows/s (wall) | rows/s (CPU) | MB/s (wall) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for who, what, wall, cpu, rps, rps_cpu, mbs in results:
        lines.append(f"| {who} | {what} | {wall:.3f} | {cpu:.3f} | {rps:,.0f} | {rps_cpu:,.0f} | {mbs:.1f} |")
    lines += [
        "",
        "Ratios (pandas time / earlyhelp time; > 1 means earlyhelp is faster), wall and CPU:",
        "",
        f"- earlyhelp validate CLI vs pandas.read_csv (inferred): **{ratio(pandas_default, ours_cli, 2):.2f}x** wall,"
        f" **{ratio(pandas_default, ours_cli, 3):.2f}x** CPU",
        f"- earlyhelp.read_csv vs pandas.read_csv (inferred): **{ratio(pandas_default, ours_py, 2):.2f}x** wall,"
        f" **{ratio(pandas_default, ours_py, 3):.2f}x** CPU",
        f"- earlyhelp.read_csv vs pandas typed like ours: **{ratio(pandas_typed, ours_py, 2):.2f}x** wall,"
        f" **{ratio(pandas_typed, ours_py, 3):.2f}x** CPU",
        f"- threads: the CLI on all {os.cpu_count()} cores is {ratio(ours_cli_1, ours_cli, 2):.2f}x its one-thread wall time;"
        f" read_csv {ratio(ours_py_1, ours_py, 2):.2f}x",
        "",
        "Targets (issue 18): earlyhelp.read_csv at least 1x pandas.read_csv (inferred), the validate CLI",
        "at least 3x. See the ratios above for what this run achieved; figures from a loaded machine",
        "vary by +-30% between runs. When the load average is above the core count, wall seconds are",
        "mostly time spent waiting for a core (far above CPU seconds) and threads cannot show a gain:",
        "the CPU ratios then compare the work done more fairly. On an idle machine the threaded runs",
        "use more CPU seconds than wall seconds.",
        (f"**This run: load average {load[0]} on {os.cpu_count()} cores, above the core count.**"
         if _float(load[0]) > (os.cpu_count() or 1) else f"This run: load average {load[0]} on {os.cpu_count()} cores."),
        "",
        "Threads: the input is cut into chunks of whole records (about 256 KiB; one serial pass over",
        "the quotes finds where records end, so a quoted line break is never cut), and each chunk is",
        "tokenised, checked and, for the CLI, formatted as clean CSV on any core. Two things stay",
        "serial, each on one thread at a time and overlapping each other: the unique-key check, and the",
        "sink taking the rows in input order (the CLI appends the formatted bytes and writes the files;",
        "read_csv fills the columns it returns). There is no barrier between chunks: a thread takes",
        "whichever stage of whichever chunk is ready (the serial ones first), so the key check and the",
        "output of one chunk overlap the cutting and checking of the next ones; four chunks per thread",
        "are in flight. The CLI also takes the SHA-256 of its input and outputs for the audit record as",
        "the bytes pass (the reader's blocks in the cut stage, the written bytes in the sink), so no",
        "file is read again after the run.",
        "",
        "earlyhelp does more work than pandas in every row: it checks UPN check letters, postcodes,",
        "categories, date validity and ranges, the unique key, and UTF-8, and keeps every rejected",
        "row with its reason. The string columns (identifiers, names) become Python str objects in",
        "both libraries, one shared str per repeated value (pandas' parser dedupes the same way);",
        "numbers, dates and booleans go straight into numpy arrays and category fields into",
        "pandas Categoricals (codes + categories, no str per cell).",
        "",
    ]
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
