"""Telemetry: Kubernetes pod usage, business metrics, CI builds and
observability ingest."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from itfm.generator.catalogue import TEAMS
from itfm.sources import SOURCES


class TelemetryWriter:
    """The telemetry half of the Generator (it holds the state)."""

    def _write_csv(self, path: Path, header: list[str], rows: list[list]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)

    def _k8s(self) -> None:
        clusters = [("aws-prod-k8s", 6), ("azure-prod-k8s", 4)]
        if self.scale in ("medium", "large"):
            clusters = [("aws-prod-k8s", 40), ("azure-prod-k8s", 24)]
        pods = self._k8s_pods(clusters)
        scaling = np.random.default_rng(self.seed + 2_000)
        table = pa.concat_tables(
            [
                part
                for d, date in enumerate(self.dates)
                for part in (
                    self._k8s_day(date, pods),
                    self._k8s_day(date, self._k8s_scale_out(d, pods, scaling), scaling),
                )
                if part.num_rows
            ]
        )
        path = self.out / "k8s_usage" / "pod_usage.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, compression="zstd")

    def _k8s_pods(self, clusters: list[tuple[str, int]]) -> list[tuple]:
        """(cluster, node, namespace, pod, CPU request, utilisation) of every pod:
        six per team namespace, three per system namespace, on random nodes."""
        rng = self.rng
        namespaces = [t[0] for t in TEAMS] + ["kube-system", "monitoring"]
        pods = []
        for cluster, node_count in clusters:
            for ns in namespaces:
                for p in range(3 if ns.startswith("kube") else 6):
                    node = int(rng.integers(0, node_count))
                    request = float(rng.choice([0.25, 0.5, 1.0, 2.0]))
                    utilisation = float(rng.uniform(0.2, 1.1))
                    pods.append(
                        (
                            cluster,
                            f"{cluster}-node-{node:02d}",
                            ns,
                            f"{ns}-deploy-{p}",
                            request,
                            utilisation,
                        )
                    )
        return pods

    def _k8s_scale_out(self, d: int, pods: list[tuple], rng) -> list[tuple]:
        """The replicas the autoscaler adds to a team's workload on day `d`
        (pod, hours): on a weekday none to a few for part of the day; on the two
        days of the runaway autoscaling spike, checkout's workload on the AWS
        cluster runs 24 more all day. Drawn from their own generator, so the
        base pods and every other file are the same as without them."""
        spike_day = int(self.days * 0.55)
        is_weekday = self.dates[d].weekday() < 5
        teams = [t[0] for t in TEAMS]
        nodes = {}
        for pod in pods:
            nodes.setdefault(pod[0], set()).add(pod[1])
        added = []
        for cluster, _node, ns, pod, request, util in pods:
            if ns not in teams or not pod.endswith("-0"):
                continue
            extra = int(rng.poisson(0.8)) if is_weekday else 0
            hours = float(rng.integers(4, 13))
            spike = spike_day <= d <= spike_day + 1 and ns == "checkout"
            if spike and cluster.startswith("aws"):
                extra, hours = 24, 24.0
            for k in range(extra):
                added.append(
                    (
                        cluster,
                        str(rng.choice(sorted(nodes[cluster]))),
                        ns,
                        f"{ns}-deploy-{6 + k}",
                        request,
                        min(util + 0.2, 1.0),
                        hours,
                    )
                )
        return added

    def _k8s_day(self, date, pods: list[tuple], rng=None) -> pa.Table:
        """One day of pod usage: every pod runs 24 hours (a scaled-out replica
        its own hours), usage with noise."""
        rng = rng or self.rng
        cols = {k: [] for k in K8S_COLUMNS}
        for cluster, node, ns, pod, request, util, *hours in pods:
            noise = float(np.exp(rng.normal(0, 0.08)))
            owner = ns if ns in [t[0] for t in TEAMS] else None
            labels = {"app": pod.rsplit("-", 1)[0]}
            if owner and (len(pod) + len(cluster)) % 7 != 0:
                labels["team"] = owner
            cols["usage_date"].append(date)
            cols["cluster_name"].append(cluster)
            cols["node_name"].append(node)
            cols["namespace"].append(ns)
            cols["pod_name"].append(pod)
            cols["pod_labels"].append(json.dumps(labels, sort_keys=True))
            cols["cpu_request_cores"].append(request)
            cols["cpu_usage_cores"].append(round(request * util * noise, 4))
            cols["memory_request_gib"].append(request * 4)
            cols["memory_usage_gib"].append(round(request * 4 * util * noise, 4))
            cols["running_hours"].append(hours[0] if hours else 24.0)
            is_aws = cluster.startswith("aws")
            cols["node_hourly_cost"].append(0.384 if is_aws else 0.352)
            cols["node_cpu_cores"].append(16.0)
            cols["node_memory_gib"].append(64.0)
        return pa.table(cols)

    def _business_metrics(self) -> None:
        rng = self.rng
        products = {
            "storefront": ["search", "checkout", "recommendations"],
            "payments-api": ["card-authorization", "payouts"],
            "mobile-app": ["login", "feed"],
        }
        rows = []
        for d, date in enumerate(self.dates):
            growth = 1.03 ** (d / 30)
            weekend = 0.8 if date.weekday() >= 5 else 1.0
            for product, features in products.items():
                users = int(40_000 * growth * weekend * np.exp(rng.normal(0, 0.03)))
                for feature in features:
                    tx = int(users * rng.uniform(2.5, 3.5))
                    rows.append(
                        [
                            date.isoformat(),
                            product,
                            feature,
                            tx,
                            users,
                            int(tx * rng.uniform(0.4, 0.9)),
                        ]
                    )
        self._write_csv(
            self.out / "business_metrics" / "daily_metrics.csv",
            [
                "metric_date",
                "product",
                "feature",
                "transactions",
                "active_users",
                "feature_usage_count",
            ],
            rows,
        )

    def _ci_builds(self) -> None:
        rng = self.rng
        runners = [("linux-small", 0.008), ("linux-large", 0.032), ("macos", 0.08)]
        rows = []
        build = 0
        for date in self.dates:
            n = int(rng.poisson(40 if date.weekday() < 5 else 6))
            for _ in range(n):
                build += 1
                team = TEAMS[int(rng.integers(0, len(TEAMS)))][0]
                runner, _rate = runners[int(rng.choice(3, p=[0.6, 0.3, 0.1]))]
                seconds = int(rng.gamma(2.0, 240))
                started = dt.datetime.combine(date, dt.time(8)) + dt.timedelta(
                    seconds=int(rng.integers(0, 36_000))
                )
                rows.append(
                    [
                        f"b-{build:07d}",
                        f"{team}-ci",
                        team,
                        runner,
                        started.isoformat() + "Z",
                        seconds,
                        -(-seconds // 60),
                        "success" if rng.random() < 0.9 else "failed",
                    ]
                )
        self._write_csv(
            self.out / "ci_builds" / "builds.csv",
            [
                "build_id",
                "pipeline",
                "team",
                "runner_type",
                "started_at",
                "duration_seconds",
                "billable_minutes",
                "status",
            ],
            rows,
        )

    def _deployments(self) -> None:
        """Deploys of each team's service about twice a week (weekdays, working
        hours), and the deploy that started the runaway autoscaling spike:
        checkout's release on the spike's first day. Drawn from a generator of
        their own, so the other files are the same with or without them."""
        rng = np.random.default_rng(self.seed + 1_000)
        spike_day = int(self.days * 0.55)
        rows = []
        for team, _cost_center, _product in TEAMS:
            version = [1, 0, 0]
            for d, date in enumerate(self.dates):
                is_spike = team == "checkout" and d == spike_day
                if not is_spike and (date.weekday() >= 5 or rng.random() >= 0.4):
                    continue
                version = [version[0], version[1] + 1, 0]
                if rng.random() < 0.1:
                    version = [version[0] + 1, 0, 0]
                hour = 9 if is_spike else int(rng.integers(9, 18))
                deployed = dt.datetime.combine(date, dt.time(hour)) + dt.timedelta(
                    minutes=int(rng.integers(0, 60))
                )
                rows.append(
                    [
                        f"dep-{team}-{date:%Y%m%d}-{len(rows):05d}",
                        f"{team}-api",
                        team,
                        "production" if rng.random() < 0.8 or is_spike else "staging",
                        "v" + ".".join(map(str, version)),
                        deployed.isoformat() + "Z",
                    ]
                )
        self._write_csv(
            self.out / "deployments" / "deploys.csv",
            [
                "deploy_id",
                "service_name",
                "team",
                "environment",
                "version",
                "deployed_at",
            ],
            rows,
        )

    def _observability(self) -> None:
        rng = self.rng
        rows = []
        for date in self.dates:
            for team, _cc, _product in TEAMS:
                for service in ("api", "worker"):
                    gb = round(float(rng.gamma(4.0, 6.0)), 3)
                    retention = 30 if team != "data" else 90
                    rows.append(
                        [
                            date.isoformat(),
                            f"{team}-{service}",
                            team,
                            gb,
                            retention,
                            round(gb * 1.7, 3),
                        ]
                    )
        self._write_csv(
            self.out / "observability_usage" / "ingest.csv",
            [
                "usage_date",
                "service_name",
                "team",
                "ingested_gb",
                "retention_days",
                "indexed_events_millions",
            ],
            rows,
        )

    # ------------------------------------------------------------------- main


# The pod usage file has the columns the loader declares for it, in that order.
K8S_COLUMNS = tuple(column.name for column in SOURCES["k8s_usage"].columns)
