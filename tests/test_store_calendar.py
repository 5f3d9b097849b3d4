"""The store's own working-day calendar (AS-4 and the other working-day deadlines): entered per year
through the gateway, kept by every service, and open follow-up calls moved to it."""

from typing import Any

from factories import employee_no, vin
from fours_devstack.testing import Stack, eventually
from test_first_flow import login
from test_payroll_runs import _deliver

YEAR = 2041  # the library knows 2041's holidays and none of its adjusted working weekends
FRIDAY = "2041-03-01"


async def _call(api: Any, car: str) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        items = (await api.get("/api/v1/follow-ups", params={"vin": car})).json()["items"]
        return items[0] if items else None

    return await eventually(found)


async def test_a_working_saturday_and_a_moved_holiday_move_open_follow_up_calls_and_not_done_ones(
    stack: Stack,
) -> None:
    admin = await login(stack)
    before = (await admin.get(f"/api/v1/calendar/{YEAR}")).json()
    assert before["complete"] is False and before["library_knows_adjustments"] is False
    assert all(day["from"] == "library" for day in before["holidays"])

    consultant, open_car, done_car = employee_no(), vin(), vin()
    for car in (open_car, done_car):
        await _deliver(stack, consultant, car, f"{FRIDAY}T10:00:00+08:00")
    open_call, done_call = await _call(admin, open_car), await _call(admin, done_car)
    assert open_call["due_date"] == done_call["due_date"] == "2041-03-06"  # Mon 4, Tue 5, Wed 6
    reached = await admin.post(
        f"/api/v1/follow-ups/{done_call['id']}/attempts", json={"outcome": "reached", "scores": {"overall": 9}}
    )
    assert reached.status_code in (200, 201), reached.text

    # the State Council (made up here) makes Saturday 2 March a working day
    entry = {"holidays": [], "working_days": ["2041-03-02"], "source": "test notice 1"}
    entered = await admin.put(f"/api/v1/calendar/{YEAR}", json=entry)
    assert entered.status_code == 200, entered.text
    assert entered.json()["complete"] is True
    assert {"date": "2041-03-02", "from": "store", "name": None} in entered.json()["working_days"]

    async def moved() -> dict[str, Any] | None:
        call = await _call(admin, open_car)
        return call if call["due_date"] == "2041-03-05" else None  # Sat 2, Mon 4, Tue 5

    await eventually(moved)
    assert (await _call(admin, done_car))["due_date"] == "2041-03-06"  # done work never changes

    async def applied(source: str) -> dict[str, Any] | None:
        services = (await admin.get(f"/api/v1/calendar/{YEAR}")).json()["services"]
        copy = services.get("aftersales", {})
        return services if copy.get("entered") and copy.get("moved", 0) >= 1 and copy.get("source") == source else None

    services = await eventually(lambda: applied("test notice 1"))
    assert services["aftersales"]["moved"] >= 1 and services["aftersales"]["complete"] is True

    # a later notice also gives Monday 4 March off: the open call moves again, to Wednesday
    entry = {"holidays": ["2041-03-04"], "working_days": ["2041-03-02"], "source": "test notice 2"}
    assert (await admin.put(f"/api/v1/calendar/{YEAR}", json=entry)).status_code == 200

    async def moved_again() -> dict[str, Any] | None:
        call = await _call(admin, open_car)
        return call if call["due_date"] == "2041-03-06" else None  # Sat 2, Tue 5, Wed 6

    await eventually(moved_again)
    await eventually(lambda: applied("test notice 2"))
    shown = (await admin.get(f"/api/v1/calendar/{YEAR}")).json()
    assert {"date": "2041-03-04", "from": "store", "name": None} in shown["holidays"]


async def test_an_entry_must_hold_days_of_its_year_once_each_and_only_the_keepers_enter_it(stack: Stack) -> None:
    admin = await login(stack)
    wrong = await admin.put(
        f"/api/v1/calendar/{YEAR + 1}",
        json={"holidays": ["2041-05-01", "2042-05-01"], "working_days": ["2042-05-01"], "source": "x"},
    )
    assert wrong.status_code == 422 and wrong.headers["content-type"] == "application/problem+json"
    assert {e["name"] for e in wrong.json()["errors"]} == {"holidays", "working_days"}
    consultant = stack.client(token=stack.token("sales_consultant", employee_no="S-CAL"))
    refused = await consultant.put(
        f"/api/v1/calendar/{YEAR + 1}", json={"holidays": [], "working_days": [], "source": "x"}
    )
    assert refused.status_code == 403
    shown = await consultant.get(f"/api/v1/calendar/{YEAR + 1}")
    assert shown.status_code == 200 and shown.json()["services"] == {}  # the copies are the keepers' to see
    hr = stack.client(token=stack.token("hr_manager", employee_no="H-CAL"))
    assert (
        await hr.put(f"/api/v1/calendar/{YEAR + 1}", json={"holidays": [], "working_days": [], "source": "x"})
    ).status_code == 200
