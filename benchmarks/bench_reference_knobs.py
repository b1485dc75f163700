#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The shipped reference models judged away from the generator's default knobs.

scripts/train_reference_models judges each domain's reference bundle on councils drawn with the
default knobs (other seeds). This benchmark draws councils with one `earlyhelp synth` knob varied at
a time (identity-error scale, council size), 32 councils per variation with seeds no reference model
was trained or judged on (half the evaluation's 64: one council alone holds too few positives to
tell a model from the baseline), scores each domain's population as of the evaluation start with
the SHIPPED bundle (nothing is retrained or tuned here), and reports per domain and variation, over
the variation's councils pooled, ROC AUC, PR AUC and expected calibration error (ECE) against the
activity baseline (service records in the past year, person and household; the better of the two):
the difference with its 95% bootstrap interval over whole councils and the verdict
(scripts/train_reference_models' rule), then the worst case over the variations.

Writes benchmarks/results/reference_knobs.md.
"""
import argparse
import datetime as dt
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import cmake_cache, cpu_model, training_script  # noqa: E402

# The evaluation helpers of the training script (one definition of the baseline and the tables).
trm = training_script()

# (label, synth arguments): one knob away from the default each; the default draw is the reference.
VARIATIONS = [
    ("default knobs", []),
    ("--error-scale 0 (clean identities)", ["--error-scale", "0"]),
    ("--error-scale 3 (three times the identity errors)", ["--error-scale", "3"]),
    ("--persons 8000 (a small council)", ["--persons", "8000"]),
    ("--persons 50000 (a larger council)", ["--persons", "50000"]),
]


def run(cli, *args):
    r = subprocess.run([str(cli), "--no-audit", *map(str, args)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench_reference_knobs: earlyhelp {args[0]} failed:\n{r.stderr}")


def draw(cli, root: pathlib.Path, seed: int, persons: int, knobs):
    """A council drawn with `knobs`, its truth/ moved beside it, linked once as of the evaluation start."""
    if (root / "households.csv").exists():
        return root
    data = root / "council"
    args = ["--persons", persons, *knobs] if "--persons" not in knobs else list(knobs)
    run(cli, "synth", *args, "--seed", seed, "--out", data, "--quiet")
    shutil.move(str(data / "truth"), str(root / "truth"))
    run(cli, "link", "--data", data, "--output", root / "persons.csv", "--households", root / "households.csv",
        "--as-of", trm.EVAL_START, "--quiet")
    return root


def judge(earlyhelp, domain, model, roots, resamples):
    """The model on the councils `roots` pooled against the activity baselines (paired bootstrap of
    whole councils, trm.judge's rule): a dict of rows, positives, ROC AUC, PR AUC, ECE and, for each
    of ROC AUC and PR AUC, the stronger baseline's figure, the difference with its 95% interval; and
    the verdict over every baseline."""
    _, y, s, base, council = trm.pooled(earlyhelp, domain, model, roots)
    ev = earlyhelp.evaluate(y, s, baselines=base, resamples=resamples, seed=0, clusters=council)
    o = ev.overall.iloc[0]
    out = {"rows": len(y), "positives": int(y.sum()), "roc_auc": float(o["roc_auc"]), "pr_auc": float(o["pr_auc"]),
           "ece": float(o["ece"]), "verdict": ev.verdict}
    for figure in ("ROC AUC", "PR AUC"):
        rows = ev.baselines[ev.baselines["figure"] == figure]
        strongest = rows.loc[rows["baseline_score"].idxmax()]  # the better baseline by this figure
        out[figure] = {k: float(strongest[k]) for k in ("baseline_score", "difference", "lower", "upper")}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ci")
    ap.add_argument("--persons", type=int, default=20000, help="council size of every variation but --persons")
    ap.add_argument("--seeds", default="301-332",
                    help="the councils of each variation: seeds no reference model was trained or judged on")
    ap.add_argument("--seed", type=int, default=None, help="one council per variation, this seed (--seeds N)")
    ap.add_argument("--work", default=None, help="keep the drawn councils here (default: a temporary folder)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "reference_knobs.md"))
    ap.add_argument("--resamples", type=int, default=1000, help="paired bootstrap resamples against the baseline")
    a = ap.parse_args()
    seeds = [a.seed] if a.seed is not None else trm.seed_list(a.seeds)
    used = {1} | set(trm.seed_list(trm.TRAIN_SEEDS + "," + trm.EVAL_SEEDS))
    assert not used & set(seeds), "the demo's, training and evaluation seeds are not fresh"
    build = (ROOT / a.build).resolve()
    sys.path.insert(0, str(build / "python"))
    import earlyhelp

    cli = build / "bin" / "earlyhelp"
    tmp = None
    if a.work is None:
        tmp = tempfile.TemporaryDirectory(prefix="earlyhelp_knobs_")
        work = pathlib.Path(tmp.name)
    else:
        work = pathlib.Path(a.work)
        work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    roots = [[draw(cli, work / f"v{i}" / f"seed{seed}", seed, a.persons, knobs) for seed in seeds]
             for i, (_, knobs) in enumerate(VARIATIONS)]
    domains = ["safeguarding", "homelessness", "asb", "debt"]
    rows = {}
    for name in domains:
        domain = earlyhelp.Domain.builtin(name)
        model = earlyhelp.Model.load(str(ROOT / "lib/profiling/models" / f"{name}.ehm"))
        rows[name] = [judge(earlyhelp, domain, model, r, a.resamples) for r in roots]
    load_end = os.getloadavg()

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = f"/usr/bin/python3 benchmarks/bench_reference_knobs.py --build {a.build}"
    if a.persons != 20000 or a.seed is not None or a.seeds != "301-332":
        cmd += f" --persons {a.persons} --seeds {a.seeds if a.seed is None else a.seed}"
    seeds_text = a.seeds if a.seed is None else str(a.seed)
    L = ["# Reference models away from the generator's default knobs", "",
         f"Generated by `benchmarks/bench_reference_knobs.py` on {now}. Do not edit by hand.", "",
         f"- CPU: {cpu_model()}; compiler {cmake_cache(build, 'CMAKE_CXX_COMPILER')} "
         f"({cmake_cache(build, 'CMAKE_BUILD_TYPE')})",
         f"- Command: `{cmd}`",
         f"- Load average at the start: {' '.join(f'{x:.1f}' for x in load_start)}; at the end: "
         f"{' '.join(f'{x:.1f}' for x in load_end)} (figures here do not depend on it).",
         f"- Councils: {len(seeds)} per variation, `earlyhelp synth --seed` {seeds_text} (no reference model was "
         f"trained or judged on them), {a.persons:,} persons unless the variation sets --persons, one knob changed "
         "at a time; linked "
         f"with `earlyhelp link --as-of {trm.EVAL_START}`; each domain's population as of {trm.EVAL_START} "
         "with its outcome over the domain's horizon, derived from the extracts.",
         f"- Models: the SHIPPED reference bundles (lib/profiling/models/, trained on seeds {trm.TRAIN_SEEDS} at "
         "default knobs, hyper-parameters by cross-validation over those councils; synthetic data only, not for use "
         "on residents). Nothing is retrained or tuned here.",
         "- Baseline: the count of service records in the past year (universal registers excluded), the person's "
         "and the household's, whichever ranks better (family domains: the household's).",
         "- ECE: expected calibration error of the score as a probability (lower is better).",
         f"- Difference: model - baseline (the stronger baseline by that figure) with its 95% interval from "
         f"{a.resamples} paired bootstrap resamples of the variation's whole councils, each with all its persons "
         "or families (one council: its rows, stratified by outcome), seed 0 (earlyhelp.evaluate(baselines=..., "
         "clusters=...)). Verdict, against both baselines: beaten when every "
         "interval (ROC AUC and PR AUC) lies above 0, not beaten when one lies below 0, otherwise not clearly "
         "beaten (too few positives to tell).",
         "- Read with care: half the evaluation's councils per variation, so a margin as thin as homelessness's "
         "PR AUC on the 64 evaluation councils (+0.004) may not be told from chance here; the intervals say how far "
         "the draws can be trusted; the worst case is reported, not the default.", ""]
    def diff(d):
        return f"{d['difference']:+.4f} ({d['lower']:+.4f} to {d['upper']:+.4f})"

    for name in domains:
        L += [f"## {name}", "",
              "| variation | rows | positives | ROC AUC | baseline ROC AUC | difference (95% interval) | PR AUC | "
              "baseline PR AUC | difference (95% interval) | ECE | verdict |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for (label, _), x in zip(VARIATIONS, rows[name]):
            L.append(f"| {label} | {x['rows']:,} | {x['positives']:,} | {x['roc_auc']:.4f} | "
                     f"{x['ROC AUC']['baseline_score']:.4f} | {diff(x['ROC AUC'])} | {x['pr_auc']:.4f} | "
                     f"{x['PR AUC']['baseline_score']:.4f} | {diff(x['PR AUC'])} | {x['ece']:.4f} | {x['verdict']} |")
        r = rows[name]
        worst_lower = min(r, key=lambda x: x["ROC AUC"]["lower"])
        counts = {v: sum(1 for x in r if x["verdict"] == v) for v in ("beaten", "not clearly beaten", "not beaten")}
        L += ["", f"Worst case over the variations: ROC AUC {min(x['roc_auc'] for x in r):.4f}, PR AUC "
                  f"{min(x['pr_auc'] for x in r):.4f}, ECE {max(x['ece'] for x in r):.4f}; smallest ROC AUC difference "
                  f"{min(x['ROC AUC']['difference'] for x in r):+.4f}, lowest interval bound "
                  f"{worst_lower['ROC AUC']['lower']:+.4f}; smallest PR AUC difference "
                  f"{min(x['PR AUC']['difference'] for x in r):+.4f}. The baseline is beaten in {counts['beaten']} of "
                  f"{len(r)} variations, not clearly beaten in {counts['not clearly beaten']}, not beaten in "
                  f"{counts['not beaten']}.", ""]
    pathlib.Path(a.out).write_text("\n".join(L))
    print("\n".join(L))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
