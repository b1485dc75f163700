# SPDX-License-Identifier: Apache-2.0
"""Troubled Families: `earlyhelp tf` and `earlyhelp.tf()` on a linked synthetic council: the
issue's columns, the CLI and Python agree, the rule of two, a criterion and its evidence checked
by independent pandas code, a framework file, linking without --persons, `profile --families`
giving what tf gives, errors."""
import json
import subprocess

import pandas as pd
import pytest

import earlyhelp

AS_OF = "2024-04-01"
CRITERIA = ["crime_asb", "education", "children_need_help", "worklessness", "domestic_abuse", "health"]


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def council(synth_and_link, tmp_path_factory):
    """A 1,500-person synthetic council linked once: (folder, households file, root)."""
    root = tmp_path_factory.mktemp("tf")
    data = synth_and_link(root, 1500, 11, AS_OF)
    return data, root / "households.csv", root


@pytest.fixture(scope="module")
def cli_result(cli, council):
    data, homes, root = council
    r = _run(cli, "--no-audit", "tf", "--data", data, "--as-of", AS_OF, "--persons", homes,
             "--output", root / "families.csv", "--members", root / "members.csv", "--rejects", root / "rejects",
             "--quiet")
    assert r.returncode == 0, r.stderr
    assert "families" in r.stdout and "eligible" in r.stdout
    fam = pd.read_csv(root / "families.csv", dtype={"family_id": str, "evidence": str}, keep_default_na=False,
                      na_values={"attendance_distance_travelled": [""], "attendance_distance_to_90": [""]})
    mem = pd.read_csv(root / "members.csv", dtype=str)
    return fam, mem


def test_columns_are_the_issues(cli_result):
    fam, mem = cli_result
    assert fam.columns.tolist() == (["family_id", "criteria_met", "eligible"] + CRITERIA +
                                    ["attendance_distance_travelled", "attendance_distance_to_90", "evidence",
                                     "near_miss"])
    assert mem.columns.tolist() == ["family_id", "person_id", "role"]
    assert len(fam) > 100
    assert set(mem["role"]) <= {"adult", "child", "unknown"}
    assert set(mem["family_id"]) == set(fam["family_id"])


def test_rule_of_two_and_counts(cli_result):
    fam, _ = cli_result
    assert (fam[CRITERIA].sum(axis=1) == fam["criteria_met"]).all()
    assert ((fam["criteria_met"] >= 2) == (fam["eligible"] == 1)).all()
    assert fam["eligible"].sum() > 0
    # evidence names exactly the criteria met, each with at least one record
    for _, row in fam.iterrows():
        named = [part.split(":")[0] for part in row["evidence"].split("; ")] if row["evidence"] else []
        assert named == [c for c in CRITERIA if row[c] == 1]
        for part in row["evidence"].split("; ") if row["evidence"] else []:
            assert len(part.split(": ", 1)[1].split(" ")) >= 1
    near = fam[fam["near_miss"] == 1]
    assert (near["criteria_met"] == 1).all() and (near["education"] == 0).all()
    assert (near["attendance_distance_to_90"].abs() <= 5).all()


def test_domestic_abuse_by_independent_pandas(council, cli_result):
    """A family meets domestic abuse when a member was named in a notification dated in the 365
    days before the date; the evidence is exactly those notifications."""
    data, homes, root = council
    fam, mem = cli_result
    links = pd.read_csv(homes, dtype=str)
    da = pd.read_csv(data / "police_domestic_abuse.csv", dtype=str)
    rejected = root / "rejects" / "police_domestic_abuse.rejects.csv"
    if rejected.exists():  # rows the schema rejects are never used
        da = da[~da["record_id"].isin(pd.read_csv(rejected, dtype=str)["record_id"])]
    d = pd.to_datetime(da["incident_date"], errors="coerce", format="%Y-%m-%d")
    d = d.fillna(pd.to_datetime(da["incident_date"], errors="coerce", format="%d/%m/%Y"))
    as_of = pd.Timestamp(AS_OF)
    da = da[(d >= as_of - pd.Timedelta(days=365)) & (d < as_of)]
    da = da.merge(links[links["source"] == "police_domestic_abuse"][["record_id", "person_id"]], on="record_id")
    da = da.merge(mem[["family_id", "person_id"]], on="person_id")
    expected = {f: sorted("police_domestic_abuse:" + g["record_id"]) for f, g in da.groupby("family_id")}
    got = {}
    for _, row in fam[fam["domestic_abuse"] == 1].iterrows():
        part = [p for p in row["evidence"].split("; ") if p.startswith("domestic_abuse:")][0]
        got[row["family_id"]] = sorted(part.split(": ", 1)[1].split(" "))
    assert len(expected) > 0
    assert got == expected


