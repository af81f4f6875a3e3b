"""SQL shape conventions checked on the model files themselves: every ref sits
in an import CTE (one ref, no join), so a model's inputs are listed at its top
and its logic reads only CTEs (STYLE.md, section 3)."""

from __future__ import annotations

import re
from pathlib import Path

MODELS = Path(__file__).resolve().parents[3] / "models"
# A CTE starts on a line of its own: `name as (` (the name may be Jinja).
CTE_START = re.compile(r"^\s*(\S[^\n]*?) as \(\s*$", re.M)
REF = re.compile(r"\{\{\s*ref\(([^)]*)\)\s*\}\}")
# The incremental filter of an import CTE (a join to the periods to rebuild)
# is part of reading the input, not logic.
INCREMENTAL = re.compile(
    r"\{%-?\s*if is_incremental\(\)\s*-?%\}.*?\{%-?\s*endif\s*-?%\}", re.S
)


def refs_outside_import_ctes(sql: str) -> list[str]:
    """The CTEs (by name) that hold a ref and also a join or a second ref."""
    sql = re.sub(r"\{#.*?#\}", "", sql, flags=re.S)
    sql = re.sub(r"--[^\n]*", "", sql)
    sql = INCREMENTAL.sub("", sql)
    starts = [(m.group(1).strip(), m.start()) for m in CTE_START.finditer(sql)]
    if not starts:
        starts = [("(model)", 0)]
    found = []
    for index, (name, position) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(sql)
        body = sql[position:end]
        refs = REF.findall(body)
        # Other Jinja expressions are not SQL (`| join(', ')` is a filter).
        sql_only = re.sub(r"\{\{(?!\s*ref\().*?\}\}", "", body, flags=re.S)
        if refs and (len(refs) > 1 or re.search(r"\bjoin\b", sql_only, re.I)):
            found.append(name)
    return found


def test_every_ref_sits_in_an_import_cte():
    offenders = {
        str(path.relative_to(MODELS)): names
        for path in sorted(MODELS.rglob("*.sql"))
        if (names := refs_outside_import_ctes(path.read_text()))
    }
    assert offenders == {}


def test_the_check_finds_a_ref_joined_in_a_logic_cte():
    sql = """
with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

joined as (

    select orders.*, customers.name
    from orders
    inner join {{ ref('stg_shop__customers') }} as customers
        on orders.customer_id = customers.customer_id

)

select * from joined
"""
    assert refs_outside_import_ctes(sql) == ["joined"]
    assert refs_outside_import_ctes(sql.replace("inner join {{ ref(", "--")) == []
