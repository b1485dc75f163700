# SPDX-License-Identifier: Apache-2.0
"""The robustness benchmark's own parts: the rule-1 check, the cluster scores, one small run."""

import math
import os
import pathlib
import sys

import pytest

from conftest import SOURCE_DIR

sys.path.insert(0, str(SOURCE_DIR / "benchmarks"))
jellyfish = pytest.importorskip("jellyfish", reason="python3-jellyfish is not installed (scripts/install-deps)")
import linkage_rule1  # noqa: E402
from cluster_scores import cluster_scores  # noqa: E402

# Debian 12's jellyfish (0.9) parses its arguments with a format Python 3.11 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:getargs:DeprecationWarning")


def rec(first, surname, dob, nhs=""):
    return {"first_name": first, "surname": surname, "dob": dob, "nhs_number": nhs}


def test_rule1_flags_two_people_in_one_person():
    # a father and his son: first names and dates of birth both disagree, only the home is shared
    cluster = [rec("Jack", "Smith", "1979-03-12"), rec("Oliver", "Smith", "14/07/2009"),
               rec("JACK", "SMITH", "12/03/1979")]
    out = linkage_rule1.check(cluster, ["p"] * 3, ["father", "son", "father"])
    assert out["rule1"] == 1 and out["rule1_distinct"] == 1
    assert out["twins"] == 0


def test_rule1_passes_one_person_written_many_ways():
    cluster = [rec("William", "Smith", "1980-03-04"),
               rec("Bill", "Smith", "04/03/1980"),        # nickname, other date format
               rec("W", "SMITH", "1980-04-03"),           # initial, day and month swapped
               rec("Smith", "William", "1980-03-04"),     # first name and surname swapped
               rec("Wiliam", "Smith", "1980-03-05"),      # typo in name and in date
               rec("Liam", "Smith", ""),                  # no date of birth
               rec("Olivoa", "Smith", "1988-01-01"),      # another person, but no date conflict...
               ]
    # ...except the last: Olivoa and William disagree on both; without it the cluster is clean
    assert linkage_rule1.check(cluster[:-1], ["p"] * 6)["rule1"] == 0
    assert linkage_rule1.check(cluster, ["p"] * 7)["rule1"] == 1


def test_rule1_nicknames_typos_and_swaps_agree():
    w = linkage_rule1.name_words
    assert linkage_rule1.first_names_agree(w("Kasia"), w("Nowak"), w("Katarzyna"), w("Nowak"))
    assert linkage_rule1.first_names_agree(w("R"), w("Wilson"), w("Bobby"), w("Wilson"))      # initial of Robert
    assert linkage_rule1.first_names_agree(w("OLIVOA"), w("Wright"), w("Liv"), w("Wright"))  # typo of a full form
    assert linkage_rule1.first_names_agree(w("Kaur"), w("Gurleen"), w("Gurleen"), w("Sandhu"))  # swapped
    assert linkage_rule1.first_names_agree(w("Seán"), w("Ó Súilleabháin"), w("SEAN"), w("O SUILLEABHAIN"))
    assert not linkage_rule1.first_names_agree(w("Jack"), w("Smith"), w("Oliver"), w("Smith"))
    assert not linkage_rule1.first_names_agree(w("Amelia"), w("Khan"), w("Zainab"), w("Khan"))


def test_rule1_dates_beyond_a_typo():
    d = linkage_rule1.parse_dob
    assert not linkage_rule1.dobs_disagree(d("1980-03-04"), d("04/03/1980"))   # one date, two formats
    assert not linkage_rule1.dobs_disagree(d("1980-03-04"), d("1980-04-03"))   # day/month transposed
    assert not linkage_rule1.dobs_disagree(d("1980-03-04"), d("1981-03-04"))   # one digit
    assert not linkage_rule1.dobs_disagree(d("1980-03-12"), d("1980-03-21"))   # neighbours transposed
    assert not linkage_rule1.dobs_disagree(d(""), d("2001-01-01"))             # one missing
    assert not linkage_rule1.dobs_disagree(d("31/02/1980"), d("2001-01-01"))   # not a date: missing
    assert linkage_rule1.dobs_disagree(d("1980-03-04"), d("1979-12-04"))
    assert linkage_rule1.dobs_disagree(d("1980-03-04"), d("2009-07-14"))


