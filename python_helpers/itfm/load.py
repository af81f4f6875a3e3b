"""Load a landing folder into the warehouse's raw schema with nothing lost.

* Every file is read with declared column types (``sources.py``); rows that cannot be
  read go to ``raw.load_quarantine`` with file, row, line, reason and raw content.
* Every file is recorded in ``raw.load_audit`` (hash, rows read / loaded /
  quarantined, status); ``read = loaded + quarantined`` for every file.
* A file whose path and content hash were loaded before is skipped: re-loading an
  unchanged landing folder writes nothing.
* Files in one folder form one delivery. When any file of a delivery is new or
  changed, the delivery's slices (for billing data: billing account x billing
  period) are replaced in one transaction, and the change is kept in
  ``raw.load_slice_history``; slices whose rows are already loaded unchanged are
  kept as they were (``_keep_unchanged_slices``).
* Bad files (empty, not UTF-8, unknown format or FOCUS version, missing required
  columns, unreadable) stop the run before anything is written, with coded errors.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from itfm import reference_rates
from itfm.errors import ItfmError, ItfmErrors
from itfm.sources import (
    CURRENCIES,
    CURRENCY_SYMBOLS,
    DEFAULT_MAX_ROW_DROP_PCT,
    FOCUS_0_5_COLUMNS,
    FOCUS_1_1_COLUMNS,
    FOCUS_1_2_COLUMNS,
    FOCUS_1_3_COLUMNS,
    FOCUS_SUCCESSORS,
    LOGICAL_TYPES,
    SOURCES,
    SUPPORTED_FOCUS_VERSIONS,
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
class FilePlan:
    """What the preflight learned about one file."""

    path: Path
    rel: str
    source: Source
    file_hash: str
    size: int
    file_format: str
    columns: dict[str, str] = field(default_factory=dict)  # file column -> type
    mapping: dict[str, str] = field(default_factory=dict)  # spec column -> file col
    extras: list[str] = field(default_factory=list)
    defaults: dict[str, object] = field(default_factory=dict)
    focus_version: str | None = None
    json_paths: dict[str, str] = field(default_factory=dict)  # jsonl column -> path
    # spec column -> SQL over the file's columns (text), e.g. legacy CUR tags
    derived: dict[str, str] = field(default_factory=dict)
    # NUL or other control characters in a text file: removed from its values
    has_control_characters: bool = False
    # How slash dates are read: MDY, DMY, CONFLICT (both seen) or None (unknown)
    date_order: str | None = None
    date_note: str | None = None  # for the audit, when the file has slash dates
    # What the reader reads: the file, or a copy with one kind of line ending
    read_path: Path | None = None

    def __post_init__(self) -> None:
        self.read_path = self.read_path or self.path


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


def _slice_keys(source: Source) -> tuple[str, ...]:
    """A feed (the first subfolder under the source folder) restates its own slices."""
    return ("x_feed", *source.slice_keys)


def _feed(rel: str) -> str:
    """`focus/aws/2026-05/part.parquet` -> `aws`; a file directly in focus/ -> ''."""
    parts = Path(rel).parts
    return parts[1] if len(parts) > 2 else ""


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_format(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(".csv") or name.endswith(".csv.gz"):
        return "csv"
    if name.endswith((".jsonl", ".ndjson", ".json", ".jsonl.gz", ".json.gz")):
        return "jsonl"
    return None


def _json_lines_reader(path: Path) -> str:
    """Every line of a JSON-lines file as one text value (blank lines as null)."""
    return (
        f"read_csv({_literal(str(path))}, columns = {{'line': 'VARCHAR'}}, "
        "header = false, auto_detect = false, delim = chr(31), quote = '', "
        "escape = '', strict_mode = false)"
    )


def _json_columns(structure: object) -> dict[str, str]:
    """Flattened column name -> JSON path, from json_group_structure's result.

    Objects are flattened one level (`service.id` -> `service_id`); arrays and
    deeper objects stay JSON text.
    """
    columns: dict[str, str] = {}
    if not isinstance(structure, dict):
        return columns
    for key, inner in structure.items():
        quoted = key.replace('"', '\\"')
        if isinstance(inner, dict):
            for sub in inner:
                sub_quoted = sub.replace('"', '\\"')
                columns.setdefault(f"{key}_{sub}", f'$."{quoted}"."{sub_quoted}"')
        else:
            columns.setdefault(key, f'$."{quoted}"')
    return columns


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


def _check_utf8(path: Path, rel: str) -> tuple[str | None, bool, bool]:
    """(a description of the first invalid byte, or None if valid UTF-8; whether
    control characters occur; whether line endings are mixed). A `.gz` file
    that is truncated or not gzip at all is ITFM-L006."""
    try:
        return _first_invalid_utf8(path)
    except (OSError, EOFError, zlib.error) as error:
        raise ItfmError(
            "ITFM-L006",
            f"cannot decompress: {error} (a truncated or mislabelled .gz file)",
            rel,
        ) from None


CONTROL_CHARACTERS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _first_invalid_utf8(path: Path) -> tuple[str | None, bool, bool]:
    """(the first invalid byte, or None; whether the text holds control
    characters other than tab, line feed and carriage return, NUL included;
    whether its line endings are mixed: CRLF with bare LF, or a bare CR)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    control = False
    endings: set[str] = set()
    previous = b""
    with opener(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                byte = chunk[error.start]
                return (
                    f"invalid byte 0x{byte:02x} at byte {offset + error.start}",
                    control,
                    False,
                )
            control = control or CONTROL_CHARACTERS.search(chunk) is not None
            # A CR that ended the previous chunk is looked at with this one, so
            # a CR LF split across chunks is seen whole.
            endings |= _line_endings(
                (b"\r" if previous.endswith(b"\r") else b"") + chunk
            )
            previous = chunk
            offset += len(chunk)
        if previous.endswith(b"\r"):
            endings.add("CR")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "file ends inside a multi-byte character", control, False
    return None, control, "CR" in endings or endings == {"CRLF", "LF"}


def _line_endings(data: bytes) -> set[str]:
    """The kinds of line ending in `data` (CRLF, LF, CR); a CR at its very end
    is left for the next chunk to settle."""
    kinds = set()
    crlf = data.count(b"\r\n")
    if crlf:
        kinds.add("CRLF")
    if data.count(b"\n") > crlf:
        kinds.add("LF")
    if data[:-1].count(b"\r") > crlf:
        kinds.add("CR")
    return kinds


def _with_line_feeds(path: Path, folder: Path) -> Path:
    """A copy of a text file (decompressed) with every CRLF and bare CR written
    as LF, for a file whose line endings are mixed; the reader then sees one
    kind of line ending."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    target = folder / f"{len(list(folder.iterdir()))}_{name}"
    with opener(path, "rb") as source, target.open("wb") as out:
        carry = b""
        for chunk in iter(lambda: source.read(1 << 20), b""):
            chunk = carry + chunk
            carry = b"\r" if chunk.endswith(b"\r") else b""
            if carry:
                chunk = chunk[:-1]
            out.write(chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
        out.write(b"\n" if carry else b"")
    return target


def _csv_header(path: Path, unique: bool = True) -> list[str]:
    """The header fields of a CSV file (UTF-8, BOM allowed), made unique
    (`BilledCost`, `BilledCost_13`) unless `unique` is false."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    if not unique:
        return [name.strip() for name in header]
    names: list[str] = []
    for index, name in enumerate(header):
        name = name.strip() or f"column_{index + 1}"
        while name in names:
            name = f"{name}_{index + 1}"
        names.append(name)
    return names


def _csv_reader(path: Path, header: list[str], **extra: str) -> str:
    """read_csv with the dialect fixed (no sniffing) and every column as text."""
    columns = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in header)
    options = {
        "header": "true",
        "auto_detect": "false",
        "columns": "{" + columns + "}",
        "delim": "','",
        "quote": "'\"'",
        "escape": "'\"'",
        "strict_mode": "true",
        "null_padding": "false",
        "nullstr": "['', 'null', 'NULL']",
    }
    options.update(extra)
    args = ", ".join(f"{key} = {value}" for key, value in options.items())
    return f"read_csv({_literal(str(path))}, {args})"


