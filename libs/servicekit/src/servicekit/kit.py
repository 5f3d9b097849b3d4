"""The running parts of one service process, reachable from endpoints as ``KitDep``."""

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from servicekit.auth import TokenVerifier
from servicekit.broker import Broker
from servicekit.consumer import Consumer
from servicekit.db import Database
from servicekit.health import Metrics
from servicekit.relay import Relay
from servicekit.retention import Pruner
from servicekit.scheduler import Scheduler
from servicekit.settings import ServiceSettings


@dataclass
class Kit:
    settings: ServiceSettings
    db: Database
    broker: Broker
    verifier: TokenVerifier
    metrics: Metrics
    relay: Relay | None
    consumer: Consumer | None
    scheduler: Scheduler | None
    pruner: Pruner
    extras: dict[str, Any] = field(default_factory=dict)
    """Service-specific long-lived objects (e.g. the gateway's HTTP client), set by start-up hooks."""

    @property
    def source(self) -> str:
        return f"/fours/{self.settings.service_name}"


async def get_kit(request: Request) -> Kit:
    kit: Kit = request.app.state.kit
    return kit


KitDep = Annotated[Kit, Depends(get_kit)]
