"""The evaluator of commission plans (DOMAIN PAY-1…11, INS-7): one employee's month, as the events and
the month's inputs tell it, turned into explained payslip lines under a plan document
(``payroll.plans.vocabulary``). Each rule kind has one small evaluator, found in ``EVALUATORS``; the
payroll run and the commission preview both call ``evaluate``, so they cannot disagree.
"""

import calendar
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from payroll.plans.vocabulary import (
    AboveFloorShare,
    AccessoriesShare,
    AchievementBands,
    AnyRule,
    FixedSplit,
    InsurancePerCar,
    LoanBonus,
    LoanFeeTiers,
    MortgageNotarised,
    OnlineOrders,
    OutputCommission,
    PartsPool,
    PerBottleTiers,
    PerformanceSteps,
    PlatePerCar,
    PlateRegistered,
    ProfitBonus,
    RenewalPerPolicy,
    StationHeadPay,
    ThresholdBonus,
    Tier,
    TopSellerBonus,
    UnitTiers,
    UsedCarPerCar,
)
from payroll.plans.vocabulary import (
    Plan as Plan,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Car:
    """One delivered car of the month, as the events told it."""

    event_id: str
    vin: str
    grade: str
    model: str
    channel: str
    price: Decimal
    floor_price: Decimal
    delivered_on: date
    loan_fee: Decimal | None = None
    coverages: tuple[str, ...] = ()
    accessories_price: Decimal | None = None
    accessories_cost: Decimal | None = None
    plate_fee: Decimal | None = None
    trade_in_price: Decimal | None = None


@dataclass(frozen=True)
class StoreFigures:
    """Department figures of the month, entered by finance/HR (the events do not carry profit)."""

    aftersales_net_profit: Decimal | None = None
    aftersales_net_profit_target: Decimal | None = None
    parts_sales: Decimal | None = None
    maintenance_products_sales: Decimal | None = None
    parts_office_costs: Decimal = ZERO
    parts_profit: Decimal | None = None
    parts_profit_target: Decimal | None = None
    parts_sheet_score: Decimal = Decimal("100")


@dataclass(frozen=True)
class Renewal:
    """An insurance renewal won by this employee in the month (from *renewal won*)."""

    event_id: str
    vin: str
    commercial: bool


@dataclass(frozen=True)
class Registration:
    """A plate (``plate``) or a financed car's mortgage and notary (``mortgage``) the store's F&I
    office registered for a car this employee sold (from *vehicle registered* / *vehicle mortgaged*)."""

    event_id: str
    vin: str
    kind: str
    delivery_id: str = ""
    delivered_event_id: str | None = None
    """The car's own *vehicle delivered*, when payroll has it: the line names the car's sale too (its
    preview shows it; a cancelled sale takes it back)."""


@dataclass(frozen=True)
class Month:
    """Everything the evaluator needs about one employee's month."""

    month: str
    base_wage: Decimal
    hired_on: date
    cars: tuple[Car, ...] = ()
    performance_wage: Decimal = ZERO
    target_units: int | None = None
    appraisal_score: Decimal = Decimal("100")
    top_seller: bool = False
    online_specialist: bool = False
    bottles: int = 0
    bottle_event_ids: tuple[str, ...] = ()
    output: Decimal = ZERO
    """Service output (产值) of the month: the advisor's handed-over repair orders."""
    output_target: Decimal | None = None
    cars_received: int = 0
    """Repair orders the advisor received and handed over in the month (接车台数)."""
    renewals: tuple[Renewal, ...] = ()
    registrations: tuple[Registration, ...] = ()
    sheet_score: Decimal = Decimal("100")
    """The performance-sheet score % (对应绩效考核表得分) beside the monthly appraisal score."""
    store: StoreFigures | None = None
    station_output: Decimal = ZERO
    """The whole station's service output of the month (every handed-over repair order)."""
    store_penetration: Decimal | None = None
    """Insured-through-store showroom deliveries ÷ showroom deliveries of the whole store."""
    days_worked: Decimal | None = None
    days_scheduled: Decimal | None = None
    """Attendance (PAY-1); None for a full month."""
    on_probation: bool = False
    """Still on probation at the month's end: the post wage only (PAY-1)."""


@dataclass(frozen=True)
class Line:
    code: str
    description: str
    amount: Decimal
    basis: dict[str, str] = field(default_factory=dict)
    source_event_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What every evaluator may read besides its rule: the month, the plan and what follows from them."""

    plan: Plan
    month: Month
    completion: Decimal | None
    showroom: tuple[Car, ...]
    """The month's showroom cars (not online orders) in delivery order."""


Evaluator = Callable[[Any, Context], list[Line]]


def full_years(hired_on: date, month_end: date) -> int:
    years = month_end.year - hired_on.year - ((month_end.month, month_end.day) < (hired_on.month, hired_on.day))
    return max(0, years)


def month_end(month: str) -> date:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, calendar.monthrange(year, number)[1])


