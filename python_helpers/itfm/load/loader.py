"""The loader: discovery, deliveries, one run."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from itfm import reference_rates
from itfm.errors import ItfmError, ItfmErrors
from itfm.load.files import (
    _file_format,
    _read_manifest,
    file_sha256,
    holds_no_rows,
)
from itfm.load.parse import FileReader
from itfm.load.plan import FilePlan, Preflight
from itfm.load.slices import SliceReplacement
from itfm.load.sql import (
    _feed,
    _quote,
)
from itfm.sources import (
    DEFAULT_MAX_ROW_DROP_PCT,
    LOGICAL_TYPES,
    SOURCES,
    Source,
)

LINEAGE_COLUMNS = [
    ("x_source", "varchar"),
    ("x_feed", "varchar"),
    ("x_source_file", "varchar"),
    ("x_source_row", "bigint"),
    ("x_source_line", "bigint"),
    ("x_file_hash", "varchar"),
    ("x_load_id", "varchar"),
    ("x_loaded_at", "timestamp"),
    ("x_extra_columns", "varchar"),
]
FOCUS_LINEAGE = [("x_focus_version", "varchar")]

META_TABLES = {
    "load_audit": """
        load_id varchar, source varchar, file_path varchar, file_hash varchar,
        file_size_bytes bigint, file_format varchar, focus_version varchar,
        slices varchar, rows_read bigint, rows_loaded bigint,
        rows_quarantined bigint, status varchar, error_code varchar,
        message varchar, loaded_at timestamp
    """,
    "load_quarantine": """
        load_id varchar, source varchar, file_path varchar, row_number bigint,
        line_number bigint, error_code varchar, error_message varchar,
        raw_content varchar, quarantined_at timestamp
    """,
    "load_slice_history": """
        load_id varchar, source varchar, slice_key varchar, rows_before bigint,
        rows_after bigint, billed_cost_before decimal(38, 10),
        billed_cost_after decimal(38, 10), replaced_at timestamp
    """,
}


def _connect(database: Path, config: dict) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; when this process already has it open (dbt run in
    process, a notebook), share that instance and apply the settings to it."""
    try:
        return duckdb.connect(str(database), config=config)
    except duckdb.ConnectionException as error:
        if "different configuration" not in str(error):
            raise
    con = duckdb.connect(str(database))
    for name, value in config.items():
        con.execute(f"set {name} = '{value}'")
    return con


@dataclass
class LoadResult:
    load_id: str
    files_loaded: int = 0
    files_unchanged: int = 0
    files_duplicate: int = 0
    deliveries_waiting: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    audit: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"load {self.load_id}: {self.files_loaded} file(s) loaded, "
            f"{self.files_unchanged} unchanged, {self.files_duplicate} duplicate, "
            f"{self.deliveries_waiting} delivery(ies) waiting for a manifest; "
            f"rows read {self.rows_read:,} = loaded {self.rows_loaded:,} + "
            f"quarantined {self.rows_quarantined:,}"
        )


