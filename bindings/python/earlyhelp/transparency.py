# SPDX-License-Identifier: Apache-2.0
"""A model card and a transparency record for a risk model (``earlyhelp.model_card``).

>>> import earlyhelp
>>> docs = earlyhelp.model_card(reference="safeguarding", out="published/safeguarding")  # doctest: +SKIP
>>> print(docs["model_card_md"][:200])                                                   # doctest: +SKIP

The same library call as ``earlyhelp model card``: from a model bundle and its evaluation
(``evaluation/<domain>.json``, or the dict ``Evaluation.to_json`` gives), the model card
(purpose, population, outcome and horizon, training data, features, performance at capacity,
calibration, fairness by group, limitations) and a record in the shape of the UK Algorithmic
Transparency Recording Standard, each as Markdown and JSON. What only the council can say comes
from ``organisation`` (a dict or a JSON file); fields still missing are listed in
``to_complete``.
"""

from __future__ import annotations

import json
import os

from earlyhelp._core import model_card as _card

__all__ = ["model_card", "organisation_keys"]


def _text(value, what):
    """(text, source) of a JSON file path, a dict, or None."""
    if value is None:
        return "", ""
    if isinstance(value, dict):
        return json.dumps(value), f"<{what} dict>"
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        try:
            with open(path, encoding="utf-8") as f:
                return f.read(), path
        except OSError as e:
            from earlyhelp import IOError as EhIOError
            raise EhIOError(f"model_card: cannot open {what} '{path}': {e.strerror}") from None
    raise TypeError(f"model_card: {what} must be a path, a dict or None, not {type(value).__name__}")


def model_card(bundle=None, evaluation=None, out=None, organisation=None, domain=None, key=None, reference=None):
    """The model card and transparency record of a model bundle.

    Parameters
    ----------
    bundle : str or path, optional
        The model bundle (``.ehm``). With ``evaluation``; or give ``reference`` instead.
    evaluation : str, path or dict, optional
        The model's evaluation: an ``earlyhelp.evaluation`` JSON file or its dict.
    out : str or path, optional
        A directory to write ``model_card.md``, ``model_card.json``, ``transparency_record.md`` and
        ``transparency_record.json`` into (each whole or not at all).
    organisation : str, path or dict, optional
        What only the council can say (keys: ``organisation_keys()``).
    domain : str, optional
        A built-in domain name or a domain JSON file (default: the domain the bundle names).
    key : bytes or str, optional
        Require the bundle to be signed with this HMAC key.
    reference : str, optional
        A built-in domain: its shipped reference bundle and evaluation (synthetic data only).

    Returns
    -------
    dict
        ``model_card_md``, ``model_card_json``, ``transparency_record_md``,
        ``transparency_record_json`` (text), ``to_complete`` (record fields still without a
        value), ``synthetic`` (trained or evaluated on synthetic data) and ``written`` (paths).
    """
    if reference is None:
        if bundle is None or evaluation is None:
            raise TypeError("model_card: give bundle and evaluation, or reference=<domain>")
    elif bundle is not None or evaluation is not None:
        raise TypeError("model_card: reference replaces bundle and evaluation; give one or the other")
    ev_text, ev_source = _text(evaluation, "evaluation")
    org_text, org_source = _text(organisation, "organisation")
    if isinstance(key, str):
        key = key.encode()
    return _card.documents(os.fspath(bundle) if bundle is not None else "", bytes(key or b""),
                           reference or "", ev_text, ev_source, org_text, org_source,
                           os.fspath(domain) if domain is not None else "",
                           os.fspath(out) if out is not None else "")


def organisation_keys():
    """The keys an organisation dict or file may hold, in the record's order."""
    return _card.organisation_keys()
