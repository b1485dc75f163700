# SPDX-License-Identifier: Apache-2.0
"""Pseudonymisation, digests and the audit trail.

Identifiers are pseudonymised with a keyed hash (HMAC-SHA256) before linkage data leaves the
data owner. Keep the key secret: with it, anyone can recompute pseudonyms of guessed values.
"""
from __future__ import annotations

import os
from typing import Iterable, Mapping

from earlyhelp._core.governance import (  # noqa: F401
    PseudonymColumn,
    PseudonymKey,
    Pseudonymiser,
    PseudonymPlan,
    normalise_for_pseudonym,
    sha256_file_hex,
    sha256_hex,
    verify_audit_log,
)

__all__ = [
    "PseudonymColumn",
    "PseudonymKey",
    "Pseudonymiser",
    "PseudonymPlan",
    "normalise_for_pseudonym",
    "pseudonymise",
    "pseudonymise_frame",
    "sha256_file_hex",
    "sha256_hex",
    "verify_audit_log",
]


def pseudonymise_frame(df, key: PseudonymKey | Pseudonymiser, columns: Mapping[str, str] | Iterable[str],
                       digest_bytes: int = 16):
    """Returns a copy of a pandas DataFrame with identifier columns replaced by pseudonyms.

    ``columns`` maps column name -> domain (e.g. ``{"nhs": "nhs_number"}``), or lists columns whose
    own names are their domains. Values are normalised first (see ``normalise_for_pseudonym``);
    missing values (NaN/None/empty) stay missing.
    """
    import pandas as pd

    p = key if isinstance(key, Pseudonymiser) else Pseudonymiser(key, digest_bytes)
    mapping = dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns}
    out = df.copy()
    for col, domain in mapping.items():
        if col not in out.columns:
            raise KeyError(f"pseudonymise_frame: no column '{col}' (have: {', '.join(map(str, out.columns))})")
        values = out[col]
        missing = values.isna()
        text = values.where(~missing, "").astype(str).tolist()
        hashed = p.pseudonymise_many(domain, text)
        out[col] = pd.Series(hashed, index=out.index, dtype=object).where(~missing, None)
        out.loc[out[col] == "", col] = None
    return out


def _pseudonymiser(key) -> Pseudonymiser:
    if isinstance(key, Pseudonymiser):
        return key
    if isinstance(key, PseudonymKey):
        return Pseudonymiser(key)
    if isinstance(key, (str, os.PathLike)):
        return Pseudonymiser(PseudonymKey.from_file(os.fspath(key)))
    from earlyhelp._core import InvalidArgument

    raise InvalidArgument(f"pseudonymise: key must be a key file path, a PseudonymKey or a Pseudonymiser, "
                          f"not {type(key).__name__}")


def _plan(stream, columns, schema) -> PseudonymPlan:
    from earlyhelp._core import InvalidArgument, builtin_schema

    if stream is None and not columns:
        raise InvalidArgument("pseudonymise: say which columns: stream=NAME (its identifier fields) "
                              "and/or columns=[...]")
    plan = PseudonymPlan()
    if stream is not None:
        sch = builtin_schema() if schema is None else schema
        plan.merge(PseudonymPlan.for_stream(sch.stream(stream)))
    if columns:
        if isinstance(columns, str):
            columns = [c for c in columns.split(",") if c]
        plan.merge(PseudonymPlan.for_columns(list(columns)))
    return plan


def pseudonymise(data, key, stream: str | None = None, columns: Iterable[str] | str | None = None,
                 schema=None, output: str | os.PathLike | None = None, rejects: str | os.PathLike | None = None,
                 delimiter: str = ","):
    """Replaces identifier columns with keyed pseudonyms, as ``earlyhelp pseudonymise`` does.

    Parameters:
        data: a pandas DataFrame (a pseudonymised copy is returned) or the path of a CSV file
            (then ``output`` is required, and a dict of counts is returned).
        key: a key file path (from ``earlyhelp keygen``), a PseudonymKey or a Pseudonymiser.
        stream: a schema stream whose exactly-matched identifiers are pseudonymised (NHS number,
            UPN, UPRN, record ids and references); names, dates of birth and addresses stay in
            clear for fuzzy matching.
        columns: further columns to pseudonymise (each its own domain), for any table.
        schema: the Schema holding ``stream`` (default: the built-in catalogue).
        output, rejects, delimiter: for a file: where the copy and rows that cannot be copied
            go (without ``rejects`` such a row is a FormatError), and the field delimiter.

    Values are normalised as the linker reads them, so pseudonymised extracts still link on
    exact identifiers under one key; missing values (empty, or the stream's markers) stay as
    they are. The key never appears in output, messages or the audit record.
    """
    p = _pseudonymiser(key)
    plan = _plan(stream, columns, schema)
    if isinstance(data, (str, os.PathLike)):
        from earlyhelp._core import InvalidArgument
        from earlyhelp._core.governance import pseudonymise_csv

        if output is None:
            raise InvalidArgument("pseudonymise: output is required when data is a file path")
        return pseudonymise_csv(p, plan, os.fspath(data), os.fspath(output),
                                "" if rejects is None else os.fspath(rejects), delimiter)
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        from earlyhelp._core import InvalidArgument

        raise InvalidArgument(f"pseudonymise: data must be a pandas DataFrame or a CSV path, "
                              f"not {type(data).__name__}")
    out = data.copy()
    for col in dict.fromkeys(plan.planned_columns([str(c) for c in out.columns], "the DataFrame")):
        values = out[col]
        missing = values.isna()
        text = values.where(~missing, "").astype(str).tolist()
        hashed = plan.cells(p, col, text)
        out[col] = pd.Series(hashed, index=out.index, dtype=object).where(~missing, None)
    return out
