# SPDX-License-Identifier: Apache-2.0
"""Risk profiles on a date in four domains, as DataFrames (``earlyhelp.profile``).

>>> import earlyhelp
>>> alerts, scores = earlyhelp.profile("council/", "2024-04-01", persons="persons.csv",
...                                    history="history.sqlite")   # doctest: +SKIP
>>> alerts[["domain", "score", "band", "reasons"]].head()           # doctest: +SKIP

The same library call as ``earlyhelp profile``: each domain's population scored with its model
bundle (the shipped reference bundle, trained on synthetic councils only and not for use on
residents, unless ``models`` gives the council's own), the top reasons as plain sentences, and the
alerts the policy raises against the assessment history. Scores are advisory; an alert never
carries a recommended action.
"""

from __future__ import annotations

import os

from earlyhelp import progress as _progress
from earlyhelp._core import profile as _profile
from earlyhelp._core.profiling import AlertPolicy
from earlyhelp.feature_table import _dates, _linkage_inputs

__all__ = ["profile", "score_row", "train_domain_model"]


def profile(data, as_of, persons=None, domains=None, history=None, models=None, households=None, policy=None,
            contact_months: int = 12, reasons: int = 3, threads: int = 0, rejects=None, persons_out=None,
            progress=None, families=None):
    """Scores and alerts of the risk domains on ``as_of``.

    Parameters
    ----------
    data : folder of extracts, one ``<stream>.csv`` per stream.
    as_of : one date; only records dated before it count.
    persons : the file ``earlyhelp link --data DIR --households FILE --as-of DATE`` writes, a persons
        file or DataFrame with ``households`` given, or None to link the extracts first (written to
        ``persons_out``, or a temporary file).
    domains : names (``"safeguarding"``, ``"homelessness"``, ``"asb"``, ``"debt"``) or domain JSON
        paths, a list or one comma-separated string; None: all four.
    history : SQLite assessment history (created if absent; the run is recorded). None: no history,
        so every subject is a first assessment and, by the default policy, nobody is alerted.
    models : ``{domain: bundle path}`` for the council's own bundles; other domains use the
        reference bundle.
    policy : an ``AlertPolicy`` (default: min_rise 0.05, cooldown 90 days, contact required).
    progress : None (default: a tqdm bar in Jupyter or when standard error is a terminal, none
        otherwise; ``EARLYHELP_PROGRESS=0/1`` overrides), True (always a bar), False (never), or a
        callable ``fn(stage, done, total)`` told the stages (fit, predict, cluster when the extracts are linked first; load, score) instead of a bar. See
        :mod:`earlyhelp.progress`.
    families : None (default), True (the Troubled Families framework), a framework JSON path or a
        ``Framework``: also assess the families against that framework's criteria on ``as_of``, from
        the same reading of the extracts (the result :func:`earlyhelp.tf` gives, without reading
        the extracts twice; ``earlyhelp profile --families``).

    Returns
    -------
    (alerts, scores): ``alerts`` has ``person_id`` (person domains) or ``family_id`` (family
    domains), ``domain``, ``as_of``, ``score``, ``band``, ``previous_score``, ``reasons`` (plain
    sentences separated by "; "), ``model``, ``model_sha256``, ``previous_as_of``,
    ``new_features``, ``model_version``; ``scores`` has ``person_id``, ``family_id``, ``domain``,
    ``as_of``, ``score``, ``band`` (a family domain gives each member the family's score).
    ``alerts.attrs["domains"]`` holds each domain's counts, threshold and model;
    ``alerts.attrs["load_report"]`` the rows read, rejected and unlinked per stream. With
    ``families``: ``(alerts, scores, families, members)``, the last two as :func:`earlyhelp.tf`
    returns them.
    """
    import pandas as pd

    as_of = _dates(as_of)
    if "," in as_of:
        raise ValueError("profile: as_of is one date")
    if domains is None:
        domains = []
    elif isinstance(domains, str):
        domains = [d.strip() for d in domains.split(",") if d.strip()]
    else:
        domains = [os.fspath(d) for d in domains]
    models = {str(k): os.fspath(v) for k, v in (models or {}).items()}
    fw = None
    if families is not None and families is not False:
        from earlyhelp.troubled_families import _framework
        fw = _framework(None if families is True else families)
    with _linkage_inputs(persons, households, persons_out, "earlyhelp_profile_") as (p, h, link_out), \
            _progress.reporting(progress, "profile") as report:
        out = _profile.run(os.fspath(data), as_of, p, h, domains, models,
                           "" if history is None else os.fspath(history),
                           AlertPolicy() if policy is None else policy, int(contact_months), int(reasons), link_out,
                           int(threads), "" if rejects is None else os.fspath(rejects), report, fw)
    day = pd.Timestamp(out["as_of"])
    a = out["alerts"]
    alerts = pd.DataFrame({k: a[k] for k in ("person_id", "family_id", "domain")})
    alerts["as_of"] = day
    for k in ("score", "band", "previous_score", "reasons", "model", "model_sha256"):
        alerts[k] = a[k]
    alerts["previous_as_of"] = pd.to_datetime(pd.Series(a["previous_as_of"], dtype=object).replace("", None))
    for k in ("new_features", "model_version"):
        alerts[k] = a[k]
    alerts.attrs["domains"] = out["domains"]
    alerts.attrs["load_report"] = out["load_report"]
    s = out["scores"]
    scores = pd.DataFrame({k: s[k] for k in ("person_id", "family_id", "domain")})
    scores["as_of"] = day
    scores["score"] = s["score"]
    scores["band"] = s["band"]
    if fw is None:
        return alerts, scores
    from earlyhelp.troubled_families import _frames
    fam, members = _frames(fw, out["families"])
    fam.attrs["load_report"] = out["load_report"]
    return alerts, scores, fam, members


