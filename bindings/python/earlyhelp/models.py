# SPDX-License-Identifier: Apache-2.0
"""Risk models: import, predict, explain, reason codes and safe storage (``earlyhelp.Model``).

``Model.from_xgboost_json("m.json")`` reproduces XGBoost's ``predict`` exactly (float32 splits
and sums); ``Model.from_sklearn(est)`` reproduces scikit-learn's ``predict_proba`` /
``predict`` (LogisticRegression, HistGradientBoosting*, GradientBoostingClassifier,
RandomForestClassifier). ``explain`` gives exact contributions (path-dependent TreeSHAP for trees)
with the bias column last, as ``Booster.predict(..., pred_contribs=True)``; ``reasons`` turns the
largest into plain-language labels. ``save``/``load`` use a checksummed, optionally HMAC-signed
bundle. Scores are advisory for a professional, never a decision.
"""

from __future__ import annotations

import sys

import numpy as np

from earlyhelp import _core

__all__ = ["Model"]

_Core = _core.models.Model
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_F64 = np.dtype(np.float64)


def _matrix(X, feature_names):
    """X as a 2-D C-order float32/float64 array, read in place when it already is one.

    A pandas DataFrame is selected by the model's feature names when it has them (so column order
    does not matter); categorical columns become their integer codes with NaN for missing, as
    XGBoost reads them. Any other dtype or layout is converted once to float64.
    """
    if type(X) is np.ndarray and X.ndim == 2 and X.dtype in _FLOATS and X.flags.c_contiguous:
        return X  # the common case, read in place: no work on the single-record path
    pd = sys.modules.get("pandas")  # a DataFrame can only exist if pandas was imported
    if pd is not None and isinstance(X, pd.DataFrame):
        if feature_names:
            missing = [c for c in feature_names if c not in X.columns]
            if missing:
                raise _core.InvalidArgument(
                    f"predict: DataFrame lacks model features {missing[:5]} "
                    f"({len(missing)} missing of {len(feature_names)})")
            X = X[list(feature_names)]
        cols = []
        for name in X.columns:
            s = X[name]
            if isinstance(s.dtype, pd.CategoricalDtype):
                codes = s.cat.codes.to_numpy().astype(np.float64)
                codes[codes < 0] = np.nan
                cols.append(codes)
            else:
                cols.append(pd.to_numeric(s, errors="raise").to_numpy(dtype=np.float64,
                                                                       na_value=np.nan))
        X = np.column_stack(cols) if cols else np.empty((len(X), 0))
    X = np.asarray(X)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2:
        raise _core.InvalidArgument(f"predict: X must be 2-D, got {X.ndim} dimensions")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return np.ascontiguousarray(X)


def _le_to_float32_lt(t):
    """Thresholds t (float64) such that float32 x <= t  <=>  x < result (both float32)."""
    t = np.asarray(t, dtype=np.float64)
    t32 = t.astype(np.float32)
    up = np.nextafter(t32, np.float32(np.inf))
    return np.where(t32.astype(np.float64) <= t, up, t32).astype(np.float64)


def _leaf_tree(value, group):
    return {"left": [-1], "right": [-1], "feature": [0], "threshold": [0.0], "default_left": [1],
            "value": [float(value)], "cover": [1.0], "group": int(group)}


def _sk_tree(tree, values, group):
    """A fitted sklearn Tree (tree_) with per-node leaf values, as a tree dict."""
    left = tree.children_left.astype(np.int32)
    return {"left": left, "right": tree.children_right.astype(np.int32),
            "feature": np.where(left == -1, 0, tree.feature).astype(np.int32),
            "threshold": np.where(left == -1, 0.0, _le_to_float32_lt(tree.threshold)),
            "default_left": np.ones(len(left), dtype=np.uint8),  # sklearn 1.2 trees reject NaN
            "value": np.where(left == -1, values, 0.0).astype(np.float64),
            "cover": tree.weighted_n_node_samples.astype(np.float64), "group": int(group)}


