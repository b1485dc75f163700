# SPDX-License-Identifier: Apache-2.0
"""earlyhelp on a Dask cluster: the same C++ core, partition by partition (``earlyhelp.dask``).

>>> import dask.dataframe as dd, earlyhelp.dask                  # doctest: +SKIP
>>> from distributed import Client
>>> client = Client("scheduler:8786")                             # doctest: +SKIP
>>> ddf = dd.read_parquet("features/")                            # doctest: +SKIP
>>> scores = earlyhelp.dask.score(ddf, "safeguarding.ehm")       # a Dask Series, frame order
>>> table = earlyhelp.dask.features("council/", "persons.csv", "2024-04-01",
...                                 households="households.csv", partitions=8)
>>> persons = earlyhelp.dask.link(dd.read_parquet("records/"), {"match_threshold": 0.9})

Each task calls the library exactly as one machine would (``Model.predict``,
``earlyhelp.features``, ``Linker.score_partition``), so the results equal the one-machine results:
the tests check it on a ``distributed.LocalCluster`` of two worker processes. What crosses the network
is a model bundle (bytes, loaded once per worker process) or the persons of a partition; the
extracts folder is read by every features task, so it must be on storage every worker sees (a
shared file system or the same path on each node).

Needs Debian's python3-dask and python3-distributed (imported when this module is).
"""

from __future__ import annotations

import hashlib
import os
import json
import threading
import uuid

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

import earlyhelp
from earlyhelp import _core
from earlyhelp import progress as _progress
from earlyhelp._core import linker as _linker
from earlyhelp.linker import _columns, _settings_json

__all__ = ["score", "features", "link"]

_models: dict = {}  # SHA-256 of a bundle -> the Model loaded from it, per worker process
_models_lock = threading.Lock()


def _model_and_bundle(model):
    """The model and its bundle bytes: a Model is serialised once, a path read and loaded once,
    bytes loaded once to refuse a bad bundle here rather than on every worker."""
    if isinstance(model, earlyhelp.Model):
        return model, model.to_bytes()
    if isinstance(model, (str, os.PathLike)):
        loaded = earlyhelp.Model.load(model)
        return loaded, loaded.to_bytes()
    if isinstance(model, (bytes, bytearray)):
        return earlyhelp.Model.from_bytes(bytes(model)), bytes(model)
    raise _core.InvalidArgument(f"earlyhelp.dask.score: model is a {type(model).__name__}; expected an "
                                "earlyhelp.Model, a bundle path or bundle bytes")


def _worker_model(bundle: bytes, digest: str):
    """The model of this bundle in this process, loaded on first use."""
    with _models_lock:
        model = _models.get(digest)
        if model is None:
            model = _models[digest] = earlyhelp.Model.from_bytes(bundle)
        return model


def _score_partition(part: pd.DataFrame, bundle: bytes, digest: str, threads: int, name: str) -> pd.Series:
    model = _worker_model(bundle, digest)
    values = np.asarray(model.predict(part, n_threads=threads))
    if values.ndim != 1:
        raise _core.InvalidArgument("earlyhelp.dask.score: the model gives several outputs per row; "
                                    "score one output model at a time")
    return pd.Series(values, index=part.index, name=name)


def score(ddf, model, threads: int = 1, name: str = "score"):
    """Scores a Dask DataFrame partition by partition with an earlyhelp model.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame holding the model's feature columns (selected by name, as
        ``Model.predict`` selects them from a pandas DataFrame; other columns are ignored).
        Categorical feature columns must have *known* categories so every partition codes them
        alike: columns with unknown categories are categorised first (one pass over the data).
    model : an ``earlyhelp.Model``, a bundle path (``.ehm``) or bundle bytes. The bundle travels
        to the workers as bytes and is loaded once per worker process.
    threads : threads per task (1 by default: Dask already runs a task per worker thread).
    name : the name of the returned Series.

    Returns
    -------
    dask.dataframe.Series of float64 in the frame's order and with its index and divisions: the
    same values as ``model.predict`` on the whole frame.
    """
    if not isinstance(ddf, dd.DataFrame):
        raise _core.InvalidArgument(f"earlyhelp.dask.score: ddf is a {type(ddf).__name__}; expected a "
                                    "dask.dataframe.DataFrame")
    loaded, bundle = _model_and_bundle(model)
    names = loaded.feature_names or []
    unknown = [c for c in names if c in ddf.columns and isinstance(ddf[c].dtype, pd.CategoricalDtype)
               and not ddf[c].cat.known]
    if unknown:
        ddf = ddf.categorize(columns=unknown)
    digest = hashlib.sha256(bundle).hexdigest()
    bundle_key = dask.delayed(bundle, pure=True)  # one copy in the graph, not one per task
    return ddf.map_partitions(_score_partition, bundle_key, digest, int(threads), name,
                              meta=pd.Series(dtype="float64", name=name))


