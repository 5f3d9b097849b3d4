"""FIN-1: a placed order is known to the F&I office; one quoted with a loan opens its application."""

from fours_contracts import CloudEvent, OrderPlaced
from sqlalchemy.ext.asyncio import AsyncConnection

from insurance.loans import service


async def on_order_placed(session: AsyncConnection, event: OrderPlaced, _: CloudEvent) -> None:
    await service.on_order_placed(session, event)
