"""Kafka connection shared by the relay, the consumer and /readyz: one producer per process.

Every send waits for all in-sync replicas (``acks=all``). The producer is idempotent on Apache Kafka;
the dev broker (tansu) has no idempotent producer, so it is off there (``ServiceSettings.kafka_kind``).
Exactly-once in effect comes from the outbox (at-least-once publishing) and the consumers' inbox.
"""

import asyncio
import contextlib

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.structs import TopicPartition

_log = structlog.get_logger("broker")


class Broker:
    def __init__(
        self,
        bootstrap: str,
        *,
        client_id: str,
        partitions: int,
        replication: int,
        retention_ms: int,
        idempotence: bool = True,
    ) -> None:
        self.bootstrap = bootstrap
        self.idempotence = idempotence
        self.client_id = client_id
        self.partitions = partitions
        self.replication = replication
        self.retention_ms = retention_ms
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def producer(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self.bootstrap,
                    client_id=self.client_id,
                    acks="all",
                    enable_idempotence=self.idempotence,
                    linger_ms=2,
                    request_timeout_ms=10_000,
                )
                try:
                    await producer.start()
                except BaseException:
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def reset(self) -> None:
        """Drop the producer after a failure; the next call connects afresh."""
        async with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()

    async def ensure_topics(self, topics: list[str]) -> set[str]:
        """Create missing topics (partitions and retention from settings); returns those created."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, client_id=f"{self.client_id}-admin")
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [t for t in dict.fromkeys(topics) if t not in existing]
            created: set[str] = set()
            for topic in missing:
                try:
                    await admin.create_topics(
                        [
                            NewTopic(
                                topic,
                                num_partitions=self.partitions,
                                replication_factor=self.replication,
                                topic_configs={"retention.ms": str(self.retention_ms)},
                            )
                        ]
                    )
                    created.add(topic)
                except TopicAlreadyExistsError:
                    pass
            if created:
                _log.info("topics created", topics=sorted(created))
            return created
        finally:
            await admin.close()

    async def end_offsets(self, topic: str) -> dict[int, int]:
        """Each partition's end offset (the next offset to be written) as the broker says now."""
        client = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, client_id=f"{self.client_id}-offsets")
        await client.start()
        try:
            cluster = await client._client.fetch_all_metadata()
            partitions = [TopicPartition(topic, p) for p in sorted(cluster.partitions_for_topic(topic) or ())]
            ends = await client.end_offsets(partitions) if partitions else {}
            return {tp.partition: offset for tp, offset in ends.items()}
        finally:
            await client.stop()

    async def ping(self) -> None:
        producer = await self.producer()
        await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout=2)

    async def close(self) -> None:
        await self.reset()
