#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Profiling benchmark: the default synthetic county from extracts to alerts and Troubled Families.

Measures, on the county `earlyhelp synth` draws by default (600,000 persons, seed 1; generated once,
not measured), the pipeline a council runs on a date:

1. `earlyhelp profile --families` without --persons: link the extracts into persons and
   households, read them once for the four domains' features and the Troubled Families criteria,
   score the four domains with the shipped reference models, reasons, contact and the alert policy
   against a fresh history file (the baseline), and the Troubled Families families and members;
2. for comparison, `earlyhelp tf` on the persons file step 1 wrote: the same families as a step of
   its own (its files must equal step 1's byte for byte: checked);
3. a quarter later, `earlyhelp profile` with that persons file: the alerts on change.

Targets (issue 15): at most 180 s on 2 cores and peak memory under 4 GiB (as the results file
reports memory) from extracts to alerts and families: step 1. Each
step's wall time, CPU seconds (user + system) and peak RSS come from /usr/bin/time; the machine is
shared, so the load average is recorded and CPU seconds are reported beside wall time. There is no
peer: no open tool does this step end to end.

Writes benchmarks/results/profiling.md.
"""
import argparse
import datetime as dt
import os
import pathlib
import re
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import cmake_cache, cpu_model  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIRST, AS_OF = "2024-07-01", "2024-10-01"


def timed(cmd):
    """Runs a command under /usr/bin/time: (stdout+stderr, wall s, cpu s, peak RSS MiB)."""
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/env", "time", "-f", "TIME %U %S %M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    m = re.findall(r"TIME ([\d.]+) ([\d.]+) (\d+)", r.stderr)[-1]
    return r.stdout + r.stderr, wall, float(m[0]) + float(m[1]), int(m[2]) / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ci")
    ap.add_argument("--persons", type=int, default=600000)
    ap.add_argument("--work", default=None, help="folder for the county (kept; reused when present)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "profiling.md"))
    a = ap.parse_args()
    build = (ROOT / a.build).resolve()
    cli = str(build / "bin" / "earlyhelp")
    work = pathlib.Path(a.work or f"/tmp/eh_bench_profiling_{a.persons}")
    data = work / "council"
    if not (data / "council_tax.csv").exists():
        timed([cli, "--no-audit", "synth", "--persons", str(a.persons), "--seed", "1", "--out", str(data), "--quiet"])
    drawn = (data / "synth_args.txt").read_text().strip() if (data / "synth_args.txt").exists() else \
        f"--persons {a.persons} --seed 1"
    records = sum(max(0, sum(1 for _ in open(f)) - 1) for f in data.glob("*.csv"))
    run = work / "run"
    run.mkdir(parents=True, exist_ok=True)
    for f in ("history.sqlite", "persons.csv"):
        (run / f).unlink(missing_ok=True)
    th = ["--threads", str(a.threads)]
    load_start = os.getloadavg()
    # The pipeline from extracts: link (no --persons), features, four domains, alerts (a fresh history:
    # every subject is a first assessment, recorded as the baseline) and Troubled Families.
    prof_cmd = [cli, "--no-audit", "profile", "--data", str(data), "--as-of", FIRST, "--history",
                str(run / "history.sqlite"), "--output", str(run / "alerts-first.csv"), "--scores",
                str(run / "scores.csv"), "--families", str(run / "families.csv"), "--members",
                str(run / "members.csv"), "--quiet", *th]
    prof_out, prof_wall, prof_cpu, prof_rss = timed(prof_cmd)
    # The same families by `earlyhelp tf` as a step of its own: what running it apart costs.
    tf_cmd = [cli, "--no-audit", "tf", "--data", str(data), "--as-of", FIRST, "--persons", str(run / "persons.csv"),
              "--output", str(run / "families-tf.csv"), "--members", str(run / "members-tf.csv"), "--quiet", *th]
    tf_out, tf_wall, tf_cpu, tf_rss = timed(tf_cmd)
    same = all((run / f"{k}.csv").read_bytes() == (run / f"{k}-tf.csv").read_bytes() for k in ("families", "members"))
    if not same:
        raise SystemExit("profile --families and tf wrote different families or members files")
    # A quarter later on the same linkage: alerts on change against the history.
    next_cmd = [cli, "--no-audit", "profile", "--data", str(data), "--as-of", AS_OF, "--persons",
                str(run / "persons.csv"), "--history", str(run / "history.sqlite"), "--output", str(run / "alerts.csv"),
                "--quiet", *th]
    next_out, next_wall, next_cpu, next_rss = timed(next_cmd)
    load_end = os.getloadavg()
    alerts = max(0, sum(1 for _ in open(run / "alerts.csv")) - 1)
    scores = max(0, sum(1 for _ in open(run / "scores.csv")) - 1)
    total, total_cpu, peak = prof_wall, prof_cpu, prof_rss
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    domain_lines = [ln for ln in next_out.splitlines() if re.match(r"^(safeguarding|homelessness|asb|debt)\s", ln)]
    tf_line = next((ln for ln in prof_out.splitlines() if ln.startswith("families ")), "")

    # The load as measured, never assumed: one 1-minute load average per core or less is an idle
    # machine for this run (the run itself keeps the load near its thread count).
    cores = os.cpu_count() or 1
    worst = max(load_start[0], load_end[0])
    busy = (f"idle apart from this run (1-minute load at most {worst:.1f} on {cores} cores)" if worst <= cores else
            f"loaded by other work (1-minute load up to {worst:.1f} on {cores} cores)")

    def show(cmd):
        return " ".join(["earlyhelp"] + cmd[1:]).replace(str(work), "$WORK")

    L = ["# Profiling benchmark\n",
         f"Generated by `benchmarks/bench_profiling.py` on {now}. Do not edit by hand.\n",
         f"- CPU: {cpu_model()}; cores available: {os.cpu_count()}; threads used: {a.threads}",
         f"- Compiler: {cmake_cache(build, 'CMAKE_CXX_COMPILER')} ({cmake_cache(build, 'CMAKE_BUILD_TYPE')}, flags "
         f"`{cmake_cache(build, 'CMAKE_CXX_FLAGS_RELEASE')}`)",
         f"- Command: `/usr/bin/python3 benchmarks/bench_profiling.py --build {a.build}"
         f"{' --work ' + a.work if a.work else ''}` (the county is drawn once with `earlyhelp synth {drawn}`, not "
         "measured)",
         f"- Load average (1, 5, 15 min) at the start: {load_start[0]:.1f} {load_start[1]:.1f} {load_start[2]:.1f}; "
         f"at the end: {load_end[0]:.1f} {load_end[1]:.1f} {load_end[2]:.1f}; niceness {os.nice(0)}; {busy}. The "
         "machine is shared with other engineers' builds and benchmarks: above a load of one per core, wall times "
         "are an upper bound; CPU seconds are inflated far less by the load.",
         f"- Data: {a.persons:,} persons, {records:,} records in 18 extracts; as of {FIRST} (the pipeline, with a "
         f"fresh history: every subject a first assessment, so no alert) and {AS_OF} (a quarter later on the same "
         "linkage: alerts on change); models: the shipped "
         "reference bundles (synthetic data only).\n",
         "| step | wall s | CPU s (user + sys) | peak memory |", "|---|---:|---:|---:|",
         f"| **profile --families: link, features, four domains, reasons, alerts, Troubled Families families** | "
         f"**{prof_wall:.1f}** | **{prof_cpu:.1f}** | **{prof_rss / 1024:.2f} GiB** |",
         f"| for comparison: tf alone on the persons file, the same families as a step of its own | {tf_wall:.1f} | "
         f"{tf_cpu:.1f} | {tf_rss / 1024:.2f} GiB |",
         f"| then, a quarter later: profile with the persons file, alerts on change | {next_wall:.1f} | {next_cpu:.1f} | "
         f"{next_rss / 1024:.2f} GiB |\n",
         "The families and members files of `profile --families` and of `tf` are identical byte for byte "
         "(checked by the script).\n",
         "| target: extracts to alerts and families | ours | |", "|---|---:|---|",
         f"| at most 180 s on 2 cores | {total:.1f} s wall, {total_cpu:.1f} s CPU | "
         f"{'met' if total <= 180 else f'NOT met (wall, at a load of {load_start[0]:.1f} to {load_end[0]:.1f} on {cores} cores)'}"
         f"{'' if total <= 180 else '; CPU / 2 cores = ' + format(total_cpu / 2, '.1f') + ' s'} |",
         f"| peak memory under 4 GiB | {peak / 1024:.2f} GiB | {'met' if peak < 4096 else 'NOT met'} |\n",
         f"Scores written: {scores:,} rows; alerts a quarter later: {alerts:,}.\n",
         "Per domain a quarter later, and the families on the first date (the verb's summaries):\n", "```",
         *domain_lines, tf_line, "```\n",
         f"Commands:\n\n- `{show(prof_cmd)}`\n- `{show(tf_cmd)}`\n- `{show(next_cmd)}`\n"]
    pathlib.Path(a.out).write_text("\n".join(L))
    print("\n".join(L))
    return 0


if __name__ == "__main__":
    sys.exit(main())
