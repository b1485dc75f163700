# SPDX-License-Identifier: Apache-2.0
"""The eight systems a council extract draws on, each with its own habits.

A habit is a probability or a style: how a system writes names (case, diacritics, nicknames,
initials, first name and surname swapped, typos), dates of birth (ISO or dd/mm/yyyy, wrong,
missing), postcodes (space, case, mistyped, missing) and addresses (full or abbreviated), how
long it goes on showing an old address after a move, and how often a later record repeats the
first registration instead of being typed afresh.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    min_age: int
    max_age: int
    weight: float          # relative chance a record of an eligible person comes from here
    case: str              # upper, title or as_typed (title, upper or lower record by record)
    diacritics: float      # chance a name keeps its accents
    date_style: str        # iso or dmy
    dob_wrong: float       # chance the date of birth is mistyped
    typo: float            # chance, per name, of one keying error
    nickname: float        # chance the first name is a short form
    initial: float         # chance the first name is only its initial
    swap: float            # chance first name and surname are swapped
    postcode_space: float  # chance the postcode keeps its space
    postcode_typo: float
    postcode_missing: float
    address_style: str     # full, abbreviated or terse (see places.format_address)
    lag_days: float        # mean days before a move shows (0: the system dates moves)
    sex_codes: tuple[str, str] | None   # (female, male), or None: not recorded
    reuse: float           # chance a later record repeats the person's registration here
    liable_only: bool = False           # only householders (council tax)


SOURCES: tuple[Source, ...] = (
    Source("education", 3, 18, 1.0, "title", 0.8, "dmy", 0.01, 0.02, 0.06, 0.0, 0.01,
           0.9, 0.01, 0.01, "full", 45, ("F", "M"), 0.8),
    Source("revenues", 18, 120, 0.9, "upper", 0.0, "dmy", 0.02, 0.02, 0.02, 0.25, 0.01,
           0.95, 0.005, 0.0, "abbreviated", 0, None, 0.9, liable_only=True),
    Source("social_care", 0, 120, 0.6, "title", 0.5, "dmy", 0.03, 0.03, 0.10, 0.0, 0.02,
           0.8, 0.02, 0.03, "full", 20, ("Female", "Male"), 0.6),
    Source("health", 0, 120, 1.2, "title", 0.9, "iso", 0.005, 0.01, 0.02, 0.0, 0.03,
           1.0, 0.005, 0.0, "full", 120, ("F", "M"), 0.85),
    Source("police", 10, 120, 0.6, "upper", 0.0, "dmy", 0.05, 0.05, 0.15, 0.02, 0.04,
           0.7, 0.03, 0.05, "terse", 15, ("F", "M"), 0.4),
    Source("yot", 10, 17, 0.5, "title", 0.3, "dmy", 0.02, 0.03, 0.12, 0.0, 0.01,
           0.8, 0.02, 0.02, "full", 30, ("Female", "Male"), 0.7),
    Source("housing", 16, 120, 0.6, "as_typed", 0.3, "iso", 0.02, 0.03, 0.05, 0.05, 0.02,
           0.85, 0.01, 0.01, "abbreviated", 10, ("F", "M"), 0.7),
    Source("dwp", 16, 120, 0.8, "upper", 0.0, "iso", 0.003, 0.01, 0.005, 0.0, 0.01,
           1.0, 0.005, 0.0, "full", 90, ("F", "M"), 0.9),
)

BY_NAME = {s.name: s for s in SOURCES}

# Sources that give person identifiers when Knobs.identifiers is set: (source, column, share)
IDENTIFIERS = (("health", "nhs_number", 0.98), ("social_care", "nhs_number", 0.8),
               ("revenues", "uprn", 0.95), ("housing", "uprn", 0.9))
