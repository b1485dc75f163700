# SPDX-License-Identifier: Apache-2.0
"""earlyhelp.evaluate agrees with scikit-learn within 1e-9 on random inputs with ties and weights;
groups too small to judge are reported, not hidden; degenerate input is a typed error."""
import json
import math

import numpy as np
import pandas as pd
import pytest

import earlyhelp
from earlyhelp._core import evaluation as ev

sklearn_metrics = pytest.importorskip("sklearn.metrics")
from sklearn.calibration import calibration_curve  # noqa: E402

TOL = 1e-9


def draw(seed, n=600, decimals=2, base_rate=0.2):
    """Outcomes and scores correlated with them, rounded so that many scores tie."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < base_rate).astype(np.int64)
    s = np.clip(rng.beta(2, 6, n) + 0.25 * y * rng.random(n), 0, 1).round(decimals)
    w = rng.gamma(2.0, 1.0, n)
    return y, s, w


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weighted", [False, True])
def test_overall_figures_match_sklearn(seed, weighted):
    y, s, w = draw(seed, decimals=1 + seed % 3)
    sw = w if weighted else None
    e = earlyhelp.evaluate(y, s, weight=sw)
    row = e.overall.iloc[0]
    assert row["roc_auc"] == pytest.approx(sklearn_metrics.roc_auc_score(y, s, sample_weight=sw), abs=TOL)
    assert row["pr_auc"] == pytest.approx(sklearn_metrics.average_precision_score(y, s, sample_weight=sw), abs=TOL)
    assert row["brier"] == pytest.approx(sklearn_metrics.brier_score_loss(y, s, sample_weight=sw), abs=TOL)
    assert row["base_rate"] == pytest.approx(np.average(y, weights=sw), abs=TOL)
    assert row["rows"] == len(y) and row["positives"] == y.sum()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [5, 10])
def test_calibration_curve_matches_sklearn(seed, strategy, n_bins):
    y, s, _ = draw(seed, decimals=2 if seed % 2 else 3)
    if seed == 3:
        s[:50] = 0.3  # a heavy tie on what may be a bin edge
    e = earlyhelp.evaluate(y, s, n_bins=n_bins, binning=strategy)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=n_bins, strategy=strategy)
    cal = e.calibration
    filled = cal[cal["rows"] > 0]
    assert len(cal) == n_bins
    np.testing.assert_allclose(filled["observed_rate"], prob_true, atol=TOL, rtol=0)
    np.testing.assert_allclose(filled["mean_score"], prob_pred, atol=TOL, rtol=0)
    # ECE over the same bins, from sklearn's curve and the bin counts.
    counts = filled["rows"].to_numpy()
    ece = np.sum(counts / counts.sum() * np.abs(prob_true - prob_pred))
    assert e.overall.iloc[0]["ece"] == pytest.approx(ece, abs=TOL)


def expand_ties(y, s, w, sel):
    """Rows as sklearn sees an expected selection: a row selected with probability p becomes a
    selected copy of weight p*w and an unselected copy of weight (1-p)*w."""
    part = (sel > 0) & (sel < 1)
    yy = np.concatenate([y, y[part]])
    pred = np.concatenate([(sel > 0).astype(int), np.zeros(part.sum(), dtype=int)])
    ww = np.concatenate([np.where(part, sel * w, w), (1 - sel[part]) * w[part]])
    return yy, pred, ww


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("weighted", [False, True])
def test_top_k_and_threshold_match_sklearn_precision_recall(seed, weighted):
    y, s, w = draw(seed, decimals=1)  # tenths: ties at every k
    w = w if weighted else np.ones_like(w)
    ks = [10, 60, 150]
    e = earlyhelp.evaluate(y, s, k=ks, threshold=[0.3, 0.5], weight=w if weighted else None)
    assert list(e.overall["selection"]) == ["top 10", "top 60", "top 150", "score >= 0.3", "score >= 0.5"]
    for i, k in enumerate(ks):
        sel = ev.selection(s.astype(float), k=k)
        assert sel.sum() == pytest.approx(k)
        assert (sel[s > np.sort(s)[::-1][k - 1]] == 1).all()
        yy, pred, ww = expand_ties(y, s, w, sel)
        row = e.overall.iloc[i]
        assert row["precision"] == pytest.approx(sklearn_metrics.precision_score(yy, pred, sample_weight=ww), abs=TOL)
        assert row["recall"] == pytest.approx(sklearn_metrics.recall_score(yy, pred, sample_weight=ww), abs=TOL)
        tn, fp, fn, tp = sklearn_metrics.confusion_matrix(yy, pred, sample_weight=ww).ravel()
        assert row["false_positive_rate"] == pytest.approx(fp / (fp + tn), abs=TOL)
        assert row["false_negative_rate"] == pytest.approx(fn / (fn + tp), abs=TOL)
    for i, t in enumerate([0.3, 0.5], start=len(ks)):
        pred = (s >= t).astype(int)
        row = e.overall.iloc[i]
        assert row["precision"] == pytest.approx(sklearn_metrics.precision_score(y, pred, sample_weight=w), abs=TOL)
        assert row["recall"] == pytest.approx(sklearn_metrics.recall_score(y, pred, sample_weight=w), abs=TOL)
        assert row["selected"] == pred.sum()


def test_top_k_without_ties_is_the_plain_top_k():
    rng = np.random.default_rng(7)
    y = (rng.random(300) < 0.3).astype(int)
    s = rng.random(300)
    e = earlyhelp.evaluate(y, s, k=25)
    pred = np.zeros(300, dtype=int)
    pred[np.argsort(-s)[:25]] = 1
    assert e.overall.iloc[0]["precision"] == pytest.approx(sklearn_metrics.precision_score(y, pred), abs=TOL)
    assert e.overall.iloc[0]["recall"] == pytest.approx(sklearn_metrics.recall_score(y, pred), abs=TOL)


def test_by_group_matches_sklearn_on_each_group_and_reports_small_groups():
    y, s, _ = draw(11, n=2000, decimals=2)
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({
        "sex": rng.choice(["F", "M"], len(y)),
        "decile": rng.integers(1, 11, len(y)).astype(float),
    })
    frame.loc[:4, "decile"] = np.nan  # five unknown deciles
    tiny = np.where(np.arange(len(y)) < 15, "rare", "common")  # 15 rows: too few positives
    e = earlyhelp.evaluate(y, s, groups={"sex": frame["sex"], "decile": frame["decile"], "size": tiny},
                           threshold=0.35)
    g = e.by_group
    assert set(g["column"]) == {"sex", "decile", "size"}
    assert list(g[g.column == "decile"]["group"]) == [str(d) for d in range(1, 11)] + ["(missing)"]
    assert g[g.column == "decile"]["rows"].sum() == len(y)  # no row dropped
    for sex in ["F", "M"]:
        m = (frame["sex"] == sex).to_numpy()
        row = g[(g.column == "sex") & (g.group == sex)].iloc[0]
        assert row["judged"]
        assert row["auc"] == pytest.approx(sklearn_metrics.roc_auc_score(y[m], s[m]), abs=TOL)
        pred = (s[m] >= 0.35).astype(int)
        tn, fp, fn, tp = sklearn_metrics.confusion_matrix(y[m], pred).ravel()
        assert row["precision"] == pytest.approx(tp / (tp + fp), abs=TOL)
        assert row["false_positive_rate"] == pytest.approx(fp / (fp + tn), abs=TOL)
        assert row["false_negative_rate"] == pytest.approx(fn / (fn + tp), abs=TOL)
        assert row["selection_rate"] == pytest.approx(pred.mean(), abs=TOL)
        assert row["calibration_in_the_large"] == pytest.approx(s[m].mean() - y[m].mean(), abs=TOL)
    rare = g[(g.column == "size") & (g.group == "rare")].iloc[0]
    assert not rare["judged"]
    assert rare["rows"] == 15
    assert rare["note"].endswith("fewer than 10")
    assert math.isnan(rare["precision"]) and math.isnan(rare["auc"])


def test_json_and_markdown():
    y, s, _ = draw(3)
    e = earlyhelp.evaluate(y, s, groups=pd.DataFrame({"sex": np.where(np.arange(len(y)) % 2, "F", "M")}),
                           k=[50], min_positives=1000)
    doc = json.loads(e.to_json(context={"domain": "asb", "period": "2024-01..2024-06"}))
    assert doc["format"] == "earlyhelp.evaluation" and doc["version"] == 1
    assert doc["context"] == {"domain": "asb", "period": "2024-01..2024-06"}
    assert doc["roc_auc"] == pytest.approx(sklearn_metrics.roc_auc_score(y, s), abs=TOL)
    assert doc["selections"][0]["label"] == "top 50"
    assert doc["by_group"][0]["judged"] is False and doc["by_group"][0]["precision"] is None
    assert repr(e).startswith(f"<Evaluation rows={len(y)} positives={y.sum()} roc_auc=")
    md = e.to_markdown(title="ASB")
    assert md.startswith("## ASB")
    assert "| top 50 | 50 |" in md
    assert "too small:" in md


def test_scores_that_are_not_probabilities_get_ranking_figures_only():
    y, s, _ = draw(4)
    counts = (s * 20).round()  # an activity count baseline
    e = earlyhelp.evaluate(y, counts, k=[20])
    row = e.overall.iloc[0]
    assert not e.probabilities
    assert math.isnan(row["brier"]) and math.isnan(row["ece"])
    assert row["roc_auc"] == pytest.approx(sklearn_metrics.roc_auc_score(y, counts), abs=TOL)


def test_degenerate_input_is_a_typed_error():
    with pytest.raises(earlyhelp.InvalidArgument, match="only negatives"):
        earlyhelp.evaluate([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(earlyhelp.InvalidArgument, match=r"score\[1\] is nan"):
        earlyhelp.evaluate([0, 1, 1], [0.1, float("nan"), 0.3])
    with pytest.raises(earlyhelp.InvalidArgument, match=r"y_true\[2\] is 2"):
        earlyhelp.evaluate([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(earlyhelp.InvalidArgument, match="has 2 rows"):
        earlyhelp.evaluate([0, 1, 1], [0.1, 0.2, 0.3], groups={"sex": ["F", "M"]})
    with pytest.raises(earlyhelp.InvalidArgument, match="index differs"):
        earlyhelp.evaluate(pd.Series([0, 1, 1], index=[5, 6, 7]), [0.1, 0.2, 0.3],
                           groups=pd.DataFrame({"sex": ["F", "M", "F"]}))
    with pytest.raises(earlyhelp.InvalidArgument, match="k is 0"):
        earlyhelp.evaluate([0, 1, 1], [0.1, 0.2, 0.3], k=[0])
    with pytest.raises(earlyhelp.InvalidArgument, match="binning"):
        earlyhelp.evaluate([0, 1, 1], [0.1, 0.2, 0.3], binning="equal")
    with pytest.raises(earlyhelp.InvalidArgument, match="not numbers"):
        earlyhelp.evaluate([0, 1, 1], ["a", "b", "c"])
    # An empty group cannot exist (groups are the values present); a group of one is too small.
    e = earlyhelp.evaluate([0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], groups={"g": ["a", "a", "a", "b"]},
                           min_positives=1, min_negatives=1)
    b = e.by_group[e.by_group.group == "b"].iloc[0]
    assert not b["judged"] and b["note"] == "0 positives, fewer than 1"


@pytest.mark.parametrize("weighted", [False, True])
def test_baseline_comparison_point_figures_match_sklearn(weighted):
    y, s, w = draw(11, decimals=2)
    base = np.round(s + np.random.default_rng(3).normal(0, 0.15, len(s)), 1)  # a weaker, heavily tied score
    sw = w if weighted else None
    e = earlyhelp.evaluate(y, s, weight=sw, baselines={"noisy": base}, resamples=200, seed=5)
    b = e.baselines.set_index("figure")
    assert list(e.baselines["baseline"]) == ["noisy", "noisy"]
    auc, ap = sklearn_metrics.roc_auc_score, sklearn_metrics.average_precision_score
    assert b.loc["ROC AUC", "score"] == pytest.approx(auc(y, s, sample_weight=sw), abs=TOL)
    assert b.loc["ROC AUC", "baseline_score"] == pytest.approx(auc(y, base, sample_weight=sw), abs=TOL)
    assert b.loc["PR AUC", "baseline_score"] == pytest.approx(ap(y, base, sample_weight=sw), abs=TOL)
    assert b.loc["PR AUC", "difference"] == pytest.approx(ap(y, s, sample_weight=sw) - ap(y, base, sample_weight=sw),
                                                          abs=TOL)
    assert (b["lower"] <= b["difference"]).all() and (b["difference"] <= b["upper"]).all()
    assert e.verdict in ("beaten", "not beaten", "not clearly beaten")
    assert json.loads(e.to_json())["baselines"][0]["resamples"] == 200


def test_baseline_comparison_interval_agrees_with_a_naive_sklearn_bootstrap():
    """The library's interval against a plain paired, outcome-stratified bootstrap written with
    numpy, scipy (AUC as the Mann-Whitney statistic, ties as half) and scikit-learn (average
    precision); other random draws, so agreement within Monte Carlo error only."""
    from scipy.stats import rankdata

    y, s, _ = draw(12, n=300, decimals=2)
    base = np.round(s + np.random.default_rng(4).normal(0, 0.2, len(s)), 1)
    B = 500
    e = earlyhelp.evaluate(y, s, baselines={"noisy": base}, resamples=B, seed=1)
    rng = np.random.default_rng(0)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    idx = np.concatenate([rng.choice(pos, (B, len(pos))), rng.choice(neg, (B, len(neg)))], axis=1)

    def auc(score):
        r = rankdata(score[idx], axis=1)[:, :len(pos)].sum(axis=1)
        return (r - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))

    yy = y[idx[0]]  # the same outcomes in every resample: positives first
    d = {"ROC AUC": auc(s) - auc(base),
         "PR AUC": np.array([sklearn_metrics.average_precision_score(yy, s[i]) -
                             sklearn_metrics.average_precision_score(yy, base[i]) for i in idx])}
    b = e.baselines.set_index("figure")
    for figure, diffs in d.items():
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        width = hi - lo
        assert b.loc[figure, "lower"] == pytest.approx(lo, abs=0.15 * width)
        assert b.loc[figure, "upper"] == pytest.approx(hi, abs=0.15 * width)


def test_baseline_comparison_by_clusters_agrees_with_a_naive_cluster_bootstrap():
    """clusters=: whole clusters drawn with replacement, against the same bootstrap written with
    numpy and scikit-learn (weights = each row's cluster's draw count); other random draws, so
    agreement within Monte Carlo error only. String labels name the clusters. The clusters differ
    (the model ranks better in eight, the baseline in four), so drawing them whole widens the
    interval well beyond a row bootstrap's."""
    rng = np.random.default_rng(13)
    y = (rng.random(480) < 0.3).astype(int)
    noise, noise2 = rng.random(480), rng.random(480)
    council = np.arange(480) // 40
    good = council < 8
    s = np.where(good, y + 0.8 * noise, noise)
    base = np.where(good, noise2, y + 0.8 * noise2)
    labels = np.array([f"council {c}" for c in council])
    B = 200
    e = earlyhelp.evaluate(y, s, baselines={"noisy": base}, resamples=B, seed=1, clusters=labels)
    codes = np.unique(labels, return_inverse=True)[1]
    rng = np.random.default_rng(0)
    auc, ap = sklearn_metrics.roc_auc_score, sklearn_metrics.average_precision_score
    d = {"ROC AUC": [], "PR AUC": []}
    for _ in range(B):
        w = np.bincount(rng.integers(0, 12, 12), minlength=12)[codes].astype(float)
        d["ROC AUC"].append(auc(y, s, sample_weight=w) - auc(y, base, sample_weight=w))
        d["PR AUC"].append(ap(y, s, sample_weight=w) - ap(y, base, sample_weight=w))
    b = e.baselines.set_index("figure")
    assert (b["clusters"] == 12).all()
    for figure, diffs in d.items():
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        assert b.loc[figure, "lower"] == pytest.approx(lo, abs=0.2 * (hi - lo))
        assert b.loc[figure, "upper"] == pytest.approx(hi, abs=0.2 * (hi - lo))
    assert "resamples of 12 clusters" in e.verdict_sentence()
    rows = earlyhelp.evaluate(y, s, baselines={"noisy": base}, resamples=B, seed=1).baselines.set_index("figure")
    assert (rows["clusters"] == 0).all()
    assert ((b["upper"] - b["lower"]) > 2 * (rows["upper"] - rows["lower"])).all()
    with pytest.raises(earlyhelp.InvalidArgument, match="clusters has 5 labels for 480 cases"):
        earlyhelp.evaluate(y, s, baselines={"noisy": base}, clusters=labels[:5])
    with pytest.raises(earlyhelp.InvalidArgument, match="missing label at position 3"):
        earlyhelp.evaluate(y, s, baselines={"noisy": base}, clusters=[1, 2, 3, None] + [1] * 476)