class Loader(Preflight, FileReader, SliceReplacement):
    """Loads one landing folder into one DuckDB warehouse file."""

    def __init__(
        self,
        database: Path,
        landing: Path,
        allow_row_drop: bool = False,
        max_row_drop_pct: float = DEFAULT_MAX_ROW_DROP_PCT,
        allow_same_rows_in_feeds: bool = False,
    ):
        self.database = Path(database)
        self.landing = Path(landing)
        self.allow_row_drop = allow_row_drop
        self.max_row_drop_pct = max_row_drop_pct
        self.allow_same_rows_in_feeds = allow_same_rows_in_feeds
        self.load_id = (
            dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            + "-"
            + (uuid.uuid4().hex[:8])
        )
        self.loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.scratch: Path | None = None
        self.con: duckdb.DuckDBPyConnection | None = None
        self.discovery_errors: list[ItfmError] = []

    # -------------------------------------------------------------- schema
    def _ensure_schema(self) -> None:
        con = self.con
        con.execute("create schema if not exists raw")
        for name, columns in META_TABLES.items():
            con.execute(f"create table if not exists raw.{name} ({columns})")
        reference_rates.refresh(con)
        for source in SOURCES.values():
            lineage = LINEAGE_COLUMNS + (FOCUS_LINEAGE if source.is_focus else [])
            columns = [(c.name, LOGICAL_TYPES[c.type]) for c in source.columns]
            columns += lineage
            ddl = ", ".join(f"{_quote(name)} {kind}" for name, kind in columns)
            con.execute(f"create table if not exists raw.{source.table} ({ddl})")
            # A warehouse made by an earlier itfm gains the columns added since
            # (rows are always inserted by name, so column order does not matter).
            existing = {
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'raw' and table_name = ?",
                    [source.table],
                ).fetchall()
            }
            for name, kind in columns:
                if name not in existing:
                    con.execute(
                        f"alter table raw.{source.table} "
                        f"add column {_quote(name)} {kind}"
                    )

    # ----------------------------------------------------------- discovery
    def _discover(self) -> list[tuple[Source, Path]]:
        if not self.landing.is_dir():
            raise ItfmError("ITFM-L007", f"{self.landing} is not a folder")
        found = []
        for entry in sorted(self.landing.iterdir()):
            if entry.name.startswith((".", "_")) or entry.name in SOURCES:
                continue
            self.discovery_errors.append(
                ItfmError(
                    "ITFM-L010",
                    f"'{entry.name}' is not a source folder",
                    entry.name,
                )
            )
        for folder, source in SOURCES.items():
            root = self.landing / folder
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if not path.is_file() or path.name.startswith((".", "_")):
                    continue
                if path.name.lower().endswith("manifest.json"):
                    # Sidecars, and the manifests CUR and Azure exports write.
                    continue
                rel = str(path.relative_to(self.landing))
                if source.feeds and _feed(rel) not in source.feeds:
                    self.discovery_errors.append(
                        ItfmError(
                            "ITFM-L011",
                            f"{folder} files go under "
                            f"{' or '.join(f + '/' for f in source.feeds)}",
                            rel,
                        )
                    )
                    continue
                found.append((source, path))
        return found

    def _delivery_complete(self, source: Source, folder: Path) -> bool:
        """A feed whose `_feed.json` says requires_manifest waits for the delivery's
        `_manifest.json`, and for every file it lists, before loading it."""
        rel = folder.relative_to(self.landing / source.folder)
        if not rel.parts:
            return True
        feed_config = self.landing / source.folder / rel.parts[0] / "_feed.json"
        if not feed_config.exists():
            return True
        try:
            config = json.loads(feed_config.read_text(encoding="utf-8"))
        except ValueError as error:
            raise ItfmError("ITFM-L008", f"_feed.json: {error}", str(rel)) from error
        if not config.get("requires_manifest"):
            return True
        manifest = folder / "_manifest.json"
        if not manifest.exists():
            return False
        listed = _read_manifest(manifest, str(rel)).get("files", [])
        return all((folder / name).exists() for name in listed)

    def _previous(self) -> tuple[set[tuple[str, str]], dict[str, str]]:
        rows = self.con.execute(
            "select file_path, file_hash from raw.load_audit "
            "where status in ('loaded', 'duplicate')"
        ).fetchall()
        seen = {(path, digest) for path, digest in rows}
        by_hash = {digest: path for path, digest in rows}
        return seen, by_hash

    # ---------------------------------------------------------------- run
    def run(self) -> LoadResult:
        self.database.parent.mkdir(parents=True, exist_ok=True)
        try:
            config = {"memory_limit": os.environ.get("ITFM_MEMORY_LIMIT", "6GB")}
            if os.environ.get("ITFM_TEMP_DIR"):
                config["temp_directory"] = os.environ["ITFM_TEMP_DIR"]
            self.con = _connect(self.database, config)
        except duckdb.Error as error:
            raise ItfmError(
                "ITFM-W001", str(error).splitlines()[0], str(self.database)
            ) from error
        try:
            self.con.execute("set TimeZone = 'UTC'")
            self._ensure_schema()
            return self._run()
        finally:
            self.con.close()
            if self.scratch:
                shutil.rmtree(self.scratch, ignore_errors=True)

    def _scratch(self) -> Path:
        """A temporary folder for this load's rewritten copies of files."""
        if not self.scratch:
            self.scratch = Path(
                tempfile.mkdtemp(
                    prefix="itfm-load-", dir=os.environ.get("ITFM_TEMP_DIR") or None
                )
            )
        return self.scratch

    def _run(self) -> LoadResult:
        result = LoadResult(self.load_id)
        files = self._discover()
        if not files and not self.discovery_errors:
            raise ItfmError(
                "ITFM-L013",
                f"no file in {self.landing} (expected subfolders: "
                f"{', '.join(sorted(SOURCES))})",
            )
        plans, duplicates, errors = self._plan(files, result)
        if errors:
            self._record_failures(errors)
            raise ItfmErrors(errors)
        # One transaction for the whole load: a delivery refused by a guard
        # (ITFM-L009, ITFM-L014) leaves every slice as it was before the load.
        self.con.execute("begin transaction")
        try:
            self._write(plans, duplicates, result)
            self.con.execute("commit")
        except BaseException as error:
            self.con.execute("rollback")
            if isinstance(error, ItfmError):
                self._record_failures([error])
            raise
        return result

    def _plan(
        self, files: list[tuple[Source, Path]], result: LoadResult
    ) -> tuple[list[list[FilePlan]], list[tuple], list[ItfmError]]:
        """Group the files into deliveries (one folder each, oldest first) and
        preflight the new or changed ones; nothing is written."""
        seen, by_hash = self._previous()
        deliveries: dict[tuple[str, Path], list[tuple[Source, Path, str]]] = {}
        for source, path in files:
            deliveries.setdefault((source.folder, path.parent), []).append(
                (source, path, file_sha256(path))
            )
        plans: list[list[FilePlan]] = []
        errors: list[ItfmError] = list(self.discovery_errors)
        duplicates = []
        # Oldest delivery first, so a later version of a period replaces an earlier.
        for (_folder, parent), members in sorted(
            deliveries.items(),
            key=lambda item: (
                max(p.stat().st_mtime for _s, p, _d in item[1]),
                str(item[0]),
            ),
        ):
            if not self._delivery_complete(members[0][0], parent):
                result.deliveries_waiting += 1
                continue
            rels = [(s, p, d, str(p.relative_to(self.landing))) for s, p, d in members]
            if all((rel, digest) in seen for _s, _p, digest, rel in rels):
                result.files_unchanged += len(rels)
                continue
            delivery = []
            for source, path, digest, rel in rels:
                earlier = by_hash.get(digest)
                # Files with no rows are alike whatever slices they restate.
                if earlier is not None and earlier != rel and not holds_no_rows(path):
                    # The same bytes already loaded under another name.
                    if (rel, digest) not in seen:
                        duplicates.append((source, path, digest, rel, earlier))
                    else:
                        result.files_unchanged += 1
                    continue
                try:
                    delivery.append(self._preflight(source, path, digest))
                except ItfmError as error:
                    errors.append(error)
                # A copy later in this same run is a duplicate of this one.
                by_hash.setdefault(digest, rel)
            if delivery:
                plans.append(delivery)
        return plans, duplicates, errors

    def _write(
        self, plans: list[list[FilePlan]], duplicates: list[tuple], result: LoadResult
    ) -> None:
        files = [plan for delivery in plans for plan in delivery]
        progress = Progress(len(files))
        # Every file is read and written first, in batches (SliceReplacement.
        # _stage); then each delivery replaces its slices, oldest first, the
        # rows staged for later deliveries set aside until their turn.
        audit = self._stage(files, result, progress)
        progress.done()
        pending = list(files)
        for delivery in plans:
            del pending[: len(delivery)]
            source = delivery[0].source
            self._load_delivery(
                source,
                delivery,
                result,
                [audit[plan.rel] for plan in delivery],
                [plan.rel for plan in pending if plan.source is source],
            )
        for source, path, digest, rel, earlier in duplicates:
            self.con.execute(
                "insert into raw.load_audit values "
                "(?, ?, ?, ?, ?, ?, null, null, 0, 0, 0, 'duplicate', null, ?, ?)",
                [
                    self.load_id,
                    source.folder,
                    rel,
                    digest,
                    path.stat().st_size,
                    _file_format(path),
                    f"same content as {earlier}; not loaded again",
                    self.loaded_at,
                ],
            )
            result.files_duplicate += 1

    def _record_failures(self, errors: list[ItfmError]) -> None:
        for error in errors:
            self.con.execute(
                "insert into raw.load_audit values "
                "(?, null, ?, null, null, null, null, null, null, null, null, 'failed',"
                " ?, ?, ?)",
                [self.load_id, error.path, error.code, error.message, self.loaded_at],
            )


