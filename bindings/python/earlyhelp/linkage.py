# SPDX-License-Identifier: Apache-2.0
"""String and identity primitives of record linkage.

Scalar functions compare Python strings by Unicode code points and match jellyfish 0.8.9
(``jaro_winkler``, ``levenshtein``, ``damerau_levenshtein``, ``hamming``, ``soundex``, ``nysiis``,
``metaphone``, ``match_rating_codex``/``match_rating_comparison``) and its published test vectors.
Vectorised forms take two sequences and return numpy arrays, with the GIL released:

>>> from earlyhelp import linkage
>>> round(linkage.jaro_winkler("martha", "marhta"), 4)
0.9611
>>> linkage.jaro_winkler_many(["William", "Peggy"], ["Williams", "Peggie"]).round(3).tolist()
[0.975, 0.893]
>>> linkage.cdist(["Smith"], ["Smyth", "Smith"], scorer="levenshtein").tolist()
[[1.0, 0.0]]
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from earlyhelp._core import linkage as _linkage
from earlyhelp._core.linkage import (  # noqa: F401
    canonical_forenames,
    compare_addresses,
    compare_dates,
    compare_postcodes,
    damerau_levenshtein,
    double_metaphone,
    extract_address_numbers,
    fold_case,
    fold_diacritics,
    forename_aliases,
    forenames_equivalent,
    hamming,
    jaccard,
    jaro,
    jaro_winkler,
    levenshtein,
    levenshtein_normalized,
    match_rating_codex,
    match_rating_comparison,
    metaphone,
    nhs_number_valid,
    normalise_address,
    normalise_name,
    normalise_nhs_number,
    normalise_postcode,
    normalise_uprn,
    nysiis,
    osa,
    parse_postcode,
    postcode_valid,
    qgram_jaccard,
    soundex,
    surname_variants,
    token_set,
    uprn_valid,
)

# jellyfish's names, so code written for jellyfish can switch by changing its import.
jaro_similarity = jaro
jaro_winkler_similarity = jaro_winkler
levenshtein_distance = levenshtein
damerau_levenshtein_distance = damerau_levenshtein
hamming_distance = hamming

SCORERS = (
    "jaro",
    "jaro_winkler",
    "jaro_winkler_long",
    "levenshtein",
    "levenshtein_normalized",
    "damerau_levenshtein",
    "osa",
    "hamming",
    "jaccard",
    "qgram_jaccard",
    "token_set",
)


def _as_sequence(values: Iterable[str]):
    """Lists and tuples pass as they are; anything else (numpy array, pandas Series) is listed."""
    return values if isinstance(values, (list, tuple)) else list(values)


def pairwise(a: Iterable[str], b: Iterable[str], scorer: str = "jaro_winkler", n_threads: int = 0) -> np.ndarray:
    """Scores aligned pairs ``(a[i], b[i])`` with ``scorer`` (one of :data:`SCORERS`).

    Accepts lists, tuples, numpy arrays or pandas Series of str; None/NaN count as "".
    Returns a float64 array of ``len(a)`` scores (distances as counts, similarities in [0, 1]).
    """
    return _linkage.pairwise(_as_sequence(a), _as_sequence(b), scorer, n_threads)


def cdist(queries: Iterable[str], choices: Iterable[str], scorer: str = "jaro_winkler", n_threads: int = 0) -> np.ndarray:
    """Scores every query against every choice: a ``len(queries) x len(choices)`` float64 array.

    Each query is prepared once (bit-parallel cached scorer for the Jaro and Levenshtein families).
    """
    return _linkage.cdist(_as_sequence(queries), _as_sequence(choices), scorer, n_threads)


def _many(scorer: str):
    def fn(a: Iterable[str], b: Iterable[str], n_threads: int = 0) -> np.ndarray:
        return pairwise(a, b, scorer, n_threads)

    fn.__name__ = f"{scorer}_many"
    fn.__doc__ = f"Vectorised ``{scorer}`` over aligned sequences: returns a float64 numpy array."
    return fn


jaro_many = _many("jaro")
jaro_winkler_many = _many("jaro_winkler")
levenshtein_many = _many("levenshtein")
levenshtein_normalized_many = _many("levenshtein_normalized")
damerau_levenshtein_many = _many("damerau_levenshtein")
osa_many = _many("osa")
hamming_many = _many("hamming")
jaccard_many = _many("jaccard")
qgram_jaccard_many = _many("qgram_jaccard")
token_set_many = _many("token_set")

__all__ = [n for n in dir() if not n.startswith("_") and n not in ("annotations", "Iterable", "np")]

from earlyhelp.linker import Linker, evaluate_clusters, households_correct, link, read_extracts  # noqa: E402,F401
