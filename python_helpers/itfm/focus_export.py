"""FOCUS out: the billing fact in FOCUS column names, and the FinOps Foundation's
validator (focus-validator) run on it.

`export_focus` writes `fct_billing_line_items` as one Parquet file whose columns
are the FOCUS columns of the requested version (names from
seeds/reference/focus_columns.csv) followed by itfm's own `x_` columns. The rows
are the fact's, as delivered or mapped: nothing is corrected for the export.

`run_validator` runs focus-validator (its own environment: it needs Python 3.12
and duckdb < 2, see `make focus-validator`) on such a file and sorts the failed
rules: a failed MUST rule fails the check unless it is a known erratum of the
validator's 1.2 rule model (VALIDATOR_ERRATA, each with the reason); failed
SHOULD rules are reported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from itfm.errors import ItfmError

FOCUS_EXPORT_VERSIONS = ("1.2",)
# The validator's rule model bundled with focus-validator 2.2.1 (no download).
VALIDATOR_MODEL = "1.2.0.1"
# What itfm's data supports (the dataset's applicability criteria, in the
# validator's names): rules conditioned on other criteria do not apply.
APPLICABILITY_CRITERIA = (
    "ACCOUNT_NAMING_SUPPORTED",
    "AVAILABILITY_ZONE_SUPPORTED",
    "COMMITMENT_DISCOUNT_SUPPORTED",
    "MULTIPLE_PRICING_CATEGORIES_SUPPORTED",
    "NEGOTIATED_PRICING_SUPPORTED",
    "PUBLIC_PRICE_LIST_SUPPORTED",
    "USAGE_MEASUREMENT_SUPPORTED",
    "UNIT_PRICING_SUPPORTED",
    "SUB_ACCOUNT_SUPPORTED",
    "BILLING_BASED_ON_PROVISIONED_RESOURCES_SUPPORTED",
    "RESOURCE_TYPE_ASSIGNMENT_SUPPORTED",
    "PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED",
    "REGION_SUPPORTED",
    "TAGGING_SUPPORTED",
)
# Failed MUST rules that are errata of the validator's rule model, not of the
# data: each is listed with why. Any other failed MUST rule fails the check.
VALIDATOR_ERRATA = {
    "CommitmentDiscountStatus-C-004-C": (
        "the model's condition is inverted: it tests rows whose "
        "CommitmentDiscountId IS null, where the specification says 'MUST NOT be "
        "null when CommitmentDiscountId is not null and ChargeCategory is Usage'"
    ),
    "InvoiceId-C-004-C": (
        "the model gives 'MUST be null when the charge is not associated with an "
        "invoice' no condition (whether a charge is on an issued invoice is not in "
        "the data), so with InvoiceId-C-005-C it demands InvoiceId on every row or "
        "on none; the Azure EA cost details carry no invoice id, and a month not "
        "yet invoiced has none at any provider"
    ),
    "InvoiceId-C-005-C": "the other half of InvoiceId-C-004-C (see there)",
    "BilledCost-C-005-C": (
        "the model reads every row whose ProviderName differs from its "
        "InvoiceIssuerName as a marketplace charge paid to a third party; a "
        "provider's own invoicing entity ('AWS' invoiced by 'Amazon Web Services, "
        "Inc.', 'Microsoft' by 'Microsoft Ireland Operations Limited') is not a "
        "third party, and the specification's BilledCost-C-005 speaks of "
        "marketplace transactions only"
    ),
}
X_COLUMNS = (
    "x_line_item_id",
    "x_source",
    "x_feed",
    "x_source_file",
    "x_source_row",
    "x_focus_version",
    "x_data_quality_issues",
)


def export_focus(con, out: Path, version: str = "1.2") -> Path:
    """Write the fact in FOCUS `version` column names to `out`/focus-<v>.parquet."""
    if version not in FOCUS_EXPORT_VERSIONS:
        raise ValueError(
            f"FOCUS {version} export is not available; versions: "
            f"{', '.join(FOCUS_EXPORT_VERSIONS)}"
        )
    wanted = tuple(int(part) for part in version.split("."))
    columns = con.execute(
        "select column_id, column_name, introduced_version from main.focus_columns "
        "order by column_id"
    ).fetchall()
    select = []
    for column_id, column_name, introduced in columns:
        # "1.0-preview" was introduced with 1.0.
        major, minor = str(introduced).split("-")[0].split(".")[:2]
        if (int(major), int(minor)) > wanted:
            continue
        if column_name == "tags":
            # Tags as delivered when they are a JSON object (else the row's
            # x_data_quality_issues says tags_not_a_json_object).
            expression = "case when x_is_tags_valid then tags end"
        elif column_name == "sku_price_details":
            expression = (
                "case when json_valid(sku_price_details) then case when "
                "json_type(sku_price_details) = 'OBJECT' then sku_price_details end end"
            )
        else:
            expression = column_name
        select.append(f'{expression} as "{column_id}"')
    select += list(X_COLUMNS)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"focus-{version}.parquet"
    con.execute(
        f"copy (select {', '.join(select)} from main.fct_billing_line_items "
        "order by billing_period_start, x_line_item_id) "
        f"to '{path}' (format parquet)"
    )
    return path


@dataclass
class ValidatorOutcome:
    rules: int = 0
    failed_must: list[tuple[str, str]] = field(default_factory=list)
    errata: list[tuple[str, str]] = field(default_factory=list)
    failed_should: list[tuple[str, str]] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failed_must

    def report(self) -> str:
        lines = [
            f"focus-validator (model {VALIDATOR_MODEL}): {self.rules} rules, "
            f"{len(self.failed_must)} MUST failed, {len(self.failed_should)} "
            f"SHOULD failed, {len(self.errata)} validator errata"
        ]
        for rule, text in self.failed_must:
            lines.append(f"  FAILED MUST {rule}: {text}")
        for rule, text in self.failed_should:
            lines.append(f"  SHOULD {rule}: {text}")
        for rule, text in self.errata:
            lines.append(f"  erratum {rule}: {VALIDATOR_ERRATA[rule]} ({text})")
        return "\n".join(lines)


def validator_executable() -> Path:
    """focus-validator from ITFM_FOCUS_VALIDATOR or the project's .venv-focus."""
    configured = os.environ.get("ITFM_FOCUS_VALIDATOR")
    root = Path(__file__).resolve().parents[2]
    path = Path(configured) if configured else root / ".venv-focus/bin/focus-validator"
    if not path.exists():
        raise ItfmError(
            "ITFM-V002",
            f"focus-validator not found at {path}",
        )
    return path


