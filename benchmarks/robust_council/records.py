# SPDX-License-Identifier: Apache-2.0
"""Records about each person in the sources, written as each source's habits would write them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from .corrupt import format_date, postcode_as_written, set_case, strip_diacritics, typo, wrong_dob
from .knobs import NO_DOB_ORDER, Knobs
from .names import COMMUNITIES, short_forms
from .places import format_address
from .population import PERIOD_END, PERIOD_START, YEAR, Household, Person, poisson
from .sources import IDENTIFIERS, SOURCES, Source

LIABLE_ROLES = {"parent", "partner", "single", "sharer", "grandparent"}


@dataclasses.dataclass
class Record:
    """One row as a source holds it, in the canonical columns, with its truth beside it."""
    record_id: str
    source: str
    first_name: str
    surname: str
    dob: str
    sex: str
    address: str
    town: str
    postcode: str
    record_date: str
    nhs_number: str
    uprn: str
    person_id: str
    household_id: str


@dataclasses.dataclass
class _Registration:
    first: str
    surname: str
    dob: str
    sex: str


def nhs_number(index: int) -> str:
    """A 10-digit number with a valid modulus-11 check digit (like an NHS number); distinct
    indices below 126,000 give distinct numbers."""
    for offset in range(20):
        body = f"{(index * 7919 + offset) % 10**9:09d}"
        check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11) % 11
        if check != 10:
            return body + str(check)
    raise AssertionError("unreachable: one of 20 consecutive bodies has a check digit")


class _Drawer:
    def __init__(self, knobs: Knobs, rng: random.Random):
        self.knobs, self.rng = knobs, rng
        self.no_dob = set(NO_DOB_ORDER[:knobs.sources_without_dob])
        self.registrations: dict[tuple[str, str], _Registration] = {}
        self.nhs: dict[str, str] = {}

    def age(self, p: Person, day: dt.date) -> float:
        return (day - p.dob).days / YEAR

    def eligible(self, p: Person, day: dt.date) -> list[Source]:
        age = self.age(p, day)
        out = [s for s in SOURCES if s.min_age <= age <= s.max_age]
        return [s for s in out if not s.liable_only or p.role in LIABLE_ROLES]

    def person_records(self, h: Household, p: Person) -> list[Record]:
        rng = self.rng
        n = 1 + poisson(self.knobs.records_mean - 1.0, rng)
        first_day = max(PERIOD_START, p.dob)
        span = (PERIOD_END - first_day).days
        out = []
        for _ in range(n):
            day = first_day + dt.timedelta(days=rng.randrange(span + 1))
            sources = self.eligible(p, day)
            source = rng.choices(sources, weights=[s.weight for s in sources])[0]
            out.append(self.record(h, p, source, day))
        return out

    def registration(self, p: Person, s: Source) -> _Registration:
        rng = self.rng
        key = (p.person_id, s.name)
        if key in self.registrations and rng.random() < s.reuse:
            return self.registrations[key]
        first, surname = p.first, p.surname
        if p.alt_surname and rng.random() < 0.35:
            surname = p.alt_surname
        if " " in surname and COMMUNITIES[p.community].get("double_surname"):
            u = rng.random()
            parts = surname.split()
            surname = surname if u < 0.5 else parts[-1] if u < 0.85 else parts[0]
        shorts = short_forms(first)
        if shorts and rng.random() < s.nickname:
            first = rng.choice(shorts)
        if rng.random() < s.initial:
            first = first[0]
        if rng.random() >= s.diacritics:
            first, surname = strip_diacritics(first), strip_diacritics(surname)
        if rng.random() < s.typo:
            first = typo(first, rng)
        if rng.random() < s.typo:
            surname = typo(surname, rng)
        if p.named_after and s.name in ("police", "housing") and rng.random() < 0.2:
            surname += rng.choice((" Jr", " Jnr", " Junior"))
        swap = s.swap * (5 if COMMUNITIES[p.community].get("family_name_first") else 1)
        if rng.random() < swap:
            first, surname = surname, first
        case = s.case if s.case != "as_typed" else rng.choices(("title", "upper", "lower"), (7, 2, 1))[0]
        first, surname = set_case(first, case), set_case(surname, case)
        dob = ""
        if s.name not in self.no_dob and rng.random() >= self.knobs.dob_missing:
            d = wrong_dob(p.dob, rng) if rng.random() < s.dob_wrong else p.dob
            dob = format_date(d, s.date_style)
        sex = ""
        if s.sex_codes and rng.random() > 0.02:
            sex = s.sex_codes[0] if p.sex == "F" else s.sex_codes[1]
        reg = _Registration(first, surname, dob, sex)
        self.registrations[key] = reg
        return reg

    def record(self, h: Household, p: Person, s: Source, day: dt.date) -> Record:
        rng = self.rng
        reg = self.registration(p, s)
        # the home the system shows: where the household lived a little before the record's date
        lag = rng.expovariate(1.0 / s.lag_days) if s.lag_days > 0 else 0.0
        home = h.address_on(day - dt.timedelta(days=int(lag)))
        upper = s.case == "upper"
        address = format_address(home, s.address_style, rng)
        town = home.town if rng.random() < 0.85 else ""
        postcode = ""
        if rng.random() >= s.postcode_missing:
            postcode = postcode_as_written(home.postcode, space=rng.random() < s.postcode_space,
                                           case="lower" if s.case == "as_typed" and rng.random() < 0.1 else "upper",
                                           mistype=rng.random() < s.postcode_typo, rng=rng)
        nhs = uprn = ""
        if self.knobs.identifiers:
            for source, column, share in IDENTIFIERS:
                if source != s.name or rng.random() >= share:
                    continue
                if column == "nhs_number":
                    nhs = self.nhs.setdefault(p.person_id, nhs_number(int(p.person_id[1:])))
                    if rng.random() < 0.005:
                        j = rng.randrange(10)
                        nhs = nhs[:j] + str((int(nhs[j]) + 1) % 10) + nhs[j + 1:]
                else:
                    uprn = f"{100090000000 + home.address_id}"
        return Record("", s.name, reg.first, reg.surname, reg.dob, reg.sex,
                      address.upper() if upper else address, town.upper() if upper else town, postcode,
                      day.isoformat(), nhs, uprn, p.person_id, h.household_id)


def draw_records(households: list[Household], knobs: Knobs, rng: random.Random) -> list[Record]:
    """Every person's records (at least one each), in a shuffled order."""
    drawer = _Drawer(knobs, rng)
    out: list[Record] = []
    for h in households:
        for p in h.members:
            out.extend(drawer.person_records(h, p))
    # ids are given after shuffling, so their order says nothing about who is who
    rng.shuffle(out)
    for i, r in enumerate(out):
        r.record_id = f"{r.source[:3].upper()}{i + 1:08d}"
    return out
