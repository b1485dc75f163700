# SPDX-License-Identifier: Apache-2.0
"""Linear models over declared encodings: scikit-learn pipelines as an oracle, categories by
name from pandas, exact contributions, and bundles of the previous format."""
import pickle

import numpy as np
import pytest

import earlyhelp
from earlyhelp import Model

pd = pytest.importorskip("pandas")
sk = pytest.importorskip("sklearn")
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, PolynomialFeatures, StandardScaler  # noqa: E402

TENURE = ["council", "private", "owner", "temporary"]
AREA = ["north", "south", "east"]
BAND = ["low", "mid", "high"]


def _frame(n, seed, unseen=False):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.normal(40, 12, n),
        "tenure": rng.choice(TENURE, n),
        "arrears": rng.gamma(2.0, 300.0, n),
        "area": pd.Categorical(rng.choice(AREA, n), categories=AREA),
        "band": rng.choice(BAND, n),
    })
    if unseen:
        df.loc[::7, "tenure"] = "hostel"  # not seen in training
    return df


def _target(df, seed, classes=2):
    rng = np.random.default_rng(seed)
    z = (0.04 * (df["age"] - 40) + 0.002 * (df["arrears"] - 600)
         + df["tenure"].map({"council": 0.8, "private": 0.3}).fillna(-0.5)
         + rng.normal(0, 1, len(df)))
    if classes == 2:
        return (z > 0.3).astype(int)
    return np.digitize(z, [-0.3, 0.8])


def test_onehot_scaler_logistic_pipeline_matches_predict_proba():
    train, test = _frame(400, 0), _frame(200, 1, unseen=True)
    pipe = Pipeline([
        ("prep", ColumnTransformer([
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["tenure", "area"]),
            ("num", StandardScaler(), ["age", "arrears"]),
        ])),
        ("lr", LogisticRegression(C=0.7, max_iter=1000)),
    ]).fit(train, _target(train, 0))
    m = Model.from_sklearn(pipe)
    assert m.feature_names == ["age", "tenure", "arrears", "area"]  # band is dropped
    assert [e["encoding"] for e in m.encodings] == ["numeric", "one_hot", "numeric", "one_hot"]
    assert m.encodings[1]["categories"] == sorted(TENURE)
    np.testing.assert_allclose(m.predict(test), pipe.predict_proba(test)[:, 1], rtol=0, atol=1e-9)
    # contributions are exact and the one-hot one is the active category's coefficient
    phi = m.explain(test)
    np.testing.assert_allclose(phi.sum(axis=1), m.predict_margin(test), atol=1e-12)
    coef = pipe[-1].coef_[0]
    cats = list(pipe[0].named_transformers_["cat"].categories_[0])
    for i in range(5):
        t = test["tenure"].iloc[i]
        expected = coef[cats.index(t)] if t in cats else 0.0
        assert phi[i, 1] == pytest.approx(expected, abs=1e-15)
    # a bundle round trip and a pickle keep the encodings
    back = Model.from_bytes(m.to_bytes())
    np.testing.assert_array_equal(back.predict(test), m.predict(test))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(m)).predict(test), m.predict(test))


def test_ordinal_imputer_pipelines_and_multiclass():
    train, test = _frame(500, 2), _frame(100, 3)
    train.loc[::9, "age"] = np.nan
    test.loc[::5, "age"] = np.nan
    prep = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), ["age"]),
        ("fill", SimpleImputer(strategy="constant", fill_value=250.0), ["arrears"]),
        ("ord", make_pipeline(OrdinalEncoder(categories=[BAND]), StandardScaler()), ["band"]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["tenure"]),
    ], remainder="drop")
    for final, y in [(LogisticRegression(max_iter=2000), _target(train, 2, classes=3)),
                     (LogisticRegression(multi_class="ovr", max_iter=2000), _target(train, 2, classes=3)),
                     (LinearRegression(), train["arrears"] * 0.01 + _target(train, 4))]:
        pipe = Pipeline([("prep", prep), ("model", final)]).fit(train, y)
        m = Model.from_sklearn(pipe)
        want = pipe.predict(test) if isinstance(final, LinearRegression) else pipe.predict_proba(test)
        np.testing.assert_allclose(m.predict(test), want, rtol=0, atol=1e-9)
    assert m.feature_names == ["age", "tenure", "arrears", "band"]
    assert m.encodings[3]["encoding"] == "ordinal" and m.encodings[3]["categories"] == BAND


