"""SQL text helpers of the loader: quoting, null tokens, date layouts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from itfm.load.plan import FilePlan
    from itfm.sources import Source

# Text read as "no value". NaN and Infinity are not among them: in any numeric
# column (money or a telemetry double) they are quarantined (ITFM-Q002), one rule.
NULL_TOKENS = ("", "null", "NULL", "Null", "None", "N/A")
# Non-ISO date layouts, chosen by shape so that "5/1/25" is never read as 0005-01-25.
# Slash dates with the year last are written month-first (MDY, as Azure's cost
# details are) or day-first (DMY); "%m" and "%d" swap places for DMY.
SLASH_LAYOUTS = [
    (r"^\d{1,2}/\d{1,2}/\d{2}$", "%m/%d/%y"),
    (r"^\d{1,2}/\d{1,2}/\d{2} \d{1,2}:\d{2}(:\d{2})?$", "%m/%d/%y %H:%M"),
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "%m/%d/%Y"),
    (r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$", "%m/%d/%Y %H:%M:%S"),
]
YEAR_FIRST_LAYOUTS = [(r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d")]
DATE_ORDERS = {"MDY": "month-first", "DMY": "day-first"}
# The day/month fields of a slash date with the year last.
SLASH_FIELDS = r"^(\d{1,2})/(\d{1,2})/\d{2}(\d{2})?( |$)"


def _layouts(text: str, layouts: list[tuple[str, str]], order: str = "MDY") -> str:
    """CASE branches reading `text` in the first layout whose shape it has."""
    branches = []
    for pattern, layout in layouts:
        if order == "DMY":
            layout = layout.replace("%m/%d", "%d/%m")
        branches.append(
            f"when regexp_matches({text}, {_literal(pattern)}) "
            f"then try_strptime({text}, {_literal(layout)})"
        )
    return " ".join(branches)


def _slash_fields(text: str) -> tuple[str, str]:
    """The first and second number of a slash date with the year last."""
    return tuple(
        f"try_cast(nullif(regexp_extract({text}, {_literal(SLASH_FIELDS)}, {group}), "
        "'') as integer)"
        for group in (1, 2)
    )


def _slash_dates(text: str, date_order: str | None) -> str:
    """CASE branches for slash dates with the year last. In a known order (MDY
    or DMY) every such date is read in it. Otherwise a date reads only the one
    way it can: `13/06/2026` day-first, `06/13/2026` month-first, `06/06/2026`
    either way; `05/06/2026` stays unread (ITFM-Q013, see `_ambiguous_date`).
    In a file that writes both (CONFLICT) only dates that read the same either
    way are read."""
    if date_order in DATE_ORDERS:
        return _layouts(text, SLASH_LAYOUTS, date_order)
    first, second = _slash_fields(text)
    month_first = f"case {_layouts(text, SLASH_LAYOUTS, 'MDY')} end"
    day_first = f"case {_layouts(text, SLASH_LAYOUTS, 'DMY')} end"
    branches = [f"when {first} = {second} then {month_first}"]
    if date_order is None:
        branches += [
            f"when {first} > 12 then {day_first}",
            f"when {second} > 12 then {month_first}",
        ]
    return " ".join(branches)


def _ambiguous_date(text: str, date_order: str | None) -> str | None:
    """SQL: `text` is a slash date that the file's order cannot settle."""
    if date_order in DATE_ORDERS:
        return None
    first, second = _slash_fields(text)
    if date_order is None:
        return f"({first} <= 12 and {second} <= 12 and {first} != {second})"
    return f"({first} != {second})"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: object) -> str:
    if value is None:
        return "null"
    return "'" + str(value).replace("'", "''") + "'"


def _key(name: str) -> str:
    """Header matching key: case, spaces, underscores, dashes and slashes do
    not matter (the legacy CUR's `lineItem/UnblendedCost` is CUR 2.0's
    `line_item_unblended_cost`)."""
    return re.sub(r"[\s_\-\ufeff/]", "", name).lower()


def _non_empty_json_object(pairs: list[tuple[str, str]]) -> str:
    """SQL: a JSON object of (key, expression) pairs whose values are not null
    or blank, as text; null when none is."""
    entries = ", ".join(
        f"struct_pack(k := {_literal(key)}, v := cast({expression} as varchar))"
        for key, expression in pairs
    )
    return (
        "nullif(cast(to_json(map_from_entries(list_filter("
        f"[{entries}], lambda e: nullif(trim(e.v), '') is not null"
        "))) as varchar), '{}')"
    )


def _without_control(plan: FilePlan, column: str) -> str:
    """A text file column, with NUL and other control characters removed when
    the file has any (they are invisible, and break comparisons and exports)."""
    if not plan.has_control_characters or plan.columns.get(column) != "VARCHAR":
        return _quote(column)
    return (
        f"regexp_replace({_quote(column)}, "
        r"'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', '', 'g')"
    )


def _slice_keys(source: Source) -> tuple[str, ...]:
    """A feed (the first subfolder under the source folder) restates its own slices."""
    return ("x_feed", *source.slice_keys)


def _feed(rel: str) -> str:
    """`focus/aws/2026-05/part.parquet` -> `aws`; a file directly in focus/ -> ''."""
    parts = Path(rel).parts
    return parts[1] if len(parts) > 2 else ""
