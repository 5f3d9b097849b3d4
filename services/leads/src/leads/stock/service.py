"""New-car stock (LEAD-7): arrivals by VIN, PDI, stock age and the checks reported to the sales manager;
a stock car is reserved by an order, released by its cancellation and sold by the handover."""

from datetime import UTC, datetime
from typing import Any

from fours_contracts import StockCarDamaged
from servicekit import outbox
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.kit import Kit
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from leads.stock import rules
from leads.stock.tables import stock_cars


async def arrive(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (
            await session.execute(
                insert(stock_cars)
                .values(**facts, created_by=by.username)
                .on_conflict_do_nothing(index_elements=[stock_cars.c.vin])
                .returning(*stock_cars.c)
            )
        ).first()
        if row is None:
            raise Conflict(f"vehicle {facts['vin']} is already in stock", code="vin-in-stock")
    return _view(row, None, datetime.now(UTC))


async def record_pdi(kit: Kit, vin: str, result: str, notes: str | None, *, by: Principal) -> dict[str, Any]:
    """A failed PDI puts the car waiting for repair (from then on); a later pass clears it. The first
    failure tells aftersales (*stock car damaged*), whose warranty clerk claims the damage (CLM-1)."""
    async with kit.db.transaction() as session:
        car = await locked(session, vin)
        if car.status == "sold":
            raise Conflict(f"vehicle {vin} is sold", code="invalid-state")
        now = datetime.now(UTC)
        repair_since = None if result == "passed" else (car.repair_since or now)
        await session.execute(
            update(stock_cars)
            .where(stock_cars.c.vin == vin)
            .values(
                pdi_status=result,
                pdi_at=now,
                pdi_notes=notes,
                repair_since=repair_since,
                version=stock_cars.c.version + 1,
            )
        )
        if result == "failed" and car.pdi_status != "failed":
            damaged = StockCarDamaged(
                vin=vin, model=car.model, grade=car.grade, found_at=now, notes=notes, found_by=by.username
            )
            await outbox.publish(session, damaged, source=kit.source)
    return await get(kit, vin)


async def get(kit: Kit, vin: str) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        row = (await session.execute(select(stock_cars).where(stock_cars.c.vin == vin))).first()
    if row is None:
        raise NotFound(f"vehicle {vin} is not in stock")
    return _view(row, row, datetime.now(UTC))


async def report(kit: Kit, *, status: str | None, flagged_only: bool) -> dict[str, Any]:
    """Every unsold car with its stock age and LEAD-7 flags; the flagged ones are what the sales
    manager is told about."""
    now = datetime.now(UTC)
    query = select(stock_cars).order_by(stock_cars.c.arrived_at)
    query = query.where(stock_cars.c.status == status) if status else query.where(stock_cars.c.status != "sold")
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    cars = [_view(r, r, now) for r in rows]
    if flagged_only:
        cars = [c for c in cars if c["flags"]]
    ages = [c["stock_age_days"] for c in cars]
    counts: dict[str, int] = {}
    for car in cars:
        for flag in car["flags"]:
            counts[flag] = counts.get(flag, 0) + 1
    return {
        "as_of": now,
        "cars": cars,
        "count": len(cars),
        "flag_counts": counts,
        "average_stock_age_days": round(sum(ages) / len(ages), 1) if ages else None,
    }


async def locked(session: AsyncConnection, vin: str) -> Any:
    car = (await session.execute(select(stock_cars).where(stock_cars.c.vin == vin).with_for_update())).first()
    if car is None:
        raise NotFound(f"vehicle {vin} is not in stock")
    return car


async def reserve(
    session: AsyncConnection,
    vin: str,
    order_id: str,
    *,
    model: str,
    grade: str,
    planned_handover_at: datetime | None = None,
) -> None:
    car = await locked(session, vin)
    if car.status != "in_stock":
        raise Conflict(f"vehicle {vin} is {car.status}", code="vehicle-unavailable")
    if (car.model, car.grade) != (model, grade):
        raise Conflict(
            f"vehicle {vin} is a {car.model} {car.grade}, the order is for a {model} {grade}", code="vehicle-mismatch"
        )
    await session.execute(
        update(stock_cars)
        .where(stock_cars.c.vin == vin)
        .values(
            status="reserved",
            order_id=order_id,
            planned_handover_at=planned_handover_at,
            contract_model=model,
            contract_grade=grade,
            version=stock_cars.c.version + 1,
        )
    )


async def release(session: AsyncConnection, vin: str | None) -> None:
    if vin is None:
        return
    await session.execute(
        update(stock_cars)
        .where(stock_cars.c.vin == vin, stock_cars.c.status.in_(["reserved", "sold"]))
        .values(status="in_stock", order_id=None, sold_at=None, **_NO_ORDER, version=stock_cars.c.version + 1)
    )


async def sell(session: AsyncConnection, vin: str, *, order_id: str, model: str, grade: str, at: datetime) -> None:
    """LEAD-7: the car handed over is ready (PDI passed) and matches the contract."""
    car = await locked(session, vin)
    problems = rules.readiness_problems(_car(car, contract=(model, grade)))
    if car.order_id != order_id:
        problems.append(f"the car is reserved for {car.order_id or 'no order'}")
    if problems:
        raise Conflict(
            f"vehicle {vin} is not ready for handover: {'; '.join(problems)}",
            code="vehicle-not-ready",
            problems=problems,
        )
    await session.execute(
        update(stock_cars)
        .where(stock_cars.c.vin == vin)
        .values(status="sold", sold_at=at, **_NO_ORDER, version=stock_cars.c.version + 1)
    )


_NO_ORDER = {"planned_handover_at": None, "contract_model": None, "contract_grade": None}


def _car(row: Any, contract: tuple[str, str] | None = None, planned: datetime | None = None) -> rules.StockCar:
    return rules.StockCar(
        vin=row.vin,
        model=row.model,
        grade=row.grade,
        arrived_at=row.arrived_at,
        pdi_status=row.pdi_status,
        pdi_at=row.pdi_at,
        repair_since=row.repair_since,
        status=row.status,
        planned_handover_at=planned,
        contract_model=contract[0] if contract else None,
        contract_grade=contract[1] if contract else None,
    )


def _view(row: Any, joined: Any, now: datetime) -> dict[str, Any]:
    view = {k: v for k, v in row._mapping.items() if k in stock_cars.c}
    contract = (joined.contract_model, joined.contract_grade) if joined is not None and joined.contract_model else None
    planned = joined.planned_handover_at if joined is not None else None
    car = _car(row, contract, planned)
    return {
        **view,
        "planned_handover_at": planned,
        "stock_age_days": rules.stock_age_days(car, now),
        "flags": rules.flags(car, now),
    }