def _read_manifest(path: Path, rel: str) -> dict:
    """Sidecar `<file>.manifest.json` wins over the folder's `_manifest.json`."""
    for candidate in (
        path.with_name(path.name + ".manifest.json"),
        path.parent / "_manifest.json",
    ):
        if candidate.exists():
            try:
                manifest = json.loads(candidate.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                raise ItfmError(
                    "ITFM-L008", f"{candidate.name}: {error}", rel
                ) from error
            if not isinstance(manifest, dict) or not isinstance(
                manifest.get("defaults", {}), dict
            ):
                raise ItfmError("ITFM-L008", f"{candidate.name} is not an object", rel)
            return manifest
    return {}


def normalize_focus_version(raw: str) -> str | None:
    match = re.match(r"^\s*v?(\d+)\.(\d+)", str(raw))
    if not match:
        return None
    return f"{int(match.group(1))}.{int(match.group(2))}"


class Loader:
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

    # ------------------------------------------------------------ preflight
    def _preflight(self, source: Source, path: Path, file_hash: str) -> FilePlan:
        rel = str(path.relative_to(self.landing))
        size = path.stat().st_size
        fmt = _file_format(path)
        if fmt is None:
            raise ItfmError(
                "ITFM-L004", f"'{path.name}' is not .parquet, .csv or .jsonl", rel
            )
        if size == 0:
            raise ItfmError("ITFM-L001", "the file has 0 bytes", rel)
        plan = FilePlan(path, rel, source, file_hash, size, fmt)
        manifest = _read_manifest(path, rel)
        if fmt in ("csv", "jsonl"):
            problem, plan.has_control_characters, mixed = _check_utf8(path, rel)
            if problem:
                raise ItfmError("ITFM-L003", problem, rel)
            if mixed:
                plan.read_path = _with_line_feeds(path, self._scratch())
        if fmt == "csv":
            header = _csv_header(plan.read_path)
            if not header:
                raise ItfmError("ITFM-L001", "the file has no header line", rel)
            fields = _csv_header(plan.read_path, unique=False)
            known = {_key(c.name) for c in source.columns}
            known |= {_key(old) for old, _new in source.renames}
            twice = sorted(
                {n for n in fields if fields.count(n) > 1 and _key(n) in known}
            )
            if twice:
                raise ItfmError(
                    "ITFM-L012",
                    f"the header has {', '.join(map(repr, twice))} more than once",
                    rel,
                )
            plan.columns = dict.fromkeys(header, "VARCHAR")
            describe = None
        elif fmt == "jsonl":
            describe = None
            try:
                structure = self.con.execute(
                    "select json_group_structure(json(line)) from "
                    f"{_json_lines_reader(plan.read_path)} "
                    "where case when json_valid(line) "
                    "then json_type(json(line)) end = 'OBJECT'"
                ).fetchone()[0]
            except duckdb.Error as error:
                first = str(error).strip().splitlines()[0]
                raise ItfmError("ITFM-L006", first, rel) from error
            plan.json_paths = _json_columns(
                json.loads(structure) if structure else None
            )
            if not plan.json_paths:
                raise ItfmError("ITFM-L001", "the file has no JSON object line", rel)
            plan.columns = dict.fromkeys(plan.json_paths, "VARCHAR")
        else:
            describe = (
                f"describe select * from read_parquet({_literal(str(path))}, "
                "hive_partitioning = false)"
            )
        try:
            if describe:
                plan.columns = {
                    row[0]: row[1] for row in self.con.execute(describe).fetchall()
                }
        except duckdb.Error as error:
            first = str(error).strip().splitlines()[0]
            raise ItfmError("ITFM-L006", first, rel) from error

        self._map_columns(plan)
        declared = manifest.get("date_order")
        if declared is not None:
            plan.date_order = str(declared).strip().upper()
            if plan.date_order not in DATE_ORDERS:
                raise ItfmError(
                    "ITFM-L008",
                    f"the manifest's date_order is {declared!r}, not MDY or DMY",
                    rel,
                )
            plan.date_note = (
                f"{DATE_ORDERS[plan.date_order]} ({plan.date_order}), as the "
                "manifest declares"
            )
        plan.defaults = {
            name: value
            for name, value in manifest.get("defaults", {}).items()
            if name not in plan.mapping
        }
        if source.is_focus:
            plan.focus_version = self._focus_version(plan, manifest)
        missing = [
            c.name
            for c in source.columns
            if c.required and c.name not in plan.mapping and c.name not in plan.defaults
        ]
        if missing:
            found = list(plan.columns)
            shown = ", ".join(found[:12]) + (", ..." if len(found) > 12 else "")
            raise ItfmError(
                "ITFM-L002",
                f"no column for {', '.join(missing)}; the file has "
                f"{len(found)} column(s): {shown or 'none'} (is it a "
                f"{source.description.rstrip('.')}?)",
                rel,
            )
        return plan

    @staticmethod
    def _map_columns(plan: FilePlan) -> None:
        """Map the file's columns onto the declared ones. A declared name wins
        over an alias; FOCUS 1.3's successor (ServiceProviderName) over the
        column it deprecates (ProviderName, then kept as an extra column). The
        same column twice, or an amount column and an older name of it
        (EffectiveCost and AmortizedCost), is refused: either could hold the
        amounts. Other aliases beside their column are kept as extra columns."""
        source = plan.source
        declared = {_key(c.name): c.name for c in source.columns}
        aliases = {_key(old): new for old, new in source.renames}
        successors = {_key(new): old for new, old in FOCUS_SUCCESSORS.items()}
        by_target: dict[str, list[tuple[int, str]]] = {}
        seen: dict[str, str] = {}
        for column in plan.columns:
            key = _key(column)
            known = key in declared or key in aliases or key in successors
            if known and key in seen:
                raise ItfmError(
                    "ITFM-L012",
                    f"columns {seen[key]!r} and {column!r} are the same column",
                    plan.rel,
                )
            seen[key] = column
            if source.is_focus and key in successors:
                rank, target = 0, successors[key]
            elif key in declared:
                rank, target = 1, declared[key]
            elif key in aliases:
                rank, target = 2, aliases[key]
            else:
                plan.extras.append(column)
                continue
            by_target.setdefault(target, []).append((rank, column))
        for target, candidates in by_target.items():
            candidates.sort()
            ranks = [rank for rank, _ in candidates]
            is_amount = source.column(target).type in ("money", "decimal")
            if is_amount and len(candidates) > 1 and ranks[:2] == [1, 2]:
                names = " and ".join(repr(c) for _, c in candidates)
                raise ItfmError(
                    "ITFM-L012", f"columns {names} both read as {target}", plan.rel
                )
            plan.mapping[target] = candidates[0][1]
            plan.extras.extend(column for _, column in candidates[1:])
        if source.folder == "aws_cur" and "resource_tags" not in plan.mapping:
            Loader._legacy_cur_tags(plan)

    @staticmethod
    def _legacy_cur_tags(plan: FilePlan) -> None:
        """The legacy CUR has a column per tag key instead of CUR 2.0's
        resource_tags map: `resourceTags/user:team` (CSV) or
        `resource_tags_user_team` (Parquet). Their non-empty values become the
        resource_tags JSON object, keyed by what follows the prefix."""
        prefix = re.compile(r"^resource_?tags[/_]", re.IGNORECASE)
        columns = [c for c in plan.extras if prefix.match(c)]
        if not columns:
            return
        plan.derived["resource_tags"] = (
            "coalesce("
            + _non_empty_json_object([(prefix.sub("", c), _quote(c)) for c in columns])
            + ", '{}')"
        )
        plan.extras = [c for c in plan.extras if c not in columns]

    def _focus_version(self, plan: FilePlan, manifest: dict) -> str:
        declared = manifest.get("focus_version")
        if declared is None and plan.file_format == "parquet":
            rows = self.con.execute(
                "select decode(key), decode(value) from parquet_kv_metadata(?)",
                [str(plan.path)],
            ).fetchall()
            meta = {_key(k): v for k, v in rows}
            declared = meta.get("focusversion")
        if declared is not None:
            version = normalize_focus_version(declared)
            if version not in SUPPORTED_FOCUS_VERSIONS:
                raise ItfmError(
                    "ITFM-L005",
                    f"declared FOCUS version {declared!r}; supported: "
                    f"{', '.join(SUPPORTED_FOCUS_VERSIONS)}",
                    plan.rel,
                )
            return version
        present = {_key(column) for column in plan.columns}

        def having(names: set[str]) -> list[str]:
            return sorted(name for name in names if _key(name) in present)

        old = having(FOCUS_0_5_COLUMNS)
        if old and _key("ChargeCategory") not in present:
            raise ItfmError(
                "ITFM-L005",
                f"FOCUS 0.5 columns ({', '.join(old)}) and no ChargeCategory; "
                f"supported: {', '.join(SUPPORTED_FOCUS_VERSIONS)}",
                plan.rel,
            )
        for version, names in (
            ("1.3", FOCUS_1_3_COLUMNS),
            ("1.2", FOCUS_1_2_COLUMNS),
            ("1.1", FOCUS_1_1_COLUMNS),
        ):
            if having(names):
                return version
        return "1.0"

    # --------------------------------------------------------- expressions
    def _parse_expression(
        self, raw: str, file_type: str, kind: str, date_order: str | None = None
    ) -> str:
        """DuckDB expression reading `raw` (a file column) as logical type `kind`;
        slash dates in `date_order` (see `_slash_dates`)."""
        target = LOGICAL_TYPES[kind]
        file_type = file_type.upper()
        is_text = file_type == "VARCHAR"
        if kind == "json" and file_type.startswith(("MAP", "STRUCT")):
            return f"cast(to_json({raw}) as varchar)"
        if kind == "json" and file_type.endswith("[]"):
            return f"cast(to_json({raw}) as varchar)"
        if kind in ("varchar", "json"):
            return raw if is_text else f"cast({raw} as varchar)"
        if not is_text:
            numeric = file_type.startswith(
                (
                    "DECIMAL",
                    "DOUBLE",
                    "FLOAT",
                    "BIGINT",
                    "INTEGER",
                    "HUGEINT",
                    "SMALLINT",
                    "TINYINT",
                    "UBIGINT",
                    "UINTEGER",
                )
            )
            temporal = file_type.startswith(("TIMESTAMP", "DATE"))
            if kind == "double" and numeric:
                number = f"try_cast({raw} as double)"
                return f"case when isfinite({number}) then {number} end"
            if (
                kind in ("money", "decimal", "unit_price", "bigint", "integer")
                and numeric
            ):
                return f"try_cast({raw} as {target})"
            if kind in ("timestamp", "date") and temporal:
                return f"try_cast({raw} as {target})"
            raw = f"cast({raw} as varchar)"
        text = f"nullif(trim({raw}), '')"
        if kind in ("money", "decimal", "unit_price", "double", "bigint", "integer"):
            # Accept "$1,234.56 ", "(12.00)" and "1.5e3"; reject "1.234,56" and words.
            cleaned = (
                f"regexp_replace(regexp_replace({text}, '^\\((.*)\\)$', '-\\1'), "
                "'^([+-]?)[$€£¥]\\s*', '\\1')"
            )
            grouped = (
                f"case when regexp_matches({cleaned}, "
                "'^[+-]?\\d{1,3}(,\\d{3})+(\\.\\d+)?$') "
                f"then replace({cleaned}, ',', '') else {cleaned} end"
            )
            if kind in ("bigint", "integer"):
                return f"try_cast(try_cast({grouped} as decimal(38, 6)) as {target})"
            if kind == "double":
                number = f"try_cast({grouped} as double)"
                return f"case when isfinite({number}) then {number} end"
            # Scientific notation ("1.2E-7") is read through double as a fallback.
            return (
                f"coalesce(try_cast({grouped} as {target}), "
                f"case when regexp_matches({grouped}, '^[+-]?[\\d.]+[eE][+-]?\\d+$')"
                f" then try_cast(try_cast({grouped} as double) as {target}) end)"
            )
        if kind in ("timestamp", "date"):
            # ISO 8601 (with or without an offset, converted to UTC) or a US layout.
            iso = (
                f"coalesce(try_cast(try_cast({text} as timestamptz) as timestamp), "
                f"try_cast({text} as timestamp))"
            )
            parsed = (
                f"case when regexp_matches({text}, '^\\d{{4}}-\\d{{2}}-\\d{{2}}') "
                f"then {iso} {_layouts(text, YEAR_FIRST_LAYOUTS)} "
                f"{_slash_dates(text, date_order)} end"
            )
            return parsed if kind == "timestamp" else f"cast({parsed} as date)"
        raise ValueError(f"unknown logical type {kind}")

    def _typed_select(
        self,
        plan: FilePlan,
        relation: str,
        row_expr: str,
        line_expr: str,
        first_check: str | None = None,
        raw_expr: str | None = None,
    ) -> str:
        """SELECT producing the raw table's columns plus x_error for one file.

        first_check: a reason that, when not null, is the row's only error (a line
        that cannot be read at all); raw_expr: the row's raw text for quarantine.
        """
        source = plan.source
        inner = [f"{row_expr} as __row", f"{line_expr} as __line"]
        if first_check:
            inner.append(f"{first_check} as __unreadable")
        if raw_expr:
            inner.append(f"{raw_expr} as __raw_text")
        parsed, checks, raw_parts = [], [], []
        for index, column in enumerate(source.columns):
            alias = f"__raw_{index}"
            if column.name in plan.mapping:
                file_col = plan.mapping[column.name]
                inner.append(f"{_without_control(plan, file_col)} as {alias}")
                expression = self._parse_expression(
                    alias, plan.columns[file_col], column.type, plan.date_order
                )
                raw_parts.append(f"{_literal(file_col)}, cast({alias} as varchar)")
                is_lenient = column.type not in ("varchar", "json")
                ambiguous = (
                    _ambiguous_date(f"trim(cast({alias} as varchar))", plan.date_order)
                    if column.type in ("date", "timestamp")
                    and plan.columns[file_col].upper() == "VARCHAR"
                    else None
                )
                if ambiguous:
                    checks.append(
                        f"case when {_quote(column.name)} is null and {ambiguous} "
                        f"then 'ITFM-Q013 {column.name}: ' || {alias}[:40] || "
                        f"' is ambiguous (' || {_literal(plan.date_note)} || ')' end"
                    )
                if is_lenient:
                    # The cheap test first: only rows whose value came out null
                    # go on to the text comparisons.
                    checks.append(
                        f"case when {_quote(column.name)} is null and "
                        f"{alias} is not null and "
                        + (f"not coalesce({ambiguous}, false) and " * bool(ambiguous))
                        + f"trim(cast({alias} as varchar)) not in "
                        f"({', '.join(_literal(t) for t in NULL_TOKENS)}) then "
                        f"'ITFM-Q002 {column.name}: cannot read ' || "
                        f"cast({alias} as varchar)[:60] || ' as {column.type}' end"
                    )
                if (
                    column.type == "money"
                    and plan.columns[file_col].upper() == "VARCHAR"
                    and source.currency_columns
                    and not column.name.startswith("PricingCurrency")
                ):
                    checks.append(
                        self._symbol_rule(
                            alias, column.name, source.currency_columns[0]
                        )
                    )
            elif column.name in plan.derived:
                inner.append(f"{plan.derived[column.name]} as {alias}")
                expression = self._parse_expression(
                    alias, "VARCHAR", column.type, plan.date_order
                )
                raw_parts.append(f"{_literal(column.name)}, {alias}")
            else:
                default = plan.defaults.get(column.name)
                expression = (
                    self._parse_expression(
                        _literal(default), "VARCHAR", column.type, plan.date_order
                    )
                    if default is not None
                    else f"cast(null as {LOGICAL_TYPES[column.type]})"
                )
            parsed.append(f"{expression} as {_quote(column.name)}")
            if column.required:
                checks.append(
                    f"case when {_quote(column.name)} is null then "
                    f"'ITFM-Q003 {column.name}: required value missing' end"
                )
        for name in source.currency_columns:
            checks.append(self._currency_rule(name))
        if source.billing_period:
            checks.append(self._period_rule(*source.billing_period))
        for name in source.non_negative:
            column = _quote(name)
            checks.append(
                f"case when {column} < 0 then 'ITFM-Q012 {name}: negative (' || "
                f"cast({column} as varchar) || ')' end"
            )
        if source.is_focus:
            checks += self._focus_row_rules()
        extras = [
            f"{_without_control(plan, c)} as {_quote('__extra_' + c)}"
            for c in plan.extras
        ]
        for column in plan.extras:
            raw_parts.append(
                f"{_literal(column)}, cast({_quote('__extra_' + column)} as varchar)"
            )
        inner += extras
        # The columns that are not declared, as a JSON object of their non-empty
        # values (null when all are empty): kept, but not a copy of every blank.
        extra_json = (
            _non_empty_json_object([(c, _quote("__extra_" + c)) for c in plan.extras])
            if plan.extras
            else "cast(null as varchar)"
        )
        error_expr = (
            f"nullif(concat_ws('; ', {', '.join(checks)}), '')"
            if checks
            else ("cast(null as varchar)")
        )
        if first_check:
            error_expr = f"coalesce(__unreadable, {error_expr})"
        raw_content = (
            "__raw_text"
            if raw_expr
            else f"cast(json_object({', '.join(raw_parts)}) as varchar)"
        )
        lineage = [
            f"{_literal(source.folder)} as x_source",
            f"{_literal(_feed(plan.rel))} as x_feed",
            f"{_literal(plan.rel)} as x_source_file",
            "__row as x_source_row",
            "__line as x_source_line",
            f"{_literal(plan.file_hash)} as x_file_hash",
            f"{_literal(self.load_id)} as x_load_id",
            f"cast({_literal(self.loaded_at.isoformat())} as timestamp) as x_loaded_at",
            f"{extra_json} as x_extra_columns",
        ]
        if source.is_focus:
            lineage.append(f"{_literal(plan.focus_version)} as x_focus_version")
        names = [_quote(c.name) for c in source.columns]
        return f"""
            with raw_rows as (
                select {", ".join(inner)} from {relation}
            ),
            parsed as (
                select *, {", ".join(parsed)} from raw_rows
            )
            select {", ".join(names)}, {", ".join(lineage)},
                {error_expr} as x_error,
                case when {error_expr} is not null then {raw_content} end
                    as x_raw_content
            from parsed
        """

    @staticmethod
    def _symbol_rule(alias: str, name: str, currency_column: str) -> str:
        """An amount written with a currency symbol that is not the row's
        currency (`€12.50` on a USD row) is quarantined, never read as USD."""
        currency = f"upper(trim({_quote(currency_column)}))"
        whens = " ".join(
            f"when strpos({alias}, {_literal(symbol)}) > 0 and {currency} not in "
            f"({', '.join(_literal(c) for c in codes)}) then 'ITFM-Q010 {name}: "
            f"{symbol} on a ' || {currency} || ' row'"
            for symbol, codes in CURRENCY_SYMBOLS.items()
        )
        return f"case {whens} end"

    @staticmethod
    def _period_rule(start: str, end: str, longest_days: int) -> str:
        """A billing period before 2000, ending on or before it starts, or
        longer than the provider's longest (a year for FOCUS, a month for the
        CUR) is a misread or mistyped date: quarantined, not loaded."""
        first, last = _quote(start), _quote(end)
        return (
            f"case when {first} < timestamp '2000-01-01' then "
            f"'ITFM-Q011 {start}: before 2000 (' || cast({first} as varchar) || ')' "
            f"when {last} <= {first} then "
            f"'ITFM-Q011 {end}: on or before {start}' "
            f"when {last} > {first} + interval {longest_days + 1} day then "
            f"'ITFM-Q011 {end}: more than {longest_days} days after {start}' end"
        )

    @staticmethod
    def _currency_rule(name: str) -> str:
        """A currency column of any source holds an ISO 4217 code (any case)."""
        currencies = ", ".join(_literal(code) for code in sorted(CURRENCIES))
        column = _quote(name)
        return (
            f"case when upper(trim({column})) not in ({currencies}) then "
            f"'ITFM-Q004 {name}: unknown currency ' || {column} end"
        )

    def _focus_row_rules(self) -> list[str]:
        """Checks on a FOCUS row's meaning (after types): quarantine reasons."""
        tomorrow = (self.loaded_at + dt.timedelta(days=1)).isoformat()
        categories = "'usage', 'purchase', 'tax', 'credit', 'adjustment'"
        return [
            f'case when lower(trim("ChargeCategory")) not in ({categories}) then '
            "'ITFM-Q009 ChargeCategory: not a FOCUS value ' || \"ChargeCategory\" end",
            'case when "ChargePeriodStart" >= "BillingPeriodEnd" then '
            "'ITFM-Q005 ChargePeriodStart: on or after BillingPeriodEnd' end",
            f"case when \"ChargePeriodStart\" > cast('{tomorrow}' as timestamp) then "
            "'ITFM-Q006 ChargePeriodStart: in the future' end",
            'case when "ConsumedQuantity" < 0 and "BilledCost" > 0 then '
            "'ITFM-Q007 ConsumedQuantity: negative with a positive BilledCost' end",
        ]

    def _settle_date_order(self, plan: FilePlan, relation: str) -> None:
        """How this file writes slash dates (`05/06/2026`), when its dates are
        text and no manifest declares it: from its own values (a `13/06/2026`
        is day-first, a `06/13/2026` month-first), else the provider's known
        format (Azure: month-first), else unknown, and then a date that reads
        two ways is quarantined (ITFM-Q013), never guessed."""
        if plan.date_order:
            return
        columns = [
            plan.mapping[c.name]
            for c in plan.source.columns
            if c.type in ("date", "timestamp")
            and c.name in plan.mapping
            and plan.columns[plan.mapping[c.name]].upper() == "VARCHAR"
        ]
        if not columns:
            return
        values = " union all ".join(
            f"select trim({_quote(c)}) as v from {relation} "
            f"where contains({_quote(c)}, '/')"
            for c in columns
        )
        first, second = _slash_fields("v")
        dates, day_first, month_first = self.con.execute(
            f"select count(*), min(case when {first} > 12 and {second} <= 12 then v "
            f"end), min(case when {second} > 12 and {first} <= 12 then v end) "
            f"from ({values}) where {first} is not null"
        ).fetchone()
        if not dates:
            return
        if day_first and month_first:
            plan.date_order = "CONFLICT"
            plan.date_note = (
                f"the file writes dates day-first ({day_first}) and month-first "
                f"({month_first}); declare date_order in a manifest"
            )
        elif day_first or month_first:
            plan.date_order = "DMY" if day_first else "MDY"
            plan.date_note = (
                f"{DATE_ORDERS[plan.date_order]} ({plan.date_order}), as the file's "
                f"{day_first or month_first} shows"
            )
        elif fits := self._order_that_fits_the_period(plan, relation):
            plan.date_order = fits
            plan.date_note = (
                f"{DATE_ORDERS[fits]} ({fits}): only so do the charge dates fall "
                "in their billing periods"
            )
        elif plan.source.date_order:
            plan.date_order = plan.source.date_order
            plan.date_note = (
                f"{DATE_ORDERS[plan.date_order]} ({plan.date_order}), the "
                "provider's format"
            )
        else:
            plan.date_note = (
                "day and month order unknown; declare date_order (MDY or DMY) "
                "in a manifest"
            )

    def _order_that_fits_the_period(self, plan: FilePlan, relation: str) -> str | None:
        """The one slash-date order in which every charge date falls within a
        month of its billing period's start (`01/06/2026` with `05/06/2026`
        fits day-first only); None when both or neither fit."""
        pair = plan.source.charge_in_period
        if not pair or not all(
            plan.columns.get(plan.mapping.get(name, ""), "").upper() == "VARCHAR"
            for name in pair
        ):
            return None
        start, charge = (_quote(plan.mapping[name]) for name in pair)
        misfits = []
        for order in DATE_ORDERS:
            period = self._parse_expression(start, "VARCHAR", "timestamp", order)
            day = self._parse_expression(charge, "VARCHAR", "timestamp", order)
            misfits.append(
                f"count(*) filter (where not ({day} >= {period} and "
                f"{day} < {period} + interval 32 day))"
            )
        outside = self.con.execute(
            f"select {', '.join(misfits)} from {relation} "
            f"where contains({start}, '/') or contains({charge}, '/')"
        ).fetchone()
        fitting = [
            order for order, n in zip(DATE_ORDERS, outside, strict=True) if n == 0
        ]
        return fitting[0] if len(fitting) == 1 else None

    # ------------------------------------------------------------- loading
    def _read_file(self, plan: FilePlan) -> tuple[str, int]:
        """Create temp view `_file` (typed rows + x_error); return (view, rows read)."""
        con = self.con
        if plan.file_format == "parquet":
            relation = (
                f"read_parquet({_literal(str(plan.path))}, file_row_number = true, "
                "hive_partitioning = false)"
            )
            self._settle_date_order(plan, relation)
            select = self._typed_select(
                plan, relation, "file_row_number + 1", "cast(null as bigint)"
            )
            con.execute(f"create or replace temp view _file as {select}")
            rows_read = con.execute(
                "select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)",
                [str(plan.path)],
            ).fetchone()[0]
            return "_file", int(rows_read)
        if plan.file_format == "jsonl":
            return self._read_json_lines(plan)
        # CSV: structurally bad lines are rejected by the reader and quarantined.
        con.execute("drop table if exists reject_errors")
        con.execute("drop table if exists reject_scans")
        reader = _csv_reader(plan.read_path, list(plan.columns), store_rejects="true")
        try:
            con.execute(
                "create or replace temp table _csv as select row_number() over () "
                f"as __n, * from {reader}"
            )
        except duckdb.InvalidInputException as error:
            first = str(error).strip().splitlines()[0]
            raise ItfmError(
                "ITFM-L006", f"the CSV reader stopped: {first}", plan.rel
            ) from error
        rejects = con.execute(
            "select line, error_type, error_message, csv_line from reject_errors "
            "order by line"
        ).fetchall()
        rejects_by_line = {}
        for line, error_type, message, csv_line in rejects:
            rejects_by_line.setdefault(line, (error_type, message, csv_line))
        # Accepted row k sits on line k + 1 + (rejected lines before it).
        con.execute("create or replace temp table _reject_lines (t bigint)")
        if rejects_by_line:
            positions = [line - i - 1 for i, line in enumerate(sorted(rejects_by_line))]
            con.executemany(
                "insert into _reject_lines values (?)", [[p] for p in positions]
            )
        line_expr = "__n + 1 + (select count(*) from _reject_lines where t < __n)"
        self._settle_date_order(plan, "_csv")
        select = self._typed_select(plan, "_csv", "__n", line_expr)
        con.execute(f"create or replace temp view _file as {select}")
        for line, (error_type, message, csv_line) in sorted(rejects_by_line.items()):
            con.execute(
                "insert into raw.load_quarantine values (?, ?, ?, null, ?, ?, ?, ?, ?)",
                [
                    self.load_id,
                    plan.source.folder,
                    plan.rel,
                    line,
                    "ITFM-Q001",
                    f"ITFM-Q001 {error_type}: {message.splitlines()[0]}",
                    csv_line,
                    self.loaded_at,
                ],
            )
        accepted = con.execute("select count(*) from _csv").fetchone()[0]
        return "_file", int(accepted) + len(rejects_by_line)

    def _read_json_lines(self, plan: FilePlan) -> tuple[str, int]:
        """JSON lines: one row per non-blank line; a line that is not a JSON object
        is quarantined whole (ITFM-Q008). Each line is parsed once for all of its
        columns."""
        con = self.con
        names = list(plan.json_paths)
        paths = ", ".join(_literal(plan.json_paths[name]) for name in names)
        con.execute(
            "create or replace temp table _lines as select row_number() over () as "
            f"__n, line from {_json_lines_reader(plan.read_path)}"
        )
        con.execute(
            "create or replace temp table _jsonl as "
            "select __n, line, coalesce(case when json_valid(line) then "
            "json_type(json(line)) end = 'OBJECT', false) as __ok from _lines "
            "where line is not null and trim(line) != ''"
        )
        # json_extract_string gives scalars as text and objects/arrays as JSON;
        # JSON null becomes SQL null.
        values = (
            f"case when __ok then json_extract_string(line, [{paths}]) end"
            if names
            else "[]"
        )
        columns = ", ".join(
            f"__values[{i + 1}] as {_quote(name)}" for i, name in enumerate(names)
        )
        con.execute(
            "create or replace temp table _json_rows as select __n, __ok, line, "
            f"{columns} from (select __n, __ok, line, {values} as __values "
            "from _jsonl)"
        )
        self._settle_date_order(plan, "_json_rows")
        select = self._typed_select(
            plan,
            "_json_rows",
            "__n",
            "__n",
            first_check=(
                "case when not __ok then 'ITFM-Q008 line ' || __n || "
                "': not a JSON object' end"
            ),
            raw_expr="left(line, 2000)",
        )
        con.execute(f"create or replace temp view _file as {select}")
        rows = con.execute("select count(*) from _jsonl").fetchone()[0]
        return "_file", int(rows)

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

    def _refuse_rows_of_another_feed(self, source: Source) -> None:
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
        content = ", ".join(_quote(c.name) for c in source.columns)
        fingerprint = (
            f"select x_feed, {', '.join(keys)}, count(*) as n, "
            f"sum(cast(hash({content}) as hugeint)) as h"
        )
        same = " and ".join(f"n.{k} is not distinct from o.{k}" for k in keys)
        in_new = " and ".join(f"_new.{k} is not distinct from t.{k}" for k in keys)
        rows = self.con.execute(
            f"select n.x_feed, o.x_feed, {', '.join(f'n.{k}' for k in keys)} from "
            f"({fingerprint} from _new group by all) as n "
            f"join ({fingerprint} from {table} as t where exists (select 1 from _new "
            f"where {in_new}) group by all) as o "
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

    def _keep_unchanged_slices(self, source: Source, match: str) -> dict[str, int]:
        """Drop from the delivery the slices whose rows are already loaded as they are.

        A re-delivered file often repeats most of what it held (a telemetry file
        covering every day, a month-to-date export that gained a day). A slice whose
        rows (values, file and line; not the load id, load time or file hash) equal
        the loaded ones is neither deleted nor re-inserted, so it keeps the load that
        first brought it and incremental models do not see it as new. Returns the
        rows kept per file.
        """
        con = self.con
        table = f"raw.{source.table}"
        skip = {"x_load_id", "x_loaded_at", "x_file_hash"}
        columns = [
            _quote(row[0])
            for row in con.execute("describe _new").fetchall()
            if row[0] not in skip
        ]
        keys = [_quote(k) for k in _slice_keys(source)]
        fingerprint = (
            f"select {', '.join(keys)}, count(*) as n, "
            f"sum(cast(hash({', '.join(columns)}) as hugeint)) as h"
        )
        on = " and ".join(f"n.{k} is not distinct from o.{k}" for k in keys)
        con.execute(
            "create or replace temp table _unchanged as "
            f"select {', '.join(f'n.{k}' for k in keys)} from "
            f"({fingerprint} from _new group by all) as n "
            f"join ({fingerprint} from {table} "
            f"  where exists (select 1 from _slices where {match}) group by all) as o "
            f"on {on} and n.n = o.n and n.h = o.h"
        )
        if not con.execute("select count(*) from _unchanged").fetchone()[0]:
            return {}
        in_unchanged = " and ".join(
            f"{{t}}.{k} is not distinct from _unchanged.{k}" for k in keys
        )
        kept = dict(
            con.execute(
                "select x_source_file, count(*) from _new where exists "
                f"(select 1 from _unchanged where {in_unchanged.format(t='_new')}) "
                "group by 1"
            ).fetchall()
        )
        for temp in ("_new", "_slices"):
            con.execute(
                f"delete from {temp} where exists "
                f"(select 1 from _unchanged where {in_unchanged.format(t=temp)})"
            )
        return kept

    def _load_delivery(
        self, source: Source, plans: list[FilePlan], result: LoadResult
    ) -> None:
        """Replace the delivery's slices with its files, in one transaction."""
        con = self.con
        table = f"raw.{source.table}"
        keys = ", ".join(_quote(k) for k in _slice_keys(source))
        cost = (
            f"sum({_quote(source.cost_column)})"
            if source.cost_column
            else "cast(null as decimal)"
        )
        label = self._slice_label(source)
        con.execute("begin transaction")
        try:
            con.execute(
                f"create or replace temp table _new as select * from {table} limit 0"
            )
            audit_rows = []
            for plan in plans:
                view, rows_read = self._read_file(plan)
                loaded = con.execute(
                    "insert into _new by name "
                    "select * exclude (x_error, x_raw_content) "
                    f"from {view} where x_error is null"
                ).fetchone()[0]
                con.execute(
                    "insert into raw.load_quarantine select ?, ?, ?, x_source_row, "
                    "x_source_line, split_part(x_error, ' ', 1), x_error, "
                    f"x_raw_content, ? from {view} where x_error is not null",
                    [self.load_id, source.folder, plan.rel, self.loaded_at],
                )
                quarantined = con.execute(
                    "select count(*) from raw.load_quarantine where load_id = ? "
                    "and file_path = ?",
                    [self.load_id, plan.rel],
                ).fetchone()[0]
                slices = [
                    row[0]
                    for row in con.execute(
                        f"select distinct {label} from _new where x_source_file = ? "
                        "order by 1",
                        [plan.rel],
                    ).fetchall()
                ]
                audit_rows.append(
                    [
                        self.load_id,
                        source.folder,
                        plan.rel,
                        plan.file_hash,
                        plan.size,
                        plan.file_format,
                        plan.focus_version,
                        json.dumps(slices[:50] + (["..."] if len(slices) > 50 else [])),
                        rows_read,
                        loaded,
                        quarantined,
                        "loaded" if loaded + quarantined == rows_read else "incomplete",
                        None if loaded + quarantined == rows_read else "ITFM-L006",
                        "; ".join(
                            note
                            for note in (
                                f"{len(plan.extras)} extra column(s) kept in "
                                "x_extra_columns"
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
                            if note
                        )
                        or None,
                        self.loaded_at,
                    ]
                )
                result.rows_read += rows_read
                result.rows_loaded += loaded
                result.rows_quarantined += quarantined
            paths = ", ".join(_literal(plan.rel) for plan in plans)
            # Slices touched: those in the new files, and every slice the same paths
            # held before (a re-delivered file may no longer contain a period).
            con.execute(
                f"create or replace temp table _slices as "
                f"select distinct {keys} from _new union "
                f"{self._slices(source, f'x_source_file in ({paths})')}"
            )
            match = " and ".join(
                f"{table}.{_quote(k)} is not distinct from _slices.{_quote(k)}"
                for k in _slice_keys(source)
            )
            kept = self._keep_unchanged_slices(source, match)
            if kept:
                for row in audit_rows:
                    rows = kept.get(row[2], 0)
                    if rows:
                        note = f"{rows:,} row(s) in unchanged slices kept as loaded"
                        row[13] = f"{row[13]}; {note}" if row[13] else note
            con.execute(
                "insert into raw.load_slice_history "
                f"select ?, ?, label, sum(before_rows), sum(after_rows), "
                "sum(before_cost), sum(after_cost), ? from ("
                f"  select {label} as label, count(*) as before_rows, 0 as after_rows,"
                f"    {cost} as before_cost, 0 as after_cost from {table}"
                f"  where exists (select 1 from _slices where {match}) group by 1"
                f"  union all"
                f"  select {label}, 0, count(*), 0, {cost} from _new group by 1"
                ") group by label",
                [self.load_id, source.folder, self.loaded_at],
            )
            self._guard_row_drop(source)
            self._refuse_rows_of_another_feed(source)
            con.execute(
                f"delete from {table} "
                f"where exists (select 1 from _slices where {match})"
            )
            con.execute(f"insert into {table} by name select * from _new")
            con.executemany(
                "insert into raw.load_audit values "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                audit_rows,
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        for row in audit_rows:
            result.audit.append(
                dict(
                    zip(
                        [
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
                        ],
                        row,
                        strict=True,
                    )
                )
            )
        result.files_loaded += len(plans)

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
        seen, by_hash = self._previous()
        deliveries: dict[tuple[str, Path], list[tuple[Source, Path, str]]] = {}
        for source, path in files:
            digest = file_sha256(path)
            deliveries.setdefault((source.folder, path.parent), []).append(
                (source, path, digest)
            )
        plans: list[tuple[Source, list[FilePlan]]] = []
        errors: list[ItfmError] = []
        duplicates = []
        errors.extend(self.discovery_errors)
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
                if earlier is not None and earlier != rel:
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
                plans.append((delivery[0].source, delivery))
        if errors:
            self._record_failures(errors)
            raise ItfmErrors(errors)
        for source, delivery in plans:
            self._load_delivery(source, delivery, result)
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
        return result

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