def test_python_equals_cli(council, cli_result):
    data, homes, _ = council
    fam_cli, mem_cli = cli_result
    fam, mem = earlyhelp.tf(data, AS_OF, persons=homes)
    assert fam.columns.tolist() == fam_cli.columns.tolist()
    assert fam["family_id"].tolist() == fam_cli["family_id"].tolist()
    for c in ["criteria_met", "eligible", "near_miss"] + CRITERIA:
        assert fam[c].astype(int).tolist() == fam_cli[c].tolist(), c
    pd.testing.assert_series_equal(fam["attendance_distance_to_90"], fam_cli["attendance_distance_to_90"],
                                   check_dtype=False)
    assert fam["evidence"].tolist() == fam_cli["evidence"].tolist()
    assert mem.values.tolist() == mem_cli.values.tolist()
    # households as a DataFrame beside a persons DataFrame
    links = pd.read_csv(homes, dtype=str)
    fam2, _ = earlyhelp.tf(data, pd.Timestamp(AS_OF), persons=links, households=links)
    assert fam2["evidence"].tolist() == fam_cli["evidence"].tolist()


def test_framework_file(cli, council, tmp_path):
    data, homes, _ = council
    fw = {"name": "three_of_six", "min_criteria": 3,
          "criteria": [{"name": c, "feature": "tf_" + c} for c in CRITERIA]}
    path = tmp_path / "three.json"
    path.write_text(json.dumps(fw))
    r = _run(cli, "--no-audit", "tf", "--data", data, "--as-of", AS_OF, "--persons", homes, "--framework", path,
             "--output", tmp_path / "f.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    fam = pd.read_csv(tmp_path / "f.csv", keep_default_na=False)
    assert ((fam["criteria_met"] >= 3) == (fam["eligible"] == 1)).all()
    assert "near_miss" in fam.columns and (fam["near_miss"] == 0).all()  # no attendance block
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "criteria": [{"name": "a", "feature": "no_such_feature"}]}))
    r = _run(cli, "--no-audit", "tf", "--data", data, "--as-of", AS_OF, "--persons", homes, "--framework", bad,
             "--output", tmp_path / "g.csv")
    assert r.returncode == 3 and "criteria[0].feature" in r.stderr and not (tmp_path / "g.csv").exists()


