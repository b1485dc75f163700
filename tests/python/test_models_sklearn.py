# SPDX-License-Identifier: Apache-2.0
"""Oracle tests: Model.from_sklearn equals scikit-learn's predict_proba / predict
(1e-9 linear, 1e-6 trees), on binary and multi-class data, with NaN where sklearn accepts it."""
import numpy as np
import pytest

import earlyhelp

sklearn = pytest.importorskip("sklearn")
from sklearn.ensemble import (  # noqa: E402
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression  # noqa: E402


def _data(n=400, f=5, classes=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, f))
    s = X[:, 0] + 0.5 * X[:, 1] - 0.3 * X[:, 2] + 0.3 * rng.normal(size=n)
    y = np.digitize(s, np.quantile(s, np.linspace(0, 1, classes + 1)[1:-1]))
    return X, y, rng


def _proba(est, X):
    p = est.predict_proba(X)
    return p[:, 1] if p.shape[1] == 2 else p


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("multi_class", ["auto", "ovr", "multinomial"])
def test_logistic_regression(classes, multi_class):
    X, y, _ = _data(classes=classes)
    est = LogisticRegression(multi_class=multi_class, max_iter=500).fit(X, y)
    model = earlyhelp.Model.from_sklearn(est)
    np.testing.assert_allclose(model.predict(X), _proba(est, X), rtol=1e-9, atol=1e-12)
    if classes == 2:
        phi = model.explain(X[:20])
        np.testing.assert_allclose(phi.sum(axis=1), model.predict_margin(X[:20]), rtol=1e-12)


@pytest.mark.parametrize("classes", [2, 3])
def test_hist_gradient_boosting_classifier_with_nan(classes):
    X, y, rng = _data(classes=classes)
    X[rng.random(X.shape) < 0.1] = np.nan
    est = HistGradientBoostingClassifier(max_iter=15, max_depth=4, random_state=0).fit(X, y)
    model = earlyhelp.Model.from_sklearn(est)
    Xt, _, rng2 = _data(n=300, seed=3)
    Xt[rng2.random(Xt.shape) < 0.15] = np.nan
    np.testing.assert_allclose(model.predict(Xt), _proba(est, Xt), rtol=1e-6, atol=1e-9)
    # values exactly on thresholds (x <= t goes left in double)
    thr = [n["num_threshold"] for it in est._predictors for p in it for n in p.nodes
           if not n["is_leaf"]]
    T = np.tile(Xt[:1], (len(thr), 1))
    T[:, 0] = thr
    np.testing.assert_allclose(model.predict(T), _proba(est, T), rtol=1e-6, atol=1e-9)


def test_hist_gradient_boosting_regressor():
    X, _, rng = _data()
    y = X[:, 0] * 2 + np.sin(X[:, 1])
    X[rng.random(X.shape) < 0.1] = np.nan
    est = HistGradientBoostingRegressor(max_iter=20, random_state=0).fit(X, y)
    model = earlyhelp.Model.from_sklearn(est)
    np.testing.assert_allclose(model.predict(X), est.predict(X), rtol=1e-6, atol=1e-9)
    phi = model.explain(X[:30])
    np.testing.assert_allclose(phi.sum(axis=1), model.predict_margin(X[:30]), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("classes", [2, 3])
def test_gradient_boosting_classifier(classes):
    X, y, _ = _data(classes=classes)
    X[:, 3] = np.round(X[:, 3], 1)  # many ties at thresholds
    est = GradientBoostingClassifier(n_estimators=15, max_depth=3, random_state=0).fit(X, y)
    model = earlyhelp.Model.from_sklearn(est)
    np.testing.assert_allclose(model.predict(X), _proba(est, X), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(model.predict(X.astype(np.float32)), _proba(est, X), rtol=1e-6,
                               atol=1e-9)


@pytest.mark.parametrize("classes", [2, 3])
def test_random_forest_classifier(classes):
    X, y, _ = _data(classes=classes)
    est = RandomForestClassifier(n_estimators=12, max_depth=8, random_state=0).fit(X, y)
    model = earlyhelp.Model.from_sklearn(est)
    Xt, _, _ = _data(n=200, seed=9)
    np.testing.assert_allclose(model.predict(Xt), _proba(est, Xt), rtol=1e-6, atol=1e-9)


def test_pandas_feature_names_and_unsupported():
    pd = pytest.importorskip("pandas")
    X, y, _ = _data()
    df = pd.DataFrame(X, columns=["absence", "arrears", "moves", "age", "contacts"])
    est = LogisticRegression().fit(df, y)
    model = earlyhelp.Model.from_sklearn(est, labels={"absence": "School absence"})
    assert model.feature_names == list(df.columns)
    np.testing.assert_allclose(model.predict(df[df.columns[::-1]]), est.predict_proba(df)[:, 1],
                               rtol=1e-9)
    assert all(r[0][0] in ("School absence", "arrears", "moves", "age", "contacts")
               for r in model.reasons(df.iloc[:5], 2) if r)
    from sklearn.svm import SVC
    with pytest.raises(earlyhelp.InvalidArgument, match="not supported"):
        earlyhelp.Model.from_sklearn(SVC().fit(X, y))