def test_baseline_comparison_verdicts_and_determinism():
    rng = np.random.default_rng(9)
    y = (np.arange(500) % 5 == 0).astype(int)
    noise = rng.random(500)
    e = earlyhelp.evaluate(y, y.astype(float), baselines={"noise": noise, "itself": y.astype(float)}, resamples=100)
    v = e.baselines.set_index(["baseline", "figure"])["verdict"]
    assert v[("noise", "ROC AUC")] == "beaten" and v[("itself", "ROC AUC")] == "not clearly beaten"
    assert e.verdict == "not clearly beaten"  # the worst over the baselines
    assert e.verdict_sentence("the activity baseline").startswith(
        "the model does not clearly beat the activity baseline (difference model - baseline, 95% interval from 100 "
        "paired resamples; 100 positives in 500 rows): noise: ROC AUC +")
    assert earlyhelp.evaluate(y, noise, baselines={"perfect": y.astype(float)}, resamples=100).verdict == "not beaten"
    again = earlyhelp.evaluate(y, y.astype(float), baselines={"noise": noise, "itself": y.astype(float)},
                               resamples=100)
    pd.testing.assert_frame_equal(e.baselines, again.baselines)
    assert earlyhelp.evaluate(y, noise).verdict is None and e.baselines.columns[0] == "baseline"
    with pytest.raises(earlyhelp.InvalidArgument, match="baseline"):
        earlyhelp.evaluate(y, noise, baselines={"short": noise[:10]})
    with pytest.raises(earlyhelp.InvalidArgument, match="resamples"):
        earlyhelp.evaluate(y, noise, baselines={"b": noise}, resamples=0)
    with pytest.raises(earlyhelp.InvalidArgument, match="baselines must be"):
        earlyhelp.evaluate(y, noise, baselines=[noise])
