"""Daily cost forecasts and their backtests (used by the dbt Python models).

Method, by the length of a series' history:

* ``ets`` (28 days or more): exponential smoothing with additive error, a damped
  additive trend and additive weekly seasonality (statsmodels ``ETSModel``, the
  state-space form of Holt-Winters, heuristic initial states), with analytic
  prediction intervals;
* ``weekday_mean`` (7 to 27 days): the mean of each weekday over the history,
  intervals from the residuals' spread;
* ``mean`` (1 to 6 days): the mean of the history.

Forecasts are estimates, computed in floating point and rounded to the cent
here (``to_cents``): a forecast carries no meaning below the cent, and a cent
value converts to the same decimal on every engine. The SQL models that expose
them cast the amounts to money with ``money_from_cents``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

ETS_MIN_DAYS = 28
WEEKDAY_MIN_DAYS = 7
SEASON = 7
CENT_DECIMALS = 2


def to_cents(values):
    """Amounts rounded to the cent (numpy's rounding, the same in every
    process). Casting a double with more digits to a decimal differs between
    engines: DuckDB rounds its exact binary value, Spark its shortest decimal
    string (24223.203864340248 became ...3402 on DuckDB, ...3403 on Spark)."""
    return np.round(np.asarray(values, dtype=float), CENT_DECIMALS)


def _normal_z(interval: float) -> float:
    return NormalDist().inv_cdf(0.5 + interval / 2.0)


def daily_series(frame: pd.DataFrame, value: str = "usage_cost") -> pd.Series:
    """A gap-free daily series (missing days are 0) from rows (charge_date, value)."""
    series = frame.groupby("charge_date")[value].sum().astype(float)
    series.index = pd.DatetimeIndex(series.index)
    full = pd.date_range(series.index.min(), series.index.max(), freq="D")
    return series.reindex(full, fill_value=0.0).asfreq("D")


def forecast_series(
    history: pd.Series, first: dt.date, last: dt.date, interval: float = 0.8
) -> pd.DataFrame:
    """Forecast the days first..last (inclusive) from a daily history that ends
    before ``first``; returns forecast_date, forecast, lower, upper, method."""
    history = history[history.index < pd.Timestamp(first)]
    dates = pd.date_range(first, last, freq="D")
    if len(history) == 0 or len(dates) == 0:
        return pd.DataFrame(
            columns=["forecast_date", "forecast", "lower", "upper", "method"]
        )
    # Days between the end of the history and `first` are forecast too, then
    # dropped: the horizon is counted from the history's end.
    full = pd.date_range(history.index[-1] + pd.Timedelta(days=1), last, freq="D")
    z = _normal_z(interval)
    if len(history) >= ETS_MIN_DAYS:
        mean, lower, upper = _ets(history, full, interval)
        method = "ets"
    elif len(history) >= WEEKDAY_MIN_DAYS:
        by_weekday = history.groupby(history.index.day_of_week).mean()
        mean = np.array([by_weekday.get(d.weekday(), history.mean()) for d in full])
        fitted = np.array([by_weekday[d.weekday()] for d in history.index])
        spread = float(np.std(history.to_numpy() - fitted, ddof=1))
        width = z * spread * np.sqrt(1.0 + 1.0 / max(len(history) // SEASON, 1))
        lower, upper = mean - width, mean + width
        method = "weekday_mean"
    else:
        level = float(history.mean())
        spread = float(np.std(history.to_numpy(), ddof=1)) if len(history) > 1 else 0
        mean = np.full(len(full), level)
        width = z * spread * np.sqrt(1.0 + 1.0 / len(history))
        lower, upper = mean - width, mean + width
        method = "mean"
    result = pd.DataFrame(
        {
            "forecast_date": full.date,
            "forecast": to_cents(mean),
            "lower": to_cents(lower),
            "upper": to_cents(upper),
            "method": method,
        }
    )
    return result[result["forecast_date"] >= first].reset_index(drop=True)


def _ets(history: pd.Series, dates: pd.DatetimeIndex, interval: float):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Heuristic initial states (from the first cycles) fit about seven
        # times faster than estimating them, with the same accuracy here.
        fitted = ETSModel(
            history,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=SEASON,
            initialization_method="heuristic",
        ).fit(disp=False)
        frame = fitted.get_prediction(start=dates[0], end=dates[-1]).summary_frame(
            alpha=1.0 - interval
        )
    return (
        frame["mean"].to_numpy(),
        frame["pi_lower"].to_numpy(),
        frame["pi_upper"].to_numpy(),
    )


def month_end(day: dt.date, months_ahead: int = 0) -> dt.date:
    first = (pd.Timestamp(day).to_period("M") + months_ahead).to_timestamp()
    return (first + pd.offsets.MonthEnd(0)).date()


def forecast_levels(
    daily: pd.DataFrame,
    horizon_months: int,
    interval: float,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Forecast every series of every level from the end of the data through
    the end of the month ``horizon_months`` after the last month of data.

    ``daily`` has columns forecast_level, x_team, service_name, charge_date,
    usage_cost
    (one row per series and day). No usage to forecast (nothing loaded yet,
    every row quarantined, only purchases) gives an empty table with the
    forecast's columns.

    ``previous`` (the rows of an earlier run, with their x_input_fingerprint)
    is returned as it was when its inputs (every series, the horizon, the
    interval and the forecasting code) are unchanged: a build that changed no
    usage (telemetry only, a rerun) fits nothing."""
    if daily.empty or daily["charge_date"].isna().all():
        return _empty(FORECAST_COLUMNS)
    last_day = pd.Timestamp(daily["charge_date"].max()).date()
    first = last_day + dt.timedelta(days=1)
    last = month_end(last_day, horizon_months)
    keys = ["forecast_level", "x_team", "service_name"]
    series = [
        (key, daily_series(rows))
        for key, rows in daily.groupby(keys, dropna=False, sort=True)
    ]
    fingerprint = _forecast_fingerprint(horizon_months, interval, series)
    earlier = _unchanged_forecast(previous, fingerprint)
    if earlier is not None:
        return earlier
    frames = []
    for key, history in series:
        result = forecast_series(history, first, last, interval)
        for name, value in zip(keys, key, strict=True):
            result[name] = None if pd.isna(value) else value
        result["history_days"] = len(history)
        result["made_on"] = first
        frames.append(result)
    if not frames:
        return _empty(FORECAST_COLUMNS)
    forecasts = pd.concat(frames, ignore_index=True)
    forecasts["x_input_fingerprint"] = fingerprint
    return forecasts


