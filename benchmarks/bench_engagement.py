#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The Troubled Families engagement model judged on councils it was not developed on, beside a peer.

For each synthetic council (`earlyhelp synth --early-help`, one knob varied at a time: the seed --
five by default, 201-205, never looked at while the model was developed (development used seed 7)
-- then, on the first seed, half the size and a longer history), in one run:

  ours  earlyhelp engagement --backtest: the discrete-time competing-risks model fitted on the
        episodes before the split (censored there), judged on the episodes that start after it
  const the constant from the same fit window (pooled interval rates: no features)
  peer  scikit-learn LogisticRegression (library defaults) on the same features at the start
        (six headline problems, their number, children, earlier episodes), trained on the
        episodes whose 24-week outcome is known before the split

The outcome: turned around (closure outcomes_achieved) within 24 weeks of the start. Reported:
Brier score, AUC, precision and recall of the listed families (p >= --threshold), calibration by number
of problems, and the mean absolute error of the length of engagement (weeks, to 104). The worst
case over the draws is what counts. Nothing here is tuned: library defaults throughout.

Writes benchmarks/results/engagement.md.

Usage (from the repository root, after `cmake --build --preset ci`):
  /usr/bin/python3 benchmarks/bench_engagement.py --build-dir build/ci
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import platform
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import cmake_cache, cpu_model, run_cli  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROBLEMS = ["crime_asb", "school_attendance", "children_need_help", "worklessness_debt", "domestic_abuse", "health"]


def features(df: pd.DataFrame) -> np.ndarray:
    p = df[[f"problem_{k}" for k in PROBLEMS]].eq("Y").astype(float).to_numpy()
    earlier = df.groupby("family_ref").cumcount().clip(upper=2).to_numpy(float)[:, None]
    return np.hstack([p, p.sum(1, keepdims=True), df["children"].clip(upper=4).to_numpy(float)[:, None], earlier])


def auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def peer(path: pathlib.Path, split: pd.Timestamp, end: pd.Timestamp, short: float, threshold: float) -> dict:
    from sklearn.linear_model import LogisticRegression
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["start"] = pd.to_datetime(df["start_date"], dayfirst=True)
    df["end"] = pd.to_datetime(df["end_date"].replace("", None), dayfirst=True)
    df["children"] = df["children"].astype(int)
    df = df.sort_values(["family_ref", "start"]).reset_index(drop=True)
    x = features(df)
    weeks = (df["end"] - df["start"]).dt.days / 7.0
    y = ((df["closure_reason"] == "outcomes_achieved") & (weeks <= short)).to_numpy(float)
    # trained only on episodes whose 24-week outcome is known before the split
    train = (df["start"] + pd.Timedelta(weeks=short) < split).to_numpy()
    test = ((df["start"] >= split) & (df["start"] + pd.Timedelta(weeks=short) <= end)).to_numpy()
    m = LogisticRegression(max_iter=1000).fit(x[train], y[train])
    s = m.predict_proba(x[test])[:, 1]
    yt = y[test]
    listed = s >= threshold
    return {"brier": float(np.mean((s - yt) ** 2)), "auc": auc(yt, s),
            "precision": float(yt[listed].mean()) if listed.any() else float("nan"),
            "recall": float(yt[listed].sum() / yt.sum()) if yt.sum() else float("nan"), "train": int(train.sum())}


