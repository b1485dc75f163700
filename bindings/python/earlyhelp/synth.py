# SPDX-License-Identifier: Apache-2.0
"""The synthetic council: source-system extracts of a county plus ground truth, as pandas frames.

Deterministic for a seed (same seed, same bytes, any thread count). Every stream follows the
built-in schema; identity fields carry realistic, counted errors (see ``truth["errors"]``).

Example::

    import earlyhelp.synth
    council = earlyhelp.synth.generate(persons=20_000, seed=1)
    council["school_attendance"].head()          # one DataFrame per schema stream
    council.truth["records"]                      # stream, record_id, person_id, household_id
    council.truth["rates"]                        # generated base rates beside official ones
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from earlyhelp import progress as _progress
from earlyhelp._core import synth as _synth

__all__ = ["SyntheticCouncil", "generate"]

_NUMERIC = {"integer": "Int64", "float": "float64"}


def _frame(text: bytes, types: dict[str, str] | None = None) -> pd.DataFrame:
    # Identifiers, dates, names and codes stay strings exactly as the extract holds them
    # ("0123", "03/04/2020", "Y"); only integer and float fields become numbers.
    if types is None:
        return pd.read_csv(io.BytesIO(text), keep_default_na=False, na_values=[""])
    dtypes = {name: (_NUMERIC.get(t, "string")) for name, t in types.items()}
    return pd.read_csv(io.BytesIO(text), dtype=dtypes, keep_default_na=False, na_values=[""])


class SyntheticCouncil(Mapping):
    """Stream name -> DataFrame of that extract; ``truth`` holds the ground-truth frames."""

    def __init__(self, streams: dict[str, pd.DataFrame], truth: dict[str, pd.DataFrame],
                 persons: int, households: int):
        self._streams = streams
        self.truth = truth
        self.persons = persons
        self.households = households

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._streams[name]

    def __iter__(self):
        return iter(self._streams)

    def __len__(self) -> int:
        return len(self._streams)

    def __repr__(self) -> str:
        rows = sum(len(f) for f in self._streams.values())
        return (f"SyntheticCouncil({self.persons} persons, {self.households} households, "
                f"{len(self._streams)} streams, {rows} records)")


def generate(persons: int = 20_000, seed: int = 1, start: str = "2022-04-01", end: str = "2025-03-31",
             threads: int = 0, error_scale: float = 1.0, optional_columns: bool = False,
             early_help: bool = False, progress=None) -> SyntheticCouncil:
    """Generates a synthetic council.

    :param persons: persons in the county (600,000 mirrors a real county; 20,000 runs in a second)
    :param seed: random seed; the same seed gives identical data
    :param start, end: period of the extracts (ISO dates)
    :param threads: worker threads (0 = all cores); never changes the result
    :param error_scale: multiplier of the identity-error rates (0 gives clean extracts)
    :param optional_columns: also write the schema's optional columns (the placement type of
        looked-after episodes); without them a seed gives the same data as earlier versions
    :param early_help: also draw ``early_help_episodes`` (family support episodes with start,
        end, closure reason and the headline problems at assessment; see
        :func:`earlyhelp.engagement`); without it a seed gives the same data as earlier versions
    :param progress: None (default: a tqdm bar in Jupyter or when standard error is a terminal,
        none otherwise; ``EARLYHELP_PROGRESS=0/1`` overrides), True (always a bar), False (never),
        or a callable ``fn(stage, done, total)`` told the stages (population, households) instead
        of a bar; see :mod:`earlyhelp.progress`
    :returns: a :class:`SyntheticCouncil` (mapping of stream name to DataFrame, plus ``truth``)
    :raises earlyhelp.InvalidArgument: for a bad size, date or error scale
    """
    with _progress.reporting(progress, "synth") as report:
        tables, _rows, n_persons, n_households = _synth.generate_tables(
            int(persons), int(seed), str(start), str(end), int(threads), float(error_scale), bool(optional_columns),
            bool(early_help), report)
    types = _synth.field_types()
    streams = {}
    truth = {}
    for name, text in tables.items():
        if name.startswith("truth/"):
            truth[name[len("truth/"):]] = _frame(text)
        else:
            streams[name] = _frame(text, types.get(name))
    return SyntheticCouncil(streams, truth, n_persons, n_households)
