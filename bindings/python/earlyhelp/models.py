# SPDX-License-Identifier: Apache-2.0
"""Risk models: import, predict, explain and reason codes (``earlyhelp.Model``).

``Model.from_xgboost_json("m.json")`` reproduces XGBoost's ``predict`` exactly (float32 splits
and sums); ``explain`` gives path-dependent TreeSHAP contributions with the bias column last, as
``Booster.predict(..., pred_contribs=True)``; ``reasons`` turns the largest contributions into
plain-language labels for a professional to read. Scores are advisory, never a decision.
"""

from __future__ import annotations

import numpy as np

from earlyhelp import _core

__all__ = ["Model"]


def _matrix(X, feature_names):
    """X as a 2-D C-order float32/float64 array, read in place when it already is one.

    A pandas DataFrame is selected by the model's feature names when it has them (so column order
    does not matter); categorical columns become their integer codes with NaN for missing, as
    XGBoost reads them. Any other dtype or layout is converted once to float64.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        pd = None
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


class Model:
    """A scoring model: a tree ensemble with its feature names and plain-language labels."""

    def __init__(self, impl, feature_names=None, labels=None, *, source=None):
        self._impl = impl
        self.feature_names = list(feature_names) if feature_names else []
        self.labels = dict(labels) if labels else {}
        self.source = source

    # ---- import ---------------------------------------------------------------------------
    @classmethod
    def from_xgboost_json(cls, path, labels=None):
        """Reads ``Booster.save_model("m.json")`` output (XGBoost 1.7 / 2.x)."""
        impl, names, _types, version = _core.models.import_xgboost_json_file(str(path))
        return cls(impl, names, labels, source=f"xgboost {version}" if version else "xgboost")

    # ---- properties -----------------------------------------------------------------------
    @property
    def n_features(self):
        return self._impl.n_features

    @property
    def objective(self):
        return self._impl.objective

    @property
    def n_trees(self):
        return self._impl.n_trees

    def __repr__(self):
        return (f"Model(objective={self.objective!r}, trees={self.n_trees}, "
                f"features={self.n_features})")

    # ---- scoring --------------------------------------------------------------------------
    def _x(self, X):
        return _matrix(X, self.feature_names)

    @staticmethod
    def _shape(out):
        return out[:, 0] if out.shape[1] == 1 else out

    def predict(self, X, n_threads=0):
        """Probabilities (binary), values (regression), n x K probabilities (multi:softprob)
        or class indices (multi:softmax); shaped as XGBoost's ``predict``."""
        return self._shape(self._impl.predict(self._x(X), n_threads))

    def predict_margin(self, X, n_threads=0):
        """Raw margins (XGBoost ``output_margin=True``)."""
        return self._shape(self._impl.predict_margin(self._x(X), n_threads))

    def explain(self, X, n_threads=0):
        """Per-feature contributions, bias column last: n x (F + 1), or n x K x (F + 1) for
        multi-class (XGBoost ``pred_contribs=True``). Each row sums to the margin."""
        phi = self._impl.explain(self._x(X), n_threads)
        k = self._impl.n_groups
        if k == 1:
            return phi
        return phi.reshape(phi.shape[0], k, self.n_features + 1)

    def reasons(self, X, k=3, labels=None, group=None):
        """The k features pushing each prediction up the most, as (label, contribution) lists.

        ``labels`` maps feature names to plain-language text (defaults to the model's labels,
        then the feature name). For multi-class models pass the class ``group`` to explain.
        """
        if k < 1:
            raise _core.InvalidArgument(f"reasons: k must be >= 1 (got {k})")
        phi = self.explain(X)
        if phi.ndim == 3:
            if group is None:
                raise _core.InvalidArgument("reasons: multi-class model, pass group=<class index>")
            phi = phi[:, group, :]
        phi = phi[:, :-1]
        names = self.feature_names or [f"f{i}" for i in range(self.n_features)]
        table = dict(self.labels)
        if labels:
            table.update(labels)
        out = []
        for row in phi:
            order = np.argsort(-row, kind="stable")[:k]
            out.append([(table.get(names[j], names[j]), float(row[j])) for j in order
                        if row[j] > 0])
        return out
