# SPDX-License-Identifier: Apache-2.0
"""Scoring and linking on Dask: throughput of ``earlyhelp.dask.score`` on a distributed.LocalCluster
of 1 and 2 worker processes (one thread each), beside the same model scoring the same rows on one
machine (``Model.predict``, 1 and 2 threads) and XGBoost's own ``Booster.inplace_predict`` on the
frame's pandas partitions through Dask (``map_partitions``), the usual way XGBoost users score on
Dask; and ``earlyhelp.dask.link`` on 1 and 2 worker processes beside ``earlyhelp.link`` on one
machine (1 and 2 threads), on a council drawn by benchmarks/robust_council (--link-persons).

The model: XGBoost, 200 trees of depth 6 on 50 features, trained on 20,000 rows and imported;
scored on --rows rows (5% NaN) held in --partitions pandas partitions that the workers already
hold (persisted before timing), so the figures are the scoring, not moving the data.

Writes benchmarks/results/dask.md.

Usage (from the repository root, after `cmake --build --preset ci`):
  PYTHONPATH=build/ci/python /usr/bin/python3 benchmarks/bench_dask.py --build build/ci
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import platform
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_common import cmake_cache, cpu_model  # noqa: E402


def best(fn, repeat: int) -> tuple[float, float]:
    """(best wall seconds, CPU seconds of this process and its children in that run). `fn` gets
    the run's number, which the Dask runs pass to their tasks so that no run can reuse an
    earlier run's results still held by the workers."""
    out = []
    for run in range(repeat):
        t0, c0 = time.perf_counter(), os.times()
        fn(run)
        c1 = os.times()
        out.append((time.perf_counter() - t0, (c1.user - c0.user) + (c1.system - c0.system)))
    return min(out)


LINK_HEADING = "## Linking: earlyhelp.dask.link"


def link_section(a, earlyhelp, ehd, dd, distributed) -> list[str]:
    """earlyhelp.dask.link on 1 and 2 worker processes beside earlyhelp.link on one machine; the
    lines of its section of the results file."""
    from robust_council import Knobs, generate
    from robust_council.write import rows as council_rows

    frame = pd.DataFrame(council_rows(generate(Knobs(persons=a.link_persons, seed=1))))
    n = len(frame)
    load0 = os.getloadavg()
    rows, stats, one = [], None, None
    for threads in (1, 2):
        def run(_):
            nonlocal stats, one
            lk = earlyhelp.Linker({"n_threads": threads}, progress=False)
            lk.add_records(frame)
            one = lk.link()
            stats = lk.stats
        wall, _ = best(run, a.link_repeat)
        rows.append((f"one machine, `earlyhelp.link`, {threads} thread(s)", wall))
    same = []
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            ddf = dd.from_pandas(frame, npartitions=4).persist()
            distributed.wait(ddf)
            got = None

            def run(_):
                nonlocal got
                got = ehd.link(ddf, None, progress=False)
            wall, _ = best(run, a.link_repeat)
            same.append(bool(got["person_id"].equals(one["person_id"])))
            rows.append((f"Dask, `earlyhelp.dask.link`, {workers} worker process(es) x 1 thread "
                         "(client: fit and cluster on 2 threads)", wall))
            client.close()
    load1 = os.getloadavg()
    by = dict(rows)
    d1, d2 = rows[2][1], rows[3][1]
    lines = [LINK_HEADING, "",
             f"- date: {dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC; CPU: {cpu_model()}; cores available: {os.cpu_count()}",
             f"- command: `PYTHONPATH={a.build}/python /usr/bin/python3 benchmarks/bench_dask.py --build {a.build} "
             f"--only link --link-persons {a.link_persons} --link-repeat {a.link_repeat}` (or without --only)",
             f"- data: {n:,} records of {a.link_persons:,} persons in households "
             f"(`robust_council`, Knobs(persons={a.link_persons}, seed=1)), default settings; the Dask frame in 4 "
             "partitions persisted on the workers; the client computes it, prepares the records and fits once",
             f"- load average (1, 5, 15 min) at the start: {load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f}; at the end: "
             f"{load1[0]:.1f} {load1[1]:.1f} {load1[2]:.1f}",
             f"- person ids equal to one machine's: 1 worker {same[0]}, 2 workers {same[1]}",
             f"- where one machine's time goes (2 threads, last run): fit {stats['fit_seconds']:.2f} s, scoring the "
             f"{stats['pairs_compared']:,} candidate pairs {stats['predict_seconds']:.2f} s, cluster "
             f"{stats['cluster_seconds']:.2f} s: only the scoring is spread over the workers, which each also "
             "prepare the records once",
             f"- each figure: best of {a.link_repeat} runs", "",
             "| run | wall s | records/s |", "|---|---:|---:|"]
    for name, wall in rows:
        lines.append(f"| {name} | {wall:.3f} | {n / wall:,.0f} |")
    lines += ["", f"From 1 to 2 workers: **{d1 / d2:.2f}x** the throughput of `earlyhelp.dask.link`; "
              f"against one machine on 2 threads: {by[rows[1][0]] / d2:.2f}x.", ""]
    return lines


