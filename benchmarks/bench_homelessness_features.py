#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Does the homelessness model have room? A learning curve and candidate features, judged by
cross-validation over the TRAINING councils only.

The homelessness reference model trained on 17 features did not clearly beat the activity baseline
on the four evaluation councils used then (evaluation/homelessness.md). This study asks, without
looking at them (no evaluation council, seeds 201-264 now, plays a part here), whether more training data or more of what a council knows helps:

- Candidate features, chosen from the published risk factors of homelessness (notices seeking
  possession, the end of a private tenancy, rent and council-tax arrears and their trend, a change
  in the household, domestic abuse, prior approaches, temporary accommodation, leaving care,
  custody, benefits, health), defined in lib/profiling/homelessness.domain.json from the built-in
  feature kinds over the council schema -- never from the synthetic generator's code. Each group is
  added to the 17 features and judged by folds of whole councils (scripts/train_reference_models'
  folds: seeds i, i+4 held out) with the hyper-parameters chosen for the 17; then every group.
- Learning curve: the same held-out councils; each fold's model trained on the first 2, 4, 6 (and,
  with --extra-seeds, all) of the other councils; mean held-out ROC AUC and PR AUC.
- Beside them, on the same held-out rows: the activity baseline (the household's service records in
  the past year, the feature family_service_records_12m).