def load(
    database: Path,
    landing: Path,
    allow_row_drop: bool = False,
    max_row_drop_pct: float = DEFAULT_MAX_ROW_DROP_PCT,
    allow_same_rows_in_feeds: bool = False,
) -> LoadResult:
    """Load every new or changed file of `landing` into `database` (see module doc).

    A delivery that leaves a slice with no rows, or with fewer than
    (100 - max_row_drop_pct)% of its rows, is refused (ITFM-L009) unless
    allow_row_drop is set; one whose slice holds exactly the rows another feed
    holds is refused (ITFM-L014) unless allow_same_rows_in_feeds is set.
    """
    return Loader(
        database, landing, allow_row_drop, max_row_drop_pct, allow_same_rows_in_feeds
    ).run()


class Progress:
    """On a terminal, a long load shows files, rows and rows/s as it goes
    (on stderr, one line rewritten; nothing when stderr is not a terminal)."""

    def __init__(self, files: int, after_seconds: float = 2.0):
        self.files = files
        self.after = after_seconds
        self.started = time.monotonic()
        self.shown = False
        self.active = sys.stderr.isatty()

    def show(self, result: LoadResult, files_read: int) -> None:
        elapsed = time.monotonic() - self.started
        if not self.active or elapsed < self.after:
            return
        self.shown = True
        sys.stderr.write(
            f"\rloading: {files_read:,}/{self.files:,} files, "
            f"{result.rows_read:,} rows, {result.rows_read / elapsed:,.0f} rows/s "
        )
        sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
