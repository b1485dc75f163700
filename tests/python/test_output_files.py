# SPDX-License-Identifier: Apache-2.0
"""Writes that cannot destroy, through every verb: `-` is standard input or output, a device or
FIFO is written in place (never renamed over), a symbolic link stays a link, and an output that is
an input or another output is refused (exit 2) before anything is touched.

The "victims" are FIFOs and files in a temporary directory, never the real /dev/null or
/dev/stdout: a regression would otherwise replace the test machine's devices."""
import os
import stat
import subprocess

import pytest

import earlyhelp

pd = pytest.importorskip("pandas")

def _header(stream):
    return ",".join(earlyhelp.builtin_schema().stream(stream).field_names) + "\n"


def _run(*args, stdin=None):
    return subprocess.run([str(a) for a in args], input=stdin, capture_output=True, text=True)


class Fifo:
    """A FIFO with a descriptor held open for reading and writing: a writer's open never waits
    for a reader and the test reads what was written afterwards, without a thread (the outputs
    here fit the pipe's 64 KiB buffer)."""

    def __init__(self, path):
        self.path = path
        os.mkfifo(path)
        self.inode = os.stat(path).st_ino
        self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)

    def drain(self, binary=False):
        out = b""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            out += chunk
        return out if binary else out.decode()

    def intact(self):
        st = os.stat(self.path)
        return stat.S_ISFIFO(st.st_mode) and st.st_ino == self.inode

    def close(self):
        os.close(self.fd)


def _unchanged(path, text, inode):
    return path.read_text() == text and os.stat(path).st_ino == inode


def test_validate_reads_stdin_and_writes_stdout(cli, extract, tmp_path):
    r = _run(cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", "-", "--output", "-",
             "--rejects", tmp_path / "rej.csv", stdin=extract.read_text())
    assert r.returncode == 0, r.stderr
    assert r.stdout == _header("school_attendance")  # the clean CSV alone: counts went to stderr
    assert "read 1 clean 0 rejected 1" in r.stderr
    assert not (tmp_path / "-").exists()
    assert len((tmp_path / "rej.csv").read_text().splitlines()) == 2


def test_validate_writes_fifos_and_links_in_place(cli, extract, tmp_path):
    out, rej = Fifo(tmp_path / "out.fifo"), Fifo(tmp_path / "rej.fifo")
    try:
        r = _run(cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", extract,
                 "--output", out.path, "--rejects", rej.path)
        assert r.returncode == 0, r.stderr
        assert out.intact() and rej.intact()
        assert out.drain() == _header("school_attendance")
        assert rej.drain().startswith("row,line,field,reason,")
        # a symbolic link to a FIFO, and one to a regular file, stay links
        os.symlink(out.path, tmp_path / "out-link")
        (tmp_path / "target.csv").write_text("old\n")
        os.symlink("target.csv", tmp_path / "rej-link")
        r = _run(cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", extract,
                 "--output", tmp_path / "out-link", "--rejects", tmp_path / "rej-link")
        assert r.returncode == 0, r.stderr
        assert os.path.islink(tmp_path / "out-link") and out.intact()
        assert os.path.islink(tmp_path / "rej-link")
        assert (tmp_path / "target.csv").read_text().startswith("row,line,field,reason,")
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "in.csv", "out-link", "out.fifo", "rej-link", "rej.fifo", "target.csv"]
    finally:
        out.close()
        rej.close()


def test_python_validate_goes_through_the_same_rules(extract, tmp_path):
    out = Fifo(tmp_path / "out.fifo")
    try:
        res = earlyhelp.validate(extract, "school_attendance", out.path, tmp_path / "rej.csv")
        assert res["rows_rejected"] == 1 and out.intact()
        assert out.drain() == _header("school_attendance")
    finally:
        out.close()
    text, inode = extract.read_text(), os.stat(extract).st_ino
    with pytest.raises(earlyhelp.InvalidArgument, match="output and input are the same file"):
        earlyhelp.validate(extract, "school_attendance", extract, tmp_path / "r2.csv")
    assert _unchanged(extract, text, inode)


@pytest.mark.parametrize("output,rejects,message", [
    ("in.csv", "rej.csv", "--output and --input are the same file"),
    ("out.csv", "link-to-in.csv", "--rejects and --input are the same file"),
    ("hard-in.csv", "rej.csv", "--output and --input are the same file"),
    ("out.csv", "out.csv", "--output and --rejects are the same file"),
    ("out.csv", "link-to-out.csv", "--output and --rejects are the same file"),
])
def test_validate_refuses_to_destroy_or_mix(cli, extract, tmp_path, output, rejects, message):
    os.symlink("in.csv", tmp_path / "link-to-in.csv")
    os.link(extract, tmp_path / "hard-in.csv")
    os.symlink("out.csv", tmp_path / "link-to-out.csv")
    text, inode = extract.read_text(), os.stat(extract).st_ino
    r = _run(cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", extract,
             "--output", tmp_path / output, "--rejects", tmp_path / rejects)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert _unchanged(extract, text, inode)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "rej.csv").exists()


