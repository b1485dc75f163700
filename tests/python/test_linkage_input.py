# SPDX-License-Identifier: Apache-2.0
"""What the linker does with input it cannot use as given (issue 19, linkage items), from Python
and from `earlyhelp link`. Each test failed before its fix."""

import csv
import subprocess
import warnings

import pandas as pd
import pytest

import earlyhelp
from earlyhelp import linkage

FAMILY = pd.DataFrame({
    "record_id": ["1", "2", "3", "4", "5"],
    "first_name": ["John", "Jon", "Mary", "Ann", "Anne"],
    "surname": ["Smith", "Smith", "Smith", "Jones", "Jones"],
    "dob": ["1980-01-02", "1980-01-02", "1982-05-06", "1975-03-04", "1975-03-04"],
    "address": ["1 High Street"] * 3 + ["9 Low Road"] * 2,
    "postcode": ["OX4 1AA"] * 3 + ["OX4 2BB"] * 2,
})
SMALL = {"u_sample_pairs": 20000, "n_threads": 1}


def run(cli, *args):
    return subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True, timeout=120)


def linked():
    lk = earlyhelp.Linker(SMALL)
    lk.add_records(FAMILY)
    lk.fit()
    lk.predict()
    lk.cluster()
    return lk


def _settings(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"u_sample_pairs": 20000}')
    return path


# ---- 1. cluster() before predict() -----------------------------------------------------------

def test_cluster_before_predict_is_a_state_error():
    lk = earlyhelp.Linker(SMALL)
    lk.add_records(FAMILY)
    lk.fit()
    with pytest.raises(earlyhelp.StateError, match="call predict first"):
        lk.cluster()
    lk.predict()
    persons = lk.cluster()
    assert list(persons.columns) == ["record_id", "person_id"]
    assert persons.record_id.tolist() == FAMILY.record_id.tolist()


# ---- 2. columns the linker does not know ------------------------------------------------------

def test_link_warns_of_unused_columns_with_the_map():
    df = FAMILY.rename(columns={"first_name": "forename", "dob": "date_of_birth"})
    with pytest.warns(UserWarning) as caught:
        persons = earlyhelp.link(df, settings=SMALL)
    text = " ".join(str(w.message) for w in caught)
    assert "forename, date_of_birth" in text
    assert 'column_map={"forename": "first_name", "date_of_birth": "dob"}' in text
    assert len(persons) == len(df)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        earlyhelp.link(df, settings=SMALL, column_map={"forename": "first_name", "date_of_birth": "dob"})


def test_link_refuses_input_with_no_name_or_date_column():
    df = FAMILY[["record_id", "address", "postcode"]].assign(forename=FAMILY.first_name)
    with pytest.raises(earlyhelp.InvalidArgument, match="no name or date of birth column") as e:
        earlyhelp.link(df)
    assert "column_map" in str(e.value)


def test_cli_link_warns_of_unused_columns_and_refuses_without_names(cli, tmp_path):
    src = tmp_path / "people.csv"
    FAMILY.rename(columns={"first_name": "forename", "dob": "date_of_birth"}).to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv", "--settings", _settings(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "forename, date_of_birth" in r.stderr
    assert "--map forename=first_name,date_of_birth=dob" in r.stderr
    FAMILY[["record_id", "address", "postcode"]].to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv")
    assert r.returncode == 2
    assert "no name or date of birth column" in r.stderr


# ---- 3. rows that cannot be linked ------------------------------------------------------------

def test_cli_links_the_bundled_sample_and_rejects_its_faulty_rows(cli, source_dir, tmp_path):
    data = source_dir / "examples" / "data" / "sample_council"
    out, rej = tmp_path / "persons.csv", tmp_path / "rejects.csv"
    r = run(cli, "link", "--data", data, "--output", out, "--rejects", rej)
    assert r.returncode == 0, r.stderr
    persons, rejects = pd.read_csv(out, dtype=str), pd.read_csv(rej, dtype=str)
    assert list(rejects.columns) == ["file", "row", "line", "field", "reason", "fields"]
    assert (rejects.reason.str.contains("repeats the record id of row")).any()
    streams = {s.name for s in earlyhelp.builtin_schema().streams}
    rows = 0
    for f in data.glob("*.csv"):
        if f.stem in streams:
            with open(f, newline="", encoding="utf-8") as fh:
                rows += sum(1 for row in csv.reader(fh) if row) - 1  # blank lines are not rows
    assert len(persons) + len(rejects) == rows
    assert f"rejected {len(rejects)}" in r.stdout
    # The counts reconcile on the line scripts parse: rows read = records linked + rejected.
    assert f"records {len(persons)} " in r.stdout and f"rows_read {rows} (reconciled)" in r.stdout
    # --strict: the same run exits 1.
    assert run(cli, "link", "--data", data, "--output", out, "--strict").returncode == 1


def test_cli_data_fault_is_exit_3_naming_file_and_line(cli, tmp_path):
    src = tmp_path / "people.csv"
    src.write_text('record_id,first_name,surname\n1,John,Smith\n2,"Jon,Smith\n')
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv")
    assert r.returncode == 3
    assert str(src) in r.stderr and "line 3" in r.stderr
    # A repeated record id is a reject: named by file, row and line, never by value.
    src.write_text("record_id,first_name,surname\nX1,John,Smith\nX1,Jon,Smith\n")
    rej = tmp_path / "rejects.csv"
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv", "--rejects", rej)
    assert r.returncode == 0, r.stderr
    rejects = pd.read_csv(rej, dtype=str)
    assert rejects.row.tolist() == ["2"] and rejects.line.tolist() == ["3"]
    assert "X1" not in r.stderr and "Jon" not in r.stderr


