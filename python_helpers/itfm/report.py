"""What `itfm summary` prints: the warehouse's totals, alerts and KPIs."""

from __future__ import annotations

from itfm.project import database_path, project_dir
from itfm.validate import open_built_warehouse


def summary(target: str = "dev") -> str:
    """A short, human summary of what the warehouse holds."""

    database = database_path(target)
    con = open_built_warehouse(database)
    try:
        lines = [f"warehouse: {database}"]
        audit = con.execute(
            """
            select count(*), coalesce(sum(rows_read), 0),
                coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
            from (
                select * from raw.load_audit
                where status = 'loaded'
                qualify row_number() over (
                    partition by file_path order by loaded_at desc
                ) = 1
            )
            """
        ).fetchone()
        lines.append(
            f"files in the warehouse: {audit[0]}; rows read {audit[1]:,}"
            f" = loaded {audit[2]:,} + quarantined {audit[3]:,}"
        )
        facts = con.execute(
            "select count(*) from main.fct_billing_line_items"
        ).fetchone()[0]
        lines.append(f"billing line items in fct_billing_line_items: {facts:,}")
        lines.extend(_totals_by_provider(con))
        lines.extend(_operations_and_kpis(con))
        docs = project_dir() / "target" / "index.html"
        if docs.exists():
            lines.append("")
            lines.append(
                f"dbt docs: {docs} (serve with `.venv/bin/dbt docs serve "
                "--profiles-dir profiles`)"
            )
        return "\n".join(lines)
    finally:
        con.close()


def _totals_by_provider(con) -> list[str]:
    """Billed and effective cost and line items per provider, export, month."""
    lines = []
    lines.append("")
    lines.append(
        f"{'provider':<14}{'export':<13}{'month':<9}{'currency':<10}"
        f"{'billed cost':>16}{'effective cost':>16}{'line items':>12}"
    )
    rows = con.execute(
        """
        select provider_name, x_source, strftime(billing_period_start, '%Y-%m'),
            billing_currency, sum(billed_cost), sum(effective_cost), count(*)
        from main.fct_billing_line_items
        group by 1, 2, 3, 4 order by 1, 2, 3, 4
        """
    ).fetchall()
    for provider, source, month, currency, billed, effective, count in rows:
        lines.append(
            f"{provider:<14}{source:<13}{month:<9}{currency:<10}"
            f"{billed:>16,.2f}{effective:>16,.2f}{count:>12,}"
        )
    return lines


def _operations_and_kpis(con) -> list[str]:
    """Page-level alerts and the latest complete month's KPI scorecard."""
    tables = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'main'"
        ).fetchall()
    }
    lines = []
    if "fct_cost_alerts" in tables:
        pages = con.execute(
            """
            select alert_date, x_team, service_name, alert_summary
            from main.fct_cost_alerts where alert_route = 'page' order by 1
            """
        ).fetchall()
        lines += ["", f"page-level cost alerts: {len(pages)}"]
        for day, team, service, text in pages:
            lines.append(f"  {day}  {team:<10} {service:<32} {text[:60]}")
    if "fct_itfm_kpi_scorecard_monthly" in tables:
        rows = con.execute(
            """
            select kpi_month, kpi_id, kpi_name, kpi_value, kpi_status,
                not_available_reason
            from main.fct_itfm_kpi_scorecard_monthly
            where kpi_month = (
                select max(kpi_month) from main.fct_itfm_kpi_scorecard_monthly
                where is_complete_month
            )
            order by cast(substr(kpi_id, 2) as integer)
            """
        ).fetchall()
        if rows:
            lines += ["", f"ITFM KPI scorecard, {rows[0][0]:%Y-%m}:"]
        for _month, kpi, name, value, status, reason in rows:
            shown = f"{value:,.4f}" if value is not None else (reason or "")
            lines.append(f"  {kpi:<4} {name:<26} {shown:>14}  {status}")
    return lines
