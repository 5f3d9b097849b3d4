"""CLM-1: a stock car that failed its PDI waits for the warranty clerk as a draft claim."""

from fours_contracts import CloudEvent, StockCarDamaged
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.warranty_claims import service


async def on_stock_car_damaged(session: AsyncConnection, event: StockCarDamaged, _: CloudEvent) -> None:
    await service.draft_for_stock_car(session, event)