def test_read_extracts_reports_rejects(source_dir):
    df = linkage.read_extracts(source_dir / "examples" / "data" / "sample_council")
    assert df.attrs["rejects"]
    assert all(set(r) == {"file", "row", "line", "field", "kind", "reason"} for r in df.attrs["rejects"])
    persons = earlyhelp.link(df.drop(columns=["stream", "local_id"]), settings=SMALL)
    assert len(persons) == len(df)


# ---- 4. households' date ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["31/03/2024", "2024-13-45", "2024-02-30", 20240331, None])
def test_households_as_of_is_a_typed_error(bad):
    lk = linked()
    with pytest.raises(earlyhelp.InvalidArgument, match="households: as_of") as e:
        lk.households(bad)
    assert "YYYY-MM-DD" in str(e.value)
    assert str(bad) not in str(e.value) or bad is None
    persons = len(set(lk.person_ids()))
    assert len(lk.households("2024-03-31")) == persons
    assert len(lk.households(pd.Timestamp("2024-03-31"))) == persons


# ---- 5. counts with a loaded model -----------------------------------------------------------

def test_cli_link_with_a_model_prints_the_real_counts(cli, tmp_path):
    src, model = tmp_path / "people.csv", tmp_path / "model.json"
    FAMILY.to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "a.csv", "--model-out", model,
            "--settings", _settings(tmp_path))
    assert r.returncode == 0, r.stderr
    r = run(cli, "link", "--input", src, "--output", tmp_path / "b.csv", "--model", model)
    assert r.returncode == 0, r.stderr
    assert "records 5 identities 5 " in r.stdout, r.stdout


# ---- 6. long values --------------------------------------------------------------------------

def test_cli_link_long_names_are_bounded_and_huge_fields_rejected(cli, tmp_path):
    src, rej = tmp_path / "people.csv", tmp_path / "rejects.csv"
    rows = [dict(record_id=f"r{i}", first_name=chr(97 + i) * 100_000, surname="Smith", dob="1980-01-02")
            for i in range(10)]
    rows += [dict(record_id="big1", first_name="q" * ((1 << 20) + 16) + "a", surname="Jones", dob="1975-03-04"),
             dict(record_id="big2", first_name="q" * ((1 << 20) + 16) + "b", surname="Jones", dob="1975-03-04")]
    pd.DataFrame(rows).to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv", "--rejects", rej,
            "--settings", _settings(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "10 values are longer than 256 bytes (first_name 10)" in r.stderr
    assert "field_too_long 2" in r.stderr
    assert "aaaaaaaaaa" not in r.stderr and "qqqqqqqqqq" not in r.stderr
    persons = pd.read_csv(tmp_path / "p.csv", dtype=str)
    assert len(persons) == 10 and not persons.record_id.isin(["big1", "big2"]).any()
    rejects = pd.read_csv(rej, dtype=str)
    assert rejects.field.tolist() == ["first_name", "first_name"]


# ---- 7. unreadable dates ---------------------------------------------------------------------

def test_unreadable_dates_are_missing_and_counted():
    df = pd.concat([FAMILY, pd.DataFrame({
        "record_id": ["6", "7", "8"], "first_name": ["John"] * 3, "surname": ["Smith"] * 3,
        "dob": ["0000-00-00", "9999-12-31", "31/02/2020"], "address": ["1 High Street"] * 3,
        "postcode": ["OX4 1AA"] * 3})], ignore_index=True)
    lk = earlyhelp.Linker(SMALL)
    lk.add_records(df)
    notes = [w for w in lk.warnings if "date" in w]
    assert len(notes) == 1 and "3 dates of birth" in notes[0] and "treated as missing" in notes[0]
    assert not any(v in notes[0] for v in ("0000-00-00", "9999", "31/02"))


def test_cli_unreadable_dates_warning(cli, tmp_path):
    src = tmp_path / "people.csv"
    df = FAMILY.copy()
    df.loc[1, "dob"], df.loc[2, "dob"] = "0000-00-00", "31/02/2020"
    df.to_csv(src, index=False)
    r = run(cli, "link", "--input", src, "--output", tmp_path / "p.csv", "--settings", _settings(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "2 dates of birth could not be read" in r.stderr
    assert "0000-00-00" not in r.stderr and "31/02/2020" not in r.stderr


# ---- 8. Python arguments ---------------------------------------------------------------------

@pytest.mark.parametrize("df, words", [(None, "df is None"), ([{"record_id": "1"}], "df is a list"),
                                       (FAMILY.drop(columns="record_id"), "no record_id column")])
def test_link_bad_frames_are_typed_errors(df, words):
    with pytest.raises(earlyhelp.InvalidArgument, match=words):
        earlyhelp.link(df)


def test_lone_surrogate_is_a_typed_error_without_the_value():
    df = FAMILY.copy()
    df.loc[2, "first_name"] = "Ma\udcffry"
    with pytest.raises(earlyhelp.InvalidArgument, match="column 'first_name', row 2") as e:
        earlyhelp.link(df)
    assert "Ma" not in str(e.value)


def test_duplicated_columns_are_a_typed_error():
    df = pd.concat([FAMILY, FAMILY[["surname"]]], axis=1)
    with pytest.raises(earlyhelp.InvalidArgument, match="column 'surname' appears more than once"):
        earlyhelp.link(df)


def test_lookup_and_explain_of_none_name_the_argument():
    lk = linked()
    with pytest.raises(earlyhelp.InvalidArgument, match="lookup: record is None"):
        lk.lookup(None)
    with pytest.raises(earlyhelp.InvalidArgument, match="explain: record_a is None") as e:
        lk.explain(None, "1")
    assert "predict" not in str(e.value)
