#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Model evaluation speed, earlyhelp vs XGBoost, measured side by side in one run.

Trains (or reuses) a 500-tree depth-6 binary:logistic XGBoost model on 20,000 rows x 50 features,
then scores 1,000,000 rows x 50 features with 5% NaN:
  - batch rows/s: earlyhelp (C++ API, bench_models) vs XGBoost inplace_predict, 1 and 2 threads;
  - single-record median latency: earlyhelp C API and Python vs XGBoost inplace_predict.
Checks that both give the same predictions, then writes benchmarks/results/models.md.

Usage: /usr/bin/python3 benchmarks/bench_models.py --build build/bench
"""
import argparse
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import time

import numpy as np

from bench_common import cmake_cache, cpu_model  # noqa: E402  (beside this script)

HERE = pathlib.Path(__file__).resolve().parent






def median_latency_us(fn, calls):
    lat = np.empty(calls)
    for i in range(calls):
        t0 = time.perf_counter_ns()
        fn(i)
        lat[i] = (time.perf_counter_ns() - t0) / 1000.0
    return float(np.median(lat))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build/bench", help="build tree with bench_models and the Python module")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=50)
    ap.add_argument("--train-rows", type=int, default=20_000)
    ap.add_argument("--trees", type=int, default=500)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--cache", default="/tmp/earlyhelp-bench-models")
    ap.add_argument("--out", default=str(HERE / "results" / "models.md"))
    args = ap.parse_args()
    build = pathlib.Path(args.build).resolve()
    sys.path.insert(0, str(build / "python"))
    import earlyhelp
    import xgboost as xgb

    cache = pathlib.Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2024)
    f = args.features
    w = rng.normal(size=f)

    def data(n, seed):
        r = np.random.default_rng(seed)
        X = r.normal(size=(n, f)).astype(np.float32)
        X[r.random(X.shape) < 0.05] = np.nan
        return X

    model_path = cache / f"xgb_{args.trees}x{args.depth}_{f}f_{args.train_rows}.json"
    if not model_path.exists():
        Xtr = data(args.train_rows, 1)
        y = (np.nan_to_num(Xtr) @ w + rng.normal(size=len(Xtr)) > 0).astype(np.float32)
        t0 = time.time()
        booster = xgb.train({"objective": "binary:logistic", "max_depth": args.depth, "eta": 0.1,
                             "tree_method": "hist", "nthread": 2, "seed": 0},
                            xgb.DMatrix(Xtr, y), args.trees)
        print(f"trained in {time.time() - t0:.1f}s", file=sys.stderr)
        booster.save_model(str(model_path))
    booster = xgb.Booster()
    booster.load_model(str(model_path))

    X = data(args.rows, 2)
    x_path = cache / f"X_{args.rows}x{f}.f32"
    X.tofile(x_path)

    # ---- earlyhelp: C++ batch + C API single record ------------------------------------
    load_start = os.getloadavg()
    bench = build / "bin" / "bench_models"
    out_json = cache / "bench_models.json"
    subprocess.run([str(bench), str(model_path), str(x_path), str(args.rows), str(f),
                    str(out_json)], check=True)
    ours = json.loads(out_json.read_text())

    # ---- XGBoost inplace_predict, same rows, same threads (best of 3, as ours) ---------
    # Process CPU time beside wall time, as bench_models does (rows per CPU-second does not
    # depend on what else the machine runs).
    xgb_rps, xgb_cpu = {}, {}
    p_xgb = None
    for threads in (1, 2):
        booster.set_param({"nthread": threads})
        best = best_cpu = 0.0
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            p_xgb = booster.inplace_predict(X)
            best = max(best, args.rows / (time.perf_counter() - t0))
            best_cpu = max(best_cpu, args.rows / max(time.process_time() - c0, 1e-9))
        xgb_rps[threads] = best
        xgb_cpu[threads] = best_cpu
    load_end = os.getloadavg()

    model = earlyhelp.Model.from_xgboost_json(model_path)
    p_ours = model.predict(X)
    max_diff = float(np.max(np.abs(p_ours - p_xgb)))

    # ---- single record ----------------------------------------------------------------
    rows64 = X[:2000].astype(np.float64)
    one = [rows64[i:i + 1] for i in range(len(rows64))]
    one32 = [X[i:i + 1] for i in range(2000)]
    booster.set_param({"nthread": 1})
    for i in range(50):
        booster.inplace_predict(one32[i])
        model.predict(one[i])
    xgb_one = median_latency_us(lambda i: booster.inplace_predict(one32[i % 2000]), 3000)
    py_one = median_latency_us(lambda i: model.predict(one[i % 2000]), 20000)
    for i in range(50):
        model.predict(one32[i])
    py_one32 = median_latency_us(lambda i: model.predict(one32[i % 2000]), 20000)

    # ---- results file -----------------------------------------------------------------
    flags = " ".join(x for x in (cmake_cache(build, "CMAKE_CXX_FLAGS"),
                                 cmake_cache(build, "CMAKE_CXX_FLAGS_" + (cmake_cache(build, "CMAKE_BUILD_TYPE") or "RELEASE").upper())) if x)
    cmd = f"/usr/bin/python3 benchmarks/bench_models.py --build {os.path.relpath(build, HERE.parent)}"
    r1 = ours["rows_per_s_1"] / xgb_rps[1]
    r2 = ours["rows_per_s_2"] / xgb_rps[2]
    lines = [
        "# Model evaluation: earlyhelp vs XGBoost",
        "",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- CPU: {cpu_model()}; cores available: {os.cpu_count()} (shared machine; best of 3 runs for batch figures)",
        f"- Compiler: {ours['compiler']}; build type {cmake_cache(build, 'CMAKE_BUILD_TYPE')}; flags `{flags}`"
        " (AVX-512 kernel chosen at run time)",
        f"- Peer: XGBoost {xgb.__version__} (`Booster.inplace_predict` on the same float32 numpy array)",
        f"- Model: {ours['trees']} trees, depth {ours['max_depth']}, binary:logistic, trained on "
        f"{args.train_rows:,} rows; scored on {args.rows:,} rows x {f} features, 5% NaN",
        f"- Agreement: max |earlyhelp - XGBoost| over all {args.rows:,} probabilities = {max_diff:.3g}",
        f"- Command: `{cmd}`",
        f"- Load average (1 min) at the start / end of the batch runs: {load_start[0]:.2f} / "
        f"{load_end[0]:.2f} on {os.cpu_count()} cores (other jobs share the machine; rows per "
        "CPU-second below do not depend on them: equal figures at 1 and 2 threads mean the batch "
        "path scales, and a 2-thread wall figure below twice the 1-thread one is machine load)",
        "",
        "| measure | earlyhelp | XGBoost | ratio |",
        "|---|---:|---:|---:|",
        f"| batch rows/s, 1 thread | {ours['rows_per_s_1']:,.0f} | {xgb_rps[1]:,.0f} | {r1:.1f}x |",
        f"| batch rows/s, 2 threads | {ours['rows_per_s_2']:,.0f} | {xgb_rps[2]:,.0f} | {r2:.1f}x |",
        f"| batch rows per CPU-second, 1 thread | {ours['rows_per_cpu_s_1']:,.0f} | {xgb_cpu[1]:,.0f} | "
        f"{ours['rows_per_cpu_s_1'] / xgb_cpu[1]:.1f}x |",
        f"| batch rows per CPU-second, 2 threads | {ours['rows_per_cpu_s_2']:,.0f} | {xgb_cpu[2]:,.0f} | "
        f"{ours['rows_per_cpu_s_2'] / xgb_cpu[2]:.1f}x |",
        f"| single record, C API median (us) | {ours['c_api_median_us']:.2f} | {xgb_one:.1f} (Python) | "
        f"{xgb_one / ours['c_api_median_us']:.1f}x |",
        f"| single record, Python `Model.predict` median (us) | {py_one:.2f} | {xgb_one:.1f} | "
        f"{xgb_one / py_one:.1f}x |",
        f"| single record, Python `Model.predict` on float32 median (us) | {py_one32:.2f} | {xgb_one:.1f} | "
        f"{xgb_one / py_one32:.1f}x |",
        "",
        "Targets: batch >= 5x XGBoost at 1 and 2 threads; single record <= 5 us (C API) and "
        "<= 10 us (Python, float64 and float32 rows alike).",
        "",
    ]
    pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.out).write_text("\n".join(lines))
    print("\n".join(lines))
    x_path.unlink()


if __name__ == "__main__":
    main()
