"""The same models run on DuckDB and Spark (DEVELOPERS.md, principle 7): a model
or data test calls no function of DuckDB's own, and casts to no type Spark does
not know, outside an `adapter.dispatch` macro (macros/, with `default__` and
`spark__` variants). Jinja is left out of the scan: a macro call is the way."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCANNED = [ROOT / "models", ROOT / "tests" / "dbt", ROOT / "analyses"]
# Functions DuckDB has and Spark lacks or reads otherwise (a name Spark knows
# with other arguments or meaning is here too: regexp_matches, hash, date_diff).
NAMES = """
    arg_min arg_max struct_pack struct_extract regexp_matches regexp_full_match
    map_from_entries map_keys map_values list list_value list_transform
    list_filter list_distinct list_sort list_aggregate list_reduce list_concat
    list_contains list_slice len array_length unnest json json_valid json_type
    json_keys json_extract json_extract_string json_transform json_structure
    strftime strptime try_strptime string_split regexp_split_to_array epoch
    epoch_ms nfc_normalize hash date_diff generate_series range quantile_cont
    quantile_disc string_agg bool_and bool_or ifnull
"""
DUCKDB_ONLY = NAMES.split()
CALL = re.compile(r"\b(" + "|".join(DUCKDB_ONLY) + r")\s*\(", re.I)
# Spark knows no varchar without a length, and `x::type` is DuckDB's.
TYPES = re.compile(r"\bas\s+(varchar|text|bpchar|hugeint|ubigint)\b\s*(?!\()|::", re.I)


def _without_config(text: str) -> str:
    """The text without its `{{ config(...) }}` blocks (which may hold Jinja
    of their own, such as a post_hook)."""
    while (start := text.find("{{ config(")) >= 0:
        depth, at = 0, start + len("{{ config")
        for at in range(start + len("{{ config"), len(text)):  # noqa: B007
            depth += {"(": 1, ")": -1}.get(text[at], 0)
            if depth == 0:
                break
        end = text.find("}}", at)
        text = text[:start] + text[end + 2 :]
    return text


def _sql_only(text: str) -> str:
    text = _without_config(text)
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", "", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", "", text, flags=re.S)
    text = re.sub(r"--[^\n]*", "", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


# A double-quoted name is an identifier to DuckDB and a string to Spark: a
# column read as '"BillingAccountId"' would be the text BillingAccountId on
# every row there. Plain names (both engines ignore case) or adapter.quote().
QUOTED = re.compile(r'"')
QUOTED_IN_JINJA = re.compile(r"""'"[A-Za-z_][A-Za-z0-9_ ]*"'""")


def engine_specific(text: str) -> list[str]:
    sql = _sql_only(text)
    jinja = " ".join(re.findall(r"\{\{.*?\}\}", text, flags=re.S))
    return sorted(
        {m.group(1).lower() for m in CALL.finditer(sql)}
        | {m.group(0).strip() for m in TYPES.finditer(sql)}
        | {"double-quoted name" for _ in QUOTED.finditer(sql)}
        | {"double-quoted name" for _ in QUOTED_IN_JINJA.finditer(jinja)}
    )


def test_no_model_or_test_calls_a_duckdb_only_function_outside_a_macro():
    offenders = {}
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.sql")):
            if found := engine_specific(path.read_text()):
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_check_finds_duckdb_sql_and_leaves_macros_and_comments_alone():
    sql = """
    {#- arg_min(x, y) in a comment -#}
    -- regexp_matches(a, 'b') in a comment
    select
        arg_min(team, priority) as team,
        cast(x as varchar) as y,
        z::date as d,
        {{ matches_pattern('name', "'^a'") }} as m,
        'list(1)' as literal,
        cast(v as varchar(16)) as sized,
        {{ dbt.concat(["'|'", "billing_month"]) }} as key
    from t
    """
    assert engine_specific(sql) == ["::", "arg_min", "as varchar"]
    assert engine_specific('select "BilledCost" from t') == ["double-quoted name"]
    assert engine_specific("""{{ clean_string('"SkuId"') }}""") == [
        "double-quoted name"
    ]
