# SPDX-License-Identifier: Apache-2.0
"""Features as of dates: `earlyhelp features` and `earlyhelp.features()` on a linked synthetic
council, point in time (cut extracts give the same bytes), agreement with pandas on a few
features, errors and exit codes, the audit record."""
import csv
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import earlyhelp

DATES = ["2023-01-15", "2023-11-01", "2024-08-31"]


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def council(synth_and_link, tmp_path_factory):
    """A 2,500-person synthetic council linked once with the CLI: (folder, persons, households)."""
    root = tmp_path_factory.mktemp("features")
    data = synth_and_link(root, 2500, 5, "2024-10-01")
    return data, root / "persons.csv", root / "households.csv"


def _cut(schema, src, dst, day):
    """The extracts as they stood before `day`: rows with an event date on or after it dropped,
    other dates (end dates) on or after it emptied; dates of birth kept."""
    dst.mkdir()
    cut = pd.Timestamp(day)
    dropped = 0
    for stream in schema.streams:
        path = src / f"{stream.name}.csv"
        if not path.exists():
            continue
        roles = {}
        for f in stream.fields:
            if f.type in ("date", "datetime"):
                roles[f.name] = "event" if f.name == stream.event_date_field else (None if f.link_key == "dob" else "end")
        with open(path, newline="") as fin, open(dst / path.name, "w", newline="") as fout:
            reader, writer = csv.reader(fin), csv.writer(fout, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            for row in reader:
                keep = True
                for i, name in enumerate(header):
                    role = roles.get(name)
                    if role is None or not row[i].strip():
                        continue
                    d = pd.to_datetime(row[i].strip()[:10], dayfirst="/" in row[i], errors="coerce")
                    if pd.isna(d) or d < cut:
                        continue
                    if role == "event":
                        keep = False
                    else:
                        row[i] = ""
                if keep:
                    writer.writerow(row)
                else:
                    dropped += 1
    return dropped


@pytest.mark.parametrize("level", ["person", "family"])
def test_point_in_time_cut_extracts_give_the_same_bytes(cli, council, tmp_path, level):
    data, persons, households = council
    schema = earlyhelp.builtin_schema()
    for day in DATES:
        cut = tmp_path / f"cut_{day}"
        assert _cut(schema, data, cut, day) > 0
        outs = []
        for folder, name in ((data, "full"), (cut, "cut")):
            out = tmp_path / f"{name}_{day}.csv"
            r = _run(cli, "--no-audit", "features", "--data", folder, "--persons", persons, "--households",
                     households, "--as-of", day, "--level", level, "--output", out, "--quiet")
            assert r.returncode == 0, r.stderr
            outs.append(out.read_bytes())
        assert len(outs[0]) > 10000
        assert outs[0] == outs[1], f"{level} features as of {day} differ between full and cut extracts"


def test_python_matches_the_cli_and_takes_dataframes(cli, council, tmp_path):
    data, persons, households = council
    out = tmp_path / "features.csv"
    r = _run(cli, "--no-audit", "features", "--data", data, "--persons", persons, "--households", households,
             "--as-of", ",".join(DATES), "--output", out)
    assert r.returncode == 0, r.stderr
    assert "rows " in r.stdout and "compute" in r.stdout
    from_cli = pd.read_csv(out, dtype={"person_id": str})
    df = earlyhelp.features(data, persons, DATES, households=households)
    assert list(df.columns[:2]) == ["person_id", "as_of"]
    assert str(df["as_of"].dtype) == "datetime64[ns]"
    assert all(str(t) == "float32" for t in df.dtypes.iloc[2:])
    assert len(df.columns) - 2 == len(earlyhelp.FeatureSet.builtin()) >= 100
    assert df["person_id"].tolist() == from_cli["person_id"].tolist()
    assert (df["as_of"].dt.strftime("%Y-%m-%d") == from_cli["as_of"]).all()
    np.testing.assert_array_equal(df.iloc[:, 2:].to_numpy(), from_cli.iloc[:, 2:].to_numpy(np.float32))
    # several dates: one row per (person, date); later dates know more people
    counts = df.groupby("as_of").size().tolist()
    assert counts == sorted(counts) and counts[0] > 1000
    # persons and households as DataFrames give the same table
    p = pd.read_csv(persons, dtype=str)
    h = pd.read_csv(households, dtype=str)[["person_id", "household_id", "role"]]
    df2 = earlyhelp.features(data, p, DATES, households=h, threads=1)
    pd.testing.assert_frame_equal(df, df2)
    assert "school_attendance: read" in df.attrs["load_report"]
    fam = earlyhelp.features(data, persons, DATES[-1], level="family", households=households)
    assert fam.columns[0] == "family_id" and "tf_headline_problems" in fam.columns
    assert fam["tf_headline_problems"].between(0, 6).all()
    # the table goes straight into a model: columns picked by the model's feature names
    names = ["da_notifications_365d", "open_cpp", "age"]
    model = earlyhelp.Model.linear([[0.5, 1.0, -0.01]], [-2.0], fill=[0.0, 0.0, 0.0], feature_names=names)
    by_name = model.predict(df)
    by_hand = 1 / (1 + np.exp(-(-2.0 + df[names].fillna(0).to_numpy(np.float64) @ [0.5, 1.0, -0.01])))
    np.testing.assert_allclose(np.ravel(by_name), by_hand, rtol=1e-6)


def test_a_few_features_agree_with_pandas(council):
    """Independent pandas versions of four features on the same extracts."""
    data, persons, households = council
    day = pd.Timestamp("2024-04-01")
    df = earlyhelp.features(data, persons, day, households=households).set_index("person_id")
    p = pd.read_csv(persons, dtype=str)
    link = p.assign(key=p["source"] + ":" + p["record_id"])[["key", "person_id"]]

    def events(stream, date_col, dayfirst=False):
        e = pd.read_csv(data / f"{stream}.csv", dtype=str)
        e["key"] = stream + ":" + e["record_id"]
        e["date"] = pd.to_datetime(e[date_col].str[:10], dayfirst=dayfirst, errors="coerce")
        return e.merge(link, on="key")

    # rejected rows (malformed postcodes and such) are not used by earlyhelp: compare the persons
    # whose rows all pass, i.e. check only where both sides count the same rows
    da = events("police_domestic_abuse", "incident_date")
    da = da[(da.date < day) & (da.date >= day - pd.Timedelta(days=365))]
    ours = df["da_notifications_365d"]
    theirs = da.groupby("person_id").size().reindex(ours.index, fill_value=0)
    assert (ours <= theirs).all() and (ours == theirs).mean() > 0.99 and theirs.sum() > 10

    sa = events("school_attendance", "term_end_date")
    sa = sa[sa.date < day].sort_values(["person_id", "date"], kind="stable")
    last3 = sa.groupby("person_id").tail(3).astype({"sessions_attended": float, "sessions_possible": float})
    g = last3.groupby("person_id")[["sessions_attended", "sessions_possible"]].sum()
    ratio = (g.sessions_attended / g.sessions_possible).astype(np.float32)
    both = ratio.index.intersection(df.index[df.attendance_last3_terms.notna()])
    assert len(both) > 200
    close = np.isclose(df.loc[both, "attendance_last3_terms"], ratio.loc[both], atol=1e-6)
    assert close.mean() > 0.99

    ep = events("social_care_episodes", "start_date", dayfirst=True)
    ep["end"] = pd.to_datetime(ep["end_date"], dayfirst=True, errors="coerce")
    open_cpp = ep[(ep.episode_type == "cpp") & (ep.date < day) & (ep.end.isna() | (ep.end >= day))]
    theirs = df.index.isin(open_cpp.person_id.unique())
    assert ((df["open_cpp"] == 1) == theirs).mean() > 0.999 and theirs.sum() > 0


def test_cli_errors_exit_codes_and_audit(cli, council, tmp_path):
    data, persons, households = council
    out = tmp_path / "f.csv"
    base = [cli, "--no-audit", "features", "--data", data, "--persons", persons, "--output", out]
    # 2: a bad command line or argument
    r = _run(*base[:5], "--output", out, "--as-of", "2024-01-01")
    assert r.returncode == 2 and "--persons FILE is required" in r.stderr
    r = _run(*base, "--as-of", "2024-02-30")
    assert r.returncode == 2 and "'2024-02-30' is not a date" in r.stderr
    r = _run(*base, "--as-of", "2024-01-01", "--level", "household")
    assert r.returncode == 2 and "expected \"person\" or \"family\"" in r.stderr
    r = _run(*base, "--as-of", "2024-01-01", "--level", "family")
    assert r.returncode == 2 and "needs --households" in r.stderr
    r = _run(cli, "--no-audit", "features", "--bogus")
    assert r.returncode == 2
    # 3: unreadable or malformed input, named with its place
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "features": [
        {"name": "a", "kind": "count", "stream": "police_domestic_abuse", "where": {"role": ["victm"]},
         "description": "d", "template": "{value}"}]}))
    r = _run(*base, "--as-of", "2024-01-01", "--definitions", bad)
    assert r.returncode == 3
    assert f"{bad}: features[0].where.role[0]: expected one of victim, perpetrator" in r.stderr
    assert "(did you mean \"victim\"?)" in r.stderr
    broken = tmp_path / "persons.csv"
    broken.write_text("source,record_id,person_id\nhealth_ae,A1\n")
    r = _run(cli, "--no-audit", "features", "--data", data, "--persons", broken, "--as-of", "2024-01-01",
             "--output", out)
    assert r.returncode == 3 and f"{broken}: row 1 (line 2) has 2 fields, the header has 3" in r.stderr
    r = _run(cli, "--no-audit", "features", "--data", tmp_path / "nowhere", "--persons", persons, "--as-of",
             "2024-01-01", "--output", out)
    assert r.returncode == 3 and "is not a readable folder" in r.stderr
    assert not out.exists()  # nothing that looks complete is left behind
    # --list prints the definitions
    r = _run(cli, "--no-audit", "features", "--list")
    assert r.returncode == 0 and "tf_headline_problems" in r.stdout and "da_notifications_90d" in r.stdout
    r = _run(cli, "--no-audit", "features", "--list", "--markdown")
    assert r.stdout.startswith("| name | level | kind | domains | description |")
    # --schema: the built-in definitions are checked against the schema given
    schema = json.loads(_run(cli, "schema", "--format", "json").stdout)
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    r = _run(cli, "--no-audit", "features", "--list", "--schema", tmp_path / "schema.json")
    assert r.returncode == 0 and "tf_headline_problems" in r.stdout
    schema["streams"] = [s for s in schema["streams"] if s["name"] != "police_domestic_abuse"]
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    r = _run(cli, "--no-audit", "features", "--list", "--schema", tmp_path / "schema.json")
    assert r.returncode == 3 and "built-in definitions: features[6].stream: expected the name of a stream" in r.stderr
    # every run is audited: inputs (each extract) and the output by digest, counts that reconcile
    log = tmp_path / "audit.jsonl"
    r = _run(cli, "--audit-log", log, "features", "--data", data, "--persons", persons, "--households", households,
             "--as-of", "2024-01-01", "--output", out, "--rejects", tmp_path / "rejects", "--quiet")
    assert r.returncode == 0, r.stderr
    record = json.loads(log.read_text().splitlines()[-1])
    assert record["action"] == "features" and record["status"] == "ok"
    roles = {f["role"] for f in record["files"]}
    assert {"persons", "households", "features", "extract:school_attendance"} <= roles
    counts = dict(record["counts"]) if isinstance(record["counts"], list) else record["counts"]
    assert counts["rows_read"] > 10000 and counts["rows_written"] > 1000
    rejected = sum(1 for f in (tmp_path / "rejects").glob("*.rejects.csv") for _ in open(f)) - len(
        list((tmp_path / "rejects").glob("*.rejects.csv")))
    assert rejected == counts["rows_rejected"]