def test_links_first_without_persons(cli, council, tmp_path):
    data, _, _ = council
    out = tmp_path / "out"
    out.mkdir()
    r = _run(cli, "--no-audit", "tf", "--data", data, "--as-of", AS_OF, "--output", out / "families.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    linked = pd.read_csv(out / "persons.csv", dtype=str)
    assert {"source", "record_id", "person_id", "household_id", "role"} <= set(linked.columns)
    assert len(pd.read_csv(out / "families.csv")) > 100


def test_profile_with_families_writes_what_tf_writes(cli, council, cli_result, tmp_path):
    """`earlyhelp profile --families` assesses the families from the reading of the extracts its
    scores come from: the same files as `earlyhelp tf`, and Python's profile(families=...) the
    same frames as earlyhelp.tf()."""
    data, homes, root = council
    r = _run(cli, "--no-audit", "profile", "--data", data, "--as-of", AS_OF, "--persons", homes, "--domains", "asb",
             "--output", tmp_path / "alerts.csv", "--families", tmp_path / "families.csv",
             "--members", tmp_path / "members.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "families" in r.stdout and "eligible" in r.stdout and "asb" in r.stdout
    assert (tmp_path / "families.csv").read_bytes() == (root / "families.csv").read_bytes()
    assert (tmp_path / "members.csv").read_bytes() == (root / "members.csv").read_bytes()
    _, scores, fam, mem = earlyhelp.profile(data, AS_OF, persons=homes, domains="asb", families=True)
    fam_tf, mem_tf = earlyhelp.tf(data, AS_OF, persons=homes)
    pd.testing.assert_frame_equal(fam, fam_tf)
    pd.testing.assert_frame_equal(mem, mem_tf)
    assert len(scores) > 0 and len(earlyhelp.profile(data, AS_OF, persons=homes, domains="asb")) == 2
    # --members and --framework go with --families
    r = _run(cli, "--no-audit", "profile", "--data", data, "--as-of", AS_OF, "--persons", homes,
             "--output", tmp_path / "a2.csv", "--members", tmp_path / "m2.csv")
    assert r.returncode == 2 and "--families" in r.stderr and not (tmp_path / "a2.csv").exists()


def test_errors(cli, council, tmp_path):
    data, homes, root = council
    r = _run(cli, "--no-audit", "tf", "--data", data, "--as-of", "2024-13-01", "--persons", homes,
             "--output", tmp_path / "f.csv")
    assert r.returncode == 2 and "--as-of" in r.stderr
    r = _run(cli, "--no-audit", "tf", "--data", data, "--as-of", AS_OF, "--persons", root / "persons.csv",
             "--output", tmp_path / "f.csv")
    assert r.returncode == 2 and "households" in r.stderr
    with pytest.raises(earlyhelp.InvalidArgument):
        earlyhelp.tf(data, AS_OF, persons=root / "persons.csv")


def test_one_family_from_its_records_equals_the_folder_assessment(council, cli_result):
    """earlyhelp.tf_family (profiling::assess_family, the C API's eh_feature_case_tf) on the
    records of a family's members, gathered by hand from the extracts, gives the family what the
    folder-level assessment gave it: criteria, eligibility, attendance and the same evidence."""
    data, homes, _ = council
    fam, mem = cli_result
    links = pd.read_csv(homes, dtype=str)
    # Families meeting different numbers of criteria, with evidence and attendance where there is some.
    picked = []
    for k in sorted(set(fam.criteria_met))[-3:]:
        picked.append(fam[fam.criteria_met == k].iloc[0].family_id)
    streams = {}
    for family_id in picked:
        people = mem[mem.family_id == family_id]
        members, roles = [], {}
        for i, (person, role) in enumerate(zip(people.person_id, people.role)):
            records = links[links.person_id == person]
            rows = {}
            for stream, ids in records.groupby("source").record_id:
                if stream not in streams:
                    streams[stream] = pd.read_csv(data / f"{stream}.csv", dtype=str, keep_default_na=False)
                extract = streams[stream]
                rows[stream] = extract[extract.record_id.isin(set(ids))]
            members.append(rows)
            if role in ("adult", "child"):
                roles[i] = role
        one, one_members = earlyhelp.tf_family(members, AS_OF, family_id=family_id, roles=roles)
        want = fam[fam.family_id == family_id].iloc[0]
        assert len(one) == 1 and one.family_id[0] == family_id
        for c in ["criteria_met", "eligible", "near_miss"] + CRITERIA:
            assert int(one[c][0]) == int(want[c]), (family_id, c)
        for c in ["attendance_distance_travelled", "attendance_distance_to_90"]:
            assert one[c][0] == pytest.approx(want[c], nan_ok=True), (family_id, c)
        assert one.evidence[0] == want.evidence, family_id
        assert one_members.role.tolist() == people.role.tolist()
        assert one.attrs["rows_rejected"] >= 0
    assert len(picked) >= 2 and fam[fam.family_id.isin(picked)].criteria_met.max() >= 2


def test_one_family_errors():
    with pytest.raises(earlyhelp.SchemaError):
        earlyhelp.tf_family([{"no_such_stream": [{"record_id": "r1"}]}], AS_OF)
    with pytest.raises(ValueError):
        earlyhelp.tf_family([{}], "2024-01-01,2024-02-01")
