# SPDX-License-Identifier: Apache-2.0
"""The record linker from Python and the `earlyhelp link` verb."""

import json
import subprocess

import pandas as pd
import pytest

import earlyhelp
from earlyhelp import linkage

FEBRL_MAP = {"rec_id": "record_id", "given_name": "first_name", "street_number": "address",
             "address_1": "address", "address_2": "address", "suburb": "town",
             "date_of_birth": "dob", "soc_sec_id": "nhs_number"}


def febrl(shared_data, name):
    path = shared_data / "febrl" / name
    if not path.exists():
        pytest.skip("FEBRL data not found")
    df = pd.read_csv(path, dtype=str, skipinitialspace=True)
    df.columns = [c.strip() for c in df.columns]
    return df


def truth_of(ids):
    return [i.split("-")[1] for i in ids]


def test_link_febrl_dataset1(shared_data):
    df = febrl(shared_data, "dataset1.csv")
    persons = earlyhelp.link(df, settings={"u_sample_pairs": 200000}, column_map=FEBRL_MAP)
    assert list(persons.columns) == ["record_id", "person_id"]
    ev = linkage.evaluate_clusters(persons.person_id.tolist(), truth_of(persons.record_id))
    assert ev["f1"] >= 0.99


def test_link_febrl_dataset3_without_ssn_finds_no_households(shared_data):
    # FEBRL is a list of individuals: nobody shares a home, and a duplicate may carry another
    # given name. The default ("households": "auto") sees that in the records and links them.
    df = febrl(shared_data, "dataset3.csv")
    no_ssn = {k: v for k, v in FEBRL_MAP.items() if k != "soc_sec_id"}
    lk = earlyhelp.Linker()
    lk.add_records(df, column_map=no_ssn)
    persons = lk.link()
    assert lk.stats["households"] is False
    assert [w for w in lk.warnings if w.startswith("households: the records show no people sharing homes")]
    ev = linkage.evaluate_clusters(persons.person_id.tolist(), truth_of(df.rec_id.str.strip()))
    assert ev["f1"] >= 0.995
    # Forced on, the twin rule keeps FEBRL's replaced given names apart.
    forced = earlyhelp.Linker({"households": "present"})
    forced.add_records(df, column_map=no_ssn)
    ev_forced = linkage.evaluate_clusters(forced.link().person_id.tolist(), truth_of(df.rec_id.str.strip()))
    assert forced.stats["households"] is True and ev_forced["f1"] < ev["f1"]


def test_linker_explain_lookup_incremental(shared_data):
    df = febrl(shared_data, "dataset1.csv")
    base, extra = df.iloc[:900], df.iloc[900:]
    lk = earlyhelp.Linker({"u_sample_pairs": 200000})
    lk.add_records(base, column_map=FEBRL_MAP)
    lk.fit()
    links = lk.predict()
    assert {"record_id_l", "record_id_r", "match_probability"} <= set(links.columns)
    lk.cluster()
    ex = lk.explain(links.record_id_l[0], links.record_id_r[0])
    assert sum(t[2] for t in ex["terms"]) == pytest.approx(ex["weight"])
    first = base.iloc[0]
    best = lk.lookup({"first_name": first.given_name, "surname": first.surname, "dob": first.date_of_birth,
                      "postcode": first.postcode})
    assert best and best[0][1] in set(base.rec_id)
    added = lk.add_records(extra, column_map=FEBRL_MAP)
    assert len(added) == len(extra)
    assert json.loads(lk.model_json())["format"] == "earlyhelp.linkage.model"
    with pytest.raises(earlyhelp.InvalidArgument):
        lk.explain("no-such-record", links.record_id_l[0])


def test_linker_link_runs_the_steps(shared_data):
    df = febrl(shared_data, "dataset1.csv").iloc[:600]
    steps = earlyhelp.Linker({"u_sample_pairs": 200000})
    steps.add_records(df, column_map=FEBRL_MAP)
    steps.fit()
    steps.predict()
    steps.cluster()
    one = earlyhelp.Linker({"u_sample_pairs": 200000})
    one.add_records(df, column_map=FEBRL_MAP)
    persons = one.link()
    assert persons.person_id.tolist() == steps.person_ids()
    assert earlyhelp.link(df, settings={"u_sample_pairs": 200000}, column_map=FEBRL_MAP).person_id.tolist() == steps.person_ids()
    with pytest.raises(earlyhelp.StateError):
        one.link()


def test_bad_settings_and_columns():
    with pytest.raises(earlyhelp.InvalidArgument, match="treshold"):
        earlyhelp.Linker({"treshold": 0.5})
    with pytest.raises(ValueError, match="record_id"):
        earlyhelp.link(pd.DataFrame({"first_name": ["a"]}))