def test_definitions_and_reasons_from_python(tmp_path):
    fs = earlyhelp.FeatureSet.builtin()
    d = earlyhelp.feature_table.definitions()
    assert len(d) == len(fs) and {"name", "kind", "level", "description", "template"} <= set(d.columns)
    assert d.set_index("name").loc["tf_headline_problems", "level"] == "family"
    # A records feature lists the streams it counts (the activity baseline's: registers excluded).
    counted = d.set_index("name").loc["service_records_12m", "streams"]
    assert counted and "police_domestic_abuse" in counted and "school_attendance" not in counted
    assert d.set_index("name").loc["tf_headline_problems", "streams"] == []
    row = pd.Series({"attendance_prev3_terms": 0.96, "attendance_last3_terms": 0.81, "attendance_trend_3terms": -0.15})
    text = earlyhelp.feature_table.describe(row)
    assert text["attendance_trend_3terms"] == "school attendance fell from 96% to 81% over the last three terms"
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "features": [{"name": "a", "kind": "ratio", "stream": "school_attendance", '
                   '"numerator": "sessions_attended", "description": "d", "template": "{value}"}]}')
    with pytest.raises(earlyhelp.SchemaError, match=r"bad.json: features\[0\]: missing required key \"denominator\""):
        earlyhelp.FeatureSet.from_file(str(bad))
    with pytest.raises(earlyhelp.InvalidArgument, match="not a date"):
        earlyhelp.features(tmp_path, tmp_path / "p.csv", "yesterday")
