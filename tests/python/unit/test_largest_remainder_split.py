"""Properties of the exact split used by every allocation step.

The dbt macro is rendered with Jinja alone and run in DuckDB, so hundreds of
generated cases run in seconds.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

MACROS = Path(__file__).resolve().parents[3] / "macros"
MACRO = "".join(
    (MACROS / name).read_text() for name in ("ratio.sql", "largest_remainder_split.sql")
)
SQL = (
    jinja2.Environment(extensions=["jinja2.ext.do"])
    .from_string(
        MACRO + "{{ largest_remainder_split('pieces', ['split_key', 'target_key'],"
        " ['amount']) }}"
    )
    .render()
)
CENT = Decimal("0.01")

amounts = st.decimals(
    min_value=Decimal("-1000000"),
    max_value=Decimal("1000000"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
weights = st.lists(
    st.floats(min_value=0.001, max_value=1000, allow_nan=False), min_size=1, max_size=8
)


def split(
    rows: list[tuple[str, str, float, Decimal]],
) -> dict[tuple[str, str], Decimal]:
    """rows: (split_key, target_key, weight, amount) -> {(split, target): piece}."""
    con = duckdb.connect()
    con.execute(
        "create table pieces (split_key varchar, target_key varchar, weight double,"
        " amount decimal(38, 10))"
    )
    con.executemany("insert into pieces values (?, ?, ?, ?)", rows)
    result = con.execute(SQL).fetchall()
    con.close()
    return {(key, target): piece for key, target, piece, _share in result}


def pieces_for(amount: Decimal, weight_list: list[float], key: str = "a"):
    return [(key, f"t{i}", w, amount) for i, w in enumerate(weight_list)]


@settings(max_examples=80, deadline=None)
@given(amounts, weights)
def test_pieces_add_up_exactly_and_stay_within_a_cent(amount, weight_list):
    result = split(pieces_for(amount, weight_list))
    assert sum(result.values()) == amount
    total = sum(weight_list)
    for i, w in enumerate(weight_list):
        exact = amount * Decimal(w) / Decimal(total)
        assert abs(result[("a", f"t{i}")] - exact) < 2 * CENT


@settings(max_examples=30, deadline=None)
@given(amounts, weights, st.randoms(use_true_random=False))
def test_input_row_order_does_not_matter(amount, weight_list, rnd):
    rows = pieces_for(amount, weight_list) + pieces_for(-amount / 3, weight_list, "b")
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert split(rows) == split(shuffled)


@settings(max_examples=30, deadline=None)
@given(amounts, weights)
def test_negative_amounts_split_like_positive_ones(amount, weight_list):
    positive = split(pieces_for(amount, weight_list))
    negative = split(pieces_for(-amount, weight_list))
    assert {k: -v for k, v in positive.items()} == negative


@settings(max_examples=30, deadline=None)
@given(amounts, weights, st.integers(min_value=2, max_value=1000))
def test_scaling_every_cost_by_k_scales_the_pieces(amount, weight_list, k):
    once = split(pieces_for(amount, weight_list))
    scaled = split(pieces_for(amount * k, weight_list))
    assert sum(scaled.values()) == amount * k
    for key, piece in once.items():
        assert abs(scaled[key] - k * piece) <= 2 * CENT * (k + 1)


@settings(max_examples=30, deadline=None)
@given(amounts, amounts, weights)
def test_splitting_a_line_in_two_gives_the_same_totals(first, second, weight_list):
    whole = split(pieces_for(first + second, weight_list))
    halves = split(
        pieces_for(first, weight_list, "a1") + pieces_for(second, weight_list, "a2")
    )
    assert sum(halves.values()) == sum(whole.values()) == first + second
    for i in range(len(weight_list)):
        target = f"t{i}"
        together = halves[("a1", target)] + halves[("a2", target)]
        assert abs(together - whole[("a", target)]) <= 4 * CENT


@pytest.mark.parametrize(
    ("amount", "weight_list", "expected"),
    [
        (Decimal("10.00"), [1, 1, 1], ["3.34", "3.33", "3.33"]),
        (Decimal("-10.01"), [1, 1, 1], ["-3.34", "-3.34", "-3.33"]),
        (Decimal("0.05"), [1, 1, 1, 1, 1, 1], ["0.01"] * 5 + ["0.00"]),
        (Decimal("100.123456"), [3, 1], ["75.093456", "25.03"]),
        (Decimal("7.77"), [5], ["7.77"]),
    ],
)
def test_remainders_go_to_the_largest_fractions_then_by_key(
    amount, weight_list, expected
):
    result = split(pieces_for(amount, weight_list))
    assert [result[("a", f"t{i}")] for i in range(len(weight_list))] == [
        Decimal(e) for e in expected
    ]
