# SPDX-License-Identifier: Apache-2.0
"""Demand forecasting and savings end to end: CLI verbs, Python functions, back-test, audit."""
import json
import os
import subprocess

import pandas as pd
import pytest

import earlyhelp

EDGE_OF_CARE = {
    # The public-health report's edge-of-care case (see tests/cpp/test_forecast.cpp for where the
    # per-child amounts come from).
    "name": "Edge of care", "eligible": 135.5, "unit": "family", "cost_per_unit": 2285,
    "effect": {"outcomes": 21.7, "outcome": "children prevented from entering care"},
    "savings": [{"item": "placement", "amount": 29923.09, "cashable": True},
                {"item": "other costs of care", "amount": 40803.69, "cashable": False}],
}


@pytest.fixture(scope="module")
def council(cli, tmp_path_factory):
    """A small synthetic council with placement types and four years of history."""
    d = tmp_path_factory.mktemp("forecast") / "council"
    r = subprocess.run([cli, "--no-audit", "synth", "--persons", "20000", "--seed", "5", "--start", "2021-04-01",
                        "--optional-columns", "--quiet", "--out", str(d)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return d


def test_forecast_cli_writes_the_issue_files_and_audits(cli, council, tmp_path):
    log = tmp_path / "audit.jsonl"
    out = tmp_path / "fc"
    r = subprocess.run([cli, "--audit-log", str(log), "forecast", "--data", str(council), "--as-of", "2025-04-01",
                        "--horizon", "5y", "--scenarios", "trend,population,target:67", "--simulations", "50",
                        "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    f = pd.read_csv(out / "forecast.csv")
    assert list(f.columns) == ["date", "scenario", "state", "count_mean", "count_p05", "count_p50", "count_p95",
                               "cost_mean", "cost_p05", "cost_p95"]
    assert set(f["scenario"]) == {"observed", "trend", "population", "target:67"}
    assert {"cin", "cpp", "lac", "lac:foster", "lac:residential"} <= set(f["state"])
    # Observed strictly before the as-of date, forecasts after it; bands are ordered.
    assert (pd.to_datetime(f[f.scenario == "observed"]["date"]) < "2025-04-01").all()
    proj = f[f.scenario != "observed"]
    assert (pd.to_datetime(proj["date"]) > "2025-04-01").all()
    assert len(proj[(proj.scenario == "trend") & (proj.state == "lac")]) == 60
    assert (proj["count_p05"] <= proj["count_p50"] + 1e-9).all() and (proj["count_p50"] <= proj["count_p95"] + 1e-9).all()
    cc = pd.read_csv(out / "cost_change.csv")
    assert sorted(set(cc["years"])) == [3, 5]
    assert "Looked-after children at" in r.stdout
    rec = json.loads(log.read_text().splitlines()[-1])
    assert rec["action"] == "forecast" and rec["status"] == "ok"
    assert {"forecast.csv", "summary.txt"} <= {x["role"] for x in rec["files"]}


def test_forecast_cli_errors_name_the_problem(cli, council, tmp_path):
    r = subprocess.run([cli, "--no-audit", "forecast", "--data", str(council), "--as-of", "2025-04-01",
                        "--horizon", "30y", "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert r.returncode == 2 and "--horizon '30y'" in r.stderr
    r = subprocess.run([cli, "--no-audit", "forecast", "--data", str(council), "--as-of", "2025-04-01",
                        "--horizon", "999999999y", "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert r.returncode == 2 and "from 1 month to 20 years" in r.stderr
    r = subprocess.run([cli, "--no-audit", "forecast", "--data", str(council), "--as-of", "2025-04-01",
                        "--scenarios", "target:lots", "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert r.returncode == 2 and "target rate per 10,000" in r.stderr
    pop = tmp_path / "pop.csv"
    pop.write_text("year,age,sex,population\n2024,0,F,100\n2024,1,F,many\n")
    r = subprocess.run([cli, "--no-audit", "forecast", "--data", str(council), "--as-of", "2025-04-01",
                        "--population", str(pop), "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert r.returncode != 0 and "pop.csv: row 2" in r.stderr and "population" in r.stderr


def test_forecast_backtest_runs_and_scores_every_method(cli, council, tmp_path):
    out = tmp_path / "bt"
    r = subprocess.run([cli, "--no-audit", "forecast", "--backtest", "--data", str(council), "--simulations", "50",
                        "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = pd.read_csv(out / "backtest.csv")
    assert len(rows) == 12 * 3
    scores = pd.read_csv(out / "backtest_scores.csv")
    assert set(scores["method"]) == {"model", "naive", "linear"}
    assert (scores["mape"] >= 0).all()
    hist = pd.read_csv(out / "backtest_history.csv")
    assert pd.to_datetime(hist["date"]).max() < pd.to_datetime(rows["date"]).min()


def test_python_forecast_matches_the_cli_and_draws_figures(cli, council, tmp_path):
    r = earlyhelp.forecast(council, as_of="2025-04-01", horizon="3y", scenarios="population", simulations=50,
                           out=tmp_path / "py")
    assert isinstance(r.forecast, pd.DataFrame) and set(r.forecast["scenario"]) == {"observed", "population"}
    cli_rows = pd.read_csv(tmp_path / "py" / "forecast.csv")
    assert len(cli_rows) == len(r.forecast)
    assert r.figures["counts"].axes[0].get_title().startswith("Looked-after children")
    assert (tmp_path / "py" / "forecast_counts.png").stat().st_size > 0
    assert list(r.cost_change["years"]) == [3]
    # Leaving care by months in care: the same table as leaving_care.csv.
    lc = pd.read_csv(tmp_path / "py" / "leaving_care.csv", dtype={"months_in_care": str})
    assert list(r.leaving_care["months_in_care"]) == list(lc["months_in_care"]) == ["0", "1-2", "3-5", "6-11", "12-23", "24+"]
    assert r.leaving_care["child_months"].sum() > 0 and (r.leaving_care["hazard_ratio"] > 0).all()
    told = []
    bt = earlyhelp.forecast(council, backtest=True, simulations=20, progress=lambda *a: told.append(a))
    assert set(bt.scores["state"]) == {"cin", "cpp", "lac"}
    assert ("fit", 1, 1) in told and told[-1][0] == "project" and told[-1][1] == told[-1][2]  # its forecast's stages
    with pytest.raises(earlyhelp.InvalidArgument, match="horizon"):
        earlyhelp.forecast(council, as_of="2025-04-01", horizon="21y")


def test_savings_reproduces_both_published_cases(cli, tmp_path):
    df = earlyhelp.savings(EDGE_OF_CARE)
    row = df.iloc[0]
    assert (row["cost_gbp"], row["gross_gbp"], row["net_gbp"], row["cashable_gbp"]) == (309618, 1534771, 1225153, 649331)
    assert list(df.attrs["items"]["item"]) == ["placement", "other costs of care"]
    team = {"name": "Short-term family team", "eligible": 80, "effect": {"weeks_saved": 38 - 24},
            "savings": [{"item": "avoided cost per family per week", "amount": 435, "cashable": True}]}
    t = earlyhelp.savings(json.dumps(team)).iloc[0]
    assert t["gross_per_unit"] == 6090 and t["gross_gbp"] == 487200
    cfg = tmp_path / "edge.json"
    cfg.write_text(json.dumps(EDGE_OF_CARE))
    r = subprocess.run([cli, "--no-audit", "savings", "--config", str(cfg)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "GBP 1,534,771" in r.stdout and "GBP 1,225,153" in r.stdout and "GBP 649,331" in r.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"eligible": 3, "effect": {"outcomes": 1}, "savings": [{"amount": "lots"}]}')
    r = subprocess.run([cli, "--no-audit", "savings", "--config", str(bad)], capture_output=True, text=True)
    assert r.returncode == 3 and "bad.json: savings[0]: 'amount' must be a number" in r.stderr  # a malformed input file: 3, as for a schema
