# SPDX-License-Identifier: Apache-2.0
"""earlyhelp.read_csv / earlyhelp.validate and the `earlyhelp validate` verb."""
import csv
import io
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import earlyhelp

HEADER = [
    "record_id", "upn", "first_name", "middle_name", "surname", "dob", "sex", "postcode", "school_urn",
    "academic_year", "term", "term_end_date", "sessions_possible", "sessions_attended",
    "authorised_absence_sessions", "unauthorised_absence_sessions", "free_school_meals", "sen_status",
]

GOOD = dict(
    record_id="r1", upn="Z213282605052", first_name="Ann", middle_name="", surname="Smith", dob="03/04/2012",
    sex="F", postcode="sw1a2aa", school_urn="100000", academic_year="2020/21", term="autumn",
    term_end_date="18/12/2020", sessions_possible="140", sessions_attended="130",
    authorised_absence_sessions="5", unauthorised_absence_sessions="5", free_school_meals="Y", sen_status="none",
)


def row(**changes):
    r = dict(GOOD)
    r.update(changes)
    return [r[h] for h in HEADER]


def write_csv(path, rows, header=HEADER, line_end="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=line_end)
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


@pytest.fixture
def attendance(tmp_path):
    rows = [
        row(),
        row(record_id="r2", upn="A213282605052", dob="29/02/2011"),  # bad UPN check letter and no 29 Feb 2011
        row(record_id="r1"),                                          # duplicate key of row 1
        row(record_id="r4", sessions_attended="NULL", free_school_meals="", middle_name="Jo, \"JJ\"\nx"),
        ["r5", "Z213282605052", "Ann"],                               # ragged
    ]
    return write_csv(tmp_path / "attendance.csv", rows)


def test_read_csv_dtypes_and_values(attendance):
    clean, rejects = earlyhelp.read_csv(attendance, stream="school_attendance")
    assert list(clean.columns) == HEADER
    assert str(clean["sessions_possible"].dtype) == "Int64"
    assert str(clean["free_school_meals"].dtype) == "boolean"
    assert str(clean["sex"].dtype) == "category"
    assert list(clean["sex"].cat.categories) == ["F", "M", "U"]
    assert clean["dob"].dtype == np.dtype("datetime64[ns]")
    assert clean["record_id"].dtype == object
    # 03/04/2012 is 3 April, never March.
    assert clean.loc[0, "dob"] == pd.Timestamp("2012-04-03")
    assert clean.loc[0, "postcode"] == "SW1A 2AA"
    assert bool(clean.loc[0, "free_school_meals"]) is True
    # "NULL" is one of the stream's missing-value markers.
    assert clean.loc[1, "sessions_attended"] is pd.NA
    assert clean.loc[1, "free_school_meals"] is pd.NA
    assert clean.loc[1, "middle_name"] == 'Jo, "JJ"\nx'
    assert clean.loc[0, "middle_name"] is None
    report = clean.attrs["earlyhelp_report"]
    assert report["rows_read"] == 5 and report["reconciled"]


def test_read_csv_rejects_and_reconciled_counts(attendance):
    clean, rejects = earlyhelp.read_csv(attendance, stream="school_attendance")
    assert len(clean) + len(rejects) == 5
    assert list(rejects.columns[:5]) == ["row", "line", "field", "kind", "reason"]
    assert list(rejects["row"]) == [2, 3, 5]
    # Physical lines: the quoted newline in row 4 shifts row 5 down one line.
    assert list(rejects["line"]) == [3, 4, 7]
    assert list(rejects["field"]) == ["upn", "record_id", ""]
    assert list(rejects["kind"]) == ["invalid_format", "duplicate_key", "wrong_field_count"]
    assert rejects.loc[0, "reason"].endswith("(also: dob)")
    assert rejects.loc[1, "reason"] == "duplicate key: same value as row 1"
    assert rejects.loc[2, "reason"] == "expected 18 fields, found 3"
    # Raw values travel with the reject, as read.
    assert rejects.loc[0, "dob"] == "29/02/2011"
    assert rejects.loc[0, "upn"] == "A213282605052"
    assert list(rejects["extra_fields"]) == ["", "", ""]


def test_read_csv_surplus_fields_are_kept_csv_encoded(tmp_path):
    path = write_csv(tmp_path / "wide.csv", [row() + ["x,1", "y"]])
    clean, rejects = earlyhelp.read_csv(path, stream="school_attendance")
    assert len(clean) == 0
    assert rejects.loc[0, "extra_fields"] == '"x,1",y'
    assert rejects.loc[0, "reason"] == "expected 18 fields, found 20"


def test_read_csv_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(HEADER) + "\nr1,\"unterminated\n")
    with pytest.raises(earlyhelp.FormatError, match=r"bad.csv: row 1 \(line 2\), column 2 \(upn\): unterminated"):
        earlyhelp.read_csv(bad, stream="school_attendance")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(earlyhelp.FormatError, match="empty file"):
        earlyhelp.read_csv(empty, stream="school_attendance")
    short = write_csv(tmp_path / "short.csv", [], header=["record_id", "upn"])
    with pytest.raises(earlyhelp.SchemaError, match="missing required columns for stream school_attendance: first_name"):
        earlyhelp.read_csv(short, stream="school_attendance")
    with pytest.raises(earlyhelp.SchemaError, match="no stream"):
        earlyhelp.read_csv(short, stream="no_such_stream")
    with pytest.raises(earlyhelp.IOError):
        earlyhelp.read_csv(tmp_path / "missing.csv", stream="school_attendance")


