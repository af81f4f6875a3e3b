"""Forecast methods and backtests (itfm.forecast) on synthetic series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from itfm.forecast import backtest_levels, forecast_series, month_end


def _series(days: int, start="2026-01-01", trend=0.002, seed=1) -> pd.Series:
    index = pd.date_range(start, periods=days, freq="D")
    rng = np.random.default_rng(seed)
    weekly = np.where(index.day_of_week >= 5, 0.7, 1.0)
    values = 1000 * (1 + trend) ** np.arange(days) * weekly
    values *= np.exp(rng.normal(0, 0.02, days))
    return pd.Series(values, index=index).asfreq("D")


@pytest.mark.parametrize(
    ("days", "method"), [(3, "mean"), (10, "weekday_mean"), (60, "ets")]
)
def test_method_follows_history_length_and_covers_every_day(days, method):
    history = _series(days)
    first = history.index[-1].date() + dt.timedelta(days=1)
    last = first + dt.timedelta(days=20)
    result = forecast_series(history, first, last)
    assert list(result["forecast_date"]) == [
        first + dt.timedelta(days=i) for i in range(21)
    ]
    assert set(result["method"]) == {method}
    assert (result["lower"] <= result["forecast"]).all()
    assert (result["forecast"] <= result["upper"]).all()


def test_ets_learns_trend_and_weekly_seasonality():
    series = _series(120)
    history, actual = series[:90], series[90:]
    result = forecast_series(history, actual.index[0].date(), actual.index[-1].date())
    error = abs(result["forecast"].sum() - actual.sum()) / actual.sum()
    assert error < 0.03
    weekend = result[pd.to_datetime(result["forecast_date"]).dt.day_of_week >= 5]
    weekday = result[pd.to_datetime(result["forecast_date"]).dt.day_of_week < 5]
    assert weekend["forecast"].mean() < 0.8 * weekday["forecast"].mean()


def test_weekday_mean_repeats_each_weekday():
    history = _series(14, trend=0.0)
    first = history.index[-1].date() + dt.timedelta(days=1)
    result = forecast_series(history, first, first + dt.timedelta(days=6))
    for row in result.itertuples():
        same_day = history[history.index.day_of_week == row.forecast_date.weekday()]
        assert row.forecast == round(same_day.mean(), 2)


def test_forecasts_are_cents_that_every_engine_reads_alike():
    """A forecast leaves Python rounded to the cent: the shortest decimal
    string of each value (what Spark casts) has at most two decimals, and its
    exact binary value (what DuckDB casts) rounds to the same two decimals."""
    from decimal import Decimal

    history = _series(60)
    first = history.index[-1].date() + dt.timedelta(days=1)
    result = forecast_series(history, first, first + dt.timedelta(days=20))
    for column in ("forecast", "lower", "upper"):
        for value in result[column]:
            text = repr(float(value))
            assert len(text.partition(".")[2]) <= 2, text
            exact = Decimal(float(value)).quantize(Decimal("0.01"))
            assert exact == Decimal(text), (text, exact)
    backtests = backtest_levels(_total_frame(_series(120)), 28)
    for value in (
        backtests["forecast_cost"].tolist() + backtests["actual_cost"].tolist()
    ):
        assert len(repr(float(value)).partition(".")[2]) <= 2


def test_a_gap_between_history_and_horizon_is_forecast_through():
    history = _series(60)
    first = history.index[-1].date() + dt.timedelta(days=10)
    result = forecast_series(history, first, first + dt.timedelta(days=4))
    assert result["forecast_date"].iloc[0] == first
    assert len(result) == 5


def _total_frame(series: pd.Series) -> pd.DataFrame:
    """The forecast input rows of one 'total' series."""
    return pd.DataFrame(
        {
            "forecast_level": "total",
            "x_team": None,
            "service_name": None,
            "charge_date": series.index.date,
            "usage_cost": series.to_numpy(),
        }
    )


def test_backtests_never_see_the_month_they_forecast():
    frame = _total_frame(_series(110, start="2026-01-01"))
    first = backtest_levels(frame, 28)
    changed = frame.copy()
    march = pd.to_datetime(changed["charge_date"]) >= "2026-03-01"
    changed.loc[march, "usage_cost"] *= 3
    second = backtest_levels(changed, 28)
    by_month = first.set_index("backtest_month")
    again = second.set_index("backtest_month")
    # The March forecast is made from January and February only.
    march_key = dt.date(2026, 3, 1)
    assert again.loc[march_key, "forecast_cost"] == pytest.approx(
        by_month.loc[march_key, "forecast_cost"]
    )
    assert again.loc[march_key, "actual_cost"] == pytest.approx(
        3 * by_month.loc[march_key, "actual_cost"]
    )
    # January has no history before it; April (data ends 2026-04-20) is incomplete.
    assert sorted(by_month.index) == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert set(by_month["history_days"]) == {31, 59}


def test_month_end():
    assert month_end(dt.date(2026, 1, 15)) == dt.date(2026, 1, 31)
    assert month_end(dt.date(2026, 11, 3), 3) == dt.date(2027, 2, 28)


def _count_fits(monkeypatch) -> list:
    """From here on, the first day of every forecast fitted (forecast_series
    still runs), in a list the test reads."""
    import itfm.forecast as forecast

    fitted = []
    real = forecast.forecast_series

    def counting(history, first_day, last_day, *args, **kwargs):
        fitted.append(first_day)
        return real(history, first_day, last_day, *args, **kwargs)

    monkeypatch.setattr(forecast, "forecast_series", counting)
    return fitted


def test_backtests_reuse_only_the_months_whose_inputs_are_unchanged(monkeypatch):

    frame = _total_frame(_series(110, start="2026-01-01"))
    first = backtest_levels(frame, 28)
    # Same inputs: every month reused, nothing refitted, the same rows.
    fitted = _count_fits(monkeypatch)
    again = backtest_levels(frame, 28, previous=first)
    assert fitted == []
    pd.testing.assert_frame_equal(again, first)
    # A changed day in March refits March only (February's inputs end before it).
    changed = frame.copy()
    changed.loc[
        pd.to_datetime(changed["charge_date"]) == "2026-03-10", "usage_cost"
    ] += 1
    third = backtest_levels(changed, 28, previous=first)
    assert fitted == [dt.date(2026, 3, 1)]
    assert third.loc[
        third["backtest_month"] == dt.date(2026, 3, 1), "actual_cost"
    ].iloc[0] == pytest.approx(
        first.loc[first["backtest_month"] == dt.date(2026, 3, 1), "actual_cost"].iloc[0]
        + 1
    )
    # Another history minimum is another input: nothing is reused.
    fitted.clear()
    backtest_levels(frame, 27, previous=first)
    assert fitted == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]


@pytest.mark.parametrize(
    "daily",
    [
        pd.DataFrame(
            {
                "forecast_level": pd.Series(dtype="string"),
                "x_team": pd.Series(dtype="string"),
                "service_name": pd.Series(dtype="string"),
                "charge_date": pd.Series(dtype="datetime64[us]"),
                "usage_cost": pd.Series(dtype="float64"),
            }
        ),
        pd.DataFrame(
            {
                "forecast_level": ["total"],
                "x_team": [None],
                "service_name": [None],
                "charge_date": [pd.NaT],
                "usage_cost": [0.0],
            }
        ),
    ],
    ids=["no rows", "no dated rows"],
)
def test_no_usage_gives_empty_tables_with_their_columns(daily):
    """Nothing to forecast (every row quarantined, only purchases, telemetry
    before any billing): empty tables, not a crash on a missing date."""
    from itfm.forecast import BACKTEST_COLUMNS, FORECAST_COLUMNS, forecast_levels

    forecasts = forecast_levels(daily, 3, 0.8)
    backtests = backtest_levels(daily, 28)
    assert forecasts.empty and list(forecasts.columns) == list(FORECAST_COLUMNS)
    assert backtests.empty and list(backtests.columns) == list(BACKTEST_COLUMNS)


def test_forecasts_are_reused_only_while_their_inputs_are_unchanged(monkeypatch):
    """A build that changed no usage returns the earlier forecasts as they
    were (read back through DuckDB, in the types a fit returns) and fits
    nothing; a changed day, horizon or interval fits every series again."""
    import duckdb
    from itfm.forecast import FORECAST_COLUMNS, forecast_levels

    frame = pd.concat(
        [
            _total_frame(_series(60, start="2026-01-01")),
            _total_frame(_series(60, start="2026-01-01", seed=2)).assign(
                forecast_level="owner", x_team="web"
            ),
        ],
        ignore_index=True,
    )
    first = forecast_levels(frame, 1, 0.8)
    assert list(first.columns) == list(FORECAST_COLUMNS)
    con = duckdb.connect()
    con.register("first_run", first)
    stored = con.execute("select * from first_run").df()  # as the table reads
    fitted = _count_fits(monkeypatch)
    again = forecast_levels(frame, 1, 0.8, previous=stored)
    assert fitted == []
    # The same table as the first run's once stored: types and rows.
    con.register("again_run", again)
    assert (
        con.execute("describe first_run").fetchall()
        == con.execute("describe again_run").fetchall()
    )
    for one, other in (("first_run", "again_run"), ("again_run", "first_run")):
        assert not con.execute(
            f"select * from {one} except all select * from {other}"
        ).fetchall()
    assert len(again) == len(first)
    changed = frame.copy()
    changed.loc[changed.index[10], "usage_cost"] += 1
    for daily, horizon, interval in (
        (changed, 1, 0.8),
        (frame, 2, 0.8),
        (frame, 1, 0.9),
    ):
        fitted.clear()
        refit = forecast_levels(daily, horizon, interval, previous=stored)
        assert len(fitted) == 2
        earlier = set(first["x_input_fingerprint"])
        assert earlier.isdisjoint(refit["x_input_fingerprint"])
    # A table from before the fingerprint (no such column): fitted again.
    fitted.clear()
    forecast_levels(frame, 1, 0.8, previous=stored.drop(columns="x_input_fingerprint"))
    assert len(fitted) == 2
