# SPDX-License-Identifier: Apache-2.0
"""Oracle tests: earlyhelp.Model imported from XGBoost JSON equals XGBoost's own predict.

Small data and few trees keep this fast; every objective is checked for margins and transformed
outputs (1e-5 relative), on float32 and float64 inputs with NaN, values exactly on split
thresholds, categorical splits and multi-class layouts; contributions against
``pred_contribs=True`` (1e-4).
"""
import json

import numpy as np
import pytest

import earlyhelp

xgb = pytest.importorskip("xgboost")

RTOL = 1e-5


def _data(n=400, f=6, seed=0, nan=0.1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, f)).astype(np.float32)
    # a coarse column so that many values sit exactly on split thresholds
    X[:, 1] = np.round(X[:, 1] * 2) / 2
    X[rng.random(X.shape) < nan] = np.nan
    return X, rng


def _train(params, X, y, rounds=8, **dm):
    p = {"max_depth": 4, "eta": 0.3, "seed": 0, "nthread": 1}
    p.update(params)
    return xgb.train(p, xgb.DMatrix(X, y, **dm), rounds)


def _roundtrip(booster, tmp_path, name="m.json"):
    path = tmp_path / name
    booster.save_model(str(path))
    return earlyhelp.Model.from_xgboost_json(path)


def _close(ours, theirs, rtol=RTOL, atol=1e-6):
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def _labels(objective, X, rng):
    s = np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 1]) - np.isnan(X[:, 2])
    if objective.startswith("binary") or objective == "reg:logistic":
        return (s + 0.3 * rng.normal(size=len(s)) > 0).astype(np.float32)
    if objective.startswith("multi"):
        return np.digitize(s, [-0.7, 0.0, 0.7]).astype(np.float32)
    if objective == "count:poisson":
        return rng.poisson(np.exp(0.5 * s)).astype(np.float32)
    return (s + 0.1 * rng.normal(size=len(s))).astype(np.float32)


OBJECTIVES = ["binary:logistic", "binary:logitraw", "reg:squarederror", "reg:logistic",
              "count:poisson", "multi:softprob", "multi:softmax"]


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_predict_equals_xgboost(objective, tmp_path):
    X, rng = _data()
    y = _labels(objective, X, rng)
    params = {"objective": objective}
    if objective.startswith("multi"):
        params["num_class"] = 4
    booster = _train(params, X, y)
    model = _roundtrip(booster, tmp_path)
    assert model.objective == objective
    Xt, _ = _data(n=300, seed=7, nan=0.2)
    dm = xgb.DMatrix(Xt)
    for arr in (Xt, Xt.astype(np.float64)):
        _close(model.predict_margin(arr), booster.predict(dm, output_margin=True))
        _close(model.predict(arr), booster.predict(dm))
        _close(model.predict(arr), booster.inplace_predict(arr))
    # the single-record path, float64 and float32 alike, has the batch's shape and values
    batch = model.predict(Xt[:20])
    for i in range(20):
        for row in (Xt[i:i + 1].astype(np.float64), Xt[i:i + 1].astype(np.float32)):
            one = model.predict(row)
            assert one.shape == model.predict(Xt[:1]).shape
            np.testing.assert_array_equal(one, batch[i:i + 1])


def test_thresholds_exact_ties(tmp_path):
    X, rng = _data(nan=0.0)
    y = _labels("reg:squarederror", X, rng)
    booster = _train({"objective": "reg:squarederror"}, X, y, rounds=4)
    model = _roundtrip(booster, tmp_path)
    # Feed every threshold itself and its float32 neighbours in every feature.
    trees = json.loads((tmp_path / "m.json").read_text())["learner"]["gradient_booster"]["model"]["trees"]
    rows = []
    for t in trees:
        for left, feat, cond in zip(t["left_children"], t["split_indices"], t["split_conditions"]):
            if left == -1:
                continue
            c = np.float32(cond)
            for v in (c, np.nextafter(c, np.float32(-np.inf)), np.nextafter(c, np.float32(np.inf))):
                r = np.zeros(X.shape[1], dtype=np.float32)
                r[feat] = v
                rows.append(r)
    T = np.array(rows, dtype=np.float32)
    assert len(T) > 10
    np.testing.assert_array_equal(model.predict_margin(T).astype(np.float32),
                                  booster.predict(xgb.DMatrix(T), output_margin=True))


def test_float64_input_rounds_to_float32_like_xgboost(tmp_path):
    X, rng = _data(nan=0.0)
    y = _labels("reg:squarederror", X, rng)
    booster = _train({"objective": "reg:squarederror"}, X, y, rounds=3)
    model = _roundtrip(booster, tmp_path)
    X64 = X.astype(np.float64) + 1e-12  # rounds back to the same float32 values
    _close(model.predict(X64), booster.inplace_predict(X64))


