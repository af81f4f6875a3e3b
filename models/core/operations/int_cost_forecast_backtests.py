"""Backtests: every complete month forecast from the data before its first day
(no peeking) and compared with what happened, per level (total, owner,
service). The methods are in itfm.forecast.

A rebuild reuses the backtests of the table it replaces whose inputs are
unchanged (x_input_fingerprint: the series through the month's end, the
history minimum and the forecasting code's version), so a new day of data
refits only the month it completes. The result equals a build from scratch."""

from itfm.forecast import backtest_levels
from itfm.python_models import previous_rows, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    min_history = int(dbt.config.get("forecast_backtest_min_history_days"))
    daily = to_pandas(dbt.ref("int_cost_forecast_input_daily"))
    previous = previous_rows(
        dbt,
        session,
        ["x_input_fingerprint", "forecast_cost", "actual_cost", "method"],
    )
    return backtest_levels(daily, min_history, previous)
