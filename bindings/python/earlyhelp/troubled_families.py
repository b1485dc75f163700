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
    fw = _framework(framework)
    as_of = _dates(as_of)
    if "," in as_of:
        raise ValueError("tf: as_of is one date")
    with _linkage_inputs(persons, households, persons_out, "earlyhelp_tf_") as (p, h, link_out):
        out = _tf.assess(fw, os.fspath(data), p, h, as_of, link_out, int(threads),
                         "" if rejects is None else os.fspath(rejects))
    families, members = _frames(fw, out)
    families.attrs["load_report"] = out["report"]
    return families, members


def _frames(fw, out):
    """(families, members) DataFrames of the columns _tf.assess / _tf.assess_family return."""
    import pandas as pd

    target = int(round(fw.attendance_target * 100))
    cols = {"family_id": out["family_id"], "criteria_met": out["criteria_met"], "eligible": out["eligible"]}
    for name, values in zip(out["criteria"], out["met"]):
        cols[name] = values
    cols["attendance_distance_travelled"] = out["attendance_distance_travelled"]
    cols[f"attendance_distance_to_{target}"] = out["attendance_distance_to_target"]
    cols["evidence"] = out["evidence"]
    cols["near_miss"] = out["near_miss"]
    families = pd.DataFrame(cols)
    mf, mp, mr = out["members"]
    members = pd.DataFrame({"family_id": mf, "person_id": mp, "role": mr})
    return families, members


def _cell(v) -> str:
    if v is None:
        return ""
    try:
        if v != v:  # NaN, NaT
            return ""
    except (TypeError, ValueError):
        pass
    if hasattr(v, "strftime") and not isinstance(v, str):
        timed = any(getattr(v, unit, 0) for unit in ("hour", "minute", "second"))
        return v.strftime("%Y-%m-%dT%H:%M:%S" if timed else "%Y-%m-%d")
    return str(v)


def _stream_rows(rows, fn: str):
    """(columns, rows of text cells) of a DataFrame, a {column: values} mapping or a list of
    {column: value} rows."""
    import pandas as pd

    if isinstance(rows, pd.DataFrame):
        columns = [str(c) for c in rows.columns]
        return columns, [[_cell(v) for v in r] for r in rows.itertuples(index=False, name=None)]
    if isinstance(rows, dict):
        columns = [str(c) for c in rows]
        values = [list(v) for v in rows.values()]
        n = len(values[0]) if values else 0
        if any(len(v) != n for v in values):
            raise ValueError(f"{fn}: the columns of a stream have different lengths")
        return columns, [[_cell(v[i]) for v in values] for i in range(n)]
    rows = list(rows)
    columns = []
    for r in rows:
        columns += [str(c) for c in r if str(c) not in columns]
    return columns, [[_cell(r.get(c)) for c in columns] for r in rows]


def tf_family(members, as_of, framework=None, family_id: str = "family", roles=None):
    """One family against a programme's criteria on ``as_of``, from the records a case system
    holds about its members: the same library call as the C API's ``eh_feature_case_tf``
    (``profiling::assess_family``), assessing the family as :func:`tf` assesses each family of a
    folder (the same criteria, eligibility, attendance, near miss and evidence).

    Parameters
    ----------
    members : a list, member 0 the person asked about and 1, 2, ... the others of the household;
        each a mapping ``{stream: rows}`` where rows is a DataFrame, a ``{column: values}`` dict or
        a list of ``{column: value}`` dicts with the stream's columns (``record_id`` and the dates
        included; optional columns may be absent). A stream left out is not known.
    as_of : one date; only records dated before it count.
    framework : None (Troubled Families), a framework JSON path, or a ``Framework``.
    family_id : the id the result gives the family.
    roles : ``{member: "adult" | "child"}`` for members with no date of birth in their records.

    Returns
    -------
    (families, members) as :func:`tf` returns them, one family; members' person ids are
    "000000", "000001", ... by member number. ``families.attrs["rows_rejected"]`` counts the rows
    the schema rejected (not used).
    """
    fw = _framework(framework)
    as_of = _dates(as_of)
    if "," in as_of:
        raise ValueError("tf_family: as_of is one date")
    rows = []
    for member, streams in enumerate(members):
        for stream, data in streams.items():
            columns, values = _stream_rows(data, "tf_family")
            rows.append((member, str(stream), columns, values))
    out = _tf.assess_family(fw, rows, {int(k): str(v) for k, v in (roles or {}).items()}, as_of, str(family_id))
    families, members_df = _frames(fw, out)
    families.attrs["rows_rejected"] = int(out["rows_rejected"])
    return families, members_df
