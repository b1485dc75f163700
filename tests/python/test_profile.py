# SPDX-License-Identifier: Apache-2.0
"""Risk profiles: `earlyhelp profile` and `earlyhelp.profile()` on a linked synthetic council with
the shipped reference models: the issue's columns, a family's score for each member, alerts only
on change (against the history of a previous date) with reasons and the bundle's SHA-256, the CLI
and Python agree, retraining on the council's own history, errors. (Linking without --persons is
the same code as tf's, tested there, and run by benchmarks/bench_profiling.py.)"""
import hashlib
import subprocess

import pandas as pd
import pytest

import earlyhelp

FIRST, SECOND = "2024-01-01", "2024-04-01"
SCORE_COLUMNS = ["person_id", "family_id", "domain", "as_of", "score", "band"]
ALERT_COLUMNS = ["person_id", "family_id", "domain", "as_of", "score", "band", "previous_score", "reasons", "model",
                 "model_sha256"]


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def council(synth_and_link, tmp_path_factory):
    """A 1,500-person synthetic council linked once: (folder, households file, root)."""
    root = tmp_path_factory.mktemp("profile")
    data = synth_and_link(root, 1500, 12, SECOND)
    return data, root / "households.csv", root


def _read(path):
    return pd.read_csv(path, dtype={"person_id": str, "family_id": str, "reasons": str, "band": str},
                       keep_default_na=False, na_values={"previous_score": [""], "score": [""]})


@pytest.fixture(scope="module")
def cli_runs(cli, council):
    data, homes, root = council
    out = []
    for day in (FIRST, SECOND):
        r = _run(cli, "--no-audit", "profile", "--data", data, "--as-of", day, "--persons", homes,
                 "--history", root / "history.sqlite", "--output", root / f"alerts-{day}.csv",
                 "--scores", root / f"scores-{day}.csv", "--quiet")
        assert r.returncode == 0, r.stderr
        out.append((_read(root / f"alerts-{day}.csv"), _read(root / f"scores-{day}.csv"), r.stdout))
    return out


def test_columns_are_the_issues(cli_runs):
    alerts, scores, stdout = cli_runs[1]
    assert scores.columns.tolist() == SCORE_COLUMNS
    assert alerts.columns.tolist()[:len(ALERT_COLUMNS)] == ALERT_COLUMNS
    assert set(scores["domain"]) == {"safeguarding", "homelessness", "asb", "debt"}
    assert (scores["as_of"] == SECOND).all()
    assert scores["score"].between(0, 1).all()
    assert set(scores["band"]) <= {"low", "medium", "high"}
    assert "advisory" in stdout


def test_a_family_domain_gives_each_member_the_familys_score(cli_runs):
    _, scores, _ = cli_runs[1]
    h = scores[scores["domain"] == "homelessness"]
    assert len(h) > 0 and (h["family_id"] != "").all()
    assert (h.groupby("family_id")["score"].nunique() == 1).all()
    assert h["person_id"].is_unique


def test_alerts_only_on_change_with_reasons_and_the_bundles_hash(cli_runs, source_dir):
    first_alerts, _, _ = cli_runs[0]
    alerts, scores, _ = cli_runs[1]
    assert len(first_alerts) == 0  # a first assessment is the baseline
    assert len(alerts) > 0
    assert alerts["previous_score"].notna().all()
    assert (alerts["score"] >= alerts["previous_score"] + 0.05 - 1e-9).all() or (alerts["new_features"] != "").any()
    assert (alerts["reasons"] != "").all()
    for domain, group in alerts.groupby("domain"):
        digest = hashlib.sha256((source_dir / "lib/profiling/models" / f"{domain}.ehm").read_bytes()).hexdigest()
        assert (group["model_sha256"] == digest).all()
        assert (group["model"] == f"{domain}-reference").all()
        ids = group["family_id"] if domain == "homelessness" else group["person_id"]
        assert (ids != "").all()
    joined = " ".join(alerts["reasons"]).lower()
    assert "recommend" not in joined


def test_python_agrees_with_the_cli(cli_runs, council, tmp_path):
    data, homes, _ = council
    history = tmp_path / "h.sqlite"
    earlyhelp.profile(data, FIRST, persons=str(homes), history=history)
    alerts, scores = earlyhelp.profile(data, SECOND, persons=str(homes), history=history)
    cli_alerts, cli_scores, _ = cli_runs[1]
    assert scores.columns.tolist() == SCORE_COLUMNS
    assert scores["person_id"].tolist() == cli_scores["person_id"].tolist()
    assert scores["score"].round(6).tolist() == cli_scores["score"].tolist()
    assert alerts["person_id"].tolist() == cli_alerts["person_id"].tolist()
    assert alerts["reasons"].tolist() == cli_alerts["reasons"].tolist()
    assert {d["domain"] for d in alerts.attrs["domains"]} == {"safeguarding", "homelessness", "asb", "debt"}


def test_retrain_on_the_councils_history_then_score_with_it(cli, council, tmp_path):
    data, homes, _ = council
    models = tmp_path / "models"
    r = _run(cli, "--no-audit", "profile", "--train", "--data", data, "--persons", homes, "--domains", "asb",
             "--as-of", "2023-04-01,2023-07-01", "--evaluation-start", "2024-01-01", "--models", models)
    assert r.returncode == 0, r.stderr
    m = earlyhelp.Model.load(models / "asb.ehm")
    assert m.info["name"] == "asb-council" and m.info["domain"] == "asb"
    assert "alert" in m.thresholds
    r = _run(cli, "--no-audit", "profile", "--data", data, "--persons", homes, "--domains", "asb", "--as-of", SECOND,
             "--models", models, "--output", tmp_path / "a.csv", "--scores", tmp_path / "s.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "asb-council" in r.stdout
    # Training horizons may not reach the evaluation period.
    r = _run(cli, "--no-audit", "profile", "--train", "--data", data, "--persons", homes, "--domains", "asb",
             "--as-of", "2023-10-01", "--evaluation-start", "2024-01-01", "--models", models)
    assert r.returncode == 2 and "evaluation period" in r.stderr
    py = earlyhelp.train_domain_model("asb", data, ["2023-04-01", "2023-07-01"], "2024-01-01", persons=str(homes))
    assert py.info["evaluation"] == m.info["evaluation"]


def test_errors_name_what_is_wrong(cli, council, tmp_path):
    data, homes, _ = council
    r = _run(cli, "--no-audit", "profile", "--data", data, "--persons", homes, "--as-of", SECOND,
             "--domains", "fraud", "--output", tmp_path / "a.csv")
    assert r.returncode == 2 and "neither a built-in domain" in r.stderr
    r = _run(cli, "--no-audit", "profile", "--data", data, "--persons", homes, "--as-of", SECOND,
             "--model", f"asb={tmp_path / 'missing.ehm'}", "--domains", "asb", "--output", tmp_path / "a.csv")
    assert r.returncode == 3 and "missing.ehm" in r.stderr
    assert not (tmp_path / "a.csv").exists()