def test_plain_scaler_pipeline_on_numpy():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 4)) * [1, 10, 100, 0.1]
    y = (X[:, 0] + X[:, 1] / 10 > 0).astype(int)
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    m = Model.from_sklearn(pipe)
    np.testing.assert_allclose(m.predict(X), pipe.predict_proba(X)[:, 1], rtol=0, atol=1e-9)


def test_unsupported_steps_are_named():
    train = _frame(100, 6)
    y = _target(train, 6)
    pipe = Pipeline([("prep", ColumnTransformer([
        ("poly", PolynomialFeatures(), ["age", "arrears"]),
    ])), ("lr", LogisticRegression())]).fit(train, y)
    with pytest.raises(earlyhelp.InvalidArgument, match="'poly'.*PolynomialFeatures"):
        Model.from_sklearn(pipe)
    from sklearn.tree import DecisionTreeClassifier
    pipe = Pipeline([("prep", ColumnTransformer([("num", StandardScaler(), ["age"])])),
                     ("tree", DecisionTreeClassifier())]).fit(train, y)
    with pytest.raises(earlyhelp.InvalidArgument, match="'tree'.*DecisionTreeClassifier"):
        Model.from_sklearn(pipe)


def test_declared_encodings_by_hand_and_category_names():
    # age: indicator for missing; tenure: one-hot with an "other/missing" coefficient;
    # band: ordinal with values 0, 1, 3
    encodings = [
        {"encoding": "numeric", "center": 40, "scale": 10, "missing": "indicator", "fill": 0.0},
        {"encoding": "one_hot", "categories": ["council", "private", "owner"]},
        {"encoding": "ordinal", "categories": BAND, "ordinal_values": [0, 1, 3]},
    ]
    coef = [[0.3, 0.8, 0.5, 0.2, -0.4, 0.1, 0.6]]
    m = Model.linear(coef, [-1.0], link="identity", encodings=encodings,
                     feature_names=["age", "tenure", "band"])
    df = pd.DataFrame({"band": ["high", "low", None, "huge"], "age": [50, np.nan, 40, 30],
                       "tenure": pd.Categorical(["owner", "council", None, "private"])})
    want = [-1 + 0.3 - 0.4 + 1.8, -1 + 0.8 + 0.5 + 0.0, -1 + 0.0 + 0.1 + 0.0,
            -1 - 0.3 + 0.2 + 0.0]
    np.testing.assert_allclose(m.predict(df), want, atol=1e-14)
    # the same rows as codes in a numeric matrix
    codes = np.array([[50, 2, 2], [np.nan, 0, 0], [40, np.nan, np.nan], [30, 1, 9]])
    np.testing.assert_allclose(m.predict(codes), want, atol=1e-14)
    with pytest.raises(earlyhelp.InvalidArgument, match="need 7 coefficients per row"):
        Model.linear([[1.0, 2.0]], [0.0], encodings=encodings)
    with pytest.raises(earlyhelp.InvalidArgument, match="unknown encoding key 'centre'"):
        Model.linear([[1.0]], [0.0], encodings=[{"centre": 1.0}])


def test_format1_bundle_still_loads(source_dir):
    m = Model.load(source_dir / "tests" / "data" / "linear_v1.ehm")
    X = np.array([[3.0, 1.0, 2.0], [np.nan, 2.5, -1.0], [0.0, np.nan, 1.0]])
    np.testing.assert_allclose(m.predict(X), [0.7858349830425586, 0.14804719803168948,
                                              0.19781611144141825], rtol=1e-15)
    assert m.encodings[2]["missing"] == "propagate"
