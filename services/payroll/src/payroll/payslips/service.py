"""A payroll month's payslips, computed: the month's book is loaded through the features that own its
parts (staff, inputs and plans, recorded events, closed months), then evaluated by the pure rules.
The payroll run stores what this computes; the commission preview shows it for one person."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from servicekit.calendar import business_date, month_bounds
from sqlalchemy.ext.asyncio import AsyncConnection

from payroll.employees import service as employees
from payroll.ledger import service as ledger
from payroll.payslips import rules
from payroll.periods import service as periods
from payroll.plans import service as plans
from payroll.plans.rules import Car, Line, Plan, Registration, Renewal, earned_by

T = TypeVar("T")
PaidLookup = Callable[[AsyncConnection, list[str]], Awaitable[dict[str, Decimal]]]
"""What locked months' payslips paid for each of these delivery events."""


@dataclass(frozen=True)
class Payslip:
    employee_no: str
    plan_code: str
    lines: list[Line]


@dataclass(frozen=True)
class Computed:
    payslips: list[Payslip]
    deliveries: dict[str, str]
    """The delivery id of each car event the month's lines may name."""


async def compute(
    session: AsyncConnection, month: str, *, default_plan: str, paid: PaidLookup, only: str | None = None
) -> Computed:
    """Every payslip of ``month`` (or only ``only``'s: an employee payroll does not know yet is shown
    under the default plan with no wage)."""
    first, last = month_bounds(month)
    staff = [_person(row) for row in await employees.on_staff(session, first, last)]
    book = await _book(session, month, roles={p.employee_no: p.role for p in staff})
    if only is not None:
        staff = [p for p in staff if p.employee_no == only] or [
            rules.Person(only, None, Decimal("0.00"), Decimal("0.00"), first)
        ]
    plan_of = await plans.plans_in_force(session, month, default_plan)
    planned = [(person, await plan_of(person.employee_no)) for person in staff]
    earned = await _earned_elsewhere(session, book, default_plan, paid, {p.employee_no: plan for p, plan in planned})
    slips = [Payslip(p.employee_no, plan.code, rules.payslip(plan, p, book, earned)) for p, plan in planned]
    deliveries = {s.car.event_id: s.delivery_id for s in (*book.sales, *book.clawed, *book.settled)}
    deliveries |= {
        r.delivered_event_id: r.delivery_id
        for done in book.registrations.values()
        for r in done
        if r.delivered_event_id is not None
    }
    return Computed(slips, deliveries)


async def _earned_elsewhere(
    session: AsyncConnection, book: rules.Book, default_plan: str, paid: PaidLookup, people: dict[str, Plan]
) -> dict[str, Decimal]:
    """What each car clawed back this month earned in the earlier month that counted it (by its
    delivery, or by its settlement under a plan paying on it): the locked payslips' lines when that
    month is closed, else that month evaluated now (PAY-11)."""
    counted = (rules.as_counted(s, people[s.consultant_no]) for s in book.clawed if s.consultant_no in people)
    elsewhere = [s for s in counted if s is not None and s.counted_month != book.month]
    closed = await periods.closed(session)
    earned = await paid(session, [s.car.event_id for s in elsewhere if s.counted_month in closed])
    for sale in elsewhere:
        if sale.counted_month not in closed:
            then = await compute(
                session, sale.counted_month, default_plan=default_plan, paid=paid, only=sale.consultant_no
            )
            earned[sale.car.event_id] = earned_by(then.payslips[0].lines, sale.car.event_id)
    return earned


async def _book(session: AsyncConnection, month: str, *, roles: dict[str, str | None]) -> rules.Book:
    events = await ledger.of_month(session, month)
    inputs = await plans.month_inputs(session, month)
    return rules.Book(
        month=month,
        sales=tuple(_sale(row) for row in events.sales),
        clawed=tuple(_sale(row) for row in events.clawed),
        settled=tuple(_sale(row) for row in events.settled),
        jobs=tuple(
            rules.Job(j.completed_event_id, j.advisor_no, j.total_amount, j.product_bottles) for j in events.jobs
        ),
        renewals=_grouped((r.employee_no, Renewal(r.won_event_id, r.vin, r.commercial)) for r in events.renewals),
        registrations=_grouped(
            (r.consultant_no, Registration(r.event_id, r.vin, r.kind, r.delivery_id, r.delivered_event_id))
            for r in events.registrations
        ),
        roles=roles,
        target_units={no: int(t.units) for no, t in inputs.targets.items() if t.units},
        output_targets={no: t.output for no, t in inputs.targets.items() if t.output is not None},
        scores=inputs.scores,
        sheets=inputs.sheets,
        store=rules.with_department_sales(
            inputs.store,
            parts=sum((j.parts_amount for j in events.jobs), Decimal(0))
            + sum((c.parts_amount for c in events.counter_sales), Decimal(0)),
            products=sum((j.products_amount for j in events.jobs), Decimal(0))
            + sum((c.products_amount for c in events.counter_sales), Decimal(0)),
        ),
        attendance=inputs.attendance,
        adjustments=_grouped(
            (a.employee_no, rules.Adjustment(a.reason, a.amount, a.created_by)) for a in inputs.adjustments
        ),
    )


def _grouped(pairs: Iterable[tuple[str, T]]) -> dict[str, tuple[T, ...]]:
    grouped: dict[str, list[T]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {key: tuple(values) for key, values in grouped.items()}


def _person(row: Any) -> rules.Person:
    return rules.Person(
        row.employee_no, row.role, row.base_wage, row.performance_wage, row.hired_on, row.probation_until
    )


def _sale(row: Any) -> rules.Sale:
    car = Car(
        event_id=row.delivered_event_id,
        vin=row.vin,
        grade=row.grade,
        model=row.model or "",
        channel=row.channel,
        price=row.price or Decimal(0),
        floor_price=row.floor_price or Decimal(0),
        delivered_on=business_date(row.delivered_at),
        loan_fee=row.loan_fee,
        coverages=tuple(row.coverages or ()),
        accessories_price=row.accessories_price,
        accessories_cost=row.accessories_cost,
        plate_fee=row.plate_fee,
        trade_in_price=row.trade_in_price,
    )
    return rules.Sale(
        car,
        row.delivery_id,
        row.consultant_no,
        row.month,
        row.counted_month,
        row.cancelled_event_id,
        row.settled_month,
        row.settle_counted_month,
    )