def completion(m: Month, plan: Plan) -> Decimal | None:
    """Cars sold ÷ target units; online orders do not count toward showroom targets (PAY-8)."""
    target = m.target_units or plan.default_target_units
    if not target:
        return None
    counted = sum(1 for car in m.cars if car.channel != "online" or m.online_specialist)
    return Decimal(counted) / Decimal(target)


def performance_share(c: Decimal, rule: PerformanceSteps) -> Decimal:
    """PAY-2: nothing below 30%; from 30% in steps of 10 points; 80% from 80% until 100%; then all."""
    if c >= rule.full_at:
        return Decimal(1)
    if c >= rule.plateau_from:
        return rule.plateau_from
    if c < rule.nothing_below:
        return ZERO
    return Decimal(math.floor(c / rule.step)) * rule.step


def evaluate(plan: Plan, m: Month) -> list[Line]:
    """The month's payslip lines under ``plan``: post wage, seniority, then each rule's lines."""
    showroom = tuple(sorted((car for car in m.cars if car.channel != "online"), key=_delivery_order))
    context = Context(plan, m, completion(m, plan), showroom)
    if m.on_probation:
        wage = _attended(
            Line(
                "base_wage",
                "post wage, on probation: the post wage only (PAY-1)",
                money(m.base_wage),
                {"post_wage": str(m.base_wage), "probation": "true"},
            ),
            m,
        )
        return [wage]
    lines = [_attended(line, m) for line in (_wage(plan, m), *_seniority(plan, m))]
    for rule in plan.rules:
        produced = EVALUATORS[type(rule)](rule, context)
        if rule.times_score:
            produced = [_scaled(line, m.appraisal_score) for line in produced]
        if rule.times_sheet:
            produced = [_sheet_scaled(line, m.sheet_score) for line in produced]
        lines.extend(produced)
    return [line for line in lines if line.amount != ZERO or line.code == "base_wage"]


def attendance_share(m: Month) -> Decimal | None:
    """PAY-1: the share of the month worked, or None for a full month (no attendance entered)."""
    if m.days_worked is None or not m.days_scheduled:
        return None
    return min(Decimal(1), m.days_worked / m.days_scheduled)


def _attended(line: Line, m: Month) -> Line:
    """The post and seniority wage follow attendance (按出勤 / 与考勤挂钩)."""
    share = attendance_share(m)
    if share is None:
        return line
    note = f"× {m.days_worked} of {m.days_scheduled} days worked (PAY-1)"
    return _times(line, share, note, days_worked=str(m.days_worked), days_scheduled=str(m.days_scheduled))


def _delivery_order(car: Car) -> tuple[date, str]:
    return car.delivered_on, car.vin


