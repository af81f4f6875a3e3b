"""Daily usage-cost forecasts per level (total, owner, service) from the day
after the last day of data through the end of the month `forecast_horizon_months`
later, with prediction intervals. The methods are in itfm.forecast."""

from itfm.forecast import forecast_levels
from itfm.python_models import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    horizon = int(dbt.config.get("forecast_horizon_months"))
    interval = float(dbt.config.get("forecast_interval"))
    daily = to_pandas(dbt.ref("int_cost_forecast_input_daily"))
    return forecast_levels(daily, horizon, interval)
