#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Blocking: candidate pairs against true matches kept, per rule and per rule set.

For each data set with known truth, `bench_blocking` (C++, the linker's own preparation and
blocking) counts the identity pairs each blocking rule adds and how many true pairs (two identities
of one true person) the candidates cover. Two completeness figures:

- pairs completeness: true pairs that are themselves candidates, over all true pairs;
- reachable completeness: true pairs joined by a chain of true candidate pairs (what clustering can
  at best recover; a true pair that is no candidate but reachable is not lost).

Data: councils from benchmarks/robust_council (a generator written independently of `earlyhelp
synth`) with knobs varied one at a time and at 20,000 and 200,000 persons; FEBRL dataset3 and
4a/4b with and without the social-security number; the `earlyhelp synth` council (ours: reported,
never tuned on). Rule sets: the linker's default and the alternatives given with --sets.
Writes benchmarks/results/blocking.md.

Usage (from the repository root, after a build with -DEARLYHELP_BUILD_BENCHMARKS=ON):

    /usr/bin/python3 benchmarks/bench_blocking.py --build build/ci --synth /tmp/council200k
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import cpu_model  # noqa: E402
from robust_council import Knobs, generate, write_input  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
FEBRL_MAP = "rec_id=record_id,given_name=first_name,street_number=address,address_1=address,address_2=address," \
            "suburb=town,date_of_birth=dob"
ROBUST = [("default", {}), ("dob_missing_30", {"dob_missing": 0.30}), ("no_dob_sources_4", {"sources_without_dob": 4}),
          ("records_10", {"records_mean": 10}), ("household_8", {"household_mean": 8}),
          ("household_1", {"household_mean": 1})]


