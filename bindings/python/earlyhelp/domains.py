# SPDX-License-Identifier: Apache-2.0
"""Risk domains and their training tables, as DataFrames (``earlyhelp.training_table``).

>>> import earlyhelp
>>> t = earlyhelp.training_table("safeguarding", "council/", "persons.csv",
...                              ["2023-04-01", "2023-10-01"], households="households.csv",
...                              evaluation_start="2024-07-01")   # doctest: +SKIP
>>> t.outcome.mean()                                              # doctest: +SKIP

Outcomes come from later events in the extracts (never from ``truth/``), so a council trains on
its own history.
"""

from __future__ import annotations

import os

from earlyhelp._core import domains as _domains
from earlyhelp.feature_table import _dates, _households, _persons

Domain = _domains.Domain


def _domain(domain):
    if isinstance(domain, Domain):
        return domain
    name = os.fspath(domain)
    if name in Domain.builtin_names():
        return Domain.builtin(name)
    return Domain.from_file(name)


def training_table(domain, data, persons, as_of, households=None, evaluation_start=None, threads: int = 0):
    """The domain's population on each as-of date, its features and the outcome.

    Parameters
    ----------
    domain : ``"safeguarding"``, ``"homelessness"``, ``"asb"``, ``"debt"``, a domain JSON path, or a
        ``Domain``.
    data : folder of extracts, one ``<stream>.csv`` per stream.
    persons, households : as ``earlyhelp.features`` (paths or DataFrames); a family domain
        (homelessness) needs households.
    as_of : one date or a list of dates.
    evaluation_start : when given, every date's outcome horizon must end by it (training rows never
        overlap the evaluation period); otherwise an ``InvalidArgument``.

    Returns
    -------
    pandas.DataFrame: ``person_id`` (or ``family_id``), ``as_of``, the domain's features (float32)
    and groups, and ``outcome`` (0/1: an outcome event in the horizon after ``as_of``).
    """
    import pandas as pd

    d = _domain(domain)
    ev = "" if evaluation_start is None else _dates(evaluation_start)
    out = _domains.training_table(d, os.fspath(data), _persons(persons), _households(households), _dates(as_of),
                                  ev, int(threads))
    frame = pd.DataFrame(out["values"], columns=out["columns"], copy=False)
    frame.insert(0, "as_of", out["as_of_days"].astype("datetime64[D]").astype("datetime64[ns]"))
    frame.insert(0, out["id_column"], out["ids"])
    frame["outcome"] = out["outcome"]
    return frame


# The activity baseline every model must beat: service records in the past year, universal
# registers excluded (the built-in features), the person's and the household's.
ACTIVITY_BASELINES = {"activity, person": "service_records_12m", "activity, household": "family_service_records_12m"}


def activity_baselines(table) -> dict:
    """The activity baselines of a training table (``training_table``): ``{"activity, person":
    service_records_12m, "activity, household": family_service_records_12m}`` as float64 arrays,
    for those of the two features the table holds (a family domain's table: the household's only);
    a count not known counts as none. What ``earlyhelp.evaluate(..., baselines=...)`` compares a
    model with, in ``earlyhelp report`` and in the reference models' evaluation."""
    import numpy as np

    return {name: table[col].fillna(0).to_numpy(np.float64) for name, col in ACTIVITY_BASELINES.items()
            if col in table.columns}
