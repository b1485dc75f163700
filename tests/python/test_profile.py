# SPDX-License-Identifier: Apache-2.0
"""Risk profiles: `earlyhelp profile` and `earlyhelp.profile()` on a linked synthetic council with
the shipped reference models: the issue's columns, a family's score for each member, alerts only
on change (against the history of a previous date) with reasons and the bundle's SHA-256, the CLI
and Python agree, retraining on the council's own history, errors, and without --persons: the
extracts linked first, the persons file written beside the output."""
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


def test_without_persons_it_links_first_and_writes_the_persons_beside_the_output(cli, council, cli_runs, tmp_path):
    data, homes, _ = council
    r = _run(cli, "--no-audit", "profile", "--data", data, "--as-of", SECOND, "--output", tmp_path / "alerts.csv",
             "--scores", tmp_path / "scores.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "linking the extracts" in r.stderr
    # The persons and households are those `earlyhelp link --data --households --as-of` gives for that date.
    linked = pd.read_csv(tmp_path / "persons.csv", dtype=str, keep_default_na=False)
    given = pd.read_csv(homes, dtype=str, keep_default_na=False)
    keys = ["source", "record_id"]
    cols = keys + ["person_id", "household_id", "role"]
    assert len(linked) == len(given) > 1000
    pd.testing.assert_frame_equal(linked[cols].sort_values(keys).reset_index(drop=True),
                                  given[cols].sort_values(keys).reset_index(drop=True))
    # And the scores are those of the run given that linkage (scores do not depend on the history).
    order = ["domain", "person_id"]
    mine = _read(tmp_path / "scores.csv").sort_values(order).reset_index(drop=True)
    theirs = cli_runs[1][1].sort_values(order).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs)


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


def test_score_row_gives_one_persons_score_and_reasons_as_profile_does(cli_runs, council):
    data, homes, _ = council
    scores = cli_runs[1][1]
    asb = scores[scores["domain"] == "asb"].sort_values("score", ascending=False)
    top = asb.iloc[0]
    table = earlyhelp.features(data, homes, SECOND, households=homes)
    row = table[table["person_id"] == top["person_id"]].iloc[0].drop(["person_id", "as_of"])
    s = earlyhelp.score_row("asb", row)
    assert s["score"] == pytest.approx(float(top["score"]), abs=5e-6)
    assert s["band"] == top["band"]
    assert s["model"].startswith("asb-reference") and len(s["model_sha256"]) == 64
    assert 1 <= len(s["reasons"]) <= 3 and all(isinstance(r, str) and r for r in s["reasons"])
    # Nothing known: a different (lower) score, and no reasons pushing it up from values.
    empty = earlyhelp.score_row("asb", {})
    assert 0 <= empty["score"] < s["score"]
    with pytest.raises(ValueError, match="not features of domain 'asb' .*: no_such_feature"):
        earlyhelp.score_row("asb", {"no_such_feature": 1.0})
    # A domain with features of its own (homelessness: a family row of its training table) scores
    # as profile scored the family.
    fam = scores[scores["domain"] == "homelessness"].drop_duplicates("family_id").sort_values("score").iloc[-1]
    table = earlyhelp.training_table("homelessness", data, homes, SECOND, households=homes)
    frow = table[table["family_id"] == fam["family_id"]].iloc[0].drop(["family_id", "as_of", "outcome"])
    h = earlyhelp.score_row("homelessness", frow)
    assert h["score"] == pytest.approx(float(fam["score"]), abs=5e-6)
    assert h["model"].startswith("homelessness-reference")
    with pytest.raises(Exception, match="no_such_domain"):
        earlyhelp.score_row("no_such_domain", {})
