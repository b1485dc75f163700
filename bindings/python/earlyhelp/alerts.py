# SPDX-License-Identifier: Apache-2.0
"""The alert policy and its assessment history, for pandas.

A person or family is alerted only when every rule holds: the score is at or above the domain's
threshold; it got there because circumstances changed since the last assessment (the score rose
by at least ``AlertPolicy.min_rise``, or a new alerting feature appeared); they are already in
contact with a service (the ``in_contact`` column, computed by the caller); and they were not
alerted in the last ``cooldown_days``. An alert carries the score, band, previous score and date,
what changed, the reasons and the model's name, version and SHA-256 — never a recommended action.
The rules live in C++ (``earlyhelp/profiling/alerts.hpp``); this module converts DataFrames.

Assessments are a DataFrame with one row per subject and the columns ``person_id`` or
``family_id`` (exactly one: it says what the domain scores), ``score``, ``in_contact`` (bool),
and optionally ``band``, ``alerting_features`` (a list of names, or one string of names separated
by ';') and ``reasons`` (a list of plain sentences, or one sentence).
"""
from __future__ import annotations

import datetime as _dt
import math

import numpy as np
from typing import Mapping, NamedTuple, Sequence

from earlyhelp._core import InvalidArgument
from earlyhelp._core import profiling as _pf
from earlyhelp._core.profiling import AlertPolicy

__all__ = ["AlertHistory", "AlertPolicy", "AlertRun", "decide_alerts"]

_ALERT_COLUMNS = ["domain", "as_of", "score", "band", "previous_score", "previous_as_of", "new_features", "reasons",
                  "model", "model_version", "model_sha256"]


class AlertRun(NamedTuple):
    """What one run decided: ``alerts`` (one row per alert: ``person_id``/``family_id``, domain,
    as_of, score, band, previous_score, previous_as_of, new_features, reasons, model,
    model_version, model_sha256) and ``decisions`` (one row per subject: alert, above_threshold,
    changed, first_assessment, in_contact, outside_cooldown, and blocked_by: the rules that
    blocked the alert, ';'-separated)."""

    alerts: "object"
    decisions: "object"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _list(v, split: bool) -> list[str]:
    if _missing(v):
        return []
    if isinstance(v, str):
        if not split:
            return [v] if v else []
        return [p.strip() for p in v.split(";") if p.strip()]
    return [str(x) for x in v]


def _date(v, what: str) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()[:10]
    if hasattr(v, "date") and callable(v.date):  # pandas Timestamp
        return v.date().isoformat()
    if isinstance(v, str):
        return v
    raise InvalidArgument(f"alerts: {what} must be a date or 'yyyy-mm-dd', not {type(v).__name__}")


def _model(model) -> list[str]:
    if isinstance(model, Mapping):
        missing = [k for k in ("name", "version", "sha256") if k not in model]
        if missing:
            raise InvalidArgument(f"alerts: model is missing {', '.join(missing)} (needs name, version, sha256)")
        return [str(model["name"]), str(model["version"]), str(model["sha256"])]
    if isinstance(model, Sequence) and not isinstance(model, str) and len(model) == 3:
        return [str(x) for x in model]
    raise InvalidArgument("alerts: model must be {'name', 'version', 'sha256'} or a (name, version, sha256) tuple")


def _subject(df) -> tuple[str, str]:
    has = [c for c in ("person_id", "family_id") if c in df.columns]
    if len(has) != 1:
        raise InvalidArgument("alerts: the assessments need exactly one of the columns person_id or family_id "
                              f"(have: {', '.join(map(str, df.columns))})")
    return has[0], ("person" if has[0] == "person_id" else "family")


def _columns(df) -> tuple[dict, str, str]:
    import pandas as pd

    column, kind = _subject(df)
    for needed in ("score", "in_contact"):
        if needed not in df.columns:
            raise InvalidArgument(f"alerts: the assessments have no '{needed}' column")
    n = len(df)
    try:
        # Missing scores become NaN, which the library reports by row.
        scores = pd.to_numeric(df["score"]).to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise InvalidArgument("alerts: the score column holds values that are not numbers") from None
    if df["in_contact"].isna().any():
        raise InvalidArgument("alerts: in_contact is missing on some rows; say True or False for every subject")
    cols = {
        "subject_id": ["" if _missing(v) else str(v) for v in df[column].tolist()],
        "score": scores,
        "band": ["" if _missing(v) else str(v) for v in df["band"].tolist()] if "band" in df.columns else [""] * n,
        "alerting_features": ([_list(v, True) for v in df["alerting_features"].tolist()]
                              if "alerting_features" in df.columns else [[] for _ in range(n)]),
        "reasons": ([_list(v, False) for v in df["reasons"].tolist()]
                    if "reasons" in df.columns else [[] for _ in range(n)]),
        "in_contact": df["in_contact"].to_numpy(dtype=bool),
    }
    return cols, column, kind


_DECISION_COLUMNS = ["alert", "above_threshold", "changed", "first_assessment", "in_contact", "outside_cooldown",
                     "blocked_by"]


