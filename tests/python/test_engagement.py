# SPDX-License-Identifier: Apache-2.0
"""The Troubled Families engagement model end to end: synth --early-help, the CLI verb, Python."""
import subprocess

import pandas as pd
import pytest

import earlyhelp


@pytest.fixture(scope="module")
def council(cli, tmp_path_factory):
    """A small synthetic council with early-help episodes and four years of history."""
    d = tmp_path_factory.mktemp("engagement") / "council"
    r = subprocess.run([cli, "--no-audit", "synth", "--persons", "20000", "--seed", "9", "--start", "2021-04-01",
                        "--early-help", "--quiet", "--out", str(d)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return d


def test_cli_lists_families_with_the_calculators_avoided_cost(cli, council, tmp_path):
    out, model = tmp_path / "families.csv", tmp_path / "model.csv"
    r = subprocess.run([cli, "--no-audit", "engagement", "--data", str(council), "--as-of", "2024-10-01",
                        "--out", str(out), "--model", str(model)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "advisory" in r.stdout
    fam = pd.read_csv(out)
    assert list(fam.columns) == ["family_ref", "record_id", "start_date", "weeks_engaged", "problems", "p_short",
                                 "p_achieved", "expected_weeks", "listed", "weeks_saved", "avoided_cost"]
    assert len(fam) > 0 and fam.p_short.between(0, 1).all()
    assert (fam.listed == (fam.p_short >= 0.5)).all()
    listed = fam[fam.listed]
    # GBP 435 a week of engagement saved, rounded to the pound (the savings calculator)
    assert ((listed.avoided_cost - 435 * listed.weeks_saved).abs() <= 0.5 + 435 * 0.05).all()
    assert (fam[~fam.listed].avoided_cost == 0).all()
    coef = pd.read_csv(model)
    assert coef.feature.iloc[0] == "intercept" and "problem_domestic_abuse" in set(coef.feature)
    # Python calls the same library function: the same families and numbers.
    py = earlyhelp.engagement(council, as_of="2024-10-01")
    assert py.family_ref.astype(str).tolist() == fam.family_ref.astype(str).tolist()
    assert py.p_short.tolist() == fam.p_short.tolist()
    assert "families open on 2024-10-01" in py.attrs["summary"]


def test_backtest_judges_the_episodes_after_the_split(cli, council, tmp_path):
    ev_path = tmp_path / "evaluation.csv"
    r = subprocess.run([cli, "--no-audit", "engagement", "--data", str(council), "--as-of", "2023-10-01", "--backtest",
                        "--out", str(ev_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    ev = dict(pd.read_csv(ev_path).itertuples(index=False, name=None))
    assert ev["test_episodes"] > 0 and ev["train_episodes"] > 0
    assert 0 <= ev["brier"] <= 1 and "calibration:problems:2:observed" in ev
    py = earlyhelp.engagement(council, as_of="2023-10-01", backtest=True)
    assert dict(py.itertuples(index=False, name=None))["brier"] == pytest.approx(ev["brier"])


def test_bad_rows_are_rejected_by_row_and_field(cli, council, tmp_path):
    src = (council / "early_help_episodes.csv").read_text().splitlines()
    header, row = src[0], src[1].split(",")
    start = header.split(",").index("start_date")
    row[start] = "31/02/2023"
    bad = tmp_path / "eh.csv"
    bad.write_text("\n".join([header, ",".join(row)] + src[2:]) + "\n")
    rejects = tmp_path / "rejects.csv"
    r = subprocess.run([cli, "--no-audit", "engagement", "--episodes", str(bad), "--as-of", "2024-10-01",
                        "--out", str(tmp_path / "f.csv"), "--rejects", str(rejects)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rej = pd.read_csv(rejects)
    assert len(rej) == 1 and rej.field[0] == "start_date" and rej.row[0] == 1
    assert "31/02/2023" not in rejects.read_text()  # no cell values in the rejects' reasons
    r = subprocess.run([cli, "--no-audit", "engagement", "--data", str(tmp_path), "--as-of", "2024-10-01", "--out", "-"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "early_help_episodes.csv" in r.stderr


def test_python_synth_draws_the_stream_only_on_request():
    plain = earlyhelp.synth.generate(persons=3000, seed=2)
    extra = earlyhelp.synth.generate(persons=3000, seed=2, early_help=True)
    assert "early_help_episodes" not in plain and "early_help_episodes" in extra
    pd.testing.assert_frame_equal(plain["police_domestic_abuse"], extra["police_domestic_abuse"])


def test_one_familys_prediction_equals_its_row_of_the_fit(council):
    """EngagementModel.predict (forecast::score_engagement through parse_engagement_episode, the C
    API's eh_engagement_predict) scores an open episode given as a row as the fit scored it."""
    m = earlyhelp.EngagementModel.fit(council, as_of="2024-10-01")
    fam = m.families
    assert len(fam) > 0 and "p_short" in fam and len(m.coefficients) > 1
    episodes = pd.read_csv(council / "early_help_episodes.csv", dtype=str, keep_default_na=False)
    clean, _ = earlyhelp.read_csv(council / "early_help_episodes.csv", "early_help_episodes")  # dates as read
    checked = 0
    for want in list(fam.itertuples(index=False))[:: max(1, len(fam) // 6)]:
        row = episodes[episodes.record_id == want.record_id].iloc[0]  # the row as the extract holds it
        # The family's earlier episodes, as the file's reader counts them.
        start = clean.start_date[clean.record_id == want.record_id].iloc[0]
        earlier = int(((clean.family_ref == row.family_ref) & (clean.start_date < start)).sum())
        got = m.predict(row.to_dict(), earlier_episodes=earlier)
        assert got["p_short"] == pytest.approx(want.p_short, abs=5e-5)
        assert got["p_achieved"] == pytest.approx(want.p_achieved, abs=5e-5)
        assert got["expected_weeks"] == pytest.approx(want.expected_weeks, abs=0.05)
        assert got["listed"] == bool(want.listed) and got["problems"] == want.problems
        assert got["avoided_cost"] == pytest.approx(want.avoided_cost, abs=0.5)
        checked += 1
    assert checked >= 2
    row = episodes[episodes.record_id == fam.record_id[0]].iloc[0].to_dict()
    with pytest.raises(earlyhelp.InvalidArgument, match="start_date"):
        m.predict({**row, "start_date": "31/02/2023"})
    assert "31/02/2023" not in str(pytest.raises(earlyhelp.InvalidArgument, m.predict,
                                                 {**row, "start_date": "31/02/2023"}).value)
