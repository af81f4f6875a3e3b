"""The dashboards in a real browser: Debian's Chromium, headless, driven by
Playwright, opens each page of `itfm dashboards` from disk (file://).

Each page must load with no console error and no request that leaves the disk,
render every panel, and show the marts' figures: each panel's headline figure
(data-figure, with no filter and then with a team picked) is checked against a
query over the mart it reads. Screenshots are kept in target/artifacts/dashboards
(the CI log names them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

PROJECT_DIR = Path(__file__).resolve().parents[3]
ARTIFACTS = PROJECT_DIR / "target" / "artifacts" / "dashboards"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's notes advise for a closed network: no background requests.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "index": ["summary"],
    "executive": [
        "spend_trend",
        "cost_by_product",
        "unmapped",
        "observability",
        "budget",
        "anomalies",
        "scorecard",
    ],
    "oncall": [
        "burn",
        "overrun",
        "autoscale",
        "violations_by_policy",
        "violations",
        "incident",
    ],
    "debug": [
        "resource_heatmap",
        "cost_vs_transactions",
        "cost_vs_compute",
        "deploys",
        "k8s_trend",
        "pod_trend",
    ],
}


@pytest.fixture(scope="module")
def site(warehouse, tmp_path_factory) -> Path:
    from itfm.dashboards import write

    out = tmp_path_factory.mktemp("dashboards") / "site"
    write(warehouse["database"], out, "USD")
    return out


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), (
        "Chromium is missing: `make browser-install` installs Debian's chromium"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _open(browser, site: Path, page_name: str, fragment: str = ""):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith("file://")
            else problems.append(f"network: {r.url}")
        ),
    )
    page.goto((site / f"{page_name}.html").as_uri() + fragment)
    page.wait_for_function("document.body.dataset.ready === 'true'", timeout=30_000)
    panels = {
        p["name"]: p
        for p in page.eval_on_selector_all(
            "[data-panel]",
            """els => els.map(e => ({name: e.dataset.panel,
                rendered: e.dataset.rendered, figure: Number(e.dataset.figure),
                rows: Number(e.dataset.rows),
                canvas: e.querySelectorAll('canvas').length,
                cells: e.querySelectorAll('td').length}))""",
        )
    }
    return page, panels, problems


def _expected(con) -> dict[str, float]:
    """Each panel's headline figure with no filter, from the marts."""

    def one(sql: str) -> float:
        value = con.execute(sql).fetchone()[0]
        return float(value or 0)

    total = one(
        "select sum(x_effective_cost_reporting) from main.fct_cost_daily_by_owner"
    )
    budget_month = """(select max(budget_month) from main.fct_budget_variance_monthly
        where x_actual_cost_reporting <> 0)"""
    score_month = """(select max(kpi_month) from main.fct_itfm_kpi_scorecard_monthly
        where is_complete_month)"""
    top = con.execute(
        """select service_name, first_seen_date, last_seen_date
        from main.fct_cost_anomalies where not is_suppressed
        order by x_impact_cost_reporting desc, anomaly_id limit 1"""
    ).fetchone()
    incident = one(
        f"""select sum(x_effective_cost_reporting) from main.fct_cost_daily_by_owner
        where service_name = '{top[0]}'
          and charge_date between '{top[1]}' and '{top[2]}'"""
    )
    return {
        "summary": total,
        "spend_trend": total,
        "cost_by_product": total,
        "unmapped": round(
            one(
                """select sum(x_unmapped_effective_cost_reporting)
                from main.fct_unmapped_cost_monthly"""
            )
            / one(
                """select sum(x_effective_cost_reporting)
                from main.fct_unmapped_cost_monthly"""
            ),
            4,
        ),
        "observability": one(
            """select sum(numerator) from main.fct_itfm_kpi_scorecard_monthly
            where kpi_id = 'M6'"""
        ),
        "budget": one(
            f"""select sum(x_budget_reporting) from main.fct_budget_variance_monthly
            where budget_month = {budget_month}"""
        ),
        "anomalies": one(
            """select sum(x_impact_cost_reporting) from (
                select x_impact_cost_reporting from main.fct_cost_anomalies
                where not is_suppressed
                order by x_impact_cost_reporting desc, anomaly_id limit 10)"""
        ),
        "scorecard": one(
            f"""select count(*) from main.fct_itfm_kpi_scorecard_monthly
            where kpi_month = {score_month} and kpi_status = 'breach'"""
        ),
        "burn": one(
            """select count(*) from main.fct_cost_burn_daily
            where is_page_burn or is_page_overrun"""
        ),
        "overrun": one(
            """with last as (
                select * from main.fct_cost_burn_daily
                where charge_date = (
                    select max(charge_date) from main.fct_cost_burn_daily)
            ), teams as (
                select coalesce(x_team, '(none)'),
                    sum(x_projected_month_cost_reporting) as p,
                    sum(x_baseline_month_cost_reporting) as b,
                    max(page_overrun_ratio) as t
                from last group by 1
            )
            select count(*) from teams where b <> 0 and p / b - 1 >= t"""
        ),
        "violations_by_policy": one("select count(*) from main.fct_policy_violations"),
        "violations": one("select count(*) from main.fct_policy_violations"),
        "incident": incident,
        # The 25 costliest resources among those the site keeps: the 25
        # costliest of each month and owner.
        "resource_heatmap": one(
            """with ranked as (
                select charge_month, x_team, resource_id,
                    sum(x_effective_cost_reporting) as cost,
                    row_number() over (partition by charge_month, x_team
                        order by sum(x_effective_cost_reporting) desc, resource_id)
                        as rank
                from main.fct_resource_cost_daily group by 1, 2, 3
            )
            select sum(cost) from (
                select sum(cost) as cost from ranked where rank <= 25
                group by resource_id order by cost desc, resource_id limit 25)"""
        ),
        "cost_vs_transactions": round(
            one(
                """select corr(transactions, x_effective_cost_reporting)
                from main.fct_unit_costs_daily
                where cost_basis = (
                    select min(cost_basis) from main.fct_unit_costs_daily)
                  and transactions > 0"""
            ),
            3,
        ),
        "cost_vs_compute": round(
            one(
                """select corr(cpu_core_hours, x_effective_cost_reporting)
                from main.fct_k8s_cost_daily
                where cpu_core_hours > 0 or memory_gib_hours > 0"""
            ),
            3,
        ),
        "deploys": one(
            "select max(x_cost_change_reporting) from main.fct_deploy_cost_changes"
        ),
        "k8s_trend": one(
            "select sum(x_effective_cost_reporting) from main.fct_k8s_cost_daily"
        ),
        "autoscale": one(
            """select max(scale_size) from main.fct_k8s_workload_scaling_daily
            where is_scale_event"""
        ),
        "pod_trend": one(
            """select max(cost) from (
                select sum(x_effective_cost_reporting) as cost
                from main.fct_k8s_pod_cost_daily where x_team <> 'idle'
                group by cluster_name, pod_name)"""
        ),
    }


