"""``/metrics`` in Prometheus's text format, read from the database at each scrape (so any
daemon gives the same answer) plus this process's poll failures. Behind a bearer token
from INTAKE_METRICS_TOKEN; without one set, the endpoint is off."""

from __future__ import annotations

import hmac
import os
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from intake.metrics import poll_errors
from intake.store.models import Case, Item, Outbox, PollState
from intake.vocab import CaseStatus

ACK_BUCKETS = [600, 1800, 3600, 4 * 3600, 8 * 3600, 16 * 3600, 24 * 3600, 48 * 3600, 7 * 24 * 3600]


class StoreCollector:
    def __init__(self, sessions):
        self.sessions = sessions

    def collect(self):
        now = datetime.now(UTC)
        with self.sessions() as s:
            items = CounterMetricFamily("intake_items", "Items stored, by source and processing state",
                                        labels=["source", "state"])
            for source, state, n in s.execute(select(Item.source, Item.state, func.count())
                                              .group_by(Item.source, Item.state)):
                items.add_metric([source, state], n)
            opened = CounterMetricFamily("intake_cases_opened", "Cases opened, by category", labels=["category"])
            for category, n in s.execute(select(Case.category, func.count()).group_by(Case.category)):
                opened.add_metric([category], n)
            overdue = GaugeMetricFamily("intake_cases_overdue", "Open cases past their acknowledgement deadline")
            overdue.add_metric([], s.scalar(select(func.count()).select_from(Case).where(
                Case.status == CaseStatus.OPEN, Case.ack_due_at <= now)) or 0)
            outbox = GaugeMetricFamily("intake_outbox_messages", "Outgoing messages, by state", labels=["status"])
            for status, n in s.execute(select(Outbox.status, func.count()).group_by(Outbox.status)):
                outbox.add_metric([status], n)
            polled = GaugeMetricFamily("intake_source_last_poll_timestamp_seconds",
                                       "When each source last recorded its position", labels=["source"])
            for p in s.scalars(select(PollState)):
                polled.add_metric([p.source], p.updated_at.timestamp())
            latencies = [(b - a).total_seconds() for a, b in s.execute(
                select(Case.opened_at, Case.acknowledged_at).where(Case.acknowledged_at.is_not(None)))]
        counts = [sum(1 for x in latencies if x <= b) for b in ACK_BUCKETS]
        ack = HistogramMetricFamily("intake_acknowledgement_seconds", "Time from a case opening to its acknowledgement")
        ack.add_metric([], [(str(b), c) for b, c in zip(ACK_BUCKETS, counts, strict=True)]
                       + [("+Inf", len(latencies))], sum_value=sum(latencies))
        errors = CounterMetricFamily("intake_poll_errors", "Failed polls by source, since this process started",
                                     labels=["source"])
        for source, n in sorted(poll_errors().items()):
            errors.add_metric([source], n)
        yield from (items, opened, overdue, outbox, polled, ack, errors)


async def metrics(request: Request) -> Response:
    token = os.environ.get("INTAKE_METRICS_TOKEN", "")
    if not token:
        return Response("metrics are off: set INTAKE_METRICS_TOKEN\n", status_code=404, media_type="text/plain")
    sent = request.headers.get("authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return Response("a bearer token is needed\n", status_code=401, media_type="text/plain",
                        headers={"www-authenticate": "Bearer"})
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(request.app.state.desk.sessions))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
