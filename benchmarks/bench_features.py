#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Features benchmark: the default synthetic county, built-in definitions, one as-of date.

Measures `earlyhelp features` (time after reading, peak memory, memory against features x dates)
and, side by side in the same run, the same twenty features written idiomatically in pandas
(groupby and merges), checking that both give the same values. Writes
benchmarks/results/features.md. Usage, from the repository root after a Release build:

    /usr/bin/python3 benchmarks/bench_features.py --build build/ci [--work DIR] [--quick]

The county is generated and linked once (`earlyhelp synth`, `earlyhelp link --data --households`)
into --work (kept, and reused when already there); linking is not part of what is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

from bench_common import cmake_cache, cpu_model  # noqa: E402  (beside this script)

ROOT = pathlib.Path(__file__).resolve().parent.parent
AS_OF = "2024-10-01"
LINK_AS_OF = "2024-10-01"
# The twenty features both sides compute: counts in windows with filters, days since, states of
# episodes and snapshots, attendance ratios and their trend, arrears per account and their
# doubling, age from the dates of birth recorded, and a family roll-up over the household.
TWENTY = ["age", "da_notifications_90d", "da_notifications_365d", "da_high_risk_365d", "days_since_da_notification",
          "sc_referrals_365d", "open_cin", "open_cpp", "attendance_last_term", "attendance_last3_terms",
          "attendance_trend_3terms", "suspensions_365d", "asb_perpetrator_365d", "homeless_duty_365d",
          "rent_balance", "ct_arrears", "ct_arrears_doubled_180d", "out_of_work_benefit", "ae_attendances_365d",
          "family_adult_domestic_abuse"]


def run_measured(cmd: list[str]) -> tuple[str, float, float]:
    """Runs a command under /usr/bin/time; returns its output, wall seconds and peak RSS in MiB."""
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/env", "time", "-f", "MAXRSS %M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    m = re.search(r"MAXRSS (\d+)", r.stderr)
    return r.stdout + r.stderr, wall, int(m.group(1)) / 1024.0 if m else float("nan")


def parse_summary(text: str) -> dict:
    m = re.search(r"rows (\d+) columns (\d+) dates (\d+) seconds ([\d.]+) \(read ([\d.]+) compute ([\d.]+) "
                  r"write ([\d.]+); compute and write used ([\d.]+) s of CPU\)", text)
    if not m:
        raise SystemExit(f"no summary line in:\n{text}")
    keys = ["rows", "columns", "dates", "seconds", "read", "compute", "write", "cpu"]
    return {k: float(v) for k, v in zip(keys, m.groups())}


# ---- the peer: the same twenty features in pandas ----------------------------------------------