def test_cli_link_input_and_bad_input(cli, tmp_path, shared_data):
    path = shared_data / "febrl" / "dataset1.csv"
    if not path.exists():
        pytest.skip("FEBRL data not found")
    out, hh = tmp_path / "p.csv", tmp_path / "h.csv"
    mapping = ",".join(f"{k}={v}" for k, v in FEBRL_MAP.items())
    r = subprocess.run([cli, "--no-audit", "link", "--input", str(path), "--output", str(out),
                        "--households", str(hh), "--map", mapping, "--as-of", "2024-01-01"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    persons = pd.read_csv(out, dtype=str)
    assert list(persons.columns) == ["record_id", "person_id"] and len(persons) == 1000
    assert list(pd.read_csv(hh, dtype=str).columns) == ["record_id", "person_id", "household_id", "role", "family"]
    empty = tmp_path / "empty.csv"
    empty.write_text("record_id,first_name\n")
    r = subprocess.run([cli, "--no-audit", "link", "--input", str(empty), "--output", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "no records" in r.stderr
    r = subprocess.run([cli, "--no-audit", "link", "--input", str(path), "--output", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "record_id" in r.stderr


def test_cli_link_data_folder(cli, tmp_path):
    data = tmp_path / "council"
    r = subprocess.run([cli, "--no-audit", "synth", "--persons", "1500", "--seed", "3", "--out", str(data),
                        "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out, hh = tmp_path / "persons.csv", tmp_path / "households.csv"
    r = subprocess.run([cli, "--no-audit", "link", "--data", str(data), "--output", str(out), "--households",
                        str(hh), "--as-of", "2025-01-01"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "lag behind a move (estimated):" in r.stderr
    persons = pd.read_csv(out, dtype=str)
    truth = pd.read_csv(data / "truth" / "records.csv", dtype=str)
    m = truth.merge(persons, left_on=["stream", "record_id"], right_on=["source", "record_id"])
    assert len(m) == len(truth) == len(persons)
    ev = linkage.evaluate_clusters(m.person_id_y.tolist(), m.person_id_x.tolist())
    assert ev["f1"] >= 0.95
    # Households as of the date: each true person's household (the one they joined, or their prior
    # one before joining) against the household of most of their records.
    tp = pd.read_csv(data / "truth" / "persons.csv", dtype=str)
    prior = tp.prior_household_id.notna() & (tp.joined_date > "2025-01-01")
    tp["truth_hh"] = tp.household_id.where(~prior, tp.prior_household_id)
    h = truth.merge(pd.read_csv(hh, dtype=str), left_on=["stream", "record_id"], right_on=["source", "record_id"])
    ours = h.groupby("person_id_x").household_id_y.agg(lambda s: s.mode()[0])
    both = tp.set_index("person_id").join(ours.rename("ours"), how="inner")
    share = linkage.households_correct(both.ours.tolist(), both.truth_hh.tolist())
    assert share >= 0.85, share


def test_address_lags():
    # Sixty residents who moved: council tax records each move on the day, the health system
    # shows the old address for a while after it. The linker estimates both delays from the data.
    firsts = ["aldous", "bronwen", "cedric", "delphine", "evander", "fenella",
              "gideon", "honora", "ivor", "jocasta", "lysander", "mirabel"]
    fronts, backs = ["ash", "black", "clay", "dun", "fair", "hart"], ["wood", "field", "ley", "ton", "well",
                                                                       "ford", "by", "worth", "ham", "combe"]
    rows = []
    for i in range(60):
        who = dict(first_name=firsts[i % 12], surname=fronts[i // 10] + backs[i % 10],
                   dob=f"{1950 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}")
        old = dict(address=f"{i + 1} alder road", postcode=f"LS{1 + i % 20} 1AA")
        new = dict(address=f"{i + 1} birch lane", postcode=f"LS{1 + i % 20} 2BB")
        moved = pd.Timestamp("2023-03-01") + pd.Timedelta(days=9 * i)
        for n, (source, home, offset) in enumerate([("council_tax", old, -400), ("council_tax", old, -40),
                                                     ("council_tax", new, 0), ("council_tax", new, 200),
                                                     ("health", old, -100), ("health", old, 30),
                                                     ("health", new, 150), ("health", new, 300)]):
            day = (moved + pd.Timedelta(days=offset)).strftime("%Y-%m-%d")
            rows.append(dict(record_id=f"m{i}-{n}", source=source, record_date=day, **who, **home))
    linker = linkage.Linker()
    with pytest.raises(Exception, match="not clustered"):
        linker.address_lags()
    linker.add_records(pd.DataFrame(rows))
    linker.fit().predict()
    linker.cluster()
    lags = linker.address_lags()
    assert set(lags) == {"council_tax", "health"}, lags
    assert lags["council_tax"] < 1, lags
    assert lags["health"] > 30, lags


def one_record_households(n=80):
    """Households of four or five, one record each: EM left unbounded learns the household."""
    firsts = ["oliver", "amelia", "george", "isla", "harry", "ava", "jack", "emily"]
    rows = []
    for h in range(n):
        for k in range(4 + h % 2):
            year = 1975 + 2 * k if k < 2 else 2005 + 3 * k
            rows.append({"record_id": f"h{h}m{k}", "first_name": firsts[(h + 3 * k) % 8], "surname": f"family{h}",
                         "dob": f"{year}-{1 + (h + 5 * k) % 12:02d}-{1 + (h * 3 + 7 * k) % 28:02d}",
                         "address": f"{h + 1} mill road", "postcode": f"LS{1 + h % 20} {1 + h % 9}AB"})
    return pd.DataFrame(rows)


COLLAPSING = {"household_guard": False, "guard_max_m": 0.9, "households": "present", "u_sample_pairs": 200000}


def test_linker_em_self_check_and_person_rules():
    lk = earlyhelp.Linker(COLLAPSING)
    lk.add_records(one_record_households())
    lk.fit()
    found = [w for w in lk.warnings if w.startswith("EM self-check")]
    assert found and all("family" not in w for w in found)  # in words, no record values
    lk.predict()
    df = one_record_households()
    df["person_id"] = lk.cluster().person_id
    df["household"] = df.record_id.str.split("m").str[0]
    # Nobody of one household is merged with another member of it.
    assert (df.groupby("household").person_id.nunique() == df.groupby("household").size()).all()
    assert lk.stats["households"] is True and lk.stats["household_odds_ratio"] > 0
    pairs = lk.stats["household_pairs"]
    assert set(pairs) == {"both", "first_only", "dob_only", "neither"} and pairs["both"] > 0
    assert not [w for w in lk.warnings if w.startswith("households:")]
    # The rule in an explanation: brothers of one household are never one person.
    ex = lk.explain("h0m2", "h0m3")
    assert ex["conflict"] and ex["probability"] < 1e-6
    assert any(t[0] == "person rule" for t in ex["terms"])
    assert sum(t[2] for t in ex["terms"]) == pytest.approx(ex["weight"])


def test_cli_link_reports_the_self_check_on_stderr_and_in_the_audit_record(cli, tmp_path):
    records, settings, log = tmp_path / "r.csv", tmp_path / "s.json", tmp_path / "audit.jsonl"
    one_record_households().to_csv(records, index=False)
    settings.write_text(json.dumps(COLLAPSING))
    r = subprocess.run([cli, "--audit-log", str(log), "link", "--input", str(records), "--output",
                        str(tmp_path / "p.csv"), "--settings", str(settings)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "link: warning: EM self-check" in r.stderr
    audit = json.loads(log.read_text().splitlines()[-1])
    assert any(v.startswith("EM self-check") for k, v in audit["parameters"].items() if k.startswith("warning_"))
    assert audit["parameters"]["households"] == "modelled"
    assert "family" not in log.read_text()


def test_household_of_one_person_is_their_household_of_all():
    """Linker.household_of (linkage::household_of, the C API's eh_linker_household) gives each
    person the members of the household Linker.households puts them in, sorted by person id."""
    lk = earlyhelp.Linker({"u_sample_pairs": 20000})
    records = one_record_households(12)
    lk.add_records(records)
    with pytest.raises(earlyhelp.StateError):
        lk.household_of("anyone", "2024-04-01")
    linked = lk.link()
    every = lk.households("2024-04-01")
    assert every.household_id.value_counts().max() >= 4  # households of several people to look up
    for person in every.person_id.iloc[::7]:
        home = every.household_id[every.person_id == person].iloc[0]
        want = every[every.household_id == home].sort_values("person_id").reset_index(drop=True)
        got = lk.household_of(person, pd.Timestamp("2024-04-01"))
        pd.testing.assert_frame_equal(got, want)
    with pytest.raises(earlyhelp.InvalidArgument, match="no linked person"):
        lk.household_of("P-no-such-person", "2024-04-01")
    with pytest.raises(earlyhelp.InvalidArgument):
        lk.household_of(every.person_id.iloc[0], "2024-13-01")
    # The date's households are kept between calls, and not past a change: a newborn added after
    # linking (incrementally: a new person) is then a member of the home they are recorded at.
    mother = linked.person_id.iloc[0]
    before = set(lk.household_of(mother, "2024-04-01").person_id)
    newborn = records.iloc[[0]].assign(record_id="newborn", first_name="zebedee", dob="2023-05-17")
    added = lk.add_records(newborn)
    baby = added.person_id.iloc[0]
    assert baby not in before
    assert set(lk.household_of(mother, "2024-04-01").person_id) == before | {baby}


def test_linker_learns_first_names_sex_from_the_records():
    # Twenty-five Olivers recorded male and twenty-five Olivias recorded female teach the linker
    # the two names' sexes; an undated council tax account of an OLIVER without a sex is then
    # never one person with an undated OLIVIA at the same home (their names are two keying errors
    # apart). The same library step as the CLI and C API (linkage/name_sex.hpp).
    rows = []
    for i in range(25):
        for first, sex in (("Oliver", "M"), ("Olivia", "F")):
            rows.append({"record_id": f"{first}{i}", "first_name": first, "surname": f"Surname{i}{first}",
                         "dob": f"19{60 + i}-0{1 + i % 9}-1{i % 9}", "sex": sex,
                         "address": f"{i + 1} {first} Street", "postcode": "LS1 1AA"})
    rows.append({"record_id": "tax-oliver", "first_name": "OLIVER", "surname": "BROOK", "dob": "", "sex": "",
                 "address": "3 Mill Lane", "postcode": "LS2 2BB"})
    rows.append({"record_id": "tax-olivia", "first_name": "OLIVIA", "surname": "BROOK", "dob": "", "sex": "",
                 "address": "3 Mill Lane", "postcode": "LS2 2BB"})
    lk = earlyhelp.Linker()
    lk.add_records(pd.DataFrame(rows))
    persons = dict(zip([r["record_id"] for r in rows], lk.link().person_id))
    assert lk.stats["first_names_with_learnt_sex"] == 2
    assert persons["tax-oliver"] != persons["tax-olivia"]
    ex = lk.explain("tax-oliver", "tax-olivia")
    assert any(t[0] == "person rule" and "female" in t[1] for t in ex["terms"])


def test_linker_learns_sources_of_adults_from_a_first_clustering():
    # Sixty adults each with a dated council tax record and an undated rent record at one home,
    # and sixty children on a school roll: the rent records, whose source records no dates of
    # birth, join adults only, so rent records adults (born 16 years before the record at latest)
    # and an undated rent record of JAYDEN OKAFOR is not the eight-year-old Jayden Okafor at that
    # address. The same library step as the CLI and C API (linkage/adult_sources.hpp).
    rows = []
    for i in range(60):
        home = {"address": f"{i + 1} Adult Street", "postcode": f"LS{1 + i % 9} {1 + i % 7}AA"}
        rows.append({"record_id": f"tax{i}", "source": "tax", "first_name": f"Adultname{i}", "surname": f"Surname{i}",
                     "dob": f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}", "record_date": "2024-03-01", **home})
        rows.append({"record_id": f"rent{i}", "source": "rent", "first_name": f"Adultname{i}", "surname": f"Surname{i}",
                     "dob": "", "record_date": "2024-05-01", **home})
        rows.append({"record_id": f"school{i}", "source": "school", "first_name": f"Kidname{i}", "surname": f"Kid{i}",
                     "dob": f"20{10 + i % 10}-0{1 + i % 9}-2{i % 9}", "record_date": "2024-02-01",
                     "address": f"{i + 1} School Road", "postcode": "LS9 9ZZ"})
    rows.append({"record_id": "jayden", "source": "school", "first_name": "Jayden", "surname": "Okafor",
                 "dob": "2016-04-02", "record_date": "2024-02-01", "address": "7 Mill Lane", "postcode": "LS2 2BB"})
    rows.append({"record_id": "rent-jayden", "source": "rent", "first_name": "JAYDEN", "surname": "OKAFOR",
                 "dob": "", "record_date": "2024-05-01", "address": "7 Mill Lane", "postcode": "LS2 2BB"})
    found = {}
    for adult_sources in (True, False):
        lk = earlyhelp.Linker({"adult_sources": adult_sources, "households": "present"})
        lk.add_records(pd.DataFrame(rows))
        persons = dict(zip([r["record_id"] for r in rows], lk.link().person_id))
        assert persons["tax3"] == persons["rent3"]
        found[adult_sources] = (lk.stats["adult_sources"], persons["jayden"] == persons["rent-jayden"])
    assert found[True] == (1, False)
    assert found[False] == (0, True)
