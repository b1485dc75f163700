# SPDX-License-Identifier: Apache-2.0
"""Who lives where: persons in households at addresses over the period, the ground truth.

Households are families (a couple or a lone parent with children close in age, sometimes twins,
sometimes a son named after his father), couples, people living alone, house shares of unrelated
adults, families with a lodger and three-generation families. Some households move during the
period, and the home they leave may be let to another household (successive occupants).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

from .knobs import Knobs
from .names import COMMUNITIES
from .places import Address, draw_addresses

PERIOD_START = dt.date(2021, 1, 1)
PERIOD_END = dt.date(2024, 12, 31)
AS_OF = dt.date(2025, 1, 1)
YEAR = 365.25

# how likely a family names a son after his father, by community
JUNIOR_RATE = {"white_british": 0.05, "caribbean": 0.08, "west_african": 0.06, "portuguese": 0.04,
               "irish": 0.04}


@dataclasses.dataclass
class Person:
    person_id: str
    household_id: str
    first: str
    surname: str
    sex: str                    # "F" or "M"
    dob: dt.date
    community: str
    role: str                   # parent, child, grandparent, single, partner, sharer, lodger
    alt_surname: str = ""       # Singh/Kaur for Sikhs whose records may carry either
    twin_of: str = ""
    named_after: str = ""       # the father a junior is named after


@dataclasses.dataclass
class Household:
    household_id: str
    kind: str
    members: list[Person]
    homes: list[tuple[dt.date, Address]]   # (from, address), the first from before the period

    def address_on(self, day: dt.date) -> Address:
        current = self.homes[0][1]
        for start, address in self.homes:
            if start <= day:
                current = address
        return current


def poisson(lam: float, rng: random.Random) -> int:
    """A Poisson draw (Knuth's method; lam is small here)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Names:
    """Rank-weighted draws from the community pools (a few names common, many rare)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.cum: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
        communities = list(COMMUNITIES)
        shares = [COMMUNITIES[c]["share"] for c in communities]
        self.communities, self.community_cum = communities, _cumulative(shares)

    def pool(self, community: str, kind: str) -> tuple[list[str], list[float]]:
        key = (community, kind)
        if key not in self.cum:
            names = COMMUNITIES[community][kind]
            self.cum[key] = (names, _cumulative([1.0 / (i + 1) ** 0.9 for i in range(len(names))]))
        return self.cum[key]

    def community(self) -> str:
        return self.rng.choices(self.communities, cum_weights=self.community_cum)[0]

    def first(self, community: str, sex: str, avoid: set[str] = frozenset()) -> str:
        names, cum = self.pool(community, "male" if sex == "M" else "female")
        for _ in range(30):
            name = self.rng.choices(names, cum_weights=cum)[0]
            if name not in avoid:
                return name
        return name

    def surname(self, community: str) -> str:
        if community == "somali":
            return self.first(community, "M")       # a father's first name
        names, cum = self.pool(community, "surname")
        name = self.rng.choices(names, cum_weights=cum)[0]
        if COMMUNITIES[community].get("double_surname") and self.rng.random() < 0.6:
            second = self.rng.choices(names, cum_weights=cum)[0]
            if second != name:
                name = f"{name} {second}"
        return name


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _dob(age_years: float, rng: random.Random) -> dt.date:
    # at least a day before AS_OF, so everybody is born within the period's records
    return AS_OF - dt.timedelta(days=int(age_years * YEAR) + rng.randrange(2, 367))


class _Builder:
    def __init__(self, knobs: Knobs, rng: random.Random):
        self.knobs, self.rng, self.names = knobs, rng, _Names(rng)
        self.persons = 0

    def person(self, hid: str, community: str, sex: str, age: float | None, role: str, *, dob: dt.date | None = None,
               first: str = "", surname: str = "", avoid: set[str] = frozenset()) -> Person:
        self.persons += 1
        pid = f"P{self.persons:07d}"
        first = first or self.names.first(community, sex, avoid)
        alt = ""
        if community == "indian" and (first in COMMUNITIES["indian"]["sikh_given"]):
            alt = "Singh" if sex == "M" else "Kaur"
            surname = surname or self.rng.choice(COMMUNITIES["indian"]["sikh_family"])
        surname = surname or self.names.surname(community)
        return Person(pid, hid, first, surname, sex, dob or _dob(age, self.rng), community, role, alt_surname=alt)

    def size(self) -> int:
        return min(12, 1 + poisson(self.knobs.household_mean - 1.0, self.rng))

    def household(self, hid: str, n: int) -> tuple[str, list[Person]]:
        rng = self.rng
        c = self.names.community()
        if n == 1:
            age = rng.choice([rng.uniform(18, 35), rng.uniform(35, 65), rng.uniform(65, 95)])
            return "single", [self.person(hid, c, rng.choice("FM"), age, "single")]
        u = rng.random()
        if n <= 6 and u < 0.08:
            return "house_share", [self.person(hid, self.names.community(), rng.choice("FM"), rng.uniform(18, 45),
                                               "sharer") for _ in range(n)]
        if n >= 3 and u < 0.16:
            kind, members = self.family(hid, c, n - 1, grandparents=0)
            return "family_with_lodger", members + [self.person(hid, self.names.community(), rng.choice("FM"),
                                                                rng.uniform(19, 60), "lodger")]
        if n >= 4 and u < 0.26:
            g = 1 if n == 4 or rng.random() < 0.5 else 2
            return "three_generations", self.family(hid, c, n - g, grandparents=g)[1]
        return self.family(hid, c, n, grandparents=0)

    def family(self, hid: str, c: str, n: int, grandparents: int) -> tuple[str, list[Person]]:
        rng = self.rng
        couple = n >= 2 and rng.random() < 0.72
        kids = n - (2 if couple else 1)
        if kids == 0:
            age = rng.uniform(20, 85)
            father = self.person(hid, c, "M", max(18.0, age + rng.gauss(2.5, 4)), "partner")
            mother = self.person(hid, c, "F", age, "partner")
            if c != "somali" and rng.random() < 0.6:
                mother.surname = father.surname
            return "couple", [father, mother]
        # children, youngest first, close in age; twins share a date of birth
        youngest = rng.uniform(0, 14) if kids < 5 else rng.uniform(0, 6)
        ages = [youngest]
        twins: set[int] = set()
        for i in range(1, kids):
            if rng.random() < 0.03:
                twins.add(i)
                ages.append(ages[-1])
            else:
                ages.append(ages[-1] + rng.uniform(0.9, 3.5))
        mother_age = ages[-1] + rng.uniform(18, 38)
        father_age = max(mother_age - 8, mother_age + rng.gauss(2.5, 4))
        if couple:
            father = self.person(hid, c, "M", father_age, "parent")
            mother = self.person(hid, c, "F", mother_age, "parent")
            if c != "somali" and rng.random() < 0.65:
                mother.surname = father.surname
            members = [father, mother]
            # children take the father's surname (a Somali child: his first name)
            kid_surname = father.first if c == "somali" else (
                father.surname if rng.random() < 0.92 else mother.surname)
        elif rng.random() < 0.12:
            father = self.person(hid, c, "M", father_age, "parent")
            members = [father]
            kid_surname = father.first if c == "somali" else father.surname
        else:
            father = None
            mother = self.person(hid, c, "F", mother_age, "parent")
            members = [mother]
            # an absent father's surname (or first name) or the mother's
            if c == "somali":
                kid_surname = self.names.first(c, "M")
            else:
                kid_surname = mother.surname if rng.random() < 0.6 else self.names.surname(c)
        given: set[str] = {m.first for m in members}
        jr_rate = JUNIOR_RATE.get(c, 0.01)
        previous: Person | None = None
        junior_named = False
        for i, age in enumerate(ages):
            sex = rng.choice("FM")
            twin = i in twins and previous is not None
            first = ""
            if sex == "M" and father is not None and not junior_named and rng.random() < jr_rate:
                first, junior_named = father.first, True
            kid = self.person(hid, c, sex, age, "child", dob=previous.dob if twin else None, first=first,
                              surname=kid_surname, avoid=given)
            if first:
                kid.named_after = father.person_id
            if twin:
                kid.twin_of = previous.person_id
            given.add(kid.first)
            members.append(kid)
            previous = kid
        # grandparents: the first parent's parents (a Somali grandfather's first name is that
        # parent's second name)
        head = members[0]
        head_age = (AS_OF - head.dob).days / YEAR
        sexes = [rng.choice("FM")] if grandparents == 1 else ["M", "F"][:grandparents]
        for sex in sexes:
            age = head_age + rng.uniform(20, 36)
            if c == "somali":
                gp = self.person(hid, c, sex, age, "grandparent", first=head.surname if sex == "M" else "")
            else:
                gp = self.person(hid, c, sex, age, "grandparent", surname=head.surname)
            members.append(gp)
        if grandparents:
            return "three_generations", members
        return ("couple_with_children" if couple else "lone_parent"), members


def draw_population(knobs: Knobs, rng: random.Random) -> list[Household]:
    """Households until `knobs.persons` persons live in them, each with its homes over the period."""
    builder = _Builder(knobs, rng)
    households: list[Household] = []
    while builder.persons < knobs.persons:
        hid = f"H{len(households) + 1:06d}"
        n = min(builder.size(), knobs.persons - builder.persons)
        kind, members = builder.household(hid, n)
        households.append(Household(hid, kind, members, []))
    # homes: each household one dwelling; about 15% move during the period, to a dwelling nobody
    # had or (a third of the time) to one a household left earlier
    addresses = draw_addresses(int(len(households) * 1.3) + 10, rng)
    spare = addresses[len(households):]
    for h, a in zip(households, addresses):
        h.homes.append((PERIOD_START - dt.timedelta(days=3650), a))
    moves = []
    for h in households:
        if rng.random() < 0.15:
            moves.append((PERIOD_START + dt.timedelta(days=rng.randrange((PERIOD_END - PERIOD_START).days)), h))
    moves.sort(key=lambda m: (m[0], m[1].household_id))
    vacated: list[tuple[dt.date, Address]] = []
    for day, h in moves:
        free = [a for left, a in vacated if left < day - dt.timedelta(days=30)]
        if free and rng.random() < 0.33:
            new = rng.choice(free)
            vacated = [(left, a) for left, a in vacated if a.address_id != new.address_id]
        elif spare:
            new = spare.pop()
        else:
            continue
        vacated.append((day, h.homes[-1][1]))
        h.homes.append((day, new))
    return households