def run_tool(tool: str, source: list[str], truth: pathlib.Path, sets: list[str], extra: list[str] = ()) -> dict:
    r = subprocess.run([tool, *source, "--truth", str(truth), *extra, *sets], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench_blocking failed: {r.stderr[-600:]}")
    out = {"rules": {}, "sets": {}}
    for line in r.stdout.splitlines():
        f = line.split()
        if f[0] == "data":
            out["data"] = dict(zip(f[1::2], map(int, f[2::2])))
        elif f[0] == "rule":
            out["rules"].setdefault(f[1], []).append((f[2], int(f[3]), int(f[4]), int(f[5]), int(f[6])))
        elif f[0] == "set":
            out["sets"][f[1]] = dict(pairs=int(f[2]), covered=int(f[3]), true=int(f[4]), reachable=int(f[5]),
                                     seconds=float(f[6]))
    return out


def febrl(shared: pathlib.Path, tmp: pathlib.Path, name: str, ssn: bool) -> tuple[list[str], pathlib.Path, list[str]]:
    rows = []
    parts = ["3"] if name == "febrl3" else ["4a", "4b"]
    for p in parts:
        with open(shared / "febrl" / f"dataset{p}.csv", newline="", encoding="utf-8") as f:
            rows += [dict({k.strip(): (v or "").strip() for k, v in r.items()}, source=p)
                     for r in csv.DictReader(f, skipinitialspace=True)]
    src = tmp / f"{name}.csv"
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    truth = tmp / f"{name}_truth.csv"
    with open(truth, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "person_id"])
        for r in rows:
            w.writerow([r["rec_id"], re.match(r"rec-(\d+)", r["rec_id"]).group(1)])
    extra = ["--map", FEBRL_MAP + (",soc_sec_id=nhs_number" if ssn else "")]
    if name == "febrl4":
        extra.append("--link-only")
    return ["--input", str(src)], truth, extra


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ci")
    ap.add_argument("--synth", help="an `earlyhelp synth` council folder with truth/records.csv (skipped without)")
    ap.add_argument("--large", type=int, default=200000, help="persons of the large robust council (0: none)")
    ap.add_argument("--sets", nargs="*", default=[], help="rule sets besides the default, rules joined by ','")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "blocking.md"))
    a = ap.parse_args()
    tool = str((ROOT / a.build).resolve() / "bin" / "bench_blocking")
    sets = ["default", *a.sets]
    shared = ROOT.parent / "shared" / "data"
    results = []
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="eh_bench_blocking_") as td:
        tmp = pathlib.Path(td)
        for name, changes in ROBUST:
            council = generate(Knobs(persons=20000, seed=1, **changes))
            src = write_input(council, tmp / name)
            results.append((f"robust {name} (20,000)", run_tool(tool, ["--input", str(src)],
                                                              tmp / name / "truth" / "records.csv", sets)))
            print(results[-1][0], results[-1][1]["sets"], flush=True)
        if a.large:
            council = generate(Knobs(persons=a.large, seed=2))
            src = write_input(council, tmp / "large")
            del council
            results.append((f"robust default ({a.large:,})", run_tool(tool, ["--input", str(src)],
                                                                      tmp / "large" / "truth" / "records.csv", sets)))
            print(results[-1][0], results[-1][1]["sets"], flush=True)
        if (shared / "febrl").exists():
            for name in ("febrl3", "febrl4"):
                for ssn in (True, False):
                    source, truth, extra = febrl(shared, tmp, name, ssn)
                    results.append((f"FEBRL {name[5:]} {'with' if ssn else 'without'} SSN",
                                    run_tool(tool, source, truth, sets, extra)))
                    print(results[-1][0], results[-1][1]["sets"], flush=True)
        if a.synth:
            results.append((f"earlyhelp synth {pathlib.Path(a.synth).name} (ours)",
                            run_tool(tool, ["--data", a.synth], pathlib.Path(a.synth) / "truth" / "records.csv", sets)))
            print(results[-1][0], results[-1][1]["sets"], flush=True)
    load1 = os.getloadavg()
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = ["# Blocking: candidate pairs and true matches kept\n",
         f"Generated by `benchmarks/bench_blocking.py` on {now}. Do not edit by hand.\n",
         f"- CPU: {cpu_model()}; load average at the start {load0[0]:.1f}, at the end {load1[0]:.1f}",
         f"- Command: `/usr/bin/python3 benchmarks/bench_blocking.py --build {a.build}"
         f"{' --synth ' + a.synth if a.synth else ''}{' --sets ' + ' '.join(a.sets) if a.sets else ''}`",
         "- Pairs are identity pairs (identical records collapsed). Pairs completeness: true pairs that are "
         "candidates; reachable: true pairs joined by a chain of true candidate pairs (clustering's ceiling).",
         "- Rule sets: " + "; ".join(f"**{chr(65 + i)}** = `{s}`" for i, s in enumerate(sets)) + "\n",
         "| data | records | true pairs | set | candidate pairs | pairs completeness | reachable | seconds |",
         "|---|---:|---:|---|---:|---:|---:|---:|"]
    worst = {s: 1.0 for s in sets}
    for label, r in results:
        for i, s in enumerate(sets):
            x = r["sets"][s]
            pc = x["covered"] / x["true"] if x["true"] else 1.0
            rc = x["reachable"] / x["true"] if x["true"] else 1.0
            if "(ours)" not in label:
                worst[s] = min(worst[s], rc)
            L.append(f"| {label} | {r['data']['records']:,} | {x['true']:,} | {chr(65 + i)} | {x['pairs']:,} | "
                     f"{pc:.5f} | {rc:.5f} | {x['seconds']:.1f} |")
    L.append("\nWorst reachable completeness over the data not ours: " +
             ", ".join(f"{chr(65 + i)} {worst[s]:.5f}" for i, s in enumerate(sets)) + ".\n")
    for label, r in results:
        if not (label.startswith("robust default (2") or "(ours)" in label):
            continue
        L += [f"\nPer rule, {label} (pairs no earlier rule covers):\n",
              "| set | rule | new pairs | new true pairs | largest block | windowed blocks |", "|---|---|---:|---:|---:|---:|"]
        for i, s in enumerate(sets):
            for rule, p, t, big, win in r["rules"][s]:
                L.append(f"| {chr(65 + i)} | `{rule}` | {p:,} | {t:,} | {big:,} | {win:,} |")
    pathlib.Path(a.out).write_text("\n".join(L) + "\n")
    print("wrote", a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
