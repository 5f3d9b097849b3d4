"""What each process tells Prometheus about its event plumbing, beside the request histogram:

counters (``*_total``)
    ``events_processed_total``, ``events_parked_total`` (consumer), ``outbox_published_total`` and
    ``relay_topic_losses_total`` (relay), ``due_jobs_run_total`` (scheduler),
    ``retention_pruned_total{table}`` (retention);
gauges
    ``outbox_pending`` and ``outbox_oldest_pending_seconds`` (what the relay has still to publish, and
    for how long the oldest has waited), ``consumer_lag{topic,partition}`` (events on the broker this
    member has not handled yet), ``due_jobs_overdue`` and ``due_jobs_oldest_overdue_seconds``,
    ``dead_letters_parked`` (events waiting for someone to replay or discard them).

The database readings are taken when Prometheus scrapes (``Backlog.refresh``, index-only queries on
the partial indexes of pending rows), so an idle service costs nothing between scrapes; they are
also the detail of ``/readyz``, where an orchestrator or a person sees a service falling behind.
"""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import text

if TYPE_CHECKING:
    from servicekit.kit import Kit

_READINGS = text(
    """
    SELECT
      (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS outbox_pending,
      (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox WHERE sent_at IS NULL)
        AS outbox_oldest_pending_seconds,
      (SELECT count(*) FROM due_jobs WHERE status = 'pending' AND due_at <= now()) AS due_jobs_overdue,
      (SELECT coalesce(extract(epoch FROM now() - min(due_at)), 0) FROM due_jobs
        WHERE status = 'pending' AND due_at <= now()) AS due_jobs_oldest_overdue_seconds,
      (SELECT count(*) FROM dead_letters WHERE status = 'parked') AS dead_letters_parked
    """
)


@dataclass
class Backlog:
    """The last database readings (see the module's notes)."""

    readings: dict[str, float] = field(default_factory=dict)

    async def refresh(self, kit: "Kit", timeout: float = 2.0) -> dict[str, float]:
        async with asyncio.timeout(timeout), kit.db.engine.connect() as conn:
            row = (await conn.execute(_READINGS)).mappings().one()
        self.readings = {name: float(value) for name, value in row.items()}
        return self.readings


class KitCollector(Collector):
    """Reads the running parts of a service (relay, consumer, scheduler, retention) at each scrape."""

    def __init__(self, kit: "Kit", backlog: Backlog) -> None:
        self.kit = kit
        self.backlog = backlog

    def collect(self) -> Iterator[Metric]:
        kit = self.kit
        if kit.consumer is not None:
            yield _counter("events_processed", "Events handled by the consumer", kit.consumer.processed)
            yield _counter("events_parked", "Events parked as dead letters", kit.consumer.parked)
            lag = GaugeMetricFamily(
                "consumer_lag",
                "Events on the broker this member has not handled yet, per partition it holds",
                labels=["topic", "partition"],
            )
            for (topic, partition), behind in sorted(kit.consumer.lag().items()):
                lag.add_metric([topic, str(partition)], behind)
            yield lag
        if kit.relay is not None:
            yield _counter("outbox_published", "Outbox rows published", kit.relay.published)
            yield _counter(
                "relay_topic_losses",
                "Times the broker was found without events it had acknowledged (topic deleted, storage lost)",
                kit.relay.topic_losses,
            )
        if kit.scheduler is not None:
            yield _counter("due_jobs_run", "Due jobs run", kit.scheduler.ran)
        pruned = CounterMetricFamily("retention_pruned", "Rows deleted by the retention", labels=["table"])
        for table, rows in sorted(kit.pruner.pruned.items()):
            pruned.add_metric([table], rows)
        yield pruned
        for name, value in self.backlog.readings.items():
            yield GaugeMetricFamily(name, _HELP[name], value=value)


_HELP = {
    "outbox_pending": "Outbox rows not yet published",
    "outbox_oldest_pending_seconds": "Age of the oldest outbox row not yet published (0: none)",
    "due_jobs_overdue": "Due jobs whose time has come and that have not run",
    "due_jobs_oldest_overdue_seconds": "How long the oldest overdue job has been waiting (0: none)",
    "dead_letters_parked": "Parked events waiting to be replayed or discarded",
}


def _counter(name: str, documentation: str, value: Any) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=value)
