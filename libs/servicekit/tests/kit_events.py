"""A test-only event on its own topic (not a contract)."""

from fours_contracts import DomainEvent


class Ping(DomainEvent):
    event_type = "fours.kittest.ping.v1"
    producer = "kittest"

    ping_id: str
    n: int

    def subject(self) -> str:
        return self.ping_id
