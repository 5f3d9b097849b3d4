"""The settings that differ between Apache Kafka and the dev broker, and the producer they give."""

import pytest
from servicekit.broker import Broker
from servicekit.settings import ServiceSettings


def test_production_kafka_is_the_default_with_an_idempotent_producer_and_no_republishing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KAFKA_KIND", raising=False)
    settings = ServiceSettings()
    assert settings.kafka_kind == "apache"
    assert settings.producer_idempotence is True
    assert settings.relay_republish_on_missing_topic is False
    assert settings.consumer_fetch_max_wait_ms == 500
    assert settings.consumer_reread_on_assignment is False


def test_the_dev_broker_turns_idempotence_off_republishing_on_and_the_fetch_wait_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_KIND", "tansu")  # as the devstack sets it, unprefixed, for every service
    settings = ServiceSettings()
    assert settings.kafka_kind == "tansu"
    assert settings.producer_idempotence is False
    assert settings.relay_republish_on_missing_topic is True
    assert settings.consumer_fetch_max_wait_ms == 50
    assert settings.consumer_reread_on_assignment is True


def test_each_broker_dependent_setting_can_still_be_set_on_its_own() -> None:
    settings = ServiceSettings(
        kafka_kind="tansu", consumer_fetch_max_wait_ms=20, relay_republish_on_missing_topic=False
    )
    assert (settings.consumer_fetch_max_wait_ms, settings.relay_republish_on_missing_topic) == (20, False)
    assert settings.producer_idempotence is False


def test_an_unknown_broker_kind_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="kafka_kind"):
        ServiceSettings(kafka_kind="redpanda")  # type: ignore[arg-type]


async def test_the_session_broker_s_producer_is_idempotent_exactly_on_apache_kafka(
    broker: Broker, kafka_kind: str
) -> None:
    await broker.ensure_topics(["kit.settings.probe"])
    producer = await broker.producer()
    try:
        meta = await producer.send_and_wait("kit.settings.probe", b"{}", key=b"k")
        assert meta.offset >= 0
        manager = producer._txn_manager
        if kafka_kind == "apache":  # the broker handed out a producer id: retried batches are dropped
            assert manager is not None and manager.has_pid()
        else:
            assert manager is None
    finally:
        await broker.close()
