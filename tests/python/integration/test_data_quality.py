"""The provider-data rule: a provider's row that breaks a FOCUS rule or a sanity
check is kept as delivered, flagged per row and counted in fct_data_quality_monthly;
the build passes. (The session warehouse holds tests/fixtures/provider_defects.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.integration

FILE = "focus/provider_defects/oci_focus_1.0_2026-06.csv"

# CSV line → the checks that row must fail (None: clean).
EXPECTED = {
    2: None,
    3: {"credit_effective_cost_differs_from_billed"},
    4: {"effective_cost_zero_on_billed_usage"},
    5: {"effective_cost_above_list_cost"},
    6: {"contracted_cost_missing", "availability_zone_is_a_number"},
    7: {"charge_frequency_not_a_focus_value"},
    8: {"commitment_purchase_effective_cost_not_zero"},
    9: None,
    10: {"tag_keys_collide"},  # "Team" and "team"
    11: None,  # a key twice in the JSON: its first value, no run-time failure
    12: {"tags_not_a_json_object"},
    13: None,  # 環境, "team 🚀" and a right-to-left mark in a value
    14: {"tag_keys_collide"},  # fullwidth "ｔｅａｍ" folds (NFKC) to "team"
}


def test_the_build_passes_with_provider_defects(warehouse):
    build = warehouse["build"]
    failed = [
        r.node.name
        for r in build.result.results
        if str(r.status) in ("fail", "error", "skipped")
    ]
    assert build.success and not failed, failed


def test_every_defective_row_is_loaded_as_delivered_and_flagged(con):
    rows = con.execute(
        """
        select x_source_line, x_data_quality_issues, billed_cost, effective_cost,
            contracted_cost, availability_zone, charge_frequency
        from fct_billing_line_items where x_source_file = ?
        """,
        [FILE],
    ).fetchall()
    got = {
        line: set(issues.split(", ")) if issues else None for line, issues, *_ in rows
    }
    assert got == EXPECTED
    by_line = {row[0]: row for row in rows}
    # Kept as delivered: amounts, the zone and the frequency are not changed.
    assert by_line[3][2:4] == (Decimal("-2.61"), Decimal("-3.00"))
    assert by_line[6][4] is None and by_line[6][5] == "0.0416"
    assert by_line[7][6] == "Monthly"


def test_the_data_quality_mart_counts_rows_cost_and_commitments(con):
    rows = con.execute(
        """
        select check_code, check_level, subjects_flagged, billed_cost,
            effective_cost, what_to_do
        from fct_data_quality_monthly
        where billing_account_id = 'OCI-TENANCY-9'
        """
    ).fetchall()
    mart = {
        code: (level, n, float(b), float(e), todo)
        for code, level, n, b, e, todo in rows
    }
    row_checks = set().union(*(v for v in EXPECTED.values() if v))
    assert set(mart) == row_checks | {"commitment_usage_differs_from_purchase"}
    assert mart["credit_effective_cost_differs_from_billed"][1:4] == (1, -2.61, -3.0)
    # The commitment's fee is 30.00; covered usage 25.00 and no unused row.
    assert mart["commitment_usage_differs_from_purchase"][:4] == (
        "commitment",
        1,
        30.0,
        25.0,
    )
    assert all(todo for *_, todo in mart.values())


def test_generated_data_has_no_provider_defects(con):
    """The generator writes what providers should: no flag outside the fixture."""
    flagged = con.execute(
        """
        select x_source_file, x_data_quality_issues, count(*)
        from fct_billing_line_items
        where x_data_quality_issues is not null and x_source_file != ?
            and x_feed != 'foreign'
        group by all
        """,
        [FILE],
    ).fetchall()
    assert flagged == []


def test_tag_keys_of_any_script_are_kept_and_invisible_characters_removed(con):
    tags = dict(
        con.execute(
            """select x_source_line, x_tags from fct_billing_line_items
            where x_source_file = ? and x_source_line in (10, 11, 12, 13, 14)""",
            [FILE],
        ).fetchall()
    )
    assert tags[10] == {"team": "web"}  # the first original key ("Team") wins
    assert tags[11] == {"team": "web"}
    assert tags[12] is None
    # Non-Latin keys kept; an emoji keeps "team 🚀" apart from "team"; the
    # right-to-left mark is gone from the value, so the owner is "web".
    assert tags[13] == {"環境": "本番", "team_🚀": "rocket", "team": "web"}
    # Compatibility forms fold (NFKC): "ｔｅａｍ" is "team", "ﬁnance" "finance".
    assert tags[14] == {"team": "web", "finance": "yes"}
