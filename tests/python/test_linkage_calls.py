# SPDX-License-Identifier: Apache-2.0
"""How the scalar string metrics of earlyhelp.linkage are called: they are raw METH_FASTCALL
functions, so positional and keyword arguments, defaults, conversions, wrong types and wrong
argument counts are checked here, and every str storage width (PEP 393: 1, 2 or 4 bytes per code
point) and length class of the kernels is compared with jellyfish and python-Levenshtein."""
import random

import numpy as np
import pytest

from earlyhelp import linkage as L

# jellyfish 0.8.9 parses its arguments with a format Python 3.11 deprecates: one warning per call.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DISTANCES = ["levenshtein", "damerau_levenshtein", "osa", "hamming"]
SIMILARITIES = ["jaro", "jaro_winkler", "levenshtein_normalized"]
METRICS = SIMILARITIES + DISTANCES


@pytest.fixture(scope="module")
def jellyfish():
    return pytest.importorskip("jellyfish", reason="python3-jellyfish is not installed")


@pytest.fixture(scope="module")
def levenshtein_module():
    return pytest.importorskip("Levenshtein", reason="python3-levenshtein is not installed")


def osa_reference(a, b):
    """Optimal string alignment by the textbook programme."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def winkler_reference(a, b, prefix_weight):
    """Winkler's boost of jellyfish's Jaro, for weights jellyfish 0.8.9 cannot be given."""
    j = L.jaro(a, b)
    if j <= 0.7:
        return j
    prefix = 0
    while prefix < min(len(a), len(b), 4) and a[prefix] == b[prefix]:
        prefix += 1
    return j + prefix * prefix_weight * (1 - j)


# ---- signatures ----------------------------------------------------------------------------

def test_names_docstrings_and_return_types():
    for name in METRICS:
        fn = getattr(L, name)
        assert fn.__name__ == name and fn.__module__ == "earlyhelp._core.linkage"
        assert fn.__doc__.startswith(f"{name}(a: str, b: str")
        assert isinstance(fn("Smith", "Smyth"), float if name in SIMILARITIES else int)
    assert L.jaro_winkler.__doc__.startswith(
        "jaro_winkler(a: str, b: str, long_tolerance: bool = False, prefix_weight: float = 0.1) -> float\n\n"
        "Jaro-Winkler similarity")
    assert L.levenshtein.__doc__ == "levenshtein(a: str, b: str) -> int\n\nLevenshtein distance over code points.\n"
    # The aliases of linkage.py are the same functions.
    assert L.jaro_winkler_similarity is L.jaro_winkler and L.levenshtein_distance is L.levenshtein


def test_positional_and_keyword_arguments_agree(jellyfish):
    a, b = "Martha", "Marhta"
    expected = jellyfish.jaro_winkler_similarity(a, b)
    assert L.jaro_winkler(a, b) == expected
    assert L.jaro_winkler(a=a, b=b) == expected
    assert L.jaro_winkler(b=b, a=a) == expected
    assert L.jaro_winkler(a, b=b) == expected
    assert L.jaro_winkler(a, b, False, 0.1) == expected
    assert L.jaro_winkler(a, b, prefix_weight=0.1, long_tolerance=False) == expected
    long_a, long_b = "Christopher", "Kristopher"
    expected_long = jellyfish.jaro_winkler_similarity(long_a, long_b, True)
    assert expected_long != jellyfish.jaro_winkler_similarity(long_a, long_b)
    assert L.jaro_winkler(long_a, long_b, True) == expected_long
    assert L.jaro_winkler(long_a, long_b, long_tolerance=True) == expected_long
    for name in METRICS:
        fn = getattr(L, name)
        assert fn("Dwayne", "Duane") == fn(a="Dwayne", b="Duane") == fn("Dwayne", b="Duane")


def test_prefix_weight():
    for a, b in [("Martha", "Marhta"), ("Dixon", "Dicksonx"), ("Jones", "Johnson"), ("ab", "ab")]:
        for weight in (0.0, 0.05, 0.1, 0.25):
            assert L.jaro_winkler(a, b, prefix_weight=weight) == pytest.approx(winkler_reference(a, b, weight), abs=1e-15)
            assert L.jaro_winkler(a, b, False, weight) == L.jaro_winkler(a, b, prefix_weight=weight)
    assert L.jaro_winkler("Martha", "Marhta", prefix_weight=0) == L.jaro("Martha", "Marhta")


def test_options_convert_as_pybind11_did():
    # bool: True/False, None as False, anything with __bool__ as a number (int, float, numpy).
    base, tolerant = L.jaro_winkler("Christopher", "Kristopher"), L.jaro_winkler("Christopher", "Kristopher", True)
    assert base != tolerant
    for value, expected in [(1, tolerant), (0, base), (None, base), (np.bool_(True), tolerant), (2.5, tolerant)]:
        assert L.jaro_winkler("Christopher", "Kristopher", long_tolerance=value) == expected, value
    # float: int, numpy scalars and objects with __float__ or __index__.
    class Weight:
        def __float__(self):
            return 0.2

    expected = L.jaro_winkler("Martha", "Marhta", prefix_weight=0.2)
    for value in (Weight(), np.float64(0.2), np.float32(0.2).item()):
        assert L.jaro_winkler("Martha", "Marhta", prefix_weight=value) == pytest.approx(expected), value
    assert L.jaro_winkler("Martha", "Marhta", prefix_weight=1) == L.jaro_winkler("Martha", "Marhta", prefix_weight=1.0)
    # str subclasses are str.
    class Name(str):
        pass

    assert L.levenshtein(Name("kitten"), Name("sitting")) == 3


# ---- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", METRICS)
def test_wrong_types_name_the_argument_not_the_value(name):
    fn = getattr(L, name)
    with pytest.raises(TypeError, match=r"^a: expected str, got int$"):
        fn(3, "secret")
    with pytest.raises(TypeError, match=r"^b: expected str, got NoneType$"):
        fn("secret", None)
    with pytest.raises(TypeError, match=r"^a: expected str, got bytes$"):
        fn(b"secret", "secret")
    with pytest.raises(TypeError, match=r"^b: expected str, got float$"):
        fn(a="secret", b=float("nan"))


def test_wrong_option_types():
    with pytest.raises(TypeError, match=r"^long_tolerance: expected bool, got str$"):
        L.jaro_winkler("a", "b", "yes")
    with pytest.raises(TypeError, match=r"^prefix_weight: expected float, got str$"):
        L.jaro_winkler("a", "b", prefix_weight="0.1")
    with pytest.raises(TypeError, match=r"^prefix_weight: expected float, got list$"):
        L.jaro_winkler("a", "b", False, [0.1])


@pytest.mark.parametrize("name", METRICS)
def test_wrong_argument_counts(name):
    fn = getattr(L, name)
    with pytest.raises(TypeError, match=rf"^{name}\(\) missing required argument 'a' \(pos 1\)$"):
        fn()
    with pytest.raises(TypeError, match=rf"^{name}\(\) missing required argument 'b' \(pos 2\)$"):
        fn("a")
    with pytest.raises(TypeError, match=rf"^{name}\(\) missing required argument 'a' \(pos 1\)$"):
        fn(b="a")
    with pytest.raises(TypeError, match=rf"^{name}\(\) got an unexpected keyword argument 'c'$"):
        fn("a", "b", c="c")
    with pytest.raises(TypeError, match=rf"^{name}\(\) got multiple values for argument 'a'$"):
        fn("a", "b", a="a")
    if name == "jaro_winkler":
        with pytest.raises(TypeError, match=r"^jaro_winkler\(\) takes from 2 to 4 positional arguments but 5 were given$"):
            fn("a", "b", False, 0.1, 1)
        with pytest.raises(TypeError, match=r"^jaro_winkler\(\) got multiple values for argument 'long_tolerance'$"):
            fn("a", "b", True, long_tolerance=True)
    else:
        with pytest.raises(TypeError, match=rf"^{name}\(\) takes 2 positional arguments but 3 were given$"):
            fn("a", "b", "c")
        with pytest.raises(TypeError, match=rf"^{name}\(\) got an unexpected keyword argument 'long_tolerance'$"):
            fn("a", "b", long_tolerance=True)


# ---- every storage width and length class --------------------------------------------------

# One alphabet per CPython storage width: ASCII and Latin-1 (1 byte), BMP (2), astral (4).
ALPHABETS = {"ascii": "abcdxyz", "latin1": "abcéëüÿ", "ucs2": "abcłŁžΩ", "ucs4": "abcé😀ł𝔸"}


def edited(a, alphabet, rng):
    """`a` after up to three random insertions, deletions, substitutions or transpositions."""
    for _ in range(rng.randint(0, 3)):
        i, c = rng.randint(0, len(a)), rng.choice(alphabet)
        a = rng.choice([a[:i] + c + a[i:], a[:i] + a[i + 1:], a[:i] + c + a[i + 1:],
                        a[:i] + a[i + 1:i + 2] + a[i:i + 1] + a[i + 2:]])
    return a


def length_class_pairs(alphabet, seed):
    """Pairs of every length from 0 to 20 (the 8-bit kernels switch at 4, 8 and 16 code points)
    and some past 64, edited copies and unrelated strings, with the other string of another
    storage width now and then."""
    rng = random.Random(seed)
    pairs = []
    for n in list(range(21)) + [63, 64, 65, 100]:
        for _ in range(6 if n <= 20 else 2):
            a = "".join(rng.choice(alphabet) for _ in range(n))
            b = edited(a, alphabet, rng)
            if rng.random() < 0.25:
                b += rng.choice("é😀Ω")  # another storage width for b
            pairs.append((a, b))
            pairs.append((a, "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n + 2)))))
    return pairs


@pytest.mark.parametrize("kind", ALPHABETS)
def test_every_storage_width_and_length_against_jellyfish(jellyfish, levenshtein_module, kind):
    for a, b in length_class_pairs(ALPHABETS[kind], seed=len(kind)):
        for x, y in ((a, b), (b, a)):
            assert L.levenshtein(x, y) == jellyfish.levenshtein_distance(x, y) == levenshtein_module.distance(x, y), (x, y)
            assert L.damerau_levenshtein(x, y) == jellyfish.damerau_levenshtein_distance(x, y), (x, y)
            assert L.osa(x, y) == osa_reference(x, y), (x, y)
            assert L.hamming(x, y) == jellyfish.hamming_distance(x, y), (x, y)
            assert L.jaro(x, y) == pytest.approx(jellyfish.jaro_similarity(x, y), abs=1e-12), (x, y)
            assert L.jaro_winkler(x, y) == pytest.approx(jellyfish.jaro_winkler_similarity(x, y), abs=1e-12), (x, y)
            assert L.jaro_winkler(x, y, True) == pytest.approx(jellyfish.jaro_winkler_similarity(x, y, True), abs=1e-12)
            longest = max(len(x), len(y))
            expected = 1.0 if longest == 0 else 1 - L.levenshtein(x, y) / longest
            assert L.levenshtein_normalized(x, y) == pytest.approx(expected, abs=1e-15), (x, y)


def test_unrestricted_damerau_where_osa_differs(jellyfish):
    # A transposition with an insertion between: the shortcut through OSA must not answer.
    for a, b in [("CA", "ABC"), ("ABC", "CA"), ("abcdef", "bcdefa"), ("ca", "abc"), ("zoë", "oëxz")]:
        assert L.damerau_levenshtein(a, b) == jellyfish.damerau_levenshtein_distance(a, b), (a, b)
    assert L.damerau_levenshtein("CA", "ABC") == 2 and L.osa("CA", "ABC") == 3
    rng = random.Random(11)
    for _ in range(3000):
        a = "".join(rng.choice("abcé") for _ in range(rng.randint(0, 7)))
        b = "".join(rng.choice("abcé") for _ in range(rng.randint(0, 7)))
        assert L.damerau_levenshtein(a, b) == jellyfish.damerau_levenshtein_distance(a, b), (a, b)