def _wage(plan: Plan, m: Month) -> Line:
    split = next((r for r in plan.rules if isinstance(r, FixedSplit)), None)
    if split is None:
        return Line("base_wage", "post wage", money(m.base_wage), {"post_wage": str(m.base_wage)})
    fixed = money(m.base_wage * split.fixed_share)
    return Line(
        "base_wage",
        f"post wage, fixed {split.fixed_share:.0%} (PAY-3)",
        fixed,
        {"post_wage": str(m.base_wage), "fixed_share": str(split.fixed_share)},
    )


def _seniority(plan: Plan, m: Month) -> list[Line]:
    years = full_years(m.hired_on, month_end(m.month))
    if years < 1:
        return []
    amount = money(plan.seniority_per_year * years)
    basis = {"hired_on": m.hired_on.isoformat(), "full_years": str(years), "per_year": str(plan.seniority_per_year)}
    return [Line("seniority", f"seniority, {years} full year(s) (PAY-1)", amount, basis)]


def _times(line: Line, factor: Decimal, note: str, **basis: str) -> Line:
    """The line multiplied by ``factor``, the description and the basis saying by what."""
    return Line(
        line.code,
        f"{line.description} {note}",
        money(line.amount * factor),
        {**line.basis, **basis},
        line.source_event_ids,
    )


def _scaled(line: Line, score: Decimal) -> Line:
    return _times(line, score / Decimal(100), f"× score {score}/100", appraisal_score=str(score))


def _sheet_scaled(line: Line, sheet: Decimal) -> Line:
    return _times(line, sheet / Decimal(100), f"× sheet {sheet}%", sheet_score=str(sheet))


def _car_line(code: str, description: str, amount: Decimal, car: Car, **basis: str) -> Line:
    return Line(code, description, money(amount), {"vin": car.vin, **basis}, (car.event_id,))


def tier_label(tiers: list[Tier], index: int) -> str:
    """'1st-10th', '11th-15th', '16th on': the cars of the month a tier covers."""
    first = 1 + (tiers[index - 1].upto or 0) if index else 1
    last = tiers[index].upto
    return f"{_ordinal(first)} on" if last is None else f"{_ordinal(first)}-{_ordinal(last)}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def unit_tiers(rule: UnitTiers, ctx: Context) -> list[Line]:
    """PAY-3: the rate of the tier the car's number in the month falls in, by grade."""
    out = []
    for n, car in enumerate(ctx.showroom, start=1):
        index = next(i for i, t in enumerate(rule.tiers) if t.upto is None or n <= t.upto)
        rate = rule.tiers[index].rates.get(car.grade)
        if rate is None:
            continue
        label = tier_label(rule.tiers, index)
        description = f"PAY-3 grade {car.grade} car {label} of the month (car #{n})"
        out.append(_car_line("unit_commission", description, rate, car, nth=str(n), grade=car.grade, rate=str(rate)))
    return out


def achievement_bands(rule: AchievementBands, ctx: Context) -> list[Line]:
    """PAY-9: one amount per car by the month's achievement band and the car's model."""
    c = ctx.completion
    if c is None:
        return []
    band = max((b for b in rule.bands if c >= b.at_least), key=lambda b: b.at_least, default=None)
    if band is None:
        return []
    out = []
    for car in ctx.showroom:
        amount = band.amounts.get(car.model, band.amounts.get("*"))
        if amount is not None:
            description = f"{car.model} at {c:.0%} achievement, band ≥{band.at_least:.0%} (PAY-9)"
            out.append(_car_line("unit_commission", description, amount, car, model=car.model, achievement=str(c)))
    return out


def performance_steps(rule: PerformanceSteps, ctx: Context) -> list[Line]:
    c, m = ctx.completion, ctx.month
    if c is None:
        return []
    share = performance_share(c, rule)
    return [
        Line(
            "performance_pay",
            f"performance pay, {c:.0%} completion pays {share:.0%} (PAY-2)",
            money(m.performance_wage * share),
            {"performance_wage": str(m.performance_wage), "completion": str(c), "share": str(share)},
        )
    ]


