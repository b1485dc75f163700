# SPDX-License-Identifier: Apache-2.0
"""Features as of dates, as pandas DataFrames (``earlyhelp.features``).

>>> import earlyhelp
>>> df = earlyhelp.features("council/", "persons.csv", "2024-04-01",
...                         households="households.csv")       # doctest: +SKIP
>>> df.columns[:4].tolist()                                      # doctest: +SKIP
['person_id', 'as_of', 'age', 'age_band']

Only records dated before each as-of date are used; rows the schema rejects are counted (see
``df.attrs["load_report"]``) and never used. Labels never come from ``truth/``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import tempfile
from typing import Iterable

from earlyhelp import progress as _progress
from earlyhelp._core import features as _features

FeatureSet = _features.FeatureSet


def _dates(as_of) -> str:
    """'YYYY-MM-DD[,...]' from a string, a date, a Timestamp or a list of them."""
    if isinstance(as_of, (str, _dt.date)) or hasattr(as_of, "strftime"):
        items: Iterable = [as_of]
    else:
        items = as_of
    out = []
    for d in items:
        out.append(d if isinstance(d, str) else d.strftime("%Y-%m-%d"))
    return ",".join(out)


def _definitions(definitions, schema):
    if definitions is None:
        return FeatureSet.builtin() if schema is None else FeatureSet.from_json(
            _builtin_json(), schema, "built-in definitions")
    if isinstance(definitions, FeatureSet):
        return definitions
    return FeatureSet.from_file(os.fspath(definitions), schema)


def _builtin_json() -> str:
    return _features.builtin_json()


def _strings(frame, column: str) -> list:
    return frame[column].astype("string").fillna("").tolist()


@contextlib.contextmanager
def _linkage_inputs(persons, households, persons_out, prefix: str):
    """(persons, households, link_out) for a call that links the extracts itself when ``persons``
    is None: the linked persons go to ``persons_out``, or to a temporary file removed afterwards."""
    if persons is not None:
        yield _persons(persons), _households(households), ""
    elif persons_out is not None:
        yield None, None, os.fspath(persons_out)
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            yield None, None, os.path.join(tmp, "persons.csv")


def _persons(persons):
    """A path, or (sources, record_ids, person_ids) lists from a DataFrame."""
    if isinstance(persons, (str, os.PathLike)):
        return os.fspath(persons)
    import pandas as pd

    frame = persons if isinstance(persons, pd.DataFrame) else pd.DataFrame(persons)
    for col in ("record_id", "person_id"):
        if col not in frame.columns:
            raise ValueError(f"features: persons has no '{col}' column (expected source, record_id, person_id "
                             f"as earlyhelp link writes, or record_id as '<stream>:<id>')")
    sources = _strings(frame, "source") if "source" in frame.columns else []
    return (sources, _strings(frame, "record_id"), _strings(frame, "person_id"))


def _households(households):
    if households is None or isinstance(households, (str, os.PathLike)):
        return None if households is None else os.fspath(households)
    import pandas as pd

    frame = households if isinstance(households, pd.DataFrame) else pd.DataFrame(households)
    for col in ("person_id", "household_id"):
        if col not in frame.columns:
            raise ValueError(f"features: households has no '{col}' column (expected person_id, household_id, role)")
    roles = _strings(frame, "role") if "role" in frame.columns else []
    return (_strings(frame, "person_id"), _strings(frame, "household_id"), roles)


def features(data, persons, as_of, definitions=None, level: str = "person", households=None,
             threads: int = 0, rejects=None, schema=None, progress=None):
    """Features as of one or more dates, one row per person (or family) and date.

    Parameters
    ----------
    data : folder of extracts, one ``<stream>.csv`` per stream (as ``earlyhelp synth`` writes).
    persons : ``persons.csv`` from ``earlyhelp link`` (or a DataFrame with ``record_id``,
        ``person_id`` and optionally ``source``).
    as_of : a date (``"2024-04-01"``, ``datetime.date``, ``pandas.Timestamp``) or a list of dates;
        several dates give a training table with one row per (id, as_of).
    definitions : None (the built-in set), a definitions JSON path, or a ``FeatureSet``.
    level : ``"person"`` or ``"family"`` (one row per household; needs ``households``).
    households : households CSV from ``earlyhelp link --households`` (or a DataFrame with
        ``person_id``, ``household_id`` and optionally ``role``). Without it family features are NaN.
    threads : worker threads (0: all cores); results do not depend on it.
    rejects : a folder to write each stream's rejected rows to (``<stream>.rejects.csv``).
    schema : a schema JSON path (None: the built-in schema).
    progress : None (default: a tqdm bar in Jupyter or when standard error is a terminal, none
        otherwise; ``EARLYHELP_PROGRESS=0/1`` overrides), True (always a bar), False (never), or a
        callable ``fn(stage, done, total)`` told the stages (load, features) instead of a bar. See
        :mod:`earlyhelp.progress`.

    Returns
    -------
    pandas.DataFrame with ``person_id`` (or ``family_id``), ``as_of`` (datetime64) and one float32
    column per feature (NaN missing), ready for XGBoost and ``earlyhelp.Model``. ``df.attrs``
    holds ``load_report`` (rows read, rejected and unlinked per stream) and ``streams``.
    """
    import pandas as pd

    set_ = _definitions(definitions, None if schema is None else os.fspath(schema))
    with _progress.reporting(progress, "features") as report:
        out = _features.compute(set_, os.fspath(data), _persons(persons), _households(households), _dates(as_of),
                                level, int(threads), "" if rejects is None else os.fspath(rejects), report)
    frame = pd.DataFrame(out["values"], columns=out["columns"], copy=False)
    frame.insert(0, "as_of", out["as_of_days"].astype("datetime64[D]").astype("datetime64[ns]"))
    frame.insert(0, out["id_column"], out["ids"])
    frame.attrs["load_report"] = out["report"]
    frame.attrs["streams"] = out["streams"]
    return frame


def definitions(definitions=None, schema=None):
    """The definitions as a DataFrame: name, kind, level, format, label, description, template,
    stream, streams (the streams a ``records`` feature counts; empty for other kinds), domains,
    alerting."""
    import pandas as pd

    return pd.DataFrame(_definitions(definitions, schema).definitions())


def describe(row, definitions=None) -> dict:
    """Plain-language sentences for a row of a features DataFrame (a Series or a dict): {name: text}."""
    import numpy as np

    set_ = _definitions(definitions, None)
    names = set_.names
    values = np.array([float(row[n]) if n in row and row[n] is not None else np.nan for n in names],
                      dtype=np.float32)
    return {n: set_.describe(j, values) for j, n in enumerate(names) if n in row}
