# SPDX-License-Identifier: Apache-2.0
"""Demand forecasting and the cost of early help, as pandas frames and matplotlib figures.

``earlyhelp.forecast`` and ``earlyhelp.savings`` call the same library functions as
``earlyhelp forecast`` and ``earlyhelp savings`` on the command line.

Example::

    import earlyhelp
    r = earlyhelp.forecast("/tmp/council", as_of="2025-04-01", horizon="10y",
                           scenarios="trend,population,target:67")
    r.forecast            # date, scenario, state, count_mean, count_p05, ... cost_p95
    r.cost_change         # change in annual looked-after cost after 3, 5 and 10 years
    r.figures["counts"]   # matplotlib Figure: looked-after children with 90% bands
    print(r.summary)

    earlyhelp.savings({"name": "Edge of care", "eligible": 135.5, "cost_per_unit": 2285,
                       "effect": {"outcomes": 21.7},
                       "savings": [{"item": "placement", "amount": 29923.09, "cashable": True}]})
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field

import pandas as pd

from earlyhelp import progress as _progress
from earlyhelp._core import forecast as _forecast

__all__ = ["BacktestResult", "ForecastResult", "forecast", "horizon_months", "savings"]


def horizon_months(horizon: str | int) -> int:
    """Months of a horizon: ``"10y"``, ``"18m"`` or a number of months (1 month to 20 years)."""
    if isinstance(horizon, int) and not isinstance(horizon, bool):
        months = horizon
    else:
        text = str(horizon).strip().lower()
        unit = 12 if text.endswith("y") else 1
        digits = text[:-1] if text[-1:] in ("y", "m") else text
        if not digits.isdigit():
            from earlyhelp import InvalidArgument
            raise InvalidArgument(f"forecast: horizon '{horizon}' (expected years like 10y, months like 18m, "
                                  "from 1 month to 20 years)")
        months = int(digits) * unit
    if not 1 <= months <= 240:
        from earlyhelp import InvalidArgument
        raise InvalidArgument(f"forecast: horizon of {months} months (expected 1 month to 20 years)")
    return months


def _frame(columns: dict) -> pd.DataFrame:
    df = pd.DataFrame(columns)
    if "date" in df:
        df["date"] = pd.to_datetime(df["date"])
    return df


def _band_figure(forecast_frame: pd.DataFrame, value: str, title: str, ylabel: str):
    # A Figure without pyplot: no global backend state, safe in scripts and notebooks alike.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 5))
    ax = fig.subplots()
    lac = forecast_frame[forecast_frame["state"] == "lac"]
    for scenario, g in lac.groupby("scenario", sort=False):
        if scenario == "observed":
            ax.plot(g["date"], g[f"{value}_mean"], color="black", label="observed")
            continue
        line, = ax.plot(g["date"], g[f"{value}_mean"], label=scenario)
        ax.fill_between(g["date"], g[f"{value}_p05"], g[f"{value}_p95"], color=line.get_color(), alpha=0.2)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    return fig


@dataclass
class ForecastResult:
    """A forecast's tables (the files ``earlyhelp forecast`` writes) and its figures."""

    forecast: pd.DataFrame
    cost_change: pd.DataFrame
    transitions: pd.DataFrame
    rejects: pd.DataFrame
    summary: str
    warnings: list[str]
    #: leaving care by band of months in care: child-months, moves, raw rate, fitted hazard ratio
    leaving_care: pd.DataFrame = field(default_factory=pd.DataFrame)
    figures: dict = field(default_factory=dict)


@dataclass
class BacktestResult:
    """A back-test: monthly forecasts beside the observed counts, and the errors per method."""

    rows: pd.DataFrame
    scores: pd.DataFrame
    history: pd.DataFrame
    split: str
    summary: str