def fixed_split(rule: FixedSplit, ctx: Context) -> list[Line]:
    part = ctx.month.base_wage * (1 - rule.fixed_share)
    done = ctx.completion if ctx.completion is not None else Decimal(1)
    if rule.completion_cap is not None:
        done = min(done, rule.completion_cap)
    return [
        Line(
            "performance_pay",
            f"performance part {1 - rule.fixed_share:.0%} × completion {done:.0%} (PAY-3)",
            money(part * done),
            {"performance_part": str(money(part)), "completion": str(done)},
        )
    ]


def insurance_per_car(rule: InsurancePerCar, ctx: Context) -> list[Line]:
    """PAY-4: per car insured with every required coverage, or with any once penetration is high enough."""
    insured = [car for car in ctx.showroom if car.coverages]
    penetration = Decimal(len(insured)) / Decimal(len(ctx.showroom)) if ctx.showroom else ZERO
    if rule.penetration_of == "store":
        penetration = ctx.month.store_penetration if ctx.month.store_penetration is not None else ZERO
    threshold = rule.any_when_penetration_at_least
    any_counts = threshold is not None and penetration >= threshold
    return [
        _car_line(
            "insurance_commission",
            f"insured through the store (PAY-4, penetration {penetration:.0%})",
            rule.amount,
            car,
            coverages=",".join(car.coverages),
            penetration=str(penetration),
        )
        for car in insured
        if any_counts or set(rule.required) <= set(car.coverages)
    ]


def loan_fee_tiers(rule: LoanFeeTiers, ctx: Context) -> list[Line]:
    return [
        _car_line(
            "loan_commission",
            f"loan handling fee {car.loan_fee} (PAY-5)",
            rule.at_or_above if car.loan_fee >= rule.threshold else rule.below,
            car,
            handling_fee=str(car.loan_fee),
            threshold=str(rule.threshold),
        )
        for car in ctx.showroom
        if car.loan_fee is not None
    ]


def loan_bonus(rule: LoanBonus, ctx: Context) -> list[Line]:
    return [
        _car_line("loan_commission", "loan customer (PAY-9)", rule.amount, car)
        for car in ctx.showroom
        if car.loan_fee is not None
    ]


def accessories_share(rule: AccessoriesShare, ctx: Context) -> list[Line]:
    out = []
    for car in ctx.showroom:
        price, cost = car.accessories_price, car.accessories_cost or ZERO
        if price is not None and price > cost:
            basis = {"price": str(price), "cost": str(car.accessories_cost), "share": str(rule.share)}
            description = "share of accessories margin (PAY-6)"
            out.append(_car_line("accessories_commission", description, (price - cost) * rule.share, car, **basis))
    return out


def above_floor_share(rule: AboveFloorShare, ctx: Context) -> list[Line]:
    return [
        _car_line(
            "above_floor_share",
            "share of the price above the floor (PAY-9" + (", taxable 需完税)" if rule.taxable else ")"),
            (car.price - car.floor_price) * rule.share,
            car,
            price=str(car.price),
            floor_price=str(car.floor_price),
            taxable=str(rule.taxable).lower(),
        )
        for car in ctx.showroom
        if car.price > car.floor_price
    ]


def plate_per_car(rule: PlatePerCar, ctx: Context) -> list[Line]:
    return [
        _car_line(
            "plate_commission",
            f"plate registered by the store, fee {car.plate_fee} (PAY-9)",
            rule.amount,
            car,
            plate_fee=str(car.plate_fee),
        )
        for car in ctx.showroom
        if car.plate_fee
    ]


def _registered(code: str, description: str, amount: Decimal, ctx: Context, kind: str) -> list[Line]:
    return [
        Line(
            code,
            f"{description} {r.vin}",
            money(amount),
            {"vin": r.vin},
            (r.event_id, r.delivered_event_id) if r.delivered_event_id else (r.event_id,),
        )
        for r in ctx.month.registrations
        if r.kind == kind
    ]


