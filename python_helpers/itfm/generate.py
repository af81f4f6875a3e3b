"""Deterministic synthetic landing data: FOCUS 1.2 billing exports plus telemetry.

The generator writes one subfolder per source into a landing folder and a ground-truth
file ``_truth.json`` describing every injected reality (spikes, surges, orphaned
volumes, a tagging regression, trend and seasonality).  The same seed, scale, start
date and day count give byte-identical files.

All money is generated as integer micro-units (1e-6 of the currency) and written as
``DECIMAL(18, 6)`` so that totals are exact and invoices tie to the cent.

The parts live in ``itfm.generator``: the catalogue (scales, teams, providers),
array helpers, billing (inventory, events, FOCUS and native exports, invoices)
and telemetry; ``itfm.native`` writes the providers' native export formats.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

from itfm.generator.billing import BillingWriter
from itfm.generator.catalogue import BILLING_FORMATS, PROVIDERS, SCALES
from itfm.generator.telemetry import TelemetryWriter


class Generator(BillingWriter, TelemetryWriter):
    """Builds the landing folder for one (scale, seed, start, days)."""

    def __init__(
        self,
        out: Path,
        scale: str,
        days: int,
        seed: int,
        start: dt.date,
        billing_format: str = "native",
        azure_schema: str = "ea",
    ):
        if billing_format not in BILLING_FORMATS:
            raise ValueError(
                f"unknown billing format {billing_format!r}; "
                f"choose one of {list(BILLING_FORMATS)}"
            )
        if azure_schema not in ("ea", "mca"):
            raise ValueError("azure_schema must be 'ea' or 'mca'")
        self.billing_format = billing_format
        self.azure_schema = azure_schema
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; choose one of {list(SCALES)}")
        if days < 7:
            raise ValueError("--days must be at least 7")
        self.out = Path(out)
        self.scale = scale
        self.days = days
        self.seed = seed
        self.start = start
        self.dates = [start + dt.timedelta(days=i) for i in range(days)]
        self.truth: list[dict] = []
        self.rng = np.random.default_rng(seed)

    # ------------------------------------------------------------------ inventory

    def run(self) -> dict:
        self.out.mkdir(parents=True, exist_ok=True)
        counts = SCALES[self.scale]
        invoices = []
        for provider, count in zip(PROVIDERS, counts, strict=True):
            invoices.extend(self._focus_provider(provider, count))
        self._invoices(invoices)
        self._k8s()
        self._business_metrics()
        self._ci_builds()
        self._observability()
        self._deployments()
        self.truth.append(
            {
                "kind": "trend_growth",
                "start": self.dates[0].isoformat(),
                "end": self.dates[-1].isoformat(),
                "owner": None,
                "service": None,
                "monthly_growth": 0.03,
                "expected_impact": None,
            }
        )
        self.truth.append(
            {
                "kind": "weekly_seasonality",
                "start": self.dates[0].isoformat(),
                "end": self.dates[-1].isoformat(),
                "owner": None,
                "service": None,
                "weekend_factor": {"prod": 0.9, "non_prod": 0.7},
                "expected_impact": None,
            }
        )
        truth = {
            "generator": "itfm generate",
            "scale": self.scale,
            "seed": self.seed,
            "start": self.start.isoformat(),
            "days": self.days,
            "events": self.truth,
        }
        (self.out / "_truth.json").write_text(json.dumps(truth, indent=2) + "\n")
        return truth


def generate(
    out: Path,
    scale: str = "demo",
    days: int = 184,
    seed: int = 42,
    start: dt.date = dt.date(2026, 5, 1),
    billing_format: str = "native",
    azure_schema: str = "ea",
) -> dict:
    """Write a landing folder; return the ground truth that was written.

    billing_format "native" writes AWS, Azure and Google Cloud spend as their own
    exports (CUR 2.0, cost details, billing export) and the SaaS provider as
    FOCUS; "focus" writes every provider as FOCUS 1.2. The spend is the same.
    """
    return Generator(
        Path(out), scale, days, seed, start, billing_format, azure_schema
    ).run()
