"""Reading a file as typed rows with a reason for every row that cannot be
read (the quarantine's x_error)."""

from __future__ import annotations

import datetime as dt

import duckdb

from itfm.errors import ItfmError, first_line
from itfm.load.files import (
    _csv_reader,
    _json_lines_reader,
)
from itfm.load.plan import FilePlan
from itfm.load.sql import (
    NULL_TOKENS,
    YEAR_FIRST_LAYOUTS,
    _ambiguous_date,
    _feed,
    _layouts,
    _literal,
    _non_empty_json_object,
    _quote,
    _slash_dates,
    _without_control,
)
from itfm.sources import (
    CURRENCIES,
    CURRENCY_SYMBOLS,
    LOGICAL_TYPES,
    Column,
    Source,
)


class FileReader:
    """The loader's typed reading of one file (a part of `Loader`)."""

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
            typed = self._typed_value(raw, file_type, kind, target)
            if typed:
                return typed
            raw = f"cast({raw} as varchar)"
        text = f"nullif(trim({raw}), '')"
        if kind in ("money", "decimal", "unit_price", "double", "bigint", "integer"):
            # A plain cast first: the lenient parser below runs only on the values
            # it rejects (DuckDB's coalesce evaluates an argument only for the rows
            # still null). A value the plain cast reads, the lenient one reads alike.
            lenient = self._lenient_number(text, kind, target)
            if kind == "double":
                number = f"try_cast({text} as double)"
                plain = f"case when isfinite({number}) then {number} end"
            else:
                plain = f"try_cast({text} as {target})"
            return f"coalesce({plain}, {lenient})"
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

    @staticmethod
    def _typed_value(raw: str, file_type: str, kind: str, target: str) -> str | None:
        """A typed file column (Parquet) read as `kind` without going through
        text; None when its type does not fit `kind` (then it is read as text)."""
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
        if kind in ("money", "decimal", "unit_price", "bigint", "integer") and numeric:
            return f"try_cast({raw} as {target})"
        if kind in ("timestamp", "date") and temporal:
            return f"try_cast({raw} as {target})"
        return None

    @staticmethod
    def _lenient_number(text: str, kind: str, target: str) -> str:
        """Accept "$1,234.56 ", "(12.00)" and "1.5e3"; reject "1.234,56" and words."""
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
        inner += [f"{first_check} as __unreadable"] if first_check else []
        inner += [f"{raw_expr} as __raw_text"] if raw_expr else []
        parsed, checks, raw_parts = [], [], []
        for index, column in enumerate(source.columns):
            expression = self._column_expression(
                plan, column, f"__raw_{index}", inner, checks, raw_parts
            )
            parsed.append(f"{expression} as {_quote(column.name)}")
        checks += self._row_rules(source)
        for column in plan.extras:
            inner.append(
                f"{_without_control(plan, column)} as {_quote('__extra_' + column)}"
            )
            raw_parts.append(
                f"{_literal(column)}, cast({_quote('__extra_' + column)} as varchar)"
            )
        error_expr, raw_content = self._error_and_raw_content(
            checks, raw_parts, first_check, raw_expr
        )
        names = [_quote(c.name) for c in source.columns]
        return f"""
            with raw_rows as (
                select {", ".join(inner)} from {relation}
            ),
            parsed as (
                select *, {", ".join(parsed)} from raw_rows
            )
            select {", ".join(names)}, {", ".join(self._lineage(plan))},
                {error_expr} as x_error,
                case when {error_expr} is not null then {raw_content} end
                    as x_raw_content
            from parsed
        """

    @staticmethod
    def _error_and_raw_content(
        checks: list[str],
        raw_parts: list[str],
        first_check: str | None,
        raw_expr: str | None,
    ) -> tuple[str, str]:
        """The row's quarantine reasons (joined; null when none) and the raw
        content kept with a quarantined row."""
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
        return error_expr, raw_content

    def _column_expression(
        self,
        plan: FilePlan,
        column: Column,
        alias: str,
        inner: list[str],
        checks: list[str],
        raw_parts: list[str],
    ) -> str:
        """One declared column's typed expression; adds the file column it reads
        (as `alias`) to `inner`, its quarantine reasons to `checks` and its raw
        value to `raw_parts`."""
        if column.name in plan.derived:
            inner.append(f"{plan.derived[column.name]} as {alias}")
            raw_parts.append(f"{_literal(column.name)}, {alias}")
            checks.extend(self._required_rule(column))
            return self._parse_expression(
                alias, "VARCHAR", column.type, plan.date_order
            )
        if column.name not in plan.mapping:
            default = plan.defaults.get(column.name)
            expression = (
                self._parse_expression(
                    _literal(default), "VARCHAR", column.type, plan.date_order
                )
                if default is not None
                else f"cast(null as {LOGICAL_TYPES[column.type]})"
            )
            checks.extend(self._required_rule(column))
            return expression
        file_col = plan.mapping[column.name]
        file_type = plan.columns[file_col]
        inner.append(f"{_without_control(plan, file_col)} as {alias}")
        raw_parts.append(f"{_literal(file_col)}, cast({alias} as varchar)")
        checks.extend(
            self._value_rules(plan, column, alias, file_type.upper() == "VARCHAR")
        )
        checks.extend(self._required_rule(column))
        return self._parse_expression(alias, file_type, column.type, plan.date_order)

    def _value_rules(
        self, plan: FilePlan, column: Column, alias: str, is_text: bool
    ) -> list[str]:
        """Quarantine reasons for one file column's value: a date that reads two
        ways, a value that cannot be read, a currency symbol of another currency."""
        rules: list[str] = []
        ambiguous = (
            _ambiguous_date(f"trim(cast({alias} as varchar))", plan.date_order)
            if column.type in ("date", "timestamp") and is_text
            else None
        )
        if ambiguous:
            rules.append(
                f"case when {_quote(column.name)} is null and {ambiguous} "
                f"then 'ITFM-Q013 {column.name}: ' || {alias}[:40] || "
                f"' is ambiguous (' || {_literal(plan.date_note)} || ')' end"
            )
        if column.type not in ("varchar", "json"):
            # The cheap test first: only rows whose value came out null go on
            # to the text comparisons.
            rules.append(
                f"case when {_quote(column.name)} is null and "
                f"{alias} is not null and "
                + (f"not coalesce({ambiguous}, false) and " * bool(ambiguous))
                + f"trim(cast({alias} as varchar)) not in "
                f"({', '.join(_literal(t) for t in NULL_TOKENS)}) then "
                f"'ITFM-Q002 {column.name}: cannot read ' || "
                f"cast({alias} as varchar)[:60] || ' as {column.type}' end"
            )
        source = plan.source
        if (
            column.type == "money"
            and is_text
            and source.currency_columns
            and not column.name.startswith("PricingCurrency")
        ):
            rules.append(
                self._symbol_rule(alias, column.name, source.currency_columns[0])
            )
        return rules

    @staticmethod
    def _required_rule(column: Column) -> list[str]:
        if not column.required:
            return []
        return [
            f"case when {_quote(column.name)} is null then "
            f"'ITFM-Q003 {column.name}: required value missing' end"
        ]

    def _row_rules(self, source: Source) -> list[str]:
        """The checks on a whole row: currencies, the billing period, signs, and
        FOCUS's own rules."""
        checks = [self._currency_rule(name) for name in source.currency_columns]
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
        return checks

    def _lineage(self, plan: FilePlan) -> list[str]:
        """The lineage columns of every row of the file."""
        source = plan.source
        # The columns that are not declared, as a JSON object of their non-empty
        # values (null when all are empty): kept, but not a copy of every blank.
        extra_json = (
            _non_empty_json_object([(c, _quote("__extra_" + c)) for c in plan.extras])
            if plan.extras
            else "cast(null as varchar)"
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
        return lineage

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
        """A currency column of any source holds an ISO 4217 code (any case).
        One regular expression over the codes (letters only): an IN list of
        them is evaluated per row, since the loader's batches run without
        DuckDB's IN-list rewrite, and took half as long again."""
        codes = "|".join(sorted(CURRENCIES))
        column = _quote(name)
        return (
            f"case when not regexp_full_match(upper(trim({column})), '(?:{codes})') "
            f"then 'ITFM-Q004 {name}: unknown currency ' || {column} end"
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

    def _read_file(self, plan: FilePlan, view: str = "_file") -> tuple[str, int]:
        """Create temp view `view` (typed rows + x_error); return (view, rows read).
        A CSV or JSON-lines file's view reads temp tables of this connection's
        that the next such file replaces: read it before reading another.
        A file DuckDB cannot read past what the preflight read (a corrupt page)
        stops the load with ITFM-L006 naming it."""
        read = {"parquet": self._read_parquet, "jsonl": self._read_json_lines}
        try:
            return read.get(plan.file_format, self._read_csv)(plan, view)
        except duckdb.OutOfMemoryException:
            raise
        except duckdb.Error as error:
            first = first_line(error)
            raise ItfmError("ITFM-L006", first, plan.rel) from error

    def _read_parquet(self, plan: FilePlan, view: str) -> tuple[str, int]:
        """Parquet: columns read as their own types, row numbers from the file."""
        relation = (
            f"read_parquet({_literal(str(plan.path))}, file_row_number = true, "
            "hive_partitioning = false)"
        )
        self._settle_date_order(plan, relation)
        select = self._typed_select(
            plan, relation, "file_row_number + 1", "cast(null as bigint)"
        )
        self.con.execute(f"create or replace temp view {view} as {select}")
        rows_read = self.con.execute(
            "select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)",
            [str(plan.path)],
        ).fetchone()[0]
        return view, int(rows_read)

    def _read_csv(self, plan: FilePlan, view: str) -> tuple[str, int]:
        """CSV: structurally bad lines are rejected by the reader and quarantined
        (ITFM-Q001) with their line number and text."""
        con = self.con
        con.execute("drop table if exists reject_errors")
        con.execute("drop table if exists reject_scans")
        reader = _csv_reader(plan.read_path, list(plan.columns), store_rejects="true")
        try:
            con.execute(
                "create or replace temp table _csv as select row_number() over () "
                f"as __n, * from {reader}"
            )
        except duckdb.InvalidInputException as error:
            first = first_line(error)
            raise ItfmError(
                "ITFM-L006", f"the CSV reader stopped: {first}", plan.rel
            ) from error
        rejects = self._quarantine_rejected_lines(plan)
        # Accepted row k sits on line k + 1 + (rejected lines before it).
        con.execute("create or replace temp table _reject_lines (t bigint)")
        if rejects:
            positions = [line - i - 1 for i, line in enumerate(rejects)]
            con.executemany(
                "insert into _reject_lines values (?)", [[p] for p in positions]
            )
        line_expr = "__n + 1 + (select count(*) from _reject_lines where t < __n)"
        self._settle_date_order(plan, "_csv")
        select = self._typed_select(plan, "_csv", "__n", line_expr)
        con.execute(f"create or replace temp view {view} as {select}")
        accepted = con.execute("select count(*) from _csv").fetchone()[0]
        return view, int(accepted) + len(rejects)

    def _quarantine_rejected_lines(self, plan: FilePlan) -> list[int]:
        """The CSV reader's rejected lines into the quarantine, once per line;
        returns their line numbers, in order."""
        rejects = self.con.execute(
            "select line, error_type, error_message, csv_line from reject_errors "
            "order by line"
        ).fetchall()
        by_line = {}
        for line, error_type, message, csv_line in rejects:
            by_line.setdefault(line, (error_type, message, csv_line))
        for line, (error_type, message, csv_line) in sorted(by_line.items()):
            self.con.execute(
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
        return sorted(by_line)

    def _read_json_lines(self, plan: FilePlan, view: str) -> tuple[str, int]:
        """JSON lines: one row per non-blank line; a line that is not a JSON object
        is quarantined whole (ITFM-Q008). Each line is parsed once for all of its
        columns."""
        con = self.con
        names = list(plan.json_paths)
        paths = ", ".join(_literal(plan.json_paths[name]) for name in names)
        # json_extract_string gives scalars as text and objects/arrays as JSON;
        # JSON null becomes SQL null. One statement: the lines are numbered as
        # the file holds them (blank ones too), then parsed once.
        values = (
            f"case when __ok then json_extract_string(line, [{paths}]) end"
            if names
            else "[]"
        )
        columns = ", ".join(
            f"__values[{i + 1}] as {_quote(name)}" for i, name in enumerate(names)
        )
        con.execute(
            "create or replace temp table _json_rows as with numbered as ("
            f"  select row_number() over () as __n, line "
            f"  from {_json_lines_reader(plan.read_path)}"
            "), kept as ("
            "  select __n, line, coalesce(case when json_valid(line) then "
            "  json_type(json(line)) end = 'OBJECT', false) as __ok from numbered "
            "  where line is not null and trim(line) != ''"
            f") select __n, __ok, line, {columns} from ("
            f"  select __n, __ok, line, {values} as __values from kept)"
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
        con.execute(f"create or replace temp view {view} as {select}")
        rows = con.execute("select count(*) from _json_rows").fetchone()[0]
        return view, int(rows)
