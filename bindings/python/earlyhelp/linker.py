# SPDX-License-Identifier: Apache-2.0
"""Record linkage of pandas frames: records -> persons (and households).

>>> import pandas as pd, earlyhelp
>>> df = pd.DataFrame({"record_id": ["1", "2", "3"], "first_name": ["John", "Jon", "Mary"],
...                    "surname": ["Smith", "Smith", "Jones"], "dob": ["1980-01-02"] * 2 + ["1975-05-05"]})
>>> persons = earlyhelp.link(df)            # columns record_id, person_id
"""

from __future__ import annotations

import json
import warnings
from typing import Iterable, Mapping

from earlyhelp import progress as _progress
from earlyhelp._core import InvalidArgument as _InvalidArgument
from earlyhelp._core import linker as _linker

CANONICAL_COLUMNS = ("record_id", "source", "first_name", "middle_name", "surname", "dob", "sex",
                     "address", "town", "postcode", "uprn", "nhs_number", "record_date",
                     "subject_min_age")

evaluate_clusters = _linker.evaluate_clusters
households_correct = _linker.households_correct


def _settings_json(settings) -> str | None:
    if settings is None:
        return None
    if isinstance(settings, str):
        return settings
    return json.dumps(dict(settings))


def _frame(df, fn: str):
    """df as a DataFrame: a DataFrame, or a mapping of column -> values; anything else is
    InvalidArgument naming ``fn`` and the argument."""
    import pandas as pd

    if isinstance(df, pd.DataFrame):
        return df
    if df is None:
        raise _InvalidArgument(f"{fn}: df is None; expected a pandas DataFrame (or a dict of columns)")
    if isinstance(df, Mapping):
        return pd.DataFrame(df)
    raise _InvalidArgument(f"{fn}: df is a {type(df).__name__}; expected a pandas DataFrame (or a dict of columns)")


def _column_name(c, fn: str) -> str:
    name = str(c)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise _InvalidArgument(f"{fn}: a column name is not valid text (a lone surrogate)") from None
    return name


def _columns(df, column_map: Mapping[str, str] | None = None, fn: str = "link") -> dict:
    """Canonical columns of a DataFrame (or dict of lists) as {column: [str]}.

    The library plans the columns (linkage/columns.hpp): unused columns give a warning naming
    them and the column_map that would use them; no record_id, no name or date of birth column,
    or a repeated column name is InvalidArgument. Several columns mapped onto one canonical column
    are joined with a space."""
    frame = _frame(df, fn)
    if column_map is not None and not isinstance(column_map, Mapping):
        raise _InvalidArgument(f"{fn}: column_map must be a dict of their column -> canonical column")
    names = [_column_name(c, fn) for c in frame.columns]
    mapping = [(_column_name(k, fn), _column_name(v, fn)) for k, v in (column_map or {}).items()]
    targets, notes = _linker.plan_columns(names, mapping, f"{fn}: df")
    for note in notes:
        warnings.warn(note, UserWarning, stacklevel=3)
    out: dict = {}
    for i, target in enumerate(targets):
        if target is None:
            continue
        values = frame.iloc[:, i].astype("string").fillna("").str.strip()
        out[target] = values if target not in out else (out[target] + " " + values).str.strip()
    return {k: v.tolist() for k, v in out.items()}


def read_extracts(directory) -> "pandas.DataFrame":
    """A folder of stream extracts (one ``<stream>.csv`` per stream of the built-in schema, as
    ``earlyhelp synth`` writes and a council exports) as one DataFrame in the canonical columns,
    mapped by each field's ``link_key``, plus ``stream`` and ``local_id`` (the id within the
    stream). ``record_id`` is ``<stream>:<local_id>``; ``record_date`` is the stream's event date
    (``current`` for the register). ``df.attrs["notes"]`` lists files skipped and counts;
    ``df.attrs["rejects"]`` the rows that cannot be linked (a ragged row, a field over 1 MiB or
    not UTF-8, an empty or repeated record id) as dicts of file, row, line, field, kind and
    reason (never the values)."""
    import pandas as pd

    cols, notes, rejects = _linker.read_extracts(str(directory))
    df = pd.DataFrame(cols)
    df.attrs["notes"] = notes
    df.attrs["rejects"] = rejects
    return df


def _date_text(as_of, fn: str) -> str:
    """A date argument as YYYY-MM-DD text (text kept as given; datetime.date / pandas Timestamp
    formatted); anything else is earlyhelp.InvalidArgument."""
    if hasattr(as_of, "strftime") and not isinstance(as_of, str):
        as_of = as_of.strftime("%Y-%m-%d")
    if not isinstance(as_of, str):
        raise _InvalidArgument(f"{fn}: as_of must be a date YYYY-MM-DD, got {type(as_of).__name__}")
    return as_of


