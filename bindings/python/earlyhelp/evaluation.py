# SPDX-License-Identifier: Apache-2.0
"""Honest evaluation of a risk score: overall, at the caseloads a team can take, and by group.

``earlyhelp.evaluate(y_true, score, groups=..., k=[...])`` returns an :class:`Evaluation` with
three DataFrames: ``overall`` (one row per selection rule), ``by_group`` (one row per grouping,
group and rule) and ``calibration`` (one row per bin), and writes JSON and Markdown. The figures
are computed by the C++ library (``earlyhelp/governance/evaluation.hpp``) and agree with
scikit-learn's (roc_auc_score, average_precision_score, brier_score_loss, precision_score,
recall_score, calibration_curve) within 1e-9, ties included. Never a bare accuracy.

``baselines={"activity": counts}`` compares the score with baseline scores of the same cases by a
paired bootstrap (``earlyhelp/governance/comparison.hpp``): ``Evaluation.baselines`` holds each
difference in ROC AUC and PR AUC with its percentile interval and verdict, ``Evaluation.verdict``
the overall one ("beaten" only when every interval lies above 0).
"""
from __future__ import annotations

import json
import math
from typing import Iterable, Mapping

import numpy as np

from earlyhelp._core import InvalidArgument
from earlyhelp._core import evaluation as _ev

__all__ = ["Evaluation", "evaluate"]


