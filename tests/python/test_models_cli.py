# SPDX-License-Identifier: Apache-2.0
"""The CLI verbs `model import`, `model info` and `score` end to end, against XGBoost."""
import json
import subprocess

import numpy as np
import pytest

import earlyhelp

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
    schema = {"name": "t", "streams": [{"name": "s", "kind": "register",
                                        "record_id_field": "person_key", "fields": [
        {"name": "person_key", "type": "identifier", "label": "Person"},
        {"name": "school_absence_rate", "type": "float", "label": "School absence"},
        {"name": "rent_arrears_gbp", "type": "float", "label": "Rent arrears"},
        {"name": "address_moves", "type": "integer", "label": "Address moves"}]}]}
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
    bad_schema = {"name": "b", "streams": [{"name": "s", "kind": "register", "record_id_field": "other",
                                            "fields": [{"name": "other", "type": "text", "label": "x"}]}]}
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
    # a schema file is validated by the schema component (SchemaError -> exit 3, naming the path)
    (tmp_path / "invalid.json").write_text(json.dumps({"name": "b", "streams": [{"name": "s"}]}))
    r = _run(cli, "model", "import", "--xgboost", tmp_path / "m.json", "--schema",
             tmp_path / "invalid.json", "--out", tmp_path / "x.ehm")
    assert r.returncode != 0 and "invalid.json" in r.stderr


def test_score_rejects_and_audit(cli, tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 3))
    y = (X[:, 0] > 0).astype(int)
    b = xgb.train({"objective": "binary:logistic", "max_depth": 2, "nthread": 1},
                  xgb.DMatrix(X, y, feature_names=FEATURES), 4)
    b.save_model(str(tmp_path / "m.json"))
    # no --schema: the built-in catalogue supplies labels where it knows a feature
    r = _run(cli, "--audit-log", tmp_path / "audit.jsonl", "model", "import", "--xgboost",
             tmp_path / "m.json", "--out", tmp_path / "m.ehm")
    assert r.returncode == 0, r.stderr
    df = pd.DataFrame(X, columns=FEATURES).astype(object)
    df.insert(0, "person_key", [f"p{i}" for i in range(len(df))])
    df.loc[7, "rent_arrears_gbp"] = "twelve"
    df.loc[20, "address_moves"] = "3 moves"
    df.to_csv(tmp_path / "in.csv", index=False)
    with open(tmp_path / "in.csv", "a") as f:
        f.write('p_ragged,1.0,"2,5"\n')  # quoted comma: 3 fields for a 4-column header
    # without --rejects the first bad row is an error naming file, row and column, not the value
    r = _run(cli, "--audit-log", tmp_path / "audit.jsonl", "score", "--model", tmp_path / "m.ehm",
             "--input", tmp_path / "in.csv", "--output", tmp_path / "out.csv")
    assert r.returncode == 3
    assert "in.csv" in r.stderr and "row 8" in r.stderr and "rent_arrears_gbp" in r.stderr
    assert "twelve" not in r.stderr
    # with --rejects every input row ends in the output or in the rejects file
    r = _run(cli, "--audit-log", tmp_path / "audit.jsonl", "score", "--model", tmp_path / "m.ehm",
             "--input", tmp_path / "in.csv", "--output", tmp_path / "out.csv",
             "--rejects", tmp_path / "rej.csv", "--keep", "person_key")
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    rej = pd.read_csv(tmp_path / "rej.csv")
    assert len(out) == 48 and len(rej) == 3
    assert list(rej.columns) == ["row", "line", "column", "reason", "person_key"]
    assert list(rej["row"]) == [8, 21, 51]
    assert list(rej["person_key"]) == ["p7", "p20", "p_ragged"]
    assert rej["column"].iloc[0] == "rent_arrears_gbp" and rej["column"].iloc[1] == "address_moves"
    assert "twelve" not in (tmp_path / "rej.csv").read_text()
    good = np.delete(X, [7, 20], axis=0)
    np.testing.assert_allclose(out["score"], b.predict(xgb.DMatrix(good, feature_names=FEATURES)),
                               rtol=1e-6)
    assert list(out["person_key"]) == [f"p{i}" for i in range(50) if i not in (7, 20)]
    # the audit trail records the files and counts of the scoring run
    records = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    text = json.dumps(records[-1])
    assert "score" in text and "rows_scored" in text and "rej.csv" in text and "in.csv" in text


def _linear_bundle(tmp_path):
    m = earlyhelp.Model.linear([[1.0, -2.0]], [0.5], fill=[0.0, 0.0], feature_names=["a", "b"])
    path = tmp_path / "lin.ehm"
    m.save(path)
    return m, path