def _frames(decisions: dict, alerts: list, column: str):
    import pandas as pd

    dec = pd.DataFrame(decisions, columns=["subject_id", *_DECISION_COLUMNS]).rename(columns={"subject_id": column})
    al = pd.DataFrame(alerts, columns=["subject_id", "subject_kind", *_ALERT_COLUMNS])
    al = al.rename(columns={"subject_id": column}).drop(columns=["subject_kind"])
    return AlertRun(al, dec)


def decide_alerts(assessments, *, domain: str, as_of, model, threshold: float, policy: AlertPolicy | None = None,
                  previous=None) -> AlertRun:
    """Applies the alert policy to one domain's assessments on one date, given what is known of
    each subject before it (no history file: see :class:`AlertHistory` for that).

    ``previous`` is None (no history: every subject is a first assessment) or a DataFrame with
    the same subject column and any of ``previous_score``, ``previous_as_of`` (the latest
    assessment before ``as_of``), ``previous_alerting_features`` and ``last_alert_as_of``.
    ``model`` is ``{"name", "version", "sha256"}`` of the bundle (its file's SHA-256:
    ``earlyhelp.governance.sha256_file_hex(path)``). Returns an :class:`AlertRun`.
    """
    cols, column, kind = _columns(assessments)
    ids, dates, scores, feats, last = [], [], [], [], []
    if previous is not None:
        if column not in previous.columns:
            raise InvalidArgument(f"decide_alerts: previous has no '{column}' column")
        n = len(previous)

        def col(name, default):
            return previous[name].tolist() if name in previous.columns else [default] * n

        ids = [str(v) for v in previous[column].tolist()]
        dates = [None if _missing(v) else _date(v, "previous_as_of") for v in col("previous_as_of", None)]
        scores = [math.nan if _missing(v) else float(v) for v in col("previous_score", None)]
        feats = [_list(v, True) for v in col("previous_alerting_features", None)]
        last = [None if _missing(v) else _date(v, "last_alert_as_of") for v in col("last_alert_as_of", None)]
        for i, (d, s) in enumerate(zip(dates, scores)):
            if d is not None and math.isnan(s):
                raise InvalidArgument(f"decide_alerts: previous row {i} has a previous_as_of but no previous_score")
    decisions, alerts = _pf.decide_alerts(domain, kind, _date(as_of, "as_of"), _model(model), float(threshold), cols,
                                          ids, dates, scores, feats, last, policy or AlertPolicy())
    return _frames(decisions, alerts, column)


class AlertHistory:
    """The assessment history in an SQLite file (created if absent, migrated when older; a file
    from a newer earlyhelp is refused). Each :meth:`record` is one transaction: a run killed
    midway leaves the history as it was, and rerunning a date adds no alert already recorded."""

    def __init__(self, path):
        self._h = _pf.AlertHistory(str(path))

    @property
    def path(self) -> str:
        return self._h.path

    @property
    def schema_version(self) -> int:
        return self._h.schema_version

    def _run(self, assessments, domain, as_of, model, threshold, policy, dry_run):
        cols, column, kind = _columns(assessments)
        decisions, alerts, rerun, added = self._h.record(domain, kind, _date(as_of, "as_of"), _model(model),
                                                         float(threshold), cols, policy or AlertPolicy(), dry_run)
        return _frames(decisions, alerts, column), rerun, added

    def record(self, assessments, *, domain: str, as_of, model, threshold: float,
               policy: AlertPolicy | None = None) -> AlertRun:
        """Decides one domain's run against the history and records it (assessments, alerts, the
        run). Returns an :class:`AlertRun`; ``alerts.attrs`` holds ``rerun`` (the date was recorded
        before) and ``alerts_added`` (0 on an identical rerun)."""
        result, rerun, added = self._run(assessments, domain, as_of, model, threshold, policy, False)
        result.alerts.attrs.update(rerun=rerun, alerts_added=added)
        return result

    def decide(self, assessments, *, domain: str, as_of, model, threshold: float,
               policy: AlertPolicy | None = None) -> AlertRun:
        """What :meth:`record` would decide, without recording anything (a dry run)."""
        return self._run(assessments, domain, as_of, model, threshold, policy, True)[0]

    def alerts(self, domain: str | None = None):
        """Every alert recorded (of one domain), oldest first, with a subject_kind column."""
        import pandas as pd

        return pd.DataFrame(self._h.alerts(domain or ""), columns=["subject_id", "subject_kind", *_ALERT_COLUMNS])

    def runs(self):
        """Every run recorded: domain, as_of, model, threshold, policy, subjects, alerts."""
        import pandas as pd

        return pd.DataFrame(self._h.runs(), columns=["domain", "as_of", "subject_kind", "model", "model_version",
                                                      "model_sha256", "threshold", "min_rise", "cooldown_days",
                                                      "require_contact", "alert_on_first_assessment", "subjects",
                                                      "alerts", "recorded_utc"])
