# SPDX-License-Identifier: Apache-2.0
"""The CLI in ETL pipes (issue 18): every verb's --help has a worked example and the exit codes;
each exit code is what the README says; --json prints one summary object on stdout and refuses
an output `-`; progress goes to stderr only when asked for (stderr is a pipe here); `-` reads
standard input / writes standard output for the files that newly accept it. Small inputs only."""
import json
import os
import subprocess

import pytest

import earlyhelp

def _run(cli, *args, stdin=None, env=None):
    return subprocess.run([cli, *map(str, args)], input=stdin, capture_output=True, text=True,
                          env=None if env is None else {**os.environ, **env}, timeout=120)


@pytest.fixture
def records(tmp_path):
    """Six records of three people, canonical columns."""
    path = tmp_path / "records.csv"
    path.write_text("record_id,source,first_name,surname,dob,postcode\n"
                    "a1,s1,John,Smith,1980-01-02,AB1 2CD\n" "b1,s2,Jon,Smith,1980-01-02,AB1 2CD\n"
                    "a2,s1,Mary,Jones,1975-05-06,EF3 4GH\n" "b2,s2,Mary,Jones,1975-05-06,EF3 4GH\n"
                    "a3,s1,Ali,Khan,2001-09-10,JK5 6LM\n" "b3,s2,Ali,Kahn,2001-09-10,JK5 6LM\n")
    return path


def _verbs(cli, *path):
    """The leaf verbs under `path` as `earlyhelp [path] --help` lists them (Subcommands: section),
    each a tuple of words: what a user sees, so a verb added to main.cpp is in the list."""
    text = _run(cli, *path, "--help").stdout
    if "Subcommands:" not in text:
        return [path]
    names = []
    for line in text.split("Subcommands:", 1)[1].splitlines()[1:]:
        if not line.strip():
            break
        if line.startswith("  ") and not line.startswith("   "):
            names.append(line.split()[0])
    return [leaf for name in names for leaf in _verbs(cli, *path, name)]


# One quick run of every leaf verb with --json: a real run where it is cheap, else a refusal that
# still reaches the verb (exit 2 with its summary). A verb missing here fails the test below.
JSON_RUNS = {
    ("version",): ["version"],
    ("audit", "verify"): ["--audit-log", "{tmp}/audit.jsonl", "audit", "verify"],
    ("audit", "show"): ["--audit-log", "{tmp}/audit.jsonl", "audit", "show"],
    ("keygen",): ["keygen", "--out", "{tmp}/new.key"],
    ("pseudonymise",): ["pseudonymise", "--key-file", "{tmp}/k.key", "--columns", "record_id", "--input", "{records}",
                        "--output", "{tmp}/p.csv"],
    ("encode",): ["encode", "--key-file", "{tmp}/k.key", "--input", "{records}", "--output", "{tmp}/e.csv"],
    ("demo",): ["demo", "--out", "-"],
    ("schema",): ["schema", "--stream", "school_attendance"],
    ("synth",): ["synth", "--out", "-"],
    ("validate",): ["validate", "--stream", "school_attendance", "--input", "{extract}", "--output", "{tmp}/o.csv",
                    "--rejects", "{tmp}/r.csv"],
    ("score",): ["score", "--model", "{bundle}", "--input", "{tmp}/x.csv", "--output", "{tmp}/s.csv"],
    ("model", "import"): ["model", "import", "--xgboost", "{tmp}/no-such-model.json", "--out", "{tmp}/m2.ehm"],
    ("model", "info"): ["model", "info", "{bundle}"],
    ("model", "card"): ["model", "card", "--reference", "safeguarding", "--out", "-"],
    ("link",): ["link", "--input", "{records}", "--output", "{tmp}/persons.csv"],
    ("features",): ["features", "--data", "-", "--persons", "{tmp}/persons.csv", "--as-of", "2024-01-01",
                    "--output", "{tmp}/f.csv"],
    ("tf",): ["tf", "--data", "-", "--as-of", "2024-01-01", "--output", "{tmp}/t.csv"],
    ("profile",): ["profile", "--data", "{tmp}", "--history", "-", "--as-of", "2024-01-01", "--output", "{tmp}/a.csv"],
    ("forecast",): ["forecast", "--data", "-", "--as-of", "2024-01-01", "--out", "{tmp}/fc"],
    ("savings",): ["savings", "--config", "{tmp}/savings.json"],
    ("engagement",): ["engagement", "--data", "-", "--as-of", "2024-01-01", "--out", "{tmp}/g.csv"],
    ("report",): ["report", "--data", "-", "--as-of", "2024-01-01", "--out", "{tmp}/r.html"],
}


