"""What the generated world holds: scales, teams, environments, providers with
their services, regions, commitments and tag styles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MICROS = 1_000_000
SCALES = {
    # resources per provider (aws, azure, gcp, saas), before telemetry
    "ci": (24, 14, 10, 4),
    "demo": (180, 100, 70, 20),
    "1m": (2_700, 1_500, 1_050, 250),
    "medium": (27_000, 15_000, 10_500, 2_500),
    "large": (136_000, 75_000, 52_000, 12_000),
}
EPOCH = dt.date(1970, 1, 1)
BILLING_FORMATS = ("native", "focus")

TEAMS = [
    # team, cost center, product
    ("payments", "CC-1001", "payments-api"),
    ("checkout", "CC-1002", "storefront"),
    ("search", "CC-1003", "storefront"),
    ("platform", "CC-2001", "shared-platform"),
    ("data", "CC-3001", "analytics"),
    ("ml", "CC-3002", "storefront"),
    ("identity", "CC-1004", "mobile-app"),
    ("mobile", "CC-1005", "mobile-app"),
]
ENVIRONMENTS = ["prod", "staging", "dev"]


@dataclass
class Commitment:
    """A commitment discount (savings plan or reservation) a provider account holds.

    It covers its services' production resources that run the whole window and
    draw ``lo <= u < hi`` (one uniform draw per resource). Its daily value is the
    covered effective cost at 88% utilization; ``upfront_share`` of it was paid
    upfront for a ``TERM_DAYS`` term starting on the first generated day, the rest
    is a recurring fee billed daily or once per month (``fee_grain``).
    """

    id: str
    type: str  # FOCUS CommitmentDiscountType
    category: str  # FOCUS CommitmentDiscountCategory
    services: tuple[str, ...]
    lo: float
    hi: float
    upfront_share: float = 0.0
    fee_grain: str = "day"


TERM_DAYS = 365
COMMITTED_RATE = 0.62  # effective price of committed usage vs contracted
UTILIZATION = 0.88
SPOT_LIST_FACTOR = 0.35  # spot price vs the on-demand list price


@dataclass
class Provider:
    key: str
    provider_name: str
    billing_account_id: str
    billing_account_name: str
    billing_account_type: str
    currency: str
    sub_accounts: list[tuple[str, str, str]]  # id, name, environment
    sub_account_type: str
    regions: list[tuple[str, str]]
    # service name, category, subcategory, resource type, unit, list price micros,
    # relative weight, is_compute
    services: list[tuple[str, str, str, str, str, int, float, bool]]
    negotiated_discount: float
    tax_rate: float
    commitments: list[Commitment]
    extra: dict = field(default_factory=dict)


PROVIDERS = [
    Provider(
        "aws",
        "AWS",
        "210987654321",
        "acme-aws-payer",
        "Billing Account",
        "USD",
        [
            ("111111111111", "acme-prod", "prod"),
            ("222222222222", "acme-staging", "staging"),
            ("333333333333", "acme-dev", "dev"),
            ("444444444444", "acme-shared-platform", "prod"),
        ],
        "Linked Account",
        [("us-east-1", "US East (N. Virginia)"), ("eu-west-1", "Europe (Ireland)")],
        [
            (
                "Amazon Elastic Compute Cloud",
                "Compute",
                "Virtual Machines",
                "Instance",
                "Hours",
                96_000,
                0.45,
                True,
            ),
            (
                "Amazon Simple Storage Service",
                "Storage",
                "Object Storage",
                "Bucket",
                "GB-Months",
                23_000,
                0.15,
                False,
            ),
            (
                "Amazon Elastic Block Store",
                "Storage",
                "Block Storage",
                "Volume",
                "GB-Months",
                80_000,
                0.08,
                False,
            ),
            (
                "Amazon Relational Database Service",
                "Databases",
                "Relational Databases",
                "DB Instance",
                "Hours",
                171_000,
                0.17,
                False,
            ),
            (
                "AWS Data Transfer",
                "Networking",
                "Network Connectivity",
                "Data Transfer",
                "GB",
                90_000,
                0.10,
                False,
            ),
            (
                "Amazon CloudWatch",
                "Management and Governance",
                "Observability",
                "Log Group",
                "GB",
                500_000,
                0.05,
                False,
            ),
        ],
        0.08,
        0.07,
        [
            Commitment(
                "arn:aws:savingsplans::210987654321:savingsplan/"
                "3f2a7c1e-5b9d-4e8f-a6c4-0d1e2f3a4b5c",
                "Savings Plan",
                "Spend",
                ("Amazon Elastic Compute Cloud",),
                0.0,
                0.45,
                upfront_share=0.25,
            ),
            Commitment(
                "arn:aws:rds:us-east-1:210987654321:ri:acme-db-ri-001",
                "Reservation",
                "Usage",
                ("Amazon Relational Database Service",),
                0.0,
                0.5,
                upfront_share=0.5,
                fee_grain="month",
            ),
        ],
    ),
    Provider(
        "azure",
        "Microsoft",
        "EA-8842117",
        "Acme Europe EA",
        "Billing Account",
        "EUR",
        [
            ("5f3c9a2e-1b7d-4e8a-9c61-2d4b8f0e7a13", "acme-eu-prod", "prod"),
            ("8b1e4d7c-3a9f-4c2b-b5e8-7f6a1d9c0e24", "acme-eu-dev", "dev"),
        ],
        "Subscription",
        [("westeurope", "West Europe"), ("northeurope", "North Europe")],
        [
            (
                "Virtual Machines",
                "Compute",
                "Virtual Machines",
                "Virtual machine",
                "Hours",
                88_000,
                0.50,
                True,
            ),
            (
                "Storage Accounts",
                "Storage",
                "Object Storage",
                "Storage account",
                "GB-Months",
                18_000,
                0.15,
                False,
            ),
            (
                "Azure SQL Database",
                "Databases",
                "Relational Databases",
                "SQL database",
                "Hours",
                150_000,
                0.25,
                False,
            ),
            (
                "Bandwidth",
                "Networking",
                "Network Connectivity",
                "Bandwidth",
                "GB",
                80_000,
                0.10,
                False,
            ),
        ],
        0.05,
        0.0,
        [
            Commitment(
                "/providers/Microsoft.Capacity/reservationOrders/"
                "4c1d2e3f-0a9b-4c8d-9e7f-6a5b4c3d2e1f/reservations/"
                "7e6d5c4b-3a2f-4e1d-8c9b-0a1f2e3d4c5b",
                "Reservation",
                "Usage",
                ("Virtual Machines",),
                0.0,
                0.30,
            ),
            Commitment(
                "/providers/Microsoft.BillingBenefits/savingsPlanOrders/"
                "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d/savingsPlans/"
                "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                "Savings Plan",
                "Spend",
                ("Virtual Machines",),
                0.30,
                0.45,
            ),
        ],
    ),
    Provider(
        "gcp",
        "Google Cloud",
        "01A2B3-C4D5E6-F7G8H9",
        "Acme GCP billing",
        "Billing Account",
        "USD",
        [
            ("acme-search-prod", "acme-search-prod", "prod"),
            ("acme-ml-dev", "acme-ml-dev", "dev"),
        ],
        "Project",
        [("us-central1", "Iowa"), ("europe-west4", "Netherlands")],
        [
            (
                "Compute Engine",
                "Compute",
                "Virtual Machines",
                "Instance",
                "Hours",
                95_000,
                0.45,
                True,
            ),
            (
                "Cloud Storage",
                "Storage",
                "Object Storage",
                "Bucket",
                "GB-Months",
                20_000,
                0.15,
                False,
            ),
            (
                "BigQuery",
                "Analytics",
                "Data Processing",
                "Dataset",
                "TB",
                6_250_000,
                0.25,
                False,
            ),
            (
                "Networking",
                "Networking",
                "Network Connectivity",
                "Network egress",
                "GB",
                120_000,
                0.15,
                False,
            ),
        ],
        0.0,
        0.06,
        [],
    ),
    Provider(
        "saas",
        "Datadog",
        "dd-55121",
        "Acme Datadog",
        "Organization",
        "USD",
        [("dd-org-acme", "acme", "prod")],
        "Organization",
        [],
        [
            (
                "Datadog Infrastructure Monitoring",
                "Management and Governance",
                "Observability",
                "Host",
                "Hosts",
                1_000_000,
                0.6,
                False,
            ),
            (
                "Datadog Log Management",
                "Management and Governance",
                "Observability",
                "Log index",
                "GB",
                100_000,
                0.4,
                False,
            ),
        ],
        0.10,
        0.07,
        [],
    ),
]

TAG_KEY_STYLES = [
    # team key, environment key, cost center key, value case
    ("Team", "Environment", "CostCenter", "title"),
    ("team ", "env", "cost-center", "lower"),
    ("owner", "environment", None, "upper"),
    ("team", "Env", "cost_center", "lower"),
]