def _package_dir(executable: Path) -> Path:
    found = sorted(
        executable.parent.parent.glob("lib/python*/site-packages/focus_validator")
    )
    if not found:
        raise ItfmError("ITFM-V002", f"no focus_validator package beside {executable}")
    return found[0]


def _sorted_outcome(tree: ET.ElementTree, rules: dict) -> ValidatorOutcome:
    """The validator's report sorted into MUST and SHOULD failures and the
    named errata (composite rules are reported through their parts)."""
    outcome = ValidatorOutcome()
    for case in tree.iter("testcase"):
        outcome.rules += 1
        rule = case.get("name", "").split(" :: ")[0]
        if case.find("failure") is None:
            continue
        definition = rules.get(rule, {})
        criteria = definition.get("ValidationCriteria", {})
        if definition.get("Function") == "Composite":
            continue  # an aggregate of rules reported on their own
        text = criteria.get("MustSatisfy", "")
        if criteria.get("Keyword", "").startswith("MUST"):
            if rule in VALIDATOR_ERRATA:
                outcome.errata.append((rule, text))
            else:
                outcome.failed_must.append((rule, text))
        else:
            outcome.failed_should.append((rule, text))
    return outcome


def run_validator(parquet: Path, executable: Path | None = None) -> ValidatorOutcome:
    """Run focus-validator on `parquet` and sort its failed rules."""
    executable = executable or validator_executable()
    package = _package_dir(executable)
    model = json.loads(
        (package / "rules" / f"model-{VALIDATOR_MODEL}.json").read_text()
    )
    rules = model["ModelRules"]
    with tempfile.TemporaryDirectory() as work:
        # The validator reads its currency list relative to the working folder.
        codes = Path(work) / "focus_validator" / "rules"
        codes.mkdir(parents=True)
        shutil.copy(package / "rules" / "currency_codes.csv", codes)
        report = Path(work) / "report.xml"
        process = subprocess.run(
            [
                str(executable),
                "--data-file",
                str(Path(parquet).resolve()),
                "--validate-version",
                VALIDATOR_MODEL,
                "--block-download",
                "--applicability-criteria",
                ",".join(APPLICABILITY_CRITERIA),
                "--output-type",
                "unittest",
                "--output-destination",
                str(report),
            ],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if not report.exists():
            tail = (process.stdout + process.stderr).strip().splitlines()[-5:]
            raise ItfmError("ITFM-V002", " | ".join(tail) or "no report written")
        tree = ET.parse(report)
    return _sorted_outcome(tree, rules)
