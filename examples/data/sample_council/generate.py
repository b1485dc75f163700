#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the sample council extracts <stream>.csv in this folder (one per catalogue stream).

Usage: /usr/bin/python3 examples/data/sample_council/generate.py [lib/schema/council.schema.json]

Every person, address and reference here is invented. About thirty people in ten households appear
across the streams with the variations real extracts have (nicknames, typos, upper case, postcodes
without a space, dd/mm/yyyy dates next to ISO dates, missing middle names), so the demo's linkage
has something to link. Each file also carries a few deliberate faults, listed in FAULTS below, so
the data-quality report has something to show: an invalid postcode, a missing required value, a
date out of range, an unknown category and a duplicate record_id.

The output is deterministic (fixed seed); rerun after changing the catalogue.
"""
import csv
import json
import pathlib
import random
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
rng = random.Random(20240401)


# ---- identifiers with valid check digits -----------------------------------------------------
def nhs_number(stem9):
    """Completes a 9-digit stem with its modulus 11 check digit (stems giving 10 are skipped)."""
    while True:
        digits = [int(c) for c in f"{stem9:09d}"]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"
        stem9 += 1


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la, estab, year, serial):
    """A UPN: check letter + LA code (3) + establishment (4) + year (2) + serial (3)."""
    body = f"{la:03d}{estab:04d}{year:02d}{serial:03d}"
    total = sum(int(c) * (i + 2) for i, c in enumerate(body))
    return UPN_LETTERS[total % 23] + body


# ---- the invented population ------------------------------------------------------------------
HOUSEHOLDS = {
    "A": ("14 Larkrise Road", "Oxford", "OX4 2DU", "100120345671"),
    "B": ("Flat 3, 27 Cowley Road", "Oxford", "OX4 1HP", "100120456782"),
    "C": ("5 Pembroke Close", "Oxford", "OX4 3QW", "100120567893"),
    "D": ("41 Barns Road", "Oxford", "OX4 3RF", "100120678904"),
    "E": ("8 Wesley Close", "Oxford", "OX4 6AZ", "100120789015"),
    "F": ("22 Nightingale Avenue", "Oxford", "OX4 7UJ", "100120890126"),
    "G": ("Flat 12, 3 Pegasus Road", "Oxford", "OX4 6DT", "100120901237"),
    "H": ("17 Field Avenue", "Oxford", "OX4 6RH", "100121012348"),
    "I": ("63 Littlemore Road", "Oxford", "OX4 4PU", "100121123459"),
    "J": ("2 Orchard Way", "Oxford", "OX4 5HR", "100121234560"),
}

# key: (household, first, middle, surname, dob, sex, ethnicity)
PEOPLE = {
    "sarah": ("A", "Sarah", "Louise", "Whitfield", "1988-03-14", "F", "white"),
    "darren": ("A", "Darren", "Paul", "Whitfield", "1985-11-02", "M", "white"),
    "kayden": ("A", "Kayden", "James", "Whitfield", "2011-06-21", "M", "white"),
    "lily": ("A", "Lily-May", "", "Whitfield", "2016-09-03", "F", "white"),
    "chantelle": ("B", "Chantelle", "Marie", "Okafor", "1994-01-30", "F", "mixed"),
    "tyler": ("B", "Tyler", "", "Okafor", "2013-02-11", "M", "mixed"),
    "amara": ("B", "Amara", "Grace", "Okafor", "2018-07-19", "F", "mixed"),
    "graham": ("C", "Graham", "Edward", "Pike", "1961-05-08", "M", "white"),
    "agnieszka": ("D", "Agnieszka", "", "Nowak", "1990-10-12", "F", "white"),
    "mateusz": ("D", "Mateusz", "Jan", "Nowak", "1989-04-04", "M", "white"),
    "zofia": ("D", "Zofia", "", "Nowak", "2012-12-01", "F", "white"),
    "jordan": ("E", "Jordan", "Lee", "Hughes", "2007-08-15", "M", "black"),
    "donna": ("E", "Donna", "", "Hughes", "1979-02-27", "F", "black"),
    "mohammed": ("F", "Mohammed", "Ali", "Rahman", "1982-09-09", "M", "asian"),
    "fatima": ("F", "Fatima", "", "Rahman", "1986-06-16", "F", "asian"),
    "yusuf": ("F", "Yusuf", "", "Rahman", "2014-03-22", "M", "asian"),
    "aisha": ("F", "Aisha", "Noor", "Rahman", "2010-11-05", "F", "asian"),
    "callum": ("G", "Callum", "", "Reid", "1999-12-12", "M", "white"),
    "margaret": ("H", "Margaret", "Ellen", "Dawson", "1945-04-18", "F", "white"),
    "stephen": ("H", "Stephen", "John", "Dawson", "1972-01-09", "M", "white"),
    "jade": ("I", "Jade", "", "Collins", "1997-05-05", "F", "white"),
    "riley": ("I", "Riley", "", "Collins", "2015-10-10", "M", "white"),
    "harvey": ("I", "Harvey", "", "Collins", "2019-01-23", "M", "white"),
    "liam": ("I", "Liam", "Anthony", "Fletcher", "1995-08-30", "M", "white"),
    "priya": ("J", "Priya", "", "Sharma", "2009-04-14", "F", "asian"),
    "anil": ("J", "Anil", "Kumar", "Sharma", "1975-03-03", "M", "asian"),
    "meena": ("J", "Meena", "", "Sharma", "1978-07-07", "F", "asian"),
    "tomasz": ("D", "Tomasz", "", "Nowak", "2016-05-30", "M", "white"),
    "ellie": ("E", "Ellie", "Rose", "Hughes", "2012-01-17", "F", "mixed"),
    "kevin": ("C", "Kevin", "", "Marsh", "1970-12-24", "M", "white"),
}
NICKNAMES = {"Mohammed": "Mohammad", "Stephen": "Steve", "Margaret": "Maggie", "Callum": "Cal",
             "Darren": "Daz", "Kayden": "Kaden", "Chantelle": "Chantel", "Agnieszka": "Agnes"}

NHS = {k: nhs_number(401000000 + 7919 * i) for i, k in enumerate(PEOPLE)}
CHILD_SCHOOL = {  # child -> (school URN, UPN)
    "kayden": ("123456", upn(931, 4012, 11, 101)), "lily": ("123789", upn(931, 2034, 16, 207)),
    "tyler": ("123456", upn(931, 4012, 13, 118)), "amara": ("123789", upn(931, 2034, 18, 221)),
    "zofia": ("123456", upn(931, 4012, 12, 134)), "jordan": ("139901", upn(931, 5101, 7, 42)),
    "yusuf": ("123789", upn(931, 2034, 14, 250)), "aisha": ("139901", upn(931, 5101, 10, 77)),
    "riley": ("123789", upn(931, 2034, 15, 263)), "priya": ("139901", upn(931, 5101, 9, 88)),
    "tomasz": ("123789", upn(931, 2034, 16, 271)), "ellie": ("123456", upn(931, 4012, 12, 150)),
}


def uk_date(iso):
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def some_date(iso):
    """ISO or dd/mm/yyyy, as mixed extracts have."""
    return uk_date(iso) if rng.random() < 0.4 else iso


def rand_date(start_year, end_year):
    y = rng.randint(start_year, end_year)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    return f"{y:04d}-{m:02d}-{d:02d}"


def person(key, vary=True):
    """The identifier columns of a person, with realistic recording variation."""
    hh, first, middle, surname, dob, sex, eth = PEOPLE[key]
    address, town, postcode, uprn = HOUSEHOLDS[hh]
    if vary:
        r = rng.random()
        if r < 0.12 and first in NICKNAMES:
            first = NICKNAMES[first]
        elif r < 0.2:
            surname = surname.upper()
        if rng.random() < 0.15:
            postcode = postcode.replace(" ", "")
        elif rng.random() < 0.1:
            postcode = postcode.lower()
        if rng.random() < 0.3:
            middle = ""
        if not middle and rng.random() < 0.25:
            middle = rng.choice(["NULL", "N/A"])  # systems that write a token for "no value"
    return {"first_name": first, "middle_name": middle, "surname": surname, "dob": some_date(dob),
            "sex": sex, "address_line": address, "town": town, "postcode": postcode, "uprn": uprn,
            "property_uprn": uprn, "nhs_number": NHS[key], "ethnicity_group": eth,
            "upn": CHILD_SCHOOL.get(key, ("", ""))[1]}


def pick(options, weights=None):
    return rng.choices(options, weights=weights)[0]


# ---- one generator per stream: yields rows as dicts (identifier keys not in the stream are dropped)
def gen_person_register():
    for i, key in enumerate(PEOPLE):
        row = person(key, vary=False)
        row["start_date"] = some_date(rand_date(2005, 2020))
        row["end_date"] = ""
        yield row
    # Two past addresses: people who moved.
    for key, old in (("callum", "B"), ("jade", "D")):
        row = person(key, vary=False)
        row.update(zip(("address_line", "town", "postcode", "uprn"), HOUSEHOLDS[old]))
        row["start_date"] = "2012-04-01"
        row["end_date"] = some_date("2019-08-31")
        yield row


TERMS = [("2022/23", "autumn", "2022-12-16", 140), ("2022/23", "spring", "2023-03-31", 126),
         ("2022/23", "summer", "2023-07-21", 114), ("2023/24", "autumn", "2023-12-19", 142)]


def gen_school_attendance():
    for key, (urn, _) in CHILD_SCHOOL.items():
        poor = key in ("kayden", "jordan", "tyler", "priya")
        for year, term, end, possible in TERMS[(0 if key in ("kayden", "jordan") else 2):]:
            unauth = rng.randint(12, 40) if poor else rng.randint(0, 3)
            auth = rng.randint(0, 12)
            row = person(key)
            row.update(school_urn=urn, academic_year=year, term=term, term_end_date=some_date(end),
                       sessions_possible=possible, sessions_attended=possible - auth - unauth,
                       authorised_absence_sessions=auth, unauthorised_absence_sessions=unauth,
                       free_school_meals=pick(["Y", "N"]) if key not in ("tyler", "kayden") else "Y",
                       sen_status="sen_support" if key in ("kayden", "jordan") else "none")
            yield row


def gen_school_exclusions():
    for key, when, cat, days, reason in [
            ("kayden", "2023-01-17", "suspension", 2, "persistent_disruptive_behaviour"),
            ("kayden", "2023-05-09", "suspension", 3, "verbal_abuse_adult"),
            ("kayden", "2023-11-21", "suspension", 5, "physical_assault_pupil"),
            ("jordan", "2022-10-04", "suspension", 1.5, "drug_alcohol"),
            ("jordan", "2023-02-28", "permanent_exclusion", "", "use_or_threat_of_weapon"),
            ("tyler", "2023-06-13", "suspension", 1, "persistent_disruptive_behaviour"),
            ("priya", "2023-09-26", "suspension", 0.5, "online_misconduct"),
            ("aisha", "2023-03-15", "suspension", 1, "bullying"),
            ("zofia", "2023-10-02", "suspension", 2, "damage"),
            ("ellie", "2023-11-08", "suspension", 1, "verbal_abuse_pupil"),
            ("tyler", "2023-12-05", "suspension", 2, "physical_assault_pupil")]:
        row = person(key)
        row.update(school_urn=CHILD_SCHOOL[key][0], start_date=some_date(when), category=cat,
                   days=days, reason=reason)
        yield row


def gen_social_care_contacts():
    for key, when, source, concern, outcome in [
            ("kayden", "2022-11-03", "school", "child_behaviour", "early_help"),
            ("lily", "2023-02-19", "police", "domestic_abuse", "referral"),
            ("kayden", "2023-02-19", "police", "domestic_abuse", "referral"),
            ("tyler", "2023-01-10", "housing", "neglect", "information_advice"),
            ("amara", "2023-05-22", "health", "neglect", "referral"),
            ("jordan", "2022-09-30", "police", "exploitation", "referral"),
            ("ellie", "2023-04-04", "school", "emotional_abuse", "nfa"),
            ("priya", "2023-08-14", "health", "other", "signposted"),
            ("riley", "2023-06-01", "police", "domestic_abuse", "referral"),
            ("harvey", "2023-06-01", "police", "domestic_abuse", "referral"),
            ("zofia", "2023-03-03", "school", "neglect", "nfa"),
            ("yusuf", "2023-09-12", "anonymous", "physical_abuse", "nfa"),
            ("aisha", "2023-10-20", "school", "going_missing", "early_help"),
            ("riley", "2023-11-15", "school", "parental_substance_misuse", "early_help")]:
        row = person(key)
        row.update(contact_date=some_date(when), source=source, primary_concern=concern,
                   outcome=outcome)
        yield row


def gen_social_care_episodes():
    for key, typ, start, end, need, abuse, legal in [
            ("kayden", "cin", "2023-02-27", "2023-09-30", "family_dysfunction", "", "none"),
            ("lily", "cin", "2023-02-27", "2023-05-15", "abuse_or_neglect", "", "none"),
            ("lily", "cpp", "2023-05-16", "", "abuse_or_neglect", "emotional", "none"),
            ("amara", "cin", "2023-06-05", "", "family_acute_stress", "", "none"),
            ("jordan", "cin", "2022-10-11", "2023-04-30", "socially_unacceptable_behaviour", "",
             "none"),
            ("riley", "cpp", "2023-06-20", "", "abuse_or_neglect", "neglect", "none"),
            ("harvey", "cpp", "2023-06-20", "", "abuse_or_neglect", "neglect", "none"),
            ("harvey", "lac", "2023-10-02", "", "abuse_or_neglect", "", "interim_care_order"),
            ("tyler", "cin", "2021-03-01", "2021-11-30", "low_income", "", "none"),
            ("aisha", "cin", "2023-11-01", "", "family_dysfunction", "", "none")]:
        row = person(key)
        row.update(episode_type=typ, start_date=some_date(start),
                   end_date=some_date(end) if end else "", category_of_need=need,
                   category_of_abuse=abuse, legal_status=legal)
        yield row


def gen_police_domestic_abuse():
    incidents = [("PI-23-004117", "2023-02-18", "high", "TRUE",
                  [("sarah", "victim"), ("darren", "perpetrator"), ("kayden", "child_present"),
                   ("lily", "child_present")]),
                 ("PI-22-019502", "2022-08-06", "medium", "FALSE",
                  [("sarah", "victim"), ("darren", "perpetrator")]),
                 ("PI-23-011876", "2023-05-30", "high", "TRUE",
                  [("jade", "victim"), ("liam", "perpetrator"), ("riley", "child_present"),
                   ("harvey", "child_present")]),
                 ("PI-23-015550", "2023-09-02", "standard", "FALSE",
                  [("jade", "victim"), ("liam", "perpetrator")]),
                 ("PI-23-020031", "2023-11-11", "medium", "FALSE",
                  [("fatima", "victim"), ("mohammed", "perpetrator"), ("yusuf", "child_present")]),
                 ("PI-23-021947", "2023-12-03", "standard", "FALSE",
                  [("meena", "other"), ("anil", "perpetrator"), ("priya", "child_present")])]
    for ref, when, risk, crime, people in incidents:
        for key, role in people:
            row = person(key)
            row.update(incident_ref=ref, incident_date=some_date(when), role=role,
                       risk_level=risk, crime_flag=crime)
            yield row


def gen_asb_incidents():
    for key, when, role, typ, action in [
            ("jordan", "2022-07-14", "perpetrator", "intimidation", "warning_letter"),
            ("jordan", "2022-11-02", "perpetrator", "vandalism", "acceptable_behaviour_contract"),
            ("jordan", "2023-04-19", "perpetrator", "drug_related", "community_protection_warning"),
            ("callum", "2023-01-28", "perpetrator", "street_drinking", "warning_letter"),
            ("callum", "2023-06-09", "perpetrator", "street_drinking",
             "community_protection_notice"),
            ("margaret", "2023-03-11", "victim", "intimidation", "none"),
            ("graham", "2023-05-05", "perpetrator", "noise", "warning_letter"),
            ("kevin", "2023-05-05", "victim", "noise", "none"),
            ("donna", "2023-04-19", "witness", "drug_related", "none"),
            ("kayden", "2023-10-27", "perpetrator", "vandalism", "warning_letter"),
            ("agnieszka", "2023-08-21", "victim", "neighbour_dispute", "none"),
            ("graham", "2023-09-14", "perpetrator", "neighbour_dispute", "civil_injunction")]:
        row = person(key)
        row.update(incident_date=some_date(when), role=role, incident_type=typ, action_taken=action)
        yield row


def gen_youth_offending():
    for key, when, typ, score, outcome in [
            ("jordan", "2022-12-03", "theft_handling", 2, "community_resolution"),
            ("jordan", "2023-03-18", "drugs", 3, "youth_caution"),
            ("jordan", "2023-07-22", "violence_against_person", 5, "referral_order"),
            ("jordan", "2023-11-30", "breach", 4, "youth_rehabilitation_order"),
            ("kayden", "2023-10-27", "criminal_damage", 2, "community_resolution"),
            ("kayden", "2023-12-09", "theft_handling", 2, "youth_caution"),
            ("aisha", "2023-10-19", "theft_handling", 1, "no_further_action"),
            ("tyler", "2023-12-12", "public_order", 2, "community_resolution"),
            ("priya", "2023-06-30", "public_order", 1, "no_further_action"),
            ("zofia", "2023-11-04", "criminal_damage", 1, "community_resolution")]:
        row = person(key)
        row.update(offence_date=some_date(when), offence_type=typ, gravity_score=score,
                   outcome=outcome)
        yield row


TENANCIES = [("T-000412", ["sarah", "darren"], "secure", "2014-06-02", "", 3, 4),
             ("T-001873", ["chantelle"], "temporary_accommodation", "2023-04-17", "", 2, 3),
             ("T-000988", ["chantelle"], "introductory", "2021-09-06", "2023-03-27", 2, 3),
             ("T-000230", ["graham"], "secure", "2001-03-12", "", 1, 1),
             ("T-002104", ["jade", "liam"], "flexible", "2019-09-02", "", 3, 4),
             ("T-000671", ["donna"], "secure", "2006-11-20", "", 3, 3),
             ("T-001955", ["callum"], "temporary_accommodation", "2023-07-03", "2023-10-30", 1, 1),
             ("T-000115", ["margaret"], "secure", "1987-05-11", "", 2, 2),
             ("T-001420", ["fatima", "mohammed"], "secure", "2012-02-13", "", 3, 4)]


def gen_housing_tenancy():
    for ref, tenants, tenure, start, end, beds, size in TENANCIES:
        for key in tenants:
            row = person(key)
            row.update(tenancy_ref=ref, tenure_type=tenure, start_date=some_date(start),
                       end_date=some_date(end) if end else "", bedrooms=beds, household_size=size)
            yield row


def gen_rent_arrears():
    for ref, key, rent, trajectory in [
            ("T-000412", "sarah", 128.40, [(0, "none"), (2.5, "letter"), (5.0, "nosp"),
                                           (6.5, "nosp")]),
            ("T-001873", "chantelle", 162.10, [(1.0, "letter"), (3.0, "letter"), (7.5, "nosp"),
                                               (9.0, "court")]),
            ("T-000230", "graham", 98.75, [(4.0, "letter"), (6.0, "nosp"), (11.0, "court"),
                                           (14.0, "eviction")]),
            ("T-002104", "jade", 131.60, [(0, "none"), (0, "none"), (1.0, "letter")]),
            ("T-000671", "donna", 119.20, [(0, "none"), (0.5, "none"), (0, "none")]),
            ("T-001420", "fatima", 134.00, [(0, "none"), (0, "none")])]:
        for i, (weeks, action) in enumerate(trajectory):
            row = person(key)
            row.update(tenancy_ref=ref, snapshot_date=some_date(f"2023-{3 * i + 3:02d}-31"
                                                                if 3 * i + 3 in (3, 12) else
                                                                f"2023-{3 * i + 3:02d}-30"),
                       balance_gbp=f"{weeks * rent:.2f}", weekly_rent_gbp=f"{rent:.2f}",
                       weeks_in_arrears=weeks, recovery_action=action)
            yield row


def gen_homelessness_applications():
    for key, when, reason, duty, outcome, hh, pn in [
            ("chantelle", "2023-02-06", "rent_arrears", "prevention", "other", "single_parent",
             "TRUE"),
            ("chantelle", "2023-03-28", "rent_arrears", "relief", "accommodation_secured",
             "single_parent", "TRUE"),
            ("callum", "2023-06-21", "family_friends_no_longer_willing", "relief", "ongoing",
             "single_adult", "FALSE"),
            ("callum", "2023-11-02", "left_institution", "relief", "contact_lost", "single_adult",
             "FALSE"),
            ("jade", "2022-05-10", "domestic_abuse", "prevention", "withdrew", "single_parent",
             "TRUE"),
            ("graham", "2023-12-01", "rent_arrears", "prevention", "ongoing", "single_adult",
             "FALSE"),
            ("stephen", "2023-09-18", "relationship_breakdown", "none", "other", "single_adult",
             "FALSE"),
            ("sarah", "2023-03-02", "domestic_abuse", "prevention", "withdrew", "single_parent",
             "TRUE"),
            ("agnieszka", "2023-07-24", "end_of_private_tenancy", "prevention",
             "accommodation_secured", "couple_with_children", "TRUE"),
            ("kevin", "2023-10-09", "end_of_private_tenancy", "relief", "ongoing", "single_adult",
             "")]:
        row = person(key)
        row.update(approach_date=some_date(when), reason_loss_of_home=reason, duty_owed=duty,
                   outcome=outcome, household_type=hh, priority_need=pn)
        yield row


def gen_council_tax():
    accounts = [("CT-5501234", "sarah", "C", [0, 0, 412.50], ["none", "none", "reminder"], "N", "Y"),
                ("CT-5502388", "chantelle", "B", [230.10, 690.30, 920.40],
                 ["final_notice", "summons", "liability_order"], "Y", "N"),
                ("CT-5503012", "graham", "B", [640.00, 1280.00, 1460.00],
                 ["liability_order", "enforcement_agent", "attachment"], "Y", "N"),
                ("CT-5504470", "mateusz", "C", [0, 0], ["none", "none"], "N", "N"),
                ("CT-5505129", "donna", "B", [155.00, 0], ["reminder", "none"], "N", "Y"),
                ("CT-5506377", "mohammed", "D", [0, 0], ["none", "none"], "N", "N"),
                ("CT-5507201", "margaret", "C", [0, 0], ["none", "none"], "Y", "Y"),
                ("CT-5508845", "jade", "B", [310.20, 520.00], ["reminder", "final_notice"], "N",
                 "Y"),
                ("CT-5509963", "anil", "E", [0], ["none"], "N", "N"),
                ("CT-5510118", "kevin", "A", [95.00, 285.00], ["reminder", "summons"], "Y", "Y")]
    liab = {"A": 1389.07, "B": 1620.58, "C": 1852.10, "D": 2083.61, "E": 2546.64}
    for ref, key, band, arrears, stages, spd, ctr in accounts:
        for i, (a, stage) in enumerate(zip(arrears, stages)):
            row = person(key)
            row.update(account_ref=ref, snapshot_date=some_date(f"2023-{4 * i + 4:02d}-01"),
                       band=band, liability_gbp=f"{liab[band] * (0.75 if spd == 'Y' else 1):.2f}",
                       arrears_gbp=f"{a:.2f}", recovery_stage=stage, single_person_discount=spd,
                       ctr=ctr)
            yield row


def gen_housing_benefit():
    for ref, key, start, end, hb, ctr, passported, deps in [
            ("HB-700112", "sarah", "2019-04-01", "", 96.20, 18.40, "N", 2),
            ("HB-700245", "chantelle", "2021-09-06", "", 128.50, 21.10, "Y", 2),
            ("HB-700318", "graham", "2015-01-12", "", 88.00, 20.35, "Y", 0),
            ("HB-700402", "donna", "2017-06-19", "2023-02-26", 54.10, 12.00, "N", 1),
            ("HB-700566", "margaret", "2010-10-04", "", 72.45, 26.60, "Y", 0),
            ("HB-700691", "jade", "2019-09-02", "", 110.30, 19.90, "Y", 2),
            ("HB-700733", "callum", "2023-07-03", "2023-10-30", 135.00, 0, "Y", 0),
            ("HB-700809", "kevin", "2022-01-17", "", 0, 15.75, "N", 0),
            ("HB-700950", "stephen", "2023-09-25", "", 0, 17.20, "Y", 0),
            ("HB-701024", "fatima", "2020-02-03", "2021-08-29", 45.60, 10.10, "N", 2)]:
        row = person(key)
        row.update(claim_ref=ref, claim_start=some_date(start),
                   claim_end=some_date(end) if end else "", weekly_hb_gbp=f"{hb:.2f}",
                   ctr_weekly_gbp=f"{ctr:.2f}", passported=passported, dependants=deps)
        yield row


def gen_dwp_benefits():
    for key, when, benefit, status, sanction, group in [
            ("sarah", "2023-03-31", "uc", "in_work", "N", "working_enough"),
            ("darren", "2023-03-31", "uc", "out_of_work", "Y", "all_work_related_requirements"),
            ("chantelle", "2023-03-31", "uc", "out_of_work", "N", "work_focused_interview"),
            ("chantelle", "2023-09-30", "uc", "out_of_work", "Y", "work_focused_interview"),
            ("graham", "2023-03-31", "esa", "unable_to_work", "N", "not_applicable"),
            ("graham", "2023-03-31", "pip", "unable_to_work", "N", "not_applicable"),
            ("donna", "2023-06-30", "uc", "unable_to_work", "N", "no_work_related_requirements"),
            ("callum", "2023-06-30", "uc", "out_of_work", "Y", "all_work_related_requirements"),
            ("stephen", "2023-09-30", "esa", "unable_to_work", "N", "not_applicable"),
            ("stephen", "2023-09-30", "carers_allowance", "unable_to_work", "N",
             "not_applicable"),
            ("margaret", "2023-09-30", "pension_credit", "", "N", "not_applicable"),
            ("jade", "2023-06-30", "uc", "out_of_work", "N", "work_preparation"),
            ("liam", "2023-06-30", "jsa", "out_of_work", "N", "not_applicable"),
            ("kevin", "2023-09-30", "uc", "in_work", "N", "working_enough")]:
        row = person(key)
        row.update(snapshot_date=some_date(when), benefit_type=benefit, work_status=status,
                   sanction_flag=sanction, uc_conditionality=group)
        yield row


def gen_adult_social_care():
    for key, when, reason, service in [
            ("margaret", "2021-11-08", "physical_support", "short_term_reablement"),
            ("margaret", "2023-02-14", "memory_and_cognition", "long_term_community"),
            ("margaret", "2023-10-30", "memory_and_cognition", "residential_care"),
            ("stephen", "2023-03-01", "social_support", "carer_support"),
            ("graham", "2023-05-17", "mental_health", "information_advice"),
            ("graham", "2023-12-04", "physical_support", "safeguarding_enquiry"),
            ("donna", "2023-07-12", "mental_health", "none"),
            ("kevin", "2023-08-08", "learning_disability", "long_term_community"),
            ("anil", "2023-04-26", "sensory_support", "information_advice"),
            ("sarah", "2023-03-06", "social_support", "safeguarding_enquiry")]:
        row = person(key)
        row.update(referral_date=some_date(when), primary_support_reason=reason,
                   service_type=service)
        yield row


def gen_health_ae():
    for key, when, mode, category, discharge in [
            ("sarah", "2022-08-06 23:41", "ambulance", "assault", "discharged"),
            ("sarah", "2023-02-19 01:12", "police", "assault", "discharged"),
            ("callum", "2023-03-04 02:30", "ambulance", "alcohol", "discharged"),
            ("callum", "2023-08-19 22:05", "walk_in", "alcohol", "left_before_treatment"),
            ("callum", "2023-12-24 03:55", "police", "injury", "discharged"),
            ("priya", "2023-08-12 19:20", "walk_in", "self_harm", "referred"),
            ("priya", "2023-11-26 21:48", "ambulance", "self_harm", "admitted"),
            ("graham", "2023-06-02 10:15", "ambulance", "drugs", "admitted"),
            ("margaret", "2023-01-30 08:00", "ambulance", "injury", "admitted"),
            ("harvey", "2023-05-21 17:33", "walk_in", "injury", "discharged"),
            ("jordan", "2023-07-22 23:59", "police", "assault", "discharged"),
            ("donna", "2023-05-09 14:10", "walk_in", "mental_health", "referred"),
            ("lily", "2023-09-14 11:45", "walk_in", "illness", "discharged"),
            ("jade", "2023-05-31 00:20", "police", "assault", "discharged")]:
        row = person(key)
        date, time = when.split(" ")
        row.update(attendance_date=(f"{uk_date(date)} {time}" if rng.random() < 0.4
                                    else f"{date}T{time}:00"),
                   arrival_mode=mode, attendance_category=category, discharge=discharge)
        yield row


def gen_health_substance_misuse():
    for key, when, substance, status, kids in [
            ("graham", "2022-10-03", "alcohol", "referred", "N"),
            ("graham", "2022-11-14", "alcohol", "in_treatment", "N"),
            ("graham", "2023-06-26", "opiates", "dropped_out", "N"),
            ("darren", "2023-03-20", "cocaine", "referred", "Y"),
            ("darren", "2023-05-02", "cocaine", "dropped_out", "Y"),
            ("liam", "2023-07-10", "cannabis", "in_treatment", "Y"),
            ("jade", "2023-11-20", "alcohol", "referred", "Y"),
            ("callum", "2023-09-04", "alcohol", "in_treatment", "N"),
            ("callum", "2023-12-11", "alcohol", "completed", "N"),
            ("kevin", "2023-02-13", "crack_cocaine", "transferred", "")]:
        row = person(key)
        row.update(contact_date=some_date(when), substance=substance, treatment_status=status,
                   lives_with_children=kids)
        yield row


def gen_health_mental_health():
    for key, when, service, source, ctype in [
            ("priya", "2023-08-15", "camhs", "a_and_e", "referral"),
            ("priya", "2023-09-05", "camhs", "a_and_e", "assessment"),
            ("priya", "2023-11-27", "crisis", "a_and_e", "assessment"),
            ("donna", "2023-05-10", "adult_community", "a_and_e", "referral"),
            ("donna", "2023-06-21", "talking_therapies", "self", "treatment"),
            ("sarah", "2023-04-03", "talking_therapies", "gp", "treatment"),
            ("aisha", "2023-11-06", "camhs", "school", "referral"),
            ("kayden", "2023-03-09", "camhs", "social_care", "assessment"),
            ("fatima", "2023-12-01", "perinatal", "gp", "referral"),
            ("stephen", "2023-10-16", "adult_community", "gp", "treatment"),
            ("graham", "2023-07-03", "crisis", "police", "assessment")]:
        row = person(key)
        row.update(contact_date=some_date(when), service=service, referral_source=source,
                   contact_type=ctype)
        yield row


def gen_early_help_episodes():
    # lead person, family, start, end, closure, children, headline problems (crime/ASB, school,
    # children need help, worklessness/debt, domestic abuse, health)
    for key, fam, start, end, closure, kids, problems in [
            ("sarah", "FAM-A", "2022-05-09", "2022-11-28", "outcomes_achieved", 2, "NYNYNN"),
            ("sarah", "FAM-A", "2023-01-16", "2023-02-27", "stepped_up", 2, "NYYYYN"),
            ("chantelle", "FAM-B", "2022-09-05", "2023-06-30", "outcomes_achieved", 2, "NNNYNN"),
            ("chantelle", "FAM-B", "2023-10-02", "", "", 2, "NNYYNN"),
            ("agnieszka", "FAM-D", "2023-03-13", "2023-08-21", "outcomes_achieved", 2, "NYNNNN"),
            ("donna", "FAM-E", "2022-07-11", "2023-01-09", "disengaged", 2, "YNNYNY"),
            ("donna", "FAM-E", "2023-05-22", "", "", 2, "YYNYNY"),
            ("fatima", "FAM-F", "2023-09-18", "", "", 2, "NYNNNN"),
            ("jade", "FAM-I", "2022-11-14", "2023-06-19", "stepped_up", 2, "NNYYYN"),
            ("meena", "FAM-J", "2023-04-24", "2023-10-30", "outcomes_achieved", 1, "NNNNNY"),
            ("jade", "FAM-I", "2023-11-06", "", "", 2, "NNYYYN"),
            ("agnieszka", "FAM-D", "2021-06-07", "2021-09-27", "moved_away", 1, "NNNYNN")]:
        row = person(key)
        row.update(family_ref=fam, start_date=some_date(start), end_date=some_date(end) if end else "",
                   closure_reason=closure, children=str(kids))
        names = ["crime_asb", "school_attendance", "children_need_help", "worklessness_debt",
                 "domestic_abuse", "health"]
        row.update({f"problem_{n}": flag for n, flag in zip(names, problems)})
        yield row


# ---- deliberate faults: (row index, field, value, what the data-quality report should find) ----
# "dup" as the field copies the record_id of the row given as value onto the row.
FAULTS = {
    "person_register": [(3, "postcode", "OX4 2DUU", "invalid postcode"),
                        (8, "surname", "", "missing required surname"),
                        (12, "dob", "1880-02-30", "impossible date of birth"),
                        (15, "ethnicity_group", "white_british", "unknown category"),
                        (20, "dup", 19, "duplicate record_id")],
    "school_attendance": [(2, "postcode", "0X4 1HP", "postcode with a zero for the letter O"),
                          (5, "sessions_possible", "", "missing required sessions"),
                          (9, "sessions_attended", "412", "sessions above 400"),
                          (11, "term", "winter", "unknown term"),
                          (14, "dup", 13, "duplicate record_id"),
                          (17, "upn", "A93140121110", "UPN one character short")],
    "school_exclusions": [(1, "category", "", "missing required exclusion type"),
                          (3, "reason", "fighting", "unknown reason"),
                          (5, "start_date", "2203-06-13", "exclusion date out of range"),
                          (6, "postcode", "OX4", "incomplete postcode"),
                          (9, "dup", 8, "duplicate record_id")],
    "social_care_contacts": [(2, "outcome", "", "missing required outcome"),
                             (4, "source", "gp", "unknown source"),
                             (6, "contact_date", "31/02/2023", "impossible date"),
                             (8, "postcode", "OX44 4PUX", "invalid postcode"),
                             (11, "dup", 10, "duplicate record_id")],
    "social_care_episodes": [(1, "episode_type", "cp", "unknown episode type"),
                             (3, "start_date", "", "missing required start date"),
                             (5, "dob", "1899-12-31", "date of birth before 1900"),
                             (7, "postcode", "OX4  4PU Z", "invalid postcode"),
                             (9, "dup", 8, "duplicate record_id")],
    "police_domestic_abuse": [(1, "risk_level", "very high", "unknown risk level"),
                              (4, "role", "", "missing required role"),
                              (6, "incident_date", "1999-12-31", "incident before 2000"),
                              (9, "postcode", "OXF 4PU", "invalid postcode"),
                              (13, "dup", 12, "duplicate record_id")],
    "asb_incidents": [(1, "role", "complainant", "unknown role"),
                      (3, "incident_date", "", "missing required incident date"),
                      (5, "postcode", "OX4 3Q", "incomplete postcode"),
                      (7, "uprn", "1001205678930001", "UPRN longer than 12 digits"),
                      (10, "dup", 9, "duplicate record_id")],
    "youth_offending": [(1, "gravity_score", "9", "gravity score above 8"),
                        (3, "outcome", "", "missing required outcome"),
                        (5, "offence_type", "shoplifting", "unknown offence type"),
                        (7, "postcode", "OX4 11HP", "invalid postcode"),
                        (9, "dup", 8, "duplicate record_id")],
    "housing_tenancy": [(1, "tenure_type", "assured", "unknown tenure"),
                        (3, "household_size", "0", "household of no one"),
                        (5, "tenancy_ref", "", "missing required tenancy reference"),
                        (7, "postcode", "OX4 6D", "incomplete postcode"),
                        (9, "dup", 8, "duplicate record_id")],
    "rent_arrears": [(2, "balance_gbp", "-45.00", "negative balance"),
                     (5, "recovery_action", "bailiff", "unknown recovery action"),
                     (8, "snapshot_date", "", "missing required snapshot date"),
                     (10, "postcode", "OX4 3QWW", "invalid postcode"),
                     (14, "dup", 13, "duplicate record_id")],
    "homelessness_applications": [(1, "duty_owed", "", "missing required duty owed"),
                                  (3, "reason_loss_of_home", "eviction", "unknown reason"),
                                  (5, "approach_date", "18/09/1923", "approach before 2000"),
                                  (7, "postcode", "SW1A", "incomplete postcode"),
                                  (9, "dup", 8, "duplicate record_id")],
    "council_tax": [(1, "band", "I", "unknown band"),
                    (4, "arrears_gbp", "", "missing required arrears"),
                    (6, "liability_gbp", "-1620.58", "negative liability"),
                    (8, "postcode", "OX4 7U", "incomplete postcode"),
                    (12, "dup", 11, "duplicate record_id")],
    "housing_benefit": [(1, "claim_start", "", "missing required claim start"),
                        (3, "weekly_hb_gbp", "-54.10", "negative benefit"),
                        (4, "passported", "maybe", "not a boolean"),
                        (6, "postcode", "OX4 6DTT", "invalid postcode"),
                        (8, "dup", 7, "duplicate record_id")],
    "dwp_benefits": [(1, "benefit_type", "tax_credits", "unknown benefit"),
                     (3, "snapshot_date", "2023-13-01", "impossible date"),
                     (5, "dob", "", "missing required date of birth"),
                     (8, "postcode", "0X4 6RH", "postcode with a zero for the letter O"),
                     (11, "dup", 10, "duplicate record_id")],
    "adult_social_care": [(1, "nhs_number", "401 000 0001", "NHS number failing its check digit"),
                          (3, "service_type", "day_centre", "unknown service"),
                          (5, "referral_date", "", "missing required referral date"),
                          (7, "postcode", "OX4 3QW X", "invalid postcode"),
                          (9, "dup", 8, "duplicate record_id")],
    "health_ae": [(1, "attendance_category", "", "missing required attendance category"),
                  (3, "arrival_mode", "helicopter", "unknown arrival mode"),
                  (5, "dob", "2099-08-12", "date of birth in the future of the extract"),
                  (8, "postcode", "OX4 5HRR", "invalid postcode"),
                  (10, "nhs_number", "123 456 7890", "NHS number failing its check digit"),
                  (12, "dup", 11, "duplicate record_id")],
    "health_substance_misuse": [(1, "substance", "ketamine", "unknown substance"),
                                (3, "contact_date", "1998-05-02", "contact before 2000"),
                                (5, "substance", "", "missing required substance"),
                                (6, "postcode", "OX4 44PU", "invalid postcode"),
                                (9, "dup", 8, "duplicate record_id")],
    "health_mental_health": [(1, "service", "", "missing required service"),
                             (3, "referral_source", "teacher", "unknown referral source"),
                             (5, "contact_date", "2023-06-31", "impossible date"),
                             (7, "postcode", "OX44PU Q", "invalid postcode"),
                             (10, "dup", 9, "duplicate record_id")],
    "early_help_episodes": [(1, "closure_reason", "closed", "unknown closure reason"),
                            (3, "start_date", "", "missing required start date"),
                            (5, "problem_health", "maybe", "not a boolean"),
                            (7, "postcode", "OX4 5HRRR", "invalid postcode"),
                            (9, "dup", 8, "duplicate record_id")],
}

PREFIX = {"person_register": "PR", "school_attendance": "SA", "school_exclusions": "SX",
          "social_care_contacts": "SCC", "social_care_episodes": "SCE",
          "police_domestic_abuse": "DA", "asb_incidents": "ASB", "youth_offending": "YJ",
          "housing_tenancy": "HT", "rent_arrears": "RA", "homelessness_applications": "HL",
          "council_tax": "CTS", "housing_benefit": "HBC", "dwp_benefits": "DWP",
          "adult_social_care": "ASC", "health_ae": "AE", "health_substance_misuse": "SM",
          "health_mental_health": "MH", "early_help_episodes": "EHE"}


def main():
    schema_path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "lib/schema/council.schema.json"
    schema = json.loads(schema_path.read_text())
    for st in schema["streams"]:
        name = st["name"]
        header = [f["name"] for f in st["fields"]]
        gen = globals()[f"gen_{name}"]
        rows = []
        for i, row in enumerate(gen()):
            row["record_id"] = f"{PREFIX[name]}{10001 + i * 7}"
            unknown = set(row) - set(header) - set(person("sarah", vary=False)) - {"record_id"}
            assert not unknown, (name, unknown)
            rows.append({h: row.get(h, "") for h in header})
        for index, field, value, _ in FAULTS[name]:
            assert index < len(rows), (name, index, len(rows))
            if field == "dup":
                rows[index]["record_id"] = rows[value]["record_id"]
            else:
                assert field in header, (name, field)
                rows[index][field] = value
        assert 10 <= len(rows) <= 40, (name, len(rows))
        with open(HERE / f"{name}.csv", "w", newline="") as out:
            w = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"{name}.csv: {len(rows)} rows, {len(FAULTS[name])} deliberate faults")


if __name__ == "__main__":
    main()
