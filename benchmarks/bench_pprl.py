#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Privacy-preserving record linkage benchmark: linking Bloom-filter encodings against clear text.

Writes benchmarks/results/pprl.md. Usage (from the repository root, after a build):

    /usr/bin/python3 benchmarks/bench_pprl.py --build build/ci [--council-persons 5000]

For FEBRL 3 (de-duplication) and FEBRL 4 (4a linked with 4b) from ../shared/data/febrl (skipped
with a note when absent), with and without the SSN, and for a synthetic council, the same records
are linked twice in one run with default settings: once in clear, once after `earlyhelp encode`
(names, dates of birth, addresses and postcodes as keyed Bloom filters; identifiers keyed-hashed).
Both sides report pairwise precision, recall and F1 against the truth, the candidate pairs scored
and pairs per second of the scoring stage (pairs compared / predict seconds), and the encode time.
The peer of the encoded linkage is the clear linkage itself: the cost of not seeing names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import shutil
import sys
import tempfile
import time

from bench_common import cmake_cache, cpu_model, parse_summary, run_cli  # noqa: E402  (beside this script)

ROOT = pathlib.Path(__file__).resolve().parent.parent


def febrl_canonical(shared: pathlib.Path, name: str, ssn: bool):
    """A FEBRL file in the linker's canonical columns (street number and address lines joined)."""
    import pandas as pd

    df = pd.read_csv(shared / "febrl" / name, dtype=str, skipinitialspace=True, keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    df = df.apply(lambda s: s.str.strip())
    out = pd.DataFrame({
        "record_id": df.rec_id,
        "first_name": df.given_name,
        "surname": df.surname,
        "dob": df.date_of_birth,
        "address": (df.street_number + " " + df.address_1 + " " + df.address_2).str.split().str.join(" "),
        "town": df.suburb,
        "postcode": df.postcode,
    })
    if ssn:
        out["nhs_number"] = df.soc_sec_id
    return out


def link_frame(df, key, encoded: bool, link_only: bool, threads: int):
    """Links a canonical frame (encoded first when asked); returns quality and speed."""
    import earlyhelp
    from earlyhelp import linkage

    enc_secs = 0.0
    frame = df
    if encoded:
        t0 = time.perf_counter()
        frame = earlyhelp.encode(df, key)
        enc_secs = time.perf_counter() - t0
        frame["record_id"] = df["record_id"].values  # canonical record_id is never encoded
    settings = {"n_threads": threads}
    if link_only:
        settings["link_type"] = "link_only"
    lk = earlyhelp.Linker(settings)
    lk.add_records(frame)
    lk.fit()
    lk.predict()
    lk.cluster()
    truth = [i.split("-")[1] for i in df.record_id]
    ev = linkage.evaluate_clusters(lk.person_ids(), truth, *([df.source.tolist()] if link_only else []))
    st = lk.stats
    return dict(ev, pairs=st["pairs_compared"], predict=st["predict_seconds"], fit=st["fit_seconds"],
                link=st["fit_seconds"] + st["predict_seconds"] + st["cluster_seconds"], encode=enc_secs, rows=len(df))


def run_febrl(shared: pathlib.Path, key, threads: int):
    import pandas as pd

    out = {}
    for ssn in (True, False):
        tag = "" if ssn else " without SSN"
        d3 = febrl_canonical(shared, "dataset3.csv", ssn)
        a, b = febrl_canonical(shared, "dataset4a.csv", ssn), febrl_canonical(shared, "dataset4b.csv", ssn)
        a["source"], b["source"] = "a", "b"
        d4 = pd.concat([a, b], ignore_index=True)
        for name, df, link_only in ((f"FEBRL 3{tag}", d3, False), (f"FEBRL 4{tag}", d4, True)):
            out[name] = {mode: link_frame(df, key, mode == "encoded", link_only, threads)
                         for mode in ("clear", "encoded")}
    return out


def council_truth(data: pathlib.Path, truth_dir: pathlib.Path, persons_csv: pathlib.Path, ids: dict):
    """Pairwise quality of a council link; `ids` maps (stream, linked record id) -> clear record id."""
    import pandas as pd

    from earlyhelp import linkage

    t = pd.read_csv(truth_dir / "records.csv", dtype=str)
    p = pd.read_csv(persons_csv, dtype=str)
    if ids:
        p["record_id"] = [ids[(s, r)] for s, r in zip(p.source, p.record_id)]
    m = t.merge(p, left_on=["stream", "record_id"], right_on=["source", "record_id"], how="left")
    assert m.person_id_y.notna().all(), "every record must have a person"
    return linkage.evaluate_clusters(m.person_id_y.tolist(), m.person_id_x.tolist())


def run_council(cli: str, persons: int, key_file: pathlib.Path, tmp: pathlib.Path, threads: int):
    import pandas as pd

    clear = tmp / "council"
    run_cli([cli, "--no-audit", "synth", "--persons", str(persons), "--seed", "1", "--out", str(clear), "--quiet"])
    truth = tmp / "truth"
    shutil.move(str(clear / "truth"), str(truth))
    enc = tmp / "encoded"
    enc.mkdir()
    ids = {}
    t0 = time.perf_counter()
    for extract in sorted(clear.glob("*.csv")):
        run_cli([cli, "--no-audit", "encode", "--key-file", str(key_file), "--stream", extract.stem,
                 "--input", str(extract), "--output", str(enc / extract.name)])
    enc_secs = time.perf_counter() - t0
    # Every row is written in input order: the encoded record ids map back row by row.
    for extract in sorted(clear.glob("*.csv")):
        a = pd.read_csv(extract, dtype=str, keep_default_na=False)
        b = pd.read_csv(enc / extract.name, dtype=str, keep_default_na=False)
        col = a.columns[0] if "record_id" not in a.columns else "record_id"
        ids.update({(extract.stem, y): x for x, y in zip(a[col], b[col])})
    out = {}
    for mode, d in (("clear", clear), ("encoded", enc)):
        text, secs, rss = run_cli([cli, "--no-audit", "link", "--data", str(d), "--output", str(tmp / f"{mode}.csv"),
                                   "--as-of", "2025-01-01", "--threads", str(threads), "--quiet"])
        s = parse_summary(text)
        ev = council_truth(d, truth, tmp / f"{mode}.csv", ids if mode == "encoded" else {})
        out[mode] = dict(ev, pairs=s["pairs"], predict=s["predict"], fit=s["fit"], rows=int(s["records"]),
                         link=s["fit"] + s["predict"] + s["cluster"],
                         encode=enc_secs if mode == "encoded" else 0.0, wall=secs)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/ci", help="build directory")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--council-persons", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "pprl.md"))
    args = ap.parse_args()
    build = (ROOT / args.build).resolve()
    sys.path.insert(0, str(build / "python"))
    cli = str(build / "bin" / "earlyhelp")
    shared = pathlib.Path(args.shared)

    from earlyhelp import governance as gov

    results, notes = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        key_file = tmp / "bench.key"
        run_cli([cli, "--no-audit", "keygen", "--out", str(key_file)])
        key = gov.PseudonymKey.from_file(str(key_file))
        if (shared / "febrl" / "dataset3.csv").exists():
            results.update(run_febrl(shared, key, args.threads))
        else:
            notes.append(f"FEBRL skipped: {shared / 'febrl'} not found (only CI and developers have ../shared).")
        results[f"council ({args.council_persons:,} persons, seed 1)"] = run_council(
            cli, args.council_persons, key_file, tmp, args.threads)

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = ["# Privacy-preserving record linkage benchmark\n",
         f"Generated by `benchmarks/bench_pprl.py` on {now}. Do not edit by hand.\n",
         f"- CPU: {cpu_model()}; cores available: {os.cpu_count()}; threads used: {args.threads}; load average "
         f"at the end: {os.getloadavg()[0]:.1f} (the machine is shared: timings are an upper bound)",
         f"- Compiler: {cmake_cache(build, 'CMAKE_CXX_COMPILER')} ({cmake_cache(build, 'CMAKE_BUILD_TYPE')}, "
         f"flags `{cmake_cache(build, 'CMAKE_CXX_FLAGS')} {cmake_cache(build, 'CMAKE_CXX_FLAGS_RELEASE')}`)",
         f"- Command: `/usr/bin/python3 benchmarks/bench_pprl.py --build {args.build} --council-persons "
         f"{args.council_persons} --threads {args.threads}`",
         "- Encoded: names, dates of birth, addresses, towns and postcodes as keyed Bloom filters (512 bits, "
         "XOR-folded from 1024, 15 HMAC positions per bigram), NHS number / SSN and UPRN keyed-hashed, "
         "under a fresh key from `earlyhelp keygen`; the peer is the clear linkage of the same records in the "
         "same run. Default settings, no labels. Pairs/s = candidate pairs scored / predict seconds (FEBRL's "
         "predict stage lasts a few hundredths of a second: its pairs/s are noisy); link s = fit + predict + "
         "cluster (fit includes the u-probabilities' 1,000,000 random pairs, each compared like a candidate); "
         "encode s = the data owners' encoding (Python frame through the file pass for FEBRL, the CLI per "
         "extract for the council).",
         *[f"- {n}" for n in notes], "",
         "| data | mode | pairwise P | R | F1 | F1 gap (encoded - clear) | pairs scored | pairs/s | "
         "pairs/s ratio (encoded / clear) | link s | link s ratio | encode s |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        c = r["clear"]
        for mode in ("clear", "encoded"):
            x = r[mode]
            pps = x["pairs"] / x["predict"] if x["predict"] > 0 else float("nan")
            cps = c["pairs"] / c["predict"] if c["predict"] > 0 else float("nan")
            gap = f"{x['f1'] - c['f1']:+.4f}" if mode == "encoded" else ""
            ratio = f"{pps / cps:.2f}" if mode == "encoded" else ""
            lratio = f"{x['link'] / c['link']:.2f}" if mode == "encoded" and c["link"] > 0 else ""
            L.append(f"| {name} | {mode} | {x['precision']:.4f} | {x['recall']:.4f} | {x['f1']:.4f} | {gap} | "
                     f"{int(x['pairs']):,} | {pps:,.0f} | {ratio} | {x['link']:.2f} | {lratio} | {x['encode']:.1f} |")
    L.append("")
    pathlib.Path(args.out).write_text("\n".join(L) + "\n")
    print("\n".join(L))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
