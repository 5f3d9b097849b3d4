import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fours_contracts import ServiceCompleted
from servicekit import outbox, staff
from servicekit.auth import Principal
from servicekit.calendar import business_date
from servicekit.concurrency import check_version
from servicekit.db import row_or_404, rows_by
from servicekit.errors import Conflict, NotFound, Unprocessable, field_error
from servicekit.hooks import Hook
from servicekit.kit import Kit
from servicekit.pagination import decode_cursor, page_of
from servicekit.roles import Role
from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales import scope
from aftersales.follow_ups import service as follow_ups
from aftersales.parts import service as parts
from aftersales.reminders import service as reminders
from aftersales.repair_orders import rules
from aftersales.repair_orders.tables import repair_order_lines, repair_orders
from aftersales.vehicles import service as vehicles

ADVISORS = {Role.SERVICE_ADVISOR, Role.SERVICE_MANAGER}
SOURCE = "repair_order"
"""What the parts department knows a repair order's demands by."""

handed_over: Hook[[AsyncConnection, str, date]] = Hook("car handed over (its VIN, the handover day)")
"""Other features' reactions to a handover, in its transaction (segments; wired in ``main``)."""


async def open_order(kit: Kit, facts: dict[str, Any], *, by: Principal) -> dict[str, Any]:
    """Reception (接车): the advisor opens a repair order for a known car."""
    scope.check_visible(by, facts["advisor_no"], "repair orders")
    async with kit.db.transaction() as session:
        if await vehicles.row(session, facts["vin"]) is None:
            raise Unprocessable(
                f"vehicle {facts['vin']} is not registered",
                errors=[field_error("vin", "unknown vehicle; register it with POST /api/v1/vehicles first")],
            )
        await staff.active_member(
            session, facts["advisor_no"], field="advisor_no", on=business_date(facts["opened_at"]), roles=set(ADVISORS)
        )
        order_id = str(uuid.uuid4())
        await session.execute(repair_orders.insert().values(id=order_id, created_by=by.username, **facts))
        return await _view(session, order_id)