# A sum of amounts in JavaScript doubles, rounded to the cent: one cent at most.
TOLERANCE = {"unmapped": 1e-4, "cost_vs_transactions": 1e-3, "cost_vs_compute": 1e-3}


@pytest.mark.parametrize("page_name", list(PAGES))
def test_each_page_renders_every_panel_with_the_marts_figures(
    browser, site, con, page_name
):
    page, panels, problems = _open(browser, site, page_name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page_name}.png"), full_page=True)
    page.close()
    assert problems == []
    assert sorted(panels) == sorted(PAGES[page_name])
    expected = _expected(con)
    for name, panel in panels.items():
        assert panel["rendered"] == "true", name
        assert panel["rows"] > 0, f"{name} shows no rows"
        assert panel["canvas"] > 0 or panel["cells"] > 0 or name == "summary", name
        assert panel["figure"] == pytest.approx(
            expected[name], abs=TOLERANCE.get(name, 0.01)
        ), name


def test_a_team_filter_narrows_the_panels_to_that_team(browser, site, con):
    team, cost = con.execute(
        """select x_team, sum(x_effective_cost_reporting)
        from main.fct_cost_daily_by_owner where x_team <> 'unmapped'
        group by 1 order by 2 desc limit 1"""
    ).fetchone()
    violations = con.execute(
        "select count(*) from main.fct_policy_violations where x_team = ?", [team]
    ).fetchone()[0]
    page, panels, problems = _open(browser, site, "executive", f"#team={team}")
    assert page.eval_on_selector("select[name=team]", "s => s.value") == team
    page.close()
    assert problems == []
    assert panels["spend_trend"]["figure"] == pytest.approx(float(cost), abs=0.01)
    assert panels["cost_by_product"]["figure"] == pytest.approx(float(cost), abs=0.01)
    page, panels, problems = _open(browser, site, "oncall", f"#team={team}")
    page.close()
    assert problems == []
    assert panels["violations"]["figure"] == violations


def test_the_site_opens_with_no_file_outside_it(site):
    """Every script and stylesheet a page names is a relative path inside the site."""
    import re

    for page in site.glob("*.html"):
        for ref in re.findall(r'(?:src|href)="([^"]+)"', page.read_text()):
            assert "://" not in ref and not ref.startswith("/"), (page.name, ref)
            assert (site / ref).exists(), (page.name, ref)
    licence = site / "assets" / "vendor" / "echarts" / "LICENSE"
    assert "Apache License" in licence.read_text()


def test_the_dashboards_exposure_names_the_marts_the_pages_read(con):
    """The dbt exposure `dashboards` and the queries of itfm.dashboards name the
    same marts (as the last build recorded the exposure)."""
    from itfm.dashboards import DATASETS

    recorded = {
        row[0]
        for row in con.execute(
            "select model from main.itfm_exposure_models where exposure = 'dashboards'"
        ).fetchall()
    }
    assert recorded == {mart for mart, _ in DATASETS.values()}


def test_the_site_never_replaces_a_folder_it_did_not_write(warehouse, tmp_path):
    """The output folder is replaced whole: a folder with other files in it is
    refused with ITFM-E002 and left as it was."""
    from itfm.dashboards import write
    from itfm.errors import ItfmError

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(ItfmError) as raised:
        write(warehouse["database"], folder, "USD")
    assert raised.value.code == "ITFM-E002"
    assert (folder / "notes.txt").read_text() == "keep me"
    write(warehouse["database"], folder / "site", "USD")
    write(warehouse["database"], folder / "site", "USD")  # its own: replaced
    assert (folder / "site" / "data.js").exists()


def test_itfm_serve_serves_the_site_on_localhost(site):
    """`itfm serve` answers on 127.0.0.1 with the pages (a bounded number of
    requests, then it is stopped)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    itfm = Path(sys.executable).parent / "itfm"
    server = subprocess.Popen(
        [str(itfm), "serve", "--folder", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(50):  # at most about 10 s
            try:
                url = f"http://127.0.0.1:{port}/executive.html"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    body = answer.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body is not None and 'data-panel="spend_trend"' in body
    finally:
        server.terminate()
        server.wait(timeout=10)
