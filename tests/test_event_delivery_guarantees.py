"""The services' consumers against the real broker: duplicates count once, poison is parked and replayable."""

from datetime import UTC, datetime
from typing import Any

from factories import employee_no, mobile, vin
from fours_contracts import CloudEvent, VehicleDelivered
from fours_devstack.testing import Stack, eventually


def _delivered(consultant: str, car: str) -> VehicleDelivered:
    return VehicleDelivered.model_validate(
        {
            "delivery_id": f"d-{car}",
            "vin": car,
            "customer": {"customer_id": f"c-{car}", "name": "张女士", "mobile": mobile()},
            "consultant_no": consultant,
            "channel": "showroom",
            "model": "Passat",
            "grade": "B",
            "price": "200000.00",
            "floor_price": "190000.00",
            "delivered_at": datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
        }
    )


async def _send(stack: Stack, *envelopes: CloudEvent) -> None:
    producer = await stack.kit("leads").broker.producer()
    for envelope in envelopes:
        await producer.send_and_wait(
            VehicleDelivered.topic(),
            envelope.kafka_value(),
            key=(envelope.subject or "").encode(),
            headers=envelope.kafka_headers(),
        )


async def _follow_ups(stack: Stack, car: str) -> list[dict[str, Any]]:
    async with stack.client() as api:
        return (await api.get("/api/v1/follow-ups", params={"vin": car})).json()["items"]


async def _commission_lines(stack: Stack, consultant: str) -> list[dict[str, Any]]:
    async with stack.client() as api:
        response = await api.get("/api/v1/commissions", params={"employee_no": consultant, "month": "2026-11"})
        return response.json()["items"]


async def test_the_same_event_delivered_twice_gives_one_follow_up_and_one_commission_line(stack: Stack) -> None:
    consultant, car = employee_no(), vin()
    envelope = CloudEvent.wrap(_delivered(consultant, car), source="/fours/leads")
    await _send(stack, envelope, envelope)
    marker = CloudEvent.wrap(_delivered(consultant, vin()), source="/fours/leads")
    await _send(stack, marker)  # same consultant, later on: once it is counted, the duplicate was seen

    await eventually(lambda: _follow_ups(stack, marker.subject or ""))
    lines = await eventually(lambda: _lines_at_least(stack, consultant, 2))
    assert len(await _follow_ups(stack, car)) == 1
    assert [line["vin"] for line in lines].count(car) == 1
    assert {line["amount"] for line in lines} == {"150.00"}  # grade B, cars 1 and 2 of the month


async def _lines_at_least(stack: Stack, consultant: str, n: int) -> list[dict[str, Any]] | None:
    lines = await _commission_lines(stack, consultant)
    return lines if len(lines) >= n else None


async def test_poison_event_is_parked_the_stream_goes_on_and_replay_after_a_fix_processes_it(stack: Stack) -> None:
    consultant, bad_car, good_car = employee_no(), vin(), vin()
    poison = CloudEvent.wrap(_delivered(consultant, bad_car), source="/fours/leads")
    poison.data["grade"] = "Z"  # a producer bug: the contract allows A or B
    await _send(stack, poison, CloudEvent.wrap(_delivered(consultant, good_car), source="/fours/leads"))

    assert await eventually(lambda: _follow_ups(stack, good_car))
    async with stack.client() as api:

        async def parked() -> dict[str, Any] | None:
            items = (await api.get("/api/v1/admin/aftersales/dead-letters")).json()["items"]
            return next((i for i in items if i["event_id"] == poison.id), None)

        letter = await eventually(parked)
        assert "grade" in letter["error"] and letter["status"] == "parked"
        assert await _follow_ups(stack, bad_car) == []

        fixed = {**poison.data, "grade": "B"}
        replayed = await api.post(f"/api/v1/admin/aftersales/dead-letters/{letter['id']}/replay", json={"data": fixed})
        assert replayed.status_code == 200, replayed.text
        assert replayed.json() == {"id": letter["id"], "status": "replayed", "processed": True}
        [call] = await _follow_ups(stack, bad_car)
        assert call["status"] == "open"

        again = await api.post(f"/api/v1/admin/aftersales/dead-letters/{letter['id']}/replay")
        assert again.status_code == 409

        payroll_letters = (await api.get("/api/v1/admin/payroll/dead-letters")).json()["items"]
        payroll_letter = next(i for i in payroll_letters if i["event_id"] == poison.id)
        still_bad = await api.post(f"/api/v1/admin/payroll/dead-letters/{payroll_letter['id']}/replay")
        assert still_bad.status_code == 409 and still_bad.json()["type"].endswith("replay-failed")


