"""The receive side of contracts/asyncapi.yaml: ``fours_contracts.CONSUMERS`` says which service
consumes what, and each service's handlers are exactly that; every consumed event is published by
another service, on the topic it names."""

import importlib

import pytest
from fours_contracts import ALL_EVENTS, CONSUMERS

SERVICES = ["leads", "aftersales", "insurance", "marketing", "payroll", "gateway"]


@pytest.mark.parametrize("name", SERVICES)
def test_what_a_service_handles_is_what_the_contract_says_it_consumes(name: str) -> None:
    spec = importlib.import_module(f"{name}.main").SPEC
    assert set(spec.handlers) == set(CONSUMERS.get(name, ())), name


def test_every_consumed_event_is_declared_and_comes_from_another_service() -> None:
    for service, consumed in CONSUMERS.items():
        for cls in consumed:
            assert cls in ALL_EVENTS and cls.producer != service, (service, cls.event_type)
            assert cls.topic() == f"{cls.producer}.events"