def _forecast_fingerprint(
    horizon_months: int, interval: float, series: list[tuple[tuple, pd.Series]]
) -> str:
    """The forecasts' inputs: code version, horizon, interval and every day of
    every series (its key, first day and values)."""
    digest = hashlib.sha256(f"{_code_version()}|{horizon_months}|{interval!r}".encode())
    for key, values in series:
        digest.update(f"|{key!r}|{values.index[0].date()}|".encode())
        digest.update(np.ascontiguousarray(values.to_numpy(dtype=float)).tobytes())
    return digest.hexdigest()


def _unchanged_forecast(
    previous: pd.DataFrame | None, fingerprint: str
) -> pd.DataFrame | None:
    """The earlier run's forecasts when they were made from the same inputs,
    in the types a new run returns (dates as dates, absent keys as None)."""
    if previous is None or previous.empty:
        return None
    if "x_input_fingerprint" not in previous.columns:
        return None
    if not (previous["x_input_fingerprint"] == fingerprint).all():
        return None
    earlier = previous[list(FORECAST_COLUMNS)].copy()
    for name in ("forecast_date", "made_on"):
        earlier[name] = pd.to_datetime(earlier[name]).dt.date
    for name in ("method", "forecast_level", "x_team", "service_name"):
        earlier[name] = earlier[name].astype(object).where(earlier[name].notna(), None)
    for name in ("forecast", "lower", "upper"):
        earlier[name] = earlier[name].astype(float)
    earlier["history_days"] = earlier["history_days"].astype("int64")
    return earlier.reset_index(drop=True)


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    """A table with no rows and the given columns and types (so that the SQL
    models reading it still find every column)."""
    return pd.DataFrame(
        {name: pd.Series(dtype=dtype) for name, dtype in columns.items()}
    )


