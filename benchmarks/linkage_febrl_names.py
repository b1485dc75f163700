#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Could a wider notion of "a typo" keep FEBRL's duplicates apart from twins?

Rule 1 of issue 13 keeps twins (one date of birth, first names that disagree) apart. FEBRL
without the SSN has many true pairs of that shape. This counts, for FEBRL3 and 4a/4b, the true
pairs whose first names the benchmark's check (linkage_rule1.py) calls different, by whether their
dates of birth are equal, and how many of them a phonetic code (Soundex, NYSIIS, Metaphone: any
one shared) or a Jaro-Winkler similarity of 0.80 or more would call one name. Prints a table; the
README's robustness section quotes it.

    /usr/bin/python3 benchmarks/linkage_febrl_names.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import pathlib
import re
import sys

import jellyfish

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import linkage_rule1 as rule1  # noqa: E402  (beside this script)
from bench_linkage_robustness import febrl_rows  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def count(records: list[dict]) -> collections.Counter:
    groups = collections.defaultdict(list)
    for r in records:
        groups[re.match(r"rec-(\d+)", r["rec_id"]).group(1)].append(r)
    out = collections.Counter()
    for rows in groups.values():
        for x, y in itertools.combinations(rows, 2):
            fx, fy = x["given_name"], y["given_name"]
            if not fx or not fy or rule1.first_names_agree(rule1.name_words(fx), rule1.name_words(x["surname"]),
                                                           rule1.name_words(fy), rule1.name_words(y["surname"])):
                continue
            kind = "same date of birth" if x["date_of_birth"] and x["date_of_birth"] == y["date_of_birth"] else "other"
            out[kind, "pairs"] += 1
            codes = (jellyfish.soundex, jellyfish.nysiis, jellyfish.metaphone)
            out[kind, "phonetic"] += any(code(fx) == code(fy) for code in codes)
            out[kind, "jaro_winkler"] += jellyfish.jaro_winkler_similarity(fx, fy) >= 0.80
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    febrl = pathlib.Path(ap.parse_args().shared) / "febrl"
    if not (febrl / "dataset3.csv").exists():
        print(f"skipped: no FEBRL data under {febrl}")
        return 0
    sets = {"FEBRL3": febrl_rows(febrl / "dataset3.csv"),
            "FEBRL 4a/4b": febrl_rows(febrl / "dataset4a.csv") + febrl_rows(febrl / "dataset4b.csv")}
    print("| data | dates of birth | true pairs, first names differ | a phonetic code agrees | Jaro-Winkler >= 0.80 |")
    print("|---|---|---:|---:|---:|")
    for name, records in sets.items():
        c = count(records)
        for kind in ("same date of birth", "other"):
            print(f"| {name} | {kind} | {c[kind, 'pairs']} | {c[kind, 'phonetic']} | {c[kind, 'jaro_winkler']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
