"""Replacing a delivery's slices: the guards, unchanged slices kept, the audit."""

from __future__ import annotations

import json
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

import duckdb

from itfm.errors import ItfmError, first_line
from itfm.load.plan import FilePlan
from itfm.load.sql import (
    DATE_ORDERS,
    _literal,
    _quote,
    _slice_keys,
)
from itfm.sources import (
    Source,
)

if TYPE_CHECKING:
    from itfm.load.loader import LoadResult

# A batch of Parquet files read in one statement (see SliceReplacement._stage).
BATCH_FILES = 16
BATCH_ROWS = 8_000_000
# The settings of a batch's statement, which DuckDB would otherwise run one file
# after the other, on one thread:
# - every row carries its file and row number (x_source_row, from the reader),
#   so the table's order is not needed (a CSV's numbering, row_number() over (),
#   needs it: only this statement goes without);
# - DuckDB turns a long IN list (the currency codes) into a join, whose build
#   sides made the union's files run in turn (4 one-row-group files: 11.0 s
#   with it, 6.0 s without, for about 9% more CPU).
BATCH_SETTINGS = {
    "preserve_insertion_order": "false",
    "disabled_optimizers": "in_clause",
}


@contextmanager
def _statement_settings(con, **settings: str):
    """Set DuckDB settings for the statements in the block; restore them after."""
    before = {
        name: str(con.execute(f"select current_setting('{name}')").fetchone()[0])
        for name in settings
    }
    for name, value in settings.items():
        con.execute(f"set {name} = {_literal(value)}")
    try:
        yield
    finally:
        # In an aborted transaction SET fails too: the caller rolls back.
        with suppress(duckdb.Error):
            for name, value in before.items():
                con.execute(f"set {name} = {_literal(value.lower())}")


