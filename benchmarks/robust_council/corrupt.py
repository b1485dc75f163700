# SPDX-License-Identifier: Apache-2.0
"""The ways a field goes wrong when somebody types it into a system.

Every function takes the random generator it draws from, so a draw is fixed by the seed.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

# letters a finger slips to on a UK keyboard
_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv",
    "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm",
    "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji",
    "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def strip_diacritics(s: str) -> str:
    """"Łukasz Wiśniewski" -> "Lukasz Wisniewski" (the letters systems without Unicode keep)."""
    s = s.replace("ł", "l").replace("Ł", "L").replace("ı", "i").replace("İ", "I")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def typo(s: str, rng: random.Random) -> str:
    """One keying error: a letter inserted, deleted, replaced by a neighbouring key, or two
    neighbouring letters transposed. The first letter is rarely wrong (people check it)."""
    if len(s) < 2:
        return s
    kind = rng.choice(("insert", "delete", "substitute", "transpose"))
    i = 1 + rng.randrange(len(s) - 1) if rng.random() < 0.9 else 0
    ch = s[i]
    low = ch.lower()
    near = _NEIGHBOURS.get(low, "aeiou")
    new = rng.choice(near)
    new = new.upper() if ch.isupper() else new
    if kind == "insert":
        return s[:i] + new + s[i:]
    if kind == "delete" and len(s) > 3:
        return s[:i] + s[i + 1:]
    if kind == "transpose" and i + 1 < len(s) and s[i] != s[i + 1]:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + new + s[i + 1:]


def set_case(s: str, style: str) -> str:
    """`upper`, `lower`, `title` or `as_typed` (left alone)."""
    if style == "upper":
        return s.upper()
    if style == "lower":
        return s.lower()
    if style == "title":
        # "o'brien" -> "O'Brien", "mary-jane" -> "Mary-Jane"
        out, cap = [], True
        for ch in s.lower():
            out.append(ch.upper() if cap else ch)
            cap = not ch.isalpha()
        return "".join(out)
    return s


def wrong_dob(dob: dt.date, rng: random.Random) -> dt.date:
    """A date of birth as a clerk mistypes it: day and month swapped (when both can be a month),
    one digit of the day or of the year's last two digits wrong, the year one out, or the first of
    January of the right year (a system's placeholder for an unknown day)."""
    for _ in range(10):
        kind = rng.choice(("swap", "swap", "day_digit", "year_digit", "year_off", "placeholder"))
        try:
            if kind == "swap" and dob.day <= 12 and dob.day != dob.month:
                return dob.replace(day=dob.month, month=dob.day)
            if kind == "day_digit":
                d = f"{dob.day:02d}"
                j = rng.randrange(2)
                d = d[:j] + str(rng.randrange(10)) + d[j + 1:]
                if d != f"{dob.day:02d}":
                    return dob.replace(day=int(d))
            if kind == "year_digit":
                y = str(dob.year)
                y = y[:3] + str(rng.randrange(10))
                if int(y) != dob.year and int(y) <= 2024:
                    return dob.replace(year=int(y))
            if kind == "year_off":
                return dob.replace(year=dob.year + rng.choice((-1, 1)))
            if kind == "placeholder" and (dob.day, dob.month) != (1, 1):
                return dob.replace(day=1, month=1)
        except ValueError:  # 29 February in another year, a day 0 or 39
            continue
    return dob


def format_date(d: dt.date, style: str) -> str:
    """`iso` 2014-07-05 or `dmy` 05/07/2014."""
    return d.isoformat() if style == "iso" else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def postcode_as_written(postcode: str, *, space: bool, case: str, mistype: bool, rng: random.Random) -> str:
    """A postcode as a system holds it: with or without the space, in upper or lower case, and
    now and then with one character of the inward code, or the district digit, mistyped."""
    outward, inward = postcode.split()
    if mistype:
        if rng.random() < 0.7:
            j = rng.randrange(3)
            pool = "0123456789" if j == 0 else _POSTCODE_LETTERS
            inward = inward[:j] + rng.choice([c for c in pool if c != inward[j]]) + inward[j + 1:]
        else:
            digits = outward[2:]
            outward = outward[:2] + str((int(digits) + rng.choice((-1, 1))) % 30 or 1)
    pc = f"{outward} {inward}" if space else outward + inward
    return pc.lower() if case == "lower" else pc
