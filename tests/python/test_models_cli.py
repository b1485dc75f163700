# SPDX-License-Identifier: Apache-2.0
"""The CLI verbs `model import`, `model info` and `score` end to end, against XGBoost."""
import json
import subprocess

import numpy as np
import pytest

xgb = pytest.importorskip("xgboost")
pd = pytest.importorskip("pandas")

FEATURES = ["school_absence_rate", "rent_arrears_gbp", "address_moves"]


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


def test_import_info_score(cli, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    y = (np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 1]) > 0).astype(int)
    b = xgb.train({"objective": "binary:logistic", "max_depth": 3, "nthread": 1},
                  xgb.DMatrix(X, y, feature_names=FEATURES), 8)
    b.save_model(str(tmp_path / "m.json"))
    schema = {"name": "t", "streams": [{"name": "s", "fields": [
        {"name": "school_absence_rate", "label": "School absence"},
        {"name": "rent_arrears_gbp", "label": "Rent arrears"},
        {"name": "address_moves", "label": "Address moves"}]}]}
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    (tmp_path / "key").write_bytes(b"approval-key")
    r = _run(cli, "model", "import", "--xgboost", tmp_path / "m.json", "--schema",
             tmp_path / "schema.json", "--out", tmp_path / "m.ehm", "--key-file", tmp_path / "key",
             "--name", "risk", "--domain", "safeguarding")
    assert r.returncode == 0, r.stderr
    r = _run(cli, "model", "info", tmp_path / "m.ehm", "--key-file", tmp_path / "key")
    assert r.returncode == 0, r.stderr
    assert "binary:logistic" in r.stdout and "School absence" in r.stdout
    assert "safeguarding" in r.stdout

    df = pd.DataFrame(X, columns=FEATURES)
    df.insert(0, "person_key", [f"p{i}" for i in range(len(df))])
    df.to_csv(tmp_path / "in.csv", index=False)
    r = _run(cli, "score", "--model", tmp_path / "m.ehm", "--input", tmp_path / "in.csv",
             "--output", tmp_path / "out.csv", "--explain", "2", "--keep", "person_key",
             "--key-file", tmp_path / "key")
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns[:2]) == ["person_key", "score"]
    np.testing.assert_allclose(out["score"], b.predict(xgb.DMatrix(X, feature_names=FEATURES)),
                               rtol=1e-6)
    assert set(out["reason_1"].dropna()) <= {"School absence", "Rent arrears", "Address moves"}

    # schema binding is checked, bundles are verified, bad input is a clear error
    bad_schema = {"streams": [{"name": "s", "fields": [{"name": "other", "label": "x"}]}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad_schema))
    r = _run(cli, "model", "import", "--xgboost", tmp_path / "m.json", "--schema",
             tmp_path / "bad.json", "--out", tmp_path / "x.ehm")
    assert r.returncode == 2 and "not a field of schema" in r.stderr
    data = (tmp_path / "m.ehm").read_bytes()
    (tmp_path / "cut.ehm").write_bytes(data[: len(data) // 2])
    r = _run(cli, "model", "info", tmp_path / "cut.ehm")
    assert r.returncode == 3 and "truncated" in r.stderr
    r = _run(cli, "model", "info", tmp_path / "m.ehm", "--key-file", tmp_path / "schema.json")
    assert r.returncode == 3 and "signature" in r.stderr
    df.drop(columns=["address_moves"]).to_csv(tmp_path / "short.csv", index=False)
    r = _run(cli, "score", "--model", tmp_path / "m.ehm", "--input", tmp_path / "short.csv",
             "--output", tmp_path / "o.csv")
    assert r.returncode == 3 and "address_moves" in r.stderr