def pandas_twenty(data: pathlib.Path, persons_csv: pathlib.Path, households_csv: pathlib.Path, as_of: str):
    """Returns (read seconds, compute seconds, compute CPU seconds, DataFrame indexed by person_id)."""
    import numpy as np
    import pandas as pd

    day = pd.Timestamp(as_of)
    t0 = time.perf_counter()
    persons = pd.read_csv(persons_csv, dtype=str)
    households = pd.read_csv(households_csv, dtype=str, usecols=["person_id", "household_id", "role"])

    def read(stream, cols, date_col, dayfirst=False):
        e = pd.read_csv(data / f"{stream}.csv", dtype=str, usecols=["record_id", date_col] + cols)
        e["date"] = pd.to_datetime(e[date_col].str[:10], dayfirst=dayfirst, errors="coerce")
        if "dob" in e.columns:  # each system writes dates its own way (social care day-first)
            e["dob"] = pd.to_datetime(e["dob"], dayfirst=dayfirst, errors="coerce")
        return e

    da = read("police_domestic_abuse", ["risk_level", "dob"], "incident_date")
    sc = read("social_care_contacts", ["outcome", "dob"], "contact_date", dayfirst=True)
    ep = read("social_care_episodes", ["episode_type", "end_date", "dob"], "start_date", dayfirst=True)
    sa = read("school_attendance", ["sessions_possible", "sessions_attended", "dob"], "term_end_date")
    ex = read("school_exclusions", ["category", "dob"], "start_date")
    asb = read("asb_incidents", ["role", "dob"], "incident_date")
    hl = read("homelessness_applications", ["duty_owed", "dob"], "approach_date")
    ra = read("rent_arrears", ["tenancy_ref", "balance_gbp"], "snapshot_date")
    ct = read("council_tax", ["account_ref", "arrears_gbp"], "snapshot_date")
    dw = read("dwp_benefits", ["benefit_type", "work_status", "dob"], "snapshot_date")
    ae = read("health_ae", ["dob"], "attendance_date")
    dob_only = {s: read(s, ["dob"], d, dayfirst=f) for s, d, f in [
        ("person_register", "start_date", False),
        ("youth_offending", "offence_date", True), ("housing_tenancy", "start_date", False),
        ("housing_benefit", "claim_start", True), ("adult_social_care", "referral_date", True),
        ("health_substance_misuse", "contact_date", False), ("health_mental_health", "contact_date", False)]}
    read_s = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    link = persons.assign(key=persons["source"] + ":" + persons["record_id"])[["key", "person_id"]]

    def linked(e, stream):
        e = e.assign(key=stream + ":" + e["record_id"]).merge(link, on="key")
        return e[e["date"] < day]

    def window(e, days):
        return e[e["date"] >= day - pd.Timedelta(days=days)]

    def count(e):
        return e.groupby("person_id").size()

    out = {}
    da_l = linked(da, "police_domestic_abuse")
    out["da_notifications_90d"] = count(window(da_l, 90))
    out["da_notifications_365d"] = count(window(da_l, 365))
    out["da_high_risk_365d"] = count(window(da_l[da_l.risk_level == "high"], 365))
    out["days_since_da_notification"] = (day - da_l.groupby("person_id")["date"].max()).dt.days
    sc_l = linked(sc, "social_care_contacts")
    out["sc_referrals_365d"] = count(window(sc_l[sc_l.outcome == "referral"], 365))
    ep_l = linked(ep, "social_care_episodes")
    end = pd.to_datetime(ep_l["end_date"], dayfirst=True, errors="coerce")
    open_ep = ep_l[end.isna() | (end >= day)]
    out["open_cin"] = open_ep[open_ep.episode_type == "cin"].groupby("person_id").size().gt(0).astype(int)
    out["open_cpp"] = open_ep[open_ep.episode_type == "cpp"].groupby("person_id").size().gt(0).astype(int)
    sa_l = linked(sa, "school_attendance").astype({"sessions_possible": float, "sessions_attended": float})
    sa_l = sa_l.sort_values(["person_id", "date"], kind="stable")
    sa_l["back"] = sa_l.groupby("person_id").cumcount(ascending=False)
    terms = lambda lo, hi: sa_l[(sa_l.back >= lo) & (sa_l.back < hi)].groupby("person_id")[
        ["sessions_attended", "sessions_possible"]].sum()
    ratio = lambda g: (g.sessions_attended / g.sessions_possible).where(g.sessions_possible > 0)
    out["attendance_last_term"] = ratio(terms(0, 1))
    out["attendance_last3_terms"] = ratio(terms(0, 3))
    out["attendance_trend_3terms"] = out["attendance_last3_terms"] - ratio(terms(3, 6))
    ex_l = linked(ex, "school_exclusions")
    out["suspensions_365d"] = count(window(ex_l[ex_l.category == "suspension"], 365))
    asb_l = linked(asb, "asb_incidents")
    out["asb_perpetrator_365d"] = count(window(asb_l[asb_l.role == "perpetrator"], 365))
    hl_l = linked(hl, "homelessness_applications")
    out["homeless_duty_365d"] = count(window(hl_l[hl_l.duty_owed.isin(["prevention", "relief", "main"])], 365))

    def latest_per(e, key, value, days=None, before=day):
        e = e[e["date"] < before]
        if days is not None:
            e = e[e["date"] >= before - pd.Timedelta(days=days)]
        last = e.sort_values("date", kind="stable").groupby(["person_id", key]).tail(1)
        return last.groupby("person_id")[value].sum()

    ra_l = linked(ra, "rent_arrears").astype({"balance_gbp": float})
    out["rent_balance"] = latest_per(ra_l, "tenancy_ref", "balance_gbp", 400)
    ct_all = ct.assign(key="council_tax:" + ct["record_id"]).merge(link, on="key").astype({"arrears_gbp": float})
    out["ct_arrears"] = latest_per(ct_all, "account_ref", "arrears_gbp", 730)
    now = latest_per(ct_all, "account_ref", "arrears_gbp")
    then = latest_per(ct_all, "account_ref", "arrears_gbp", before=day - pd.Timedelta(days=180))
    both = pd.concat([now.rename("now"), then.rename("then")], axis=1)
    out["ct_arrears_doubled_180d"] = ((both.then > 0) & (both.now >= 2 * both.then)).astype(int)
    dw_l = window(linked(dw, "dwp_benefits"), 400)
    latest = dw_l[dw_l["date"] == dw_l.groupby("person_id")["date"].transform("max")]
    oow = latest.benefit_type.isin(["uc", "esa", "jsa", "income_support"]) & latest.work_status.isin(
        ["out_of_work", "unable_to_work"])
    out["out_of_work_benefit"] = oow.groupby(latest["person_id"]).any().astype(int)
    ae_l = linked(ae, "health_ae")
    out["ae_attendances_365d"] = count(window(ae_l, 365))

    # Age from the date of birth recorded most often before the date (a tie: the latest record's).
    frames = [linked(e, s)[["person_id", "date", "dob"]].assign(stream=i) for i, (s, e) in enumerate(
        list(dob_only.items()) + [("police_domestic_abuse", da), ("social_care_contacts", sc),
                                  ("social_care_episodes", ep), ("school_attendance", sa), ("dwp_benefits", dw),
                                  ("health_ae", ae), ("school_exclusions", ex), ("asb_incidents", asb),
                                  ("homelessness_applications", hl)])]
    dobs = pd.concat(frames)
    dobs = dobs[dobs.dob.notna()]
    tally = dobs.groupby(["person_id", "dob"]).agg(n=("date", "size"), last=("date", "max")).reset_index()
    best = tally.sort_values(["person_id", "n", "last"]).groupby("person_id").tail(1).set_index("person_id")["dob"]
    before_birthday = (best.dt.month > day.month) | ((best.dt.month == day.month) & (best.dt.day > day.day))
    out["age"] = (day.year - best.dt.year - before_birthday.astype(int)).where(best < day)

    # Family roll-up: any adult (18 or over on the date, else the households file's role) of the
    # household with a domestic-abuse notification in the last year.
    hh = households.drop_duplicates("person_id").set_index("person_id")
    hh["adult"] = out["age"].reindex(hh.index).ge(18).where(out["age"].reindex(hh.index).notna(), hh.role == "adult")
    hh["da"] = out["da_notifications_365d"].reindex(hh.index).fillna(0) > 0
    fam = (hh.adult & hh.da).groupby(hh.household_id).any()
    out["family_adult_domestic_abuse"] = hh.household_id.map(fam).astype(int)

    frame = pd.DataFrame(index=pd.Index(persons["person_id"].unique(), name="person_id"))
    for name in TWENTY:
        frame[name] = out[name]
    for name in ["da_notifications_90d", "da_notifications_365d", "da_high_risk_365d", "sc_referrals_365d",
                 "open_cin", "open_cpp", "suspensions_365d", "asb_perpetrator_365d", "homeless_duty_365d",
                 "ct_arrears_doubled_180d", "out_of_work_benefit", "ae_attendances_365d", "rent_balance",
                 "ct_arrears"]:
        frame[name] = frame[name].fillna(0)
    frame = frame.astype(np.float32)
    return read_s, time.perf_counter() - t0, time.process_time() - c0, frame


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ci", help="Release build directory")
    ap.add_argument("--persons", type=int, default=600000, help="synthetic county size (default: synth's)")
    ap.add_argument("--work", default=None, help="folder for the county and its linkage (kept; reused)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="a 20,000-person county (smoke run; not for the results)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "features.md"))
    args = ap.parse_args()
    if args.quick:
        args.persons = 20000
    build = (ROOT / args.build).resolve()
    sys.path.insert(0, str(build / "python"))
    cli = str(build / "bin" / "earlyhelp")
    work = pathlib.Path(args.work or (pathlib.Path(tempfile.gettempdir()) / f"eh_bench_features_{args.persons}"))
    work.mkdir(parents=True, exist_ok=True)
    data, persons, households = work / "council", work / "persons.csv", work / "households.csv"
    if not (data / "council_tax.csv").exists():
        run_measured([cli, "--no-audit", "synth", "--persons", str(args.persons), "--seed", "1", "--out", str(data),
                      "--quiet"])
    if not households.exists():
        run_measured([cli, "--no-audit", "link", "--data", str(data), "--output", str(persons), "--households",
                      str(households), "--as-of", LINK_AS_OF, "--threads", str(args.threads), "--quiet"])
    records = sum(max(0, sum(1 for _ in open(f)) - 1) for f in data.glob("*.csv"))
    load_start = os.getloadavg()

    import earlyhelp  # the build's module (sys.path above)

    builtin = json.loads(earlyhelp.feature_table._builtin_json())
    keep = {f["name"]: f for f in builtin["features"]}
    # A sentence naming a feature left out cannot be checked: those use "{value}" (no effect on values).
    twenty_defs = dict(builtin, name="twenty", features=[
        dict(keep[n], template="{value}") if any("{" + o + "}" in keep[n]["template"] for o in keep if o not in TWENTY)
        else keep[n] for n in TWENTY])
    (work / "twenty.features.json").write_text(json.dumps(twenty_defs, indent=1))

    def features(*extra, defs=None, dates=AS_OF):
        cmd = [cli, "--no-audit", "features", "--data", str(data), "--persons", str(persons), "--households",
               str(households), "--as-of", dates, "--threads", str(args.threads), "--output",
               str(work / "features.csv"), "--quiet", *extra]
        if defs:
            cmd += ["--definitions", str(defs)]
        text, wall, rss = run_measured(cmd)
        return dict(parse_summary(text), wall=wall, rss=rss,
                    command=" ".join(["earlyhelp"] + cmd[1:]).replace(str(work), "$WORK"))

    main_run = features()
    four_dates = features(dates="2023-10-01,2024-01-01,2024-04-01,2024-10-01")
    twenty_run = features(defs=work / "twenty.features.json")
    ours20 = __import__("pandas").read_csv(work / "features.csv", dtype={"person_id": str}).set_index("person_id")
    peer_read, peer_compute, peer_cpu, peer = pandas_twenty(data, persons, households, AS_OF)

    # Agreement on the persons both sides have (ours: those known before the date).
    import numpy as np

    common = ours20.index.intersection(peer.index)
    agree = {}
    for name in TWENTY:
        a = ours20.loc[common, name].to_numpy(np.float32)
        b = peer.loc[common, name].to_numpy(np.float32)
        same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-5, atol=1e-4)
        agree[name] = float(same.mean())

    load_end = os.getloadavg()
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    after_read = main_run["compute"] + main_run["write"]
    ratio_compute = peer_compute / twenty_run["compute"]
    import pandas as pd

    L = ["# Features benchmark\n",
         f"Generated by `benchmarks/bench_features.py` on {now}. Do not edit by hand.\n",
         f"- CPU: {cpu_model()}; cores available: {os.cpu_count()}; threads used: {args.threads}",
         f"- Compiler: {cmake_cache(build, 'CMAKE_CXX_COMPILER')} ({cmake_cache(build, 'CMAKE_BUILD_TYPE')}, flags "
         f"`{cmake_cache(build, 'CMAKE_CXX_FLAGS_RELEASE')}`); Python {sys.version.split()[0]}, pandas "
         f"{pd.__version__}, numpy {np.__version__}",
         f"- Command: `/usr/bin/python3 benchmarks/bench_features.py --build {args.build}"
         f"{' --quick' if args.quick else ''}{' --work ' + args.work if args.work else ''}` (the county is generated and linked once with `earlyhelp synth "
         f"--persons {args.persons} --seed 1` and `earlyhelp link --data ... --households ... --as-of {LINK_AS_OF}`; "
         "linking is not measured here)",
         f"- Load average (1, 5, 15 min) at the start: {load_start[0]:.1f} {load_start[1]:.1f} {load_start[2]:.1f}; "
         f"at the end: {load_end[0]:.1f} {load_end[1]:.1f} {load_end[2]:.1f}. The machine is shared with other "
         "jobs: timings are an upper bound.",
         f"- Data: {args.persons:,} persons, {records:,} records in 18 extracts; as of {AS_OF}.\n",
         "## The built-in definitions, one as-of date\n",
         "| measure | ours | target | |", "|---|---:|---:|---|",
         f"| features computed | {int(main_run['columns'])} x {int(main_run['rows']):,} rows | about 100 | |",
         f"| compute (after reading) | {main_run['compute']:.2f} s | | |",
         f"| write the CSV | {main_run['write']:.2f} s | | |",
         f"| **after reading: compute + write** | **{after_read:.2f} s** | 10 s | "
         f"{'met' if after_read <= 10 else 'NOT met'} |",
         f"| CPU used by compute + write (both threads) | {main_run['cpu']:.2f} s | | a busy machine does not "
         "inflate it |",
         f"| read (persons, households, 18 extracts checked against the schema) | {main_run['read']:.2f} s | | |",
         f"| wall, whole command | {main_run['wall']:.2f} s | | |",
         f"| **peak memory** | **{main_run['rss'] / 1024:.2f} GB** | 2 GB | {'met' if main_run['rss'] < 2048 else 'NOT met'} |",
         f"\nCommand: `{main_run['command']}`\n",
         "## Memory grows with records, not with features x dates\n",
         "| run | features | dates | rows written | compute s | peak memory |", "|---|---:|---:|---:|---:|---:|"]
    for label, r in [("built-in, one date", main_run), ("built-in, four dates", four_dates),
                     ("twenty features, one date", twenty_run)]:
        L.append(f"| {label} | {int(r['columns'])} | {int(r['dates'])} | {int(r['rows']):,} | {r['compute']:.2f} | "
                 f"{r['rss']:.0f} MiB |")
    grow = four_dates["rss"] / main_run["rss"]
    L.append(f"\nFour dates write {four_dates['rows'] / main_run['rows']:.1f}x the rows with {grow:.2f}x the peak "
             f"memory; {int(main_run['columns'])} features against 20 take {main_run['rss'] / twenty_run['rss']:.2f}x. "
             "The table is computed and written in blocks, so its size does not stay in memory; what is held is the "
             "records (8 bytes per kept field per row), the persons and the record index.\n")
    L.append("## Side by side with pandas: the same twenty features\n")
    L.append("The peer computes the same twenty features (" + ", ".join(f"`{n}`" for n in TWENTY) + ") with "
             "idiomatic pandas (read_csv, merges on the persons file, groupby windows and last-per-account), in the "
             "same run on the same files. Both sides' reading is reported apart; the comparison is the computation "
             "after reading.\n")
    L.append("| | ours | pandas | ratio (pandas / ours) | target |")
    L.append("|---|---:|---:|---:|---|")
    L.append(f"| compute the twenty features | {twenty_run['compute']:.2f} s | {peer_compute:.2f} s | "
             f"**{ratio_compute:.1f}x** | 10x: {'met' if ratio_compute >= 10 else 'NOT met'} |")
    L.append(f"| compute + write the CSV (ours) | {twenty_run['compute'] + twenty_run['write']:.2f} s | "
             f"{peer_compute:.2f} s (no file) | {peer_compute / (twenty_run['compute'] + twenty_run['write']):.1f}x | |")
    L.append(f"| CPU seconds: ours compute + write, pandas compute | {twenty_run['cpu']:.2f} s | {peer_cpu:.2f} s | "
             f"{peer_cpu / twenty_run['cpu']:.1f}x | |")
    L.append(f"| read | {twenty_run['read']:.2f} s (every row checked against the schema) | {peer_read:.2f} s "
             f"(no checks) | {peer_read / twenty_run['read']:.1f}x | |")
    L.append(f"\nOur twenty-feature command: `{twenty_run['command']}`\n")
    L.append("Agreement, share of the persons in both tables with the same value (pandas does not check rows "
             "against the schema, so it also counts the rows earlyhelp rejects, such as malformed postcodes; "
             "earlyhelp never uses them):\n")
    L.append("| feature | same value |")
    L.append("|---|---:|")
    for name in TWENTY:
        L.append(f"| `{name}` | {agree[name]:.4f} |")
    L.append(f"\nPersons compared: {len(common):,} (ours has the persons known before the date; pandas every person "
             "of the persons file).")
    pathlib.Path(args.out).write_text("\n".join(L) + "\n")
    print("\n".join(L))
    return 0


if __name__ == "__main__":
    sys.exit(main())
