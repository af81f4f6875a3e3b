"""Where a Spark build spends its work, per dbt node: `itfm spark-profile`.

A Spark build run with `ITFM_SPARK_EVENT_LOG=<folder>` writes Spark's event log
(one JSON event a line) there. dbt runs the Spark target on one thread, so every
task Spark launches falls inside the time window of exactly one dbt node (from
its compile, where the allocation writes its step tables, to the end of its
execution; `target/run_results.json`). Summed per node, over every task:

* task seconds (executor run time: the core-seconds a cluster must supply);
* rows read from tables (Spark's input records; its input bytes are not
  counted for every local read), shuffle bytes written (what crosses the
  network on a cluster), bytes spilled to disk, output bytes written;
* the node's wall time and the number of SQL executions it ran.

Tasks launched outside every node (the start-up, the raw tables' registration)
are shown as `(outside any node)`. docs/spark.md turns the `1m` figures into a
cluster plan.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

OUTSIDE = "(outside any node)"
SQL_START = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart"


@dataclass
class NodeWork:
    node: str
    wall_s: float = 0.0
    sql_executions: int = 0
    tasks: int = 0
    task_s: float = 0.0
    input_rows: int = 0
    shuffle_write_bytes: int = 0
    spill_bytes: int = 0
    output_bytes: int = 0
    output_records: int = 0
    stages: set = field(default_factory=set)


def _millis(text: str) -> int:
    stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return int(stamp.timestamp() * 1000)


def node_windows(run_results: Path) -> list[tuple[int, int, str, float]]:
    """(start ms, end ms, unique_id, wall s) per node, in time order."""
    windows = []
    for result in json.loads(run_results.read_text())["results"]:
        timing = result.get("timing") or []
        if not timing:
            continue
        start = min(_millis(t["started_at"]) for t in timing)
        end = max(_millis(t["completed_at"]) for t in timing)
        windows.append((start, end, result["unique_id"], end - start))
    return sorted(windows)


def event_files(event_log: Path) -> list[Path]:
    """The event log files of a folder (or the one file given)."""
    if event_log.is_file():
        return [event_log]
    return sorted(p for p in event_log.rglob("*") if p.is_file() and _is_log(p))


def _is_log(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix in ("", ".inprogress")


def profile(event_log: Path, run_results: Path) -> list[NodeWork]:
    """Per node (and OUTSIDE), the work of the tasks launched in its window,
    the most task seconds first."""
    windows = node_windows(run_results)
    starts = [w[0] for w in windows]
    work = {w[2]: NodeWork(w[2], wall_s=w[3] / 1000) for w in windows}
    work[OUTSIDE] = NodeWork(OUTSIDE)

    def owner(millis: int) -> NodeWork:
        at = bisect_right(starts, millis) - 1
        if at >= 0 and millis <= windows[at][1]:
            return work[windows[at][2]]
        return work[OUTSIDE]

    for path in event_files(event_log):
        with path.open() as lines:
            for line in lines:
                event = json.loads(line)
                kind = event.get("Event")
                if kind == SQL_START:
                    owner(event["time"]).sql_executions += 1
                elif kind == "SparkListenerTaskEnd":
                    _add_task(owner(event["Task Info"]["Launch Time"]), event)
    return sorted(
        (w for w in work.values() if w.tasks or w.sql_executions),
        key=lambda w: -w.task_s,
    )


def _add_task(node: NodeWork, event: dict) -> None:
    metrics = event.get("Task Metrics") or {}
    node.tasks += 1
    node.stages.add(event["Stage ID"])
    node.task_s += metrics.get("Executor Run Time", 0) / 1000
    node.input_rows += metrics.get("Input Metrics", {}).get("Records Read", 0)
    shuffle = metrics.get("Shuffle Write Metrics", {})
    node.shuffle_write_bytes += shuffle.get("Shuffle Bytes Written", 0)
    node.spill_bytes += metrics.get("Disk Bytes Spilled", 0)
    output = metrics.get("Output Metrics", {})
    node.output_bytes += output.get("Bytes Written", 0)
    node.output_records += output.get("Records Written", 0)


def _mb(count: int) -> str:
    return f"{count / 1e6:,.1f}"


def report(nodes: list[NodeWork], top: int = 20, line_items: int | None = None) -> str:
    """The `top` nodes by task seconds and the totals (per million line items
    too when their count is given)."""
    header = (
        f"{'node':<52}{'wall s':>8}{'task s':>8}{'sql':>5}{'rows in M':>10}"
        f"{'shuffle MB':>11}{'spill MB':>9}{'output MB':>10}"
    )
    lines = [header]
    for w in nodes[:top]:
        name = w.node.removeprefix("model.itfm.")
        lines.append(
            f"{name[:51]:<52}{w.wall_s:>8.1f}{w.task_s:>8.1f}{w.sql_executions:>5}"
            f"{_mb(w.input_rows):>10}{_mb(w.shuffle_write_bytes):>11}"
            f"{_mb(w.spill_bytes):>9}{_mb(w.output_bytes):>10}"
        )
    total = NodeWork("total")
    for w in nodes:
        total.wall_s += w.wall_s
        total.task_s += w.task_s
        total.sql_executions += w.sql_executions
        total.input_rows += w.input_rows
        total.shuffle_write_bytes += w.shuffle_write_bytes
        total.spill_bytes += w.spill_bytes
        total.output_bytes += w.output_bytes
    lines.append(
        f"{f'total ({len(nodes)} nodes)':<52}{total.wall_s:>8.1f}"
        f"{total.task_s:>8.1f}{total.sql_executions:>5}"
        f"{_mb(total.input_rows):>10}{_mb(total.shuffle_write_bytes):>11}"
        f"{_mb(total.spill_bytes):>9}{_mb(total.output_bytes):>10}"
    )
    if line_items:
        per = 1e6 / line_items
        lines.append(
            f"per million line items ({line_items:,}): {total.task_s * per:,.0f} "
            f"task s, {total.shuffle_write_bytes * per / 1e6:,.0f} MB shuffled, "
            f"{total.input_rows * per / 1e6:,.1f} M rows read"
        )
    return "\n".join(lines)
