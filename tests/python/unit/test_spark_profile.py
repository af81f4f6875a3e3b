"""itfm.spark_profile charges each Spark task to the dbt node whose time window
holds its launch, and sums the work per node."""

from __future__ import annotations

import json

from itfm.spark_profile import OUTSIDE, profile, report

BASE = 1_796_000_000_000  # ms


def _iso(ms: int) -> str:
    import datetime as dt

    return (
        dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat().replace("+00:00", "Z")
    )


def _task(launch: int, run_ms: int, shuffle: int, read: int, stage: int) -> dict:
    return {
        "Event": "SparkListenerTaskEnd",
        "Stage ID": stage,
        "Task Info": {"Launch Time": launch},
        "Task Metrics": {
            "Executor Run Time": run_ms,
            "Input Metrics": {"Bytes Read": read, "Records Read": 10},
            "Shuffle Write Metrics": {"Shuffle Bytes Written": shuffle},
            "Disk Bytes Spilled": 0,
            "Output Metrics": {"Bytes Written": 100, "Records Written": 5},
        },
    }


def _write(tmp_path):
    results = {
        "results": [
            {
                "unique_id": "model.itfm.fct_a",
                "timing": [
                    {
                        "name": "compile",
                        "started_at": _iso(BASE),
                        "completed_at": _iso(BASE + 1000),
                    },
                    {
                        "name": "execute",
                        "started_at": _iso(BASE + 1000),
                        "completed_at": _iso(BASE + 5000),
                    },
                ],
            },
            {
                "unique_id": "test.itfm.not_null_fct_a_id",
                "timing": [
                    {
                        "name": "execute",
                        "started_at": _iso(BASE + 6000),
                        "completed_at": _iso(BASE + 7000),
                    },
                ],
            },
            {"unique_id": "model.itfm.skipped", "timing": []},
        ]
    }
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps(results))
    events = [
        {"Event": "SparkListenerLogStart"},
        {
            "Event": "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",
            "time": BASE + 500,
        },
        _task(BASE + 500, 2000, 300, 1000, 1),  # in fct_a's compile (a step table)
        _task(BASE + 4000, 1500, 200, 0, 2),
        _task(BASE + 5500, 700, 0, 50, 3),  # between nodes
        _task(BASE + 6500, 250, 0, 10, 4),
    ]
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "local-1").write_text("\n".join(json.dumps(e) for e in events) + "\n")
    (folder / ".local-1.crc").write_text("not json")
    return folder, run_results


def test_tasks_are_charged_to_the_node_running_then(tmp_path):
    folder, run_results = _write(tmp_path)
    nodes = {w.node: w for w in profile(folder, run_results)}
    a = nodes["model.itfm.fct_a"]
    assert (a.tasks, a.task_s, a.shuffle_write_bytes, a.input_rows) == (
        2,
        3.5,
        500,
        20,
    )
    assert a.sql_executions == 1 and a.wall_s == 5.0 and a.stages == {1, 2}
    assert nodes["test.itfm.not_null_fct_a_id"].task_s == 0.25
    assert nodes[OUTSIDE].task_s == 0.7
    assert "model.itfm.skipped" not in nodes
    # Every task is charged once: the totals are the log's.
    assert sum(w.task_s for w in nodes.values()) == 4.45


def test_report_names_the_heaviest_node_first_and_scales_per_line_item(tmp_path):
    folder, run_results = _write(tmp_path)
    text = report(profile(folder, run_results), line_items=500_000)
    lines = text.splitlines()
    assert lines[1].startswith("fct_a ")
    assert "total (3 nodes)" in text
    assert "per million line items (500,000): 9 task s" in text
