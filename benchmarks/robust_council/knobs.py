# SPDX-License-Identifier: Apache-2.0
"""The generator's knobs: what a council extract looks like, each settable on its own."""

from __future__ import annotations

import dataclasses

# The order in which sources lose their dates of birth when `sources_without_dob` grows: council
# tax and tenancy systems hold none in many councils, then police and social care extracts that
# hold them in a free-text or restricted field.
NO_DOB_ORDER = ("revenues", "housing", "police", "social_care", "dwp", "yot", "health", "education")


@dataclasses.dataclass(frozen=True)
class Knobs:
    """One council draw. The defaults resemble the extract of issue 13: about 20,000 persons in
    about 5,700 households, about 3.2 records per person in eight sources whose names the schema
    does not know, no NHS number, UPRN or middle name, about 5% of dates of birth missing."""

    persons: int = 20000
    #: mean persons per household (1 = everybody lives alone); sizes are 1 + Poisson(mean - 1)
    household_mean: float = 3.5
    #: mean records per person; counts are 1 + Poisson(mean - 1)
    records_mean: float = 3.2
    #: share of records, in sources that record dates of birth, whose date of birth is blank
    dob_missing: float = 0.05
    #: how many sources (in NO_DOB_ORDER) never record a date of birth
    sources_without_dob: int = 0
    #: health and social care give NHS numbers, housing and revenues UPRNs
    identifiers: bool = False
    #: sources named as the earlyhelp schema names its streams (school_census, council_tax, ...)
    schema_names: bool = False
    seed: int = 1

    def __post_init__(self):
        if self.persons < 1:
            raise ValueError(f"Knobs: persons must be at least 1 ({self.persons})")
        if not 1.0 <= self.household_mean <= 12.0:
            raise ValueError(f"Knobs: household_mean must be within [1, 12] ({self.household_mean})")
        if not 1.0 <= self.records_mean <= 40.0:
            raise ValueError(f"Knobs: records_mean must be within [1, 40] ({self.records_mean})")
        if not 0.0 <= self.dob_missing <= 1.0:
            raise ValueError(f"Knobs: dob_missing must be within [0, 1] ({self.dob_missing})")
        if not 0 <= self.sources_without_dob <= len(NO_DOB_ORDER):
            raise ValueError(f"Knobs: sources_without_dob must be within [0, {len(NO_DOB_ORDER)}] "
                             f"({self.sources_without_dob})")