def test_read_csv_field_limit_and_invalid_utf8(tmp_path):
    path = write_csv(tmp_path / "big.csv", [row(), row(record_id="r2", surname="x" * 5000)])
    # Invalid UTF-8 in row 3.
    with open(path, "ab") as f:
        f.write(b",".join(x.encode() for x in row(record_id="r3", surname="caf")) .replace(b"caf", b"caf\xc3") + b"\r\n")
    clean, rejects = earlyhelp.read_csv(path, stream="school_attendance", max_field_bytes=1000)
    assert len(clean) == 1
    assert list(rejects["kind"]) == ["field_too_long", "invalid_utf8"]
    assert rejects.loc[0, "surname"] == ""  # an over-long value is not kept
    assert "over the limit of 1000" in rejects.loc[0, "reason"]


def test_read_csv_threads_give_the_same_frames(tmp_path):
    # 3,000 rows: several batches of the parallel path, quoted newlines, non-ASCII names,
    # duplicate keys in other batches and rejects; every thread count gives the same frames.
    rows = []
    for i in range(3000):
        r = row(record_id=f"r{i}", first_name="Zoë" if i % 5 == 0 else "Ann", middle_name="a\nb" if i % 1024 < 2 else "")
        if i % 700 == 699:
            r = row(record_id=f"r{i - 600}")
        if i % 333 == 0:
            r = row(record_id=f"r{i}", dob="31/02/2012")
        rows.append(r)
    path = write_csv(tmp_path / "many.csv", rows)
    one, rej_one = earlyhelp.read_csv(path, stream="school_attendance", threads=1)
    two, rej_two = earlyhelp.read_csv(path, stream="school_attendance", threads=2)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(rej_one, rej_two)
    assert one.attrs == two.attrs
    assert len(one) + len(rej_one) == 3000
    assert set(rej_one["kind"]) == {"duplicate_key", "invalid_value"}
    by_id = one.set_index("record_id")
    assert by_id.loc["r5", "first_name"] == "Zoë" and by_id.loc["r7", "first_name"] == "Ann"
    assert by_id.loc["r1025", "middle_name"] == "a\nb" and by_id.loc["r7", "middle_name"] is None
    assert str(one["sex"].dtype) == "category" and one["dob"].dtype == np.dtype("datetime64[ns]")