def test_validate_report_is_checked_too(cli, extract, tmp_path):
    r = _run(cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", extract,
             "--output", tmp_path / "o.csv", "--rejects", tmp_path / "r.csv", "--report", tmp_path / "o.csv")
    assert r.returncode == 2 and "--output and --report are the same file" in r.stderr


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("record_id,first_name,surname,dob\n")
    return path


@pytest.mark.parametrize("args,message", [
    (["--output", "records.csv"], "--output and --input are the same file"),
    (["--output", "p.csv", "--households", "records.csv"], "--households and --input are the same file"),
    (["--output", "p.csv", "--households", "p.csv"], "--output and --households are the same file"),
    (["--output", "p.csv", "--model-out", "records.csv"], "--model-out and --input are the same file"),
])
def test_link_refuses_to_destroy_or_mix(cli, records, tmp_path, args, message):
    text, inode = records.read_text(), os.stat(records).st_ino
    args = [tmp_path / a if a.endswith(".csv") else a for a in args]
    r = _run(cli, "--no-audit", "link", "--input", records, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert _unchanged(records, text, inode)
    assert not (tmp_path / "p.csv").exists()


def test_link_reads_stdin_and_writes_stdout(cli, records):
    r = _run(cli, "--no-audit", "link", "--input", "-", "--output", "-", stdin=records.read_text())
    assert r.returncode == 0, r.stderr
    assert r.stdout == "record_id,person_id\n"  # the summary line went to stderr
    assert "records 0" in r.stderr


@pytest.mark.parametrize("args,message", [
    (["--output", "x.csv"], "--output and --input are the same file"),
    (["--output", "o.csv", "--rejects", "x.csv"], "--rejects and --input are the same file"),
    (["--output", "o.csv", "--rejects", "o.csv"], "--output and --rejects are the same file"),
    (["--output", "m.ehm"], "--output and --model are the same file"),
])
def test_score_refuses_to_destroy_or_mix(cli, bundle, tmp_path, args, message):
    x = tmp_path / "x.csv"
    text, inode = x.read_text(), os.stat(x).st_ino
    model_bytes = bundle.read_bytes()
    args = [tmp_path / a if "." in a else a for a in args]
    r = _run(cli, "--no-audit", "score", "--model", bundle, "--input", x, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert _unchanged(x, text, inode) and bundle.read_bytes() == model_bytes
    assert not (tmp_path / "o.csv").exists()


def test_score_reads_stdin_and_writes_stdout_and_fifos(cli, bundle, tmp_path):
    x = (tmp_path / "x.csv").read_text()
    r = _run(cli, "--no-audit", "score", "--model", bundle, "--input", "-", "--output", "-", stdin=x)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "score" and len(r.stdout.splitlines()) == 3
    assert "read 2 scored 2 rejected 0" in r.stderr
    out = Fifo(tmp_path / "scores.fifo")
    try:
        r = _run(cli, "--no-audit", "score", "--model", bundle, "--input", tmp_path / "x.csv", "--output", out.path)
        assert r.returncode == 0, r.stderr
        assert out.intact() and out.drain().startswith("score\n")
    finally:
        out.close()


def test_model_import_refuses_its_input_as_output(cli, tmp_path):
    xgb = pytest.importorskip("xgboost")
    import numpy as np

    X = np.random.default_rng(0).normal(size=(50, 2))
    b = xgb.train({"max_depth": 2, "nthread": 1}, xgb.DMatrix(X, (X[:, 0] > 0).astype(int)), 2)
    b.save_model(str(tmp_path / "m.json"))
    before = (tmp_path / "m.json").read_bytes()
    r = _run(cli, "--no-audit", "model", "import", "--xgboost", tmp_path / "m.json", "--out", tmp_path / "m.json")
    assert r.returncode == 2 and "--out and --xgboost are the same file" in r.stderr
    assert (tmp_path / "m.json").read_bytes() == before
    out = Fifo(tmp_path / "m.fifo")
    try:
        r = _run(cli, "--no-audit", "model", "import", "--xgboost", tmp_path / "m.json", "--out", out.path)
        assert r.returncode == 0, r.stderr
        assert out.intact() and earlyhelp.Model.from_bytes(out.drain(binary=True)).n_features == 2
    finally:
        out.close()


def test_keygen_into_a_fifo_keeps_it(cli, tmp_path):
    out = Fifo(tmp_path / "key.fifo")
    try:
        r = _run(cli, "--no-audit", "keygen", "--out", out.path, "--force")
        assert r.returncode == 0, r.stderr
        assert out.intact() and len(out.drain().strip()) == 64
    finally:
        out.close()
