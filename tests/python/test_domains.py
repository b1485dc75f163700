# SPDX-License-Identifier: Apache-2.0
"""Risk domains from Python: the training table over several dates, its guards, and, as a check
only, the outcomes derived from the extracts against the synthetic council's truth/outcomes.csv
(truth is read by this test alone; the library never reads it)."""
import subprocess

import numpy as np
import pandas as pd
import pytest

import earlyhelp


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def council(synth_and_link, tmp_path_factory):
    """A 3,000-person synthetic council linked once; truth moved out of the extracts' folder."""
    root = tmp_path_factory.mktemp("domains")
    return synth_and_link(root, 3000, 23, "2024-04-01"), root


def test_builtin_domains():
    assert earlyhelp.Domain.builtin_names() == ["safeguarding", "homelessness", "asb", "debt"]
    d = earlyhelp.Domain.builtin("safeguarding")
    assert d.horizon_months == 9 and d.level == "person" and "open_cin" not in d.groups
    assert earlyhelp.Domain.builtin("homelessness").level == "family"


def test_reference_bundles_score_their_domains_features(source_dir):
    # A domain's feature list and its shipped reference bundle change together (retraining):
    # the bundle scores exactly the domain's features, in the domain's order.
    for name in earlyhelp.Domain.builtin_names():
        model = earlyhelp.Model.load(str(source_dir / "lib" / "profiling" / "models" / f"{name}.ehm"))
        assert list(model.feature_names) == list(earlyhelp.Domain.builtin(name).features), name
    # The homelessness candidates a council holds (issue 15), defined in its domain JSON.
    feats = earlyhelp.Domain.builtin("homelessness").features
    assert {"family_rent_nosp_90d", "family_private_tenancy_end", "family_care_leaver",
            "family_single_person_discount_new", "family_adult_substance_misuse"} <= set(feats)


def test_training_table_several_dates(council):
    data, root = council
    t = earlyhelp.training_table("asb", data, root / "persons.csv", ["2023-04-01", "2023-10-01"],
                                 households=root / "households.csv", evaluation_start="2024-04-01")
    assert t.columns[0] == "person_id" and t.columns[1] == "as_of" and t.columns[-1] == "outcome"
    assert set(t["as_of"].dt.strftime("%Y-%m-%d")) == {"2023-04-01", "2023-10-01"}
    assert set(t["outcome"].unique()) <= {0, 1} and t["outcome"].sum() > 0
    assert (t["age"] >= 10).all()
    fam = earlyhelp.training_table("homelessness", data, root / "persons.csv", "2023-04-01",
                                   households=root / "households.csv")
    assert fam.columns[0] == "family_id" and fam["outcome"].sum() > 0
    with pytest.raises(earlyhelp.InvalidArgument, match="evaluation period"):
        earlyhelp.training_table("asb", data, root / "persons.csv", "2023-12-01",
                                 households=root / "households.csv", evaluation_start="2024-04-01")
    with pytest.raises(earlyhelp.InvalidArgument, match="households"):
        earlyhelp.training_table("homelessness", data, root / "persons.csv", "2023-04-01")
    # The activity baselines every model must beat, from the table's own features.
    b = earlyhelp.activity_baselines(t)
    assert list(b) == ["activity, person", "activity, household"]
    np.testing.assert_array_equal(b["activity, person"], t["service_records_12m"].fillna(0).to_numpy())
    assert (b["activity, household"] >= b["activity, person"]).all() and b["activity, person"].sum() > 0
    assert list(earlyhelp.activity_baselines(fam)) == ["activity, household"]  # a family's unit is the household
    assert earlyhelp.activity_baselines(t.drop(columns=["service_records_12m", "family_service_records_12m"])) == {}


@pytest.mark.parametrize("domain", ["safeguarding", "asb", "debt"])
def test_outcomes_agree_with_synthetic_truth(council, domain):
    """A check, not a target: labels derived from the streams agree with the generator's own."""
    data, root = council
    truth = pd.read_csv(root / "truth" / "outcomes.csv", dtype={"person_id": str})
    truth = truth[truth["domain"] == domain]
    horizon = earlyhelp.Domain.builtin(domain).horizon_months
    ends = pd.to_datetime(truth["as_of"]) + pd.DateOffset(months=horizon)
    as_of = sorted(truth.loc[ends <= pd.Timestamp("2025-03-01"), "as_of"].unique())[-1]
    truth = truth[truth["as_of"] == as_of]
    # linked person -> true person, by the most records
    rec = pd.read_csv(root / "truth" / "records.csv", dtype=str)
    links = pd.read_csv(root / "persons.csv", dtype=str)
    m = links.merge(rec, left_on=["source", "record_id"], right_on=["stream", "record_id"], suffixes=("", "_true"))
    best = m.groupby(["person_id", "person_id_true"]).size().reset_index(name="n")
    best = best.sort_values("n").drop_duplicates("person_id", keep="last")
    t = earlyhelp.training_table(domain, data, root / "persons.csv", as_of, households=root / "households.csv")
    t = t.merge(best[["person_id", "person_id_true"]], on="person_id")
    both = t.merge(truth, left_on="person_id_true", right_on="person_id", suffixes=("", "_truth"))
    assert len(both) > 200
    ours, theirs = both["outcome"].to_numpy(), both["outcome_truth"].to_numpy()
    agree = float(np.mean(ours == theirs))
    print(f"{domain} {as_of}: {len(both)} persons, agreement {agree:.3f}, ours {ours.sum()}, truth {theirs.sum()}")
    assert agree >= 0.95
    assert theirs.sum() > 0 and ours.sum() > 0