def test_cli_every_verb_has_help_with_an_example_the_exit_codes_and_a_json_summary(cli, records, extract, bundle,
                                                                                   tmp_path):
    verbs = _verbs(cli)
    assert ("model", "import") in verbs and ("audit", "verify") in verbs and ("link",) in verbs
    listed = _run(cli, "no-such-verb").stderr.split("The verbs are: ")[1].split(".")[0].split(", ")
    assert sorted(listed) == sorted({v[0] for v in verbs})  # the error's list and --help's agree
    top = _run(cli, "--help")
    assert top.returncode == 0 and "Exit codes: 0 success" in top.stdout and "--json" in top.stdout
    assert sorted(JSON_RUNS) == sorted(verbs), "give every verb a quick --json run in JSON_RUNS"
    (tmp_path / "k.key").write_text("ab" * 32 + "\n")
    (tmp_path / "savings.json").write_text(json.dumps({"name": "Team", "eligible": 10, "effect": {"weeks_saved": 4},
                                                       "savings": [{"item": "week", "amount": 435}]}))
    for verb in verbs:
        r = _run(cli, *verb, "--help")
        assert r.returncode == 0, (verb, r.stderr)
        text = " ".join(r.stdout.split())  # CLI11 may wrap the footer
        assert "Example" in text and f"$ earlyhelp {' '.join(verb)}" in text, verb
        assert "Exit codes: 0 success; 1 the run finished but found a problem" in text, verb
        assert "4 internal error" in text and "--json" in text and "--progress" in text, verb
        args = [a.format(tmp=tmp_path, records=records, extract=extract, bundle=bundle) for a in JSON_RUNS[verb]]
        r = _run(cli, "--no-audit", *args, "--json") if args[0] != "--audit-log" else _run(cli, *args, "--json")
        summary = json.loads(r.stdout)  # one object, nothing else on stdout
        assert summary["verb"] == " ".join(verb) and summary["exit_code"] == r.returncode, (verb, r.stderr)
        if "-" in args:  # the refusal of '-' for a folder or a database names the option
            assert r.returncode == 2 and "cannot be '-'" in summary["error"], (verb, summary)
        else:
            assert r.returncode in (0, 1, 3), (verb, r.stderr)  # ran (a missing log or model: 3)


def _exit_cases(cli, extract, bundle, tmp_path):
    out = ["--output", tmp_path / "o.csv", "--rejects", tmp_path / "r.csv"]
    (tmp_path / "broken.ehm").write_bytes(bundle.read_bytes()[:40])
    (tmp_path / "settings.json").write_text('{"n_threads": 1, "no_such_key": 2}')
    (tmp_path / "records.csv").write_text("record_id,first_name\n1,Ann\n")
    return {
        "0 ok": (0, ["validate", "--stream", "school_attendance", "--input", extract, *out], {}),
        "1 rejected rows with --strict": (1, ["validate", "--stream", "school_attendance", "--input", extract,
                                              *out, "--strict"], {}),
        "2 unknown stream": (2, ["validate", "--stream", "no_such_stream", "--input", extract, *out], {}),
        "2 output is the input": (2, ["score", "--model", bundle, "--input", tmp_path / "x.csv", "--output",
                                      tmp_path / "x.csv"], {}),
        "3 missing input file": (3, ["validate", "--stream", "school_attendance", "--input", tmp_path / "nope.csv",
                                     *out], {}),
        "3 settings file with an unknown key": (3, ["link", "--input", tmp_path / "records.csv", "--settings",
                                                    tmp_path / "settings.json", "--output", tmp_path / "p.csv"], {}),
        "3 truncated bundle": (3, ["score", "--model", tmp_path / "broken.ehm", "--input", tmp_path / "x.csv",
                                   "--output", tmp_path / "s.csv"], {}),
        "4 child process cannot start": (4, ["report", "--data", tmp_path, "--as-of", "2024-01-01", "--out",
                                             tmp_path / "r.html"],
                                         {"EARLYHELP_PYTHON": str(tmp_path / "no-python")}),
    }


