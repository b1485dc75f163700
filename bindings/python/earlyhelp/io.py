# SPDX-License-Identifier: Apache-2.0
"""CSV ingest and validation as pandas DataFrames.

``read_csv`` checks every row of a stream's extract against the schema (types, ranges,
categories, dates in ISO or UK day-first form, postcode / NHS number / UPRN / UPN formats,
unique keys) and returns the clean rows as a typed DataFrame and the rejected rows, each with its
row number, physical line, field and reason. Nothing is lost: ``len(clean) + len(rejects)`` is the
number of data rows in the file. ``validate`` does the same file to file.
"""
from __future__ import annotations

import csv
import io
import json
import os
from typing import Optional, Tuple, Union

import numpy as np
import pandas as pd

from earlyhelp import _core
from earlyhelp import progress as _progress
from earlyhelp.progress import ProgressArg

PathLike = Union[str, "os.PathLike[str]"]

DEFAULT_MAX_FIELD_BYTES: int = _core.io.DEFAULT_MAX_FIELD_BYTES

__all__ = ["read_csv", "validate", "DEFAULT_MAX_FIELD_BYTES"]


def _schema_path(schema) -> str:
    if schema is None:
        return ""
    if isinstance(schema, (str, os.PathLike)):
        return os.fspath(schema)
    raise TypeError("schema must be None (the built-in catalogue) or the path of a schema JSON file")


def _csv_line(fields) -> str:
    """The fields as one RFC 4180 line without its line end (as in the rejects file)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def _column(kind: str, data, categories) -> pd.api.extensions.ExtensionArray:
    if kind == "integer":
        values, mask = data
        return pd.arrays.IntegerArray(values, mask)
    if kind == "float":
        return data
    if kind == "boolean":
        values, mask = data
        return pd.arrays.BooleanArray(values, mask)
    if kind == "category":
        return pd.Categorical.from_codes(data, categories=categories)
    if kind in ("date", "datetime"):
        return data.view("datetime64[ns]")
    return np.array(data, dtype=object)


def read_csv(
    path: PathLike,
    stream: str,
    schema: Optional[PathLike] = None,
    max_field_bytes: int = DEFAULT_MAX_FIELD_BYTES,
    delimiter: str = ",",
    threads: int = 0,
    progress: ProgressArg = None,
) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """Reads and validates a stream's CSV extract.

    Args:
        path: the CSV file (RFC 4180; UTF-8, optional BOM; LF or CRLF).
        stream: the stream name, e.g. ``"school_attendance"``.
        schema: ``None`` for the built-in catalogue, or the path of a schema JSON file.
        max_field_bytes: longest field kept; a longer one rejects its row (memory stays bounded).
        delimiter: the field delimiter.
        threads: worker threads (0: all cores; 1: the calling thread only). The result does not
            depend on it: the reader, the field checks and the column building overlap on
            threads, rows keep their input order.
        progress: None (default: a tqdm bar in Jupyter or when standard error is a terminal, none
            otherwise; ``EARLYHELP_PROGRESS=0/1`` overrides), True (always a bar), False (never),
            or a callable ``fn(stage, done, total)`` told stage ``"validate"`` in input bytes read,
            from 0 to the file's size, instead of a bar. See :mod:`earlyhelp.progress`.

    Returns:
        ``(clean, rejects)``. ``clean`` has the stream's columns in schema order with dtypes
        Int64 (integer), float64 (float), boolean, category, datetime64[ns] (date, datetime) and
        object (identifier, text; None when missing; a value repeated in the column is one shared
        str object, as in pandas). Each column is its own block: the frame is not consolidated
        into 2-D blocks, which would copy every column once more. ``rejects`` has columns ``row``, ``line``,
        ``field``, ``kind``, ``reason`` and then the raw input columns (``extra_fields`` holds the
        surplus fields of a too-long row). ``clean.attrs["earlyhelp_report"]`` is the
        data-quality report as a dict.

    Raises:
        earlyhelp.SchemaError: unknown stream, or required columns missing from the header.
        earlyhelp.FormatError: empty file, unterminated quoted field.
        earlyhelp.IOError: the file cannot be read.

    Example:
        >>> clean, rejects = earlyhelp.read_csv("attendance.csv", stream="school_attendance")
    """
    if len(delimiter) != 1:
        raise ValueError("delimiter must be one character")
    with _progress.reporting(progress, "read_csv") as report:
        res = _core.io.read_columns(
            os.fspath(path), stream, _schema_path(schema), int(max_field_bytes), delimiter, int(threads), report
        )
    # concat(copy=False) keeps each column as it was built. DataFrame(dict) would consolidate the
    # object columns into one 2-D block, copying (and touching the refcount of) every cell
    # again: a second of a million-row read.
    series = [
        pd.Series(_column(kind, data, cats), name=name, copy=False)
        for name, kind, data, cats in zip(res["names"], res["types"], res["columns"], res["categories"])
    ]
    if series:
        clean = pd.concat(series, axis=1, copy=False)
    else:
        clean = pd.DataFrame()
    rej = res["rejects"]
    header = res["input_header"]
    width = len(header)
    raw_columns = {name: [r[i] if i < len(r) else "" for r in rej["raw"]] for i, name in enumerate(header)}
    extra = [_csv_line(r[width:]) if len(r) > width else "" for r in rej["raw"]]
    rejects = pd.DataFrame(
        {
            "row": pd.array(rej["row"], dtype="int64"),
            "line": pd.array(rej["line"], dtype="int64"),
            "field": pd.array(rej["field"], dtype=object),
            "kind": pd.array(rej["kind"], dtype=object),
            "reason": pd.array(rej["reason"], dtype=object),
            **{k: pd.array(v, dtype=object) for k, v in raw_columns.items() if k not in ("row", "line", "field", "kind", "reason")},
            "extra_fields": pd.array(extra, dtype=object),
        }
    )
    clean.attrs["earlyhelp_report"] = json.loads(res["report_json"])
    return clean, rejects


def validate(
    path: PathLike,
    stream: str,
    output: PathLike,
    rejects: PathLike,
    schema: Optional[PathLike] = None,
    max_field_bytes: int = DEFAULT_MAX_FIELD_BYTES,
    delimiter: str = ",",
    threads: int = 0,
) -> dict:
    """Validates a stream's CSV extract file to file, like ``earlyhelp validate`` on the shell.

    Clean rows go to ``output`` (schema columns, normalised: dates yyyy-mm-dd, booleans
    true/false, postcodes "AB1 2CD"); rejected rows to ``rejects`` (columns ``row``, ``line``,
    ``field``, ``reason``, the raw input columns, ``extra_fields``).

    ``threads``: worker threads (0: all cores); the files are byte-identical for every value.

    Returns:
        ``{"rows_read", "rows_clean", "rows_rejected", "reconciled", "report"}`` where ``report``
        is the data-quality report as a dict.
    """
    if len(delimiter) != 1:
        raise ValueError("delimiter must be one character")
    res = _core.io.validate(
        os.fspath(path),
        stream,
        os.fspath(output),
        os.fspath(rejects),
        _schema_path(schema),
        int(max_field_bytes),
        delimiter,
        int(threads),
    )
    return {
        "rows_read": res["rows_read"],
        "rows_clean": res["rows_clean"],
        "rows_rejected": res["rows_rejected"],
        "reconciled": res["reconciled"],
        "report": json.loads(res["report_json"]),
    }
