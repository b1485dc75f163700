# SPDX-License-Identifier: Apache-2.0
"""A council's run on a date as one self-contained HTML page (``earlyhelp.report``).

>>> import earlyhelp
>>> earlyhelp.report("council/", "2024-04-01", "report.html", persons="persons.csv")  # doctest: +SKIP

The same page as ``earlyhelp report --data DIR --as-of D [--bundle B] --out report.html``. Every
figure comes from the library's own calls: ``earlyhelp.validate`` (each stream's data quality), the
linkage (``earlyhelp.profile`` links the extracts when no persons file is given), ``earlyhelp.profile``
(scores and alert counts), ``earlyhelp.training_table`` (each domain's features, groups and outcome)
scored with the same bundle the profile used, and ``earlyhelp.evaluate`` (ROC AUC, precision at k,
calibration, fairness by group). This module only draws them: matplotlib (Agg) plots embedded as
base64 PNG, tables as HTML, no script, no style sheet or font from the network.

The page holds aggregates only (counts, rates, curves, histograms with groups of fewer than
``MIN_CELL`` subjects left out): never an identifier, name, date of birth or a single subject's
score. Scores are advisory; the page says so, and that a reference bundle was trained on synthetic
data and is not for use on residents.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import os
import tempfile

__all__ = ["report", "MIN_CELL"]

#: Groups (and histogram series) with fewer subjects than this are not drawn.
MIN_CELL = 10
#: Caseloads whose precision and recall the page reports (top k scores).
CASELOADS = (50, 100, 200)


# ---- plots ----------------------------------------------------------------------------------------

def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> str:
    """The figure as an <img> with its PNG inline (base64 data URI)."""
    plt = _pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(fig.get_label() or "plot")
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">'


def _roc_points(y, score):
    """(false-positive rate, true-positive rate) at each distinct score, highest first (tied scores
    are one threshold, as in the library's ROC AUC)."""
    import numpy as np

    order = np.argsort(-score, kind="stable")
    s, t = score[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]  # the last row of each tie
    tp, fp = np.cumsum(t)[last], np.cumsum(1 - t)[last]
    return np.r_[0.0, fp / max(fp[-1], 1)], np.r_[0.0, tp / max(tp[-1], 1)]


def _roc_plot(y, score, auc, title):
    plt = _pyplot()
    fpr, tpr = _roc_points(y, score)
    fig, ax = plt.subplots(figsize=(4.2, 4.0), label=f"ROC curve: {title}")
    ax.plot(fpr, tpr, lw=1.8, label=f"model (ROC AUC {auc:.3f})")
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="chance")
    ax.set(xlabel="false-positive rate", ylabel="true-positive rate (recall)", title=f"ROC: {title}",
           xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def _precision_at_k_plot(y, score, overall, title):
    """Precision and recall among the top k scores for every k, with the library's figures at the
    caseloads (ties shared, so they can differ slightly from the row-order curve) marked."""
    import numpy as np

    plt = _pyplot()
    order = np.argsort(-score, kind="stable")
    hits = np.cumsum(y[order])
    k = np.arange(1, len(y) + 1)
    fig, ax = plt.subplots(figsize=(4.6, 4.0), label=f"precision at k: {title}")
    ax.plot(k, hits / k, lw=1.6, label="precision at k")
    ax.plot(k, hits / max(hits[-1], 1), lw=1.6, label="recall at k")
    top = overall[overall["selection"].str.startswith("top ")]
    ax.scatter(top["k"], top["precision"], color="C0", zorder=3, s=18)
    ax.scatter(top["k"], top["recall"], color="C1", zorder=3, s=18)
    ax.axhline(float(y.mean()), ls="--", color="grey", lw=1, label="base rate")
    ax.set(xscale="log", xlabel="caseload k (top k scores)", ylabel="share", ylim=(0, 1.01),
           title=f"Precision and recall at k: {title}")
    ax.legend(loc="center right", fontsize=8)
    return _png(fig)


def _calibration_plot(bins, title):
    plt = _pyplot()
    b = bins[bins["rows"] > 0]
    fig, ax = plt.subplots(figsize=(4.2, 4.0), label=f"calibration: {title}")
    top = max(float(b["mean_score"].max()), float(b["observed_rate"].max()), 1e-3) * 1.1 if len(b) else 1.0
    ax.plot([0, top], [0, top], ls="--", color="grey", lw=1, label="perfect calibration")
    ax.plot(b["mean_score"], b["observed_rate"], marker="o", lw=1.6, label="observed rate per bin")
    ax.set(xlabel="mean score in bin", ylabel="observed outcome rate", title=f"Calibration: {title}",
           xlim=(0, top), ylim=(0, top))
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig)


