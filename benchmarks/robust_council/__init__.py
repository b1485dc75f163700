# SPDX-License-Identifier: Apache-2.0
"""A council-like population and its records, drawn independently of `earlyhelp synth`.

The robustness benchmark (benchmarks/bench_linkage_robustness.py) judges the linker on data it
was not tuned on: this generator was written from general knowledge of UK council data, without
reading the project's own generator or the linker's rules. A draw is fixed by its Knobs (seed
included)::

    from robust_council import Knobs, generate, write_input
    council = generate(Knobs(persons=2000, household_mean=6, seed=3))
    write_input(council, "out/")        # out/records.csv + out/truth/*.csv

Modules, one job each: names (name pools, short forms), places (addresses, postcodes),
population (persons in households over time), sources (each system's habits), corrupt (how a
field goes wrong), records (records per person), write (CSV files and ground truth).
"""

from __future__ import annotations

import dataclasses
import random

from .knobs import NO_DOB_ORDER, Knobs
from .population import Household, draw_population
from .records import Record, draw_records
from .write import rows, schema_name, write_data, write_input

__all__ = ["Council", "Knobs", "NO_DOB_ORDER", "generate", "rows", "schema_name", "write_data", "write_input"]


@dataclasses.dataclass
class Council:
    knobs: Knobs
    households: list[Household]
    records: list[Record]


def generate(knobs: Knobs) -> Council:
    """Draws the households and their records; the same Knobs give the same council."""
    rng = random.Random(f"robust-council/{knobs.seed}")
    households = draw_population(knobs, rng)
    return Council(knobs, households, draw_records(households, knobs, rng))
