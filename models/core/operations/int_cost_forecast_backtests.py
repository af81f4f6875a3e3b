"""Backtests: every complete month forecast from the data before its first day
(no peeking) and compared with what happened, per level (total, owner,
service). The methods are in itfm.forecast.

A rebuild reuses the backtests of the table it replaces whose inputs are
unchanged (x_input_fingerprint: the series through the month's end, the
history minimum and the forecasting code's version), so a new day of data
refits only the month it completes. The result equals a build from scratch."""

from itfm.forecast import backtest_levels


def _previous_rows(dbt, session):
    """This table's rows from the last build, or None when there are none."""
    relation = dbt.this
    found = session.execute(
        "select count(*) from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "and column_name = 'x_input_fingerprint'",
        [relation.database, relation.schema, relation.identifier],
    ).fetchone()[0]
    if not found:
        return None
    return session.execute(
        "select x_input_fingerprint, forecast_cost, actual_cost, method "
        f"from {relation}"
    ).df()


def model(dbt, session):
    dbt.config(materialized="table")
    min_history = int(dbt.config.get("forecast_backtest_min_history_days"))
    daily = dbt.ref("int_cost_forecast_input_daily").df()
    return backtest_levels(daily, min_history, _previous_rows(dbt, session))