FORECAST_COLUMNS = {
    "forecast_date": "datetime64[us]",
    "forecast": "float64",
    "lower": "float64",
    "upper": "float64",
    "method": "string",
    "forecast_level": "string",
    "x_team": "string",
    "service_name": "string",
    "history_days": "int64",
    "made_on": "datetime64[us]",
    "x_input_fingerprint": "string",
}
BACKTEST_COLUMNS = {
    "forecast_level": "string",
    "x_team": "string",
    "service_name": "string",
    "backtest_month": "datetime64[us]",
    "history_days": "int64",
    "forecast_cost": "float64",
    "actual_cost": "float64",
    "method": "string",
    "x_input_fingerprint": "string",
}


def _code_version() -> str:
    """What a backtest's result depends on besides its data: this module's
    source and the releases of the libraries that fit the ETS models."""
    import scipy
    import statsmodels

    releases = [np.__version__, pd.__version__, scipy.__version__]
    releases.append(statsmodels.__version__)
    source = Path(__file__).read_bytes()
    return hashlib.sha256(source + "|".join(releases).encode()).hexdigest()


def _fingerprint(
    version: str, min_history_days: int, key: tuple, series: pd.Series
) -> str:
    """The backtest's inputs: code version, history minimum, series key and
    every day of the series through the month's end (history and actual)."""
    digest = hashlib.sha256(f"{version}|{min_history_days}|{key!r}|".encode())
    digest.update(str(series.index[0].date()).encode())
    digest.update(np.ascontiguousarray(series.to_numpy(dtype=float)).tobytes())
    return digest.hexdigest()


def _backtest(
    history: pd.Series,
    through_end: pd.Series,
    month_start: dt.date,
    earlier: dict | None,
) -> dict:
    """One month's backtest: the forecast from the history before it against
    the month's actual total; an earlier run's, when its inputs are unchanged."""
    if earlier is not None:
        return dict(
            backtest_month=month_start,
            history_days=len(history),
            forecast_cost=earlier["forecast_cost"],
            actual_cost=earlier["actual_cost"],
            method=earlier["method"],
        )
    forecast = forecast_series(history, month_start, month_end(month_start))
    actual = through_end[through_end.index >= pd.Timestamp(month_start)]
    return dict(
        backtest_month=month_start,
        history_days=len(history),
        forecast_cost=float(to_cents(forecast["forecast"].sum())),
        actual_cost=float(to_cents(actual.sum())),
        method=forecast["method"].iloc[0],
    )


def backtest_levels(
    daily: pd.DataFrame,
    min_history_days: int,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """For each complete month with at least ``min_history_days`` of history
    before it, forecast the month from the data before its first day and
    compare the month's total with the actual total.

    ``previous`` (the rows of an earlier run, with their x_input_fingerprint)
    lets a rebuild reuse every backtest whose inputs (the series through the
    month's end, the history minimum and the forecasting code) are unchanged:
    a new day of data refits only the month it completes, not every month."""
    if daily.empty or daily["charge_date"].isna().all():
        return _empty(BACKTEST_COLUMNS)
    last_day = pd.Timestamp(daily["charge_date"].max()).date()
    version = _code_version()
    reusable = {}
    if previous is not None and "x_input_fingerprint" in previous.columns:
        reusable = {
            row["x_input_fingerprint"]: row
            for row in previous.to_dict("records")
            if row["x_input_fingerprint"]
        }
    rows = []
    keys = ["forecast_level", "x_team", "service_name"]
    for key, group in daily.groupby(keys, dropna=False, sort=True):
        series = daily_series(group)
        months = sorted({d.replace(day=1) for d in series.index.date})
        for month_start in months:
            end = month_end(month_start)
            if end > last_day:
                continue
            history = series[series.index < pd.Timestamp(month_start)]
            if len(history) < min_history_days:
                continue
            through_end = series[series.index <= pd.Timestamp(end)]
            fingerprint = _fingerprint(version, min_history_days, key, through_end)
            record = dict(zip(keys, key, strict=True))
            record = {k: (None if pd.isna(v) else v) for k, v in record.items()}
            record.update(
                _backtest(history, through_end, month_start, reusable.get(fingerprint)),
                x_input_fingerprint=fingerprint,
            )
            rows.append(record)
    if not rows:  # no complete month with enough history yet: an empty table
        return _empty(BACKTEST_COLUMNS)
    return pd.DataFrame(rows)
