# SPDX-License-Identifier: Apache-2.0
"""The council schema from Python and the CLI, and the sample extracts against it."""
import csv
import json
import subprocess

import pytest

import earlyhelp
from earlyhelp.schema import DICTIONARY_COLUMNS, data_dictionary

STREAMS = [
    "person_register", "school_attendance", "school_exclusions", "social_care_contacts",
    "social_care_episodes", "police_domestic_abuse", "asb_incidents", "youth_offending",
    "housing_tenancy", "rent_arrears", "homelessness_applications", "council_tax",
    "housing_benefit", "dwp_benefits", "adult_social_care", "health_ae",
    "health_substance_misuse", "health_mental_health", "early_help_episodes",
]


def test_builtin_schema_streams_and_fields():
    s = earlyhelp.builtin_schema()
    assert isinstance(s, earlyhelp.Schema)
    assert (s.name, s.version) == ("council", "1.0")
    assert [st.name for st in s.streams] == STREAMS
    assert len(s) == len(STREAMS) and "health_ae" in s and "nope" not in s
    st = s.stream("school_attendance")
    assert st.kind == "event" and st.event_date_field == "term_end_date"
    assert st.field_names == [f.name for f in st.fields]
    term = st.field("term")
    assert (term.type, term.categories) == ("category", ["autumn", "spring", "summer"])
    sessions = st.field("sessions_attended")
    assert (sessions.min, sessions.max, sessions.unit) == (0.0, 400.0, "sessions")
    assert st.field("upn").identifier_role == "direct" and st.field("upn").format == "upn"
    dob = st.field("dob")
    assert (dob.min, dob.identifier_role, dob.link_key) == ("1900-01-01", "quasi", "dob")
    assert st.field("record_id").identifier_role == "pseudonymised_key"
    assert st.field("postcode").max_length == 8
    assert st.field("free_school_meals").max_length is None
    assert s.stream("health_ae").field("attendance_category").sensitivity == "special_category"
    assert s.stream("youth_offending").field("outcome").sensitivity == "criminal_offence"
    assert "NULL" in st.missing_values and st.is_missing_value(" N/A ")
    assert earlyhelp.Schema.builtin() == s


def test_unknown_names_raise_schema_error_listing_choices():
    s = earlyhelp.builtin_schema()
    with pytest.raises(earlyhelp.SchemaError, match="known streams: person_register, school_attendance"):
        s.stream("schools")
    with pytest.raises(ValueError, match='did you mean "surname"'):
        s.stream("person_register").field("surnme")


def test_json_round_trip_and_errors(tmp_path):
    s = earlyhelp.builtin_schema()
    text = s.to_json()
    assert "streams" in json.loads(text)
    back = earlyhelp.Schema.from_json(text)
    assert back == s and back.to_json() == text
    bad = text.replace('"type": "integer"', '"type": "int"', 1)
    with pytest.raises(earlyhelp.SchemaError) as err:
        earlyhelp.Schema.from_json(bad, "mine.json")
    assert str(err.value).startswith("mine.json: streams[1].fields[12].type: expected one of integer, float")
    assert str(err.value).endswith('got "int"')
    path = tmp_path / "council.json"
    path.write_text(bad)
    with pytest.raises(earlyhelp.SchemaError, match=r"council\.json: streams\[1\]\.fields\[12\]\.type"):
        earlyhelp.Schema.from_file(str(path))
    with pytest.raises(earlyhelp.IOError):
        earlyhelp.Schema.from_file(str(tmp_path / "missing.json"))
    with pytest.raises(earlyhelp.SchemaError, match="JSON syntax error at line 1, column"):
        earlyhelp.Schema.from_json('{"name": "x",,}')


def test_markdown_lists_every_stream():
    md = earlyhelp.builtin_schema().to_markdown()
    for name in STREAMS:
        assert f"\n## {name}\n" in md
    assert "| `sessions_attended` | Sessions attended this term |" in md


def test_data_dictionary_one_row_per_stream_field():
    df = data_dictionary()
    s = earlyhelp.builtin_schema()
    assert list(df.columns) == DICTIONARY_COLUMNS
    assert len(df) == sum(len(st.fields) for st in s.streams)
    assert df.groupby("stream", sort=False).size().index.tolist() == STREAMS
    assert (df[df.is_record_id].field == "record_id").all() and df.is_record_id.sum() == len(STREAMS)
    assert df.is_event_date.sum() == len(STREAMS)  # the register's start_date included
    row = df[(df.stream == "council_tax") & (df.field == "band")].iloc[0]
    assert row.categories == list("ABCDEFGH") and row.label == "Council tax band"
    assert str(df.max_length.dtype) == "Int64"
    assert (df.label != "").all()
    small = earlyhelp.Schema.from_json(
        '{"name": "t", "streams": [{"name": "a", "kind": "register", "record_id_field": "id",'
        ' "fields": [{"name": "id", "type": "identifier"}]}]}')
    assert data_dictionary(small)[["stream", "field", "type"]].values.tolist() == [["a", "id", "identifier"]]


def test_cli_schema_json_and_markdown(cli, tmp_path):
    out = subprocess.run([cli, "schema", "--format", "json"], capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert [st["name"] for st in doc["streams"]] == STREAMS
    md = subprocess.run([cli, "schema"], capture_output=True, text=True, check=True).stdout
    for name in STREAMS:
        assert f"## {name}" in md
    one = subprocess.run([cli, "schema", "--format", "json", "--stream", "rent_arrears"],
                         capture_output=True, text=True, check=True)
    assert [st["name"] for st in json.loads(one.stdout)["streams"]] == ["rent_arrears"]
    bad = tmp_path / "bad.json"
    bad.write_text(out.stdout.replace('"kind": "event"', '"kind": "events"', 1))
    r = subprocess.run([cli, "schema", "--schema", str(bad)], capture_output=True, text=True)
    assert r.returncode == 3
    assert "bad.json: streams[1].kind: expected one of register, event, episode; got \"events\"" in r.stderr
    r = subprocess.run([cli, "schema", "--stream", "nope"], capture_output=True, text=True)
    assert r.returncode == 2 and "known streams" in r.stderr


def test_sample_extracts_match_the_catalogue(source_dir):
    """Every stream has examples/data/sample_council/<stream>.csv whose header is its fields."""
    folder = source_dir / "examples" / "data" / "sample_council"
    s = earlyhelp.builtin_schema()
    files = sorted(p.stem for p in folder.glob("*.csv"))
    assert files == sorted(STREAMS)
    for st in s.streams:
        with open(folder / f"{st.name}.csv", newline="") as fh:
            rows = list(csv.reader(fh))
        # Optional columns (required: false) may be left out, as a council's extract may.
        assert rows[0] in (st.field_names, [f.name for f in st.fields if f.required]), st.name
        assert 10 <= len(rows) - 1 <= 40, st.name
        assert all(len(r) == len(rows[0]) for r in rows), st.name
        ids = [r[0] for r in rows[1:]]
        assert len(ids) - len(set(ids)) >= 1, f"{st.name}: expected a deliberate duplicate record_id"
