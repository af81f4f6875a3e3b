"""itfm: an IT Financial Management warehouse (dbt on DuckDB) and its helpers."""

__version__ = "0.1.0"
