"""One payroll month's payslips from what was recorded and entered (PAY-1…13): the facts of each
person's month, the plan's lines for them, late events (PAY-12) and clawbacks (PAY-11). Pure: the
service loads a ``Book`` and these functions turn it into lines, for the run and the preview alike."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from servicekit.roles import SHOWROOM_SELLERS

from payroll.plans.rules import (
    ZERO,
    Car,
    Line,
    Month,
    Plan,
    Registration,
    Renewal,
    StoreFigures,
    clawback,
    earned_by,
    evaluate,
    late,
    money,
    month_end,
)


@dataclass(frozen=True)
class Person:
    employee_no: str
    role: str | None
    base_wage: Decimal
    performance_wage: Decimal
    hired_on: date
    probation_until: date | None = None


@dataclass(frozen=True)
class Sale:
    car: Car
    delivery_id: str
    consultant_no: str
    month: str
    """The month the car was delivered in."""
    counted_month: str
    """The payroll month that counts it: its own, or the next open one when that was locked (PAY-12)."""
    cancelled_event_id: str | None = None
    settled_month: str | None = None
    settle_counted_month: str | None = None
    """Likewise by its settlement, for a plan that pays on settlement (PAY-9)."""


@dataclass(frozen=True)
class Job:
    event_id: str
    advisor_no: str
    total: Decimal
    bottles: int


@dataclass(frozen=True)
class Adjustment:
    reason: str
    amount: Decimal
    by: str


@dataclass(frozen=True)
class Book:
    """Everything recorded and entered for one payroll month."""

    month: str
    sales: tuple[Sale, ...] = ()
    """Cars counted in the month, cancelled ones too: a cancellation is a clawback line of its own."""
    clawed: tuple[Sale, ...] = ()
    """Cancelled cars whose clawback lands in the month."""
    settled: tuple[Sale, ...] = ()
    """Cars whose settlement counts in the month (for the plans that pay on settlement, PAY-9)."""
    jobs: tuple[Job, ...] = ()
    renewals: Mapping[str, tuple[Renewal, ...]] = field(default_factory=dict)
    registrations: Mapping[str, tuple[Registration, ...]] = field(default_factory=dict)
    roles: Mapping[str, str | None] = field(default_factory=dict)
    target_units: Mapping[str, int] = field(default_factory=dict)
    output_targets: Mapping[str, Decimal] = field(default_factory=dict)
    scores: Mapping[str, Decimal] = field(default_factory=dict)
    sheets: Mapping[str, Decimal] = field(default_factory=dict)
    store: StoreFigures | None = None
    adjustments: Mapping[str, tuple[Adjustment, ...]] = field(default_factory=dict)
    attendance: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    """(days worked, days scheduled) of those whose month was not full (PAY-1)."""


def top_sellers(counts: Mapping[str, int]) -> set[str]:
    """PAY-7: the month's top seller; on a tie every one of them (our reading)."""
    best = max(counts.values(), default=0)
    return {who for who, n in counts.items() if n == best and best > 0}


def store_penetration(sales: Iterable[Sale]) -> Decimal | None:
    """INS-6: the share of the store's showroom deliveries insured through the store."""
    showroom = [s for s in sales if s.car.channel != "online"]
    if not showroom:
        return None
    return Decimal(sum(1 for s in showroom if s.car.coverages)) / Decimal(len(showroom))


def as_counted(sale: Sale, plan: Plan) -> Sale | None:
    """The sale as ``plan`` counts it: by its delivery, or (PAY-9) by its settlement; None while a plan
    paying on settlement waits for it."""
    if not plan.pays_on_settlement:
        return sale
    if sale.settled_month is None or sale.settle_counted_month is None:
        return None
    return replace(sale, month=sale.settled_month, counted_month=sale.settle_counted_month)


def month_facts(person: Person, book: Book, cars: Iterable[Sale]) -> Month:
    no = person.employee_no
    showroom_counts = Counter(
        s.consultant_no
        for s in book.sales
        if s.car.channel != "online" and book.roles.get(s.consultant_no) in SHOWROOM_SELLERS
    )
    jobs = [j for j in book.jobs if j.advisor_no == no]
    worked, scheduled = book.attendance.get(no, (None, None))
    return Month(
        month=book.month,
        base_wage=person.base_wage,
        performance_wage=person.performance_wage,
        hired_on=person.hired_on,
        cars=tuple(s.car for s in cars),
        target_units=book.target_units.get(no),
        appraisal_score=book.scores.get(no, Decimal("100")),
        top_seller=no in top_sellers(showroom_counts),
        online_specialist=person.role == "online_specialist",
        bottles=sum(j.bottles for j in jobs),
        bottle_event_ids=tuple(j.event_id for j in jobs if j.bottles),
        output=sum((j.total for j in jobs), ZERO),
        output_target=book.output_targets.get(no),
        cars_received=len(jobs),
        days_worked=worked,
        days_scheduled=scheduled,
        on_probation=person.probation_until is not None and person.probation_until >= month_end(book.month),
        renewals=book.renewals.get(no, ()),
        registrations=book.registrations.get(no, ()),
        sheet_score=book.sheets.get(no, Decimal("100")),
        store=book.store,
        station_output=sum((j.total for j in book.jobs), ZERO),
        store_penetration=store_penetration(book.sales),
    )


def payslip(plan: Plan, person: Person, book: Book, earned: Mapping[str, Decimal]) -> list[Line]:
    """One person's lines of the month: the plan's (those of a car of a locked month marked late), a
    clawback per cancelled car, then the manual adjustments. ``earned`` says what each clawed car
    earned in an earlier month; a car counted in this month gives back what these lines give it."""
    no = person.employee_no
    counted = book.settled if plan.pays_on_settlement else book.sales
    mine = [view for s in counted if s.consultant_no == no and (view := as_counted(s, plan)) is not None]
    late_months = {s.car.event_id: s.month for s in mine if s.month != book.month}
    lines = [late(line, late_months) for line in evaluate(plan, month_facts(person, book, mine))]
    for cancelled in book.clawed:
        sale = as_counted(cancelled, plan) if cancelled.consultant_no == no else None
        if sale is None or sale.cancelled_event_id is None:
            continue
        event_id = sale.car.event_id
        amount = earned_by(lines, event_id) if sale.counted_month == book.month else earned.get(event_id, ZERO)
        if amount:
            lines.append(
                clawback(
                    sale.car.vin,
                    amount,
                    paid_in=sale.counted_month,
                    delivered_event_id=event_id,
                    cancelled_event_id=sale.cancelled_event_id,
                )
            )
    for adjustment in book.adjustments.get(no, ()):
        lines.append(Line("adjustment", adjustment.reason, money(adjustment.amount), {"by": adjustment.by}))
    return lines


def with_department_sales(store: StoreFigures | None, *, parts: Decimal, products: Decimal) -> StoreFigures:
    """PAY-10's parts department figures of the month: the parts (and maintenance products) sold on the
    repair orders handed over and over the counter, as the events told payroll; a figure the store
    entered for the month stands instead (a month before its parts department ran on FourS)."""
    entered = store or StoreFigures()
    return replace(
        entered,
        parts_sales=parts if entered.parts_sales is None else entered.parts_sales,
        maintenance_products_sales=products
        if entered.maintenance_products_sales is None
        else entered.maintenance_products_sales,
    )
