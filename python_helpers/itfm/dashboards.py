"""The dashboards: `itfm dashboards` writes a static site that opens from disk.

Three dashboards of the ITFM guide (executive, on-call, debug) under
`target/dashboards/`: one HTML page each, the charting library (Apache ECharts,
vendored with its license in `dashboards_assets/vendor/`), the page script and
`data.js`, which holds the figures the panels plot as `window.ITFM_DATA`. Every
file is read by a `<script>` or `<link>` tag with a relative path, so the pages
open from `file://` with no server and no network; `itfm serve` serves the same
folder on localhost for a browser that refuses local files.

The figures come from the marts of a successful build only (as for validate
and export): each dataset is one query over one mart, listed in DATASETS. The
pages filter them by team, cost center, provider and month in the browser; a
panel names the filters its mart can honour.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import shutil
from pathlib import Path

from itfm.errors import ItfmError
from itfm.validate import open_built_warehouse

ASSETS = Path(__file__).parent / "dashboards_assets"
PAGES = ("executive", "oncall", "debug")
# Resources kept for the debug heatmap: the costliest per month and owner (the
# page shows the 25 costliest of the selection).
TOP_RESOURCES = 25

# name -> (mart, query). Columns come out as the query names them.
DATASETS: dict[str, tuple[str, str]] = {
    "daily_cost": (
        "fct_cost_daily_by_owner",
        """select charge_date as date, billing_month as month, x_team as team,
            x_cost_center as cost_center, provider_name as provider,
            x_product as product, service_name as service,
            sum(x_effective_cost_reporting) as cost
        from main.fct_cost_daily_by_owner
        group by all order by all""",
    ),
    "forecast": (
        "fct_cost_forecasts_daily",
        """select forecast_level as level, x_team as team, forecast_date as date,
            forecast_month as month, x_forecast_cost_reporting as cost,
            x_forecast_lower_reporting as lower, x_forecast_upper_reporting as upper,
            prediction_interval as interval, forecast_made_on as made_on
        from main.fct_cost_forecasts_daily
        where forecast_level in ('total', 'owner')
        order by level, team, date""",
    ),
    "unmapped": (
        "fct_unmapped_cost_monthly",
        """select billing_month as month, provider_name as provider,
            sum(x_effective_cost_reporting) as cost,
            sum(x_unmapped_effective_cost_reporting) as unmapped,
            max(unmapped_cost_target_pct) as target_pct
        from main.fct_unmapped_cost_monthly group by all order by all""",
    ),
    "anomalies": (
        "fct_cost_anomalies",
        """select anomaly_id as id, x_team as team, provider_name as provider,
            service_name as service, first_seen_date as first_seen,
            last_seen_date as last_seen, first_seen_month as month,
            x_impact_cost_reporting as impact, x_actual_cost_reporting as actual,
            x_baseline_cost_reporting as baseline, alert_severity as severity,
            is_suppressed as suppressed
        from main.fct_cost_anomalies order by impact desc, id""",
    ),
    "scorecard": (
        "fct_itfm_kpi_scorecard_monthly",
        """select kpi_month as month, kpi_id, kpi_name as name, kpi_unit as unit,
            kpi_status as status, kpi_value as value, numerator,
            target_type, measured_value as measured, target_low, target_high,
            not_available_reason as reason,
            is_complete_month as complete
        from main.fct_itfm_kpi_scorecard_monthly
        order by month, cast(substr(kpi_id, 2) as integer)""",
    ),
    "budget": (
        "fct_budget_variance_monthly",
        """select budget_month as month, x_cost_center as cost_center,
            x_budget_reporting as budget, x_actual_cost_reporting as actual,
            x_forecast_cost_reporting as forecast,
            x_projected_cost_reporting as projected, budget_status as status
        from main.fct_budget_variance_monthly order by all""",
    ),
    "burn": (
        "fct_cost_burn_daily",
        """select charge_date as date, charge_month as month, x_team as team,
            provider_name as provider, service_name as service,
            x_effective_cost_reporting as cost,
            x_baseline_cost_reporting as baseline,
            x_projected_month_cost_reporting as projected_month,
            x_baseline_month_cost_reporting as baseline_month,
            is_page_burn as page_burn, is_page_overrun as page_overrun,
            page_burn_ratio, page_overrun_ratio
        from main.fct_cost_burn_daily order by all""",
    ),
    "violations": (
        "fct_policy_violations",
        """select violation_month as month, policy_id, policy_type,
            x_team as team, provider_name as provider, service_name as service,
            subject_id as subject, violating_days as days,
            x_cost_reporting as cost, violation_detail as detail,
            alert_route as route
        from main.fct_policy_violations order by month desc, cost desc nulls last,
            policy_id, subject""",
    ),
    "k8s": (
        "fct_k8s_cost_daily",
        """select charge_date as date, date_trunc('month', charge_date)::date as month,
            cluster_name as cluster, x_team as team,
            x_effective_cost_reporting as cost, pod_hours,
            cpu_core_hours as cpu_hours, memory_gib_hours as memory_gib_hours
        from main.fct_k8s_cost_daily order by all""",
    ),
    "scaling": (
        "fct_k8s_workload_scaling_daily",
        """select usage_date as date, date_trunc('month', usage_date)::date as month,
            cluster_name as cluster, namespace, workload_name as workload,
            x_team as team, pods, baseline_pods, scale_size,
            is_scale_event as scale_event, x_effective_cost_reporting as cost,
            x_baseline_daily_cost_reporting as baseline_cost
        from main.fct_k8s_workload_scaling_daily order by all""",
    ),
    "pods": (
        "fct_k8s_pod_cost_daily",
        """select usage_date as date, date_trunc('month', usage_date)::date as month,
            cluster_name as cluster, namespace, workload_name as workload,
            pod_name as pod, x_team as team, pod_hours,
            sum(x_effective_cost_reporting) as cost
        from main.fct_k8s_pod_cost_daily where x_team <> 'idle'
        group by all order by all""",
    ),
    "unit_costs": (
        "fct_unit_costs_daily",
        """select charge_date as date, charge_month as month, x_product as product,
            cost_basis, x_effective_cost_reporting as cost, transactions,
            active_users
        from main.fct_unit_costs_daily
        where cost_basis = (select min(cost_basis) from main.fct_unit_costs_daily)
        order by all""",
    ),
    "deploys": (
        "fct_deploy_cost_changes",
        """select deploy_id, deployed_at, deploy_date as date,
            date_trunc('month', deploy_date)::date as month, x_team as team,
            service_name as service, environment, deploy_version as version,
            window_days, x_cost_before_reporting as cost_before,
            x_cost_after_reporting as cost_after,
            x_cost_change_reporting as change, cost_change_ratio as change_ratio,
            not_compared_reason as reason
        from main.fct_deploy_cost_changes order by deployed_at desc, deploy_id""",
    ),
    "resources": (
        "fct_resource_cost_daily",
        f"""with ranked as (
            select charge_month, x_team, resource_id,
                row_number() over (
                    partition by charge_month, x_team
                    order by sum(x_effective_cost_reporting) desc, resource_id
                ) as rank
            from main.fct_resource_cost_daily group by 1, 2, 3
        )
        select days.charge_date as date, days.charge_month as month,
            days.resource_id as resource, days.x_team as team,
            days.x_cost_center as cost_center, days.provider_name as provider,
            days.service_name as service, days.x_effective_cost_reporting as cost
        from main.fct_resource_cost_daily as days
        inner join ranked
            on days.charge_month = ranked.charge_month
            and days.x_team is not distinct from ranked.x_team
            and days.resource_id = ranked.resource_id
        where ranked.rank <= {TOP_RESOURCES}
        order by all""",
    ),
}


def _value(value):
    """A value as JSON holds it: amounts as numbers (the pages only draw and
    sum them; the marts keep the decimals), dates and timestamps as ISO text."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    return value