def score_section(a, build, earlyhelp, ehd, dask, dd, distributed) -> list[str]:
    """earlyhelp.dask.score on 1 and 2 worker processes beside Model.predict and XGBoost; the lines of
    its section of the results file."""
    import xgboost as xgb

    rng = np.random.default_rng(11)
    f = 50
    Xtr = rng.normal(size=(20_000, f)).astype(np.float32)
    ytr = (Xtr[:, :5].sum(axis=1) + rng.normal(size=len(Xtr)) > 0).astype(np.float32)
    names = [f"f{j}" for j in range(f)]
    booster = xgb.train({"max_depth": 6, "eta": 0.1, "objective": "binary:logistic", "nthread": 2},
                        xgb.DMatrix(Xtr, label=ytr, feature_names=names), num_boost_round=200)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "model.json"
        booster.save_model(path)
        model = earlyhelp.Model.from_xgboost_json(path)
    X = rng.normal(size=(a.rows, f)).astype(np.float32)
    X[rng.random(size=X.shape) < 0.05] = np.nan
    frame = pd.DataFrame(X, columns=names)
    one = model.predict(frame)
    load0 = os.getloadavg()

    rows = []
    for threads in (1, 2):
        wall, cpu = best(lambda _: model.predict(frame, n_threads=threads), a.repeat)
        rows.append((f"one machine, `Model.predict`, {threads} thread(s)", wall, cpu))

    def xgb_part(part, raw, run):
        b = xgb.Booster(model_file=bytearray(raw))
        b.set_param({"nthread": 1})
        return pd.Series(b.inplace_predict(part.to_numpy(dtype=np.float32)), index=part.index)

    raw = booster.save_raw("json")
    agree = None
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            ddf = dd.from_pandas(frame, npartitions=a.partitions).persist()
            distributed.wait(ddf)
            got = ehd.score(ddf, model).compute()  # warm: the bundle reaches each worker once
            agree = float(np.max(np.abs(got.to_numpy() - one)))
            wall, _ = best(lambda run: ehd.score(ddf, model, name=f"score{run}").compute(), a.repeat)
            rows.append((f"Dask, `earlyhelp.dask.score`, {workers} worker process(es) x 1 thread", wall, None))
            key = dask.delayed(bytes(raw), pure=True)
            ddf.map_partitions(xgb_part, key, -1, meta=pd.Series(dtype="float32")).compute()
            wall, _ = best(lambda run: ddf.map_partitions(xgb_part, key, run, meta=pd.Series(dtype="float32")).compute(),
                           a.repeat)
            rows.append((f"Dask, XGBoost `inplace_predict` per partition, {workers} worker process(es) x 1 thread",
                         wall, None))
            client.close()
    load1 = os.getloadavg()

    by = {r[0]: r[1] for r in rows}
    d1 = by["Dask, `earlyhelp.dask.score`, 1 worker process(es) x 1 thread"]
    d2 = by["Dask, `earlyhelp.dask.score`, 2 worker process(es) x 1 thread"]
    lines = ["# Scoring and linking on Dask: earlyhelp.dask.score and earlyhelp.dask.link on 1 and 2 workers", "",
             "Written by `benchmarks/bench_dask.py`; regenerate by running it, never edit by hand.", "",
             f"- date: {dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC",
             f"- CPU: {cpu_model()}; cores available: {os.cpu_count()}",
             f"- build: {cmake_cache(build, 'CMAKE_CXX_COMPILER')} ({cmake_cache(build, 'CMAKE_BUILD_TYPE')}); "
             f"Python {platform.python_version()}, dask {dask.__version__}, distributed {distributed.__version__}, "
             f"XGBoost {xgb.__version__}",
             f"- load average (1, 5, 15 min) at the start: {load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f}; at the end: "
             f"{load1[0]:.1f} {load1[1]:.1f} {load1[2]:.1f} (2 cores shared with other work: a 2-worker figure "
             "can only gain what a free second core gives)",
             f"- data: {a.rows:,} rows x {f} float32 features (5% NaN) in {a.partitions} partitions, persisted on the "
             "workers before timing; model: XGBoost 200 trees, depth 6, imported with `Model.from_xgboost_json`",
             f"- agreement: max |earlyhelp.dask.score - Model.predict| over all rows = {agree:g}",
             f"- each figure: best of {a.repeat} runs",
             f"- command: `PYTHONPATH={a.build}/python /usr/bin/python3 benchmarks/bench_dask.py --build {a.build} "
             f"--rows {a.rows} --partitions {a.partitions} --link-persons {a.link_persons}`", "",
             "| run | wall s | rows/s |", "|---|---:|---:|"]
    for name, wall, _ in rows:
        lines.append(f"| {name} | {wall:.3f} | {a.rows / wall:,.0f} |")
    lines += ["", f"From 1 to 2 workers: **{d1 / d2:.2f}x** the throughput of `earlyhelp.dask.score`.", ""]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ci")
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--link-persons", type=int, default=20_000)
    ap.add_argument("--link-repeat", type=int, default=2)
    ap.add_argument("--only", choices=("all", "score", "link"), default="all",
                    help="run one section; the results file keeps the other section as last written")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "dask.md"))
    a = ap.parse_args()
    build = pathlib.Path(a.build)
    sys.path.insert(0, str(build / "python"))
    import dask
    import dask.dataframe as dd
    import distributed

    import earlyhelp
    import earlyhelp.dask as ehd

    out = pathlib.Path(a.out)
    old = out.read_text() if out.exists() else ""
    head, _, tail = old.partition(LINK_HEADING)
    text = "\n".join(score_section(a, build, earlyhelp, ehd, dask, dd, distributed)) + "\n" if a.only != "link" else head
    text += "\n".join(link_section(a, earlyhelp, ehd, dd, distributed)) + "\n" if a.only != "score" else \
        (LINK_HEADING + tail if tail else "")
    out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