def _vector(name, values):
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidArgument(f"evaluate: {name} has shape {arr.shape}, expected one value per row")
    if arr.dtype == bool:
        arr = arr.astype(np.float64)
    try:
        return np.ascontiguousarray(arr, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidArgument(f"evaluate: {name} holds values that are not numbers (dtype {arr.dtype})") from None


def _label(v) -> str:
    """A group value as text: missing -> '' (the '(missing)' group); 3.0 -> '3'."""
    if v is None:
        return ""
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return ""
        if float(v).is_integer():
            return str(int(v))
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency of this module's callers
        pass
    return str(v)


def _index(obj):
    return getattr(obj, "index", None) if hasattr(obj, "iloc") else None


def _groups(groups, n_rows, reference_index):
    if groups is None:
        return [], []
    if hasattr(groups, "columns"):  # a DataFrame
        items = [(str(c), groups[c]) for c in groups.columns]
        idx = groups.index
        if reference_index is not None and not idx.equals(reference_index):
            raise InvalidArgument("evaluate: the groups DataFrame's index differs from y_true's; "
                                  "align them (or pass plain arrays) so that row i is the same case")
    elif isinstance(groups, Mapping):
        items = [(str(k), v) for k, v in groups.items()]
    else:
        raise InvalidArgument(f"evaluate: groups must be a DataFrame, a dict of columns or None, not "
                              f"{type(groups).__name__}")
    names, values = [], []
    for name, col in items:
        vals = [_label(v) for v in (col.tolist() if hasattr(col, "tolist") else list(col))]
        if len(vals) != n_rows:
            raise InvalidArgument(f"evaluate: group column '{name}' has {len(vals)} rows, y_true has {n_rows}")
        names.append(name)
        values.append(vals)
    return names, values


_OVERALL = ["selection", "k", "threshold", "rows", "positives", "base_rate", "mean_score", "roc_auc", "pr_auc",
            "brier", "ece", "selected", "precision", "recall", "false_positive_rate", "false_negative_rate",
            "selection_rate"]
_BY_GROUP = ["column", "group", "selection", "rows", "positives", "negatives", "selected", "judged", "note",
             "base_rate", "mean_score", "selection_rate", "precision", "recall", "false_positive_rate",
             "false_negative_rate", "calibration_in_the_large", "auc"]
_BINS = ["lower", "upper", "rows", "weight", "mean_score", "observed_rate"]
_BASELINES = ["baseline", "figure", "score", "baseline_score", "difference", "lower", "upper", "verdict", "rows",
              "positives", "clusters", "resamples", "seed", "level", "min_difference"]
_TEXT = {"selection", "column", "group", "note", "judged", "baseline", "figure", "verdict"}


def _numeric(df):
    """JSON nulls (NaN in the library) back to NaN; counts stay integers where whole."""
    for c in df.columns:
        if c not in _TEXT:
            df[c] = df[c].astype("float64")
            if c in ("rows", "positives", "negatives", "clusters", "k", "resamples", "seed") and df[c].notna().all():
                df[c] = df[c].astype("int64")
    return df


class Evaluation:
    """An evaluation: ``overall``, ``by_group`` and ``calibration`` DataFrames, plus
    :meth:`to_json` (what ``evaluation/<domain>.json`` holds) and :meth:`to_markdown`.

    ``overall`` has one row per selection rule (``top <k>`` for each k, then ``score >= <t>``),
    each with the threshold-free figures (rows, positives, base_rate, mean_score, roc_auc, pr_auc
    = average precision, brier, ece) and the rule's selected, precision, recall,
    false_positive_rate, false_negative_rate and selection_rate. Without a rule it has one row
    whose selection is ''. ``by_group``: column, group, selection, rows, positives, negatives,
    selected, judged, note, base_rate, mean_score, selection_rate, precision, recall,
    false_positive_rate, false_negative_rate, calibration_in_the_large, auc; a group too small to
    judge keeps its counts, has NaN rates, ``judged`` False and a ``note`` saying why.

    ``baselines`` (empty without baselines): one row per baseline and figure (``ROC AUC``,
    ``PR AUC``) with the model's ``score``, the ``baseline_score``, their ``difference``, the
    interval's ``lower`` and ``upper`` bounds, the figure's ``verdict`` ("beaten", "not beaten",
    "not clearly beaten"), rows, positives, clusters (0: rows were resampled), resamples, seed, level
    and min_difference.
    ``verdict``: the overall verdict over every baseline and figure, or None without baselines.
    """

    def __init__(self, native):
        import pandas as pd

        self.native = native
        doc = json.loads(native.to_json({}, -1))
        base = {k: doc[k] for k in ("rows", "positives", "base_rate", "mean_score", "roc_auc", "pr_auc", "brier")}
        base["ece"] = doc["calibration"]["ece"]
        rules = [{"selection": r["label"], **{k: v for k, v in r.items() if k not in ("rule", "label")}}
                 for r in doc["selections"]] or [{"selection": ""}]
        self.overall = _numeric(pd.DataFrame([{**base, **r} for r in rules], columns=_OVERALL))
        self.by_group = _numeric(pd.DataFrame(doc["by_group"], columns=_BY_GROUP))
        self.calibration = _numeric(pd.DataFrame(doc["calibration"]["bins"], columns=_BINS))
        self.baselines = _numeric(pd.DataFrame(
            [{"baseline": c["baseline"], "figure": label, "score": c[key]["score"],
              "baseline_score": c[key]["baseline"], "difference": c[key]["difference"], "lower": c[key]["lower"],
              "upper": c[key]["upper"], "verdict": c[key]["verdict"],
              **{f: c[f] for f in ("rows", "positives", "clusters", "resamples", "seed", "level", "min_difference")}}
             for c in doc.get("baselines", []) for key, label in (("roc_auc", "ROC AUC"), ("pr_auc", "PR AUC"))],
            columns=_BASELINES))
        self.verdict = doc.get("verdict")
        self.binning = doc["calibration"]["binning"]
        self.probabilities = doc["probabilities"]

    def to_json(self, path=None, context: Mapping[str, str] | None = None, indent: int = 2) -> str:
        """The evaluation as JSON (NaN as null); written to ``path`` too when given. ``context``
        (domain, model, period, ...) is copied in as text and must hold no personal data."""
        text = self.native.to_json({str(k): str(v) for k, v in (context or {}).items()}, indent)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        return text

    def to_markdown(self, path=None, title: str = "") -> str:
        """The evaluation as Markdown tables; written to ``path`` too when given."""
        text = self.native.to_markdown(title)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def verdict_sentence(self, what: str = "the baseline") -> str:
        """The verdict against the baselines in one sentence with the differences and intervals,
        e.g. "the model does not clearly beat the activity baseline (...): household: ROC AUC
        +0.0237 (-0.0151 to +0.0624), PR AUC ...". Raises InvalidArgument without baselines."""
        return self.native.verdict_sentence(str(what))

    def __repr__(self):
        row = self.overall.iloc[0]
        return (f"<Evaluation rows={row['rows']} positives={row['positives']} "
                f"roc_auc={row['roc_auc']:.4f} pr_auc={row['pr_auc']:.4f}>")


def evaluate(y_true, score, groups=None, k: Iterable[int] | int = (), threshold=None, weight=None,
             n_bins: int = 10, binning: str = "uniform", min_positives: int = 10,
             min_negatives: int = 10, baselines: Mapping[str, object] | None = None, resamples: int = 1000,
             seed: int = 0, level: float = 0.95, min_difference: float = 0.0, clusters=None) -> Evaluation:
    """Evaluates a risk score against outcomes, overall and by group.

    Parameters
    ----------
    y_true : array-like of 0/1 (or bool), one outcome per case
    score : array-like of numbers (probabilities for Brier score and calibration; any other
        score, e.g. an activity count, gets AUC, PR AUC and the selection figures only)
    groups : DataFrame, dict of name -> column, or None. Each column is a grouping (sex, age band,
        ethnicity group, deprivation decile, any user column); missing values form the group
        '(missing)'. Rows are matched by position; a DataFrame whose index differs from a
        y_true Series' is refused.
    k : the caseloads a team can take: precision and recall at the top k scores for each k (rows
        tied with the k-th score share the places left, so figures never depend on row order)
    threshold : a score threshold (or a list of them): cases with score >= threshold are selected
    weight : optional non-negative weight per case
    n_bins, binning : calibration bins, ``"uniform"`` (equal widths, default) or ``"quantile"``
    min_positives, min_negatives : a group with fewer cases with (without) the outcome is reported
        with its counts but not judged
    baselines : dict of name -> baseline score of the same cases (e.g. an activity count), or a
        DataFrame of them (one column each). Each is compared with ``score`` by a paired bootstrap
        of the cases (rows), stratified by outcome: the difference score - baseline in ROC AUC
        and PR AUC with its percentile interval, and the verdict: "beaten" when the interval lies
        above 0 (and the difference is at least ``min_difference``), "not beaten" when it lies
        below 0, else "not clearly beaten". See ``Evaluation.baselines`` and ``Evaluation.verdict``.
    resamples, seed, level, min_difference : the bootstrap's resamples, its seed (same seed, same
        interval), the interval's coverage and the smallest difference that counts as beaten
    clusters : None, or one label per case (array-like of any hashable values, matched by
        position) naming the cluster it belongs to — the council in an evaluation pooled over
        councils, the household for persons. The bootstrap then draws whole clusters with
        replacement instead of rows (not stratified), so cases that move together are not
        counted as independent and the interval is not too narrow. At least two clusters.

    Raises ``earlyhelp.InvalidArgument`` for labels other than 0/1, NaN scores, one outcome class
    only, mismatched lengths or a bad option.
    """
    ref_index = _index(y_true)
    y = _vector("y_true", y_true)
    s = _vector("score", score)
    w = np.zeros(0) if weight is None else _vector("weight", weight)
    ks = [int(k)] if isinstance(k, (int, np.integer)) else [int(v) for v in k]
    if threshold is None:
        ts = []
    elif isinstance(threshold, (int, float, np.number)):
        ts = [float(threshold)]
    else:
        ts = [float(t) for t in threshold]
    names, values = _groups(groups, len(y), ref_index)
    if baselines is None:
        b_names, b_scores = [], []
    elif hasattr(baselines, "columns") or isinstance(baselines, Mapping):
        items = ([(str(c), baselines[c]) for c in baselines.columns] if hasattr(baselines, "columns")
                 else [(str(k), v) for k, v in baselines.items()])
        b_names = [name for name, _ in items]
        b_scores = [_vector(f"baseline '{name}'", v) for name, v in items]
    else:
        raise InvalidArgument(f"evaluate: baselines must be a dict of name -> scores, a DataFrame or None, not "
                              f"{type(baselines).__name__}")
    if int(seed) < 0:
        raise InvalidArgument(f"evaluate: seed is {seed}, expected an integer >= 0")
    cl = _cluster_codes(clusters, len(y))
    native = _ev.evaluate(y, s, w, names, values, ks, ts, int(n_bins), str(binning), int(min_positives),
                          int(min_negatives), b_names, b_scores, int(resamples), int(seed), float(level),
                          float(min_difference), cl)
    return Evaluation(native)


def _cluster_codes(clusters, n: int) -> list[int]:
    """The clusters as integer codes (the library's ids), one per case; [] for None."""
    if clusters is None:
        return []
    import pandas as pd

    labels = pd.Series(np.asarray(clusters).ravel())
    if len(labels) != n:
        raise InvalidArgument(f"evaluate: clusters has {len(labels)} labels for {n} cases, expected one per case")
    if labels.isna().any():
        raise InvalidArgument(f"evaluate: clusters has a missing label at position {int(labels.isna().to_numpy().argmax())}, "
                              "expected a cluster for every case")
    codes, _ = pd.factorize(labels, sort=True)
    return codes.tolist()
