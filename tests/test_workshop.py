"""Appointments without overbooking, segments, quality feedback and the home-visit list."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from factories import employee, mobile, vin
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, login
from test_repair_orders import _car, _opened


async def _advisors(stack: Stack, n: int) -> tuple[Any, list[str]]:
    """Hire advisors and wait until aftersales has learnt them from the employee events."""
    from servicekit.tables import staff_directory
    from sqlalchemy import func, select

    admin = await login(stack)
    numbers = [(await hired(admin, **employee(role="service_advisor")))["employee_no"] for _ in range(n)]

    async def all_known() -> bool:
        async with stack.kit("aftersales").db.transaction() as session:
            known = await session.scalar(select(func.count()).where(staff_directory.c.employee_no.in_(numbers)))
        return known == n

    await eventually(all_known)
    return admin, numbers


def _slot(days: int, hour: int) -> str:
    base = (datetime.now(UTC) + timedelta(days=days)).astimezone().date()
    return f"{base.isoformat()}T{hour:02d}:30:00+08:00"


async def _book(api: Any, advisor_no: str, starts_at: str) -> Any:
    body = {
        "vin": vin(),
        "advisor_no": advisor_no,
        "starts_at": starts_at,
        "channel": "phone",
        "service_type": "maintenance",
        "customer_name": "周先生",
        "customer_mobile": mobile(),
    }
    return await api.post("/api/v1/appointments", json=body)


async def test_appointments_never_overbook_an_advisor_or_the_bays(stack: Stack) -> None:
    admin, advisors = await _advisors(stack, 5)

    assert (await _book(admin, advisors[0], _slot(30, 9))).status_code == 201
    busy = await _book(admin, advisors[0], _slot(30, 9))
    assert busy.status_code == 409 and busy.json()["reason"] == "advisor_busy"

    # four bays (default); five advisors race for one slot: exactly four succeed
    results = await asyncio.gather(*(_book(admin, a, _slot(31, 10)) for a in advisors))
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 201, 201, 201, 409]
    assert next(r for r in results if r.status_code == 409).json()["reason"] == "bays_full"

    off = await _book(admin, advisors[1], "2026-12-01T09:00:00+08:00")
    assert off.status_code == 422 and off.json()["errors"][0]["name"] == "starts_at"

    booked = next(r for r in results if r.status_code == 201).json()  # moved to 11:30, freeing a bay
    moved = await admin.post(f"/api/v1/appointments/{booked['id']}/reschedule", json={"starts_at": _slot(31, 11)})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    plan = (await admin.get("/api/v1/appointments", params={"day": _slot(31, 10)[:10]})).json()
    by_start = {s["starts_at"][11:16]: s for s in plan["slots"]}
    assert by_start["10:30"]["booked"] == 3 and by_start["11:30"]["booked"] == 1
    loser = next(a for a, r in zip(advisors, results, strict=True) if r.status_code == 409)
    now_free = await _book(admin, loser, _slot(31, 10))
    assert now_free.status_code == 201

    no_show = await admin.post(f"/api/v1/appointments/{booked['id']}/no-show")
    assert no_show.status_code == 200 and no_show.json()["status"] == "no_show"
    assert (await admin.post(f"/api/v1/appointments/{booked['id']}/cancel")).status_code == 409


async def test_two_paid_visits_make_a_loyal_customer_listed_for_campaigns(stack: Stack) -> None:
    admin, [advisor_no] = await _advisors(stack, 1)
    car = await _car(admin)
    for _ in range(2):
        order = await _opened(admin, car, advisor_no, type="repair", opened_at=datetime.now(UTC).isoformat())
        for to in ("in_progress", "quality_check", "ready"):
            await admin.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
        handed = await admin.post(
            f"/api/v1/repair-orders/{order['id']}/handover", json={"handed_over_at": datetime.now(UTC).isoformat()}
        )
        assert handed.status_code == 200, handed.text
    assert (await admin.get(f"/api/v1/vehicles/{car}")).json()["segment"] == "loyal"
    marketing = stack.client(token=stack.token("marketing_manager", employee_no="MK1"))
    loyal: list[str] = []
    cursor = None
    while True:
        page = (
            await marketing.get(
                "/api/v1/segments/loyal/vehicles", params={"limit": 50, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        loyal += [m["vin"] for m in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert car in loyal


async def test_nightly_segment_run_is_planned_once(stack: Stack) -> None:
    from servicekit.tables import due_jobs
    from sqlalchemy import func, select

    async with stack.kit("aftersales").db.transaction() as session:
        planned = await session.scalar(
            select(func.count()).where(due_jobs.c.kind == "segments.nightly", due_jobs.c.status == "pending")
        )
    assert planned == 1


async def test_quality_feedback_is_recorded_and_reported_once(stack: Stack) -> None:
    admin = await login(stack)
    body = {"vin": vin(), "system": "gearbox", "description": "DSG judder at 20 km/h", "severity": "high"}
    created = await admin.post("/api/v1/quality-feedback", json=body)
    assert created.status_code == 201 and created.json()["status"] == "open"
    feedback_id = created.json()["id"]
    reported = await admin.post(
        f"/api/v1/quality-feedback/{feedback_id}/report", json={"oem_reference": "QF-2026-0042"}
    )
    assert reported.status_code == 200 and reported.json()["status"] == "reported"
    assert (
        await admin.post(f"/api/v1/quality-feedback/{feedback_id}/report", json={"oem_reference": "x"})
    ).status_code == 409


async def test_home_visit_list_draws_a_share_of_customers_once_per_month(stack: Stack) -> None:
    admin = await login(stack)
    for _ in range(5):
        await _car(admin)
    manager = stack.client(token=stack.token("service_manager", employee_no="M2"))
    drawn = await manager.post("/api/v1/home-visits/2031-01", json={"share": 0.1})
    assert drawn.status_code == 201, drawn.text
    items = drawn.json()["items"]
    assert items and all(i["status"] == "planned" for i in items)
    assert (await manager.post("/api/v1/home-visits/2031-01", json={"share": 0.1})).status_code == 409
    visited = await manager.post(
        f"/api/v1/home-visits/2031-01/{items[0]['vin']}/visited", json={"notes": "tea and a tyre check"}
    )
    assert visited.status_code == 200 and visited.json()["status"] == "visited"
    assert (await admin.post("/api/v1/home-visits/2031-02", json={"share": 0.1})).status_code == 201  # the GM may too


async def test_the_nightly_run_segments_every_car(stack: Stack) -> None:
    from aftersales.segments import service as segments
    from aftersales.vehicles.tables import vehicles
    from sqlalchemy import func, select

    admin = await login(stack)
    car = await _car(admin)
    kit = stack.kit("aftersales")
    async with kit.db.transaction() as session:
        await segments.recompute_all(session, datetime.now(UTC).date())
    async with kit.db.transaction() as session:
        unsegmented = await session.scalar(select(func.count()).where(vehicles.c.segment.is_(None)))
        walk_in = await session.scalar(select(vehicles.c.segment).where(vehicles.c.vin == car))
    assert unsegmented == 0
    assert walk_in == "ordinary"  # registered today, no visit yet


async def test_reminder_results_history_and_overdue_calls(stack: Stack) -> None:
    from test_repair_orders import _advisor

    admin, advisor_no = await _advisor(stack)
    car = await _car(admin)
    order = await _opened(admin, car, advisor_no, mileage_km=20500)
    for line in [
        {"kind": "labour", "description": "20,000 km service", "quantity": "1.5", "unit_price": "180.00"},
        {"kind": "product", "description": "engine oil 1L", "quantity": "4", "unit_price": "45.00"},
    ]:
        assert (await admin.post(f"/api/v1/repair-orders/{order['id']}/lines", json=line)).status_code == 201
    history = (await admin.get(f"/api/v1/vehicles/{car}/history")).json()
    assert [(v["id"], v["mileage_km"]) for v in history["items"]] == [(order["id"], 20500)]
    visit = history["items"][0]
    assert visit["concerns"] == order["concerns"]
    assert (visit["work"], visit["amount"]) == (["20,000 km service", "engine oil 1L"], "450.00")  # 270 + 180
    assert (await admin.get(f"/api/v1/vehicles/{vin()}/history")).status_code == 404

    for to in ("in_progress", "quality_check", "ready"):
        await admin.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to})
    await admin.post(
        f"/api/v1/repair-orders/{order['id']}/handover", json={"handed_over_at": "2026-11-20T16:00:00+08:00"}
    )
    late = (await admin.get("/api/v1/follow-ups", params={"vin": car, "overdue": "true"})).json()["items"]
    assert [c["due_date"] for c in late] == ["2026-11-25"]  # today is later than that in the tests' world
    assert (await admin.get("/api/v1/follow-ups", params={"vin": car, "overdue": "false"})).json()["items"] == []

    from aftersales.reminders import service as reminders

    kit = stack.kit("aftersales")
    async with kit.db.transaction() as session:
        await reminders.remind(
            session, {"vin": car, "due_date": "2027-05-20", "kind": "before", "remind_on": "2027-05-06"}
        )
    [reminder] = (await admin.get("/api/v1/reminders", params={"vin": car})).json()["items"]
    done = await admin.post(
        f"/api/v1/reminders/{reminder['id']}/result", json={"result": "booked", "notes": "May 18, 10:30"}
    )
    assert done.status_code == 200 and (done.json()["status"], done.json()["result"]) == ("done", "booked")
    assert (
        await admin.post(f"/api/v1/reminders/{reminder['id']}/result", json={"result": "declined"})
    ).status_code == 409