def test_read_csv_progress_in_input_bytes_on_every_thread_count(tmp_path, capfd):
    # 3,000 rows of about 150 bytes: more than one chunk of 256 KiB at 2 threads.
    path = write_csv(tmp_path / "many.csv", [row(record_id=f"r{i}") for i in range(3000)])
    size = path.stat().st_size
    for threads in (1, 2):
        calls = []
        clean, _ = earlyhelp.read_csv(path, stream="school_attendance", threads=threads,
                                      progress=lambda s, d, t: calls.append((s, d, t)))
        assert len(clean) == 3000
        assert calls[0] == ("validate", 0, size) and calls[-1] == ("validate", size, size), calls
        assert all(s == "validate" and t == size for s, _, t in calls)
        assert all(a[1] < b[1] for a, b in zip(calls, calls[1:])), calls
    capfd.readouterr()
    earlyhelp.read_csv(path, stream="school_attendance", progress=True)
    assert "read_csv: validate" in capfd.readouterr().err
    earlyhelp.read_csv(path, stream="school_attendance", progress=False)
    assert capfd.readouterr().err == ""
    with pytest.raises(earlyhelp.InvalidArgument, match="progress"):
        earlyhelp.read_csv(path, stream="school_attendance", progress="yes")


def test_header_only_gives_empty_typed_frame(tmp_path):
    path = write_csv(tmp_path / "h.csv", [])
    clean, rejects = earlyhelp.read_csv(path, stream="school_attendance")
    assert len(clean) == 0 and len(rejects) == 0
    assert str(clean["sessions_possible"].dtype) == "Int64"


def test_validate_writes_files(attendance, tmp_path):
    out, rej = tmp_path / "clean.csv", tmp_path / "rejects.csv"
    res = earlyhelp.validate(attendance, "school_attendance", out, rej)
    assert (res["rows_read"], res["rows_clean"], res["rows_rejected"]) == (5, 2, 3)
    assert res["reconciled"]
    clean = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(clean.columns) == HEADER
    assert list(clean["dob"]) == ["2012-04-03", "2012-04-03"]
    rejects = pd.read_csv(rej, dtype=str, keep_default_na=False)
    assert list(rejects.columns[:4]) == ["row", "line", "field", "reason"]
    assert rejects.columns[-1] == "extra_fields"
    assert list(rejects["row"]) == ["2", "3", "5"]


def test_cli_validate_end_to_end(cli, attendance, tmp_path):
    out, rej, rep = tmp_path / "clean.csv", tmp_path / "rejects.csv", tmp_path / "report.json"
    args = [cli, "validate", "--stream", "school_attendance", "--input", str(attendance), "--output", str(out),
            "--rejects", str(rej)]
    r = subprocess.run(args + ["--report", str(rep)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "read 5 clean 2 rejected 3 (reconciled)"
    assert "duplicate_key" in r.stdout
    # Raw identifier values never reach the terminal.
    for value in ("Z213282605052", "A213282605052", "Smith", "SW1A 2AA", "sw1a2aa"):
        assert value not in r.stdout and value not in r.stderr
    report = json.loads(rep.read_text())
    assert report["rows_read"] == 5 and report["reconciled"] is True
    with open(rej, newline="") as f:
        assert sum(1 for _ in csv.reader(f)) == 1 + 3
    strict = subprocess.run(args + ["--strict", "--quiet"], capture_output=True, text=True)
    assert strict.returncode == 1
    assert strict.stdout.strip() == "read 5 clean 2 rejected 3 (reconciled)"


def test_cli_validate_exit_codes(cli, tmp_path):
    out, rej = tmp_path / "c.csv", tmp_path / "r.csv"

    def run(path, *extra, out=out, rej=rej):
        return subprocess.run([cli, "validate", "--stream", "school_attendance", "--input", str(path),
                               "--output", str(out), "--rejects", str(rej), *extra], capture_output=True, text=True)

    good = write_csv(tmp_path / "good.csv", [row()])
    r = run(good, "--strict")
    assert r.returncode == 0 and r.stdout.startswith("read 1 clean 1 rejected 0 (reconciled)")
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(HEADER) + "\n" + ",".join(row()) + "\nr2,\"Z21\n")
    out2, rej2 = tmp_path / "c2.csv", tmp_path / "r2.csv"
    r = run(bad, out=out2, rej=rej2)
    assert r.returncode == 3
    assert "bad.csv: row 2 (line 3), column 2 (upn): unterminated quoted field" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("c2", "r2"))) == []  # nothing half-written
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert run(empty).returncode == 3
    assert run(tmp_path / "absent.csv").returncode == 3
    assert run(good, "--max-field-bytes", "0").returncode == 2


