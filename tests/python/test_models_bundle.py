# SPDX-License-Identifier: Apache-2.0
"""Model bundles from Python: save/load, signatures, pickling, calibration, bands, scorecards,
hostile files, and identical results from many threads at once."""
import pickle
import threading

import numpy as np
import pytest

import earlyhelp

xgb = pytest.importorskip("xgboost")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 4)).astype(np.float32)
    X[rng.random(X.shape) < 0.1] = np.nan
    y = (np.nan_to_num(X[:, 0]) + 0.3 * rng.normal(size=500) > 0).astype(int)
    b = xgb.train({"objective": "binary:logistic", "max_depth": 3, "nthread": 1},
                  xgb.DMatrix(X, y, feature_names=["absence", "arrears", "moves", "age"]), 10)
    path = tmp_path_factory.mktemp("m") / "m.json"
    b.save_model(str(path))
    m = earlyhelp.Model.from_xgboost_json(path, labels={"absence": "School absence"})
    return m, X


def test_save_load_signed(model, tmp_path):
    m, X = model
    m.info = {"name": "early-help", "version": "1.0", "domain": "safeguarding",
              "evaluation": {"auc": 0.8}}
    m.bands = ([0.2, 0.6], ["low", "medium", "high"])
    m.save(tmp_path / "m.ehm", key=b"approval")
    back = earlyhelp.Model.load(tmp_path / "m.ehm", key=b"approval")
    np.testing.assert_array_equal(back.predict(X), m.predict(X))
    np.testing.assert_array_equal(back.explain(X), m.explain(X))
    assert back.info["domain"] == "safeguarding"
    assert back.labels == {"absence": "School absence"}
    assert back.feature_names == ["absence", "arrears", "moves", "age"]
    np.testing.assert_array_equal(back.band(X), m.band(X))
    with pytest.raises(earlyhelp.FormatError, match="signature"):
        earlyhelp.Model.load(tmp_path / "m.ehm", key=b"other")
    clone = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(clone.predict(X), m.predict(X))


def test_hostile_files(model, tmp_path):
    m, _ = model
    data = m.to_bytes()
    for bad in (b"", data[:50], data[:-1], data + b"\0", b"EHMODEL\0" + b"\xff" * 200):
        with pytest.raises(earlyhelp.FormatError):
            earlyhelp.Model.from_bytes(bad)
    rng = np.random.default_rng(1)
    for i in rng.integers(0, len(data), 50):
        bad = bytearray(data)
        bad[i] ^= 0xFF
        with pytest.raises(earlyhelp.FormatError):
            earlyhelp.Model.from_bytes(bytes(bad))


def test_calibration_and_reasons(model):
    m, X = model
    raw = m.predict_margin(X)
    m.set_platt(-1.5, 0.2)
    np.testing.assert_allclose(m.predict(X), 1 / (1 + np.exp(-1.5 * raw + 0.2)), rtol=1e-12)
    m.set_isotonic([0.0, 0.5, 1.0], [0.1, 0.3, 0.9])
    m.clear_calibration()
    r = m.reasons(X[:50], k=2)
    phi = m.explain(X[:50])
    for row, reasons in zip(phi, r):
        if row[0] == row[:-1].max() and row[0] > 0:
            assert reasons[0][0] == "School absence"


def test_scorecard_and_linear_roundtrip():
    card = earlyhelp.Model.scorecard([([18, 30], [10, 5, 0], 7), ([1], [0, 20], 20)], 100,
                                     feature_names=["age", "moves"])
    X = np.array([[17, 0], [40, np.nan]])
    back = earlyhelp.Model.from_bytes(card.to_bytes())
    np.testing.assert_array_equal(back.predict(X), card.predict(X))
    lin = earlyhelp.Model.linear([[1.0, -2.0]], [0.5], "logit")
    np.testing.assert_allclose(lin.predict_margin(np.array([[1.0, 1.0]])), [-0.5])


def test_many_threads_identical(model):
    m, X = model
    Xb = np.tile(X, (20, 1))
    expected = m.predict(Xb, n_threads=1)
    results = [None] * 6

    def work(i):
        results[i] = m.predict(Xb, n_threads=2)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_predict_text_cells_are_typed_errors_without_the_value(model):
    pd = pytest.importorskip("pandas")
    m, X = model
    df = pd.DataFrame(X[:4].astype(np.float64), columns=["absence", "arrears", "moves", "age"])
    df["arrears"] = df["arrears"].astype(object)
    df.loc[2, "arrears"] = "943 476 5919"
    with pytest.raises(earlyhelp.InvalidArgument) as e:
        m.predict(df)
    msg = str(e.value)
    assert msg.startswith("predict: column 'arrears', row 2") and "943" not in msg
    assert e.value.__cause__ is None and e.value.__suppress_context__  # no chained message with the value
    names = np.array([[1.0, "Sarah Whitfield", 2.0, 3.0]], dtype=object)
    with pytest.raises(earlyhelp.InvalidArgument) as e:
        m.explain(names)
    assert e.value.args[0].startswith("explain: column 'arrears', row 0") and "Sarah" not in str(e.value)
    with pytest.raises(earlyhelp.InvalidArgument) as e:
        m.predict(np.array([["1", "2", "x", "4"]]))
    assert "column 'moves', row 0" in str(e.value) and "'x'" not in str(e.value)
    # numbers written as text and missing cells still work
    ok = pd.DataFrame({"absence": ["0.5", None], "arrears": [1.0, np.nan], "moves": [1, 2], "age": ["NaN", "3"]})
    np.testing.assert_allclose(m.predict(ok), m.predict(np.array([[0.5, 1, 1, np.nan], [np.nan, np.nan, 2, 3]])))


def test_predict_refuses_dates_and_complex_numbers(model):
    pd = pytest.importorskip("pandas")
    m, X = model
    with pytest.raises(earlyhelp.InvalidArgument, match="predict: X has dtype datetime64"):
        m.predict(np.array([["2020-01-01"] * 4], dtype="datetime64[D]"))
    with pytest.raises(earlyhelp.InvalidArgument, match="predict: X has dtype complex128"):
        m.predict(X[:2].astype(np.complex128))
    df = pd.DataFrame(X[:2].astype(np.float64), columns=["absence", "arrears", "moves", "age"])
    df["age"] = pd.to_datetime(["2001-01-01", "2002-02-02"])
    with pytest.raises(earlyhelp.InvalidArgument, match="predict_margin: column 'age' has dtype datetime64"):
        m.predict_margin(df)


def test_none_names_the_method_called(model):
    m, _ = model
    for name in ("predict", "predict_margin", "explain", "reasons", "band"):
        with pytest.raises(earlyhelp.InvalidArgument, match=f"^{name}: X is None"):
            getattr(m, name)(None)


def test_xgboost_import_over_the_memory_budget_is_a_format_error(tmp_path):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 2))
    b = xgb.train({"max_depth": 3, "nthread": 1}, xgb.DMatrix(X, X[:, 0]), 30)
    b.save_model(str(tmp_path / "m.json"))
    with pytest.raises(earlyhelp.FormatError, match="memory budget of 10000 bytes"):
        earlyhelp.Model.from_xgboost_json(tmp_path / "m.json", memory_budget=10000)
    with pytest.raises(earlyhelp.InvalidArgument, match="memory_budget"):
        earlyhelp.Model.from_xgboost_json(tmp_path / "m.json", memory_budget=-1)
    m = earlyhelp.Model.from_xgboost_json(tmp_path / "m.json", memory_budget=1 << 24)
    np.testing.assert_allclose(m.predict(X), b.predict(xgb.DMatrix(X)), rtol=1e-6)