@pytest.mark.parametrize("case", ["0 ok", "1 rejected rows with --strict", "2 unknown stream", "2 output is the input",
                                  "3 missing input file", "3 settings file with an unknown key", "3 truncated bundle", "4 child process cannot start"])
def test_cli_exit_codes_are_the_documented_ones_with_and_without_json(cli, extract, bundle, tmp_path, case):
    code, args, env = _exit_cases(cli, extract, bundle, tmp_path)[case]
    r = _run(cli, "--no-audit", *args, env=env)
    assert r.returncode == code, r.stderr
    j = _run(cli, "--no-audit", *args, "--json", env=env)
    assert j.returncode == code, j.stderr
    summary = json.loads(j.stdout)  # one object, nothing else on stdout
    assert summary["exit_code"] == code
    assert summary["status"] == {0: "ok", 1: "failed"}.get(code, "error")
    assert ("error" in summary) == (code >= 2)


def test_cli_bad_command_line_is_exit_2(cli):
    assert _run(cli, "validate", "--stream").returncode == 2
    assert _run(cli, "link", "--no-such-option").returncode == 2


def test_cli_json_summary_of_validate_names_files_rows_and_audit_record(cli, extract, tmp_path):
    log = tmp_path / "audit.jsonl"
    r = _run(cli, "--audit-log", log, "validate", "--stream", "school_attendance", "--input", extract, "--output",
             tmp_path / "o.csv", "--rejects", tmp_path / "r.csv", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["verb"] == "validate" and s["status"] == "ok"
    assert s["rows"] == {"in": 1, "out": 0, "rejected": 1}
    assert s["counts"]["rows_read"] == 1
    assert {f["role"] for f in s["inputs"]} == {"input"}
    assert {f["role"] for f in s["outputs"]} == {"output", "rejects"}
    assert "validate" in s["timings"]["stages"] and s["timings"]["total_seconds"] >= 0
    record = json.loads(log.read_text().splitlines()[-1])
    assert s["audit_record_id"] == record["run_id"]
    assert "read 1 clean 0 rejected 1" in r.stderr  # the human line moved to stderr
    r = _run(cli, "--no-audit", "validate", "--stream", "school_attendance", "--input", extract, "--output",
             tmp_path / "o.csv", "--rejects", tmp_path / "r.csv", "--json")
    assert json.loads(r.stdout)["audit_record_id"] is None


def test_cli_validate_audit_digests_come_from_the_bytes_as_they_passed(cli, extract, tmp_path):
    # The audit record describes each file by SHA-256 and size taken while validating: the same
    # as hashing the files afterwards, and standard input and output get one too.
    import hashlib

    def described(log, role):
        files = json.loads(log.read_text().splitlines()[-1])["files"]
        return next(f for f in files if f["role"] == role)

    log = tmp_path / "audit.jsonl"
    r = _run(cli, "--audit-log", log, "validate", "--stream", "school_attendance", "--input", extract, "--output",
             tmp_path / "o.csv", "--rejects", tmp_path / "r.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    for role, path in (("input", extract), ("output", tmp_path / "o.csv"), ("rejects", tmp_path / "r.csv")):
        data = path.read_bytes()
        assert described(log, role)["sha256"] == hashlib.sha256(data).hexdigest()
        assert described(log, role)["bytes"] == len(data)
    text = extract.read_text()
    r = _run(cli, "--audit-log", log, "validate", "--stream", "school_attendance", "--input", "-", "--output", "-",
             "--rejects", tmp_path / "r.csv", "--quiet", stdin=text)
    assert r.returncode == 0, r.stderr
    assert described(log, "input")["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert described(log, "output")["sha256"] == hashlib.sha256(r.stdout.encode()).hexdigest()
    assert described(log, "output")["bytes"] == len(r.stdout.encode()) > 0


def test_cli_json_summary_of_link_has_stage_timings_and_warnings(cli, records, tmp_path):
    r = _run(cli, "--no-audit", "link", "--input", records, "--output", tmp_path / "p.csv", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["rows"] == {"in": 6, "out": 6, "rejected": 0}
    assert s["counts"]["records"] == 6
    assert {"read", "fit", "predict", "cluster"} <= set(s["timings"]["stages"])
    assert isinstance(s["warnings"], list)
    assert "Smith" not in r.stdout and "1980" not in r.stdout  # no record value in the summary


@pytest.mark.parametrize("args", [
    ["validate", "--stream", "school_attendance", "--input", "{extract}", "--output", "-", "--rejects", "{tmp}/r.csv"],
    ["validate", "--stream", "school_attendance", "--input", "{extract}", "--output", "{tmp}/o.csv", "--rejects", "-"],
    ["link", "--input", "{records}", "--output", "-"],
    ["score", "--model", "{bundle}", "--input", "{tmp}/x.csv", "--output", "-"],
    ["keygen", "--out", "-"],
])
def test_cli_json_refuses_an_output_on_stdout(cli, extract, records, bundle, tmp_path, args):
    args = [a.format(extract=extract, records=records, bundle=bundle, tmp=tmp_path) for a in args]
    r = _run(cli, "--no-audit", *args, "--json")
    assert r.returncode == 2, r.stderr
    assert "--json prints the run's summary on standard output" in r.stderr
    assert json.loads(r.stdout)["exit_code"] == 2  # the summary alone: no data was written
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "r.csv").exists()


def test_cli_progress_only_when_forced_on_a_pipe(cli, records, tmp_path):
    base = ["--no-audit", "link", "--input", records, "--output", tmp_path / "p.csv"]
    quiet = _run(cli, *base)
    assert quiet.returncode == 0 and "link: fit" not in quiet.stderr  # stderr is not a terminal
    forced = _run(cli, *base, "--progress")
    assert forced.returncode == 0
    lines = [l for l in forced.stderr.splitlines() if l.startswith("link: ") and "/" in l and "%" in l]
    assert any(l.startswith("link: fit 0/") for l in lines) and any(l.startswith("link: cluster 1/1") for l in lines)
    assert len(forced.stdout.splitlines()) == len(quiet.stdout.splitlines()) == 1  # stdout untouched


def test_cli_stdin_for_json_and_bundle_inputs(cli, records, bundle, tmp_path):
    settings = json.dumps({"n_threads": 1})
    r = _run(cli, "--no-audit", "link", "--input", records, "--settings", "-", "--output", tmp_path / "p.csv",
             stdin=settings)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([cli, "--no-audit", "score", "--model", "-", "--input", str(tmp_path / "x.csv"), "--output",
                        "-"], input=bundle.read_bytes(), capture_output=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines()[0] == "score"
    r = subprocess.run([cli, "model", "info", "-", "--json"], input=bundle.read_bytes(), capture_output=True)
    assert r.returncode == 0 and json.loads(r.stdout)["counts"]["features"] == 2
    schema = _run(cli, "schema", "--format", "json").stdout
    r = _run(cli, "schema", "--schema", "-", "--stream", "school_attendance", stdin=schema)
    assert r.returncode == 0 and "school_attendance" in r.stdout
    r = _run(cli, "--no-audit", "score", "--model", "-", "--input", "-", "--output", tmp_path / "s.csv")
    assert r.returncode == 2 and "only one can" in r.stderr


def test_cli_savings_config_from_stdin_and_result_in_json(cli):
    cfg = json.dumps({"name": "Team", "eligible": 80, "effect": {"weeks_saved": 14},
                      "savings": [{"item": "avoided cost per family per week", "amount": 435, "cashable": True}]})
    r = _run(cli, "--no-audit", "savings", "--config", "-", "--json", stdin=cfg)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["verb"] == "savings" and s["result"]["gross"] == 487200


def test_cli_features_to_stdout(cli, synth_and_link, tmp_path):
    data = synth_and_link(tmp_path, 300, 3, "2024-03-31")
    r = subprocess.run([cli, "--no-audit", "features", "--data", str(data), "--persons", str(tmp_path / "persons.csv"),
                        "--as-of", "2024-03-31", "--output", "-", "--quiet"], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("person_id,as_of,") and len(r.stdout.splitlines()) > 100
    assert "rows " in r.stderr  # the summary line went to stderr
    assert not (tmp_path / "-").exists()


def test_cli_key_from_standard_input_and_dash_refused_for_folders_and_databases(cli, records, tmp_path):
    key = _run(cli, "--no-audit", "keygen", "--out", "-").stdout  # a key straight from a secrets store
    (tmp_path / "k.key").write_text(key)
    piped = _run(cli, "--no-audit", "pseudonymise", "--key-file", "-", "--columns", "record_id", "--input", records,
                 "--output", tmp_path / "a.csv", stdin=key)
    assert piped.returncode == 0, piped.stderr
    filed = _run(cli, "--no-audit", "pseudonymise", "--key-file", tmp_path / "k.key", "--columns", "record_id",
                 "--input", records, "--output", tmp_path / "b.csv")
    assert filed.returncode == 0 and (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    r = _run(cli, "--no-audit", "encode", "--key-file", "-", "--input", "-", "--output", tmp_path / "c.csv", stdin=key)
    assert r.returncode == 2 and "only one can" in r.stderr
    # A folder or a SQLite database cannot be '-': exit 2 naming the option, before anything runs;
    # --help says so beside the option.
    for args, option in [(["features", "--data", "-", "--persons", records, "--as-of", "2024-01-01", "--output",
                           tmp_path / "f.csv"], "--data"),
                         (["synth", "--persons", "100", "--out", "-"], "--out"),
                         (["profile", "--data", tmp_path, "--as-of", "2024-01-01", "--history", "-", "--output",
                           tmp_path / "a.csv"], "--history"),
                         (["tf", "--data", tmp_path, "--as-of", "2024-01-01", "--persons", "-", "--output",
                           tmp_path / "t.csv"], "--persons")]:
        r = _run(cli, "--no-audit", *args)
        assert r.returncode == 2 and f"{option} cannot be '-'" in r.stderr, (args, r.stderr)
        assert "(not '-':" in " ".join(_run(cli, args[0], "--help").stdout.split())
    assert not (tmp_path / "f.csv").exists() and not (tmp_path / "-").exists()
    r = _run(cli, "--audit-log", "-", "version")
    assert r.returncode == 2 and "--audit-log cannot be '-'" in r.stderr and not (tmp_path / "-").exists()


def test_cli_progress_stages_of_tf_backtest_and_training_come_from_the_library(cli, synth_and_link, tmp_path):
    """tf, forecast --backtest and profile --train report the library's own stages (timed in
    --json, drawn on stderr with --progress), not one stage wrapped around the call."""
    data = synth_and_link(tmp_path, 300, 3, "2024-03-31")

    def stages(*args):
        r = _run(cli, "--no-audit", *args, "--json")
        assert r.returncode == 0, r.stderr
        return set(json.loads(r.stdout)["timings"]["stages"])

    homes = tmp_path / "households.csv"
    assert {"load", "family features", "person features", "evidence"} <= stages(
        "tf", "--data", data, "--persons", homes, "--as-of", "2024-03-31", "--output", tmp_path / "t.csv")
    assert {"fit", "project"} <= stages("forecast", "--data", data, "--backtest", "--backtest-months", "3",
                                        "--simulations", "20", "--out", tmp_path / "fc")
    assert {"asb load", "asb features", "asb fit"} <= stages(
        "profile", "--train", "--data", data, "--persons", homes, "--domains", "asb", "--as-of",
        "2022-03-31,2022-09-30", "--evaluation-start", "2023-04-01", "--models", tmp_path / "m")
    r = _run(cli, "--no-audit", "tf", "--data", data, "--persons", homes, "--as-of", "2024-03-31", "--output",
             tmp_path / "t.csv", "--progress", "--quiet")
    assert "tf: person features 0/" in r.stderr and "tf: evidence 1/1 (100%)" in r.stderr