def forecast(data: str | os.PathLike | None = None, as_of: str | None = None, horizon: str | int = "10y",
             scenarios: str = "trend,population,target:67", population: str | os.PathLike | None = None,
             unit_costs: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
             simulations: int = 200, seed: int = 1, n_threads: int = 0,
             ssda903_header: list | None = None, ssda903_episodes: list | None = None,
             backtest: bool = False, backtest_months: int = 12, figures: bool = True, progress=None):
    """Forecasts children in need, on plans and looked after, under scenarios, with costs.

    ``data`` is an extracts folder (``social_care_episodes.csv``; ``person_register.csv`` gives the
    child population when no ``population`` projection CSV is given); or give the SSDA903 files
    instead. Only data dated before ``as_of`` is used. With ``out`` the files of the CLI are also
    written there, with the figures as ``forecast_counts.png`` and ``forecast_costs.png``.

    With ``backtest=True`` the model is fitted before ``as_of`` (default: ``backtest_months``
    before the data ends) and scored against naive forecasts; a :class:`BacktestResult` is
    returned.

    ``progress``: None (default: a tqdm bar in Jupyter or when standard error is a terminal, none
    otherwise; ``EARLYHELP_PROGRESS=0/1`` overrides), True (always a bar), False (never), or a
    callable ``fn(stage, done, total)`` told the stages (fit, project) instead of a bar; see
    :mod:`earlyhelp.progress`. The backtest reports the same stages for its forecast.

    Returns a :class:`ForecastResult` (DataFrames, the summary text and matplotlib figures).
    Raises earlyhelp.InvalidArgument, SchemaError or IOError as the CLI would report them.
    """
    header = [os.fspath(p) for p in (ssda903_header or [])]
    episodes = [os.fspath(p) for p in (ssda903_episodes or [])]
    data_s = os.fspath(data) if data is not None else ""
    pop_s = os.fspath(population) if population is not None else ""
    out_s = os.fspath(out) if out is not None else ""
    if backtest:
        with _progress.reporting(progress, "forecast") as report:
            r = _forecast.backtest(data_s, as_of or "", int(backtest_months), pop_s, int(simulations), int(seed),
                                   int(n_threads), header, episodes, out_s, report)
        return BacktestResult(_frame(r["rows"]), pd.DataFrame(r["scores"]), _frame(r["history"]), r["split"],
                              r["summary"])
    if as_of is None:
        from earlyhelp import InvalidArgument
        raise InvalidArgument("forecast: as_of is required (only data dated before it is used)")
    with _progress.reporting(progress, "forecast") as report:
        r = _forecast.run(data_s, str(as_of), horizon_months(horizon), scenarios, pop_s,
                          os.fspath(unit_costs) if unit_costs is not None else "", int(simulations), int(seed),
                          int(n_threads), header, episodes, out_s, report)
    result = ForecastResult(_frame(r["forecast"]), pd.DataFrame(r["cost_change"]), pd.DataFrame(r["transitions"]),
                            pd.DataFrame(r["rejects"]), r["summary"], list(r["warnings"]),
                            pd.DataFrame(r["leaving_care"]))
    if figures:
        result.figures["counts"] = _band_figure(result.forecast, "count", "Looked-after children (90% band)",
                                                "children")
        result.figures["costs"] = _band_figure(result.forecast, "cost",
                                               "Monthly looked-after cost (90% band)", "GBP a month")
        if out_s:
            result.figures["counts"].savefig(os.path.join(out_s, "forecast_counts.png"), dpi=100)
            result.figures["costs"].savefig(os.path.join(out_s, "forecast_costs.png"), dpi=100)
    return result


def savings(config) -> pd.DataFrame:
    """The intervention calculator (``earlyhelp savings``): gross, net and cashable savings.

    ``config`` is a dict, a JSON string, or the path of a JSON file (the layout of the README).
    Returns a one-row DataFrame (cost, outcomes, gross, net, cashable, net_cashable,
    gross_per_unit, cost_per_outcome, break_even_outcomes, break_even_rate, return_per_pound,
    and the same totals to the pound as ``*_gbp``); ``df.attrs["items"]`` holds each saving's total.
    """
    if isinstance(config, dict):
        text, name = json.dumps(config), "<dict>"
    elif isinstance(config, (str, os.PathLike)) and os.path.exists(os.fspath(config)):
        name = os.fspath(config)
        with open(name, encoding="utf-8") as f:
            text = f.read()
    else:
        text, name = str(config), "<json>"
    r = json.loads(_forecast.savings(text, name))
    items = pd.DataFrame(r.pop("items"), columns=["item", "total", "cashable"])
    pounds = r.pop("pounds")
    for k, v in pounds.items():
        r[f"{k}_gbp"] = v
    df = pd.DataFrame([r])
    df.attrs["items"] = items
    return df


