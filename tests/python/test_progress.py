# SPDX-License-Identifier: Apache-2.0
"""Progress of the long calls (earlyhelp.progress): the stages each call reports, in order, with
totals that add up; bars on standard error only when asked (or watched); nothing with
progress=False. Small data: a 2,000-person council."""
import shutil
import subprocess

import pandas as pd
import pytest

import earlyhelp

AS_OF = "2024-04-01"


@pytest.fixture(scope="module")
def council(cli, tmp_path_factory):
    """A 2,000-person synthetic council (four years, for the forecast) without its truth folder."""
    root = tmp_path_factory.mktemp("progress")
    data = root / "council"
    r = subprocess.run([cli, "--no-audit", "synth", "--persons", "2000", "--seed", "3", "--start", "2021-04-01",
                        "--end", "2025-03-31", "--quiet", "--out", str(data)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    shutil.rmtree(data / "truth")
    return data


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, stage, done, total):
        assert isinstance(stage, str) and isinstance(done, int) and isinstance(total, int)
        self.calls.append((stage, done, total))

    def stages(self):
        """Each stage once, in the order they came; asserts each is one run from 0 to its total."""
        order = []
        for stage, _, _ in self.calls:
            if not order or order[-1] != stage:
                assert stage not in order, f"stage {stage} came back after another: {self.calls}"
                order.append(stage)
        for stage in order:
            mine = [(d, t) for s, d, t in self.calls if s == stage]
            assert mine[0][0] == 0, (stage, mine)
            assert mine[-1][0] == mine[-1][1], (stage, mine)
            assert len({t for _, t in mine}) == 1, (stage, mine)
            assert all(a[0] <= b[0] for a, b in zip(mine, mine[1:])), (stage, mine)
        return order

    def total(self, stage):
        return next(t for s, _, t in self.calls if s == stage)


def _records():
    return pd.DataFrame({"record_id": [str(i) for i in range(8)],
                         "first_name": ["John", "Jon", "Mary", "Mary", "Ann", "Anne", "Bob", "Rob"],
                         "surname": ["Smith", "Smith", "Jones", "Jones", "Lee", "Lee", "Day", "Day"],
                         "dob": ["1980-01-02", "1980-01-02", "1975-05-05", "1975-05-05", "1990-03-03",
                                 "1990-03-03", "1960-07-07", "1960-07-07"]})


def test_progress_synth_stages_in_order_and_households_add_up():
    r = Recorder()
    council = earlyhelp.synth.generate(persons=300, seed=2, progress=r)
    assert r.stages() == ["population", "households"]
    assert r.total("population") == 1
    assert r.total("households") == council.households


def test_progress_link_stages_in_order_for_the_function_and_the_linker():
    r = Recorder()
    earlyhelp.link(_records(), progress=r)
    assert r.stages() == ["fit", "predict", "cluster"]
    assert r.total("fit") == 3 and r.total("cluster") == 1
    r2 = Recorder()
    lk = earlyhelp.Linker(progress=r2)
    lk.add_records(_records())
    lk.link()
    assert r2.stages() == ["fit", "predict", "cluster"]
    assert r2.calls == r.calls  # the same steps from either entry point


def test_progress_features_profile_and_forecast_stages_and_totals(council, tmp_path):
    r = Recorder()
    alerts, scores = earlyhelp.profile(council, AS_OF, persons_out=tmp_path / "persons.csv", progress=r)
    # Without persons the extracts are linked first: the linker's stages, then profiling's.
    assert r.stages() == ["fit", "predict", "cluster", "load", "score"]
    assert r.total("score") == 4 == scores["domain"].nunique()

    r = Recorder()
    df = earlyhelp.features(council, tmp_path / "persons.csv", [AS_OF, "2024-10-01"], progress=r)
    assert r.stages() == ["load", "features"]
    assert r.total("features") == len(df)  # rows over both dates
    assert r.total("load") == len(df.attrs["streams"])

    r = Recorder()
    earlyhelp.forecast(council, as_of="2024-10-01", horizon="1y", scenarios="trend,population", simulations=10,
                       figures=False, progress=r)
    assert r.stages() == ["fit", "project"]
    assert r.total("project") == 2


def test_progress_false_prints_nothing_and_true_draws_bars(capfd, monkeypatch):
    monkeypatch.setenv("EARLYHELP_PROGRESS", "1")  # bars by default: False must still silence them
    earlyhelp.synth.generate(persons=200, progress=False)
    earlyhelp.link(_records(), progress=False)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    earlyhelp.link(_records())  # progress=None with EARLYHELP_PROGRESS=1: bars
    out, err = capfd.readouterr()
    assert out == ""
    assert "link: fit" in err and "link: predict" in err and "link: cluster" in err and "100%" in err


def test_progress_default_is_off_when_stderr_is_not_a_terminal(capfd, monkeypatch):
    monkeypatch.delenv("EARLYHELP_PROGRESS", raising=False)
    assert not earlyhelp.progress.shown_by_default()  # pytest captures stderr: not a terminal
    earlyhelp.synth.generate(persons=200)
    assert capfd.readouterr().err == ""
    monkeypatch.setenv("EARLYHELP_PROGRESS", "0")
    assert not earlyhelp.progress.shown_by_default()


def test_progress_errors_and_an_exception_from_the_callback_ends_the_call():
    with pytest.raises(earlyhelp.InvalidArgument, match="progress"):
        earlyhelp.link(_records(), progress="yes")

    def stop(stage, done, total):
        if stage == "predict":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        earlyhelp.link(_records(), progress=stop)