def draw(cli: str, work: pathlib.Path, label: str, args: list[str], split: str, threads: int, threshold: float) -> dict:
    data = work / label
    shutil.rmtree(data, ignore_errors=True)
    subprocess.run([cli, "--no-audit", "synth", "--early-help", "--quiet", "--threads", str(threads), "--out", str(data)] + args,
                   check=True)
    ev_path = data / "evaluation.csv"
    text, secs, _ = run_cli([cli, "--no-audit", "engagement", "--backtest", "--data", str(data), "--as-of", split,
                             "--threshold", str(threshold), "--out", str(ev_path)])
    ev = dict(pd.read_csv(ev_path).itertuples(index=False, name=None))
    eps = pd.read_csv(data / "early_help_episodes.csv", dtype=str, keep_default_na=False)
    end = max(pd.to_datetime(eps["end_date"].replace("", None), dayfirst=True).max(),
              pd.to_datetime(eps["start_date"], dayfirst=True).max())
    return {"label": label, "ours": ev, "peer": peer(data / "early_help_episodes.csv", pd.Timestamp(split), end, 24.0, threshold),
            "episodes": len(eps), "closures": dict(eps["closure_reason"].replace("", "open").value_counts()), "seconds": secs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=str(ROOT / "build" / "ci"))
    ap.add_argument("--work", default="/tmp/eh_bench_engagement")
    ap.add_argument("--persons", type=int, default=100000)
    ap.add_argument("--start", default="2021-04-01", help="first day of the councils' history")
    ap.add_argument("--split", default="2023-10-01", help="fit before it, judge the episodes that start after it")
    ap.add_argument("--seeds", default="201,202,203,204,205")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=0.3,
                    help="list a family when p >= this (0.3 chosen on the development seed 7; the library's default is 0.5)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "engagement.md"))
    a = ap.parse_args()
    build = pathlib.Path(a.build_dir)
    cli = str(build / "bin" / "earlyhelp")
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    seeds = [s.strip() for s in a.seeds.split(",") if s.strip()]
    base = ["--persons", str(a.persons), "--start", a.start]
    draws = [(f"seed_{s}", base + ["--seed", s]) for s in seeds]
    draws += [(f"half_size_seed_{seeds[0]}", ["--persons", str(a.persons // 2), "--start", a.start, "--seed", seeds[0]]),
              (f"history_from_2019_seed_{seeds[0]}", ["--persons", str(a.persons), "--start", "2019-04-01", "--seed", seeds[0]])]
    results = []
    for label, args in draws:
        print(f"engagement: {label} ({' '.join(args)})", flush=True)
        results.append(draw(cli, work, label, args, a.split, a.threads, a.threshold))

    lines = ["# Troubled Families engagement model: back-test against a constant and scikit-learn", "",
             "Written by `benchmarks/bench_engagement.py`; regenerate by running it, never edit by hand.", "",
             f"- date: {dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC",
             f"- CPU: {cpu_model()}; cores available: {os.cpu_count()}",
             f"- compiler: {cmake_cache(build, 'CMAKE_CXX_COMPILER')} ({cmake_cache(build, 'CMAKE_BUILD_TYPE')}); "
             f"Python {platform.python_version()}, scikit-learn {__import__('sklearn').__version__}",
             f"- command: `/usr/bin/python3 benchmarks/bench_engagement.py --build-dir {a.build_dir} --persons {a.persons} "
             f"--start {a.start} --split {a.split} --seeds {a.seeds} --threshold {a.threshold}`",
             f"- load average when the run finished: {os.getloadavg()[0]:.1f} (the machine is shared)", "",
             f"Each council is `earlyhelp synth --early-help` ({a.persons} persons, history from {a.start}, to 2025-03-31) "
             "with one knob varied; seeds 201-205 were never looked at while the model was developed (seed 7 was). The "
             f"model is fitted on what is known before {a.split} and judged on the episodes that start from it on and "
             "whose 24-week outcome is known by the end of the data. Outcome: turned around (outcomes achieved) within "
             f"24 weeks. Listed: p >= {a.threshold} (chosen on the development seed; at the library's default of 0.5 few "
             "synthetic families are listed, since about one in four is turned around that fast). Lower Brier and length "
             "MAE are better; higher AUC is better.", "",
             "| draw | episodes (closures) | test episodes | turned around in 24 wk | Brier ours | Brier constant | Brier sklearn | "
             "AUC ours | AUC sklearn | listed | precision ours | recall ours | precision sklearn | recall sklearn | "
             "length MAE ours (weeks) | length MAE constant | seconds |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        o, p = r["ours"], r["peer"]
        closures = ", ".join(f"{k} {v}" for k, v in sorted(r["closures"].items()))
        lines.append(f"| {r['label']} | {r['episodes']} ({closures}) | {int(o['test_episodes'])} | {o['positives'] / o['test_episodes']:.3f} | "
                     f"{o['brier']:.4f} | {o['brier_constant']:.4f} | {p['brier']:.4f} | {o['auc']:.3f} | {p['auc']:.3f} | "
                     f"{int(o['listed'])} | {o['precision']:.3f} | {o['recall']:.3f} | {p['precision']:.3f} | {p['recall']:.3f} | "
                     f"{o['length_mae']:.2f} | {o['length_mae_constant']:.2f} | {r['seconds']:.1f} |")
    worst = lambda key, f=max: f(r["ours"][key] for r in results)  # noqa: E731
    lines += ["", f"Worst over the draws (ours): Brier {worst('brier'):.4f} (constant's worst "
              f"{max(r['ours']['brier_constant'] for r in results):.4f}, scikit-learn's worst {max(r['peer']['brier'] for r in results):.4f}); "
              f"AUC {worst('auc', min):.3f} (scikit-learn's worst {min(r['peer']['auc'] for r in results):.3f}); "
              f"length MAE {worst('length_mae'):.2f} weeks (constant's worst {max(r['ours']['length_mae_constant'] for r in results):.2f}).", "",
              "### Calibration by group (share turned around within 24 weeks: mean predicted / observed, episodes)", ""]
    groups = sorted({k.split(":")[1] + ":" + k.split(":")[2] for r in results for k in r["ours"] if k.startswith("calibration:")})
    lines.append("| group | " + " | ".join(r["label"] for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for g in groups:
        cells = []
        for r in results:
            o = r["ours"]
            n = o.get(f"calibration:{g}:episodes")
            cells.append("-" if n is None else f"{o[f'calibration:{g}:predicted']:.3f} / {o[f'calibration:{g}:observed']:.3f} ({int(n)})")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    lines.append("")
    pathlib.Path(a.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