async def test_only_the_general_manager_reaches_dead_letters(stack: Stack) -> None:
    async with stack.client(token=stack.token("hr_manager", employee_no="H1")) as api:
        assert (await api.get("/api/v1/admin/payroll/dead-letters")).status_code == 403
    async with stack.client() as api:
        assert (await api.get("/api/v1/admin/nowhere/dead-letters")).status_code == 404


async def test_poison_in_every_consumed_topic_is_parked_by_each_consumer_and_the_stream_goes_on(stack: Stack) -> None:
    """One broken event of each type a service consumes: each consumer parks its copy (visible to the
    GM) and the good event behind it on the same topic is still processed."""
    from fours_contracts import EmployeeHired, OrderPlaced, RenewalWon, ServiceCompleted, VisitRegistered

    now = datetime.now(UTC).isoformat()
    poisons = {  # event type → (data missing required fields, the services consuming it)
        VehicleDelivered: ({"vin": vin()}, ("aftersales", "payroll", "insurance", "marketing")),
        EmployeeHired: ({"employee_no": employee_no()}, ("leads", "aftersales", "insurance")),
        ServiceCompleted: ({"vin": vin()}, ("payroll",)),
        RenewalWon: ({"vin": vin(), "renewed_at": now}, ("payroll",)),
        OrderPlaced: ({"order_id": "o-poison"}, ("marketing",)),
        VisitRegistered: ({"visit_id": "v-poison"}, ("marketing",)),
    }
    producer = await stack.kit("leads").broker.producer()
    sent: dict[str, tuple[str, ...]] = {}
    for event_type, (data, consumers) in poisons.items():
        envelope = CloudEvent(
            source=f"/fours/{event_type.producer}",
            type=event_type.event_type,
            subject="poison",
            time=datetime.now(UTC),
            data=data,
        )
        await producer.send_and_wait(
            event_type.topic(), envelope.kafka_value(), key=b"poison", headers=envelope.kafka_headers()
        )
        sent[envelope.id] = consumers
    good_no = employee_no()
    hired = EmployeeHired.model_validate(
        {"employee_no": good_no, "name": "好", "role": "sales_consultant", "team": "t", "hired_on": "2020-01-01"}
    )
    good = CloudEvent.wrap(hired, source="/fours/payroll")
    await producer.send_and_wait(hired.topic(), good.kafka_value(), key=b"poison", headers=good.kafka_headers())

    async with stack.client() as api:

        async def parked() -> bool:
            for event_id, consumers in sent.items():
                for service in consumers:
                    items = (await api.get(f"/api/v1/admin/{service}/dead-letters")).json()["items"]
                    if event_id not in {i["event_id"] for i in items}:
                        return False
            return True

        await eventually(parked, timeout=30)

    from servicekit.tables import staff_directory
    from sqlalchemy import select

    async def known() -> bool:
        async with stack.kit("leads").db.transaction() as session:
            return (
                await session.scalar(
                    select(staff_directory.c.employee_no).where(staff_directory.c.employee_no == good_no)
                )
                is not None
            )

    await eventually(known)  # the stream went on past the poison