def engagement(episodes, as_of: str, short_weeks: float = 24, weekly_cost: float = 435, threshold: float = 0.5,
               max_weeks: float = 104, data_start: str = "", backtest: bool = False, data_end: str = ""):
    """The Troubled Families engagement model (``earlyhelp engagement``).

    ``episodes`` is an ``early_help_episodes.csv`` file or the folder holding it (``earlyhelp
    synth --early-help`` draws one). Fitted only on data dated before ``as_of``; the episodes open
    on it are scored. Returns a DataFrame of families (family_ref, record_id, start_date,
    weeks_engaged, problems, p_short, p_achieved, expected_weeks, listed, weeks_saved,
    avoided_cost), highest p_short first; ``df.attrs`` holds ``model`` (coefficients: each
    prediction is explained by them), ``rejects`` and ``summary``. With ``backtest=True`` (fit
    before ``as_of``, judge the episodes that start after it) returns a DataFrame of metric,
    value (Brier score and AUC against a constant, precision and recall of the listed, length
    MAE, calibration by group) with the text report in ``df.attrs["summary"]``. Predictions are
    advisory.
    """
    path = os.fspath(episodes)
    if os.path.isdir(path):
        path = os.path.join(path, "early_help_episodes.csv")
    r = _forecast.engagement(path, str(as_of), str(data_start), float(short_weeks), float(weekly_cost), float(threshold),
                             float(max_weeks), bool(backtest), str(data_end))
    if backtest:
        ev = pd.read_csv(io.StringIO(r["families"]))
        ev.attrs["summary"] = r["text"]
        return ev
    df = pd.read_csv(io.StringIO(r["families"]), dtype={"family_ref": str, "record_id": str}, parse_dates=["start_date"])
    df.attrs["model"] = pd.read_csv(io.StringIO(r["model"]))
    df.attrs["rejects"] = pd.read_csv(io.StringIO(r["rejects"]))
    df.attrs["summary"] = r["text"]
    return df


def _episodes_path(episodes) -> str:
    path = os.fspath(episodes)
    if os.path.isdir(path):
        path = os.path.join(path, "early_help_episodes.csv")
    return path


class EngagementModel:
    """The engagement model fitted once and kept, to score one family's episode at a time -- what
    a case system asks about the family in front of it (the C API's ``eh_engagement_fit_file`` and
    ``eh_engagement_predict``; the same library functions as :func:`engagement`).

    >>> m = earlyhelp.EngagementModel.fit("council/", as_of="2024-10-01")   # doctest: +SKIP
    >>> m.predict({"family_ref": "F1", "record_id": "E9", "start_date": "2024-06-03",
    ...            "children": "2", "problem_school_attendance": "1", ...})  # doctest: +SKIP
    {'p_short': 0.41, 'expected_weeks': 33.2, 'listed': False, ...}

    Predictions are advisory: they help plan a service, never decide a family's support.
    """

    def __init__(self, fitted):
        self._m = fitted

    @classmethod
    def fit(cls, episodes, as_of, short_weeks: float = 24, weekly_cost: float = 435, threshold: float = 0.5,
            max_weeks: float = 104, data_start: str = ""):
        """Fits on the episodes dated before ``as_of``.

        Parameters
        ----------
        episodes : an ``early_help_episodes.csv`` file or the folder holding it.
        as_of : the date (YYYY-MM-DD): only data dated before it is used; the episodes open on it
            are the families scored.
        short_weeks, weekly_cost, threshold, max_weeks, data_start : as for :func:`engagement`.
        """
        return cls(_forecast.EngagementModel.fit(_episodes_path(episodes), str(as_of), str(data_start),
                                                 float(short_weeks), float(weekly_cost), float(threshold),
                                                 float(max_weeks)))

    @property
    def families(self) -> "pd.DataFrame":
        """The families open on the as-of date, scored as :func:`engagement` returns them."""
        return pd.read_csv(io.StringIO(self._m.families_csv()), dtype={"family_ref": str, "record_id": str},
                           parse_dates=["start_date"])

    @property
    def coefficients(self) -> "pd.DataFrame":
        """The model's coefficients (each prediction is explained by them)."""
        return pd.read_csv(io.StringIO(self._m.model_csv()))

    @property
    def rejects(self) -> "pd.DataFrame":
        """The rows of the episodes file that could not be read, with the field and reason."""
        return pd.read_csv(io.StringIO(self._m.rejects_csv))

    def predict(self, episode, earlier_episodes: int = 0) -> dict:
        """Scores one family's episode open on the as-of date, as the fit scored each open episode.

        Parameters
        ----------
        episode : a mapping of ``early_help_episodes`` columns to values (family_ref, record_id,
            start_date, children, the six problem_* flags; end_date and closure_reason empty while
            open), or a one-row DataFrame / Series.
        earlier_episodes : the family's episodes that started before this one.

        Returns a dict: weeks_engaged, p_short (turned around within short_weeks), p_achieved,
        expected_weeks, weeks_saved, avoided_cost, problems, listed. Raises
        earlyhelp.InvalidArgument when the row is rejected (the field and reason, never the value)
        or the episode is not open on the as-of date.
        """
        if isinstance(episode, pd.DataFrame):
            if len(episode) != 1:
                raise ValueError(f"predict: episode has {len(episode)} rows, expected one")
            episode = episode.iloc[0]
        items = list(episode.items())

        def text(v):
            if v is None or (isinstance(v, float) and v != v):
                return ""
            if hasattr(v, "strftime") and not isinstance(v, str):
                return v.strftime("%Y-%m-%d")
            return str(v)

        return dict(self._m.predict([str(k) for k, _ in items], [text(v) for _, v in items], int(earlier_episodes)))
