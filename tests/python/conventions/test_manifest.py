"""House conventions checked on dbt's manifest (dbt-checkpoint style)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def manifest(warehouse) -> dict:
    path = Path(warehouse["database"]).parent / "dbt_target" / "manifest.json"
    return json.loads(path.read_text())


def _models(manifest):
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_models_are_named_for_their_layer(manifest):
    prefixes = {"staging": "stg_", "intermediate": "int_", "marts": ("fct_", "dim_")}
    for node in _models(manifest):
        layer = node["path"].split("/")[0]
        assert node["name"].startswith(prefixes[layer]), node["path"]
        if layer == "staging":
            assert "__" in node["name"], node["name"]


def test_every_model_states_its_grain(manifest):
    for node in _models(manifest):
        assert node["description"].strip().startswith("One row per"), node["name"]


def test_marts_enforce_contracts(manifest):
    for node in _models(manifest):
        if node["path"].startswith("marts/"):
            assert node["config"]["contract"]["enforced"], node["name"]
            assert all(c.get("data_type") for c in node["columns"].values())


def test_only_staging_reads_sources(manifest):
    for node in _models(manifest):
        if node["depends_on"]["nodes"] and not node["path"].startswith("staging/"):
            assert not any(
                dep.startswith("source.") for dep in node["depends_on"]["nodes"]
            ), node["name"]


def test_macro_files_are_named_after_their_macro():
    macros = Path(__file__).resolve().parents[3] / "macros"
    for path in macros.glob("*.sql"):
        text = path.read_text()
        assert f"macro {path.stem}(" in text, path.name
