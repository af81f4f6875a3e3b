"""The itfm error catalogue: every coded error and quarantine reason in one place.

Each entry has a code, a severity, a title and a mitigation (what the user should do).
The CLI prints the mitigation with the error; ``itfm errors`` prints the catalogue and
the README's error table is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    severity: str  # error: the run stops; quarantine: the row is set aside
    title: str
    mitigation: str


CATALOGUE: dict[str, CatalogueEntry] = {
    entry.code: entry
    for entry in [
        CatalogueEntry(
            "ITFM-L001",
            "error",
            "Empty file",
            "The file has no bytes, or (JSON lines) no row and no header to show it "
            "is an export. Ask the provider to re-deliver it, or delete it from the "
            "landing folder if the delivery is known to be empty.",
        ),
        CatalogueEntry(
            "ITFM-L002",
            "error",
            "Required columns missing",
            "Add the listed columns to the export, or declare a constant for them in "
            "a manifest (`<file>.manifest.json` or `_manifest.json` beside the file: "
            '{"defaults": {"BillingAccountId": "..."}}).',
        ),
        CatalogueEntry(
            "ITFM-L003",
            "error",
            "File is not UTF-8",
            "Re-export the file as UTF-8 (or convert it, for example with "
            "`iconv -f latin1 -t utf-8`) and load again.",
        ),
        CatalogueEntry(
            "ITFM-L004",
            "error",
            "Unknown file format",
            "itfm reads .parquet, .csv (optionally .csv.gz) and JSON-lines (.jsonl, "
            ".ndjson, .json, optionally .gz) files. Convert the file or move it out "
            "of the landing folder.",
        ),
        CatalogueEntry(
            "ITFM-L005",
            "error",
            "Unsupported FOCUS version",
            "itfm reads FOCUS 1.0, 1.1, 1.2 and 1.3. Export in one of those versions "
            "(FOCUS 0.5 files: re-export as 1.0 or later), or correct the "
            "focus_version declared in the file's metadata or manifest.",
        ),
        CatalogueEntry(
            "ITFM-L006",
            "error",
            "File cannot be read",
            "The file is truncated or corrupt. Ask for a new delivery; the previous "
            "data for its billing periods is kept until then.",
        ),
        CatalogueEntry(
            "ITFM-L007",
            "error",
            "Landing folder not found",
            "Pass an existing folder to --landing (create one with `itfm generate`).",
        ),
        CatalogueEntry(
            "ITFM-L008",
            "error",
            "Manifest cannot be read",
            "The manifest must be a JSON object with optional keys focus_version "
            "(string) and defaults (object of column: value). Fix or remove it.",
        ),
        CatalogueEntry(
            "ITFM-B001",
            "error",
            "dbt build failed",
            "Read the failing models and tests above; `target/run_results.json` has "
            "details. Data tests name the rows that break a rule.",
        ),
        CatalogueEntry(
            "ITFM-B004",
            "error",
            "The selection matches nothing",
            "dbt found no model, seed or test for the --select / --exclude given, so "
            "nothing was built. Check the names (`dbt ls --select ...` lists what a "
            "selector matches).",
        ),
        CatalogueEntry(
            "ITFM-B002",
            "error",
            "Nothing built yet",
            "The warehouse does not exist or has no finished `dbt build`. Run "
            "`itfm load --landing <folder>` and `itfm build` first.",
        ),
        CatalogueEntry(
            "ITFM-B003",
            "error",
            "The last build failed or did not finish",
            "validate, export, focus-validate and summary do not read the tables of "
            "a failed build (they may hold the previous build's rows beside this "
            "one's). Fix the failed nodes named above and run `itfm build` again.",
        ),
        CatalogueEntry(
            "ITFM-B005",
            "error",
            "Spark would round money",
            "The Spark session multiplies decimals with precision loss allowed, which "
            "rounds a product of two money amounts to six decimals. Set "
            '`spark.sql.decimalOperations.allowPrecisionLoss: "false"` in the '
            "target's `server_side_parameters` (or the cluster's Spark config), as "
            "the project's `spark` target does.",
        ),
        CatalogueEntry(
            "ITFM-B006",
            "error",
            "Spark and DuckDB differ",
            "A table built on Spark does not hold the rows the DuckDB build holds "
            "(the table above says which and how many). Build both from the same "
            "raw data (`itfm build`, then `itfm build --target spark`); if they "
            "still differ, report it with the table: it is a bug in itfm.",
        ),
        CatalogueEntry(
            "ITFM-B007",
            "error",
            "No Spark event log to profile",
            "`itfm spark-profile` reads the event log of a Spark build. Run the "
            "build with `ITFM_SPARK_EVENT_LOG=<folder>` set (for example "
            "`make spark-bench`), then point `--event-log` at that folder.",
        ),
        CatalogueEntry(
            "ITFM-B008",
            "error",
            "A model's columns changed since its table was built",
            "An incremental build adds rows to a table built by an earlier "
            "version of the model, whose columns (names or order) differ from "
            "the model's now, for example after upgrading itfm. Rebuild the "
            "tables once with `itfm build --full-refresh`.",
        ),
        CatalogueEntry(
            "ITFM-V001",
            "error",
            "Finance validation failed",
            "An expectation of the finance suites failed (named above with the "
            "rows that break it, for example the invoice that does not tie). Open "
            "the Data Docs it printed, fix the input or the rule, rebuild and run "
            "`itfm validate` again.",
        ),
        CatalogueEntry(
            "ITFM-V002",
            "error",
            "focus-validator not available",
            "The FinOps Foundation's validator runs in its own environment (Python "
            "3.12, duckdb < 2): create it with `make focus-validator`, or point "
            "ITFM_FOCUS_VALIDATOR at a focus-validator 2.2 executable.",
        ),
        CatalogueEntry(
            "ITFM-V003",
            "error",
            "The FOCUS export breaks a MUST rule",
            "focus-validator failed the MUST rules listed above on the FOCUS export "
            "of the billing fact. A rule broken by itfm's own mapping of a native "
            "export is a bug to fix in its core mapping model "
            "(int_<provider>__line_items_as_focus); rows a provider delivered in "
            "FOCUS are exported as delivered (their x_data_quality_issues).",
        ),
        CatalogueEntry(
            "ITFM-E001",
            "error",
            "Export failed",
            "A mart could not be written to the exports folder: build the "
            "warehouse first (`itfm build`) and check the folder is writable.",
        ),
        CatalogueEntry(
            "ITFM-E002",
            "error",
            "Not a dashboards folder",
            "`itfm dashboards` replaces its output folder whole, so it writes only "
            "into a new or empty folder or one it wrote before (with data.js and "
            "index.html). Pick another `--out`, or empty the folder yourself.",
        ),
        CatalogueEntry(
            "ITFM-E003",
            "error",
            "Cannot serve the dashboards",
            "`itfm serve` serves a folder `itfm dashboards` wrote, on 127.0.0.1. Run "
            "`itfm dashboards` first (or pass `--folder`); if the port is taken, "
            "pass another `--port`. The pages also open from disk without a server.",
        ),
        CatalogueEntry(
            "ITFM-L009",
            "error",
            "A delivery would empty or shrink a slice",
            "A new delivery holds no rows (or far fewer rows) for a billing period "
            "that had data. If the provider really restated the period to nothing, "
            "load again with --allow-row-drop; otherwise ask for a complete "
            "delivery. Nothing was changed.",
        ),
        CatalogueEntry(
            "ITFM-L013",
            "error",
            "Nothing to load",
            "The landing folder holds no file in a source subfolder. Check the path "
            "given to --landing and that the exports were copied into focus/, "
            "aws_cur/, azure_cost/, gcp_billing/ or a telemetry folder.",
        ),
        CatalogueEntry(
            "ITFM-L014",
            "error",
            "The same rows in two feeds",
            "A feed delivers, for a billing account and period, exactly the rows "
            "another feed already holds (the same export copied under two folders, "
            "perhaps re-saved a byte apart): loading both would count the period "
            "twice. Keep one of the two folders (or load with "
            "--allow-same-rows-in-feeds if both are meant). Nothing was changed.",
        ),
        CatalogueEntry(
            "ITFM-L012",
            "error",
            "Two columns for one",
            "The file has the same column twice (names compare without case, spaces, "
            "_ or -) or a column and an older name of it (EffectiveCost and "
            "AmortizedCost): itfm will not guess which one holds the amounts. Remove "
            "one from the export, or rename the one that is not meant. Nothing was "
            "loaded.",
        ),
        CatalogueEntry(
            "ITFM-L010",
            "error",
            "Unknown landing folder",
            "Files sit in a folder itfm does not read. Move them under one of: "
            "focus, aws_cur, azure_cost, gcp_billing, k8s_usage, business_metrics, "
            "ci_builds, observability_usage, cloud_assets, deployments, invoices "
            "(or prefix the folder with _ to keep it out of loads).",
        ),
        CatalogueEntry(
            "ITFM-L011",
            "error",
            "Azure export outside actual/ or amortized/",
            "Azure cost details do not say whether they are actual or amortized "
            "cost: put each export under azure_cost/actual/ or "
            "azure_cost/amortized/ (one subfolder per export below that is fine).",
        ),
        CatalogueEntry(
            "ITFM-A001",
            "error",
            "Allocation rules are invalid",
            "Fix seeds/allocation/allocation_rules.csv or allocation_targets.csv as "
            "the message says: a known pool column, operator, method and driver; "
            "fixed percentages adding up to 100; no target whose own pool an "
            "earlier step already emptied (a cycle or a wrong order).",
        ),
        CatalogueEntry(
            "ITFM-W001",
            "error",
            "Warehouse file is in use or unreadable",
            "Close other programs using the DuckDB file (BI tools, notebooks) and "
            "retry; set ITFM_DB to use another file.",
        ),
        CatalogueEntry(
            "ITFM-W002",
            "error",
            "Warehouse operation failed",
            "DuckDB refused an operation (message above). A failed load writes "
            "nothing (it is one transaction); fix the cause (disk space, memory limit "
            "ITFM_MEMORY_LIMIT, a hand-edited raw table) and run the command again.",
        ),
        CatalogueEntry(
            "ITFM-W003",
            "error",
            "itfm project not found",
            "Run itfm from the project folder (the one holding itfm's "
            "dbt_project.yml) or a folder below it, or set ITFM_PROJECT_DIR to it.",
        ),
        CatalogueEntry(
            "ITFM-X001",
            "error",
            "Internal error",
            "A bug in itfm, not in your data or settings (the traceback above says "
            "where). Please report it with the traceback and the command; the "
            "warehouse is left as the last successful step wrote it.",
        ),
        CatalogueEntry(
            "ITFM-Q001",
            "quarantine",
            "Malformed CSV row",
            "The row has too many or too few fields or an unterminated quote. Fix "
            "the export; the row is kept in raw.load_quarantine with its text.",
        ),
        CatalogueEntry(
            "ITFM-Q002",
            "quarantine",
            "Value cannot be read as its declared type",
            "The value is kept in raw.load_quarantine. Correct it at the source and "
            "re-deliver the file; the billing period's slice is replaced.",
        ),
        CatalogueEntry(
            "ITFM-Q003",
            "quarantine",
            "Required value missing",
            "A column the warehouse needs (ids, periods, costs) is empty on this row. "
            "Correct it at the source and re-deliver the file.",
        ),
        CatalogueEntry(
            "ITFM-Q004",
            "quarantine",
            "Unknown currency",
            "The row's currency (FOCUS BillingCurrency, CUR line_item_currency_code, "
            "Azure BillingCurrency, Google Cloud currency, an invoice's currency) is "
            "not an ISO 4217 code. Correct the export; amounts in an unknown "
            "currency cannot be converted or summed.",
        ),
        CatalogueEntry(
            "ITFM-Q005",
            "quarantine",
            "Charge starts after its billing period",
            "ChargePeriodStart is on or after BillingPeriodEnd, which no invoice can "
            "hold. Correct the export and re-deliver the period.",
        ),
        CatalogueEntry(
            "ITFM-Q006",
            "quarantine",
            "Future-dated charge",
            "ChargePeriodStart is more than a day after the load. Check the export's "
            "clock or time zone and re-deliver.",
        ),
        CatalogueEntry(
            "ITFM-Q007",
            "quarantine",
            "Negative quantity with a positive cost",
            "ConsumedQuantity is negative while BilledCost is positive. A refund "
            "carries a negative cost; correct the export and re-deliver.",
        ),
        CatalogueEntry(
            "ITFM-Q008",
            "quarantine",
            "JSON line is not an object",
            "A line of a JSON-lines file is not valid JSON (or not an object). The "
            "line is kept in raw.load_quarantine; re-export the file (for BigQuery: "
            "`bq extract --destination_format NEWLINE_DELIMITED_JSON`).",
        ),
        CatalogueEntry(
            "ITFM-Q010",
            "quarantine",
            "Currency symbol is not the row's currency",
            "An amount is written with a currency symbol ($, €, £, ¥) that does "
            "not stand for the row's currency (€12.50 on a USD row). itfm will not "
            "read it as the row's currency; correct the export and re-deliver.",
        ),
        CatalogueEntry(
            "ITFM-Q011",
            "quarantine",
            "Implausible billing period",
            "The billing period starts before 2000, ends on or before it starts, or "
            "is longer than the provider bills (a year in FOCUS, a month in the "
            "CUR): a misread or mistyped date. Correct the export and re-deliver.",
        ),
        CatalogueEntry(
            "ITFM-Q012",
            "quarantine",
            "Negative telemetry measure",
            "A usage, request, count or duration in telemetry is negative, which no "
            "meter reads: it would give negative shares or savings. Correct the "
            "collector's output and re-deliver.",
        ),
        CatalogueEntry(
            "ITFM-Q013",
            "quarantine",
            "Ambiguous day/month date",
            "A date like 05/06/2026 reads as 5 June or 6 May, and nothing says "
            "which: no manifest declares it, the file's other dates do not show "
            "it (a 13/06/2026 is day-first) and the provider has no known format "
            '(Azure writes month-first). Add "date_order": "DMY" (or '
            "\"MDY\") to the file's <file>.manifest.json or the folder's "
            "_manifest.json and load again; export ISO 8601 dates if you can.",
        ),
        CatalogueEntry(
            "ITFM-Q009",
            "quarantine",
            "ChargeCategory is not a FOCUS value",
            "ChargeCategory must be Usage, Purchase, Tax, Credit or Adjustment (any "
            "case): the allocation, invoices and KPIs depend on it. Correct the "
            "export (a refund is an Adjustment or a Credit) and re-deliver.",
        ),
    ]
}


class ItfmError(Exception):
    """A coded, user-facing error: what happened, where, and what to do."""

    def __init__(self, code: str, message: str, path: str | None = None):
        self.code = code
        self.entry = CATALOGUE[code]
        self.message = message
        self.path = path
        super().__init__(self.render())

    def render(self) -> str:
        where = f"\n  file: {self.path}" if self.path else ""
        return (
            f"{self.code} {self.entry.title}: {self.message}{where}\n"
            f"  what to do: {self.entry.mitigation}"
        )


def first_line(error: BaseException) -> str:
    """An engine's error message, its first line only (DuckDB adds context
    lines and hints that say nothing to whoever reads a load's error)."""
    return str(error).strip().splitlines()[0]


class ItfmErrors(Exception):
    """Several coded errors found together (for example in a load preflight)."""

    def __init__(self, errors: list[ItfmError]):
        self.errors = errors
        super().__init__("\n".join(error.render() for error in errors))


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (for the README and `itfm errors`)."""
    lines = ["| code | severity | title | what to do |", "|---|---|---|---|"]
    for entry in CATALOGUE.values():
        lines.append(
            f"| {entry.code} | {entry.severity} | {entry.title} | {entry.mitigation} |"
        )
    return "\n".join(lines)
