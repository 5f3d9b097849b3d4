"""pytest plugin: the session starts its own embedded PostgreSQL (temporary directory) and broker
on a free port (tansu, or Apache Kafka with ``FOURS_KAFKA=apache``: ``make test-kafka``); every test
in the repository runs against them."""

from collections.abc import AsyncIterator, Iterator

import pytest

from fours_devstack import DATABASES
from fours_devstack.broker import local_broker, local_kind
from fours_devstack.keys import generate_pem_pair
from fours_devstack.postgres import EmbeddedPostgres, create_databases
from fours_devstack.testing import Stack, start_stack


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg") / "data", delete_on_stop=True)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    broker = local_broker(tmp_path_factory.mktemp("broker"))
    yield broker.start()
    broker.stop()


@pytest.fixture(scope="session")
def kafka_kind() -> str:
    """The session's broker: ``tansu`` or ``apache`` (``ServiceSettings.kafka_kind``)."""
    return local_kind()


@pytest.fixture(scope="session")
def jwt_keys() -> tuple[str, str]:
    return generate_pem_pair()


@pytest.fixture(scope="session")
async def stack(postgres_url: str, kafka_bootstrap: str, jwt_keys: tuple[str, str]) -> AsyncIterator[Stack]:
    await create_databases(postgres_url, ["t_" + name for name in DATABASES])
    running = await start_stack(postgres_url, kafka_bootstrap, jwt_keys)
    yield running
    await running.stop_all()