def train_domain_model(domain, data, as_of, evaluation_start, persons=None, households=None, l2: float = 1.0,
                       name: str = "", version: str = "1", owner: str = "", threads: int = 0, persons_out=None):
    """Retrains a domain's model on the council's own history (as ``earlyhelp profile --train``).

    The training table holds the domain's population on each of ``as_of`` (a list of dates) with
    the outcome over the horizon after it, derived from later events in the extracts; no horizon
    may reach ``evaluation_start`` (the period the model will be judged on). The model is an
    L2-regularised logistic regression (``l2`` on standardised features) with bands low / medium /
    high at the 90th and 98th percentiles of the training scores and the alert threshold at the
    high cut. Returns an ``earlyhelp.Model``; ``model.info`` says how many rows and positives it
    was trained on. Save it with ``model.save("asb.ehm")`` and pass it to
    ``profile(models={"asb": "asb.ehm"})``.
    """
    from earlyhelp.domains import _domain
    from earlyhelp.models import Model

    d = _domain(domain)
    with _linkage_inputs(persons, households, persons_out, "earlyhelp_train_") as (p, h, link_out):
        core, _rows, _pos, _its = _profile.train(d, os.fspath(data), p, h, _dates(as_of), _dates(evaluation_start),
                                                 float(l2), str(name), str(version), str(owner), link_out,
                                                 int(threads))
    return Model(core)


def score_row(domain, row, model=None, reasons: int = 3) -> dict:
    """One subject's advisory score in ``domain`` from a row of the domain's features.

    ``row`` is a mapping from feature name to value (a row of ``earlyhelp.features(...)`` or of
    ``earlyhelp.training_table(domain, ...)`` as a Series, or a dict): the built-in features and
    the domain's own (homelessness defines some); features it does not name are not known (NaN),
    a name the domain does not have is a ``ValueError``. ``model`` is a bundle file
    (the council's own, e.g. from ``train_domain_model``); without it the domain's shipped
    reference bundle is used (trained on synthetic data only; not for use on residents). Returns
    ``{"score", "band", "above_threshold", "reasons", "model", "model_sha256"}`` with the reasons
    as plain sentences, strongest first: the same call as the C API's ``eh_model_score_row``.
    Scores are advisory, never a decision.
    """
    import math

    values = {}
    for k, v in row.items():
        values[str(k)] = math.nan if v is None else float(v)
    return _profile.score_row(str(domain), "" if model is None else os.fspath(model), values, int(reasons))
