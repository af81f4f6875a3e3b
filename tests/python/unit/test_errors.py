"""The error catalogue is complete and documented."""

from __future__ import annotations

import re
from pathlib import Path

from itfm.errors import CATALOGUE, ItfmError, catalogue_markdown

ROOT = Path(__file__).resolve().parents[3]


def test_every_code_used_in_the_code_is_in_the_catalogue():
    used = set()
    sources = [*(ROOT / "python_helpers" / "itfm").glob("*.py")]
    sources += [*(ROOT / "macros").glob("*.sql")]
    for path in sources:
        used |= set(re.findall(r"ITFM-[A-Z]\d{3}", path.read_text()))
    assert "ITFM-B005" in used  # the macros were read
    assert used <= set(CATALOGUE)


def test_the_docs_list_the_catalogue():
    errors = (ROOT / "docs" / "errors.md").read_text()
    assert catalogue_markdown() in errors


def test_an_error_says_what_where_and_what_to_do():
    text = str(ItfmError("ITFM-L001", "the file has 0 bytes", "focus/x.csv"))
    assert text.startswith("ITFM-L001 Empty file: the file has 0 bytes")
    assert "file: focus/x.csv" in text and "what to do:" in text


def test_each_code_is_catalogued_once():
    """A code entered twice would silently show the other entry's advice."""
    source = (ROOT / "python_helpers" / "itfm" / "errors.py").read_text()
    entries = re.findall(r'CatalogueEntry\(\s*"(ITFM-[A-Z]\d{3})"', source)
    assert len(entries) == len(set(entries)) == len(CATALOGUE)


def test_a_failed_dbt_command_is_shown_without_its_vars():
    from itfm.project import shown_args

    args = ["build", "--select", "x", "--vars", '{"raw_parquet_tables": {}}']
    assert shown_args(args) == "build --select x"
    assert shown_args(["build"]) == "build"
    assert shown_args([]) == ""