def _encoded(columns: list[str], rows: list[list]) -> dict[str, list]:
    """Text columns with repeated values stored once: the column's values go
    into a dictionary and each row holds an index into it (the page decodes
    them). Resource ids and service names repeat on every day."""
    dictionaries = {}
    for at, column in enumerate(columns):
        values = [row[at] for row in rows]
        if not any(isinstance(v, str) for v in values):
            continue
        distinct = sorted({v for v in values if v is not None})
        if len(distinct) * 2 > len(values):
            continue
        index = {v: i for i, v in enumerate(distinct)}
        for row in rows:
            row[at] = None if row[at] is None else index[row[at]]
        dictionaries[column] = distinct
    return dictionaries


def datasets(con) -> dict[str, dict]:
    """Every dataset as {"mart", "columns", "rows", "dictionaries"} (rows as
    lists; a column in dictionaries holds indexes into its list)."""
    result = {}
    for name, (mart, sql) in DATASETS.items():
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = [[_value(v) for v in row] for row in cursor.fetchall()]
        dictionaries = _encoded(columns, rows)
        result[name] = {
            "mart": mart,
            "columns": columns,
            "rows": rows,
            "dictionaries": dictionaries,
        }
    return result


def _build_info(con) -> dict:
    row = con.execute(
        """select invocation_id, max(recorded_at) from main.itfm_build_runs
        where event = 'finished' group by 1 order by 2 desc limit 1"""
    ).fetchall()[0]
    return {"invocation_id": row[0], "built_at": _value(row[1])}


def write(database: Path, out: Path, reporting_currency: str) -> list[Path]:
    """Write the site into `out` (replaced whole); return the pages."""
    con = open_built_warehouse(database)
    try:
        data = {
            "currency": reporting_currency,
            "build": _build_info(con),
            "datasets": datasets(con),
        }
    finally:
        con.close()
    if out.exists():
        ours = (out / "data.js").exists() and (out / "index.html").exists()
        if not ours and any(out.iterdir()):
            raise ItfmError("ITFM-E002", "the folder holds other files", str(out))
        shutil.rmtree(out)
    (out / "assets").mkdir(parents=True)
    for asset in ("itfm.js", "itfm.css"):
        shutil.copy(ASSETS / asset, out / "assets" / asset)
    shutil.copytree(ASSETS / "vendor", out / "assets" / "vendor")
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    (out / "data.js").write_text(f"window.ITFM_DATA = {text};\n")
    pages = []
    template = (ASSETS / "page.html").read_text()
    for page in ("index", *PAGES):
        body = (ASSETS / f"{page}.html").read_text()
        html = template.replace("{{page}}", page).replace("{{body}}", body)
        path = out / f"{page}.html"
        path.write_text(html)
        pages.append(path)
    return pages
