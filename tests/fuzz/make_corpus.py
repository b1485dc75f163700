# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpus of every fuzz target (tests/fuzz/corpus/<target>/) from the repository's
own data: the sample council extracts, the built-in schema, models trained with XGBoost and
scikit-learn on a fixed synthetic table, linkage settings and a trained linkage model. Small valid
inputs and a few near-valid ones; libFuzzer mutates from there. Files named regress-* are inputs
that once crashed or broke a property (each also a doctest regression test); they are kept.

Run from the repository root with a built Python module (e.g. the ci preset):
    PYTHONPATH=build/ci/python /usr/bin/python3 tests/fuzz/make_corpus.py
The files are committed; rerun only when a format changes.
"""

import csv
import hashlib
import io
import json
import pathlib
import random

import numpy as np

import earlyhelp

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
SAMPLES = ROOT / "examples" / "data" / "sample_council"
KEY = b"fuzz-approval-key"  # the key fuzz_model_bundle also tries


def write(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    (d / name).write_bytes(data)


def clear(target):
    """Removes the generated seeds; regress-* files (inputs that once failed) stay."""
    d = CORPUS / target
    if d.exists():
        for f in d.iterdir():
            if not f.name.startswith("regress-"):
                f.unlink()


def sample_column(column, limit=6):
    """The first few values of a column across the sample extracts (synthetic people)."""
    out = []
    for path in sorted(SAMPLES.glob("*.csv")):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row.get(column):
                    out.append(row[column])
    return list(dict.fromkeys(out))[:limit]


def csv_ingest():
    schema = json.loads((ROOT / "lib" / "schema" / "council.schema.json").read_text())
    order = [s["name"] for s in schema["streams"]]
    # Byte 0 picks the stream, byte 1 the reader options (see fuzz_csv_ingest.cpp).
    for path in sorted(SAMPLES.glob("*.csv")):
        text = path.read_bytes()
        stream = order.index(path.stem)
        write("csv_ingest", bytes([stream, 0]) + text, path.stem)
        head = b"\n".join(text.split(b"\n")[:4]) + b"\n"
        write("csv_ingest", bytes([stream, 0x04]) + head, path.stem + "-small-blocks")
        write("csv_ingest", bytes([stream, 0x38]) + head, path.stem + "-limits")
    # Near-valid: quoting, CRLF, a BOM, a ragged row, an unterminated quote.
    reg = order.index("person_register")
    lines = (SAMPLES / "person_register.csv").read_bytes().split(b"\n")
    write("csv_ingest", bytes([reg, 0]) + b"\xef\xbb\xbf" + b"\r\n".join(lines[:3]), "bom-crlf")
    write("csv_ingest", bytes([reg, 0]) + lines[0] + b"\n" + lines[1] + b",extra\n\"open", "ragged")


def schema_json():
    schema = json.loads((ROOT / "lib" / "schema" / "council.schema.json").read_text())
    for s in schema["streams"]:
        one = {k: v for k, v in schema.items() if k != "streams"}
        one["streams"] = [s]
        write("schema_json", json.dumps(one, indent=1), s["name"])
    write("schema_json", json.dumps({"name": "x", "version": "1", "streams": []}), "empty")


def _table(n=300, f=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, f))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = (np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 1]) > 0).astype(int)
    y3 = np.digitize(np.nan_to_num(X[:, 0]), [-0.5, 0.5])
    return X, y, y3


def xgboost_models(tmp):
    import xgboost as xgb
    X, y, y3 = _table()
    out = []
    for name, params, label in [
            ("binary", {"objective": "binary:logistic", "max_depth": 3}, y),
            ("multi", {"objective": "multi:softprob", "num_class": 3, "max_depth": 2}, y3),
            ("regression", {"objective": "reg:squarederror", "max_depth": 2}, X[:, 2]),
            ("poisson", {"objective": "count:poisson", "max_depth": 2}, np.abs(np.nan_to_num(X[:, 1]))),
            ("dart", {"objective": "binary:logistic", "booster": "dart", "max_depth": 2,
                      "rate_drop": 0.3}, y)]:
        label = np.nan_to_num(label)
        booster = xgb.train(params, xgb.DMatrix(X, label=label), num_boost_round=3)
        path = tmp / f"{name}.json"
        booster.save_model(str(path))
        out.append((name, path))
    # Categorical splits.
    import pandas as pd
    df = pd.DataFrame({"tenure": pd.Categorical(np.array(["council", "private", "owner"])[
        np.arange(300) % 3]), "x": X[:, 0]})
    booster = xgb.train({"objective": "binary:logistic", "max_depth": 2, "tree_method": "hist",
                         "max_cat_to_onehot": 1},
                        xgb.DMatrix(df, label=y, enable_categorical=True), num_boost_round=2)
    path = tmp / "categorical.json"
    booster.save_model(str(path))
    out.append(("categorical", path))
    return out


def sklearn_models():
    from sklearn.ensemble import (GradientBoostingClassifier, HistGradientBoostingClassifier,
                                  RandomForestClassifier)
    from sklearn.linear_model import LogisticRegression
    X, y, y3 = _table()
    Xf = np.nan_to_num(X)
    return [
        ("logistic", earlyhelp.Model.from_sklearn(LogisticRegression().fit(Xf, y))),
        ("logistic3", earlyhelp.Model.from_sklearn(LogisticRegression().fit(Xf, y3))),
        ("hgb", earlyhelp.Model.from_sklearn(HistGradientBoostingClassifier(max_iter=3, max_depth=3).fit(X, y))),
        ("gbc", earlyhelp.Model.from_sklearn(GradientBoostingClassifier(n_estimators=3, max_depth=2).fit(Xf, y))),
        ("forest", earlyhelp.Model.from_sklearn(RandomForestClassifier(n_estimators=2, max_depth=3, random_state=0).fit(Xf, y3))),
    ]


def bundles(xgb_paths):
    models = sklearn_models()
    for name, path in xgb_paths:
        m = earlyhelp.Model.from_xgboost_json(path)
        models.append(("xgb-" + name, m))
    card = earlyhelp.Model.scorecard([([18, 30], [10, 5, 0], 7), ([1], [0, 20], 20)], 100,
                                     feature_names=["age", "arrears"])
    models.append(("scorecard", card))
    enc = earlyhelp.Model.linear(
        [[0.3, 0.8, 0.5, 0.2, -0.4, 0.0]], [-2.0],
        encodings=[{"encoding": "numeric", "center": 40, "scale": 10, "missing": "indicator"},
                   {"encoding": "one_hot", "categories": ["council", "private", "owner"]}],
        feature_names=["age", "tenure"])
    models.append(("linear-encoded", enc))
    m = models[0][1]
    m.labels = {m.feature_names[0]: "School absence"}
    return models


def model_targets(xgb_paths):
    header = 88
    v1 = (ROOT / "tests" / "data" / "linear_v1.ehm").read_bytes()
    write("model_bundle", v1, "linear_v1")
    write("model_payload", bytes([0]) + v1[header:], "linear_v1")  # byte 0 even: format 1
    for name, m in bundles(xgb_paths):
        plain = m.to_bytes()
        write("model_bundle", plain, name)
        write("model_bundle", m.to_bytes(KEY), name + "-signed")
        write("model_payload", bytes([1]) + plain[header:], name)  # odd: format 2


def linkage_targets():
    default = json.loads(earlyhelp._core.linker.default_settings_json())
    write("linkage_settings", json.dumps(default, indent=2), "default")
    write("linkage_settings", json.dumps({"link_type": "link_only",
                                          "blocking_rules": ["postcode", "surname_sound+birth_year",
                                                             "first_initial+dob", "identifier"],
                                          "match_threshold": 0.9}), "link_only")
    write("linkage_settings", json.dumps({"blocking_rules": ["name_pair_sound+town", "uprn"],
                                          "tf_adjustment": False, "seed": 7, "n_threads": 1}), "rules")
    write("linkage_settings", "{}", "empty")

    # A model trained on the sample council's extracts.
    df = earlyhelp.linker.read_extracts(str(SAMPLES))
    df = df.drop_duplicates("record_id")  # the samples carry planted faults, repeated ids among them
    lk = earlyhelp.Linker()
    lk.add_records(df)
    lk.fit()
    ours = lk.model_json()
    write("linker_model", ours, "earlyhelp")
    write("linker_model", json.dumps({k: v for k, v in json.loads(ours).items()
                                      if k != "training_sessions"}), "earlyhelp-short")
    # Splink 3's saved model: comparisons by output column, levels strongest first, null first.
    def level(label, m, u, null=False):
        d = {"sql_condition": "...", "label_for_charts": label}
        if null:
            d["is_null_level"] = True
        else:
            d.update({"m_probability": m, "u_probability": u})
        return d
    splink = {
        "link_type": "dedupe_only", "probability_two_random_records_match": 0.0001,
        "comparisons": [
            {"output_column_name": "first_name", "comparison_levels": [
                level("Null", 0, 0, True), level("Exact", 0.85, 0.01), level("JW > 0.9", 0.1, 0.02),
                level("Else", 0.05, 0.97)]},
            {"output_column_name": "surname", "comparison_levels": [
                level("Null", 0, 0, True), level("Exact", 0.9, 0.005), level("Else", 0.1, 0.995)]},
            {"output_column_name": "dob", "comparison_levels": [
                level("Null", 0, 0, True), level("Exact", 0.95, 0.001), level("Else", 0.05, 0.999)]},
            {"output_column_name": "postcode_fake", "comparison_levels": [
                level("Exact", 0.7, 0.001), level("Else", 0.3, 0.999)]},
            {"output_column_name": "unknown_column", "comparison_levels": []}]}
    write("linker_model", json.dumps(splink, indent=2), "splink")


def text_targets():
    postcodes = sample_column("postcode")
    write_lines("postcode", postcodes + ["SW1A 1AA", "sw1a1aa", "GIR 0AA", "SW1A  1AA", "OX4 11HP",
                                         "W1A 0AX", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH"])
    dates = sample_column("dob") + sample_column("start_date")
    write_lines("date", dates + ["2020-02-29", "29/02/2021", "3/4/2020", "1985", "07/1985",
                                 "1985-07", "2024-01-01T10:00:00", "0000-00-00", "9999-12-31"])
    for v in sample_column("nhs_number") + sample_column("upn") + sample_column("uprn") + [
            "9434765919", "943 476 5919", "943-476-5919", "Z213282605052", "A12345678901B",
            "000010023456789", "12:30", "23:59:59.5Z", "yes", "F"]:
        write("identifiers", v)


def feature_definitions():
    text = (ROOT / "lib" / "features" / "council.features.json").read_text()
    write("feature_definitions", text, "builtin")
    defs = json.loads(text)
    head = {k: v for k, v in defs.items() if k != "features"}
    kinds = sorted({f["kind"] for f in defs["features"]})
    for kind in kinds:
        # Features of one kind (roll-ups and rules may name features left out: an error path),
        # and the first of that kind alone.
        of_kind = [f for f in defs["features"] if f["kind"] == kind]
        write("feature_definitions", json.dumps({**head, "features": of_kind}, indent=1), kind)
        write("feature_definitions", json.dumps({**head, "features": of_kind[:1]}, indent=1), f"{kind}-one")
    write("feature_definitions", json.dumps({"name": "x", "version": "1", "features": []}), "empty")


def write_lines(target, values):
    values = list(dict.fromkeys(values))
    for a, b in zip(values, values[1:] + values[:1]):
        write(target, f"{a}\n{b}")


def sklearn_import():
    # Inputs are decoded by FuzzedDataProvider, so seeds are plain bytes of several lengths.
    rng = random.Random(19)
    for n in (8, 32, 128, 512, 2048):
        write("sklearn_import", bytes(rng.randrange(256) for _ in range(n)), f"random-{n}")


def with_reader(target, reader, data, name):
    """A seed for a target whose first byte picks the reader (reader % n)."""
    if isinstance(data, str):
        data = data.encode()
    write(target, bytes([reader]) + data, name)


def profiling_config():
    lib = ROOT / "lib" / "profiling"
    for path in sorted(lib.glob("*.domain.json")):
        with_reader("profiling_config", 0, path.read_text(), path.stem)
    framework = (lib / "troubled_families.framework.json").read_text()
    with_reader("profiling_config", 1, framework, "troubled_families")
    defs = json.loads(framework)
    if isinstance(defs.get("criteria"), list) and defs["criteria"]:
        one = {**defs, "criteria": defs["criteria"][:1], "min_criteria": 1}
        with_reader("profiling_config", 1, json.dumps(one), "framework-one-criterion")
    with_reader("profiling_config", 2, json.dumps({"organisation": "Example Council",
                                                  "contact_email": "data.protection@example.gov.uk", "phase": "pilot"}), "organisation")
    for path in sorted((ROOT / "evaluation").glob("*.json"))[:2]:
        with_reader("profiling_config", 3, path.read_text(), f"evaluation-{path.stem}")


def forecast_config():
    with_reader("forecast_config", 0, (SAMPLES / "early_help_episodes.csv").read_text(), "early_help_episodes")
    scores = ("person_id,family_id,domain,as_of,score,band\n"
              "P1,F1,safeguarding,2025-04-01,0.91,high\nP2,F1,safeguarding,2025-04-01,0.05,low\n"
              "P3,F2,asb,2025-04-01,0.4,medium\nP4,,safeguarding,2025-04-01,0.5,\n")
    with_reader("forecast_config", 1, scores, "scores")
    edge = {"name": "Edge of care", "eligible": 135.5, "unit": "family", "cost_per_unit": 2285,
            "effect": {"outcomes": 21.7, "outcome": "children prevented from entering care"},
            "savings": [{"item": "placement", "amount": 29923.09, "cashable": True},
                        {"item": "other costs of care", "amount": 40803.69, "cashable": False}]}
    team = {"name": "Short-term family team", "eligible": 80, "effect": {"weeks_saved": 14},
            "savings": [{"item": "avoided cost per family per week", "amount": 435, "cashable": True,
                         "recurring": True}], "horizon_years": 3, "discount_rate": 0.035}
    with_reader("forecast_config", 2, json.dumps(edge), "intervention-edge-of-care")
    with_reader("forecast_config", 2, json.dumps(team), "intervention-weeks")
    for i, spec in enumerate(["trend,population,target:67", "target:67:5", "intervention:prevent=0.3:recall=0.5:flagged=100:cost=2285",
                              "intervention:prevent=0.2:scores=s.csv:cost=2285", "population"]):
        with_reader("forecast_config", 3, spec, f"scenarios-{i}")


def pseudonymise_csv():
    plain = "record_id,nhs_number,surname,first_name,dob,postcode\n" \
            "R1,943 476 5919,Smith,John,1980-01-02,SW1A 1AA\nR2,,Jones,Mary,02/03/1990,\n" \
            "R3,9434765919,O'Neil,Se\u00e1n,,OX4 2DU\n"
    write("pseudonymise_csv", b"\x00" + plain.encode(), "pseudonymise")
    write("pseudonymise_csv", b"\x01" + plain.encode(), "encode")
    write("pseudonymise_csv", b"\x00" + (SAMPLES / "health_ae.csv").read_bytes(), "pseudonymise-health")
    write("pseudonymise_csv", b"\x01" + (SAMPLES / "person_register.csv").read_bytes()[:4000], "encode-register")


def score_table():
    write("score_table", b"\x01person_id,age,n_contacts,arrears\nP1,34,2,0\nP2,NA,,120.5\nP3,7,x,1\nP4,12,3\n", "collect")
    write("score_table", b'\x00person_id,arrears,age,n_contacts,extra\nP1,0,34,2,a\nP2,NULL,,3,"b,c"\n', "strict")


def main():
    import tempfile
    for t in ("csv_ingest", "schema_json", "xgboost_json", "sklearn_import", "model_bundle",
              "model_payload", "linkage_settings", "linker_model", "postcode", "date", "identifiers",
              "feature_definitions", "profiling_config", "forecast_config", "pseudonymise_csv", "score_table"):
        clear(t)
    csv_ingest()
    schema_json()
    with tempfile.TemporaryDirectory() as tmp:
        paths = xgboost_models(pathlib.Path(tmp))
        for name, path in paths:
            write("xgboost_json", path.read_bytes(), name)
        model_targets(paths)
    sklearn_import()
    linkage_targets()
    text_targets()
    feature_definitions()
    profiling_config()
    forecast_config()
    pseudonymise_csv()
    score_table()
    for d in sorted(CORPUS.iterdir()):
        files = list(d.iterdir())
        print(f"{d.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
