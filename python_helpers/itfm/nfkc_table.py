"""Writes `macros/nfkc_fold.sql`: Unicode NFKC compatibility folding for tag
keys, as SQL both engines run (neither DuckDB nor Spark has NFKC).

Run from the repository root: `.venv/bin/python -m itfm.nfkc_table`.
It uses this Python's `unicodedata` (its Unicode version is named in the
macro). Characters that fold to one character go through `translate`; the rest
(ligatures such as "ﬁ", squared units such as "㎏") through a list of
replacements. Folds to punctuation or spaces only are left out: a tag key turns
those into "_" either way.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

MACRO = Path(__file__).resolve().parents[2] / "macros" / "nfkc_fold.sql"


def foldings() -> list[tuple[str, str]]:
    """(character, its NFKC fold) wherever NFKC differs from NFC and the fold
    holds a letter, digit or symbol."""
    pairs = []
    for codepoint in range(sys.maxunicode + 1):
        char = chr(codepoint)
        if unicodedata.category(char) in ("Cs", "Co", "Cn"):
            continue
        folded = unicodedata.normalize("NFKC", char)
        if folded == unicodedata.normalize("NFC", char):
            continue
        if not any(c.isalnum() or unicodedata.category(c) == "So" for c in folded):
            continue
        pairs.append((char, folded))
    return pairs


def _duckdb(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _spark(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render() -> str:
    pairs = foldings()
    duck_map = ", ".join(f"{_duckdb(c)}: {_duckdb(f)}" for c, f in pairs)
    spark_map = ", ".join(f"{_spark(c)}, {_spark(f)}" for c, f in pairs)
    version = unicodedata.unidata_version
    return f"""{{#- Written by `python -m itfm.nfkc_table` (Unicode {version}):
    do not edit. -#}}
{{%- macro nfkc_fold(expression) -%}}
    {{{{ return(adapter.dispatch('nfkc_fold', 'itfm')(expression)) }}}}
{{%- endmacro -%}}

{{#- Unicode NFKC compatibility folding of letters, digits and symbols:
    fullwidth "ｔｅａｍ", mathematical "𝐭𝐞𝐚𝐦" and circled "ⓣⓔⓐⓜ" become
    "team", "ﬁ" becomes "fi" ({len(pairs)} characters, each looked up in a map).
    Text without a character above U+007F is returned as it is. Meant for
    distinct values (tag keys), not for every row. -#}}
{{%- macro default__nfkc_fold(expression) -%}}
    case when regexp_matches({{{{ expression }}}}, '[^\\x00-\\x7F]')
    then array_to_string(
        list_transform(
            string_split({{{{ expression }}}}, ''),
            lambda c: coalesce(map {{% raw %}}{{{duck_map}}}{{% endraw %}}[c], c)
        ),
        ''
    ) else {{{{ expression }}}} end
{{%- endmacro -%}}

{{%- macro spark__nfkc_fold(expression) -%}}
    case when {{{{ expression }}}} rlike '[^\\\\x00-\\\\x7F]'
    then array_join(
        transform(
            split({{{{ expression }}}}, ''),
            c -> coalesce(
                try_element_at(map({{% raw %}}{spark_map}{{% endraw %}}), c), c
            )
        ),
        ''
    ) else {{{{ expression }}}} end
{{%- endmacro -%}}
"""


def main() -> None:
    MACRO.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