class SliceReplacement:
    """The loader's slice replacement (a part of `Loader`).

    Every file's rows are written once, straight into the raw table, beside
    the rows they replace (`_stage`, all files of the load first). Then each
    delivery, oldest first: `new` (this load's id and the delivery's files)
    tells its rows apart, the rows staged for later deliveries are set aside
    (`_staged_later`), the guards compare new with old, and the old rows of
    every touched slice are deleted. The caller holds the load's one
    transaction, so a refused delivery leaves nothing written."""

    def _slices(self, source: Source, where: str) -> str:
        keys = ", ".join(_quote(k) for k in _slice_keys(source))
        return f"select distinct {keys} from raw.{source.table} where {where}"

    def _slice_label(self, source: Source) -> str:
        return " || '|' || ".join(
            f"coalesce(cast({_quote(k)} as varchar), '')" for k in _slice_keys(source)
        )

    def _guard_row_drop(self, source: Source) -> None:
        """Refuse a delivery that empties a slice (or shrinks it past the limit)."""
        rows = self.con.execute(
            "select slice_key, rows_before, rows_after from raw.load_slice_history "
            "where load_id = ? and source = ? and rows_before > 0 order by 1",
            [self.load_id, source.folder],
        ).fetchall()
        if self.allow_row_drop:
            return
        bad = []
        for key, before, after in rows:
            limit = before * (1 - self.max_row_drop_pct / 100)
            if after == 0 or after < limit:
                bad.append(f"{key} ({before:,} -> {after:,} rows)")
        if bad:
            shown = "; ".join(bad[:5]) + (
                f"; and {len(bad) - 5} more" if len(bad) > 5 else ""
            )
            raise ItfmError("ITFM-L009", f"{source.folder} slice(s) {shown}")

    def _staged_later(self, table: str, pending: list[str]) -> str:
        """The rows of `table` (a name or an alias) that this load staged for a
        later delivery (files `pending`)."""
        if not pending:
            return "false"
        paths = ", ".join(_literal(path) for path in pending)
        return (
            f"({table}.x_load_id = {_literal(self.load_id)} "
            f"and {table}.x_source_file in ({paths}))"
        )

    def _refuse_rows_of_another_feed(
        self, source: Source, new: str, pending: list[str]
    ) -> None:
        """A slice whose rows (every declared column, lineage aside) are those
        another feed already holds for the same billing account and period is the
        same export delivered twice under two names, perhaps a byte apart: it
        would double the period's cost, so the delivery is refused (ITFM-L014).
        Azure's actual and amortized feeds are two views of the same charges by
        design and are not compared."""
        if not source.cost_column or source.feeds or self.allow_same_rows_in_feeds:
            return
        table = f"raw.{source.table}"
        keys = [_quote(k) for k in source.slice_keys]
        other_feed = " and ".join(
            [f"s.{k} is not distinct from t.{k}" for k in keys]
            + ["s.x_feed is distinct from t.x_feed"]
        )
        in_other_feed = (
            f"exists (select 1 from _slices as s where {other_feed}) "
            f"and not {self._staged_later('t', pending)}"
        )
        if not self.con.execute(
            f"select exists (select 1 from {table} as t where {in_other_feed})"
        ).fetchone()[0]:
            return  # no other feed holds these accounts and periods
        content = ", ".join(_quote(c.name) for c in source.columns)
        fingerprint = (
            f"select x_feed, {', '.join(keys)}, count(*) as n, "
            f"sum(cast(hash({content}) as hugeint)) as h"
        )
        same = " and ".join(f"n.{k} is not distinct from o.{k}" for k in keys)
        rows = self.con.execute(
            f"select n.x_feed, o.x_feed, {', '.join(f'n.{k}' for k in keys)} from "
            f"({fingerprint} from {table} where {new} group by all) as n "
            f"join ({fingerprint} from {table} as t where {in_other_feed} "
            "group by all) as o "
            f"on {same} and n.x_feed is distinct from o.x_feed and n.n = o.n "
            "and n.h = o.h order by all"
        ).fetchall()
        if rows:
            new_feed, old_feed, *slice_key = rows[0]
            raise ItfmError(
                "ITFM-L014",
                f"feed {new_feed!r} delivers for {' | '.join(map(str, slice_key))} "
                f"exactly the rows feed {old_feed!r} holds"
                + (f" (and {len(rows) - 1} more slice(s))" if len(rows) > 1 else ""),
            )

    def _keep_unchanged_slices(
        self, source: Source, touched: str, new: str
    ) -> dict[str, int]:
        """Drop from the delivery the slices whose rows are already loaded as they are.

        A re-delivered file often repeats most of what it held (a telemetry file
        covering every day, a month-to-date export that gained a day). A slice
        whose rows (values, file and line; not the load id, load time or file
        hash) equal the loaded ones keeps the load that first brought it, so
        incremental models do not see it as new: the delivery's copy is deleted.
        Returns the rows kept per file."""
        con = self.con
        table = f"raw.{source.table}"
        old = f"{touched} and not ({new})"
        if not con.execute(
            f"select exists (select 1 from {table} where {old})"
        ).fetchone()[0]:
            return {}  # nothing loaded before in these slices: nothing to compare
        skip = {"x_load_id", "x_loaded_at", "x_file_hash"}
        described = con.execute(f"describe {table}").fetchall()
        columns = [_quote(row[0]) for row in described if row[0] not in skip]
        keys = [_quote(k) for k in _slice_keys(source)]
        fingerprint = (
            f"select {', '.join(keys)}, count(*) as n, "
            f"sum(cast(hash({', '.join(columns)}) as hugeint)) as h from {table}"
        )
        on = " and ".join(f"n.{k} is not distinct from o.{k}" for k in keys)
        con.execute(
            "create or replace temp table _unchanged as "
            f"select {', '.join(f'n.{k}' for k in keys)} from "
            f"({fingerprint} where {new} group by all) as n "
            f"join ({fingerprint} where {old} group by all) as o "
            f"on {on} and n.n = o.n and n.h = o.h"
        )
        if not con.execute("select count(*) from _unchanged").fetchone()[0]:
            return {}
        in_unchanged = " and ".join(
            f"{{t}}.{k} is not distinct from _unchanged.{k}" for k in keys
        )
        unchanged = f"exists (select 1 from _unchanged where {in_unchanged})"
        kept = dict(
            con.execute(
                f"select x_source_file, count(*) from {table} where {new} and "
                f"{unchanged.format(t=table)} group by 1"
            ).fetchall()
        )
        con.execute(f"delete from {table} where {new} and {unchanged.format(t=table)}")
        con.execute(f"delete from _slices where {unchanged.format(t='_slices')}")
        return kept

    def _load_delivery(
        self,
        source: Source,
        plans: list[FilePlan],
        result: LoadResult,
        audit_rows: list[list],
        pending: list[str],
    ) -> None:
        """Replace the delivery's slices with its files' rows (staged already).

        `pending`: the files this load staged for the deliveries after this
        one; their rows do not exist yet as far as this delivery is concerned."""
        con = self.con
        table = f"raw.{source.table}"
        paths = ", ".join(_literal(plan.rel) for plan in plans)
        new = f"x_load_id = {_literal(self.load_id)} and x_source_file in ({paths})"
        # Slices touched: those in the new files, and every slice the same paths
        # held before (a re-delivered file may no longer contain a period).
        con.execute(
            "create or replace temp table _slices as "
            f"{self._slices(source, f'x_source_file in ({paths})')}"
        )
        match = " and ".join(
            f"{table}.{_quote(k)} is not distinct from _slices.{_quote(k)}"
            for k in _slice_keys(source)
        )
        # The rows of the touched slices as they stand before this delivery.
        touched = (
            f"exists (select 1 from _slices where {match}) "
            f"and not {self._staged_later(table, pending)}"
        )
        kept = self._keep_unchanged_slices(source, touched, new)
        for row in audit_rows:
            rows = kept.get(row[2], 0)
            if rows:
                note = f"{rows:,} row(s) in unchanged slices kept as loaded"
                row[13] = f"{row[13]}; {note}" if row[13] else note
        self._record_slice_history(source, touched, new)
        self._guard_row_drop(source)
        self._refuse_rows_of_another_feed(source, new, pending)
        con.execute(f"delete from {table} where {touched} and not ({new})")
        con.executemany(
            "insert into raw.load_audit values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            audit_rows,
        )
        result.audit.extend(
            dict(zip(AUDIT_COLUMNS, row, strict=True)) for row in audit_rows
        )
        result.files_loaded += len(plans)

    def _stage(
        self, plans: list[FilePlan], result: LoadResult, progress
    ) -> dict[str, list]:
        """Write every file's readable rows into its raw table and its unreadable
        ones into the quarantine, before any slice is replaced (the caller then
        replaces the slices delivery by delivery, oldest first); returns each
        file's audit row by path.

        Parquet files of one source are written a batch at a time, in one
        statement. DuckDB reads a Parquet file's row groups in parallel, but a
        file of one row group (pyarrow writes up to a million rows in one, and
        so do many exporters) on one thread; a statement over several files
        keeps every thread busy. At `medium` (24 FOCUS files of one row group),
        a plain copy of the files took 23 to 25 s one statement per file and
        13 s in one statement. A CSV or JSON-lines file (read in parallel
        within the file) is a batch of its own: it is written before the next
        file is read, which replaces the temp tables its view reads."""
        audit: dict[str, list] = {}
        batch: list[tuple[FilePlan, str, int]] = []
        for plan in [*plans, None]:
            if batch and (plan is None or not self._joins_batch(plan, batch)):
                self._stage_batch(batch, result, audit)
                progress.show(result, len(audit))
                batch = []
            if plan is not None:
                view, rows_read = self._read_file(plan, f"_file_{len(batch)}")
                batch.append((plan, view, rows_read))
        return audit

    @staticmethod
    def _joins_batch(plan: FilePlan, batch: list[tuple[FilePlan, str, int]]) -> bool:
        first = batch[0][0]
        return (
            plan.file_format == "parquet"
            and first.file_format == "parquet"
            and plan.source is first.source
            and len(batch) < BATCH_FILES
            and sum(rows for _plan, _view, rows in batch) < BATCH_ROWS
        )

    def _stage_batch(
        self,
        batch: list[tuple[FilePlan, str, int]],
        result: LoadResult,
        audit: dict[str, list],
    ) -> None:
        """One batch's files into the raw table in one statement."""
        con = self.con
        plans = [plan for plan, _view, _rows in batch]
        source = plans[0].source
        table = f"raw.{source.table}"
        rows = " union all ".join(
            f"select * exclude (x_error, x_raw_content) from {view} "
            "where x_error is null"
            for _plan, view, _rows in batch
        )
        try:
            with _statement_settings(con, **BATCH_SETTINGS):
                con.execute(f"insert into {table} by name {rows}")
        except duckdb.OutOfMemoryException:
            raise
        except duckdb.Error as error:
            raise self._unreadable_batch(plans, error) from error
        # Each file's rows and slices, in one read of what the batch wrote.
        paths = [plan.rel for plan in plans]
        loaded: dict[str, int] = {}
        labels: dict[str, list[str]] = {}
        for path, label, count in con.execute(
            f"select x_source_file, {self._slice_label(source)}, count(*) "
            f"from {table} where x_load_id = ? and x_source_file in "
            f"({', '.join('?' * len(paths))}) group by 1, 2 order by 2",
            [self.load_id, *paths],
        ).fetchall():
            loaded[path] = loaded.get(path, 0) + count
            labels.setdefault(path, []).append(label)
        for plan, view, rows_read in batch:
            audit[plan.rel] = self._audit_row(
                plan, view, rows_read, loaded.get(plan.rel, 0), labels, result
            )
            con.execute(f"drop view {view}")

    @staticmethod
    def _unreadable_batch(plans: list[FilePlan], error: duckdb.Error) -> ItfmError:
        """ITFM-L006 for a batch DuckDB could not read, naming the file that
        fails when read alone (in a connection of its own: the load's
        transaction is aborted), else the batch's files."""
        for plan in plans:
            scratch = duckdb.connect()
            try:
                scratch.execute(
                    "select sum(hash(columns(*))) from read_parquet(?)",
                    [str(plan.path)],
                ).fetchall()
            except duckdb.Error as alone:
                return ItfmError("ITFM-L006", first_line(alone), plan.rel)
            finally:
                scratch.close()
        message = first_line(error)
        if len(plans) > 1:
            shown = ", ".join(plan.rel for plan in plans[1:4])
            more = ", ..." if len(plans) > 4 else ""
            message += (
                f" (read in one statement with {len(plans) - 1} other "
                f"file(s): {shown}{more})"
            )
        return ItfmError("ITFM-L006", message, plans[0].rel)

    def _audit_row(
        self,
        plan: FilePlan,
        view: str,
        rows_read: int,
        loaded: int,
        labels: dict[str, list[str]],
        result: LoadResult,
    ) -> list:
        """Quarantine the file's rows that failed a check; return its audit row."""
        if loaded < rows_read:
            self._quarantine_checked_rows(plan, view)
        quarantined = self.con.execute(
            "select count(*) from raw.load_quarantine where load_id = ? "
            "and file_path = ?",
            [self.load_id, plan.rel],
        ).fetchone()[0]
        slices = labels.get(plan.rel, [])
        complete = loaded + quarantined == rows_read
        result.rows_read += rows_read
        result.rows_loaded += loaded
        result.rows_quarantined += quarantined
        return [
            self.load_id,
            plan.source.folder,
            plan.rel,
            plan.file_hash,
            plan.size,
            plan.file_format,
            plan.focus_version,
            json.dumps(slices[:50] + (["..."] if len(slices) > 50 else [])),
            rows_read,
            loaded,
            quarantined,
            "loaded" if complete else "incomplete",
            None if complete else "ITFM-L006",
            _file_notes(plan),
            self.loaded_at,
        ]

    def _quarantine_checked_rows(self, plan: FilePlan, view: str) -> None:
        """The file's rows that failed a check, into the quarantine with their
        reasons. Only a file with rows left over is read this second time: a
        clean file's rows are parsed and checked once."""
        self.con.execute(
            "insert into raw.load_quarantine select ?, ?, ?, x_source_row, "
            "x_source_line, split_part(x_error, ' ', 1), x_error, "
            f"x_raw_content, ? from {view} where x_error is not null",
            [self.load_id, plan.source.folder, plan.rel, self.loaded_at],
        )

    def _record_slice_history(self, source: Source, touched: str, new: str) -> None:
        """Rows and cost of every touched slice, before and after
        (raw.load_slice_history)."""
        table = f"raw.{source.table}"
        label = self._slice_label(source)

        def cost(rows: str) -> str:
            if not source.cost_column:
                return "cast(null as decimal)"
            return (
                f"coalesce(sum({_quote(source.cost_column)}) filter (where {rows}), 0)"
            )

        self.con.execute(
            "insert into raw.load_slice_history "
            "select ?, ?, label, sum(before_rows), sum(after_rows), "
            "sum(before_cost), sum(after_cost), ? from ("
            f"  select {label} as label, count(*) filter (where not ({new})) "
            f"    as before_rows, count(*) filter (where {new}) as after_rows,"
            f"    {cost(f'not ({new})')} as before_cost,"
            f"    {cost(new)} as after_cost from {table}"
            f"  where {touched} group by 1"
            ") group by label",
            [self.load_id, source.folder, self.loaded_at],
        )


AUDIT_COLUMNS = [
    "load_id",
    "source",
    "file_path",
    "file_hash",
    "file_size_bytes",
    "file_format",
    "focus_version",
    "slices",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "status",
    "error_code",
    "message",
    "loaded_at",
]


def _file_notes(plan: FilePlan) -> str | None:
    """What the audit says about how a file was read, beyond its counts."""
    notes = (
        f"{len(plan.extras)} extra column(s) kept in x_extra_columns"
        if plan.extras
        else None,
        "control characters (NUL ...) removed from values"
        if plan.has_control_characters
        else None,
        "mixed line endings (CRLF, LF, CR) read as one"
        if plan.read_path != plan.path
        else None,
        f"slash dates read {plan.date_note}"
        if plan.date_order in DATE_ORDERS and plan.date_note
        else plan.date_note,
    )
    return "; ".join(note for note in notes if note) or None
