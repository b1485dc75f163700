# SPDX-License-Identifier: Apache-2.0
"""Risk models: import, predict, explain, reason codes and safe storage (``earlyhelp.Model``).

``Model.from_xgboost_json("m.json")`` reproduces XGBoost's ``predict`` exactly (float32 splits
and sums); ``Model.from_sklearn(est)`` reproduces scikit-learn's ``predict_proba`` /
``predict`` (LogisticRegression, HistGradientBoosting*, GradientBoostingClassifier,
RandomForestClassifier, and Pipelines of a ColumnTransformer of OneHotEncoder / OrdinalEncoder /
StandardScaler / SimpleImputer followed by LogisticRegression / LinearRegression, as linear
models over declared per-feature encodings). ``explain`` gives exact contributions (path-dependent TreeSHAP for trees)
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


def _category_codes(s, categories):
    """Codes of a pandas Series against a linear feature's declared categories, by name: the
    index in ``categories``, NaN for missing, -1 (unseen) for any other value."""
    pd = sys.modules["pandas"]
    isna = s.isna().to_numpy()
    names = s.astype(object).map(lambda v: v if isinstance(v, str) else str(v))
    codes = pd.Categorical(names, categories=list(categories)).codes.astype(np.float64)
    codes[isna] = np.nan
    return codes


def _column_name(feature_names, j):
    return repr(str(feature_names[j])) if feature_names and j < len(feature_names) else str(j)


def _numbers(values, fn, column):
    """A 1-D object / string array (or Series) as float64: None, NaN and pandas NA are missing.
    A cell that is not a number raises InvalidArgument naming the column and the row position,
    never the value (cells hold names, NHS numbers)."""
    values = np.asarray(values, dtype=object)
    pd = sys.modules.get("pandas")
    if pd is not None:
        coerced = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan)
        suspects = np.flatnonzero(np.isnan(coerced) & ~pd.isna(values))
    else:
        coerced = np.full(len(values), np.nan)
        suspects = range(len(values))
    for i in suspects:
        v = values[i]
        if v is None:
            continue
        try:
            coerced[i] = float(v)  # "NaN" text, or the loop without pandas
        except (TypeError, ValueError):
            raise _core.InvalidArgument(
                f"{fn}: column {column}, row {i} (position) is not a number; expected numbers, with "
                "NaN or None for missing (the value is not shown: it may be personal data)") from None
    return coerced


def _check_dtype(dtype, fn, what):
    """Refuses dates, durations, complex numbers and records (numpy or pandas dtypes)."""
    if getattr(dtype, "kind", "O") in "mMcV":
        raise _core.InvalidArgument(
            f"{fn}: {what} has dtype {dtype}; expected numbers (float, integer or boolean; dates "
            "and complex numbers are not features: convert them first)")


def _matrix(X, feature_names, encodings=None, fn="predict"):
    """X as a 2-D C-order float32/float64 array, read in place when it already is one.

    A pandas DataFrame is selected by the model's feature names when it has them (so column order
    does not matter); categorical columns become their integer codes with NaN for missing, as
    XGBoost reads them. For a linear model with declared one-hot / ordinal features, such a
    column that is categorical, string or object is mapped to the declared categories by name
    (NaN missing, -1 unseen); a numeric column is taken as codes already. Any other numeric
    dtype or layout is converted once to float64; text that is not a number, dates and complex
    numbers raise InvalidArgument naming ``fn``, the column and the row, never the value.
    """
    if type(X) is np.ndarray and X.ndim == 2 and X.dtype in _FLOATS and X.flags.c_contiguous:
        return X  # the common case, read in place: no work on the single-record path
    if X is None:
        raise _core.InvalidArgument(f"{fn}: X is None; expected a 2-D array or a DataFrame of the model's features")
    pd = sys.modules.get("pandas")  # a DataFrame can only exist if pandas was imported
    coded = encodings and any(e["encoding"] != "numeric" for e in encodings)
    if (coded and pd is not None and isinstance(X, np.ndarray) and X.ndim == 2
            and X.dtype.kind in "OUS"):
        X = pd.DataFrame(X, columns=list(feature_names) if feature_names else None)
        feature_names = list(X.columns)
    if pd is not None and isinstance(X, pd.DataFrame):
        if feature_names:
            missing = [c for c in feature_names if c not in X.columns]
            if missing:
                raise _core.InvalidArgument(
                    f"{fn}: DataFrame lacks model features {missing[:5]} "
                    f"({len(missing)} missing of {len(feature_names)})")
            X = X[list(feature_names)]
        dtypes = set(X.dtypes)
        if len(dtypes) == 1 and next(iter(dtypes)) in _FLOATS:
            # One float dtype throughout (what feature tables and XGBoost users hold): one pass
            # into a C-order array of that dtype, no per-column float64 copies.
            return np.ascontiguousarray(X.to_numpy(dtype=next(iter(dtypes))))
        cols = []
        for j, name in enumerate(X.columns):
            s = X.iloc[:, j]
            enc = encodings[j] if coded and j < len(encodings) else None
            if (enc is not None and enc["encoding"] != "numeric"
                    and not pd.api.types.is_numeric_dtype(s.dtype)):
                cols.append(_category_codes(s, enc["categories"]))
            elif isinstance(s.dtype, pd.CategoricalDtype):
                codes = s.cat.codes.to_numpy().astype(np.float64)
                codes[codes < 0] = np.nan
                cols.append(codes)
            else:
                _check_dtype(s.dtype, fn, f"column {str(name)!r}")
                if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
                    cols.append(s.to_numpy(dtype=np.float64, na_value=np.nan))
                else:
                    cols.append(_numbers(s.to_numpy(dtype=object), fn, repr(str(name))))
        X = np.column_stack(cols) if cols else np.empty((len(X), 0))
    X = np.asarray(X)
    _check_dtype(X.dtype, fn, "X")
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2:
        raise _core.InvalidArgument(f"{fn}: X must be 2-D, got {X.ndim} dimensions")
    if X.dtype.kind in "OUS":
        X = np.column_stack([_numbers(X[:, j], fn, _column_name(feature_names, j))
                             for j in range(X.shape[1])]) if X.shape[1] else X.astype(np.float64)
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


def _logistic(est):
    """A LogisticRegression's (coef, intercept, link) as earlyhelp computes it."""
    coef = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
    intercept = np.atleast_1d(np.asarray(est.intercept_, dtype=np.float64))
    n_classes = len(est.classes_)
    ovr = est.multi_class == "ovr" or (est.multi_class == "auto" and
                                       (n_classes <= 2 or est.solver == "liblinear"))
    if n_classes <= 2:
        # multinomial on two classes is softmax([-d, d]) = sigmoid(2d)
        scale = 1.0 if ovr else 2.0
        return coef * scale, intercept * scale, "logit"
    return coef, intercept, "ovr_logit" if ovr else "softmax"


