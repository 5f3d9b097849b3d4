"""PAY-3…11 in one place: ``GET /commissions`` previews the month with the payroll run's own evaluator,
so for every built-in plan and for a plan a store wrote, the preview is the payslip's car lines."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from factories import employee, vin
from fours_devstack.testing import Stack, eventually
from test_first_flow import hired, login
from test_payroll_runs import _cancel, _counted, _deliver, _run, _settle, _settled

MONTH = "2034-07"
FULL = ["compulsory", "own_damage", "third_party", "excess_waiver", "passengers"]


async def _builtin_plans(api: httpx.AsyncClient) -> list[str]:
    plans = (await api.get("/api/v1/commission-plans")).json()["items"]
    return sorted(p["code"] for p in plans if p["builtin"])


async def _sell(stack: Stack, consultant: str) -> list[Any]:
    """Four cars of the month: a loan, full insurance, accessories, a price above the floor, and grade B."""
    events = []
    for n in range(1, 5):
        events.append(
            await _deliver(
                stack,
                consultant,
                vin(),
                f"{MONTH}-{n + 2:02d}T10:00:00+08:00",
                grade="B" if n == 4 else "A",
                price="125000.00" if n == 2 else "120000.00",
                loan={"bank": "ICBC", "handling_fee": "3500.00"} if n == 1 else None,
                insurance={"insurer": "PICC", "coverages": FULL} if n < 3 else None,
                accessories={"price": "3000.00", "cost": "600.00"} if n == 3 else None,
            )
        )
    return events


def _car_lines(slip: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The payslip lines of a sold car, as the payslip itself names them (a car's ``vin`` in the basis)."""
    return [
        (line["code"], line["amount"], line["description"], line["source_event_ids"][0])
        for line in slip["lines"]
        if "vin" in line["basis"]
    ]


async def test_the_preview_is_the_payslip_s_car_lines_on_every_built_in_plan_and_a_store_s_own(stack: Stack) -> None:
    admin = await login(stack)
    own = {
        "code": "store-2034-bands",
        "name": "our 2013 scheme with higher bands",
        "effective_month": "2034-01",
        "rules": [
            {
                "kind": "achievement_bands",
                "times_score": True,
                "bands": [{"at_least": "0", "amounts": {"*": "160"}}, {"at_least": "1.0", "amounts": {"*": "380"}}],
            },
            {"kind": "above_floor_share", "times_score": True, "share": "0.4"},
            {"kind": "loan_bonus", "amount": "250"},
            {
                "kind": "unit_tiers",
                "tiers": [{"upto": 2, "rates": {"A": "90"}}, {"upto": None, "rates": {"A": "110", "B": "70"}}],
            },
        ],
    }
    assert (await admin.post("/api/v1/commission-plans", json=own)).status_code == 201
    people: dict[str, str] = {}
    for code in [*await _builtin_plans(admin), own["code"]]:
        no = (await hired(admin, **employee(hired_on="2030-01-10", performance_wage="3000.00")))["employee_no"]
        response = await admin.put(f"/api/v1/employees/{no}/plan", json={"plan_code": code, "from_month": MONTH})
        assert response.status_code == 200, response.text
        assert (await admin.put(f"/api/v1/targets/{MONTH}/{no}", json={"units": 4})).status_code == 200
        assert (await admin.put(f"/api/v1/appraisals/{MONTH}/{no}", json={"score": 92})).status_code == 200
        people[code] = no
    assert len(people) >= 10  # nine built-in plans and the store's

    sales = {code: await _sell(stack, no) for code, no in people.items()}
    await eventually(lambda: _counted(stack, [e.id for events in sales.values() for e in events]))
    # the 2013 scheme pays a car once its sale is settled (PAY-9): every sale is settled in the month
    for code, events in sales.items():
        for event in events:
            await _settle(stack, people[code], event.subject or "", event, datetime(2034, 7, 15, 3, 0, tzinfo=UTC))
    await eventually(lambda: _settled(stack, [e.id for events in sales.values() for e in events]))
    # a sale cancelled within its own month gives back what it earned, as a line of its own (PAY-11)
    cancelled = sales["seed-2008-sales"][1]
    vin_ = cancelled.subject or ""
    await _cancel(stack, people["seed-2008-sales"], vin_, cancelled, datetime(2034, 7, 20, 3, 0, tzinfo=UTC))

    async def clawback_seen() -> dict[str, Any] | None:
        preview = (
            await admin.get("/api/v1/commissions", params={"employee_no": people["seed-2008-sales"], "month": MONTH})
        ).json()
        return preview if any(i["code"] == "clawback" for i in preview["items"]) else None

    preview_2008 = await eventually(clawback_seen)
    [earned] = [i for i in preview_2008["items"] if i["vin"] == vin_ and i["code"] == "unit_commission"]
    [given_back] = [i for i in preview_2008["items"] if i["code"] == "clawback"]
    assert given_back["amount"] == "-" + earned["amount"] and given_back["amount"] != "-0.00"

    run = await _run(admin, MONTH)
    assert (await admin.post(f"/api/v1/payroll-runs/{run['id']}/compute")).status_code == 200
    for code, no in people.items():
        preview = (await admin.get("/api/v1/commissions", params={"employee_no": no, "month": MONTH})).json()
        slip = (await admin.get(f"/api/v1/payroll-runs/{run['id']}/payslips/{no}")).json()
        assert slip["plan_code"] == preview["plan_code"] == code
        shown = [(i["code"], i["amount"], i["rule"], i["source_event_id"]) for i in preview["items"]]
        assert shown == _car_lines(slip), code
        assert Decimal(preview["total"]) == sum((Decimal(line[1]) for line in _car_lines(slip)), Decimal(0)), code
        if code in {"seed-2008-sales", "seed-2013-sales", "seed-2015-sales", own["code"]}:
            assert shown, f"{code} pays per car"
    own_units = [
        i
        for i in (
            await admin.get("/api/v1/commissions", params={"employee_no": people[own["code"]], "month": MONTH})
        ).json()["items"]
        if i["code"] == "unit_commission"
    ]
    assert [i["amount"] for i in own_units if i["rule"].startswith("PAY-3")] == ["90.00", "90.00", "110.00", "70.00"]
