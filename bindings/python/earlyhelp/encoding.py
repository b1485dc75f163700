# SPDX-License-Identifier: Apache-2.0
"""Privacy-preserving record linkage: Bloom-filter encodings of names, dates of birth and addresses.

A data owner encodes an extract under a secret key (``encode``); the linker (``earlyhelp link`` or
``earlyhelp.link``) compares the encodings by Dice similarity without the key and never sees a
name. Identifiers are pseudonymised under the same key, as ``pseudonymise`` does.
"""
from __future__ import annotations

import os
import tempfile

from earlyhelp._core.governance import BloomEncoder, bloom_dice, encode_csv  # noqa: F401
from earlyhelp.governance import PseudonymKey

__all__ = ["BloomEncoder", "bloom_dice", "encode"]


def _key(key) -> PseudonymKey:
    if isinstance(key, PseudonymKey):
        return key
    if isinstance(key, (str, os.PathLike)):
        return PseudonymKey.from_file(os.fspath(key))
    from earlyhelp._core import InvalidArgument

    raise InvalidArgument(f"encode: key must be a key file path or a PseudonymKey, not {type(key).__name__}")


def encode(data, key, stream: str | None = None, schema=None, output: str | os.PathLike | None = None,
           rejects: str | os.PathLike | None = None, delimiter: str = ","):
    """Encodes names, dates of birth and addresses as keyed Bloom filters, as ``earlyhelp encode`` does.

    Parameters:
        data: the path of a CSV file (then ``output`` is required and a dict of counts is
            returned) or a pandas DataFrame (an encoded copy is returned, all cells as text).
        key: a key file path (from ``earlyhelp keygen``) or a PseudonymKey.
        stream: a schema stream whose name, date-of-birth and address fields are encoded and
            whose identifiers are pseudonymised; without it the canonical linkage columns
            (first_name, middle_name, surname, dob, address, town, postcode; nhs_number and uprn
            pseudonymised).
        schema: the Schema holding ``stream`` (default: the built-in catalogue).
        output, rejects, delimiter: for a file: where the copy and rows that cannot be copied go
            (without ``rejects`` such a row is a FormatError), and the field delimiter.

    Both forms run the one library function (governance::encode_csv). Missing values stay
    missing; the key never appears in output or messages.
    """
    k = _key(key)
    if isinstance(data, (str, os.PathLike)):
        from earlyhelp._core import InvalidArgument

        if output is None:
            raise InvalidArgument("encode: output is required when data is a file path")
        return encode_csv(k, os.fspath(data), os.fspath(output), stream, schema,
                          "" if rejects is None else os.fspath(rejects), delimiter)
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        from earlyhelp._core import InvalidArgument

        raise InvalidArgument(f"encode: data must be a pandas DataFrame or a CSV path, not {type(data).__name__}")
    # The DataFrame goes through the same file pass (a private temporary folder, removed after).
    with tempfile.TemporaryDirectory(prefix="earlyhelp-encode-") as tmp:
        src, dst = os.path.join(tmp, "in.csv"), os.path.join(tmp, "out.csv")
        data.to_csv(src, index=False, sep=delimiter)
        encode_csv(k, src, dst, stream, schema, "", delimiter)
        return pd.read_csv(dst, dtype=str, keep_default_na=False, sep=delimiter)