def test_rule1_identifier_overrides_and_twins():
    same_nhs = [rec("Jack", "Smith", "1979-03-12", "943 476 5919"), rec("Oliver", "Smith", "2009-07-14", "9434765919")]
    assert linkage_rule1.check(same_nhs, ["p", "p"])["rule1"] == 0
    other_nhs = [rec("Jack", "Smith", "1979-03-12", "9434765919"), rec("Oliver", "Smith", "2009-07-14", "9434765870")]
    assert linkage_rule1.check(other_nhs, ["p", "p"])["rule1"] == 1
    twins = [rec("Amelia", "Khan", "2015-06-01"), rec("Zainab", "Khan", "01/06/2015")]
    out = linkage_rule1.check(twins, ["p", "p"], ["a", "b"])
    assert (out["rule1"], out["twins"], out["twins_distinct"]) == (0, 1, 1)
    # apart, nothing is flagged
    assert linkage_rule1.check(twins, ["p", "q"])["twins"] == 0


def test_cluster_scores_by_hand():
    # truth {1,2,3} {4,5}; predicted {1,2} {3,4,5}: predicted pairs 1-2, 3-4, 3-5, 4-5; true pairs
    # 1-2, 1-3, 2-3, 4-5; right: 1-2, 4-5
    s = cluster_scores(["a", "a", "b", "b", "b"], ["x", "x", "x", "y", "y"])
    assert s["precision"] == pytest.approx(0.5) and s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.5)
    # B-cubed precision: records 1,2: 2/2; 3: 1/3; 4,5: 2/3 -> (1+1+1/3+2/3+2/3)/5
    assert s["bcubed_precision"] == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert s["bcubed_recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert (s["clusters"], s["true_clusters"]) == (2, 2)
    # persons z and y share household k, w lives elsewhere: of the wrong pairs 3-4, 3-5, 3-6, 4-6,
    # 5-6, two are within a household
    s = cluster_scores(["a", "a", "b", "b", "b", "b"], ["x", "x", "z", "y", "y", "w"], ["h", "h", "k", "k", "k", "m"])
    assert s["precision"] == pytest.approx(2 / 7) and s["recall"] == pytest.approx(1.0)
    assert s["false_pairs_in_household"] == pytest.approx(2 / 5)
    # one record per person: pairwise recall and F1 are undefined, B-cubed is not
    s = cluster_scores(["a", "a", "b"], [1, 2, 3])
    assert s["precision"] == 0 and math.isnan(s["recall"]) and math.isnan(s["f1"])
    assert s["bcubed_f1"] == pytest.approx(0.8)
    # nothing linked where something should be: F1 0
    assert cluster_scores(["a", "b", "c"], [1, 1, 3])["f1"] == 0
    with pytest.raises(ValueError):
        cluster_scores(["a"], [])


def test_benchmark_small_run(tmp_path):
    build = os.environ.get("EARLYHELP_BUILD_DIR")
    if not build or not (pathlib.Path(build) / "bin" / "earlyhelp").exists():
        pytest.skip("EARLYHELP_BUILD_DIR is not set: run the tests through ctest")
    import bench_linkage_robustness as bench

    out = tmp_path / "robust.md"
    assert bench.main(["--build", build, "--persons", "150", "--seeds", "3", "--only", "default_seed3,household_6",
                       "--out", str(out)]) == 0
    text = out.read_text()
    assert "| default seed3 |" in text and "| household_6 |" in text
    assert "worst council variation" in text and "rule 1" in text
