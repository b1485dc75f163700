# SPDX-License-Identifier: Apache-2.0
"""The rule-1 check of issue 13: does a linked person hold two records that cannot be one person?

Written for the robustness benchmark, independently of the linker (it reads no linker code and
calls no library function), so that it can judge any build's output.

Definitions (the results file repeats them):

- **first names agree** when either is blank, or, after folding case and diacritics and dropping
  punctuation and suffixes (Jr, Jnr, Junior, Snr), some word of one agrees with some word of the
  other (or the words joined agree): equal; one a prefix of the other of at least three letters
  (Alex, Alexander); at most two keying errors apart (one error in each record: a letter
  inserted, deleted, replaced, or two neighbours transposed, counted by the Damerau-Levenshtein
  distance; one error when the shorter has fewer than four letters); each within one keying
  error of a form of one name in the generator's short-form table (Bill and William, Kasia and
  Katarzyna, Mohd and Muhammad, Olivoa and Liv); or one is an initial: the first letter of the
  other, of a name one error from it, or of another form of its name (R and Bobby); two initials
  agree when one name has forms starting with each (O and L: Olivia, Liv). They also agree when
  one record's first name agrees with the other's surname (names swapped; the other part may be
  another form of a double or Sikh surname). The check is generous to the linker: it counts only pairs that names and dates of
  birth cannot reconcile (one person's records can be such a pair when the data's errors are
  heavy, as in FEBRL, whose duplicates sometimes carry another given name).
- **dates of birth disagree** when both are present and valid and they differ other than by a
  day/month transposition, by one digit of YYYYMMDD, or by two neighbouring digits transposed.
- **an identifier joins** two records when both carry the same NHS number (or UPN or NI number).
- A **rule-1 violation** is a linked person (output cluster) holding two records whose first
  names do not agree and whose dates of birth disagree, with no identifier joining them.
- A **twin merge** is a linked person holding two records with the same date of birth whose
  first names do not agree, with no identifier joining them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from jellyfish import damerau_levenshtein_distance

from robust_council.names import COMMUNITIES, NICKNAMES

_SUFFIXES = {"jr", "jnr", "junior", "snr", "sr", "senior"}
_IDENTIFIER_COLUMNS = ("nhs_number", "upn", "ni_number")


def fold(s: str) -> str:
    s = (s or "").replace("ł", "l").replace("Ł", "L").replace("ı", "i")
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z ]+", " ", s.replace("'", ""))


@functools.lru_cache(maxsize=1 << 18)
def name_words(s: str) -> tuple[str, ...]:
    """ "Mary-Jane O'Neill Jnr" -> ("mary", "jane", "oneill")."""
    return tuple(w for w in fold(s).split() if w not in _SUFFIXES)


def _vocabulary() -> tuple[dict[str, frozenset[int]], dict[str, set[str]]]:
    """Every known first name and short form -> its name groups (a full name and its short forms
    form one group; every known name is also a group of its own), and a one-deletion index of the
    known names for finding those one keying error from a word (SymSpell's idea)."""
    groups: dict[str, set[int]] = defaultdict(set)
    for i, (full, shorts) in enumerate(NICKNAMES.items()):
        for name in (full, *shorts):
            for w in name_words(name):
                groups[w].add(i)
    known = {w for pool in COMMUNITIES.values() for sex in ("male", "female") for n in pool.get(sex, ())
             for w in name_words(n)}
    for k, w in enumerate(sorted(known | set(groups))):
        groups[w].add(len(NICKNAMES) + k)
    deletes: dict[str, set[str]] = defaultdict(set)
    for w in groups:
        for v in _one_deletion(w):
            deletes[v].add(w)
    return {k: frozenset(v) for k, v in groups.items()}, deletes


def _one_deletion(w: str) -> set[str]:
    return {w} | {w[:i] + w[i + 1:] for i in range(len(w))}


_GROUPS, _DELETES = _vocabulary()
_GROUP_INITIALS: dict[int, set[str]] = defaultdict(set)
for _name, _ids in _GROUPS.items():
    for _id in _ids:
        _GROUP_INITIALS[_id].add(_name[0])
# two initials agree when some name has forms starting with each (O and L: Olivia, Liv)
_INITIAL_PAIRS = {(a, b) for letters in _GROUP_INITIALS.values() for a in letters for b in letters}


@functools.lru_cache(maxsize=1 << 16)
def _groups_near(w: str) -> frozenset[int]:
    """The name groups of every known name at most one keying error from w."""
    near = set()
    for v in _one_deletion(w):
        for candidate in _DELETES.get(v, ()):
            if candidate == w or damerau_levenshtein_distance(candidate, w) <= 1:
                near |= _GROUPS[candidate]
    return frozenset(near)


@functools.lru_cache(maxsize=1 << 16)
def _initials_near(w: str) -> frozenset[str]:
    """First letters of w and of every name in a group near w (Bobby -> b, r for Robert)."""
    return frozenset({w[0]}.union(*(_GROUP_INITIALS[g] for g in _groups_near(w))))


@functools.lru_cache(maxsize=1 << 18)
def words_agree(x: str, y: str) -> bool:
    if x == y:
        return True
    if len(x) == 1 and len(y) == 1:
        return (x, y) in _INITIAL_PAIRS
    if len(x) == 1 or len(y) == 1:
        initial, other = (x, y) if len(x) == 1 else (y, x)
        return initial[0] in _initials_near(other)
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    # one keying error, or one in each record (two for names of four letters or more)
    if damerau_levenshtein_distance(x, y) <= (2 if len(short) >= 4 else 1):
        return True
    return bool(_groups_near(x) & _groups_near(y))


def names_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Blank agrees with anything; otherwise some word of each agrees, or the joined words do."""
    if not a or not b:
        return True
    if any(words_agree(x, y) for x in a for y in b):
        return True
    return len(a) + len(b) > 2 and words_agree("".join(a), "".join(b))


def first_names_agree(first_a, surname_a, first_b, surname_b) -> bool:
    """First names agree directly, or one record holds the other's first name as its surname
    (first name and surname swapped; the other name may be another form of a double or Sikh
    surname, so one direction is enough)."""
    if names_agree(first_a, first_b):
        return True
    return bool(first_a and surname_b and names_agree(first_a, surname_b)) or bool(
        first_b and surname_a and names_agree(surname_a, first_b))


def parse_dob(s: str) -> str | None:
    """YYYYMMDD of an ISO, dd/mm/yyyy or yyyymmdd date; None when blank or not a real date."""
    s = (s or "").strip()
    m = (re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s))
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
        if not m:
            return None
        d, mo, y = (int(g) for g in m.groups())
    try:
        dt.date(y, mo, d)
    except ValueError:
        return None
    return f"{y:04d}{mo:02d}{d:02d}"


@functools.lru_cache(maxsize=1 << 18)
def dobs_disagree(a: str | None, b: str | None) -> bool:
    """Both present and apart by more than a typo or a day/month transposition."""
    if a is None or b is None or a == b:
        return False
    if a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]:
        return False
    diff = [i for i in range(8) if a[i] != b[i]]
    if len(diff) == 1:
        return False
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return False
    return True


def _identifier(row: dict) -> tuple[str, ...]:
    return tuple(re.sub(r"\D", "", str(row.get(c) or "")) if c == "nhs_number" else str(row.get(c) or "").strip()
                 for c in _IDENTIFIER_COLUMNS)


def _joined(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(x and x == y for x, y in zip(a, b))


def check(records: Sequence[dict], clusters: Sequence, truth: Sequence | None = None) -> dict:
    """Counts linked persons holding a rule-1 violation or a twin merge.

    `records` are dicts with first_name, surname, dob and any of nhs_number/upn/ni_number;
    `clusters` the output person of each record; `truth` (optional) the true person of each
    record, to count how many flagged persons hold the violating pair across two true persons
    (the rest are one person's records made irreconcilable by the data's errors).

    Returns {"persons": clusters checked, "rule1": flagged, "rule1_distinct": flagged with a
    pair from two true persons (with truth), "twins": ..., "twins_distinct": ...}.
    """
    if len(records) != len(clusters):
        raise ValueError(f"check: {len(records)} records but {len(clusters)} cluster labels")
    members: dict = defaultdict(lambda: defaultdict(set))
    for i, (r, c) in enumerate(zip(records, clusters)):
        key = (name_words(r.get("first_name", "")), name_words(r.get("surname", "")),
               parse_dob(r.get("dob", "")), _identifier(r))
        members[c][key].add(truth[i] if truth is not None else 0)
    out = {"persons": len(members), "rule1": 0, "rule1_distinct": 0, "twins": 0, "twins_distinct": 0}
    for groups in members.values():
        if len(groups) < 2:
            continue
        found = {"rule1": False, "rule1_distinct": False, "twins": False, "twins_distinct": False}
        items = list(groups.items())
        for i in range(len(items)):
            (fa, sa, da, ia), ta = items[i]
            for j in range(i + 1, len(items)):
                (fb, sb, db, ib), tb = items[j]
                if da is None or db is None or _joined(ia, ib):
                    continue
                same_dob = da == db
                if not same_dob and not dobs_disagree(da, db):
                    continue
                if first_names_agree(fa, sa, fb, sb):
                    continue
                kind = "twins" if same_dob else "rule1"
                found[kind] = True
                if truth is not None and (len(ta | tb) > 1):
                    found[kind + "_distinct"] = True
            if all(found.values()) or (truth is None and found["rule1"] and found["twins"]):
                break
        for k, v in found.items():
            out[k] += int(v)
    if truth is None:
        del out["rule1_distinct"], out["twins_distinct"]
    return out