def test_score_reads_the_schemas_missing_values_and_strict_fails_on_rejects(cli, tmp_path):
    m, bundle = _linear_bundle(tmp_path)
    # NA, NULL, N/A, a padded NA, an empty cell and NaN are all missing, as validate reads them
    (tmp_path / "x.csv").write_text("id,a,b\nr1,NA,1\nr2,NULL,2\nr3, N/A ,\nr4,1, NA \nr5,NaN,-\nr6,2,3\n")
    r = _run(cli, "--no-audit", "score", "--model", bundle, "--input", tmp_path / "x.csv", "--output",
             tmp_path / "o.csv", "--keep", "id", "--strict")
    assert r.returncode == 0, r.stderr
    assert "read 6 scored 6 rejected 0" in r.stdout
    out = pd.read_csv(tmp_path / "o.csv")
    X = np.array([[np.nan, 1], [np.nan, 2], [np.nan, np.nan], [1, np.nan], [np.nan, np.nan], [2, 3]])
    np.testing.assert_allclose(out["score"], m.predict(X), rtol=1e-8)
    # a cell that is no number is rejected; --strict makes that exit 1, as validate --strict does
    (tmp_path / "y.csv").write_text("id,a,b\nr1,1,2\nr2,twelve,2\n")
    args = [cli, "--no-audit", "score", "--model", bundle, "--input", tmp_path / "y.csv", "--output",
            tmp_path / "o2.csv", "--rejects", tmp_path / "rej.csv", "--keep", "id"]
    r = _run(*args)
    assert r.returncode == 0 and "read 2 scored 1 rejected 1" in r.stdout
    r = _run(*args, "--strict")
    assert r.returncode == 1 and "read 2 scored 1 rejected 1" in r.stdout
    assert len(pd.read_csv(tmp_path / "o2.csv")) == 1 and len(pd.read_csv(tmp_path / "rej.csv")) == 1


def test_score_names_a_semicolon_file(cli, tmp_path):
    _, bundle = _linear_bundle(tmp_path)
    (tmp_path / "semi.csv").write_text("a;b\n1;2\n")
    r = _run(cli, "--no-audit", "score", "--model", bundle, "--input", tmp_path / "semi.csv", "--output",
             tmp_path / "o.csv")
    assert r.returncode == 3
    assert "semi.csv" in r.stderr and "semicolon-separated" in r.stderr
    r = _run(cli, "--no-audit", "score", "--model", bundle, "--input", tmp_path / "semi.csv", "--output",
             tmp_path / "o.csv", "--delimiter", ";")
    assert r.returncode == 0, r.stderr


def test_model_import_memory_budget(cli, tmp_path):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 3))
    b = xgb.train({"objective": "binary:logistic", "max_depth": 4, "nthread": 1},
                  xgb.DMatrix(X, (X[:, 0] > 0).astype(int), feature_names=FEATURES), 40)
    b.save_model(str(tmp_path / "m.json"))
    r = _run(cli, "--no-audit", "model", "import", "--xgboost", tmp_path / "m.json", "--out", tmp_path / "m.ehm",
             "--memory-budget", "16KB")
    assert r.returncode == 3
    assert "memory budget of 16384 bytes" in r.stderr and "m.json" in r.stderr
    assert not (tmp_path / "m.ehm").exists()
    r = _run(cli, "--no-audit", "model", "import", "--xgboost", tmp_path / "m.json", "--out", tmp_path / "m.ehm",
             "--memory-budget", "64MB")
    assert r.returncode == 0, r.stderr


def test_import_from_standard_input_and_key_files_on_standard_input(cli, tmp_path):
    """`model import --xgboost -` streams the model from a pipe (the same bundle as from a file);
    the HMAC key file may be `-` too (one standard input per run)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 3))
    b = xgb.train({"objective": "binary:logistic", "max_depth": 2, "nthread": 1},
                  xgb.DMatrix(X, (X[:, 0] > 0).astype(int), feature_names=FEATURES), 3)
    b.save_model(str(tmp_path / "m.json"))
    model = (tmp_path / "m.json").read_bytes()
    (tmp_path / "key").write_bytes(b"approval-key")

    def run(*args, stdin=b""):
        return subprocess.run([cli, "--no-audit", *map(str, args)], input=stdin, capture_output=True)

    r = run("model", "import", "--xgboost", tmp_path / "m.json", "--out", tmp_path / "file.ehm")
    assert r.returncode == 0, r.stderr
    r = run("model", "import", "--xgboost", "-", "--out", tmp_path / "pipe.ehm", stdin=model)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "pipe.ehm").read_bytes() == (tmp_path / "file.ehm").read_bytes()
    r = run("model", "import", "--xgboost", "-", "--out", tmp_path / "bad.ehm", stdin=model[:50])
    assert r.returncode == 3 and b"<standard input>" in r.stderr  # a truncated model, named as read
    # signed with a key read from standard input, verified with the key file
    r = run("model", "import", "--xgboost", tmp_path / "m.json", "--key-file", "-", "--out", tmp_path / "s.ehm",
            stdin=b"approval-key")
    assert r.returncode == 0, r.stderr
    assert run("model", "info", tmp_path / "s.ehm", "--key-file", tmp_path / "key").returncode == 0
    assert run("model", "info", tmp_path / "s.ehm", "--key-file", "-", stdin=b"approval-key").returncode == 0
    assert run("model", "info", tmp_path / "s.ehm", "--key-file", "-", stdin=b"other-key").returncode == 3
    r = run("model", "import", "--xgboost", "-", "--key-file", "-", "--out", tmp_path / "x.ehm", stdin=model)
    assert r.returncode == 2 and b"only one can" in r.stderr