def _distribution_plot(frame, groups, labels, threshold, title):
    """Score histograms per group value of each grouping (groups under MIN_CELL left out)."""
    import numpy as np

    plt = _pyplot()
    fig, axes = plt.subplots(1, len(groups), figsize=(4.4 * len(groups), 3.6), squeeze=False,
                             label=f"score distribution by group: {title}")
    edges = np.linspace(0.0, max(float(frame["score"].max()), threshold) * 1.02 or 1.0, 31)
    left_out = []
    for ax, g in zip(axes[0], groups):
        for value, part in frame.groupby(frame[g].map(_group_label), sort=True):
            if len(part) < MIN_CELL:
                left_out.append(f"{g} = {value}")
                continue
            ax.hist(part["score"], bins=edges, histtype="step", density=True, lw=1.4,
                    label=f"{value} ({len(part)})")
        ax.axvline(threshold, ls="--", color="black", lw=1, label="alert threshold")
        ax.set(xlabel="score", ylabel="density", title=labels.get(g, g))
        ax.legend(fontsize=7)
    fig.suptitle(f"Score distribution by group: {title}", fontsize=10)
    return _png(fig), left_out


def _records_plot(per_person):
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    counts = per_person.clip(upper=20).value_counts().sort_index()
    fig, ax = plt.subplots(figsize=(5.0, 3.4), label="records per person")
    ax.bar(counts.index.astype(int), counts.to_numpy(), width=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="records per person (20: 20 or more)", ylabel="persons", title="Records linked per person")
    return _png(fig)


# ---- HTML ---------------------------------------------------------------------------------------

def _group_label(v) -> str:
    from earlyhelp.evaluation import _label

    return _label(v) or "(missing)"


def _cell(v) -> str:
    import math

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "&ndash;"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return html.escape(str(v))