def _frame(table, what: str, columns: tuple) -> pd.DataFrame:
    frame = pd.read_csv(table, dtype=str, keep_default_na=False) if isinstance(table, (str, os.PathLike)) \
        else pd.DataFrame(table)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise _core.InvalidArgument(f"earlyhelp.dask.features: {what} has no column {', '.join(missing)} "
                                    f"(expected {', '.join(columns)} as earlyhelp link writes)")
    return frame


def _groups(persons: pd.DataFrame, households, partitions: int) -> list:
    """person_ids per partition: a household's members always together (family features read the
    whole household), households dealt largest first to the partition with fewest records."""
    home = {}
    if households is not None:
        home = dict(zip(households["person_id"].astype(str), households["household_id"].astype(str)))
    unit = persons["person_id"].astype(str).map(lambda p: "h:" + home[p] if p in home else "p:" + p)
    sizes = unit.value_counts()
    order = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    load = [0] * partitions
    where = {}
    for key, n in order:
        i = min(range(partitions), key=lambda j: (load[j], j))
        where[key] = i
        load[i] += n
    part_of = unit.map(where)
    return [sorted(set(persons["person_id"].astype(str)[part_of == i])) for i in range(partitions)]


def _features_partition(data, persons, households, as_of, definitions, level, threads, schema):
    table = earlyhelp.features(data, persons, as_of, definitions=definitions, level=level, households=households,
                               threads=threads, schema=schema, progress=False)
    table.attrs = {}  # per-partition load reports do not add up to the whole; see the docstring
    return table


def features(data, persons, as_of, households=None, definitions=None, level: str = "person",
             partitions: int = 0, threads: int = 1, schema=None):
    """Features as ``earlyhelp.features`` computes them, partitioned by household across workers.

    Parameters
    ----------
    data : the extracts folder; every worker must see it at this path.
    persons, households : as ``earlyhelp.features`` takes them (CSV paths or DataFrames); read
        once here and split so that each household's members land in one partition.
    as_of, schema : as ``earlyhelp.features``.
    definitions : None (the built-in set) or a definitions JSON path every worker can read.
    partitions : number of partitions (0: the cluster's worker threads when a distributed client
        is active, else 2).
    threads : threads per task (1 by default).

    Returns
    -------
    dask.dataframe.DataFrame with the columns and dtypes of ``earlyhelp.features``; its rows,
    sorted by the id column and ``as_of``, equal the one-machine table sorted alike. The
    per-stream load report (``attrs``) is not kept: each partition reads every extract and counts
    the other partitions' records as unlinked.
    """
    if level not in ("person", "family"):
        raise _core.InvalidArgument(f"earlyhelp.dask.features: level is {level!r}; expected 'person' or 'family'")
    if isinstance(definitions, earlyhelp.FeatureSet):
        raise _core.InvalidArgument("earlyhelp.dask.features: definitions is a FeatureSet, which cannot travel "
                                    "to the workers; pass its JSON path (or None for the built-in set)")
    people = _frame(persons, "persons", ("record_id", "person_id"))
    homes = None if households is None else _frame(households, "households", ("person_id", "household_id"))
    if partitions <= 0:
        try:
            from distributed import get_client
            partitions = max(1, sum(get_client().nthreads().values()))
        except (ImportError, ValueError):
            partitions = 2
    parts = []
    ids = people["person_id"].astype(str)
    for members in _groups(people, homes, int(partitions)):
        if not members:
            continue
        keep = set(members)
        p = people[ids.isin(keep)]
        h = None if homes is None else homes[homes["person_id"].astype(str).isin(keep)]
        parts.append(dask.delayed(_features_partition)(os.fspath(data), p, h, as_of, definitions, level,
                                                       int(threads), schema))
    return dd.from_delayed(parts, meta=_features_meta(definitions, level, schema), verify_meta=False)


def _features_meta(definitions, level, schema) -> pd.DataFrame:
    """The empty table earlyhelp.features returns: id column, as_of, one float32 column per feature."""
    from earlyhelp.feature_table import _definitions

    names = _definitions(definitions, None if schema is None else os.fspath(schema)).columns(level)
    meta = pd.DataFrame({name: pd.Series(dtype="float32") for name in names})
    meta.insert(0, "as_of", pd.Series(dtype="datetime64[ns]"))
    meta.insert(0, "person_id" if level == "person" else "family_id", pd.Series(dtype="object"))
    return meta


_linkers: dict = {}  # key of a link -> its _WorkerLinker, per worker process
_linkers_lock = threading.Lock()


class _WorkerLinker:
    """This process's linker of one link: the records prepared once, the fitted model loaded once,
    however many of the link's parts the process scores; one call at a time (score_partition
    plans the blocks on first use)."""

    def __init__(self, columns: dict, settings_json: str):
        self.lock = threading.Lock()
        self.linker = _linker.Linker(settings_json, None)
        self.linker.add_records(columns)
        self.model = None

    def score(self, model_json: str, part: int, n_parts: int):
        with self.lock:
            if self.model is None:
                self.linker.load_model_json(model_json)
                self.model = model_json
            return self.linker.score_partition(part, n_parts)