def plate_registered(rule: PlateRegistered, ctx: Context) -> list[Line]:
    return _registered("plate_commission", "plate registered by the store (REG-2):", rule.amount, ctx, "plate")


def mortgage_notarised(rule: MortgageNotarised, ctx: Context) -> list[Line]:
    return _registered(
        "mortgage_commission", "mortgage and notary done by the store (REG-3):", rule.amount, ctx, "mortgage"
    )


def used_car_per_car(rule: UsedCarPerCar, ctx: Context) -> list[Line]:
    return [
        _car_line(
            "used_car_commission",
            f"trade-in taken with the sale, {car.trade_in_price} (PAY-9)",
            rule.amount,
            car,
            trade_in_price=str(car.trade_in_price),
        )
        for car in ctx.showroom
        if car.trade_in_price
    ]


def threshold_bonus(rule: ThresholdBonus, ctx: Context) -> list[Line]:
    c = ctx.completion
    if c is None or c < rule.at_least:
        return []
    description = f"{c:.0%} of target (≥{rule.at_least:.0%}, PAY-7)"
    return [Line("target_bonus", description, money(rule.amount), {"completion": str(c)})]


def top_seller_bonus(rule: TopSellerBonus, ctx: Context) -> list[Line]:
    if not ctx.month.top_seller:
        return []
    return [Line("top_seller_bonus", "the month's top seller (PAY-7)", money(rule.amount))]


def online_orders(rule: OnlineOrders, ctx: Context) -> list[Line]:
    if not ctx.month.online_specialist:
        return []
    online = sorted((car for car in ctx.month.cars if car.channel == "online"), key=_delivery_order)
    return [
        _car_line(
            "online_order_commission",
            f"online order, {car.model} (PAY-8)",
            rule.amounts.get(car.model, rule.amounts.get("*", ZERO)),
            car,
            model=car.model,
        )
        for car in online
    ]


def per_bottle_tiers(rule: PerBottleTiers, ctx: Context) -> list[Line]:
    """PAY-10: the month's bottles at the rate of their tier, capped when the output target is missed."""
    m = ctx.month
    if m.bottles <= 0:
        return []
    if m.output_target is None or m.output_target <= 0:
        if rule.requires_output_target:
            return []
        done = None
    else:
        done = m.output / m.output_target
    tier = max((t for t in rule.tiers if m.bottles > t.more_than), key=lambda t: t.more_than, default=None)
    if tier is None:
        return []
    rate, why = tier.rate, "target met"
    if done is not None and done < 1:
        cap = max((c for c in rule.missed_target_caps if done >= c.at_least), key=lambda c: c.at_least, default=None)
        if cap is None or m.output <= 0:
            return []
        rate, why = min(tier.rate, cap.cap), f"target missed at {done:.0%}, at most {cap.cap} a bottle"
    return [
        Line(
            "maintenance_products",
            f"{m.bottles} bottles at {rate} (PAY-10, output {m.output} of {m.output_target}: {why})",
            money(rate * m.bottles),
            {
                "bottles": str(m.bottles),
                "rate": str(rate),
                "tier_rate": str(tier.rate),
                "output": str(m.output),
                "output_target": str(m.output_target),
            },
            m.bottle_event_ids,
        )
    ]


def renewal_per_policy(rule: RenewalPerPolicy, ctx: Context) -> list[Line]:
    renewals = ctx.month.renewals
    won = len(renewals)
    if won < rule.min_renewals:
        return []
    paid = [r for r in renewals if r.commercial or not rule.commercial_only]
    if not paid:
        return []
    return [
        Line(
            "renewal_commission",
            f"{len(paid)} commercial renewals at {rule.rate} ({won} renewed, task {rule.task_renewals}; INS-7)",
            money(rule.rate * len(paid)),
            {
                "renewals": str(won),
                "commercial": str(len(paid)),
                "rate": str(rule.rate),
                "task": str(rule.task_renewals),
            },
            tuple(r.event_id for r in paid),
        )
    ]