def _from_sklearn(est):
    kind = type(est).__name__
    n = int(est.n_features_in_)
    if kind == "LogisticRegression":
        coef, intercept, link = _logistic(est)
        return _core.models.make_linear(coef, intercept, link), n
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

_PIPELINE_STEPS = ("ColumnTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler, "
                   "SimpleImputer, 'passthrough', then LogisticRegression or LinearRegression")


def _unsupported(where, step):
    return _core.InvalidArgument(
        f"from_sklearn: {where} ({type(step).__name__}) is not supported; supported pipeline "
        f"steps: {_PIPELINE_STEPS}")


def _chain(steps, i, where):
    """The declared encoding of input column ``i`` after a chain of per-column steps, as
    (encoding dict, number of output columns)."""
    kind, cats, center, scale, raw_fill = "numeric", [], 0.0, 1.0, None
    for name, step in steps:
        what = f"{where} step '{name}'"
        cls = type(step).__name__
        if step is None or (isinstance(step, str) and step == "passthrough"):
            continue
        if isinstance(step, str):
            raise _core.InvalidArgument(f"from_sklearn: {what} '{step}' is not supported")
        if kind == "one_hot":
            raise _core.InvalidArgument(
                f"from_sklearn: {what} ({cls}) after a OneHotEncoder is not supported")
        if cls == "SimpleImputer":
            if kind != "numeric" or raw_fill is not None or center != 0.0 or scale != 1.0:
                raise _core.InvalidArgument(f"from_sklearn: {what}: a SimpleImputer must come first")
            if step.add_indicator:
                raise _core.InvalidArgument(f"from_sklearn: {what}: add_indicator is not supported")
            try:
                raw_fill = float(step.statistics_[i])
            except (TypeError, ValueError):
                raise _core.InvalidArgument(
                    f"from_sklearn: {what}: only numeric imputation is supported") from None
        elif cls == "StandardScaler":
            if center != 0.0 or scale != 1.0:
                raise _core.InvalidArgument(f"from_sklearn: {what}: two scalers on one column")
            if step.with_mean:
                center = float(step.mean_[i])
            if step.with_std and step.scale_ is not None:
                scale = float(step.scale_[i])
        elif cls in ("OneHotEncoder", "OrdinalEncoder"):
            if kind != "numeric" or raw_fill is not None or center != 0.0 or scale != 1.0:
                raise _core.InvalidArgument(f"from_sklearn: {what}: an encoder must come first")
            cats = list(step.categories_[i])
            if any(isinstance(c, float) and np.isnan(c) for c in cats):
                raise _core.InvalidArgument(
                    f"from_sklearn: {what}: a missing value seen as a category in training is not "
                    "supported (impute it to a named category before the encoder)")
            cats = [c if isinstance(c, str) else str(c) for c in cats]
            if cls == "OneHotEncoder":
                if getattr(step, "drop_idx_", None) is not None:
                    raise _core.InvalidArgument(f"from_sklearn: {what}: drop= is not supported")
                if getattr(step, "_infrequent_enabled", False):
                    raise _core.InvalidArgument(
                        f"from_sklearn: {what}: infrequent categories are not supported")
                kind = "one_hot"
            else:
                kind = "ordinal"
                if step.handle_unknown == "use_encoded_value" and np.isfinite(step.unknown_value):
                    raw_fill = float(step.unknown_value)
        else:
            raise _unsupported(what, step)
    if kind == "one_hot":
        return {"encoding": "one_hot", "categories": cats}, len(cats)
    enc = {"encoding": kind, "center": center, "scale": scale}
    if kind == "ordinal":
        enc["categories"] = cats
    if raw_fill is None:
        enc["missing"] = "propagate"  # scikit-learn itself rejects NaN here
    else:
        enc["fill"] = (raw_fill - center) / scale
    return enc, 1