def _worker_linker(columns: dict, settings_json: str, key: str) -> _WorkerLinker:
    """The linker of link `key` in this process, built on first use. One link at a time: a new one
    frees the last."""
    with _linkers_lock:
        entry = _linkers.get(key)
        if entry is None:
            _linkers.clear()
            entry = _linkers[key] = _WorkerLinker(columns, settings_json)
        return entry


def _prepare_part(columns: dict, settings_json: str, key: str) -> int:
    """Prepares this process's linker while the client fits; returns the records prepared."""
    return _worker_linker(columns, settings_json, key).linker.stats["records"]


def _score_part(columns: dict, settings_json: str, key: str, model_json: str, part: int, n_parts: int):
    return _worker_linker(columns, settings_json, key).score(model_json, part, n_parts)


def _forget_linker(key: str) -> None:
    with _linkers_lock:
        _linkers.pop(key, None)


def _distributed_client():
    try:
        from distributed import get_client
        return get_client()
    except (ImportError, ValueError):
        return None


def link(ddf, settings=None, column_map=None, partitions: int = 0, threads: int = 1, progress=None):
    """Links records into persons on a Dask cluster: the person ids ``earlyhelp.link`` gives on one
    machine, the candidate pairs scored on the workers.

    The client computes the frame, prepares the records and fits the model once (u by sampling,
    m by EM, as ``earlyhelp.link``). The blocks of every blocking rule (one block per key value)
    are dealt into ``partitions`` parts of about equal pairs; each worker process prepares the same
    records once, loads the fitted model and scores its parts' pairs with the C++ core, keeping
    only links and pairs that clustering keeps apart (``Linker.score_partition``). The client
    puts the parts' pairs back in one machine's order and clusters them with every constraint
    (person rules, cannot-links, two homes at once, orphans) in one pass, so the ids are the same.

    Parameters
    ----------
    ddf : a dask.dataframe.DataFrame (or a pandas DataFrame) of records in the canonical columns,
        or mapped onto them by ``column_map``, as ``earlyhelp.link`` takes them.
    settings : linkage settings (a dict or JSON text); None: the defaults.
    column_map : {their column: canonical column}.
    partitions : parts the pairs are dealt into (0: the cluster's worker threads when a
        distributed client is active, else 2).
    threads : threads of each worker's linker per part (1 by default: Dask runs a task per
        worker thread).
    progress : as ``earlyhelp.link``, for the client's fit and cluster steps.

    Returns
    -------
    pandas.DataFrame of record_id, person_id in the frame's order, as ``earlyhelp.link``.

    Limits: the client holds every record (the fit reads them all) and every kept pair, and every
    worker process holds the prepared records (a pair may join any two records); what the cluster
    divides is the scoring, the quadratic step.
    """
    import pandas as pd

    if isinstance(ddf, dd.DataFrame):
        frame = ddf.compute()
    elif isinstance(ddf, pd.DataFrame):
        frame = ddf
    else:
        raise _core.InvalidArgument(f"earlyhelp.dask.link: ddf is a {type(ddf).__name__}; expected a "
                                    "dask.dataframe.DataFrame (or a pandas DataFrame)")
    columns = _columns(frame, column_map, "earlyhelp.dask.link")
    client = _distributed_client()
    if partitions <= 0:
        partitions = max(1, sum(client.nthreads().values())) if client is not None else 2
    partitions = int(partitions)
    with _progress.reporting(progress, "dask.link") as report:
        trainer = _linker.Linker(_settings_json(settings), report)
        worker_settings = json.loads(trainer.settings_json())
        worker_settings["n_threads"] = int(threads)
        worker_settings = json.dumps(worker_settings)
        key = uuid.uuid4().hex  # this link's linker in each worker process
        if client is None:
            trainer.add_records(columns)
            trainer.fit()
            model = trainer.model_json()
            data = dask.delayed(columns, pure=True)
            parts = dask.compute(*[dask.delayed(_score_part)(data, worker_settings, key, model, p, partitions)
                                   for p in range(partitions)])
            _forget_linker(key)
        else:
            # Every worker gets the records once (not once per part) and prepares them while the
            # client prepares its own and fits (both release the GIL).
            [data] = client.scatter([columns], broadcast=True, hash=False)
            workers = sorted(client.scheduler_info()["workers"])
            prepared = [client.submit(_prepare_part, data, worker_settings, key, pure=False, workers=[w])
                        for w in workers]
            try:
                trainer.add_records(columns)
                trainer.fit()
                model = trainer.model_json()
                futures = [client.submit(_score_part, data, worker_settings, key, model, p, partitions, pure=False,
                                         workers=[workers[p % len(workers)]], allow_other_workers=True)
                           for p in range(partitions)]
                parts = client.gather(futures)
            finally:
                client.cancel(prepared)
                client.run(_forget_linker, key)
        trainer.predict_from(list(parts))
        trainer.cluster()
    return pd.DataFrame({"record_id": columns["record_id"], "person_id": trainer.person_ids()})