def test_categorical_splits(tmp_path):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    n = 600
    cat = rng.integers(0, 12, n)
    df = pd.DataFrame({
        "colour": pd.Categorical(cat, categories=list(range(12))),
        "x": rng.normal(size=n),
    })
    df.loc[rng.random(n) < 0.1, "colour"] = np.nan
    y = (np.isin(cat, [1, 3, 4, 9]) ^ (df["x"].to_numpy() > 0.5)).astype(int)
    booster = xgb.train({"objective": "binary:logistic", "tree_method": "hist", "max_depth": 3,
                         "max_cat_to_onehot": 1, "nthread": 1},
                        xgb.DMatrix(df, y, enable_categorical=True), 6)
    model = _roundtrip(booster, tmp_path)
    doc = json.loads((tmp_path / "m.json").read_text())
    assert any(1 in t["split_type"] for t in doc["learner"]["gradient_booster"]["model"]["trees"])
    dm = xgb.DMatrix(df, enable_categorical=True)
    _close(model.predict(df), booster.predict(dm))
    _close(model.predict_margin(df), booster.predict(dm, output_margin=True))
    # DataFrame columns are picked by name, whatever their order.
    _close(model.predict(df[["x", "colour"]]), booster.predict(dm))
    _close(model.explain(df), booster.predict(dm, pred_contribs=True), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("objective", ["binary:logistic", "reg:squarederror", "multi:softprob"])
def test_contributions_equal_pred_contribs(objective, tmp_path):
    X, rng = _data()
    y = _labels(objective, X, rng)
    params = {"objective": objective, "max_depth": 5}
    if objective.startswith("multi"):
        params["num_class"] = 4
    booster = _train(params, X, y, rounds=6)
    model = _roundtrip(booster, tmp_path)
    Xt, _ = _data(n=100, seed=11, nan=0.2)
    ours = model.explain(Xt)
    theirs = booster.predict(xgb.DMatrix(Xt), pred_contribs=True)
    assert ours.shape == theirs.shape
    _close(ours, theirs, rtol=1e-4, atol=1e-4)
    # each row (each class) sums to its margin
    _close(ours.sum(axis=-1), model.predict_margin(Xt), rtol=1e-5, atol=1e-5)


def test_threads_give_identical_results(tmp_path):
    X, rng = _data(n=5000)
    y = _labels("binary:logistic", X, rng)
    model = _roundtrip(_train({"objective": "binary:logistic"}, X[:500], y[:500]), tmp_path)
    one = model.predict(X, n_threads=1)
    for t in (2, 3, 8):
        np.testing.assert_array_equal(model.predict(X, n_threads=t), one)
    np.testing.assert_array_equal(model.explain(X[:300], n_threads=1),
                                  model.explain(X[:300], n_threads=3))


def test_reasons_use_labels(tmp_path):
    X, rng = _data()
    y = _labels("binary:logistic", X, rng)
    model = _roundtrip(_train({"objective": "binary:logistic"}, X, y), tmp_path)
    model.feature_names = [f"f{i}" for i in range(X.shape[1])]
    reasons = model.reasons(X[:20], k=2, labels={"f0": "Recent school absence"})
    phi = model.explain(X[:20])[:, :-1]
    for row, r in zip(phi, reasons):
        assert len(r) <= 2
        top = int(np.argmax(row))
        if row[top] > 0:
            expected = "Recent school absence" if top == 0 else f"f{top}"
            assert r[0] == (expected, pytest.approx(row[top]))
    with pytest.raises(earlyhelp.InvalidArgument):
        model.reasons(X[:2], k=0)


def test_wrong_shape_and_bad_files(tmp_path):
    X, rng = _data()
    y = _labels("binary:logistic", X, rng)
    model = _roundtrip(_train({"objective": "binary:logistic"}, X, y, rounds=2), tmp_path)
    with pytest.raises(earlyhelp.InvalidArgument, match="columns"):
        model.predict(np.zeros((3, 2)))
    good = json.loads((tmp_path / "m.json").read_text())
    bad = json.loads(json.dumps(good))
    bad["learner"]["gradient_booster"]["model"]["trees"][1]["left_children"][0] = 99
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(earlyhelp.FormatError, match="tree 1 node 0"):
        earlyhelp.Model.from_xgboost_json(tmp_path / "bad.json")
    del bad["learner"]["objective"]
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(earlyhelp.FormatError, match="learner/objective: missing"):
        earlyhelp.Model.from_xgboost_json(tmp_path / "bad.json")
    (tmp_path / "trunc.json").write_text((tmp_path / "m.json").read_text()[:500])
    with pytest.raises(earlyhelp.FormatError, match="not valid JSON"):
        earlyhelp.Model.from_xgboost_json(tmp_path / "trunc.json")
    with pytest.raises(earlyhelp.IOError):
        earlyhelp.Model.from_xgboost_json(tmp_path / "absent.json")


@pytest.mark.parametrize("depth", [7, 9, 12])
def test_deep_trees_equal_xgboost(depth, tmp_path):
    # depth 7 and 9 use the padded dense layout past the register-held top levels; 12 exceeds
    # the dense limit and takes the general walk.
    X, rng = _data(n=3000, f=8)
    y = _labels("reg:squarederror", X, rng) + 0.5 * rng.normal(size=len(X)).astype(np.float32)
    booster = _train({"objective": "reg:squarederror", "max_depth": depth, "min_child_weight": 0},
                     X, y, rounds=4)
    model = _roundtrip(booster, tmp_path)
    Xt, _ = _data(n=700, f=8, seed=5, nan=0.15)  # not a multiple of the SIMD block
    _close(model.predict(Xt), booster.inplace_predict(Xt))
    _close(model.predict(Xt.astype(np.float64)), booster.inplace_predict(Xt))
    # a few rows at a time take the across-trees kernel: same figures bit for bit
    batch = model.predict(Xt)
    for i in range(0, 40, 3):
        np.testing.assert_array_equal(model.predict(Xt[i:i + 3]), batch[i:i + 3])
