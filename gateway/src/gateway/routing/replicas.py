"""How many gateway replicas are serving, so that each enforces its share of a rate limit.

Every replica writes a heartbeat row to the gateway's database every few seconds and counts the rows
seen within three heartbeats; its limiter then allows ``limit / replicas``. With the replicas behind
one load balancer, a user or key gets the configured limit in all, and no request waits on a shared
store. A replica that stops deletes its row; one that dies drops out after three heartbeats.
"""

import asyncio
import contextlib
import uuid
from datetime import timedelta

from prometheus_client import Gauge
from servicekit.kit import Kit
from servicekit.logs import get_logger
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert

from gateway.routing.limits import RateLimiter
from gateway.routing.proxy import settings_of
from gateway.routing.tables import gateway_replicas

_log = get_logger("replicas")


async def beat(kit: Kit, replica: str, stale_after: timedelta) -> int:
    """Records this replica as alive, forgets the ones not heard of within ``stale_after``, and
    returns how many are serving (this one included)."""
    now = func.now()
    async with kit.db.transaction() as session:
        await session.execute(
            insert(gateway_replicas)
            .values(id=replica, seen_at=now)
            .on_conflict_do_update(index_elements=[gateway_replicas.c.id], set_={"seen_at": now})
        )
        await session.execute(delete(gateway_replicas).where(gateway_replicas.c.seen_at < now - stale_after))
        count = await session.scalar(select(func.count()).select_from(gateway_replicas))
    return max(1, int(count or 1))


async def _run(kit: Kit, replica: str, limiter: RateLimiter, every: float, gauge: Gauge) -> None:
    stale_after = timedelta(seconds=3 * every)
    while True:
        try:
            limiter.share = await beat(kit, replica, stale_after)
            gauge.set(limiter.share)
        except Exception as exc:  # the database is away: keep the last share and try again
            _log.warning("replica heartbeat failed", error=repr(exc)[:300])
        await asyncio.sleep(every)


async def start(kit: Kit) -> None:
    replica = uuid.uuid4().hex
    every = settings_of(kit).replica_heartbeat_seconds
    kit.extras["replica"] = replica
    gauge: Gauge = kit.extras.get("replicas_gauge") or Gauge(
        "gateway_replicas", "Gateway replicas serving, as this one sees them", registry=kit.metrics.registry
    )
    kit.extras["replicas_gauge"] = gauge
    gauge.set(1)
    kit.extras["replica_heartbeat"] = asyncio.create_task(_run(kit, replica, kit.extras["limiter"], every, gauge))


async def stop(kit: Kit) -> None:
    task: asyncio.Task[None] | None = kit.extras.pop("replica_heartbeat", None)
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    with contextlib.suppress(Exception):  # a replica that cannot say goodbye drops out as stale
        async with kit.db.transaction() as session:
            await session.execute(delete(gateway_replicas).where(gateway_replicas.c.id == kit.extras["replica"]))
