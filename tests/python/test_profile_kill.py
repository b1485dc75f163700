# SPDX-License-Identifier: Apache-2.0
"""The alert history survives a kill: `earlyhelp profile --history` runs killed at random moments on
two dates, each date then run to the end, leave the history holding exactly what uninterrupted runs
record (no alert twice, none lost, no assessment half written), the alerts file whole or absent,
and an unbroken audit chain with a record for every run that finished."""
import json
import random
import signal
import sqlite3
import subprocess
import time

import earlyhelp

DAYS = ("2024-01-01", "2024-04-01")
# Columns that say when a row was written, not what it holds.
WHEN = {"recorded_utc"}


def _history(path):
    """Every row of the history's tables, without the time each was written, sorted."""
    db = sqlite3.connect(path)
    try:
        out = {}
        for table in ("runs", "assessments", "alerts"):
            cursor = db.execute(f"SELECT * FROM {table}")
            keep = [i for i, d in enumerate(cursor.description) if d[0] not in WHEN]
            out[table] = sorted(tuple(row[i] for i in keep) for row in cursor.fetchall())
        return out
    finally:
        db.close()


def test_profile_runs_killed_at_random_leave_the_history_an_uninterrupted_run_leaves(cli, synth_and_link, tmp_path):
    data = synth_and_link(tmp_path, 800, 31, DAYS[1])
    persons = tmp_path / "households.csv"
    audit = tmp_path / "audit.jsonl"

    def start(history, day, alerts, audit_args=("--no-audit",)):
        return subprocess.Popen(
            [cli, *audit_args, "profile", "--data", str(data), "--as-of", day, "--persons", str(persons), "--history",
             str(history), "--output", str(alerts), "--threads", "1", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    # The uninterrupted runs, and how long one takes here.
    durations = []
    for day in DAYS:
        began = time.monotonic()
        p = start(tmp_path / "reference.sqlite", day, tmp_path / f"reference-{day}.csv")
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        durations.append(time.monotonic() - began)
    reference = _history(tmp_path / "reference.sqlite")
    assert reference["alerts"], "the second date raises alerts, or the test would prove nothing"

    rng = random.Random(20261207)  # the same kill moments on every run of the test
    history = tmp_path / "history.sqlite"
    finished = killed = 0
    for day, duration in zip(DAYS, durations):
        alerts = tmp_path / f"alerts-{day}.csv"
        for _ in range(4):
            p = start(history, day, alerts, ("--audit-log", str(audit)))
            time.sleep(rng.uniform(0.05, 1.0) * duration)
            p.send_signal(signal.SIGKILL)
            _, err = p.communicate(timeout=120)
            assert p.returncode in (0, -signal.SIGKILL), err
            killed += p.returncode == -signal.SIGKILL
            finished += p.returncode == 0
            # Whatever the kill left, the alerts file is whole or absent.
            if alerts.exists():
                assert alerts.read_bytes() == (tmp_path / f"reference-{day}.csv").read_bytes()
        # The rerun of the date, to the end (a date already recorded is a rerun: nothing added twice).
        p = start(history, day, alerts, ("--audit-log", str(audit)))
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        finished += 1
        assert alerts.read_bytes() == (tmp_path / f"reference-{day}.csv").read_bytes()
    assert killed >= 4, "too few runs were killed for the test to mean anything"

    assert _history(history) == reference
    v = earlyhelp.governance.verify_audit_log(str(audit))
    assert v["ok"], v["message"]
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert finished <= len(records) <= 10
    assert all(rec["action"] == "profile" and rec["status"] == "ok" for rec in records)
