"""Backtests: every complete month forecast from the data before its first day
(no peeking) and compared with what happened, per level (total, owner,
service). The methods are in itfm.forecast."""

from itfm.forecast import backtest_levels


def model(dbt, session):
    dbt.config(materialized="table")
    min_history = int(dbt.config.get("forecast_backtest_min_history_days"))
    daily = dbt.ref("int_cost_forecast_input_daily").df()
    return backtest_levels(daily, min_history)
