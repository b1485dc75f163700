# SPDX-License-Identifier: Apache-2.0
"""Troubled Families (or a later framework's) criteria on a date, as DataFrames (``earlyhelp.tf``).

>>> import earlyhelp
>>> families, members = earlyhelp.tf("council/", "2024-04-01",
...                                  persons="households.csv")    # doctest: +SKIP
>>> families.loc[families.eligible, ["family_id", "criteria_met", "evidence"]]  # doctest: +SKIP

The same library call as ``earlyhelp tf``: the same families, criteria, evidence and figures.
"""

from __future__ import annotations

import os

from earlyhelp._core import troubled_families as _tf
from earlyhelp.feature_table import _dates, _linkage_inputs

Framework = _tf.Framework


def _framework(framework):
    if framework is None:
        return Framework.builtin()
    if isinstance(framework, Framework):
        return framework
    return Framework.from_file(os.fspath(framework))


def tf(data, as_of, persons=None, framework=None, households=None, threads: int = 0, rejects=None,
       persons_out=None):
    """Families against a programme's criteria on ``as_of``.

    Parameters
    ----------
    data : folder of extracts, one ``<stream>.csv`` per stream.
    as_of : one date (``"2024-04-01"``, ``datetime.date`` or ``pandas.Timestamp``); only records
        dated before it count.
    persons : the file ``earlyhelp link --data DIR --households FILE --as-of DATE`` writes (persons
        and households in one), a persons file or DataFrame with ``households`` given, or None to
        link the extracts first (written to ``persons_out``, or a temporary file).
    framework : None (Troubled Families: six headline problems, at least two), a framework JSON
        path, or a ``Framework``.
    households : households CSV or DataFrame (``person_id``, ``household_id``, ``role``) when
        ``persons`` has none.

    Returns
    -------
    (families, members): ``families`` has ``family_id``, ``criteria_met``, ``eligible``, one 0/1
    column per criterion, ``attendance_distance_travelled`` and ``attendance_distance_to_90``
    (percentage points; named for the framework's target), ``evidence`` and ``near_miss``;
    ``members`` has ``family_id``, ``person_id``, ``role``. ``families.attrs["load_report"]`` holds
    the rows read, rejected and unlinked per stream.
    """
    import pandas as pd

    fw = _framework(framework)
    as_of = _dates(as_of)
    if "," in as_of:
        raise ValueError("tf: as_of is one date")
    with _linkage_inputs(persons, households, persons_out, "earlyhelp_tf_") as (p, h, link_out):
        out = _tf.assess(fw, os.fspath(data), p, h, as_of, link_out, int(threads),
                         "" if rejects is None else os.fspath(rejects))
    target = int(round(fw.attendance_target * 100))
    cols = {"family_id": out["family_id"], "criteria_met": out["criteria_met"], "eligible": out["eligible"]}
    for name, values in zip(out["criteria"], out["met"]):
        cols[name] = values
    cols["attendance_distance_travelled"] = out["attendance_distance_travelled"]
    cols[f"attendance_distance_to_{target}"] = out["attendance_distance_to_target"]
    cols["evidence"] = out["evidence"]
    cols["near_miss"] = out["near_miss"]
    families = pd.DataFrame(cols)
    families.attrs["load_report"] = out["report"]
    mf, mp, mr = out["members"]
    members = pd.DataFrame({"family_id": mf, "person_id": mp, "role": mr})
    return families, members