The councils are drawn (or re-used) in --work with scripts/train_reference_models' layout.
Writes benchmarks/results/homelessness_features.md.
"""
import argparse
import datetime as dt
import os
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import cmake_cache, cpu_model, training_script  # noqa: E402

trm = training_script()


# The features of the homelessness model shipped before the candidates were adopted (2026-12-07).
BEFORE = ["family_size", "family_children", "family_adults", "family_adult_domestic_abuse", "family_adult_out_of_work",
          "family_ct_arrears_max", "family_rent_balance_max", "family_homeless_duty", "family_moved",
          "family_service_records_12m", "family_homeless_approaches_365d", "family_homeless_domestic_abuse_730d",
          "family_temporary_accommodation", "family_rent_possession_steps_365d", "family_rent_arrears_doubled",
          "family_new_benefit_claim_90d", "family_da_notifications_365d"]
# The candidates by risk factor, defined in lib/profiling/homelessness.domain.json (and the person-level
# measures they roll up) from the built-in feature kinds, or built in already.
GROUPS = {
    "possession: recent notice, weeks in arrears, court action":
        ["family_rent_nosp_90d", "family_rent_weeks_in_arrears", "family_rent_court_action"],
    "end of a private tenancy (section 21) at a past approach": ["family_private_tenancy_end"],
    "council-tax arrears trend and recovery":
        ["family_ct_arrears_doubled", "family_ct_summons_365d", "family_ct_enforcement_365d"],
    "household change: new baby, adult left, new tenancy":
        ["family_infants", "family_single_person_discount_new", "family_new_tenancy"],
    "domestic abuse: high risk, adult victim, recent":
        ["family_da_high_risk_365d", "family_da_adult_victim", "family_da_notifications_90d"],
    "prior approaches: ever, recency, owed no duty":
        ["family_homeless_approaches_ever", "family_days_since_homeless_approach", "family_homeless_no_duty_365d"],
    "leaving care": ["family_care_leaver"],
    "custody (youth offending)": ["family_youth_custody_730d"],
    "benefits: housing benefit, new claim, sanctions":
        ["family_hb_claim", "family_hb_new_claim_90d", "family_benefit_sanctions_365d"],
    "adult mental health and substance misuse":
        ["family_adult_mh_crisis_365d", "family_adult_substance_misuse", "family_adult_mental_health"],
    "overcrowding": ["family_tenancy_occupancy"],
}
SHIPPED = {"trees": 100, "depth": 2, "min_child_weight": 10, "eta": 0.1}  # the model's before, by its CV
BASELINE = "family_service_records_12m"


def candidate_domain(earlyhelp):
    """The homelessness domain with every candidate computed (the built-in domain lists them all)."""
    domain = earlyhelp.Domain.builtin("homelessness")
    every = BEFORE + [f for g in GROUPS.values() for f in g]
    assert sorted(domain.features) == sorted(every), "the domain's features are BEFORE and the candidates"
    return domain, BEFORE


def tables(earlyhelp, cli, work, seeds, persons, domain):
    """One candidate training table per council (cached in the council's folder)."""
    import pandas as pd

    out = []
    dates = trm.training_dates(domain.horizon_months)
    for s in seeds:
        root = trm.council(cli, work, s, persons)
        cache = root / "homelessness_candidates.pkl"
        names = list(domain.features)
        if cache.exists():
            t = pd.read_pickle(cache)
            if all(n in t.columns for n in names):
                out.append(t)
                continue
        t = trm.table(earlyhelp, domain, root, dates, trm.EVAL_START)
        t.to_pickle(cache)
        out.append(t)
    return out


def fit_predict(Xtr, ytr, Xte, feats, setting):
    import xgboost as xgb

    b = xgb.train(trm.params(setting["depth"], setting["min_child_weight"], setting["eta"]),
                  xgb.DMatrix(Xtr, label=ytr, feature_names=feats, missing=np.nan),
                  num_boost_round=setting["trees"])
    return b.predict(xgb.DMatrix(Xte, feature_names=feats, missing=np.nan))


def cv(parts, seeds, feats, setting, folds, n_train=None):
    """Mean held-out (ROC AUC, PR AUC) and per-fold lists over `folds` (lists of held-out seeds);
    with n_train, each fold trains on the first n_train of the other councils."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    roc, pr = [], []
    for held in folds:
        train = [i for i, s in enumerate(seeds) if s not in held]
        if n_train is not None:
            train = train[:n_train]
        test = [i for i, s in enumerate(seeds) if s in held]
        Xtr = np.vstack([parts[i][feats].to_numpy(np.float32) for i in train])
        ytr = np.concatenate([parts[i]["outcome"].to_numpy() for i in train])
        Xte = np.vstack([parts[i][feats].to_numpy(np.float32) for i in test])
        yte = np.concatenate([parts[i]["outcome"].to_numpy() for i in test])
        p = fit_predict(Xtr, ytr, Xte, feats, setting)
        roc.append(roc_auc_score(yte, p))
        pr.append(average_precision_score(yte, p))
    return roc, pr


def baseline(parts, seeds, folds):
    from sklearn.metrics import average_precision_score, roc_auc_score

    roc, pr = [], []
    for held in folds:
        test = [i for i, s in enumerate(seeds) if s in held]
        b = np.concatenate([parts[i][BASELINE].fillna(0).to_numpy() for i in test])
        y = np.concatenate([parts[i]["outcome"].to_numpy() for i in test])
        roc.append(roc_auc_score(y, b))
        pr.append(average_precision_score(y, b))
    return roc, pr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=str(ROOT / "build/ci"))
    ap.add_argument("--work", required=True, help="the drawn councils (scripts/train_reference_models --work)")
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--train-seeds", default=trm.TRAIN_SEEDS)
    ap.add_argument("--extra-seeds", default="", help="more training councils for the learning curve only")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--output", default=str(ROOT / "benchmarks/results/homelessness_features.md"))
    a = ap.parse_args()
    build = pathlib.Path(a.build).resolve()
    sys.path.insert(0, str(build / "python"))
    import earlyhelp

    cli = build / "bin" / "earlyhelp"
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    seeds = [int(s) for s in a.train_seeds.split(",")]
    extra = [int(s) for s in a.extra_seeds.split(",") if s]
    assert not set(seeds + extra) & {1, 201, 202, 203, 204}, "the demo's and the evaluation councils are not used"
    load0 = os.getloadavg()
    t0 = time.time()
    c0 = os.times()
    domain, current = candidate_domain(earlyhelp)
    parts = tables(earlyhelp, cli, work, seeds + extra, a.persons, domain)
    t_tables = time.time() - t0
    all_seeds = seeds + extra
    folds = [seeds[i::a.folds] for i in range(a.folds)]  # held-out councils: training seeds only
    n_rows = sum(len(p) for p in parts[:len(seeds)])
    n_pos = int(sum(p["outcome"].sum() for p in parts[:len(seeds)]))

    lines = []
    b_roc, b_pr = baseline(parts, all_seeds, folds)
    ref_roc, ref_pr = cv(parts, all_seeds, current, SHIPPED, folds)

    def row(label, roc, pr, nfeat):
        d_roc = np.array(roc) - np.array(ref_roc)
        d_pr = np.array(pr) - np.array(ref_pr)
        return (f"| {label} | {nfeat} | {np.mean(roc):.4f} | {np.mean(roc) - np.mean(ref_roc):+.4f} "
                f"({int((d_roc > 0).sum())}/{len(d_roc)}) | {np.mean(pr):.4f} | {np.mean(pr) - np.mean(ref_pr):+.4f} "
                f"({int((d_pr > 0).sum())}/{len(d_pr)}) | {' '.join(f'{x:.4f}' for x in pr)} |")

    feats_rows = [row("activity baseline (family_service_records_12m)", b_roc, b_pr, 1),
                  row("the 17 features before", ref_roc, ref_pr, len(current))]
    gains = {}
    for g, defs in GROUPS.items():
        add = list(defs)
        roc, pr = cv(parts, all_seeds, current + add, SHIPPED, folds)
        gains[g] = (np.mean(roc) - np.mean(ref_roc), np.mean(pr) - np.mean(ref_pr), add)
        feats_rows.append(row(f"+ {g}", roc, pr, len(current) + len(add)))
        print(feats_rows[-1], flush=True)
    every = current + [f for g in GROUPS.values() for f in g]
    roc, pr = cv(parts, all_seeds, every, SHIPPED, folds)
    feats_rows.append(row("+ every group", roc, pr, len(every)))
    helped = current + [f for g, (dr, dp, add) in gains.items() if dr > 0 and dp > 0 for f in add]
    roc, pr = cv(parts, all_seeds, helped, SHIPPED, folds)
    feats_rows.append(row("+ the groups that raised both means", roc, pr, len(helped)))
    print("\n".join(feats_rows[-2:]), flush=True)

    curve = []
    sizes = [2, 4, len(seeds) - len(seeds) // a.folds] + ([len(seeds) - len(seeds) // a.folds + len(extra)] if extra else [])
    for n in sizes:
        for label, fs in (("the 17 features before", current), ("every candidate", every)):
            roc, pr = cv(parts, all_seeds, fs, SHIPPED, folds, n_train=n)
            curve.append(f"| {n} | {label} | {np.mean(roc):.4f} | {np.mean(pr):.4f} | {' '.join(f'{x:.4f}' for x in pr)} |")
            print(curve[-1], flush=True)

    c1 = os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user) + \
        (c1.children_system - c0.children_system)
    head = [
        "# Homelessness: room for the model, by cross-validation over the training councils", "",
        f"Generated by `benchmarks/bench_homelessness_features.py` on {dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC. "
        "Do not edit by hand.", "",
        f"- CPU: {cpu_model()}; compiler {cmake_cache(build, 'CMAKE_CXX_COMPILER')} ({cmake_cache(build, 'CMAKE_BUILD_TYPE')})",
        f"- Command: `/usr/bin/python3 benchmarks/bench_homelessness_features.py --work DIR"
        f"{' --extra-seeds ' + a.extra_seeds if extra else ''}`",
        f"- Load average at the start: {' '.join(f'{x:.1f}' for x in load0)}; at the end: "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}. Wall {time.time() - t0:.0f} s ({t_tables:.0f} s drawing "
        f"and tables), {cpu:.0f} CPU s (user+sys, this process and its children). The figures do not depend on the load.",
        f"- Councils: the shipped model's training councils only (seeds {a.train_seeds}, {a.persons} persons each"
        f"{'; for the learning curve also seeds ' + a.extra_seeds if extra else ''}), as of "
        f"{', '.join(trm.training_dates(6))}: {n_rows} family rows, {n_pos} positive. The evaluation councils "
        f"(seeds {trm.EVAL_SEEDS}) play no part.",
        f"- Folds: {a.folds} folds of whole councils (held out: {'; '.join(','.join(map(str, f)) for f in folds)}); "
        f"each fold's model is trained on every other council (the other training councils{' and the extra seeds' if extra else ''}), XGBoost with the hyper-parameters shipped before ({SHIPPED['trees']} trees of depth "
        f"{SHIPPED['depth']}, min_child_weight {SHIPPED['min_child_weight']}, eta {SHIPPED['eta']}). Mean held-out "
        "ROC AUC and PR AUC (average precision); the difference against the 17 features before with, in brackets, "
        "the folds in which it is above zero; then each fold's PR AUC.",
        "- Candidates: published risk factors of homelessness, defined from the built-in feature kinds over the "
        "council schema (lib/profiling/homelessness.domain.json; this script's GROUPS); the synthetic generator's code was not read.", "",
        "## Candidate features (each group added to the 17 features before)", "",
        "| features | n | ROC AUC | difference (folds up) | PR AUC | difference (folds up) | PR AUC per fold |",
        "|---|---:|---:|---:|---:|---:|---|",
        *feats_rows, "",
        "## Learning curve (training councils per fold; the same held-out councils)", "",
        "| councils | features | ROC AUC | PR AUC | PR AUC per fold |", "|---:|---|---:|---:|---|", *curve, ""]
    pathlib.Path(a.output).write_text("\n".join(head + lines))
    print(f"wrote {a.output}")


if __name__ == "__main__":
    main()
