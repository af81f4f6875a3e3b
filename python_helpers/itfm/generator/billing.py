"""Billing: the resource inventory, injected events, FOCUS and native exports,
cloud inventory snapshots and invoices."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from itfm import native
from itfm.generator.arrays import (
    Resources,
    _case,
    _charge,
    _day_micros,
    _decimal_array,
    _dict_array,
)
from itfm.generator.catalogue import (
    COMMITTED_RATE,
    ENVIRONMENTS,
    MICROS,
    SPOT_LIST_FACTOR,
    TAG_KEY_STYLES,
    TEAMS,
    TERM_DAYS,
    UTILIZATION,
    Provider,
)


class BillingWriter:
    """The billing half of the Generator (it holds the state)."""

    def _resources(self, provider: Provider, count: int) -> Resources:
        rng = self.rng
        weights = np.array([s[6] for s in provider.services])
        service = rng.choice(
            len(provider.services), size=count, p=weights / weights.sum()
        )
        sub_account = rng.integers(0, len(provider.sub_accounts), size=count)
        region = rng.integers(0, max(len(provider.regions), 1), size=count)
        team = rng.integers(0, len(TEAMS), size=count)
        environment = np.array(
            [ENVIRONMENTS.index(provider.sub_accounts[s][2]) for s in sub_account]
        )
        base = np.exp(rng.normal(np.log(14.0), 1.0, size=count)) * MICROS
        base = np.where(environment == 0, base * 2.0, base)
        start_day = np.where(
            rng.random(count) < 0.85, 0, rng.integers(0, self.days, size=count)
        )
        end_day = np.where(
            rng.random(count) < 0.9,
            self.days,
            np.maximum(start_day + 7, rng.integers(0, self.days + 1, size=count)),
        )
        end_day = np.minimum(end_day, self.days)
        draw = rng.random(count)
        commitment, spot = self._commitments(
            provider, service, environment, start_day, end_day, draw
        )
        committed = commitment > 0
        style = rng.integers(0, len(TAG_KEY_STYLES), size=count)
        tag_roll = rng.random(count)
        ids, names, tags, skus = self._names_and_tags(
            provider, service, sub_account, region, team, environment, style, tag_roll
        )
        return Resources(
            ids,
            names,
            service,
            sub_account,
            region,
            team,
            environment,
            tags,
            base.astype(np.int64),
            start_day,
            end_day,
            committed,
            skus,
            commitment,
            spot,
        )

    def _names_and_tags(
        self, provider, service, sub_account, region, team, environment, style, roll
    ) -> tuple[list, list, list, list]:
        """Each resource's id, name, tags (none for 8%, "{}" for 3%, else in one
        of the tag key styles) and SKU."""
        tag_roll = roll
        ids, names, tags, skus = [], [], [], []
        for i in range(len(service)):
            svc = provider.services[service[i]]
            team_name, cost_center, _product = TEAMS[team[i]]
            env = ENVIRONMENTS[environment[i]]
            name = f"{team_name}-{svc[3].lower().replace(' ', '-')}-{i:06d}"
            names.append(name)
            ids.append(
                self._resource_id(provider, svc, sub_account[i], region[i], name)
            )
            skus.append(f"{provider.key.upper()}-{service[i]:02d}-{svc[4].upper()}")
            if tag_roll[i] < 0.08:
                tags.append(None)
            elif tag_roll[i] < 0.11:
                tags.append("{}")
            else:
                team_key, env_key, cc_key, case = TAG_KEY_STYLES[style[i]]
                tag = {team_key: _case(team_name, case), env_key: _case(env, case)}
                if cc_key:
                    tag[cc_key] = (
                        cost_center if case != "lower" else cost_center.lower()
                    )
                if svc[7] and provider.key in ("aws", "azure") and i % 5 == 0:
                    tag["kubernetes-cluster"] = f"{provider.key}-prod-k8s"
                tags.append(json.dumps(tag, separators=(",", ":")))
        return ids, names, tags, skus

    def _commitments(self, provider, service, environment, start_day, end_day, draw):
        """Which commitment covers each resource, and which run on spot capacity.

        Small scales may have no resource a commitment's draw picks: the first
        eligible one is taken then (or a production resource is moved to the
        commitment's service), so every commitment has usage to cover.
        """
        names = [s[0] for s in provider.services]
        full_window = (start_day == 0) & (end_day == self.days)
        commitment = np.zeros(len(service), dtype=np.int64)
        for j, c in enumerate(provider.commitments, start=1):
            eligible = (
                np.isin(service, [names.index(n) for n in c.services])
                & (environment == 0)
                & full_window
                & (commitment == 0)
            )
            commitment[eligible & (draw >= c.lo) & (draw < c.hi)] = j
            if (commitment == j).any():
                continue
            if eligible.any():
                commitment[np.flatnonzero(eligible)[0]] = j
                continue
            spare = np.flatnonzero((environment == 0) & full_window & (commitment == 0))
            if len(spare):
                service[spare[-1]] = names.index(c.services[0])
                commitment[spare[-1]] = j
        is_compute = np.array([provider.services[s][7] for s in service])
        spot = np.zeros(len(service), dtype=bool)
        if provider.key in ("aws", "azure"):
            candidates = is_compute & (environment != 0) & (commitment == 0)
            spot = candidates & (draw >= 0.8)
            if not spot.any() and candidates.any():
                spot[np.flatnonzero(candidates)[0]] = True
        return commitment, spot

    @staticmethod
    def _resource_id(provider, svc, sub_account, region, name) -> str:
        sub_id = provider.sub_accounts[sub_account][0]
        region_id = provider.regions[region][0] if provider.regions else "global"
        if provider.key == "aws":
            kind = svc[3].lower().replace(" ", "-")
            return f"arn:aws:{kind}:{region_id}:{sub_id}:{name}"
        if provider.key == "azure":
            return (
                f"/subscriptions/{sub_id}/resourceGroups/rg-{name.split('-')[0]}"
                f"/providers/Microsoft.Resources/{svc[3].replace(' ', '')}/{name}"
            )
        if provider.key == "gcp":
            # A full resource name: //{service}/projects/{p}/{collection}/{name}.
            api = svc[0].lower().replace(" ", "")
            kind = svc[3].lower().replace(" ", "-")
            collection = kind + ("es" if kind.endswith("s") else "s")
            return f"//{api}.googleapis.com/projects/{sub_id}/{collection}/{name}"
        return f"{provider.key}:{sub_id}:{name}"

    # ------------------------------------------------------------------- costs
    def _multipliers(self, provider: Provider, res: Resources) -> np.ndarray:
        """Daily cost multiplier per (resource, day): trend, seasonality, noise."""
        days = np.arange(self.days)
        trend = (1.0 + 0.03) ** (days / 30.0)
        weekday = np.array([d.weekday() for d in self.dates])
        weekend = weekday >= 5
        env = res.environment[:, None]
        season = np.where(weekend[None, :], np.where(env == 0, 0.9, 0.7), 1.0)
        noise = np.exp(
            self.rng.normal(0.0, 0.04, size=(len(res.base_micros), self.days))
        )
        mult = trend[None, :] * season * noise
        committed = res.committed[:, None]
        return np.where(committed, 1.0, mult)

    def _inject(self, provider: Provider, res: Resources, mult: np.ndarray) -> None:
        """Apply the injected realities that act on cost multipliers."""
        if provider.key == "aws":
            self._inject_autoscaling_spike(provider, res, mult)
        if provider.key == "gcp":
            self._inject_egress_surge(provider, res, mult)

    def _inject_autoscaling_spike(self, provider, res, mult) -> None:
        """checkout's EC2 bill for two days grows to about five times its size."""
        day_of = int(self.days * 0.55)
        team = [t[0] for t in TEAMS].index("checkout")
        ec2 = 0
        mask = (
            (res.team == team)
            & (res.service == ec2)
            & (res.environment == 0)
            & ~res.committed
        )
        mask &= (res.start_day <= day_of) & (res.end_day > day_of + 2)
        if not mask.any():
            mask = self._force_resource(res, team, ec2)
        before = (res.base_micros[mask, None] * mult[mask, day_of : day_of + 2]).sum()
        # The autoscaler runs away: the team's compute bill for the two days
        # grows to about five times its usual size, whatever the scale.
        series = (res.team == team) & (res.service == ec2)
        series &= (res.start_day <= day_of) & (res.end_day > day_of + 2)
        usual = (
            res.base_micros[series, None] * mult[series, day_of : day_of + 2]
        ).sum()
        factor = 1.0 + 4.0 * float(usual) / float(before)
        mult[mask, day_of : day_of + 2] *= factor
        self._truth_event(
            "runaway_autoscaling_spike",
            day_of,
            day_of + 1,
            "checkout",
            provider.services[ec2][0],
            provider,
            before * (factor - 1.0),
        )

    def _inject_egress_surge(self, provider, res, mult) -> None:
        """search's networking costs ten times as much for three days."""
        day_of = int(self.days * 0.35)
        team = [t[0] for t in TEAMS].index("search")
        net = 3
        mask = (res.team == team) & (res.service == net)
        mask &= (res.start_day <= day_of) & (res.end_day > day_of + 3)
        if not mask.any():
            mask = self._force_resource(res, team, net)
        before = (res.base_micros[mask, None] * mult[mask, day_of : day_of + 3]).sum()
        mult[mask, day_of : day_of + 3] *= 10.0
        self._truth_event(
            "egress_surge",
            day_of,
            day_of + 2,
            "search",
            provider.services[net][0],
            provider,
            before * 9.0,
        )

    def _force_resource(self, res: Resources, team: int, service: int) -> np.ndarray:
        """Small scales may lack the resource an event needs: repurpose one."""
        candidates = np.flatnonzero(~res.committed & (res.environment == 0))
        idx = int(candidates[0]) if len(candidates) else 0
        res.team[idx], res.service[idx] = team, service
        res.tags[idx] = json.dumps(
            {"Team": TEAMS[team][0].title(), "Environment": "Prod"},
            separators=(",", ":"),
        )
        res.start_day[idx], res.end_day[idx] = 0, self.days
        mask = np.zeros(len(res.team), dtype=bool)
        mask[idx] = True
        return mask

    def _truth_event(self, kind, first, last, owner, service, provider, micros):
        self.truth.append(
            {
                "kind": kind,
                "start": self.dates[first].isoformat(),
                "end": self.dates[min(last, self.days - 1)].isoformat(),
                "owner": owner,
                "service": service,
                "provider": provider.provider_name,
                "billing_currency": provider.currency,
                "expected_impact": round(float(micros) / MICROS, 2),
            }
        )

    # -------------------------------------------------------------- FOCUS rows
    def _focus_provider(self, provider: Provider, count: int) -> list[dict]:
        res = self._resources(provider, count)
        if provider.key == "aws":
            self._add_orphaned_volumes(provider, res)
        mult = self._multipliers(provider, res)
        self._inject(provider, res, mult)
        if provider.key == "aws":
            self._cloud_assets(provider, res)
        cost = np.rint(res.base_micros[:, None] * mult).astype(np.int64)
        active = (np.arange(self.days)[None, :] >= res.start_day[:, None]) & (
            np.arange(self.days)[None, :] < res.end_day[:, None]
        )
        tags = _tag_codes(res)
        regressed = self._tagging_regression(provider, res, cost, active)
        fees = self._commitment_fees(provider, res)
        months = sorted({(d.year, d.month) for d in self.dates})
        invoices = []
        for year, month in months:
            day_idx = np.array(
                [
                    i
                    for i, d in enumerate(self.dates)
                    if (d.year, d.month) == (year, month)
                ]
            )
            period_start = dt.date(year, month, 1)
            period_end = dt.date(year + month // 12, month % 12 + 1, 1)
            rows = self._usage_rows(
                provider, res, cost, active[:, day_idx], day_idx, fees, regressed, tags
            )
            extras = self._monthly_rows(
                provider, res, rows, day_idx, fees["fees"], (year, month)
            )
            table = self._focus_table(
                provider, res, rows, extras, tags["dict"], period_start, period_end
            )
            total = int(np.sum(rows["billed"])) + sum(e["billed"] for e in extras)
            self._write_billing(provider, table, period_start)
            invoices.append((provider, period_start, total))
        return invoices

    def _tagging_regression(self, provider, res, cost, active) -> np.ndarray:
        """Azure: from 70% of the window on, the identity team's resources lose
        their tags (resource x day mask), recorded as a truth event."""
        regressed = np.zeros((len(res.resource_id), self.days), dtype=bool)
        if provider.key != "azure":
            return regressed
        regression_day = int(self.days * 0.7)
        regression_team = [t[0] for t in TEAMS].index("identity")
        regressed[res.team == regression_team, regression_day:] = True
        impact = (cost * (regressed & active)).sum()
        service_names = sorted(
            {provider.services[s][0] for s in res.service[res.team == regression_team]}
        )
        self._truth_event(
            "tagging_regression",
            regression_day,
            self.days - 1,
            "identity",
            ", ".join(service_names),
            provider,
            impact,
        )
        return regressed

    @staticmethod
    def _commitment_fees(provider, res) -> dict:
        """Per commitment: its daily value (covered effective cost at the target
        utilization), split into the amortized upfront and the recurring fee;
        each resource's committed daily cost; which commitments CUR prices at
        the public on-demand rate (reservations)."""
        committed_daily = np.rint(
            res.base_micros * COMMITTED_RATE * res.committed
        ).astype(np.int64)
        fees = []
        for j, c in enumerate(provider.commitments, start=1):
            value = int(committed_daily[res.commitment == j].sum() / UTILIZATION)
            upfront = int(value * c.upfront_share)
            fees.append(
                {"value": value, "upfront": upfront, "recurring": value - upfront}
            )
        on_demand_contract = np.array(
            [False]
            + [
                provider.key == "aws" and c.type == "Reservation"
                for c in provider.commitments
            ]
        )
        return _pick(
            locals(),
            "fees committed_daily on_demand_contract",
        )

    @staticmethod
    def _usage_rows(
        provider, res, cost, active, day_idx, fees, regressed, tags
    ) -> dict[str, np.ndarray]:
        """One billing period's usage rows (resource x active day)."""
        r_idx, d_local = np.nonzero(active)
        d_idx = day_idx[d_local]
        contracted = cost[r_idx, d_idx]
        is_committed = res.committed[r_idx]
        discount = provider.negotiated_discount
        list_cost = np.rint(
            contracted / np.where(res.spot[r_idx], SPOT_LIST_FACTOR, 1.0 - discount)
        ).astype(np.int64)
        contracted = np.where(
            fees["on_demand_contract"][res.commitment[r_idx]], list_cost, contracted
        )
        committed_daily = fees["committed_daily"]
        svc_unit_price = np.array([s[5] for s in provider.services], dtype=np.float64)
        unit_price = svc_unit_price[res.service[r_idx]]
        return {
            "kind": np.zeros(len(r_idx), dtype=np.int8),  # 0 usage
            "resource": r_idx,
            "day": d_idx,
            "billed": np.where(is_committed, 0, contracted),
            "effective": np.where(is_committed, committed_daily[r_idx], contracted),
            "list": list_cost,
            "contracted": contracted,
            "quantity": np.rint(list_cost / unit_price * MICROS).astype(np.int64),
            "tags": np.where(
                regressed[r_idx, d_idx], tags["empty"], tags["code"][r_idx]
            ).astype(np.int32),
        }

    def _write_billing(
        self, provider: Provider, table: pa.Table, period_start: dt.date
    ) -> None:
        """One provider-month: FOCUS, or the provider's native export."""
        if self.billing_format == "native" and provider.key == "aws":
            native.write_cur(table, self.out, period_start)
            return
        if self.billing_format == "native" and provider.key == "azure":
            native.write_azure(table, self.out, period_start, self.azure_schema)
            return
        if self.billing_format == "native" and provider.key == "gcp":
            native.write_gcp(table, self.out, period_start)
            return
        path = (
            self.out
            / "focus"
            / provider.key
            / f"billing_period={period_start:%Y-%m}"
            / "part-00000.parquet"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {b"focus_version": b"1.2", b"generator": b"itfm generate"}
        table = table.replace_schema_metadata(meta)
        pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)

    def _add_orphaned_volumes(self, provider: Provider, res: Resources) -> None:
        """Append EBS volumes left behind after their instances were deleted."""
        first = int(self.days * 0.4)
        team = [t[0] for t in TEAMS].index("data")
        ebs = 2
        n = 8
        for j in range(n):
            name = f"vol-orphan-{j:03d}"
            res.resource_id.append(f"arn:aws:ec2:us-east-1:111111111111:volume/{name}")
            res.resource_name.append(name)
            res.tags.append(
                json.dumps(
                    {"Team": "Data", "Environment": "Prod"}, separators=(",", ":")
                )
            )
            res.sku.append("AWS-02-GB-MONTH")
        res.service = np.concatenate([res.service, np.full(n, ebs)])
        res.sub_account = np.concatenate([res.sub_account, np.zeros(n, dtype=int)])
        res.region = np.concatenate([res.region, np.zeros(n, dtype=int)])
        res.team = np.concatenate([res.team, np.full(n, team)])
        res.environment = np.concatenate([res.environment, np.zeros(n, dtype=int)])
        daily = np.full(n, 6 * MICROS + 400_000, dtype=np.int64)
        res.base_micros = np.concatenate([res.base_micros, daily])
        res.start_day = np.concatenate([res.start_day, np.full(n, first)])
        res.end_day = np.concatenate([res.end_day, np.full(n, self.days)])
        res.committed = np.concatenate([res.committed, np.zeros(n, dtype=bool)])
        res.commitment = np.concatenate([res.commitment, np.zeros(n, dtype=np.int64)])
        res.spot = np.concatenate([res.spot, np.zeros(n, dtype=bool)])
        impact = int(daily.sum()) * (self.days - first)
        self.truth.append(
            {
                "kind": "orphaned_volumes",
                "start": self.dates[first].isoformat(),
                "end": self.dates[-1].isoformat(),
                "owner": "data",
                "service": provider.services[ebs][0],
                "provider": provider.provider_name,
                "billing_currency": provider.currency,
                "resource_ids": res.resource_id[-n:],
                "expected_impact": round(impact / MICROS, 2),
            }
        )

    def _cloud_assets(self, provider: Provider, res: Resources) -> None:
        """Daily inventory snapshots of block-storage volumes (AWS Config style).

        A volume is ``in-use`` while attached to an instance; the orphaned volumes
        are ``available`` (attached to nothing) from the day they appear.
        """
        ebs = 2
        orphans = set(res.resource_id[-8:])
        volumes = [i for i in range(len(res.resource_id)) if res.service[i] == ebs]
        rows = []
        for d, date in enumerate(self.dates):
            for i in volumes:
                if not res.start_day[i] <= d < res.end_day[i]:
                    continue
                orphan = res.resource_id[i] in orphans
                rows.append(
                    [
                        date.isoformat(),
                        provider.provider_name,
                        provider.sub_accounts[res.sub_account[i]][0],
                        res.resource_id[i],
                        "Volume",
                        "available" if orphan else "in-use",
                        "" if orphan else f"i-{i:08x}",
                    ]
                )
        self._write_csv(
            self.out / "cloud_assets" / f"{provider.key}_volumes.csv",
            [
                "snapshot_date",
                "provider_name",
                "sub_account_id",
                "resource_id",
                "resource_type",
                "state",
                "attached_to",
            ],
            rows,
        )

    def _monthly_rows(self, provider, res, rows, day_idx, fees, ym):
        """Commitment fees and unused rows, discounts, credits, refunds, tax and a
        correction: the rows of a billing period that are not resource usage."""
        extras: list[dict] = []
        for j, fee in enumerate(fees, start=1):
            extras.extend(self._commitment_rows(provider, j, fee, res, rows, day_idx))
        usage_total = int(rows["billed"].sum())
        last_day = int(day_idx[-1])
        first_day = int(day_idx[0])
        credit = -int(usage_total * 0.02)
        if credit:
            extras.append(_charge("credit", last_day, credit))
        extras.extend(self._discount_rows(provider, res, rows, day_idx))
        if ym[1] % 3 == 0 and provider.key in ("aws", "azure", "gcp"):
            extras.append(_charge("refund", last_day, -125 * MICROS - 410_000))
        if ym != (self.dates[0].year, self.dates[0].month) and provider.key == "aws":
            extras.append(_charge("correction", first_day, -12 * MICROS - 340_000))
        if provider.tax_rate:
            subtotal = usage_total + sum(e["billed"] for e in extras)
            tax = int(round(subtotal * provider.tax_rate / 10_000)) * 10_000
            extras.append(_charge("tax", last_day, tax))
        if provider.key == "gcp":
            # Google rounds the invoice to the cent with a rounding-error row.
            total = usage_total + sum(e["billed"] for e in extras)
            rounding = -(total % 10_000)
            if rounding:
                extras.append(_charge("rounding", last_day, rounding))
        return extras

    def _commitment_rows(self, provider, j, fee, res, rows, day_idx) -> list[dict]:
        """One commitment's rows in one billing period.

        The upfront fee is billed once on the first generated day (effective 0,
        amortized over ``TERM_DAYS`` through the covered usage). The recurring fee
        is billed per day, or once per month for the days of the month in the
        window; the unused part of the commitment's value (recurring fee plus
        amortized upfront) is a row of its own with the same grain.
        """
        commitment = provider.commitments[j - 1]
        service = [s[0] for s in provider.services].index(commitment.services[0])
        covered = np.zeros(self.days, dtype=np.int64)
        mine = res.commitment[rows["resource"]] == j
        np.add.at(covered, rows["day"][mine], rows["effective"][mine])
        common = {"commitment": j, "service": service}
        extras = []
        if fee["upfront"] and day_idx[0] == 0:
            extras.append(
                {
                    **common,
                    "kind": "upfront",
                    "day": 0,
                    "billed": fee["upfront"] * TERM_DAYS,
                    "effective": 0,
                }
            )
        if commitment.fee_grain == "month":
            spans = [(int(day_idx[0]), len(day_idx))]
        else:
            spans = [(int(d), 1) for d in day_idx]
        for first, days in spans:
            extras.append(
                {
                    **common,
                    "kind": "purchase",
                    "day": first,
                    "days": days,
                    "billed": fee["recurring"] * days,
                    "effective": 0,
                }
            )
            unused = fee["value"] * days - int(covered[first : first + days].sum())
            if unused > 0:
                row = {"kind": "unused", "day": first, "days": days, "billed": 0}
                extras.append({**common, **row, "effective": unused})
        return extras

    def _discount_rows(self, provider, res, rows, day_idx) -> list[dict]:
        """AWS's negotiated discounts as CUR shows them: an enterprise discount
        (EDP) line per service and month, and a bundled discount on data transfer.
        """
        if provider.key != "aws":
            return []
        billed = np.zeros(len(provider.services), dtype=np.int64)
        np.add.at(billed, res.service[rows["resource"]], rows["billed"])
        extras = []
        last_day = int(day_idx[-1])
        for service, amount in enumerate(billed):
            edp = -int(amount * 0.01)
            if edp:
                extras.append(_charge("edp", last_day, edp, service=service))
        transfer = [s[0] for s in provider.services].index("AWS Data Transfer")
        bundled = -int(billed[transfer] * 0.03)
        if bundled:
            extras.append(_charge("bundled", last_day, bundled, service=transfer))
        return extras

    def _focus_arrays(
        self, provider, res, rows, extras, tag_dict, period_start, period_end
    ) -> SimpleNamespace:
        """The period's rows (usage, then the monthly rows) as arrays: kinds,
        days, amounts, and the codes of every dictionary column."""
        v = SimpleNamespace()
        for part in (
            self._focus_amounts,
            self._charge_periods,
            self._focus_resources,
            self._focus_charges,
            self._focus_places,
        ):
            v.__dict__.update(
                part(provider, res, rows, extras, period_start, period_end, v)
            )
        return v

    def _focus_amounts(
        self, provider, res, rows, extras, period_start, period_end, v: SimpleNamespace
    ) -> dict:
        """Kinds, days, resources, commitments, amounts: usage rows, then others."""
        n_usage = len(rows["resource"])
        n = n_usage + len(extras)
        kinds = CHARGE_KINDS
        names = [k[0] for k in kinds]
        kind = np.concatenate(
            [
                np.zeros(n_usage, dtype=np.int32),
                np.array([names.index(e["kind"]) for e in extras], dtype=np.int32),
            ]
        )
        extra_day = np.array([e["day"] for e in extras], dtype=np.int64)
        day = np.concatenate([rows["day"], extra_day]).astype(np.int64)
        span_days = np.concatenate(
            [np.ones(n_usage), [e.get("days", 1) for e in extras]]
        ).astype(np.int64)
        r_idx = np.concatenate([rows["resource"], np.full(len(extras), -1)])
        commitment = np.concatenate(
            [
                res.commitment[rows["resource"]],
                np.array([e.get("commitment", 0) for e in extras], dtype=np.int64),
            ]
        )
        committed_usage = (kind == 0) & (commitment > 0)
        spot = np.concatenate(
            [res.spot[rows["resource"]], np.zeros(len(extras), dtype=bool)]
        )

        billed = _money(rows, extras, "billed")
        effective = _money(rows, extras, "effective")
        list_cost = _money(rows, extras, "list") if extras else rows["list"]
        contracted = (
            _money(rows, extras, "contracted") if extras else rows["contracted"]
        )
        # Commitment rows: list/contracted equal billed for fees, effective for unused.
        is_unused = kind == 2
        list_cost = np.where(is_unused, effective, list_cost)
        contracted = np.where(is_unused, effective, contracted)
        quantity = np.concatenate(
            [rows["quantity"], np.where(extra_day >= 0, MICROS, 0)]
        ).astype(np.int64)
        return _pick(
            locals(),
            "billed commitment committed_usage contracted day effective extra_day "
            "is_unused kind kinds list_cost n n_usage names quantity r_idx "
            "span_days spot",
        )

    def _charge_periods(
        self, provider, res, rows, extras, period_start, period_end, v: SimpleNamespace
    ) -> dict:
        """Each row's charge period: its day (or days), the previous month for a
        correction, the whole period for monthly rows."""
        day, kind, span_days = v.day, v.kind, v.span_days
        day_start = np.array([_day_micros(d) for d in self.dates], dtype=np.int64)
        charge_start = day_start[day]
        charge_end = charge_start + 86_400 * MICROS * span_days
        prev_month_start = _day_micros(
            (period_start - dt.timedelta(days=1)).replace(day=1)
        )
        is_correction = kind == 5
        charge_start = np.where(
            is_correction, prev_month_start + 86_400 * MICROS * 9, charge_start
        )
        charge_end = np.where(is_correction, charge_start + 86_400 * MICROS, charge_end)
        is_monthly = np.isin(kind, [3, 4, 6, 8, 9, 10])
        charge_start = np.where(is_monthly, _day_micros(period_start), charge_start)
        charge_end = np.where(is_monthly, _day_micros(period_end), charge_end)
        return _pick(
            locals(),
            "charge_end charge_start day_start is_correction is_monthly "
            "prev_month_start",
        )

    def _focus_resources(
        self, provider, res, rows, extras, period_start, period_end, v: SimpleNamespace
    ) -> dict:
        """Service, resource and tag codes (resources, then "no resource", then
        one per commitment)."""
        commitment, kind, n_usage, r_idx = v.commitment, v.kind, v.n_usage, v.r_idx
        svc_of_row = np.where(r_idx >= 0, res.service[np.maximum(r_idx, 0)], 0)
        services = provider.services
        extra_service = np.array([e.get("service", 0) for e in extras], dtype=np.int64)
        svc_code = np.where(
            kind == 0, svc_of_row, np.concatenate([np.zeros(n_usage), extra_service])
        ).astype(np.int64)

        # Resources, then "no resource", then one per commitment (its fee rows).
        n_res = len(res.resource_id)
        commitment_ids = [c.id for c in provider.commitments]
        commitment_names = [
            c.id.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for c in provider.commitments
        ]
        rid_dict = [*res.resource_id, None, *commitment_ids]
        rname_dict = [*res.resource_name, None, *commitment_names]
        res_code = np.where(r_idx >= 0, r_idx, n_res)
        res_code = np.where(np.isin(kind, [1, 2, 7]), n_res + commitment, res_code)
        tags = np.concatenate([rows["tags"], np.zeros(len(extras), dtype=np.int32)])
        return _pick(
            locals(),
            "commitment_ids commitment_names extra_service n_res res_code rid_dict "
            "rname_dict services svc_code svc_of_row tags",
        )

    def _focus_charges(
        self, provider, res, rows, extras, period_start, period_end, v: SimpleNamespace
    ) -> dict:
        """Charge category, frequency, pricing and commitment status codes."""
        committed_usage, is_unused, kind, spot = (
            v.committed_usage,
            v.is_unused,
            v.kind,
            v.spot,
        )
        kinds = CHARGE_KINDS
        charge_category = np.array([k[1] for k in kinds])[kind]
        category_dict = sorted(set(charge_category.tolist()))
        description_dict = [k[3] for k in kinds]
        frequency_dict = ["Usage-Based", "Recurring", "One-Time"]
        frequency = np.array([frequency_dict.index(k[2]) for k in kinds])[kind]
        pricing_dict = ["Standard", "Committed", None, "Dynamic"]
        pricing = np.where(committed_usage | is_unused, 1, np.where(spot, 3, 0))
        pricing = np.where(np.isin(kind, [3, 4, 6, 8, 9, 10]), 2, pricing)
        status_dict = [None, "Used", "Unused"]
        status = np.where(committed_usage, 1, np.where(is_unused, 2, 0))
        commitment_types = [None, *(c.type for c in provider.commitments)]
        commitment_categories = [None, *(c.category for c in provider.commitments)]

        return _pick(
            locals(),
            "category_dict charge_category commitment_categories commitment_types "
            "description_dict frequency frequency_dict pricing pricing_dict status "
            "status_dict",
        )

    def _focus_places(
        self, provider, res, rows, extras, period_start, period_end, v: SimpleNamespace
    ) -> dict:
        """Sub-account, region, unit and SKU codes, and which rows carry a
        quantity."""
        charge_category, n_res, r_idx, services, status = (
            v.charge_category,
            v.n_res,
            v.r_idx,
            v.services,
            v.status,
        )
        sub_dict = [s[0] for s in provider.sub_accounts]
        sub_name_dict = [s[1] for s in provider.sub_accounts]
        sub_code = np.where(r_idx >= 0, res.sub_account[np.maximum(r_idx, 0)], 0)
        region_dict = [r[0] for r in provider.regions] + [None]
        region_name_dict = [r[1] for r in provider.regions] + [None]
        region_code = np.where(
            (r_idx >= 0) & bool(provider.regions),
            res.region[np.maximum(r_idx, 0)],
            len(provider.regions),
        )
        unit_dict = [s[4] for s in services]
        # FOCUS 1.2: ConsumedQuantity only on usage that is not unused
        # commitment, PricingQuantity not on tax; units only beside quantities.
        has_consumed = (charge_category == "Usage") & (status != 2)
        has_pricing = charge_category != "Tax"
        no_unit = len(unit_dict)
        sku_dict = [*res.sku, None]
        sku_code = np.where(r_idx >= 0, r_idx, n_res)
        invoice_id = f"INV-{provider.key.upper()}-{period_start:%Y%m}"
        return _pick(
            locals(),
            "has_consumed has_pricing invoice_id no_unit region_code region_dict "
            "region_name_dict sku_code sku_dict sub_code sub_dict sub_name_dict "
            "unit_dict",
        )

    def _focus_table(
        self, provider, res, rows, extras, tag_dict, period_start, period_end
    ) -> pa.Table:
        v = self._focus_arrays(
            provider, res, rows, extras, tag_dict, period_start, period_end
        )
        return pa.table(
            {
                **self._billing_columns(provider, v, period_start, period_end),
                **self._product_columns(provider, v, tag_dict),
            }
        )

    @staticmethod
    def _billing_columns(provider, v, period_start, period_end) -> dict:
        """Account, period, charge, pricing, cost and quantity columns."""
        return {
            "BillingAccountId": _dict_array(
                np.zeros(v.n, int), [provider.billing_account_id]
            ),
            "BillingAccountName": _dict_array(
                np.zeros(v.n, int), [provider.billing_account_name]
            ),
            "BillingAccountType": _dict_array(
                np.zeros(v.n, int), [provider.billing_account_type]
            ),
            "SubAccountId": _dict_array(v.sub_code, v.sub_dict),
            "SubAccountName": _dict_array(v.sub_code, v.sub_name_dict),
            "SubAccountType": _dict_array(
                np.zeros(v.n, int), [provider.sub_account_type]
            ),
            "BillingCurrency": _dict_array(np.zeros(v.n, int), [provider.currency]),
            "BillingPeriodStart": pa.array(
                np.full(v.n, _day_micros(period_start)), pa.timestamp("us", tz="UTC")
            ),
            "BillingPeriodEnd": pa.array(
                np.full(v.n, _day_micros(period_end)), pa.timestamp("us", tz="UTC")
            ),
            "ChargePeriodStart": pa.array(v.charge_start, pa.timestamp("us", tz="UTC")),
            "ChargePeriodEnd": pa.array(v.charge_end, pa.timestamp("us", tz="UTC")),
            "ChargeCategory": _dict_array(
                np.searchsorted(v.category_dict, v.charge_category), v.category_dict
            ),
            "ChargeClass": _dict_array(
                np.where(v.is_correction, 1, 0), [None, "Correction"]
            ),
            "ChargeDescription": _dict_array(v.kind, v.description_dict),
            "ChargeFrequency": _dict_array(v.frequency, v.frequency_dict),
            "PricingCategory": _dict_array(v.pricing, v.pricing_dict),
            "BilledCost": _decimal_array(v.billed),
            "EffectiveCost": _decimal_array(v.effective),
            "ListCost": _decimal_array(v.list_cost),
            "ContractedCost": _decimal_array(v.contracted),
            "PricingQuantity": _decimal_array(v.quantity, valid=v.has_pricing),
            "PricingUnit": _dict_array(
                np.where(v.has_pricing, v.svc_code, v.no_unit), [*v.unit_dict, None]
            ),
            "ConsumedQuantity": _decimal_array(v.quantity, valid=v.has_consumed),
            "ConsumedUnit": _dict_array(
                np.where(v.has_consumed, v.svc_code, v.no_unit), [*v.unit_dict, None]
            ),
            "PricingCurrency": _dict_array(np.zeros(v.n, int), [provider.currency]),
            "PricingCurrencyEffectiveCost": _decimal_array(v.effective),
        }

    @staticmethod
    def _product_columns(provider, v, tag_dict) -> dict:
        """Provider, invoice, service, region, resource, SKU, commitment, tags."""
        return {
            "ProviderName": _dict_array(np.zeros(v.n, int), [provider.provider_name]),
            "PublisherName": _dict_array(np.zeros(v.n, int), [provider.provider_name]),
            "InvoiceIssuerName": _dict_array(
                np.zeros(v.n, int), [provider.provider_name]
            ),
            "InvoiceId": _dict_array(np.zeros(v.n, int), [v.invoice_id]),
            "ServiceName": _dict_array(v.svc_code, [s[0] for s in v.services]),
            "ServiceCategory": _dict_array(v.svc_code, [s[1] for s in v.services]),
            "ServiceSubcategory": _dict_array(v.svc_code, [s[2] for s in v.services]),
            "RegionId": _dict_array(v.region_code, v.region_dict),
            "RegionName": _dict_array(v.region_code, v.region_name_dict),
            "ResourceId": _dict_array(v.res_code, v.rid_dict),
            "ResourceName": _dict_array(v.res_code, v.rname_dict),
            "ResourceType": _dict_array(
                np.where(v.r_idx >= 0, v.svc_code, len(v.services)),
                [s[3] for s in v.services] + [None],
            ),
            "SkuId": _dict_array(v.sku_code, v.sku_dict),
            # The meter of the SKU: what its quantity counts.
            "SkuMeter": _dict_array(
                np.where(v.r_idx >= 0, v.svc_code, len(v.services)),
                [s[3] for s in v.services] + [None],
            ),
            "CommitmentDiscountId": _dict_array(
                v.commitment, [None, *v.commitment_ids]
            ),
            "CommitmentDiscountName": _dict_array(
                v.commitment, [None, *v.commitment_names]
            ),
            "CommitmentDiscountCategory": _dict_array(
                v.commitment, v.commitment_categories
            ),
            "CommitmentDiscountType": _dict_array(v.commitment, v.commitment_types),
            "CommitmentDiscountStatus": _dict_array(v.status, v.status_dict),
            "Tags": _dict_array(v.tags, tag_dict),
        }

    # ------------------------------------------------------------- telemetry
    def _invoices(self, invoices) -> None:
        rows = []
        last_month = max(p for _, p, _ in invoices)
        for provider, period_start, total in sorted(
            invoices, key=lambda x: (x[0].key, x[1])
        ):
            status = "estimated" if period_start == last_month else "final"
            rows.append(
                [
                    f"INV-{provider.key.upper()}-{period_start:%Y%m}",
                    provider.provider_name,
                    provider.billing_account_id,
                    period_start.isoformat(),
                    provider.currency,
                    f"{total / MICROS:.6f}",
                    status,
                ]
            )
        self._write_csv(
            self.out / "invoices" / "invoices.csv",
            [
                "invoice_id",
                "provider_name",
                "billing_account_id",
                "billing_period_start",
                "currency",
                "invoice_total",
                "status",
            ],
            rows,
        )


def _tag_codes(res) -> dict:
    """The tag dictionary (the resources' tag strings, plus "{}" for the
    tagging regression), each resource's code and the code of "{}"."""
    tag_values = sorted({t for t in res.tags if t is not None})
    tag_dict: list[str | None] = [None, *tag_values]
    tag_code = np.array(
        [0 if t is None else tag_dict.index(t) for t in res.tags], dtype=np.int32
    )
    empty_code = tag_dict.index("{}") if "{}" in tag_dict else None
    if empty_code is None:
        tag_dict.append("{}")
        empty_code = len(tag_dict) - 1
    return {"dict": tag_dict, "code": tag_code, "empty": empty_code}


# kind code -> (name, ChargeCategory, ChargeFrequency, ChargeDescription)
CHARGE_KINDS = [
    ("usage", "Usage", "Usage-Based", "Usage"),
    ("purchase", "Purchase", "Recurring", "Commitment recurring fee"),
    ("unused", "Usage", "Usage-Based", "Unused commitment"),
    ("credit", "Credit", "One-Time", "Promotional credit"),
    ("refund", "Adjustment", "One-Time", "Refund for service disruption"),
    (
        "correction",
        "Usage",
        "Usage-Based",
        "Correction of an over-charge in the previous billing period",
    ),
    ("tax", "Tax", "One-Time", "Tax"),
    ("upfront", "Purchase", "One-Time", "Commitment upfront fee"),
    ("edp", "Credit", "Usage-Based", "Enterprise discount program discount"),
    ("bundled", "Credit", "Usage-Based", "Bundled discount"),
    ("rounding", "Adjustment", "One-Time", "Rounding error"),
]


def _pick(scope: dict, names: str) -> dict:
    """The named variables of a scope (`locals()`): the arrays one part of
    `_focus_arrays` hands to the next."""
    return {name: scope[name] for name in names.split()}


def _money(rows: dict, extras: list[dict], key: str) -> np.ndarray:
    """An amount of the usage rows, then of the period's other rows (their
    billed amount when they have no `key`), in micros."""
    return np.concatenate(
        [
            rows[key],
            np.array([e.get(key, e["billed"]) for e in extras], dtype=np.int64),
        ]
    ).astype(np.int64)
