# SPDX-License-Identifier: Apache-2.0
"""The council data schema as pandas: one row per stream and field (a data dictionary)."""
from __future__ import annotations

from typing import Optional

from earlyhelp._core import Field, Schema, SchemaError, Stream, builtin_schema

__all__ = ["Field", "Schema", "SchemaError", "Stream", "builtin_schema", "data_dictionary"]

#: Columns of the DataFrame returned by :func:`data_dictionary`, in order.
DICTIONARY_COLUMNS = [
    "stream", "stream_title", "kind", "owner", "field", "label", "type", "unit", "min", "max",
    "categories", "max_length", "format", "required", "nullable", "unique", "missing",
    "identifier_role", "link_key", "sensitivity", "is_record_id", "is_event_date", "description",
]


def data_dictionary(schema: Optional[Schema] = None):
    """One row per (stream, field) of ``schema`` (default: the built-in council catalogue).

    Columns are :data:`DICTIONARY_COLUMNS`. ``min``/``max`` are floats for numeric fields and ISO
    date strings for date fields (None when unbounded), ``categories`` is a list of strings and
    ``max_length`` an integer or None, so the frame has ``object`` columns where types mix.

    >>> df = data_dictionary()
    >>> df[df.link_key == "nhs_number"].stream.tolist()[:2]
    ['person_register', 'adult_social_care']
    """
    import pandas as pd

    if schema is None:
        schema = builtin_schema()
    rows = []
    for st in schema.streams:
        for f in st.fields:
            rows.append({
                "stream": st.name,
                "stream_title": st.title,
                "kind": st.kind,
                "owner": st.owner,
                "field": f.name,
                "label": f.label,
                "type": f.type,
                "unit": f.unit,
                "min": f.min,
                "max": f.max,
                "categories": list(f.categories),
                "max_length": f.max_length,
                "format": f.format,
                "required": f.required,
                "nullable": f.nullable,
                "unique": f.unique,
                "missing": f.missing,
                "identifier_role": f.identifier_role,
                "link_key": f.link_key,
                "sensitivity": f.sensitivity,
                "is_record_id": f.name == st.record_id_field,
                "is_event_date": f.name == st.event_date_field,
                "description": f.description,
            })
    df = pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)
    df["max_length"] = df["max_length"].astype("Int64")  # None stays <NA>, not a float NaN
    return df