def _column_indices(ct, name, columns, names_in):
    idx = getattr(ct, "_transformer_to_input_indices", {}).get(name)
    if idx is not None:
        return [int(i) for i in idx]
    cols = np.atleast_1d(columns)
    if cols.dtype.kind in "OUS":
        return [names_in.index(str(c)) for c in cols]
    if cols.dtype == bool:
        return [int(i) for i in np.flatnonzero(cols)]
    return [int(i) for i in cols]


def _from_sklearn_pipeline(pipe):
    """A Pipeline([ColumnTransformer(...)] or per-column steps, LogisticRegression /
    LinearRegression) as a linear Model over declared encodings: returns (core, names)."""
    *pre, (last_name, final) = pipe.steps
    kind = type(final).__name__
    if kind not in ("LogisticRegression", "LinearRegression"):
        raise _unsupported(f"final step '{last_name}'", final)
    if kind == "LogisticRegression":
        coef, intercept, link = _logistic(final)
    else:
        coef = np.atleast_2d(np.asarray(final.coef_, dtype=np.float64))
        intercept = np.atleast_1d(np.asarray(final.intercept_, dtype=np.float64))
        if intercept.size == 1 and coef.shape[0] > 1:
            intercept = np.repeat(intercept, coef.shape[0])
        link = "identity"
    cts = [st for _, st in pre if type(st).__name__ == "ColumnTransformer"]
    if cts and len(pre) != 1:
        raise _core.InvalidArgument(
            "from_sklearn: a ColumnTransformer must be the only step before the model")
    plan = []
    if cts:
        ct = cts[0]
        n_in = int(ct.n_features_in_)
        names_in = _names(ct, n_in)
        out = 0
        for name, trans, columns in ct.transformers_:
            if isinstance(trans, str) and trans == "drop":
                continue
            idx = _column_indices(ct, name, columns, names_in)
            if not idx:
                continue
            if type(trans).__name__ == "Pipeline":
                steps = list(trans.steps)
            else:
                steps = [(name, trans)]
            for k, i in enumerate(idx):
                plan.append((i, steps, k, name))
        seen = {}
        encoded = []
        for i, steps, k, name in plan:
            if i in seen:
                raise _core.InvalidArgument(
                    f"from_sklearn: column '{names_in[i]}' feeds two transformers "
                    f"('{seen[i]}' and '{name}'); each column may be used once")
            seen[i] = name
            enc, width = _chain(steps, k, f"transformer '{name}'")
            encoded.append((i, enc, list(range(out, out + width))))
            out += width
    else:
        n_in = int(getattr(pipe, "n_features_in_", coef.shape[1]))
        names_in = _names(pipe, n_in)
        encoded = []
        out = 0
        for i in range(n_in):
            enc, width = _chain(list(pre), i, "pipeline")
            encoded.append((i, enc, list(range(out, out + width))))
            out += width
    if out != coef.shape[1]:
        raise _core.InvalidArgument(
            f"from_sklearn: the transformers give {out} columns, the model has {coef.shape[1]}")
    encoded.sort(key=lambda t: t[0])
    blocks, encodings = [], []
    for i, enc, cols in encoded:
        blocks.append(coef[:, cols])
        if enc["encoding"] == "one_hot":
            blocks.append(np.zeros((coef.shape[0], 1)))  # unseen / missing: all zeros in sklearn
        encodings.append(enc)
    design = np.ascontiguousarray(np.hstack(blocks))
    core = _core.models.make_linear_encoded(design, intercept, link, encodings)
    return core, [names_in[i] for i, _, _ in encoded]


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
    #: Default ``memory_budget`` of :meth:`from_xgboost_json`, in bytes (2 GiB).
    DEFAULT_IMPORT_MEMORY_BUDGET = 2 << 30

    @classmethod
    def from_xgboost_json(cls, path, labels=None, memory_budget=DEFAULT_IMPORT_MEMORY_BUDGET):
        """Reads ``Booster.save_model("m.json")`` output (XGBoost 1.7 / 2.x).

        The file is read as a stream, never held whole; a model whose trees would take more
        than ``memory_budget`` bytes is refused with ``earlyhelp.FormatError`` (raise the budget
        if the machine has the memory), as are trees deeper than 1024 levels."""
        if isinstance(memory_budget, bool) or not isinstance(memory_budget, int) or memory_budget <= 0:
            raise _core.InvalidArgument(
                f"from_xgboost_json: memory_budget must be a positive number of bytes (got {memory_budget!r})")
        m = cls(_core.models.import_xgboost_json_file(str(path), memory_budget))
        if labels:
            m.labels = labels
        return m

    @classmethod
    def from_sklearn(cls, estimator, labels=None):
        """Converts a fitted scikit-learn LogisticRegression, HistGradientBoostingClassifier/
        Regressor, GradientBoostingClassifier or RandomForestClassifier, or a Pipeline of a
        ColumnTransformer (OneHotEncoder, OrdinalEncoder, StandardScaler, SimpleImputer,
        'passthrough', sub-pipelines of those) followed by LogisticRegression or
        LinearRegression, as a linear model over declared encodings (categorical columns may
        then be passed by name, as strings or pandas categoricals)."""
        if type(estimator).__name__ == "Pipeline":
            core, names = _from_sklearn_pipeline(estimator)
        else:
            core, n = _from_sklearn(estimator)
            names = _names(estimator, n)
        core.feature_names = names
        m = cls(core)
        if labels:
            m.labels = labels
        return m

    @classmethod
    def linear(cls, coef, intercept, link="logit", center=None, scale=None, fill=None,
               feature_names=None, encodings=None):
        """A linear/logistic model: margin = intercept + coef . ((x - center) / scale); NaN
        inputs take ``fill`` (standardised; NaN propagates).

        With ``encodings`` (one dict per feature: ``encoding`` "numeric" / "one_hot" /
        "ordinal", ``center``, ``scale``, ``missing`` "fill" / "propagate" / "indicator",
        ``fill``, ``categories``, ``ordinal_values``, ``baseline``) ``coef`` holds the design
        coefficients: per feature 1 (+1 "is missing" with an indicator), or one per category
        plus one for unseen/missing (one-hot). A categorical feature's input is its code (index
        in ``categories``; NaN missing; anything else unseen), or the category name in a pandas
        categorical / string column."""
        coef = np.atleast_2d(np.asarray(coef, dtype=np.float64))
        if encodings is not None:
            if center is not None or scale is not None or fill is not None:
                raise _core.InvalidArgument(
                    "Model.linear: give center/scale/fill inside encodings, not both")
            core = _core.models.make_linear_encoded(
                coef, np.atleast_1d(np.asarray(intercept, dtype=np.float64)), link,
                [dict(e) for e in encodings])
            if feature_names:
                core.feature_names = list(feature_names)
            return cls(core)
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
    encodings = property(lambda self: self._core.encodings,
                         doc="Declared feature encodings of a linear model, else None.")

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
    def _x(self, X, fn="predict"):
        return _matrix(X, self.feature_names, self._core.encodings, fn)

    @staticmethod
    def _shape(out):
        return out[:, 0] if out.shape[1] == 1 else out

    def predict(self, X, n_threads=0):
        """Probabilities (binary: of the positive class), values (regression), n x K
        probabilities (multi-class) or class indices (multi:softmax); calibrated if set."""
        if (type(X) is np.ndarray and X.dtype in _FLOATS and X.ndim == 2 and X.shape[0] == 1
                and X.flags.c_contiguous):
            return self._core.predict_one(X, False)  # one record: no batch set-up
        return self._shape(self._core.predict(self._x(X), n_threads))

    def predict_margin(self, X, n_threads=0):
        """Raw margins (XGBoost ``output_margin=True``; log-odds for classifiers)."""
        return self._shape(self._core.predict_margin(self._x(X, "predict_margin"), n_threads))

    def explain(self, X, n_threads=0):
        """Per-feature contributions, bias column last: n x (F + 1), or n x K x (F + 1) for
        multi-class (XGBoost ``pred_contribs=True``). Each row sums to the margin."""
        phi = self._core.explain(self._x(X, "explain"), n_threads)
        k = self._core.n_groups
        if k == 1:
            return phi
        return phi.reshape(phi.shape[0], k, self.n_features + 1)

    def reasons(self, X, k=3, labels=None, group=0):
        """Up to k features pushing each prediction up the most, as (label, contribution)
        lists (contribution in log-odds). ``labels`` overrides the model's labels for this call.
        """
        X = self._x(X, "reasons").astype(np.float64, copy=False)
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
        return np.asarray(self._core.band(self._x(X, "band").astype(np.float64, copy=False)))

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
