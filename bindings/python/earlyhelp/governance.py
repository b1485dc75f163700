# SPDX-License-Identifier: Apache-2.0
"""Pseudonymisation, digests and the audit trail.

Identifiers are pseudonymised with a keyed hash (HMAC-SHA256) before linkage data leaves the
data owner. Keep the key secret: with it, anyone can recompute pseudonyms of guessed values.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from earlyhelp._core.governance import (  # noqa: F401
    PseudonymKey,
    Pseudonymiser,
    normalise_for_pseudonym,
    sha256_file_hex,
    sha256_hex,
    verify_audit_log,
)

__all__ = [
    "PseudonymKey",
    "Pseudonymiser",
    "normalise_for_pseudonym",
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