def _hgb_tree(predictor, group):
    nodes = predictor.nodes
    if nodes["is_categorical"].any():
        raise _core.InvalidArgument(
            "from_sklearn: categorical splits of HistGradientBoosting are not supported yet")
    leaf = nodes["is_leaf"].astype(bool)
    return {"left": np.where(leaf, -1, nodes["left"]).astype(np.int32),
            "right": np.where(leaf, -1, nodes["right"]).astype(np.int32),
            "feature": np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32),
            "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).astype(np.float64),
            "default_left": nodes["missing_go_to_left"].astype(np.uint8),
            "value": np.where(leaf, nodes["value"], 0.0).astype(np.float64),
            "cover": np.maximum(nodes["count"], 1).astype(np.float64), "group": int(group)}


def _names(est, n):
    names = getattr(est, "feature_names_in_", None)
    return [str(x) for x in names] if names is not None else [f"f{i}" for i in range(n)]


def _from_sklearn(est):
    kind = type(est).__name__
    n = int(est.n_features_in_)
    if kind == "LogisticRegression":
        coef = np.asarray(est.coef_, dtype=np.float64)
        intercept = np.asarray(est.intercept_, dtype=np.float64)
        n_classes = len(est.classes_)
        ovr = est.multi_class == "ovr" or (est.multi_class == "auto" and
                                           (n_classes <= 2 or est.solver == "liblinear"))
        if n_classes <= 2:
            # multinomial on two classes is softmax([-d, d]) = sigmoid(2d)
            scale = 1.0 if ovr else 2.0
            return _core.models.make_linear(coef * scale, intercept * scale, "logit"), n
        return _core.models.make_linear(coef, intercept, "ovr_logit" if ovr else "softmax"), n
    if kind in ("HistGradientBoostingClassifier", "HistGradientBoostingRegressor"):
        k = int(est.n_trees_per_iteration_)
        baseline = np.ravel(est._baseline_prediction)
        loss = type(est._loss).__name__
        if kind.endswith("Regressor"):
            objectives = {"HalfSquaredError": ("reg:squarederror", 0.0),
                          "HalfPoissonLoss": ("count:poisson", 1.0)}
            if loss not in objectives:
                raise _core.InvalidArgument(f"from_sklearn: loss {loss} is not supported")
            objective, base = objectives[loss]
        elif k == 1:
            objective, base = "binary:logistic", 0.5  # base margin exactly 0
        else:
            objective, base = "multi:softprob", 0.0
        trees = [_leaf_tree(baseline[g], g) for g in range(k)]
        for it in est._predictors:
            trees.extend(_hgb_tree(p, g) for g, p in enumerate(it))
        return _core.models.make_trees(trees, n, k, objective, base, "float64",
                                       "less_equal_float64"), n
    if kind == "GradientBoostingClassifier":
        k = est.estimators_.shape[1]
        init = np.ravel(est._raw_predict_init(np.zeros((1, n), dtype=np.float32)))
        trees = [_leaf_tree(init[g], g) for g in range(k)]
        lr = float(est.learning_rate)
        for stage in est.estimators_:
            for g, reg in enumerate(stage):
                trees.append(_sk_tree(reg.tree_, lr * reg.tree_.value[:, 0, 0], g))
        objective, base = ("binary:logistic", 0.5) if k == 1 else ("multi:softprob", 0.0)
        return _core.models.make_trees(trees, n, k, objective, base, "float64"), n
    if kind == "RandomForestClassifier":
        n_classes = len(est.classes_)
        n_trees = len(est.estimators_)
        groups = [1] if n_classes == 2 else list(range(n_classes))
        trees = []
        for tree in est.estimators_:
            t = tree.tree_
            v = t.value[:, 0, :]
            norm = v.sum(axis=1)
            norm[norm == 0] = 1.0
            proba = v / norm[:, None]
            for out, cls in enumerate(groups):
                trees.append(_sk_tree(t, proba[:, cls] / n_trees, out))
        return _core.models.make_trees(trees, n, len(groups), "reg:squarederror", 0.0,
                                       "float64"), n
    raise _core.InvalidArgument(
        f"from_sklearn: {kind} is not supported (LogisticRegression, HistGradientBoosting"
        "Classifier/Regressor, GradientBoostingClassifier, RandomForestClassifier)")


