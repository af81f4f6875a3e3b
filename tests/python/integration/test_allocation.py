"""Attribution and allocation on the session warehouse."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import run_dbt

pytestmark = pytest.mark.integration


def test_allocation_conserves_cost_per_period_and_currency(con):
    rows = con.execute(
        """
        with normalized as (
            select cast(billing_period_start as date) as m, billing_currency as c,
                sum(billed_cost) as b, sum(effective_cost) as e
            from fct_billing_line_items group by 1, 2
        ), allocated as (
            select billing_month as m, billing_currency as c,
                sum(billed_cost) as b, sum(effective_cost) as e
            from fct_cost_allocated group by 1, 2
        )
        select normalized.*, allocated.b, allocated.e
        from normalized full outer join allocated using (m, c)
        """
    ).fetchall()
    assert len(rows) >= 4
    for (
        month,
        currency,
        billed,
        effective,
        allocated_billed,
        allocated_effective,
    ) in rows:
        assert (billed, effective) == (allocated_billed, allocated_effective), (
            month,
            currency,
        )


def test_every_dollar_has_an_owner_or_a_named_bucket(con):
    owners = dict(
        con.execute(
            "select x_team, sum(effective_cost) from fct_cost_allocated group by 1"
        ).fetchall()
    )
    teams = {row[0] for row in con.execute("select team from teams").fetchall()}
    assert None not in owners
    assert set(owners) <= teams | {
        "unmapped",
        "unallocated",
        "idle",
        "web",
    }  # web: the foreign export's own team
    assert "idle" in owners and owners["idle"] > 0


def test_chained_rules_empty_the_platform_pool(con):
    """Platform's own cost, its Kubernetes share and its share of tax all end at
    product teams through the platform-team rule."""
    left = con.execute(
        "select count(*) from fct_cost_allocated where x_team = 'platform'"
    ).fetchone()[0]
    assert left == 0
    chained = con.execute(
        """
        select count(*) from fct_cost_allocated
        where x_allocation_rule_id = 'platform-team'
            and x_allocation_id like '%>tax:platform>platform-team:%'
        """
    ).fetchone()[0]
    assert chained > 0


def test_untagged_resources_are_unmapped_or_attributed_with_a_method(con):
    rows = con.execute(
        """
        select x_attribution_method, count(*)
        from int_line_items_attributed
        where resource_id is not null and tag_team is null
        group by 1
        """
    ).fetchall()
    methods = dict(rows)
    assert set(methods) <= {"inventory", "sub_account", "rule", "unmapped"}
    assert methods.get("unmapped", 0) > 0
    tagged = con.execute(
        "select count(*) from int_line_items_attributed "
        "where tag_team is not null and x_attribution_method != 'tag'"
    ).fetchone()[0]
    assert tagged == 0


def test_unmapped_and_idle_are_reported_per_period(con):
    unmapped = con.execute(
        "select billing_month, sum(x_unmapped_effective_cost_reporting), "
        "sum(x_effective_cost_reporting) from fct_unmapped_cost_monthly group by 1"
    ).fetchall()
    assert len(unmapped) >= 2
    for _month, unmapped_cost, total in unmapped:
        assert 0 <= unmapped_cost < total
    idle = con.execute(
        "select count(*), sum(effective_cost) from fct_k8s_cost_daily "
        "where x_team = 'idle'"
    ).fetchone()
    assert idle[0] > 0 and idle[1] > 0
    idle_pct = con.execute(
        "select min(idle_cost_pct), max(idle_cost_pct), count(distinct billing_month)"
        " from fct_k8s_idle_monthly"
    ).fetchone()
    assert 0 < idle_pct[0] <= idle_pct[1] < 100 and idle_pct[2] >= 2


def test_showback_totals_equal_the_allocated_fact(con):
    showback = con.execute(
        "select billing_currency, sum(effective_cost) from fct_showback_monthly "
        "group by 1 order by 1"
    ).fetchall()
    allocated = con.execute(
        "select billing_currency, sum(effective_cost) from fct_cost_allocated "
        "group by 1 order by 1"
    ).fetchall()
    assert showback == allocated


def test_k8s_pieces_follow_the_cluster_shares(con):
    """Each node line item is split onto owners and idle in the proportions of
    the cluster's shares that day (max of request and usage)."""
    rows = con.execute(
        """
        select allocated.x_allocation_share, shares.cost_share
        from fct_cost_allocated as allocated
        inner join int_k8s_cluster_shares_daily as shares
            on allocated.x_kubernetes_cluster = shares.cluster_name
            and allocated.charge_date = shares.usage_date
            and allocated.x_team = shares.x_team
        where allocated.x_allocation_method = 'kubernetes'
        """
    ).fetchall()
    assert len(rows) > 10
    for allocated_share, cluster_share in rows:
        assert abs(float(allocated_share) - float(cluster_share)) < 1e-9