async def add_line(
    kit: Kit, order_id: str, line: dict[str, Any], *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """A labour, part or product line. One naming a catalogue part asks the parts department for it:
    reserved from stock, or waiting for parts (``require_stock``: 409 instead)."""
    require_stock = line.pop("require_stock", False)
    async with kit.db.transaction() as session:
        order = await _locked(session, order_id, by)
        check_version(order.version, if_match)
        if order.state not in rules.EDITABLE:
            raise Conflict(
                f"lines are added while the order is open or in progress, not {order.state}", code="invalid-state"
            )
        line_id = str(uuid.uuid4())
        if line["part_no"] is not None:
            part = await parts.part(session, line["part_no"], field="part_no")
            if part.category not in rules.PART_CATEGORIES[line["kind"]]:
                takes = " or ".join(sorted(rules.PART_CATEGORIES[line["kind"]])) or "nothing from stock"
                raise Unprocessable(
                    f"a {line['kind']} line takes {takes}, and {part.part_no} is a {part.category}",
                    errors=[field_error("part_no", f"a {part.category}")],
                )
            line = {
                **line,
                "description": line["description"] or part.name,
                "unit_price": part.price if line["unit_price"] is None else line["unit_price"],
                "unit_cost": part.avg_cost.quantize(rules.CENT),
            }
            await parts.ask(
                session,
                part.part_no,
                line["quantity"],
                source_kind=SOURCE,
                source_id=order_id,
                line_id=line_id,
                require_stock=require_stock,
                by=by.username,
            )
        else:
            missing = [field for field in ("description", "unit_price") if line[field] is None]
            if missing:
                raise Unprocessable(
                    "a line without part_no names its work and price",
                    errors=[field_error(field, "required without part_no") for field in missing],
                )
        if line["kind"] == "product" and line["quantity"] != line["quantity"].to_integral_value():
            raise Unprocessable(
                "maintenance products are counted in whole bottles", errors=[field_error("quantity", "whole bottles")]
            )
        await session.execute(
            repair_order_lines.insert().values(
                id=line_id,
                repair_order_id=order_id,
                amount=rules.line_amount(line["quantity"], line["unit_price"]),
                created_by=by.username,
                **line,
            )
        )
        await _touch(session, order_id)
        return await _view(session, order_id)


async def remove_line(kit: Kit, order_id: str, line_id: str, *, by: Principal, if_match: str | None) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        order = await _locked(session, order_id, by)
        check_version(order.version, if_match)
        if order.state not in rules.EDITABLE:
            raise Conflict(
                f"lines are removed while the order is open or in progress, not {order.state}", code="invalid-state"
            )
        removed = await session.execute(
            repair_order_lines.delete()
            .where(repair_order_lines.c.id == line_id, repair_order_lines.c.repair_order_id == order_id)
            .returning(repair_order_lines.c.id)
        )
        if removed.first() is None:
            raise NotFound(f"repair order {order_id} has no line {line_id}")
        await parts.drop(session, line_id, by=by.username)
        await _touch(session, order_id)
        return await _view(session, order_id)


async def assign_technician(
    kit: Kit, order_id: str, technician_no: str, *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        order = await _locked(session, order_id, by)
        check_version(order.version, if_match)
        if order.state not in rules.EDITABLE:
            raise Conflict(
                f"a technician is assigned before quality check, not when {order.state}", code="invalid-state"
            )
        await staff.active_member(session, technician_no, field="technician_no", on=business_date(order.opened_at))
        await _touch(session, order_id, technician_no=technician_no)
        return await _view(session, order_id)


async def move(kit: Kit, order_id: str, to: str, *, by: Principal, if_match: str | None) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        order = await _locked(session, order_id, by)
        check_version(order.version, if_match)
        try:
            rules.check_move(order.state, to)
        except rules.InvalidMove as exc:
            hint = " (hand over with POST .../handover)" if to == "handed_over" else ""
            raise Conflict(str(exc) + hint, code="invalid-transition", allowed=exc.allowed) from exc
        if to == "quality_check" and (waiting := await parts.waiting(session, SOURCE, order_id)):
            raise Conflict(
                f"the order waits for parts: {', '.join(waiting)}", code="waiting-parts", waiting_for=waiting
            )
        await _touch(session, order_id, state=to)
        return await _view(session, order_id)


async def hand_over(
    kit: Kit, order_id: str, handed_over_at: datetime, *, by: Principal, if_match: str | None
) -> dict[str, Any]:
    """The car goes back to its owner: *service completed* is published, the customer-service call
    is planned (AS-4) and, after a maintenance, the next maintenance reminders (AS-5)."""
    async with kit.db.transaction() as session:
        order = await _locked(session, order_id, by)
        check_version(order.version, if_match)
        try:
            rules.check_handover(order.state)
        except rules.InvalidMove as exc:
            raise Conflict(str(exc), code="invalid-transition", allowed=exc.allowed) from exc
        if handed_over_at < order.opened_at:
            raise Unprocessable("handover before reception", errors=[field_error("handed_over_at", "before opened_at")])
        for line_id, unit_cost in (await parts.issue(session, SOURCE, order_id, by=by.username)).items():
            await session.execute(
                update(repair_order_lines)
                .where(repair_order_lines.c.id == line_id)
                .values(unit_cost=unit_cost.quantize(rules.CENT))
            )
        lines = (
            await session.execute(select(repair_order_lines).where(repair_order_lines.c.repair_order_id == order_id))
        ).all()
        money = rules.totals(rules.Line(r.kind, r.quantity, r.unit_price, r.unit_cost) for r in lines)
        car = await vehicles.row(session, order.vin)
        envelope = await outbox.publish(
            session,
            ServiceCompleted(
                repair_order_id=order_id,
                vin=order.vin,
                customer_id=car.owner_customer_id,
                advisor_no=order.advisor_no,
                type=order.type,
                mileage_km=order.mileage_km,
                handed_over_at=handed_over_at,
                **vars(money),
            ),
            source=kit.source,
        )
        await follow_ups.open_call(
            session,
            kind="service",
            vin=order.vin,
            source_id=order_id,
            source_event_id=envelope.id,
            handed_over_at=handed_over_at,
            staff_no=order.advisor_no,
        )
        if order.type == "maintenance":
            await reminders.car_came_in(
                session,
                vin=order.vin,
                model=car.model,
                serviced_on=business_date(handed_over_at),
                readings=await _readings(session, order.vin),
            )
        await _touch(
            session, order_id, state="handed_over", handed_over_at=handed_over_at, completed_event_id=envelope.id
        )
        await handed_over.fire(session, order.vin, business_date(handed_over_at))
        return await _view(session, order_id)


async def get(kit: Kit, order_id: str, *, by: Principal) -> dict[str, Any]:
    async with kit.db.transaction() as session:
        order = await _row(session, order_id)
        _may_see(order, by)
        return await _view(session, order_id)


async def search(
    kit: Kit, *, by: Principal, vin: str | None, state: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    query = select(repair_orders).order_by(repair_orders.c.opened_at.desc(), repair_orders.c.id).limit(limit + 1)
    if vin:
        query = query.where(repair_orders.c.vin == vin)
    if state:
        query = query.where(repair_orders.c.state == state)
    visible = scope.advised_by_visible(by, repair_orders.c.advisor_no)
    if visible is not None:
        query = query.where(visible)
    after = decode_cursor(cursor)
    if after:
        opened, last_id = datetime.fromisoformat(after[0]), after[1]
        query = query.where(
            (repair_orders.c.opened_at < opened)
            | ((repair_orders.c.opened_at == opened) & (repair_orders.c.id > last_id))
        )
    async with kit.db.transaction() as session:
        rows = (await session.execute(query)).all()
    page, next_cursor = page_of(list(rows), limit, lambda r: [r.opened_at.isoformat(), r.id])
    return [dict(r._mapping) for r in page], next_cursor


def _may_see(order: Any, by: Principal) -> None:
    scope.check_visible(by, order.advisor_no, "repair orders")


async def unclaimed(session: AsyncConnection, repair_type: str, claimed: Any, limit: int) -> list[dict[str, Any]]:
    """The orders of ``repair_type`` not among ``claimed`` (a select of order ids), newest first,
    each with its lines: the warranty desk's orders still to claim."""
    query = (
        select(repair_orders)
        .where(repair_orders.c.type == repair_type, repair_orders.c.id.not_in(claimed))
        .order_by(repair_orders.c.opened_at.desc(), repair_orders.c.id)
        .limit(limit)
    )
    orders = (await session.execute(query)).all()
    lines = await rows_by(
        session,
        repair_order_lines.c.repair_order_id,
        [o.id for o in orders],
        order_by=repair_order_lines.c.created_at,
    )
    return [{**o._mapping, "lines": [dict(line._mapping) for line in lines[o.id]]} for o in orders]


async def claim_facts(session: AsyncConnection, order_id: str) -> Any | None:
    """What a warranty or insurance claim takes from its repair order: the car, the type, the advisor
    and when it was repaired (handed over, else opened); None when there is no such order."""
    query = select(
        repair_orders.c.id,
        repair_orders.c.vin,
        repair_orders.c.type,
        repair_orders.c.advisor_no,
        repair_orders.c.opened_at,
        repair_orders.c.handed_over_at,
    ).where(repair_orders.c.id == order_id)
    return (await session.execute(query)).first()


async def _row(session: AsyncConnection, order_id: str) -> Any:
    return await row_or_404(session, repair_orders.c.id, order_id, "repair order")


async def _locked(session: AsyncConnection, order_id: str, by: Principal) -> Any:
    order = await row_or_404(session, repair_orders.c.id, order_id, "repair order", lock=True)
    _may_see(order, by)
    return order


async def _touch(session: AsyncConnection, order_id: str, **values: Any) -> None:
    await session.execute(
        update(repair_orders)
        .where(repair_orders.c.id == order_id)
        .values(**values, version=repair_orders.c.version + 1, updated_at=func.now())
    )


async def _view(session: AsyncConnection, order_id: str) -> dict[str, Any]:
    order = (await session.execute(select(repair_orders).where(repair_orders.c.id == order_id))).one()
    lines = (
        await session.execute(
            select(repair_order_lines)
            .where(repair_order_lines.c.repair_order_id == order_id)
            .order_by(repair_order_lines.c.created_at, repair_order_lines.c.id)
        )
    ).all()
    money = rules.totals(rules.Line(r.kind, r.quantity, r.unit_price, r.unit_cost) for r in lines)
    view = dict(order._mapping)
    held = await parts.states(session, [r.id for r in lines if r.part_no is not None])
    view["lines"] = [{**r._mapping, "stock_state": held.get(r.id)} for r in lines]
    view["totals"] = vars(money)
    view["allowed_transitions"] = sorted(rules.MOVES[order.state])
    return view


async def _readings(session: AsyncConnection, vin: str) -> list[tuple[date, int]]:
    """The car's mileage at each visit: how fast it is driven (AS-5)."""
    rows = await session.execute(
        select(repair_orders.c.opened_at, repair_orders.c.mileage_km).where(repair_orders.c.vin == vin)
    )
    return [(business_date(opened_at), km) for opened_at, km in rows.all()]


async def paid_visits(session: AsyncConnection, vins: list[str], *, since: date) -> dict[str, tuple[int, Any]]:
    """AS-7: each car's paid visits (not warranty) handed over since ``since``, and its last visit."""
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    paid = (repair_orders.c.type != "warranty") & (repair_orders.c.state.in_(["handed_over", "closed"]))
    query = (
        select(
            repair_orders.c.vin,
            func.count().filter(and_(paid, repair_orders.c.handed_over_at >= start)).label("paid"),
            func.max(repair_orders.c.handed_over_at).label("last_visit"),
        )
        .where(repair_orders.c.vin.in_(vins))
        .group_by(repair_orders.c.vin)
    )
    return {r.vin: (r.paid, r.last_visit) for r in (await session.execute(query)).all()}


async def history(kit: Kit, vin: str) -> list[dict[str, Any]]:
    """Service history with the mileage at each visit, newest first."""
    async with kit.db.transaction() as session:
        rows = (
            await session.execute(
                select(
                    repair_orders.c.id,
                    repair_orders.c.type,
                    repair_orders.c.state,
                    repair_orders.c.mileage_km,
                    repair_orders.c.opened_at,
                    repair_orders.c.handed_over_at,
                    repair_orders.c.advisor_no,
                    repair_orders.c.concerns,
                )
                .where(repair_orders.c.vin == vin)
                .order_by(repair_orders.c.opened_at.desc())
            )
        ).all()
        work: dict[str, list[Any]] = {r.id: [] for r in rows}
        lines = await session.execute(
            select(repair_order_lines.c.repair_order_id, repair_order_lines.c.description, repair_order_lines.c.amount)
            .where(repair_order_lines.c.repair_order_id.in_(list(work)))
            .order_by(repair_order_lines.c.created_at, repair_order_lines.c.id)
        )
        for line in lines:
            work[line.repair_order_id].append(line)
    return [
        {
            **r._mapping,
            "work": [line.description for line in work[r.id]],
            "amount": sum((line.amount for line in work[r.id]), Decimal("0.00")),
        }
        for r in rows
    ]


async def of_vehicles(session: AsyncConnection, vins: list[str], *, by: Principal) -> list[Any]:
    """The repair orders of these cars the caller may see, newest first."""
    query = select(repair_orders).where(repair_orders.c.vin.in_(vins)).order_by(repair_orders.c.opened_at.desc())
    visible = scope.advised_by_visible(by, repair_orders.c.advisor_no)
    if visible is not None:
        query = query.where(visible)
    return list((await session.execute(query)).all())