class Model:
    """A scoring model bundle: estimator, feature names, labels, calibration, bands, metadata.

    >>> m = earlyhelp.Model.from_xgboost_json("m.json")   # doctest: +SKIP
    >>> p = m.predict(X); phi = m.explain(X); r = m.reasons(X, 3)
    >>> m.save("risk.ehm", key=b"approval key"); m2 = earlyhelp.Model.load("risk.ehm", key=...)
    """

    def __init__(self, core):
        if not isinstance(core, _Core):
            raise TypeError("Model wraps an earlyhelp._core.models.Model; use a from_* method")
        self._core = core

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_xgboost_json(cls, path, labels=None):
        """Reads ``Booster.save_model("m.json")`` output (XGBoost 1.7 / 2.x)."""
        m = cls(_core.models.import_xgboost_json_file(str(path)))
        if labels:
            m.labels = labels
        return m

    @classmethod
    def from_sklearn(cls, estimator, labels=None):
        """Converts a fitted scikit-learn LogisticRegression, HistGradientBoostingClassifier/
        Regressor, GradientBoostingClassifier or RandomForestClassifier."""
        core, n = _from_sklearn(estimator)
        core.feature_names = _names(estimator, n)
        m = cls(core)
        if labels:
            m.labels = labels
        return m

    @classmethod
    def linear(cls, coef, intercept, link="logit", center=None, scale=None, fill=None,
               feature_names=None):
        """A linear/logistic model: margin = intercept + coef . ((x - center) / scale); NaN
        inputs take ``fill`` (standardised; NaN propagates)."""
        coef = np.atleast_2d(np.asarray(coef, dtype=np.float64))
        e = np.empty(0)
        core = _core.models.make_linear(
            coef, np.atleast_1d(np.asarray(intercept, dtype=np.float64)), link,
            e if center is None else np.asarray(center, float),
            e if scale is None else np.asarray(scale, float),
            e if fill is None else np.asarray(fill, float))
        if feature_names:
            core.feature_names = list(feature_names)
        return cls(core)

    @classmethod
    def scorecard(cls, features, base_points, target_points=600.0, target_odds=1 / 50,
                  points_to_double_odds=20.0, feature_names=None):
        """A points scorecard: ``features`` is a list of (edges, points, missing_points)."""
        core = _core.models.make_scorecard(
            [(list(map(float, e)), list(map(float, p)), float(m)) for e, p, m in features],
            base_points, target_points, target_odds, points_to_double_odds)
        if feature_names:
            core.feature_names = list(feature_names)
        return cls(core)

    # ---- properties -----------------------------------------------------------------------
    n_features = property(lambda self: self._core.n_features)
    n_outputs = property(lambda self: self._core.n_outputs)
    kind = property(lambda self: self._core.kind)
    objective = property(lambda self: self._core.objective)
    n_trees = property(lambda self: self._core.n_trees)
    calibration = property(lambda self: self._core.calibration)

    @property
    def feature_names(self):
        return list(self._core.feature_names)

    @feature_names.setter
    def feature_names(self, names):
        self._core.feature_names = list(names) if names else []

    @property
    def labels(self):
        """Feature name -> plain-language label (used by reasons)."""
        return dict(self._core.labels)

    @labels.setter
    def labels(self, labels):
        self._core.labels = {str(k): str(v) for k, v in dict(labels).items()}

    def labels_from_schema(self, fields):
        """Takes labels from schema fields (objects with ``name`` and ``label``)."""
        self.labels = {f.name: f.label for f in fields if getattr(f, "label", "")}

    @property
    def bands(self):
        return self._core.bands

    @bands.setter
    def bands(self, value):
        self._core.bands = None if value is None else (list(value[0]), list(value[1]))

    def set_ventiles(self, scores, n=20):
        """Bands at the quantiles of ``scores`` (ventiles by default), named "1".."n"."""
        s = np.sort(np.asarray(scores, dtype=np.float64))
        cuts = []
        for i in range(1, n):
            t = float(s[int(np.floor(i / n * (len(s) - 1)))])
            if not cuts or t > cuts[-1]:
                cuts.append(t)
        self.bands = (cuts, [str(i + 1) for i in range(len(cuts) + 1)])

    info = property(lambda self: self._core.info,
                    lambda self, d: setattr(self._core, "info", dict(d)))
    thresholds = property(lambda self: self._core.thresholds,
                          lambda self, d: setattr(self._core, "thresholds", dict(d)))

    def set_platt(self, a, b, input="margin"):
        self._core.set_platt(float(a), float(b), input)

    def set_isotonic(self, x, y, input="prediction"):
        self._core.set_isotonic(list(map(float, x)), list(map(float, y)), input)

    def clear_calibration(self):
        self._core.clear_calibration()

    def __repr__(self):
        what = self.objective if self.kind == "trees" else self.kind
        return f"Model({what!r}, features={self.n_features}, trees={self.n_trees})"

    # ---- scoring --------------------------------------------------------------------------
    def _x(self, X):
        return _matrix(X, self.feature_names)

    @staticmethod
    def _shape(out):
        return out[:, 0] if out.shape[1] == 1 else out

    def predict(self, X, n_threads=0):
        """Probabilities (binary: of the positive class), values (regression), n x K
        probabilities (multi-class) or class indices (multi:softmax); calibrated if set."""
        if (type(X) is np.ndarray and X.dtype == _F64 and X.ndim == 2 and X.shape[0] == 1
                and X.flags.c_contiguous):
            return self._core.predict_one(X, False)  # one record: no batch set-up
        return self._shape(self._core.predict(self._x(X), n_threads))

    def predict_margin(self, X, n_threads=0):
        """Raw margins (XGBoost ``output_margin=True``; log-odds for classifiers)."""
        return self._shape(self._core.predict_margin(self._x(X), n_threads))

    def explain(self, X, n_threads=0):
        """Per-feature contributions, bias column last: n x (F + 1), or n x K x (F + 1) for
        multi-class (XGBoost ``pred_contribs=True``). Each row sums to the margin."""
        phi = self._core.explain(self._x(X), n_threads)
        k = self._core.n_groups
        if k == 1:
            return phi
        return phi.reshape(phi.shape[0], k, self.n_features + 1)

    def reasons(self, X, k=3, labels=None, group=0):
        """Up to k features pushing each prediction up the most, as (label, contribution)
        lists (contribution in log-odds). ``labels`` overrides the model's labels for this call.
        """
        X = self._x(X).astype(np.float64, copy=False)
        if labels:
            saved = self._core.labels
            merged = dict(saved)
            merged.update({str(a): str(b) for a, b in labels.items()})
            self._core.labels = merged
            try:
                rows = self._core.reasons(X, k, group)
            finally:
                self._core.labels = saved
        else:
            rows = self._core.reasons(X, k, group)
        return [[(label, c) for label, c, _ in row] for row in rows]

    def band(self, X):
        """Risk band index of each prediction (-1 without bands); names in ``bands[1]``."""
        return np.asarray(self._core.band(self._x(X).astype(np.float64, copy=False)))

    # ---- storage --------------------------------------------------------------------------
    @staticmethod
    def _key(key):
        if key is None:
            return b""
        return bytes(key) if isinstance(key, (bytes, bytearray)) else str(key).encode()

    def to_bytes(self, key=None):
        return self._core.to_bytes(self._key(key))

    @classmethod
    def from_bytes(cls, data, key=None):
        return cls(_Core.from_bytes(bytes(data), cls._key(key)))

    def save(self, path, key=None):
        """Writes the bundle; signed with HMAC-SHA256 when ``key`` is given."""
        self._core.save(str(path), self._key(key))

    @classmethod
    def load(cls, path, key=None):
        """Reads a bundle; with ``key``, refuses unsigned or differently signed files."""
        return cls(_Core.load(str(path), cls._key(key)))

    def __getstate__(self):
        return {"bundle": self.to_bytes()}

    def __setstate__(self, state):
        self._core = _Core.from_bytes(state["bundle"], b"")
