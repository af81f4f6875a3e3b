"""previous_rows: a Python model's table from the last build, only when it has
every column the model reuses."""

from types import SimpleNamespace

import duckdb
from itfm.python_models import previous_rows


def _dbt(con, table: str):
    database = con.execute("select current_database()").fetchone()[0]
    return SimpleNamespace(this=_Relation(database, "main", table))


class _Relation:
    def __init__(self, database, schema, identifier):
        self.database, self.schema, self.identifier = database, schema, identifier

    def __str__(self):
        return f'"{self.database}"."{self.schema}"."{self.identifier}"'


def test_previous_rows_need_every_column():
    con = duckdb.connect()
    assert previous_rows(_dbt(con, "forecasts"), con, ["a", "b"]) is None
    con.execute("create table forecasts as select 1 as a, 'x' as b")
    rows = previous_rows(_dbt(con, "forecasts"), con, ["a", "b"])
    assert rows.to_dict("records") == [{"a": 1, "b": "x"}]
    # A table an older release built, without a column the model now reuses.
    assert previous_rows(_dbt(con, "forecasts"), con, ["a", "b", "c"]) is None
    assert previous_rows(_dbt(con, "forecasts"), con, ["c", "a"]) is None
