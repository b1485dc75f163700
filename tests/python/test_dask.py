# SPDX-License-Identifier: Apache-2.0
"""earlyhelp.dask on a distributed.LocalCluster of two worker processes: scores, features and
person ids equal the one-machine results (issue 18, scale-out on Dask)."""

import pickle
import sys

import numpy as np
import pandas as pd
import pytest

import earlyhelp
from conftest import SOURCE_DIR

dd = pytest.importorskip("dask.dataframe", reason="python3-dask is not installed (scripts/install-deps)")
distributed = pytest.importorskip("distributed", reason="python3-distributed is not installed (scripts/install-deps)")
eh_dask = pytest.importorskip("earlyhelp.dask")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def model_and_frame():
    rng = np.random.default_rng(7)
    n, f = 3000, 6
    X = rng.normal(size=(n, f))
    X[rng.random(size=X.shape) < 0.05] = np.nan
    model = earlyhelp.Model.linear(rng.normal(size=f), 0.1, fill=np.zeros(f).tolist())
    model.feature_names = [f"x{j}" for j in range(f)]
    frame = pd.DataFrame(X, columns=model.feature_names)
    frame.insert(0, "person_id", [f"P{i:05d}" for i in range(n)])  # a column the model does not use
    return model, frame


def test_score_equals_one_machine_in_frame_order(client, model_and_frame, tmp_path):
    model, frame = model_and_frame
    ddf = dd.from_pandas(frame, npartitions=5)
    expected = model.predict(frame[model.feature_names])
    got = eh_dask.score(ddf, model).compute()
    assert isinstance(got, pd.Series) and got.name == "score"
    assert got.index.equals(frame.index)
    np.testing.assert_array_equal(got.to_numpy(), expected)  # bit for bit: the same kernel
    path = tmp_path / "m.ehm"
    model.save(path)
    np.testing.assert_array_equal(eh_dask.score(ddf, str(path)).compute().to_numpy(), expected)


def test_score_refuses_what_is_not_a_model_or_a_dask_frame(model_and_frame):
    model, frame = model_and_frame
    with pytest.raises(earlyhelp.InvalidArgument, match="expected a dask.dataframe.DataFrame"):
        eh_dask.score(frame, model)
    with pytest.raises(earlyhelp.InvalidArgument, match="expected an earlyhelp.Model"):
        eh_dask.score(dd.from_pandas(frame, npartitions=2), 42)


def test_features_partitioned_by_household_equal_one_machine(client, synth_and_link, tmp_path):
    data = synth_and_link(tmp_path, 400, 5, "2024-04-01")
    persons, households = tmp_path / "persons.csv", tmp_path / "households.csv"
    one = earlyhelp.features(data, persons, ["2024-01-01", "2024-04-01"], households=households, progress=False)
    ddf = eh_dask.features(data, persons, ["2024-01-01", "2024-04-01"], households=households, partitions=3)
    assert ddf.npartitions == 3
    many = ddf.compute()
    key = ["person_id", "as_of"]
    one = one.sort_values(key).reset_index(drop=True)
    many = many.sort_values(key).reset_index(drop=True)
    assert list(many.columns) == list(one.columns)
    pd.testing.assert_frame_equal(many, one, check_exact=True)
    fam = eh_dask.features(data, persons, "2024-04-01", households=households, level="family", partitions=2)
    one_fam = earlyhelp.features(data, persons, "2024-04-01", households=households, level="family", progress=False)
    pd.testing.assert_frame_equal(fam.compute().sort_values("family_id").reset_index(drop=True),
                                  one_fam.sort_values("family_id").reset_index(drop=True), check_exact=True)


LINK_SETTINGS = {"u_sample_pairs": 200000}


@pytest.fixture(scope="module")
def council_records():
    """3,242 records of 1,000 persons in households (the robustness benchmark's generator)."""
    sys.path.insert(0, str(SOURCE_DIR / "benchmarks"))
    from robust_council import Knobs, generate
    from robust_council.write import rows

    return pd.DataFrame(rows(generate(Knobs(persons=1000, seed=5))))


@pytest.fixture(scope="module")
def council_persons(council_records):
    """earlyhelp.link on one machine."""
    return earlyhelp.link(council_records, LINK_SETTINGS, progress=False)


def test_link_gives_one_machines_person_ids(client, council_records, council_persons):
    one = council_persons
    assert one["person_id"].nunique() < len(one) / 2  # records did link
    ddf = dd.from_pandas(council_records, npartitions=4)
    pd.testing.assert_frame_equal(eh_dask.link(ddf, LINK_SETTINGS), one)
    # Three parts on two worker processes: one process scores two parts with one prepared table.
    pd.testing.assert_frame_equal(eh_dask.link(ddf, LINK_SETTINGS, partitions=3), one)


def test_link_parts_score_each_pair_once(council_records):
    whole = earlyhelp.Linker(LINK_SETTINGS, progress=False)
    whole.add_records(council_records)
    whole.fit()
    whole.predict()
    trainer = earlyhelp.Linker(LINK_SETTINGS, progress=False)
    trainer.add_records(council_records)
    trainer.fit()
    parts = [pickle.loads(pickle.dumps(trainer.score_partition(p, 2))) for p in (1, 0)]  # as Dask moves them
    assert all(len(p) > 0 for p in parts)
    # A pair two blocking rules find is scored once: the parts compare the pairs predict does.
    assert sum(p.compared for p in parts) == whole.stats["pairs_compared"]
    assert sum(len(p) for p in parts) == whole.stats["links"] + whole.stats["conflicts"]
    with pytest.raises(earlyhelp.InvalidArgument, match="1 parts given, the partitioning has 2"):
        trainer.predict_from(parts[:1])
    assert trainer.predict_from(parts) == whole.stats["links"]


def test_link_without_a_distributed_client_runs_the_parts_on_dask_s_own_scheduler(council_records, council_persons,
                                                                                  monkeypatch):
    import dask

    monkeypatch.setattr(eh_dask, "_distributed_client", lambda: None)
    seen = []
    monkeypatch.setattr(eh_dask, "_forget_linker", lambda key: seen.append(dict(eh_dask._linkers)) or
                        eh_dask._linkers.pop(key, None))
    with dask.config.set(scheduler="threads"):  # in this process, whatever client the module holds
        pd.testing.assert_frame_equal(eh_dask.link(council_records, LINK_SETTINGS, partitions=2), council_persons)
    assert len(seen) == 1 and len(seen[0]) == 1  # both parts scored by one linker in this process
    assert not eh_dask._linkers  # and it is freed


def test_link_refuses_what_is_not_a_frame():
    with pytest.raises(earlyhelp.InvalidArgument, match="expected a dask.dataframe.DataFrame"):
        eh_dask.link([("r1", "Ann")])