def output_commission(rule: OutputCommission, ctx: Context) -> list[Line]:
    """PAY-13: the output part (own output × rate × output-target completion) and the intake part (cars
    received × per car, × intake-target completion unless the plan leaves it out); each needs its
    target, and a part without one is left out and says so."""
    m = ctx.month
    output_done = _ratio(m.output, m.output_target)
    intake_target = m.target_units or ctx.plan.default_target_units
    intake_done = _ratio(Decimal(m.cars_received), Decimal(intake_target) if intake_target else None)
    output_part = m.output * rule.rate * output_done if output_done is not None else ZERO
    if rule.intake_completion:
        intake_part = m.cars_received * rule.per_car * intake_done if intake_done is not None else ZERO
    else:
        intake_part = m.cars_received * rule.per_car
    if output_part == 0 and intake_part == 0:
        return []
    output_text = (
        f"output {m.output} × {rule.rate:.0%} × completion {output_done:.0%}"
        if output_done is not None
        else "no output target"
    )
    intake_text = f"{m.cars_received} cars × {rule.per_car}" + (
        (f" × intake completion {intake_done:.0%}" if intake_done is not None else " (no intake target)")
        if rule.intake_completion
        else ""
    )
    return [
        Line(
            "output_commission",
            f"({output_text} + {intake_text}) (PAY-13)",
            money(output_part + intake_part),
            {
                "output": str(m.output),
                "output_target": str(m.output_target),
                "rate": str(rule.rate),
                "output_completion": str(output_done),
                "cars_received": str(m.cars_received),
                "intake_target": str(intake_target),
                "intake_completion": str(intake_done) if rule.intake_completion else "not applied",
                "per_car": str(rule.per_car),
            },
        )
    ]