def _table(rows, columns, caption=""):
    """An HTML table of dicts (or a DataFrame's records) in `columns` order: {key: heading}."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in columns.values())
    body = "".join("<tr>" + "".join(f"<td>{_cell(_py(r.get(k)))}</td>" for k in columns) + "</tr>\n" for r in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n"


def _py(v):
    """numpy scalars as Python numbers (whole floats of counts stay floats: _cell formats them)."""
    item = getattr(v, "item", None)
    return item() if callable(item) else v


_CSS = """
body{font-family:sans-serif;max-width:78rem;margin:1rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}h3{margin-top:1.4rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}caption{text-align:left;font-weight:bold;padding:.2rem 0}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:right}th{background:#f2f2f2}
td:first-child,th:first-child{text-align:left}
.notice{border-left:4px solid #b00;background:#fff4f4;padding:.5rem .8rem;margin:.8rem 0}
.note{border-left:4px solid #888;background:#f6f6f6;padding:.4rem .8rem;margin:.6rem 0}
.plots img{margin:.3rem .6rem .3rem 0;vertical-align:top;max-width:100%}
pre{background:#f6f6f6;padding:.5rem;font-size:.8rem;overflow-x:auto}
"""


# ---- the figures ----------------------------------------------------------------------------------

def _quality(data, tmp):
    """earlyhelp.validate on each stream's extract present in `data`: one row per stream."""
    from earlyhelp.io import validate
    from earlyhelp.schema import builtin_schema

    rows = []
    for stream in builtin_schema().streams:
        name = stream.name
        path = os.path.join(data, f"{name}.csv")
        if not os.path.isfile(path):
            continue
        r = validate(path, name, os.path.join(tmp, f"{name}.clean.csv"), os.path.join(tmp, f"{name}.rejects.csv"))
        rep = r["report"]
        fields = [f for f in rep["fields"] if f.get("in_input")]
        worst = min(fields, key=lambda f: f["completeness"]) if fields else None
        dates = [(f["min_date"], f["max_date"]) for f in fields
                 if f["type"] in ("date", "datetime") and not f.get("range_withheld") and f.get("min_date")]
        rows.append({
            "stream": name,
            "rows_read": r["rows_read"],
            "rows_clean": r["rows_clean"],
            "rows_rejected": r["rows_rejected"],
            "rejects_by_kind": ", ".join(f"{k} {v}" for k, v in sorted(rep["rejects_by_kind"].items())) or "none",
            "reconciled": bool(r["reconciled"]),
            "completeness": sum(f["completeness"] for f in fields) / len(fields) if fields else float("nan"),
            "least_complete": f"{worst['name']} ({worst['completeness']:.1%})" if worst else "",
            "invalid": sum(f["invalid"] for f in fields),
            "duplicate_keys": sum(f.get("duplicates", 0) for f in fields),
            "absent_columns": ", ".join(rep["absent_columns"]) or "none",
            "first_date": min(d[0] for d in dates) if dates else "",
            "last_date": max(d[1] for d in dates) if dates else "",
        })
    return rows


def _frame(table):
    """A persons or households file (path) or DataFrame as a DataFrame of text."""
    import pandas as pd

    if isinstance(table, (str, os.PathLike)):
        return pd.read_csv(table, dtype=str, keep_default_na=False)
    return pd.DataFrame(table).astype(str)


def _homes(p, households):
    """(person_id, household_id) of every person in a household, from the persons frame `p` when it
    holds the households, else from `households`; None without households."""
    h = p if "household_id" in p.columns or households is None else _frame(households)
    if "household_id" not in h.columns:
        return None
    return h.loc[h["household_id"] != "", ["person_id", "household_id"]].drop_duplicates()


def _linkage(p, homes):
    """Counts of the linkage (the persons frame, _homes): records, persons, households, records and
    persons by source."""
    per_person = p.groupby("person_id").size()
    out = {"records": len(p), "persons": int(p["person_id"].nunique()), "per_person": per_person}
    if homes is not None:
        out["households"] = int(homes["household_id"].nunique())
        out["persons_in_households"] = int(homes["person_id"].nunique())
    if "source" in p.columns:
        sources = p.groupby("person_id")["source"].nunique()
        out["by_source"] = [{"source": s, "records": int(n), "persons": int(m)}
                            for (s, n), m in zip(p.groupby("source").size().items(),
                                                 p.groupby("source")["person_id"].nunique())]
        out["sources_per_person"] = sources.clip(upper=5).value_counts().sort_index()
    return out


def _has_households(persons):
    if isinstance(persons, (str, os.PathLike)):
        with open(persons, encoding="utf-8-sig") as f:
            return "household_id" in f.readline().strip().split(",")
    return "household_id" in getattr(persons, "columns", ())


def _bundle(domain, models):
    """(Model, reference?) the profile scored `domain` with."""
    from earlyhelp import _core
    from earlyhelp.models import Model

    if domain in models:
        return Model.load(models[domain]), False
    return Model(_core.reference.model(domain)), True


def _synthetic(model, reference):
    info = model.info
    text = f"{info.get('intended_use', '')} {info.get('training_window', '')}".lower()
    return reference or "synthetic" in text


def _activity_baseline(t, home):
    """The activity baselines of a domain's table `t` (earlyhelp.activity_baselines) and each row's
    cluster for the bootstrap: a person's household (`home`: person_id -> household_id; persons of
    one household are not independent draws), a person in none their own; None for a family table
    (rows are households already) or without households."""
    from earlyhelp.domains import activity_baselines

    base = activity_baselines(t)
    if "person_id" not in t.columns or home is None:
        return base, None
    cluster = t["person_id"].map(home)
    cluster = cluster.where(cluster.notna(), "person " + t["person_id"])
    return base, cluster.to_numpy()


def _baseline_section(e, clusters) -> str:
    """The model against the activity baseline: the table and the verdict in words."""
    unit = ("whole households (persons of one household are not independent draws)" if clusters is not None
            else "the rows, stratified by outcome")
    parts = [_table(e.baselines.to_dict("records"), {
        "baseline": "baseline", "figure": "figure", "score": "model", "baseline_score": "baseline",
        "difference": "difference", "lower": "95% interval from", "upper": "to", "verdict": "verdict"},
        caption="Against the activity baseline: service records in the past year (earlyhelp.evaluate, baselines)")]
    parts.append(f'<p class="note">The model {html.escape(e.verdict_sentence("the activity baseline")[10:])}. '
                 f"The interval comes from 1,000 paired bootstrap resamples of {unit}. A model that does not "
                 "clearly beat this count finds little that a list of who is already busy with services would "
                 "not.</p>\n")
    return "".join(parts)


def _evaluation_section(d, summary, data, persons, households, home, model, as_of, labels, threads):
    """(html, evaluated?, note, verdict against the activity baseline or None) of one domain's
    evaluation at as_of, or why there is none."""
    import numpy as np

    from earlyhelp import InvalidArgument
    from earlyhelp.domains import training_table
    from earlyhelp.evaluation import evaluate

    title = d.name
    try:
        t = training_table(d, data, persons, [as_of], households=households, threads=threads)
    except InvalidArgument as e:  # the outcome is not known yet (horizon past the extracts), ...
        note = f"Not evaluated on {as_of}: {e}"
        return f'<p class="note">{html.escape(note)}</p>\n', False, note, None
    y = t["outcome"].to_numpy(dtype=np.float64)
    score = np.asarray(model.predict(t, n_threads=threads), dtype=np.float64)
    threshold = summary["threshold"]
    groups = [g for g in d.groups if g in t.columns]
    base, clusters = _activity_baseline(t, home)
    try:
        e = evaluate(y, score, groups=t[groups] if groups else None, k=list(CASELOADS), threshold=threshold,
                     binning="quantile", baselines=base or None, clusters=clusters if base else None)
    except InvalidArgument as err:  # e.g. one outcome class only in a small council
        note = f"Not evaluated on {as_of}: {err}"
        return f'<p class="note">{html.escape(note)}</p>\n', False, note, None
    ov = e.overall
    parts = [f"<p>{len(y):,} subjects in the population on {as_of}, {int(y.sum()):,} with the outcome within "
             f"{d.horizon_months} months (derived from later events in the extracts). The scores are the bundle's "
             f"on the training table of the date, as the profile computes them.</p>\n"]
    parts.append('<div class="plots">' + _roc_plot(y, score, float(ov["roc_auc"].iloc[0]), title)
                 + _precision_at_k_plot(y, score, ov, title) + _calibration_plot(e.calibration, title) + "</div>\n")
    parts.append(_table(ov.to_dict("records"), {
        "selection": "selection", "rows": "rows", "positives": "with outcome", "base_rate": "base rate",
        "roc_auc": "ROC AUC", "pr_auc": "PR AUC", "brier": "Brier", "ece": "ECE", "selected": "selected",
        "precision": "precision", "recall": "recall", "false_positive_rate": "false-positive rate",
        "false_negative_rate": "false-negative rate"}, caption="Performance (earlyhelp.evaluate)"))
    if base:
        parts.append(_baseline_section(e, clusters))
    parts.append(_table(e.calibration.to_dict("records"), {
        "lower": "bin from", "upper": "bin to", "rows": "rows", "mean_score": "mean score",
        "observed_rate": "observed rate"}, caption=f"Calibration bins ({e.binning})"))
    if groups:
        rule = ov["selection"].iloc[-1]  # score >= the alert threshold
        fair = e.by_group[e.by_group["selection"] == rule].assign(column=lambda f: f["column"].map(
            lambda c: labels.get(c, c)))
        parts.append(_table(fair.to_dict("records"), {
            "column": "grouping", "group": "group", "selection": "selection", "rows": "rows",
            "positives": "with outcome", "base_rate": "base rate", "selection_rate": "selection rate",
            "precision": "precision", "recall": "recall", "false_positive_rate": "false-positive rate",
            "false_negative_rate": "false-negative rate", "calibration_in_the_large": "calibration in the large",
            "auc": "AUC", "note": "note"},
            caption=f"Fairness by group at the alert threshold ({rule}; earlyhelp.evaluate)"))
        parts.append('<p class="note">Equal calibration and equal error rates cannot both hold across groups '
                     "with different base rates; the table shows both and the choice stays with the council.</p>\n")
    return "".join(parts), True, "", e.verdict


def _distribution_section(d, scores, feature_frames, labels, threshold):
    """Histograms of the profile's scores per group value of the domain's groupings."""
    title = d.name
    frame = feature_frames.get(d.level)
    groups = [g for g in d.groups if frame is not None and g in frame.columns]
    if not groups:
        return '<p class="note">No score distribution by group: the domain names no grouping the features have.</p>\n'
    key = "family_id" if d.level == "family" else "person_id"
    s = scores.loc[scores["domain"] == d.name, [key, "score"]].drop_duplicates(key)
    joined = s.merge(frame[[key, *groups]], on=key, how="left")
    img, left_out = _distribution_plot(joined, groups, labels, threshold, title)
    text = '<div class="plots">' + img + "</div>\n"
    if left_out:
        text += (f'<p class="note">Not drawn (fewer than {MIN_CELL} subjects): '
                 f"{html.escape(', '.join(left_out))}.</p>\n")
    return text


def _build(data, as_of, persons, households, models, domains, history, threads, tmp):
    from earlyhelp import __version__
    from earlyhelp.domains import _domain
    from earlyhelp.feature_table import definitions, features
    from earlyhelp.profiling import profile

    linked = os.path.join(tmp, "persons.csv")
    if persons is not None and households is None and _has_households(persons):
        households = persons  # a persons file from `earlyhelp link --households` holds the households too
    alerts, scores = profile(data, as_of, persons=persons, households=households, domains=domains,
                             history=history, models=models, threads=threads,
                             persons_out=linked if persons is None else None)
    if persons is None:
        persons, households = linked, linked
    p = _frame(persons)  # read once: the linkage counts and each person's household
    homes = _homes(p, households)
    home = None if homes is None else homes.drop_duplicates("person_id").set_index("person_id")["household_id"]
    summaries = alerts.attrs["domains"]
    defs = definitions().set_index("name")
    labels = {n: f"{defs.at[n, 'label']} ({n})" for n in defs.index}

    doms = [_domain(s["domain"]) for s in summaries]
    frames = {}
    for level in sorted({d.level for d in doms}):
        if level == "family" and households is None:
            continue
        frames[level] = features(data, persons, as_of, level=level, households=households, threads=threads)

    bundles = {d.name: _bundle(d.name, models) for d in doms}
    synthetic = [n for n, (m, ref) in bundles.items() if _synthetic(m, ref)]
    body, outcome = [], {}
    for d, summary in zip(doms, summaries):
        model, reference = bundles[d.name]
        title = d.title or d.name
        body.append(f'<h2 id="domain-{html.escape(d.name)}">{html.escape(title)} ({html.escape(d.name)})</h2>\n')
        source = "the reference bundle shipped with earlyhelp" if reference else "the council's own bundle"
        kind = "families" if summary["subject_kind"] == "family" else "persons"
        body.append(f"<p>Model <b>{html.escape(summary['model'])}</b> version {html.escape(summary['model_version'])} "
                    f"({source}; SHA-256 {html.escape(summary['model_sha256'][:16])}&hellip;). Population: "
                    f"{summary['subjects']:,} {kind}; alert threshold "
                    f"{summary['threshold']:.4g}; outcome horizon {d.horizon_months} months.</p>\n")
        if d.name in synthetic:
            body.append('<p class="notice">This model was trained on synthetic data (earlyhelp synth): it is for '
                        "trying the pipeline and is not for use on residents.</p>\n")
        body.append("<h3>Score distribution by group</h3>\n")
        body.append(_distribution_section(d, scores, frames, labels, summary["threshold"]))
        body.append("<h3>Evaluation and fairness</h3>\n")
        html_part, evaluated, note, verdict = _evaluation_section(d, summary, data, persons, households, home,
                                                                   model, as_of, labels, threads)
        body.append(html_part)
        outcome[d.name] = {"evaluated": evaluated, "note": note, "activity_baseline": verdict}

    link = _linkage(p, homes)
    quality = _quality(data, tmp)
    alert_rows = [{**s, "kind": s["subject_kind"]} for s in summaries]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = [f"<h1>earlyhelp report: risk profiles on {html.escape(as_of)}</h1>\n",
            f'<p class="generated">Generated {now} by earlyhelp {html.escape(__version__)}.</p>\n',
            '<p class="notice"><b>Scores are advisory.</b> They help a professional decide whom to offer early '
            "help; they are never a decision, and an alert never carries a recommended action.</p>\n"]
    if synthetic:
        head.append('<p class="notice">The models of ' + html.escape(", ".join(synthetic)) + " were trained on "
                    "synthetic data: the figures show how the pipeline works, not how it would do on residents, "
                    "and these models are not for use on residents.</p>\n")
    head.append("<p>Aggregates only: no identifier, name, date of birth or single subject's score appears in "
                f"this page; groups of fewer than {MIN_CELL} subjects are left out of the plots.</p>\n")
    head.append("<h2>Alert counts</h2>\n" + _table(alert_rows, {
        "domain": "domain", "kind": "subjects are", "subjects": "subjects", "above_threshold": "at or above threshold",
        "in_contact": "in contact with a service", "alerts": "alerts", "threshold": "threshold", "model": "model",
        "model_version": "version"}))
    if history is None:
        head.append('<p class="note">No assessment history was given: every subject is a first assessment, which '
                    "by the default policy alerts nobody.</p>\n")
    tail = ["<h2>Linkage</h2>\n", _table([{
        "records": link["records"], "persons": link["persons"], "households": link.get("households"),
        "in_households": link.get("persons_in_households"),
        "mean": link["records"] / link["persons"] if link["persons"] else float("nan"),
        "median": float(link["per_person"].median()) if link["persons"] else float("nan")}],
        {"records": "records", "persons": "persons", "households": "households",
         "in_households": "persons in a household", "mean": "records per person (mean)",
         "median": "records per person (median)"})]
    if "by_source" in link:
        tail.append(_table(link["by_source"], {"source": "source", "records": "records", "persons": "persons"},
                           caption="Records and persons by source"))
        tail.append(_table([{"n": f"{int(k)}{'+' if k == 5 else ''}", "persons": int(v)}
                            for k, v in link["sources_per_person"].items()],
                           {"n": "sources a person is seen in", "persons": "persons"}))
    tail.append('<div class="plots">' + _records_plot(link["per_person"]) + "</div>\n")
    tail.append("<h2>Data quality of each stream</h2>\n")
    tail.append(_table(quality, {
        "stream": "stream", "rows_read": "rows read", "rows_clean": "clean", "rows_rejected": "rejected",
        "rejects_by_kind": "rejected by kind", "reconciled": "reconciled", "completeness": "mean completeness",
        "least_complete": "least complete field", "invalid": "invalid values", "duplicate_keys": "duplicate keys",
        "absent_columns": "absent columns", "first_date": "first date", "last_date": "last date"},
        caption="earlyhelp.validate (dates: the earliest and latest of the stream's date fields, "
                "dates of birth excepted)"))
    tail.append("<h3>Rows used by the profile</h3>\n<pre>" + html.escape(alerts.attrs["load_report"]) + "</pre>\n")
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>earlyhelp report {html.escape(as_of)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "".join(head) + "".join(body) + "".join(tail) + "</body>\n</html>\n")
    return page, outcome, synthetic


def report(data, as_of, out, persons=None, households=None, models=None, domains=None, history=None,
           threads: int = 0):
    """Writes the HTML report of a run on ``as_of`` to ``out`` (whole or not at all).

    Parameters
    ----------
    data : folder of extracts, one ``<stream>.csv`` per stream.
    as_of : the date (only records dated before it count).
    out : the HTML file to write ("-": standard output).
    persons, households : as ``earlyhelp.profile``; None links the extracts first (in a temporary folder).
    models : ``{domain: bundle path}`` for the council's own bundles; other domains use the reference bundle.
    domains : names or domain JSON paths (a list or a comma-separated string); None: all four.
    history : SQLite assessment history for the alerts (created if absent; the run is recorded).

    Returns
    -------
    dict: ``out`` (the path), ``domains`` (per domain ``evaluated``; when not, the ``note`` the page
    shows; ``activity_baseline``: the verdict against the activity baseline, "beaten", "not beaten" or
    "not clearly beaten", None when not evaluated), ``synthetic`` (domains whose bundle was trained on
    synthetic data).
    """
    from earlyhelp import _core
    from earlyhelp.feature_table import _dates

    as_of = _dates(as_of)
    if "," in as_of:
        raise ValueError("report: as_of is one date")
    models = {str(k): os.fspath(v) for k, v in (models or {}).items()}
    out = os.fspath(out)
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):  # before the work, not after it
        raise _core.IOError(f"report: cannot write '{out}': there is no folder '{folder}'")
    with tempfile.TemporaryDirectory(prefix="earlyhelp_report_") as tmp:
        page, outcome, synthetic = _build(os.fspath(data), as_of, persons, households, models, domains,
                                          None if history is None else os.fspath(history), int(threads), tmp)
    _core.io.write_file(out, page.encode("utf-8"))  # io::OutputFile: complete or not at all
    return {"out": out, "domains": outcome, "synthetic": synthetic}


def _bundle_domain(path):
    from earlyhelp.models import Model

    domain = Model.load(path).info.get("domain", "")
    if not domain:
        from earlyhelp import InvalidArgument

        raise InvalidArgument(f"report: the bundle '{path}' names no domain (Model.info['domain'])")
    return domain


def main(argv=None) -> int:
    """``python -m earlyhelp.report``: what ``earlyhelp report`` runs. Exit codes as the CLI's: 0 done,
    2 bad arguments, 3 unreadable or malformed input, 4 internal error."""
    import argparse
    import sys

    from earlyhelp import Error, FormatError, InvalidArgument, IOError as EhIOError, SchemaError

    ap = argparse.ArgumentParser(prog="earlyhelp report", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="folder of extracts, one <stream>.csv per stream")
    ap.add_argument("--as-of", required=True, help="date (YYYY-MM-DD)")
    ap.add_argument("--bundle", help="a model bundle (.ehm), used for the domain it names")
    ap.add_argument("--out", required=True, help="the HTML page to write ('-': standard output)")
    ap.add_argument("--persons", help="persons CSV from earlyhelp link (default: link the extracts first)")
    ap.add_argument("--households", help="households CSV when --persons has none")
    ap.add_argument("--history", help="SQLite assessment history (created if absent; the run is recorded)")
    ap.add_argument("--domains", help="comma-separated domains (default: all four)")
    ap.add_argument("--threads", type=int, default=0, help="threads (default: all cores)")
    args = ap.parse_args(argv)
    failures = [(SchemaError, 3, "schema error"), (InvalidArgument, 2, "invalid argument"),
                ((FormatError, EhIOError, OSError), 3, "malformed or unreadable input"),
                (ValueError, 2, "invalid argument"), (Error, 4, "error"), (Exception, 4, "internal error")]
    try:
        models = {_bundle_domain(args.bundle): args.bundle} if args.bundle else None
        r = report(args.data, args.as_of, args.out, persons=args.persons, households=args.households,
                   models=models, domains=args.domains, history=args.history, threads=args.threads)
    except Exception as e:  # noqa: BLE001 - each kind mapped to the verbs' exit codes, first match wins
        code, what = next((c, w) for kinds, c, w in failures if isinstance(e, kinds))
        print(f"earlyhelp report: {what}: {e}", file=sys.stderr)
        return code
    # With --out - the page owns standard output: the notes go to stderr.
    notes = sys.stderr if args.out == "-" else sys.stdout
    print(f"wrote {'the page to standard output' if args.out == '-' else r['out']}", file=notes)
    for name, d in r["domains"].items():
        if not d["evaluated"]:
            print(f"note: {name}: {d['note']}", file=notes)
        elif d["activity_baseline"] is not None:
            print(f"{name}: the activity baseline is {d['activity_baseline']}", file=notes)
    if r["synthetic"]:
        print("note: trained on synthetic data (" + ", ".join(r["synthetic"]) + "): not for use on residents",
              file=notes)
    print("scores are advisory, never a decision", file=notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
