# SPDX-License-Identifier: Apache-2.0
"""Where residents live: a council area's towns, streets, house numbers, flats and postcodes.

The area is one postcode area ("HX", used as a label only) of about twenty districts spread over
a handful of towns. Streets belong to a district and sector; a unit postcode covers about a dozen
neighbouring addresses on one street, as Royal Mail units do. A street name can occur in two
towns ("Church Lane"), and blocks of flats put many households at one building.
"""

from __future__ import annotations

import dataclasses
import random

AREA = "HX"
TOWNS = ["Halebridge", "Ovenfield", "Brighouse Vale", "Sowerton", "Elland Moor", "Todley",
         "Ripponden Green", "Hebden Ford"]
STREET_STEMS = ["Church", "Mill", "Station", "Victoria", "Albert", "Park", "Queen", "King", "High",
                "Manor", "Priory", "Chapel", "School", "Spring", "Well", "Moor", "Green", "Oak", "Ash",
                "Elm", "Beech", "Holly", "Willow", "Cedar", "Rowan", "Hawthorn", "Heather", "Fern",
                "Bank", "Brook", "River", "Canal", "Hill", "Dale", "Clough", "Ridge", "Crown", "Market",
                "Bridge", "Castle", "Abbey", "Grange", "Hall", "Lodge", "Meadow", "Orchard", "Windmill",
                "Foundry", "Wharf", "Coronation", "Jubilee", "Stanley", "Gladstone", "Nelson",
                "Wellington", "Salisbury", "Granville", "Clarence", "Cavendish", "Lister", "Akroyd",
                "Savile", "Southowram", "Shibden", "Skircoat", "Warley", "Luddenden", "Norland"]
STREET_KINDS = ["Road", "Street", "Lane", "Avenue", "Close", "Crescent", "Drive", "Grove", "Terrace",
                "Way", "Court", "Gardens", "Place", "Walk", "Rise", "View", "Mews", "Fold"]
ABBREVIATIONS = {"Road": "Rd", "Street": "St", "Lane": "Ln", "Avenue": "Ave", "Close": "Cl",
                 "Crescent": "Cres", "Drive": "Dr", "Grove": "Gr", "Terrace": "Terr", "Court": "Ct",
                 "Gardens": "Gdns", "Place": "Pl", "Walk": "Wk", "Mews": "Mws"}
BLOCK_NAMES = ["House", "Court", "Heights", "Tower", "Mansions", "Point"]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# a flat in a block, and a flat in a converted house, by address style
BLOCK_FORMATS = {"full": "Flat {flat}, {building}, {number} {street}", "abbreviated": "{flat} {building} {number} {street}",
                 "terse": "Flat {flat} {building}"}
FLAT_FORMATS = {"full": "Flat {flat}, {number} {street}", "abbreviated": "{flat}/{number} {street}",
                "terse": "{number} {street} Flat {flat}"}  # the inward code never uses C, I, K, M, O, V


@dataclasses.dataclass(frozen=True)
class Address:
    """One dwelling: a house, or a flat in a block or a converted house."""
    address_id: int
    number: str           # house number, may carry a letter ("14A")
    street: str           # "Priory Road"
    flat: str             # "" or the flat number within the building
    building: str         # "" or a block's name ("Priory Court")
    town: str
    postcode: str         # "HX3 5QT"


def _postcode(district: int, sector: int, unit: int) -> str:
    letters = POSTCODE_LETTERS
    return f"{AREA}{district} {sector}{letters[(unit // len(letters)) % len(letters)]}{letters[unit % len(letters)]}"


def draw_addresses(n: int, rng: random.Random) -> list[Address]:
    """n dwellings over the area's towns: streets of houses, converted houses and blocks of flats."""
    out: list[Address] = []
    unit_counter: dict[tuple[int, int], int] = {}
    n_districts = 20
    town_of_district = {d: TOWNS[(d - 1) * len(TOWNS) // n_districts] for d in range(1, n_districts + 1)}
    used_streets: set[tuple[str, str]] = set()
    while len(out) < n:
        district = rng.randint(1, n_districts)
        town = town_of_district[district]
        sector = rng.randint(1, 9)
        # common stems repeat across towns ("Church Lane" in two towns), never twice in one town
        for _ in range(20):
            street = f"{rng.choice(STREET_STEMS)} {rng.choice(STREET_KINDS)}"
            if (street, town) not in used_streets:
                break
        used_streets.add((street, town))
        kind = rng.random()
        if kind < 0.12:
            # a block of flats: one number, one postcode unit or two, many dwellings
            stem = street.split()[0]
            building = f"{stem} {rng.choice(BLOCK_NAMES)}"
            number = str(rng.randint(1, 60))
            key = (district, sector)
            unit = unit_counter.get(key, rng.randrange(400))
            unit_counter[key] = unit + 1
            for flat in range(1, rng.randint(8, 40) + 1):
                out.append(Address(len(out), number, street, str(flat), building, town,
                                   _postcode(district, sector, unit)))
            continue
        houses = rng.randint(10, 90)
        start = rng.choice([1, 1, 2])
        step = rng.choice([1, 2, 2])
        per_unit = rng.randint(8, 16)
        key = (district, sector)
        unit = unit_counter.get(key, rng.randrange(400))
        for i in range(houses):
            if i % per_unit == 0:
                unit += 1
            number = str(start + i * step)
            if rng.random() < 0.03:
                number += rng.choice("AB")
            if rng.random() < 0.08:
                # a house converted into flats
                for flat in range(1, rng.randint(2, 4) + 1):
                    out.append(Address(len(out), number, street, str(flat), "", town,
                                       _postcode(district, sector, unit)))
            else:
                out.append(Address(len(out), number, street, "", "", town, _postcode(district, sector, unit)))
        unit_counter[key] = unit + 1
    rng.shuffle(out)
    return [dataclasses.replace(a, address_id=i) for i, a in enumerate(out[:n])]


def format_address(a: Address, style: str, rng: random.Random) -> str:
    """The address line as a source writes it: `full` ("Flat 3, 12 Priory Road"), `abbreviated`
    ("3/12 Priory Rd") or `terse` (no comma, kind abbreviated, flat after the street)."""
    street = a.street
    if style != "full":
        head, kind = street.rsplit(" ", 1)
        street = f"{head} {ABBREVIATIONS.get(kind, kind)}"
        if style == "terse" and rng.random() < 0.3:
            street += "."
    if a.building:
        return BLOCK_FORMATS[style].format(flat=a.flat, building=a.building, number=a.number, street=street)
    if a.flat:
        return FLAT_FORMATS[style].format(flat=a.flat, number=a.number, street=street)
    if style == "full" and rng.random() < 0.2:
        return f"{a.number}, {street}"
    return f"{a.number} {street}"