def test_sample_council_extracts_reconcile(source_dir, tmp_path):
    data = source_dir / "examples" / "data" / "sample_council"
    files = sorted(data.glob("*.csv")) if data.is_dir() else []
    if not files:
        pytest.skip(f"no sample extracts in {data}")
    schema = earlyhelp.builtin_schema()
    for path in files:
        if path.stem not in schema:
            continue
        clean, rejects = earlyhelp.read_csv(path, stream=path.stem)
        with open(path, newline="", encoding="utf-8-sig") as f:
            n_rows = sum(1 for r in csv.reader(f) if r) - 1
        assert len(clean) + len(rejects) == n_rows, path.name
        assert clean.attrs["earlyhelp_report"]["reconciled"]


def test_sample_extract_faults_are_exactly_the_rejects(source_dir):
    """generate.py plants a few faults per sample extract; validation must find each, and only them."""
    import importlib.util

    gen_path = source_dir / "examples" / "data" / "sample_council" / "generate.py"
    if not gen_path.exists():
        pytest.skip(f"{gen_path} not found")
    spec = importlib.util.spec_from_file_location("eh_sample_generate", gen_path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for stream, faults in gen.FAULTS.items():
        _, rejects = earlyhelp.read_csv(gen_path.parent / f"{stream}.csv", stream=stream)
        found = dict(zip(rejects["row"], rejects["field"]))
        expected = {index + 1: "record_id" if field == "dup" else field for index, field, _, _ in faults}
        assert sorted(found) == sorted(expected), stream
        for row_number, field in expected.items():
            # Keys are checked only on rows that pass every field check, so a planted duplicate
            # on a row with another fault is reported by that fault.
            if field == "record_id" and found[row_number] != "record_id":
                continue
            assert found[row_number] == field, (stream, row_number)


def test_postcode_spaces_are_normalised_before_the_length_check(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row(postcode="SW1A  1AA"), row(record_id="r2", postcode="sw1a1aa"),
                                          row(record_id="r3", postcode=" SW1A 1AA ")])
    clean, rejects = earlyhelp.read_csv(path, stream="school_attendance")
    assert len(rejects) == 0, list(rejects["reason"])
    assert list(clean["postcode"]) == ["SW1A 1AA"] * 3


def test_cli_validate_names_a_semicolon_file_or_a_pdf(cli, tmp_path):
    def run(path):
        return subprocess.run([cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", str(path),
                               "--output", str(tmp_path / "c.csv"), "--rejects", str(tmp_path / "r.csv")],
                              capture_output=True, text=True)

    semi = write_csv(tmp_path / "semi.csv", [], header=[";".join(HEADER)])
    r = run(semi)
    assert r.returncode == 3
    assert "semi.csv: missing required columns" in r.stderr
    assert "semicolon-separated" in r.stderr
    ok = subprocess.run([cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", str(semi),
                         "--output", str(tmp_path / "ok.csv"), "--rejects", str(tmp_path / "ok-r.csv"),
                         "--delimiter", ";"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    pdf = tmp_path / "extract.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")
    r = run(pdf)
    assert r.returncode == 3 and "extract.pdf: not a CSV text file: it looks like a PDF document" in r.stderr
    xlsx = tmp_path / "extract.xlsx"
    xlsx.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    r = run(xlsx)
    assert r.returncode == 3 and "extract.xlsx" in r.stderr and "Excel" in r.stderr
    assert not (tmp_path / "c.csv").exists()
