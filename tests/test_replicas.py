"""Two replicas of one service on the same database and consumer group: every event is handled
once and every due job runs once (DOMAIN: relay, consumers and scheduler are replica-safe)."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from factories import employee_no, mobile, vin
from fours_contracts import CloudEvent, VehicleDelivered
from fours_devstack.testing import Stack, eventually, settings_for
from servicekit.tables import due_jobs, inbox
from sqlalchemy import func, select


async def test_two_aftersales_replicas_handle_each_event_once_and_run_each_due_job_once(
    stack: Stack, postgres_url: str, kafka_bootstrap: str, jwt_keys: tuple[str, str]
) -> None:
    replica = Stack(private_key=stack.private_key)
    await replica.start(
        "aftersales",
        settings_for("aftersales", postgres_url, kafka_bootstrap, jwt_keys[1], scheduler_poll_seconds=0.01),
    )
    try:
        both = stack.kit("aftersales").consumer, replica.kit("aftersales").consumer
        assert both[0] is not None and both[1] is not None

        async def shared() -> bool:  # the group has rebalanced: each member holds part of leads.events
            held = [{p for t, p in c.assignment() if t == "leads.events"} for c in both]  # type: ignore[union-attr]
            return all(held) and not held[0] & held[1]

        await eventually(shared, timeout=30)
        consultant = employee_no()
        delivered_at = datetime.now(UTC) - timedelta(days=215)  # next maintenance is past: both reminders due now
        cars = [vin() for _ in range(40)]
        producer = await stack.kit("leads").broker.producer()
        envelopes = []
        for n, car in enumerate(cars):
            event = VehicleDelivered.model_validate(
                {
                    "delivery_id": f"rep-{car}",
                    "vin": car,
                    "customer": {"customer_id": f"c-{car}", "name": "赵先生", "mobile": mobile()},
                    "consultant_no": consultant,
                    "channel": "showroom",
                    "model": "Tiguan",
                    "grade": "A",
                    "price": "250000.00",
                    "floor_price": "240000.00",
                    "delivered_at": delivered_at + timedelta(minutes=n),
                }
            )
            envelope = CloudEvent.wrap(event, source="/fours/leads")
            envelopes.append(envelope)
            for _ in range(2):  # and every event arrives twice
                await producer.send_and_wait(
                    event.topic(), envelope.kafka_value(), key=car.encode(), headers=envelope.kafka_headers()
                )

        async def reminders(api: httpx.AsyncClient, car: str) -> list[dict[str, Any]]:
            return (await api.get("/api/v1/reminders", params={"vin": car})).json()["items"]

        async with stack.client("gateway") as api:

            async def all_reminded() -> bool:
                counts = await asyncio.gather(*(reminders(api, car) for car in cars))
                return all(len(c) == 2 for c in counts)

            await eventually(all_reminded, timeout=30)
            await asyncio.sleep(0.5)
            for car in cars:
                assert len((await api.get("/api/v1/follow-ups", params={"vin": car})).json()["items"]) == 1
                assert sorted(r["kind"] for r in await reminders(api, car)) == ["before", "due"]

        async with stack.kit("aftersales").db.transaction() as session:
            handled = await session.scalar(select(func.count()).where(inbox.c.event_id.in_([e.id for e in envelopes])))
            jobs = (
                await session.execute(
                    select(due_jobs.c.status, due_jobs.c.attempts).where(
                        due_jobs.c.kind == "maintenance.remind", due_jobs.c.payload["vin"].astext.in_(cars)
                    )
                )
            ).all()
        assert handled == len(cars)
        assert len(jobs) == 2 * len(cars)
        assert {(status, attempts) for status, attempts in jobs} == {("done", 1)}
        assert all(c is not None and c.processed > 0 for c in both), "both replicas consumed a share"
    finally:
        await replica.stop_all()


async def test_two_replicas_of_every_other_consuming_service_count_each_delivery_once(
    stack: Stack, postgres_url: str, kafka_bootstrap: str, jwt_keys: tuple[str, str]
) -> None:
    """payroll, insurance and marketing each doubled on their group: 30 deliveries sent twice are
    counted once in each (commission, new-car sale, attribution and sales history)."""
    services = ("payroll", "insurance", "marketing")
    replicas = Stack(private_key=stack.private_key)
    for service in services:
        await replicas.start(
            service, settings_for(service, postgres_url, kafka_bootstrap, jwt_keys[1], scheduler_poll_seconds=0.01)
        )
    try:
        for service in services:
            both = stack.kit(service).consumer, replicas.kit(service).consumer

            async def shared(both: Any = both) -> bool:
                held = [{p for t, p in c.assignment() if t == "leads.events"} for c in both]
                return all(held) and not held[0] & held[1]

            await eventually(shared, timeout=30)
        month = datetime(2061, 3, 5, 2, tzinfo=UTC)  # a month of its own for the sales history
        cars = [vin() for _ in range(30)]
        producer = await stack.kit("leads").broker.producer()
        envelopes = []
        for n, car in enumerate(cars):
            event = VehicleDelivered.model_validate(
                {
                    "delivery_id": f"rep2-{car}",
                    "vin": car,
                    "customer": {"customer_id": f"c2-{car}", "name": "钱先生", "mobile": mobile()},
                    "consultant_no": "REP-S1",
                    "channel": "showroom",
                    "model": "Bora",
                    "grade": "B",
                    "price": "100000.00",
                    "floor_price": "98000.00",
                    "delivered_at": month + timedelta(minutes=n),
                    "insurance": {"insurer": "PICC", "coverages": ["compulsory"]},
                }
            )
            envelope = CloudEvent.wrap(event, source="/fours/leads")
            envelopes.append(envelope)
            for _ in range(2):
                await producer.send_and_wait(
                    event.topic(), envelope.kafka_value(), key=car.encode(), headers=envelope.kafka_headers()
                )
        ids = [e.id for e in envelopes]

        async def handled(service: str) -> int:
            async with stack.kit(service).db.transaction() as session:
                return int(await session.scalar(select(func.count()).where(inbox.c.event_id.in_(ids))) or 0)

        async def all_handled() -> bool:
            return all([await handled(service) == len(cars) for service in services])

        await eventually(all_handled, timeout=45)
        await asyncio.sleep(0.5)
        from marketing.budgets.tables import sales_history
        from payroll.ledger.tables import car_sales

        async with stack.kit("payroll").db.transaction() as session:
            sales = await session.scalar(select(func.count()).where(car_sales.c.vin.in_(cars)))
        async with stack.kit("marketing").db.transaction() as session:
            counted = await session.scalar(
                select(sales_history.c.counted).where(sales_history.c.year == 2061, sales_history.c.month == 3)
            )
        async with stack.client("gateway") as api:
            policies = [(await api.get("/api/v1/policies", params={"vin": car})).json()["items"] for car in cars]
        assert sales == len(cars) and counted == len(cars)
        assert all(len(p) == 1 for p in policies)  # one new-car policy each, from the handover
        for service in services:
            consumers = stack.kit(service).consumer, replicas.kit(service).consumer
            assert all(c is not None and c.processed > 0 for c in consumers), f"both {service} replicas consumed"

        # and the schedulers: 40 SMS due now in insurance, sent once each by the two replicas
        from insurance.sms import service as sms

        async with stack.kit("insurance").db.transaction() as session:
            queued = [
                await sms.queue(session, mobile=mobile(), body="续保提醒", purpose="test", ref=f"rep-{n}")
                for n in range(40)
            ]

        async def sent() -> bool:
            async with stack.kit("insurance").db.transaction() as session:
                rows = (
                    await session.execute(
                        select(due_jobs.c.status, due_jobs.c.attempts).where(
                            due_jobs.c.kind == sms.JOB, due_jobs.c.key.in_(queued)
                        )
                    )
                ).all()
            return len(rows) == len(queued) and {tuple(r) for r in rows} == {("done", 1)}

        await eventually(sent, timeout=30)
        assert all(k.scheduler is not None for k in (stack.kit("insurance"), replicas.kit("insurance")))
    finally:
        await replicas.stop_all()
