# SPDX-License-Identifier: Apache-2.0
"""earlyhelp.decide_alerts and earlyhelp.AlertHistory: DataFrames in and out, the same rules as the
C++ policy (tests/cpp/test_profiling_alerts.cpp tests each rule in depth)."""
import sqlite3

import pandas as pd
import pytest

import earlyhelp

SHA = "c" * 64
MODEL = {"name": "asb-reference", "version": "1.0.0", "sha256": SHA}


def assessments(p1_score, in_contact=True, features=("asb_incidents_90d",)):
    return pd.DataFrame({
        "person_id": ["p1", "p2", "p3"],
        "score": [p1_score, 0.1, 0.9],
        "band": ["high", "low", "high"],
        "alerting_features": [list(features), [], "asb_incidents_90d; police_da_90d"],
        "reasons": [["3 anti-social behaviour incidents in the last 90 days"], None, "2 police notifications"],
        "in_contact": [in_contact, True, False],
    })


def test_decide_alerts_without_history_then_with_previous_state():
    first = earlyhelp.decide_alerts(assessments(0.4), domain="asb", as_of="2024-02-29", model=MODEL, threshold=0.3)
    assert first.alerts.empty  # everyone is a first assessment: a baseline
    assert list(first.decisions["blocked_by"]) == ["first_assessment", "below_threshold;first_assessment",
                                                   "first_assessment;not_in_contact"]
    previous = pd.DataFrame({"person_id": ["p1"], "previous_score": [0.25], "previous_as_of": ["2024-01-31"],
                             "previous_alerting_features": [["asb_incidents_90d"]]})
    run = earlyhelp.decide_alerts(assessments(0.4), domain="asb", as_of=pd.Timestamp("2024-02-29"), model=MODEL,
                                  threshold=0.3, previous=previous)
    assert list(run.alerts.columns) == ["person_id", "domain", "as_of", "score", "band", "previous_score",
                                        "previous_as_of", "new_features", "reasons", "model", "model_version",
                                        "model_sha256"]
    assert run.alerts["person_id"].tolist() == ["p1"]
    a = run.alerts.iloc[0]
    assert (a["score"], a["previous_score"], a["previous_as_of"]) == (0.4, 0.25, "2024-01-31")
    assert a["reasons"] == ["3 anti-social behaviour incidents in the last 90 days"]
    assert a["model_sha256"] == SHA
    assert "action" not in " ".join(run.alerts.columns)  # never a recommended action
    # The cool-down alone blocks it.
    previous["last_alert_as_of"] = ["2024-02-01"]
    cooled = earlyhelp.decide_alerts(assessments(0.4), domain="asb", as_of="2024-02-29", model=MODEL, threshold=0.3,
                                     previous=previous)
    assert cooled.alerts.empty
    assert cooled.decisions.loc[0, "blocked_by"] == "cooldown"
    # The policy is configurable.
    lenient = earlyhelp.AlertPolicy(alert_on_first_assessment=True, require_contact=False)
    assert sorted(earlyhelp.decide_alerts(assessments(0.4), domain="asb", as_of="2024-02-29", model=MODEL,
                                          threshold=0.3, policy=lenient).alerts["person_id"]) == ["p1", "p3"]


def test_history_records_once_and_survives_reopening(tmp_path):
    path = tmp_path / "alerts.sqlite"
    h = earlyhelp.AlertHistory(path)
    assert h.schema_version == 1
    kw = dict(domain="asb", model=MODEL, threshold=0.3)
    assert h.record(assessments(0.25), as_of="2024-01-31", **kw).alerts.empty
    second = h.record(assessments(0.40), as_of="2024-02-29", **kw)
    assert second.alerts["person_id"].tolist() == ["p1"]
    assert second.alerts.attrs == {"rerun": False, "alerts_added": 1}
    again = h.record(assessments(0.40), as_of="2024-02-29", **kw)
    assert again.alerts["person_id"].tolist() == ["p1"]
    assert again.alerts.attrs == {"rerun": True, "alerts_added": 0}
    assert h.decide(assessments(0.9), as_of="2024-03-31", **kw).decisions.loc[0, "blocked_by"] == "cooldown"
    with pytest.raises(earlyhelp.StateError, match="later run"):
        h.record(assessments(0.9), as_of="2024-01-01", **kw)
    del h
    h = earlyhelp.AlertHistory(str(path))
    stored = h.alerts("asb")
    assert stored["subject_id"].tolist() == ["p1"] and stored["subject_kind"].tolist() == ["person"]
    assert h.runs()["as_of"].tolist() == ["2024-01-31", "2024-02-29"]
    assert h.runs()["alerts"].tolist() == [0, 1]


def test_families_and_bad_input(tmp_path):
    fam = assessments(0.4).rename(columns={"person_id": "family_id"})
    run = earlyhelp.decide_alerts(fam, domain="homelessness", as_of="2024-02-29", model=("m", "1", SHA),
                                  threshold=0.3, policy=earlyhelp.AlertPolicy(alert_on_first_assessment=True))
    assert run.alerts.columns[0] == "family_id" and run.decisions.columns[0] == "family_id"
    with pytest.raises(earlyhelp.InvalidArgument, match="exactly one of the columns person_id or family_id"):
        earlyhelp.decide_alerts(fam.assign(person_id="x"), domain="asb", as_of="2024-02-29", model=MODEL,
                                threshold=0.3)
    with pytest.raises(earlyhelp.InvalidArgument, match="no 'in_contact' column"):
        earlyhelp.decide_alerts(assessments(0.4).drop(columns="in_contact"), domain="asb", as_of="2024-02-29",
                                model=MODEL, threshold=0.3)
    with pytest.raises(earlyhelp.InvalidArgument, match="sha256"):
        earlyhelp.decide_alerts(assessments(0.4), domain="asb", as_of="2024-02-29",
                                model={"name": "m", "version": "1", "sha256": "xyz"}, threshold=0.3)
    with pytest.raises(earlyhelp.InvalidArgument, match="not a date"):
        earlyhelp.decide_alerts(assessments(0.4), domain="asb", as_of="31/13/2024", model=MODEL, threshold=0.3)
    with pytest.raises(earlyhelp.InvalidArgument, match="row 1 has score nan"):
        earlyhelp.decide_alerts(assessments(0.4).assign(score=[0.4, None, 0.2]), domain="asb",
                                as_of="2024-02-29", model=MODEL, threshold=0.3)
    with pytest.raises(earlyhelp.InvalidArgument, match="not numbers"):
        earlyhelp.decide_alerts(assessments(0.4).assign(score=["high", "low", "x"]), domain="asb",
                                as_of="2024-02-29", model=MODEL, threshold=0.3)
    newer = tmp_path / "newer.sqlite"
    with sqlite3.connect(newer) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        db.execute("INSERT INTO schema_version VALUES (7)")
    db.close()
    with pytest.raises(earlyhelp.FormatError, match="newer earlyhelp .history schema version 7; this build reads up to 1"):
        earlyhelp.AlertHistory(newer)
