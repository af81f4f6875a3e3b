"""Preflight: what a file holds (format, columns, FOCUS version, date order)
before anything is written; a bad file stops the load with a coded error."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from itfm.errors import ItfmError, first_line
from itfm.load.files import (
    _check_utf8,
    _csv_header,
    _file_format,
    _json_columns,
    _json_lines_reader,
    _read_manifest,
    _with_line_feeds,
)
from itfm.load.sql import (
    DATE_ORDERS,
    _key,
    _literal,
    _non_empty_json_object,
    _quote,
    _slash_fields,
)
from itfm.sources import (
    FOCUS_0_5_COLUMNS,
    FOCUS_1_1_COLUMNS,
    FOCUS_1_2_COLUMNS,
    FOCUS_1_3_COLUMNS,
    FOCUS_SUCCESSORS,
    SUPPORTED_FOCUS_VERSIONS,
    Source,
)


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


def normalize_focus_version(raw: str) -> str | None:
    match = re.match(r"^\s*v?(\d+)\.(\d+)", str(raw))
    if not match:
        return None
    return f"{int(match.group(1))}.{int(match.group(2))}"


class Preflight:
    """The loader's preflight (a part of `Loader`)."""

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
        plan.columns = {
            "csv": self._csv_columns,
            "jsonl": self._json_lines_columns,
            "parquet": self._parquet_columns,
        }[fmt](plan)
        self._map_columns(plan)
        self._apply_manifest(plan, manifest)
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
    def _csv_columns(plan: FilePlan) -> dict[str, str]:
        """A CSV's header (every column text); a known column twice is refused."""
        header = _csv_header(plan.read_path)
        if not header:
            raise ItfmError("ITFM-L001", "the file has no header line", plan.rel)
        fields = _csv_header(plan.read_path, unique=False)
        known = {_key(c.name) for c in plan.source.columns}
        known |= {_key(old) for old, _new in plan.source.renames}
        twice = sorted({n for n in fields if fields.count(n) > 1 and _key(n) in known})
        if twice:
            raise ItfmError(
                "ITFM-L012",
                f"the header has {', '.join(map(repr, twice))} more than once",
                plan.rel,
            )
        return dict.fromkeys(header, "VARCHAR")

    def _json_lines_columns(self, plan: FilePlan) -> dict[str, str]:
        """The keys of a JSON-lines file's objects (nested keys as paths)."""
        try:
            structure = self.con.execute(
                "select json_group_structure(json(line)) from "
                f"{_json_lines_reader(plan.read_path)} "
                "where case when json_valid(line) "
                "then json_type(json(line)) end = 'OBJECT'"
            ).fetchone()[0]
        except duckdb.Error as error:
            first = first_line(error)
            raise ItfmError("ITFM-L006", first, plan.rel) from error
        plan.json_paths = _json_columns(json.loads(structure) if structure else None)
        if not plan.json_paths:
            raise ItfmError("ITFM-L001", "the file has no JSON object line", plan.rel)
        return dict.fromkeys(plan.json_paths, "VARCHAR")

    def _parquet_columns(self, plan: FilePlan) -> dict[str, str]:
        """A Parquet file's columns with their own types."""
        try:
            return {
                row[0]: row[1]
                for row in self.con.execute(
                    f"describe select * from read_parquet({_literal(str(plan.path))}, "
                    "hive_partitioning = false)"
                ).fetchall()
            }
        except duckdb.Error as error:
            first = first_line(error)
            raise ItfmError("ITFM-L006", first, plan.rel) from error

    @staticmethod
    def _apply_manifest(plan: FilePlan, manifest: dict) -> None:
        """A manifest's date order and the defaults of the columns the file lacks."""
        declared = manifest.get("date_order")
        if declared is not None:
            plan.date_order = str(declared).strip().upper()
            if plan.date_order not in DATE_ORDERS:
                raise ItfmError(
                    "ITFM-L008",
                    f"the manifest's date_order is {declared!r}, not MDY or DMY",
                    plan.rel,
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
            Preflight._legacy_cur_tags(plan)

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
        dates, day_first, month_first = self._slash_date_evidence(columns, relation)
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

    def _slash_date_evidence(
        self, columns: list[str], relation: str
    ) -> tuple[int, str | None, str | None]:
        """(slash dates in the file's date columns, one that only reads
        day-first, one that only reads month-first)."""
        values = " union all ".join(
            f"select trim({_quote(c)}) as v from {relation} "
            f"where contains({_quote(c)}, '/')"
            for c in columns
        )
        first, second = _slash_fields("v")
        return self.con.execute(
            f"select count(*), min(case when {first} > 12 and {second} <= 12 then v "
            f"end), min(case when {second} > 12 and {first} <= 12 then v end) "
            f"from ({values}) where {first} is not null"
        ).fetchone()

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
