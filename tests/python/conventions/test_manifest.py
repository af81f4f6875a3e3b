"""House conventions checked on dbt's manifest (dbt-checkpoint style)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def manifest(warehouse) -> dict:
    path = Path(warehouse["database"]).parent / "dbt_target" / "manifest.json"
    return json.loads(path.read_text())


def _models(manifest):
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


# The layers, in the one direction they read: a model refs its own layer or an
# earlier one. core holds the line-level tables (the billing fact, attribution,
# the allocated fact) and their helpers; marts the aggregates people read;
# reports what is built on marts (the KPI values and the scorecard).
LAYERS = ("staging", "core", "marts", "reports")
PREFIXES = {
    "staging": ("stg_",),
    "core": ("int_", "fct_"),
    "marts": ("fct_", "dim_"),
    "reports": ("rpt_", "fct_"),
}


def _layer(node) -> str:
    return node["path"].split("/")[0]


def backward_refs(manifest) -> list[str]:
    """Every ref from a model to a model of a later layer, as 'a -> b'."""
    nodes = manifest["nodes"]
    found = []
    for node in _models(manifest):
        for dep in node["depends_on"]["nodes"]:
            target = nodes.get(dep)
            if target is None or target["resource_type"] != "model":
                continue
            if LAYERS.index(_layer(target)) > LAYERS.index(_layer(node)):
                found.append(
                    f"{_layer(node)}/{node['name']} -> "
                    f"{_layer(target)}/{target['name']}"
                )
    return sorted(found)


def test_models_are_named_for_their_layer(manifest):
    for node in _models(manifest):
        layer = _layer(node)
        assert layer in LAYERS, node["path"]
        assert node["name"].startswith(PREFIXES[layer]), node["path"]
        if layer == "staging":
            assert "__" in node["name"], node["name"]


def test_layers_read_one_way(manifest):
    assert backward_refs(manifest) == []


def test_the_direction_check_finds_a_ref_to_a_later_layer():
    def model(name, path, deps=()):
        return {
            "resource_type": "model",
            "name": name,
            "path": path,
            "depends_on": {"nodes": [f"model.itfm.{d}" for d in deps]},
        }

    nodes = [
        model("stg_a__b", "staging/a/stg_a__b.sql"),
        model("int_x", "core/x/int_x.sql", ["stg_a__b", "fct_m"]),
        model("fct_m", "marts/m/fct_m.sql", ["int_x"]),
        model("fct_r", "reports/fct_r.sql", ["fct_m"]),
    ]
    fake = {"nodes": {f"model.itfm.{n['name']}": n for n in nodes}}
    assert backward_refs(fake) == ["core/int_x -> marts/fct_m"]


def test_every_model_states_its_grain(manifest):
    for node in _models(manifest):
        assert node["description"].strip().startswith("One row per"), node["name"]


def test_marts_enforce_contracts(manifest):
    for node in _models(manifest):
        if node["name"].startswith(("fct_", "dim_")):
            assert node["config"]["contract"]["enforced"], node["name"]
            assert all(c.get("data_type") for c in node["columns"].values())


def test_every_not_null_constraint_is_also_a_test(manifest):
    """On Spark's Parquet tables a not_null constraint cannot be enforced (see
    macros/spark__alter_column_set_constraints.sql): its not_null data test,
    which runs on both engines, is what holds it."""
    tested = {
        (n["attached_node"], n["column_name"])
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test"
        and n.get("test_metadata", {}).get("name") == "not_null"
    }
    missing = [
        f"{node['name']}.{name}"
        for node in _models(manifest)
        for name, column in node["columns"].items()
        if any(c["type"] == "not_null" for c in column.get("constraints", []))
        and (node["unique_id"], name) not in tested
    ]
    assert missing == []


def test_only_staging_reads_sources(manifest):
    for node in _models(manifest):
        if node["depends_on"]["nodes"] and not node["path"].startswith("staging/"):
            assert not any(
                dep.startswith("source.") for dep in node["depends_on"]["nodes"]
            ), node["name"]


def test_macro_files_are_named_after_their_macro():
    """A materialization is named as the macro dbt makes of it:
    materialization_<name>_<adapter>."""
    macros = Path(__file__).resolve().parents[3] / "macros"
    for path in macros.glob("*.sql"):
        text = path.read_text()
        materialization = re.search(r"materialization (\w+), adapter='(\w+)'", text)
        if materialization:
            name, adapter = materialization.groups()
            assert path.stem == f"materialization_{name}_{adapter}", path.name
        else:
            assert f"macro {path.stem}(" in text, path.name


def test_the_semantic_layer_declares_cost_metrics(warehouse):
    """Semantic models over the marts, with metrics BI tools can query through
    MetricFlow; dbt validates them when it parses the project."""
    path = Path(warehouse["database"]).parent / "dbt_target" / "semantic_manifest.json"
    semantic = json.loads(path.read_text())
    models = {m["name"]: m for m in semantic["semantic_models"]}
    assert {"cost_daily_by_owner", "unmapped_cost_monthly"} <= set(models)
    measures = {
        measure["name"] for model in models.values() for measure in model["measures"]
    }
    metrics = {m["name"]: m for m in semantic["metrics"]}
    assert {"effective_cost", "billed_cost", "unmapped_cost_share"} <= set(metrics)
    for metric in metrics.values():
        params = metric["type_params"]
        if metric["type"] == "simple":
            assert params["measure"]["name"] in measures, metric["name"]
        if metric["type"] == "ratio":
            assert params["numerator"]["name"] in metrics, metric["name"]
            assert params["denominator"]["name"] in metrics, metric["name"]


# One convention for percentages (docs/marts.md, "Percentages and ratios"): a
# column ending _pct holds a percentage, 0-100 (5.0 is 5%); a fraction (0.05 is
# 5%) ends _ratio or _share. Each says so in its description.
PERCENT_SUFFIXES = ("_pct", "_percent")
FRACTION_SUFFIXES = ("_ratio", "_share")


def scale_misdescribed(nodes) -> list[str]:
    """Columns whose name's scale is not the one their description states."""
    found = []
    for node in nodes:
        for name, column in node["columns"].items():
            text = column.get("description", "")
            if name.endswith(PERCENT_SUFFIXES) and "0-100" not in text:
                found.append(f"{node['name']}.{name}: a percentage says 0-100")
            if name.endswith(FRACTION_SUFFIXES) and "fraction" not in text:
                found.append(f"{node['name']}.{name}: a fraction says fraction")
    return sorted(found)


def test_percentages_and_fractions_say_their_scale(manifest):
    nodes = [
        n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")
    ]
    assert scale_misdescribed(nodes) == []


def test_the_scale_check_finds_a_fraction_named_pct():
    node = {"name": "fct_x", "columns": {"variance_pct": {"description": "A / B."}}}
    assert scale_misdescribed([node]) == ["fct_x.variance_pct: a percentage says 0-100"]


def test_percentage_columns_hold_percentages(con, manifest):
    """A _pct column holding fractions would stay under 1 in every row: on the
    ci data each _pct column of a mart that has a nonzero value has one above 1
    (they are coverage, idle and unmapped shares of several percent)."""
    for node in _models(manifest):
        if _layer(node) not in ("marts", "reports"):
            continue
        for name in node["columns"]:
            if not name.endswith(PERCENT_SUFFIXES):
                continue
            biggest = con.execute(
                f"select max(abs({name})) from main.{node['name']}"
            ).fetchone()[0]
            if biggest:
                assert biggest > 1, f"{node['name']}.{name} max {biggest}"