class Linker:
    """pandas-friendly wrapper of the C++ linker (fit / predict / cluster / explain / add_records)."""

    def __init__(self, settings=None, progress=None):
        """A linker with ``settings`` (a dict or JSON text; None: the defaults). ``progress`` as in
        :func:`earlyhelp.link`: bars (or the callable) for each fit, predict and cluster."""
        self._progress = _progress.callback(progress, "link")
        self._l = _linker.Linker(_settings_json(settings), self._progress)
        self._households = _linker.HouseholdCache()  # household_of's index of the last date

    def add_records(self, df, column_map: Mapping[str, str] | None = None):
        """Adds records; after cluster() they are linked incrementally and their person ids returned."""
        import pandas as pd

        cols = _columns(df, column_map, "add_records")
        persons = self._l.add_records(cols)
        if persons:
            return pd.DataFrame({"record_id": cols["record_id"], "person_id": persons})
        return None

    def fit(self, labels: Iterable[tuple[str, str]] | None = None):
        """Trains u by sampling and m by EM per blocking rule; with labels, m from labelled matches."""
        if labels is None:
            self._l.fit()
        else:
            self._l.fit_with_labels([(str(a), str(b)) for a, b in labels])
        return self

    def predict(self):
        """Scores the candidate pairs; returns the links (record_id_l, record_id_r, match_probability)."""
        import pandas as pd

        self._l.predict()
        return pd.DataFrame(self._l.links(), columns=["record_id_l", "record_id_r", "match_probability"])

    def score_partition(self, part: int, n_parts: int):
        """Scores the candidate pairs of part ``part`` of ``n_parts`` (blocks dealt by blocking key)
        as predict() does, after fit() or load_model_json(): one step of a link spread over
        processes that hold the same records (earlyhelp.dask.link). Returns a picklable ScoredPairs."""
        return self._l.score_partition(int(part), int(n_parts))

    def predict_from(self, parts):
        """predict() from every part's ScoredPairs (score_partition, here or elsewhere), in any
        order; cluster() then gives the person ids one predict() would. Returns the number of links."""
        return self._l.predict_from(list(parts))

    def cluster(self):
        """Clusters the links into persons; returns record_id, person_id."""
        import pandas as pd

        self._l.cluster()
        return pd.DataFrame({"record_id": self._l.record_ids(), "person_id": self._l.person_ids()})

    def link(self):
        """Fits (unless a model was loaded or fitted), predicts and clusters: the sequence every
        interface runs. Returns person_id per record, in the order added."""
        import pandas as pd

        self._l.link()
        return pd.DataFrame({"person_id": self._l.person_ids()})

    def person_ids(self):
        return self._l.person_ids()

    def households(self, as_of):
        """person_id, household_id, role, family as of a date: text YYYY-MM-DD, or a
        datetime.date / pandas Timestamp. Anything else is earlyhelp.InvalidArgument."""
        import pandas as pd

        as_of = _date_text(as_of, "households")
        return pd.DataFrame(self._l.households(as_of), columns=["person_id", "household_id", "role", "family"])

    def household_of(self, person_id: str, as_of):
        """One linked person's household on a date: the members sharing it (the person among
        them), as :meth:`households` gives them (person_id, household_id, role, family), sorted by
        person_id -- what a case system asks about the person in front of it (the C API's
        ``eh_linker_household``; the same library function).

        Parameters
        ----------
        person_id : a person id of the linked records (from :meth:`link` or :meth:`cluster`).
        as_of : the date: text YYYY-MM-DD, or a datetime.date / pandas Timestamp.

        Raises earlyhelp.InvalidArgument for an unknown person or a bad date, earlyhelp.StateError
        before the records are linked.
        """
        import pandas as pd

        as_of = _date_text(as_of, "household_of")
        rows = self._households.of(self._l, str(person_id), as_of)
        return pd.DataFrame(rows, columns=["person_id", "household_id", "role", "family"])

    def address_lags(self) -> dict:
        """{source: days} how far each source's addresses lag behind a move, estimated from the
        linked records (0 for a system that records a move on the day); sources with too few
        records after moves are left out."""
        return dict(self._l.address_lags())

    def explain(self, record_a: str, record_b: str) -> dict:
        """The terms (name, level, log2 weight) that sum to the pair's weight, and its probability."""
        for name, rid in (("record_a", record_a), ("record_b", record_b)):
            if rid is None:
                raise _InvalidArgument(f"explain: {name} is None; expected a record_id")
        return self._l.explain(str(record_a), str(record_b))

    def lookup(self, record: Mapping[str, str], k: int = 5):
        """Best k persons for one record, without adding it: (person_id, record_id, weight, probability)."""
        if not isinstance(record, Mapping):
            raise _InvalidArgument(f"lookup: record is {'None' if record is None else 'a ' + type(record).__name__}; "
                                   "expected a dict of canonical column -> value")
        return self._l.lookup({_column_name(key, "lookup"): ("" if v is None else str(v)) for key, v in record.items()}, k)

    def model_json(self) -> str:
        return self._l.model_json()

    def load_model_json(self, text: str):
        self._l.load_model_json(text)
        return self

    @property
    def warnings(self) -> list[str]:
        return list(self._l.warnings)

    @property
    def stats(self) -> dict:
        return dict(self._l.stats)


def link(df, settings=None, column_map: Mapping[str, str] | None = None, progress=None):
    """Links a DataFrame of records into persons: returns a frame of record_id, person_id.

    :param df: the records (a DataFrame, or a dict of columns) in the canonical columns, or mapped
        onto them by ``column_map``
    :param settings: linkage settings (a dict or JSON text); None: the defaults
    :param column_map: {their column: canonical column}
    :param progress: None (default: a tqdm bar in Jupyter or when standard error is a terminal,
        none otherwise; ``EARLYHELP_PROGRESS=0/1`` overrides), True (always a bar), False (never),
        or a callable ``fn(stage, done, total)`` told the stages (fit, predict, cluster) instead of
        a bar; see :mod:`earlyhelp.progress`
    """
    import pandas as pd

    cols = _columns(df, column_map, "link")
    with _progress.reporting(progress, "link") as report:
        lk = _linker.Linker(_settings_json(settings), report)
        lk.add_records(cols)
        lk.link()
    return pd.DataFrame({"record_id": cols["record_id"], "person_id": lk.person_ids()})
