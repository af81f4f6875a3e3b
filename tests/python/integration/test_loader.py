"""itfm load: quarantine and audit counts, idempotency, slice replacement, errors."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from itfm.cli import main
from itfm.errors import ItfmError, ItfmErrors
from itfm.load import load

HEADER = (
    "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,"
    "ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,EffectiveCost,"
    "ProviderName,ServiceName,Tags"
)


def row(account="A1", period="2026-06", day="02", cost="10.00", category="Usage"):
    start = f"{period}-01T00:00:00Z"
    year, month = map(int, period.split("-"))
    end = f"{year + month // 12}-{month % 12 + 1:02d}-01T00:00:00Z"
    return (
        f"{account},USD,{start},{end},{period}-{day}T00:00:00Z,"
        f"{period}-{day}T01:00:00Z,{category},{cost},{cost},Prov,Svc,"
    )


def write(landing: Path, rel: str, text: str | bytes) -> Path:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def query(database: Path, sql: str, params=None):
    con = duckdb.connect(str(database))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def env(tmp_path):
    return tmp_path / "landing", tmp_path / "wh.duckdb"


def test_bad_rows_are_quarantined_with_reasons_and_counted(env):
    landing, database = env
    lines = [
        HEADER,
        row(cost="1.00"),
        row(cost="abc"),  # not a number
        row(account=""),  # required value missing
        row(cost="2.00") + ",surplus",  # too many fields
        row(cost='"3.00'),  # unterminated quote swallows the rest of the file
    ]
    write(landing, "focus/p/export.csv", "\n".join(lines) + "\n")
    result = load(database, landing)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert result.rows_loaded == 1
    audit = query(
        database, "select rows_read, rows_loaded, rows_quarantined from raw.load_audit"
    )
    assert audit[0][0] == audit[0][1] + audit[0][2]
    codes = query(
        database,
        "select line_number, error_code, error_message, raw_content "
        "from raw.load_quarantine order by line_number",
    )
    by_line = {line: (code, message, raw) for line, code, message, raw in codes}
    assert by_line[3][0] == "ITFM-Q002" and "BilledCost" in by_line[3][1]
    assert "abc" in by_line[3][2]
    assert by_line[4][0] == "ITFM-Q003" and "BillingAccountId" in by_line[4][1]
    assert by_line[5][0] == "ITFM-Q001"
    assert all(raw for _code, _message, raw in by_line.values())
    loaded = query(
        database, "select x_source_row, x_source_line from raw.focus_line_items"
    )
    assert loaded == [(1, 2)]


def test_localized_numbers_are_read_or_quarantined(env):
    landing, database = env
    lines = [HEADER] + [
        row(day=f"{i + 1:02d}", cost=cost)
        for i, cost in enumerate(
            ['"$1,234.56 "', "(12.00)", "1.5E-3", '"1.234,56"', " 7 ", "-0.10"]
        )
    ]
    write(landing, "focus/p/export.csv", "\n".join(lines) + "\n")
    load(database, landing)
    costs = query(
        database,
        'select cast("BilledCost" as varchar) from raw.focus_line_items '
        "order by x_source_row",
    )
    assert [c[0] for c in costs] == [
        "1234.5600000000",
        "-12.0000000000",
        "0.0015000000",
        "7.0000000000",
        "-0.1000000000",
    ]
    quarantined = query(database, "select raw_content from raw.load_quarantine")
    assert len(quarantined) == 1 and "1.234,56" in quarantined[0][0]


def test_reloading_unchanged_files_changes_nothing(env):
    landing, database = env
    write(landing, "focus/p/export.csv", f"{HEADER}\n{row()}\n{row(day='03')}\n")
    first = load(database, landing)
    before = query(database, "select * from raw.focus_line_items order by all")
    audit_before = query(database, "select count(*) from raw.load_audit")
    second = load(database, landing)
    assert first.files_loaded == 1
    assert second.files_loaded == 0 and second.files_unchanged == 1
    assert query(database, "select * from raw.focus_line_items order by all") == before
    assert query(database, "select count(*) from raw.load_audit") == audit_before


def test_a_new_delivery_replaces_its_billing_period_slice(env):
    landing, database = env
    path = write(
        landing,
        "focus/p/2026-06/export.csv",
        "\n".join([HEADER, row(cost="5"), row(cost="6"), row(period="2026-07")]) + "\n",
    )
    write(landing, "focus/p/2026-05/export.csv", f"{HEADER}\n{row(period='2026-05')}\n")
    load(database, landing)
    # The provider restates June (and July) in a new file under the same name.
    path.write_text(
        f"{HEADER}\n{row(cost='7.25')}\n{row(period='2026-07', cost='1')}\n",
        encoding="utf-8",
    )
    load(database, landing)
    totals = query(
        database,
        "select strftime(\"BillingPeriodStart\", '%Y-%m'), count(*), "
        'sum("BilledCost") from raw.focus_line_items group by 1 order by 1',
    )
    assert [(p, n, float(c)) for p, n, c in totals] == [
        ("2026-05", 1, 10.0),
        ("2026-06", 1, 7.25),
        ("2026-07", 1, 1.0),
    ]
    history = query(
        database,
        "select slice_key, rows_before, rows_after, billed_cost_before, "
        "billed_cost_after from raw.load_slice_history "
        "where rows_before > 0 order by 1",
    )
    assert [(h[0].split(" ")[0], h[1], h[2]) for h in history] == [
        ("p|A1|2026-06-01", 2, 1),
        ("p|A1|2026-07-01", 1, 1),
    ]
    assert float(history[0][3]) == 11.0 and float(history[0][4]) == 7.25


def test_a_redelivery_keeps_the_slices_it_repeats_unchanged(env):
    landing, database = env
    june = [row(cost="5"), row(day="03", cost="6")]
    path = write(
        landing,
        "focus/p/export.csv",
        "\n".join([HEADER, *june, row(period="2026-07")]) + "\n",
    )
    first = load(database, landing)
    # The file comes again: June as it was (same lines), July restated and grown.
    path.write_text(
        "\n".join(
            [HEADER, *june, row(period="2026-07", cost="9"), row(period="2026-07")]
        )
        + "\n",
        encoding="utf-8",
    )
    second = load(database, landing)
    loads = query(
        database,
        "select strftime(\"BillingPeriodStart\", '%Y-%m'), x_load_id, count(*), "
        'sum("BilledCost") from raw.focus_line_items group by 1, 2 order by 1',
    )
    assert [(p, i, n, float(c)) for p, i, n, c in loads] == [
        ("2026-06", first.load_id, 2, 11.0),
        ("2026-07", second.load_id, 2, 19.0),
    ]
    # Only July was replaced: June has no new version.
    history = query(
        database,
        "select split_part(slice_key, ' ', 1), rows_before, rows_after "
        "from raw.load_slice_history where load_id = ?",
        [second.load_id],
    )
    assert history == [("p|A1|2026-07-01", 1, 2)]
    audit = query(
        database,
        "select rows_read, rows_loaded, rows_quarantined, message "
        "from raw.load_audit where load_id = ?",
        [second.load_id],
    )
    assert audit == [(4, 4, 0, "2 row(s) in unchanged slices kept as loaded")]
    # A value changed in a repeated line: that slice is replaced after all.
    path.write_text(
        "\n".join(
            [HEADER, row(cost="5"), row(day="03", cost="6.5"), row(period="2026-07")]
        )
        + "\n",
        encoding="utf-8",
    )
    third = load(database, landing)
    assert query(
        database,
        "select split_part(slice_key, ' ', 1) from raw.load_slice_history "
        "where load_id = ? order by 1",
        [third.load_id],
    ) == [("p|A1|2026-06-01",), ("p|A1|2026-07-01",)]


def _focus_parquet(path: Path, costs: list[str], currency: str = "USD") -> None:
    """A FOCUS Parquet file of June rows for account A1, one per cost."""
    n = len(costs)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.table(
            {
                "BillingAccountId": ["A1"] * n,
                "BillingCurrency": [currency] + ["USD"] * (n - 1),
                "BillingPeriodStart": ["2026-06-01T00:00:00Z"] * n,
                "BillingPeriodEnd": ["2026-07-01T00:00:00Z"] * n,
                "ChargePeriodStart": [f"2026-06-{d + 1:02d}" for d in range(n)],
                "ChargePeriodEnd": [f"2026-06-{d + 2:02d}" for d in range(n)],
                "ChargeCategory": ["Usage"] * n,
                "BilledCost": pa.array([float(c) for c in costs], pa.float64()),
                "EffectiveCost": pa.array([float(c) for c in costs], pa.float64()),
                "ProviderName": ["Prov"] * n,
            }
        ),
        path,
    )


def test_deliveries_read_in_one_batch_replace_slices_in_delivery_order(env):
    """Parquet files are read a batch at a time, in one statement, before any
    slice is replaced: a later delivery of the same slice in the same load
    still replaces the earlier one (the rows staged for it set aside until its
    turn), and each file keeps its own counts, slices and quarantine."""
    landing, database = env
    older = landing / "focus" / "p" / "2026-06-a" / "export.parquet"
    newer = landing / "focus" / "p" / "2026-06-b" / "export.parquet"
    # The older delivery: June in three rows, the first in an unknown currency.
    _focus_parquet(older, ["5", "6", "99"], currency="XXQ")
    _focus_parquet(newer, ["7.25", "1"])
    os.utime(older, (1_000_000_000, 1_000_000_000))
    os.utime(newer, (2_000_000_000, 2_000_000_000))
    result = load(database, landing)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 1)
    assert query(
        database,
        'select x_source_file, x_source_row, "BilledCost" '
        "from raw.focus_line_items order by all",
    ) == [
        ("focus/p/2026-06-b/export.parquet", 1, 7.25),
        ("focus/p/2026-06-b/export.parquet", 2, 1),
    ]
    assert query(
        database,
        "select file_path, rows_read, rows_loaded, rows_quarantined, slices "
        "from raw.load_audit order by file_path",
    ) == [
        ("focus/p/2026-06-a/export.parquet", 3, 2, 1, '["p|A1|2026-06-01 00:00:00"]'),
        ("focus/p/2026-06-b/export.parquet", 2, 2, 0, '["p|A1|2026-06-01 00:00:00"]'),
    ]
    assert query(
        database,
        "select file_path, row_number, error_code from raw.load_quarantine",
    ) == [("focus/p/2026-06-a/export.parquet", 1, "ITFM-Q004")]
    # The older delivery wrote June (0 -> 2 rows); the newer replaced those 2.
    assert query(
        database,
        "select rows_before, rows_after, billed_cost_after "
        "from raw.load_slice_history order by rows_before",
    ) == [(0, 2, 105), (2, 2, 8.25)]


def test_the_same_file_delivered_twice_is_loaded_once(env):
    landing, database = env
    text = f"{HEADER}\n{row()}\n"
    write(landing, "focus/p/a/export.csv", text)
    load(database, landing)
    write(landing, "focus/p/b/export_copy.csv", text)
    result = load(database, landing)
    assert result.files_duplicate == 1
    assert query(database, "select count(*) from raw.focus_line_items") == [(1,)]
    status = query(
        database, "select status from raw.load_audit where file_path like '%copy%'"
    )
    assert status == [("duplicate",)]


def test_focus_versions_and_renamed_columns_are_mapped(env, tmp_path):
    landing, database = env
    legacy = HEADER.replace("Tags", "UsageQuantity").replace(
        "EffectiveCost", "AmortizedCost"
    )
    write(landing, "focus/v10/export.csv", f"{legacy}\n{row(account='V10')}3\n")
    write(
        landing,
        "focus/v11/export.csv",
        f"{HEADER},ServiceSubcategory\n{row(account='V11')},Other\n",
    )
    table = pa.table(
        {
            "billing_account_id": ["V12"],
            "billing_currency": ["EUR"],
            "billing_period_start": ["2026-06-01"],
            "billing_period_end": ["2026-07-01"],
            "charge_period_start": ["2026-06-02"],
            "charge_period_end": ["2026-06-03"],
            "charge_category": ["Usage"],
            "billed_cost": pa.array([1.25], pa.float64()),
            "effective_cost": pa.array([1.25], pa.float64()),
            "provider_name": ["P"],
            "invoice_id": ["I-1"],
        }
    )
    path = landing / "focus" / "v12" / "export.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    load(database, landing)
    rows = query(
        database,
        'select "BillingAccountId", x_focus_version, "ConsumedQuantity", '
        '"EffectiveCost", cast("BillingPeriodStart" as date) '
        "from raw.focus_line_items order by 1",
    )
    assert [(r[0], r[1]) for r in rows] == [
        ("V10", "1.0"),
        ("V11", "1.1"),
        ("V12", "1.2"),
    ]
    assert float(rows[0][2]) == 3.0
    assert float(rows[2][3]) == 1.25
    assert str(rows[2][4]) == "2026-06-01"


@pytest.mark.parametrize(
    ("rel", "content", "code"),
    [
        ("focus/p/empty.csv", "", "ITFM-L001"),
        ("focus/p/missing.csv", "BillingAccountId,BilledCost\nA,1\n", "ITFM-L002"),
        (
            "focus/p/latin1.csv",
            (HEADER + "\n" + row()).encode() + b"\xe9\n",
            "ITFM-L003",
        ),
        ("focus/p/export.xlsx", "not a spreadsheet", "ITFM-L004"),
        ("focus/p/truncated.parquet", b"PAR1\x00\x01\x02", "ITFM-L006"),
        # The same column twice, or an amount column and its older name: either
        # could hold the amounts.
        (
            "focus/p/twice.csv",
            f"{HEADER},BilledCost\n{row()},99\n",
            "ITFM-L012",
        ),
        (
            "focus/p/spaced.csv",
            f"{HEADER},Billed Cost\n{row()},99\n",
            "ITFM-L012",
        ),
        (
            "focus/p/aliased.csv",
            f"{HEADER},AmortizedCost\n{row()},99\n",
            "ITFM-L012",
        ),
        # FOCUS 0.5 (ChargeType, BilledCurrency, AmortizedCost; no ChargeCategory).
        (
            "focus/p/v05.csv",
            HEADER.replace("ChargeCategory", "ChargeType")
            .replace("BillingCurrency", "BilledCurrency")
            .replace("EffectiveCost", "AmortizedCost")
            + "\n"
            + row()
            + "\n",
            "ITFM-L005",
        ),
    ],
)
def test_bad_files_stop_with_a_coded_error(env, rel, content, code):
    landing, database = env
    write(landing, "focus/ok/export.csv", f"{HEADER}\n{row()}\n")
    write(landing, rel, content)
    with pytest.raises(ItfmErrors) as raised:
        load(database, landing)
    assert [e.code for e in raised.value.errors] == [code]
    assert rel in str(raised.value) and "what to do" in str(raised.value)
    # Nothing was loaded: the run stops before writing any data.
    assert query(database, "select count(*) from raw.focus_line_items") == [(0,)]
    assert query(
        database, "select error_code from raw.load_audit where status = 'failed'"
    ) == [(code,)]


@pytest.mark.parametrize("column", ["ChargePeriodStart", "BilledCost"])
def test_a_parquet_file_corrupt_past_its_footer_stops_the_load_naming_it(env, column):
    """A file whose footer reads (so the preflight passes) but one of whose
    column chunks does not: read while its dates are inspected (a text date
    column) or while its batch is written (a number), the load stops with
    ITFM-L006 naming that file, not the other file of the batch, and nothing
    of the load is written."""
    landing, database = env
    good = landing / "focus" / "p" / "2026-06" / "export.parquet"
    bad = landing / "focus" / "p" / "2026-07" / "export.parquet"
    _focus_parquet(good, ["5", "6"])
    _focus_parquet(bad, [str(n) for n in range(2000)])
    chunk = pq.ParquetFile(bad).metadata.row_group(0)
    names = [chunk.column(i).path_in_schema for i in range(chunk.num_columns)]
    start = chunk.column(names.index(column)).data_page_offset
    data = bytearray(bad.read_bytes())
    data[start : start + 24] = b"\xff" * 24  # the column's first page header
    bad.write_bytes(bytes(data))
    os.utime(good, (1_000_000_000, 1_000_000_000))
    os.utime(bad, (2_000_000_000, 2_000_000_000))
    with pytest.raises(ItfmError) as raised:
        load(database, landing)
    assert raised.value.code == "ITFM-L006"
    assert raised.value.path == "focus/p/2026-07/export.parquet"
    assert query(database, "select count(*) from raw.focus_line_items") == [(0,)]
    assert query(
        database, "select error_code from raw.load_audit where status = 'failed'"
    ) == [("ITFM-L006",)]


def test_unknown_focus_version_and_bad_manifest(env):
    landing, database = env
    write(landing, "focus/p/export.csv", f"{HEADER}\n{row()}\n")
    write(
        landing,
        "focus/p/export.csv.manifest.json",
        json.dumps({"focus_version": "0.5"}),
    )
    with pytest.raises(ItfmErrors) as raised:
        load(database, landing)
    assert raised.value.errors[0].code == "ITFM-L005"
    write(landing, "focus/p/export.csv.manifest.json", "{not json")
    with pytest.raises(ItfmErrors) as raised:
        load(database, landing)
    assert raised.value.errors[0].code == "ITFM-L008"


def test_missing_landing_folder(tmp_path):
    with pytest.raises(ItfmError) as raised:
        load(tmp_path / "wh.duckdb", tmp_path / "nowhere")
    assert raised.value.code == "ITFM-L007"


def test_cli_prints_the_code_and_what_to_do(env, capsys, monkeypatch):
    landing, database = env
    write(landing, "focus/p/empty.csv", "")
    monkeypatch.setenv("ITFM_DB", str(database))
    code = main(["load", "--landing", str(landing)])
    err = capsys.readouterr().err
    assert code == 2
    assert "ITFM-L001" in err and "what to do" in err and "empty.csv" in err
    assert "Traceback" not in err


def test_gzipped_csv_is_read(env):
    landing, database = env
    write(
        landing, "focus/p/export.csv.gz", gzip.compress(f"{HEADER}\n{row()}\n".encode())
    )
    result = load(database, landing)
    assert result.rows_loaded == 1


def test_an_empty_redelivery_is_refused_unless_allowed(env):
    landing, database = env
    path = write(landing, "focus/p/2026-06/export.csv", f"{HEADER}\n{row()}\n{row()}\n")
    load(database, landing)
    path.write_text(f"{HEADER}\n", encoding="utf-8")
    with pytest.raises(ItfmError) as raised:
        load(database, landing)
    assert raised.value.code == "ITFM-L009"
    assert "p|A1|2026-06-01" in str(raised.value) and "2 -> 0 rows" in str(raised.value)
    assert query(database, "select count(*) from raw.focus_line_items") == [(2,)]
    load(database, landing, allow_row_drop=True)
    assert query(database, "select count(*) from raw.focus_line_items") == [(0,)]


def test_two_feeds_restated_to_no_rows_by_the_same_bytes_are_both_loaded(env):
    """Two feeds' periods restated to nothing arrive as two header-only files,
    byte for byte alike: the second is not a duplicate of the first, each
    empties its own slice."""
    landing, database = env
    paths = [
        write(
            landing, f"focus/{feed}/2026-06/export.csv", f"{HEADER}\n{row(cost=cost)}\n"
        )
        for feed, cost in (("p", "10.00"), ("q", "12.00"))
    ]
    load(database, landing)
    for path in paths:
        path.write_text(f"{HEADER}\n", encoding="utf-8")
    result = load(database, landing, allow_row_drop=True)
    assert result.files_duplicate == 0
    assert query(database, "select count(*) from raw.focus_line_items") == [(0,)]
    assert query(
        database,
        "select slice_key, rows_before, rows_after from raw.load_slice_history "
        "where rows_after = 0 order by 1",
    ) == [("p|A1|2026-06-01 00:00:00", 1, 0), ("q|A1|2026-06-01 00:00:00", 1, 0)]


def test_a_refused_delivery_leaves_the_whole_load_unwritten(env):
    """A load is one transaction: when one delivery is refused, the deliveries
    before it in the same run are not written either, and the refusal is in
    the audit."""
    landing, database = env
    old = write(landing, "focus/p/2026-06/export.csv", f"{HEADER}\n{row()}\n{row()}\n")
    load(database, landing)
    os.utime(old, (1_000_000_000, 1_000_000_000))  # the older of the two
    write(landing, "focus/p/2026-07/export.csv", f"{HEADER}\n{row(period='2026-07')}\n")
    old.write_text(f"{HEADER}\n", encoding="utf-8")
    os.utime(old, (2_000_000_000, 2_000_000_000))  # delivered after July
    with pytest.raises(ItfmError) as raised:
        load(database, landing)
    assert raised.value.code == "ITFM-L009"
    assert query(
        database,
        "select strftime(\"BillingPeriodStart\", '%Y-%m'), count(*) "
        "from raw.focus_line_items group by 1",
    ) == [("2026-06", 2)]
    assert query(
        database,
        "select status, error_code from raw.load_audit where status = 'failed'",
    ) == [("failed", "ITFM-L009")]


def test_a_long_load_on_a_terminal_shows_progress(env, monkeypatch, capsys):
    from itfm.load import loader

    landing, database = env
    for month in ("2026-06", "2026-07"):
        write(
            landing, f"focus/p/{month}/export.csv", f"{HEADER}\n{row(period=month)}\n"
        )
    monkeypatch.setattr(loader.sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(loader.Progress.__init__, "__defaults__", (0.0,))
    load(database, landing)
    err = capsys.readouterr().err
    assert "loading: 1/2 files, 1 rows" in err and "loading: 2/2 files, 2 rows" in err
    assert "rows/s" in err and err.endswith("\n")


def test_a_large_drop_is_refused_by_default(env):
    landing, database = env
    rows = "\n".join(row(day=f"{d:02d}") for d in range(1, 11))
    path = write(landing, "focus/p/2026-06/export.csv", f"{HEADER}\n{rows}\n")
    load(database, landing)
    path.write_text(f"{HEADER}\n{row()}\n", encoding="utf-8")
    with pytest.raises(ItfmError) as raised:
        load(database, landing)  # more than half of the slice's rows removed
    assert "10 -> 1 rows" in str(raised.value)
    assert query(database, "select count(*) from raw.focus_line_items") == [(10,)]
    load(database, landing, max_row_drop_pct=100)  # only emptying is refused
    assert query(database, "select count(*) from raw.focus_line_items") == [(1,)]


def test_a_restatement_removing_less_than_half_is_accepted(env):
    landing, database = env
    rows = "\n".join(row(day=f"{d:02d}") for d in range(1, 11))
    path = write(landing, "focus/p/2026-06/export.csv", f"{HEADER}\n{rows}\n")
    load(database, landing)
    kept = "\n".join(row(day=f"{d:02d}") for d in range(1, 7))
    path.write_text(f"{HEADER}\n{kept}\n", encoding="utf-8")
    load(database, landing)
    assert query(database, "select count(*) from raw.focus_line_items") == [(6,)]


def test_an_empty_landing_folder_says_so(tmp_path, capsys):
    (tmp_path / "landing" / "focus").mkdir(parents=True)
    code = main(["load", "--landing", str(tmp_path / "landing")])
    assert code == 2
    assert "ITFM-L013" in capsys.readouterr().err


def test_a_build_selecting_nothing_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ITFM_DB", str(tmp_path / "wh.duckdb"))
    code = main(["build", "--target", "ci", "--select", "no_such_model"])
    assert code == 2
    assert "ITFM-B004" in capsys.readouterr().err


def test_a_warehouse_held_by_another_process_is_w001_everywhere(env, capsys):
    """Every command answers ITFM-W001, without a traceback, while another
    process (a notebook, a BI tool) holds the warehouse."""
    import subprocess
    import sys

    landing, database = env
    write(landing, "focus/p/export.csv", f"{HEADER}\n{row()}\n")
    load(database, landing)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(120)",
            str(database),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        os.environ["ITFM_DB"] = str(database)
        for command in (
            ["load", "--landing", str(landing)],
            ["build"],
            ["summary"],
            ["validate"],
            ["export"],
        ):
            assert main(command) == 2, command
            err = capsys.readouterr().err
            assert "ITFM-W001" in err and "Traceback" not in err, (command, err)
    finally:
        os.environ.pop("ITFM_DB", None)
        holder.kill()
        holder.wait()