def _ratio(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    return None if actual is None or not target else actual / target


def profit_bonus(rule: ProfitBonus, ctx: Context) -> list[Line]:
    m = ctx.month
    store = m.store or StoreFigures()
    profit = store.aftersales_net_profit
    done = _ratio(profit, store.aftersales_net_profit_target)
    if profit is None or done is None or profit <= 0:
        return []
    amount = profit * rule.rate * done * m.appraisal_score / 100 * m.sheet_score / 100
    return [
        Line(
            "service_bonus",
            f"net profit {profit} × {rule.rate:.0%} × completion {done:.2%} × score {m.appraisal_score}/100 "
            f"× sheet {m.sheet_score}% (PAY-10)",
            money(amount),
            {
                "net_profit": str(profit),
                "target": str(store.aftersales_net_profit_target),
                "rate": str(rule.rate),
                "completion": str(done),
                "appraisal_score": str(m.appraisal_score),
                "sheet_score": str(m.sheet_score),
            },
        )
    ]


def parts_pool(rule: PartsPool, store: StoreFigures) -> Decimal | None:
    """The parts department's whole pool of the month (before each person's share)."""
    done = _ratio(store.parts_profit, store.parts_profit_target)
    if store.parts_sales is None or done is None:
        return None
    base = store.parts_sales * rule.parts_rate + (store.maintenance_products_sales or ZERO) * rule.products_rate
    return max(ZERO, (base - store.parts_office_costs) * done * store.parts_sheet_score / 100)


def parts_pool_share(rule: PartsPool, ctx: Context) -> list[Line]:
    m = ctx.month
    store = m.store or StoreFigures()
    pool = parts_pool(rule, store)
    if pool is None or pool == 0:
        return []
    amount = pool * rule.share * m.appraisal_score / 100 * m.sheet_score / 100
    return [
        Line(
            "parts_pool",
            f"parts pool {money(pool)} × share {rule.share:.0%} × score {m.appraisal_score}/100 "
            f"× sheet {m.sheet_score}% (PAY-10)",
            money(amount),
            {
                "pool": str(money(pool)),
                "share": str(rule.share),
                "parts_sales": str(store.parts_sales),
                "maintenance_products_sales": str(store.maintenance_products_sales),
                "office_costs": str(store.parts_office_costs),
                "parts_profit": str(store.parts_profit),
                "parts_profit_target": str(store.parts_profit_target),
                "appraisal_score": str(m.appraisal_score),
                "sheet_score": str(m.sheet_score),
            },
        )
    ]


def station_head_pay(rule: StationHeadPay, ctx: Context) -> list[Line]:
    """The base wage line is paid as is; this line brings the month to (base + output × coefficient) ×
    score ÷ 100, and a top-up line to the minimum."""
    m = ctx.month
    pay = (m.base_wage + m.station_output * rule.coefficient) * m.appraisal_score / 100
    lines = [
        Line(
            "performance_pay",
            f"station head: (base {m.base_wage} + output {m.station_output} × {rule.coefficient}) × score "
            f"{m.appraisal_score}/100, less the base wage (PAY-10)",
            money(pay - m.base_wage),
            {
                "base": str(m.base_wage),
                "output": str(m.station_output),
                "coefficient": str(rule.coefficient),
                "appraisal_score": str(m.appraisal_score),
            },
        )
    ]
    if pay < rule.minimum:
        lines.append(
            Line(
                "minimum_top_up",
                f"guaranteed minimum {rule.minimum} (PAY-10)",
                money(rule.minimum - pay),
                {"minimum": str(rule.minimum), "computed": str(money(pay))},
            )
        )
    return lines


EVALUATORS: dict[type[AnyRule], Evaluator] = {
    UnitTiers: unit_tiers,
    AchievementBands: achievement_bands,
    PerformanceSteps: performance_steps,
    FixedSplit: fixed_split,
    InsurancePerCar: insurance_per_car,
    LoanFeeTiers: loan_fee_tiers,
    LoanBonus: loan_bonus,
    AccessoriesShare: accessories_share,
    AboveFloorShare: above_floor_share,
    ThresholdBonus: threshold_bonus,
    TopSellerBonus: top_seller_bonus,
    OnlineOrders: online_orders,
    PerBottleTiers: per_bottle_tiers,
    RenewalPerPolicy: renewal_per_policy,
    ProfitBonus: profit_bonus,
    PartsPool: parts_pool_share,
    StationHeadPay: station_head_pay,
    OutputCommission: output_commission,
    PlatePerCar: plate_per_car,
    UsedCarPerCar: used_car_per_car,
    PlateRegistered: plate_registered,
    MortgageNotarised: mortgage_notarised,
}


def earned_by(lines: Iterable[Line], event_id: str) -> Decimal:
    """What the lines that name a car's delivery event add up to (a clawback takes no less)."""
    return sum((line.amount for line in lines if event_id in line.source_event_ids and line.code != "clawback"), ZERO)


def clawback(vin: str, earned: Decimal, *, paid_in: str, delivered_event_id: str, cancelled_event_id: str) -> Line:
    """PAY-11: a cancelled sale gives back what the car earned in the month it counted in, as a line of
    its own in the first open month from the cancellation."""
    return Line(
        "clawback",
        f"PAY-11 clawback of the cancelled sale {vin}, counted in {paid_in}",
        -earned,
        {"vin": vin, "paid_in": paid_in},
        (cancelled_event_id, delivered_event_id),
    )


def late(line: Line, late_months: dict[str, str]) -> Line:
    """PAY-12: a line earned by an event of an earlier, already locked month is an adjustment here."""
    months = {late_months[e] for e in line.source_event_ids if e in late_months}
    if not months:
        return line
    return replace(
        line,
        code="adjustment",
        description=f"late event of {', '.join(sorted(months))}: {line.description}",
        basis={**line.basis, "original_code": line.code},
    )
