"""Array and row helpers shared by the billing and telemetry writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from itfm.generator.catalogue import EPOCH, MICROS


def _case(value: str, style: str) -> str:
    return {"title": value.title(), "lower": value.lower(), "upper": value.upper()}[
        style
    ]


def _day_micros(date: dt.date) -> int:
    return (date - EPOCH).days * 86_400 * MICROS


def _decimal_array(
    micros: np.ndarray,
    precision: int = 18,
    scale: int = 6,
    valid: np.ndarray | None = None,
):
    """Exact DECIMAL(precision, scale) Arrow array from integer micro-units
    (null where `valid` is false)."""
    values = np.asarray(micros, dtype=np.int64)
    words = np.empty((len(values), 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = np.where(values < 0, -1, 0)
    validity = None
    if valid is not None:
        validity = pa.py_buffer(np.packbits(np.asarray(valid, bool), bitorder="little"))
    return pa.Array.from_buffers(
        pa.decimal128(precision, scale), len(values), [validity, pa.py_buffer(words)]
    )


def _charge(kind: str, day: int, amount: int, **extra) -> dict:
    """A row of a billing period that is not resource usage (credit, refund,
    tax, discount, ...): billed and effective cost are the same amount."""
    return {"kind": kind, "day": day, "billed": amount, "effective": amount, **extra}


def _dict_array(codes: np.ndarray, dictionary: list[str | None]) -> pa.Array:
    """A string column as an Arrow dictionary (fast for millions of rows).

    The dictionary is made unique and sorted first: Parquet writers are only
    byte-for-byte deterministic for dictionaries without repeated values.
    """
    codes = np.asarray(codes, dtype=np.int64)
    is_null = np.array([value is None for value in dictionary], dtype=bool)
    values = np.array(["" if value is None else value for value in dictionary])
    unique, inverse = np.unique(values, return_inverse=True)
    mask = is_null[codes] if is_null.any() else None
    indices = pa.array(inverse[codes].astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(
        indices, pa.array(unique.tolist(), pa.string())
    )


@dataclass
class Resources:
    """The generated resource inventory of one provider (arrays of equal length)."""

    resource_id: list[str]
    resource_name: list[str]
    service: np.ndarray
    sub_account: np.ndarray
    region: np.ndarray
    team: np.ndarray
    environment: np.ndarray
    tags: list[str | None]
    base_micros: np.ndarray
    start_day: np.ndarray
    end_day: np.ndarray
    committed: np.ndarray
    sku: list[str]
    commitment: np.ndarray  # 0: none, else 1 + index into provider.commitments
    spot: np.ndarray
