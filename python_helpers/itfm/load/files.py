"""What the loader learns from a file's bytes: hash, format, encoding, line
endings, CSV header, JSON lines, the manifest sidecar."""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import json
import re
import zlib
from pathlib import Path

import duckdb

from itfm.errors import ItfmError
from itfm.load.sql import (
    _literal,
)


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


def holds_no_rows(path: Path) -> bool:
    """Whether the file is a header (CSV) or a schema (Parquet) with no rows:
    such a file restates its slices to nothing, and two of them are the same
    bytes without being the same delivery. Only a small file is read."""
    if path.stat().st_size > 1 << 16:
        return False
    file_format = _file_format(path)
    try:
        if file_format == "parquet":  # as the loader counts a file's rows
            return (
                duckdb.execute(
                    "select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)",
                    [str(path)],
                ).fetchone()[0]
                == 0
            )
        if file_format == "csv":
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8-sig", errors="replace") as text:
                lines = [line for line in text.read().splitlines() if line.strip()]
            return len(lines) <= 1
    except (OSError, ValueError, EOFError, zlib.error, duckdb.Error):
        return False  # unreadable: the preflight reports it
    return False


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
