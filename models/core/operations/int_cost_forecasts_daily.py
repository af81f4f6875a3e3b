"""Daily usage-cost forecasts per level (total, owner, service) from the day
after the last day of data through the end of the month `forecast_horizon_months`
later, with prediction intervals. The methods are in itfm.forecast.

A rebuild whose inputs are unchanged (x_input_fingerprint: every series, the
horizon, the interval and the forecasting code's version) returns the table it
replaces, so a build that changed no usage fits nothing. The result equals a
build from scratch."""

from itfm.forecast import FORECAST_COLUMNS, forecast_levels
from itfm.python_models import previous_rows, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    horizon = int(dbt.config.get("forecast_horizon_months"))
    interval = float(dbt.config.get("forecast_interval"))
    daily = to_pandas(dbt.ref("int_cost_forecast_input_daily"))
    fingerprint = "x_input_fingerprint"  # first: an older table lacks it
    columns = [fingerprint, *(c for c in FORECAST_COLUMNS if c != fingerprint)]
    previous = previous_rows(dbt, session, columns)
    return forecast_levels(daily, horizon, interval, previous)