def _copy(warehouse, tmp_path):
    con = duckdb.connect(str(warehouse["database"]))
    con.execute("checkpoint")
    con.close()
    copy = tmp_path / "rules.duckdb"
    shutil.copy(warehouse["database"], copy)
    return copy


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            "insert into allocation_rules values ('loop', 90, 'x_team', 'equals',"
            " 'payments', 'fixed', null, 'send payments back to platform');"
            "insert into allocation_targets values ('loop', 'platform', 100)",
            "sends cost to platform, whose pool rule platform-team has already run",
        ),
        (
            "update allocation_targets set fixed_percent = 50 "
            "where rule_id = 'shared-account' and team = 'payments'",
            "fixed percentages add up to 110",
        ),
        (
            "update allocation_rules set driver = 'vibes' where rule_id = 'tax'",
            "driver must be one of",
        ),
    ],
)
def test_invalid_rules_stop_the_build_with_a_coded_error(
    warehouse, tmp_path, statement, message
):
    copy = _copy(warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    for part in statement.split(";"):
        con.execute(part)
    con.close()
    result = run_dbt(copy, ["compile", "--select", "fct_cost_allocated"])
    assert not result.success
    text = str(result.exception) + "".join(
        str(getattr(r, "message", "")) for r in (result.result or [])
    )
    assert "ITFM-A001" in text and message in text, text


def test_it_spend_covers_cloud_contracts_and_general_ledger(con):
    totals = dict(
        con.execute(
            "select spend_type, sum(amount) from fct_it_spend_monthly group by 1"
        ).fetchall()
    )
    assert set(totals) == {"cloud", "contract", "general_ledger"}
    gl = con.execute("select sum(amount) from gl_lines").fetchone()[0]
    contract_days = con.execute(
        "select sum(amount) from int_contracts_amortized_daily"
    ).fetchone()[0]
    contracts = con.execute("select sum(total_amount) from contracts").fetchone()[0]
    assert contract_days == contracts
    assert totals["general_ledger"] == gl
    # Team-less contracts reach teams through the TBM model: all contract money
    # is in the mart as contract spend, whichever path it took.
    assert totals["contract"] == contracts
    differing = con.execute(
        """
        with mart as (
            select billing_month, billing_currency, sum(amount) as amount
            from fct_it_spend_monthly where spend_type = 'cloud' group by 1, 2
        ),
        daily as (
            select billing_month, billing_currency, sum(effective_cost) as amount
            from fct_cost_daily_by_owner group by 1, 2
        )
        select count(*) from mart full outer join daily
            using (billing_month, billing_currency)
        where mart.amount is distinct from daily.amount
        """
    ).fetchone()[0]
    assert differing == 0


def test_it_spend_names_its_tbm_cost_pool_and_tower(con):
    """Cloud spend is cost pool Cloud Services in its service category's tower;
    ledger spend carries the pool, tower and solution the TBM model split it
    onto; every row has a pool, and only a contract charged to its team
    directly has no tower."""
    rows = con.execute(
        """select spend_type, tbm_cost_pool, tbm_tower is null, tbm_solution is null,
            count(*)
        from fct_it_spend_monthly group by all"""
    ).fetchall()
    assert all(pool for _, pool, *_ in rows)
    assert {pool for kind, pool, *_ in rows if kind == "cloud"} == {"Cloud Services"}
    assert not any(no_tower for kind, _, no_tower, *_ in rows if kind != "contract")
    assert not any(
        no_solution for kind, _, _, no_solution, _ in rows if kind == "general_ledger"
    )
    towers = dict(
        con.execute(
            """select service_category, any_value(tbm_tower)
            from fct_cost_daily_by_owner left join tbm_cloud_towers
            using (service_category) group by 1"""
        ).fetchall()
    )
    assert None not in towers.values(), towers
