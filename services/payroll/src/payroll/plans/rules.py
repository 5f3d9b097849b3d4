"""Commission plans as data (DOMAIN PAY-1…9): a plan is a versioned document of rules from a small
vocabulary, and one pure evaluator turns an employee's month into explained payslip lines. A new
scheme is a new document, not new code.

The vocabulary:
- ``unit_tiers``: per car, the rate of the tier the car's number in the month falls in, by grade (PAY-3)
- ``achievement_bands``: per car, an amount by target achievement band and model (PAY-9)
- ``performance_steps``: performance pay by completion steps (PAY-2)
- ``fixed_split``: the post wage split into fixed and performance parts (PAY-3 80/20)
- ``insurance_per_car``: per car insured with the required coverages, or with any when the month's
  penetration reaches a threshold (PAY-4)
- ``loan_fee_tiers``: per loan car by handling fee (PAY-5); ``loan_bonus``: per loan car (PAY-9)
- ``accessories_share``: a share of accessories margin (PAY-6)
- ``above_floor_share``: a share of the price above the store's floor price (PAY-9)
- ``threshold_bonus``: achievement at or above a threshold (PAY-7); ``top_seller_bonus`` (PAY-7)
- ``online_orders``: per online order by model, for the online specialist (PAY-8)
- ``per_bottle_tiers``: maintenance products per bottle when the output target is met (PAY-10)
"""

import calendar
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    times_score: bool = False
    """Multiply the line by the month's appraisal score ÷ 100 (管理绩效达标率 / 考核得分)."""


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    upto: int | None
    """Last car number of the tier in the month; None for the open-ended last tier."""
    rates: dict[str, Decimal]


class UnitTiers(_Rule):
    kind: Literal["unit_tiers"]
    tiers: Annotated[list[Tier], Field(min_length=1)]


class Band(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at_least: Decimal
    """Lower bound of achievement (0.6 = 60%); bands are read from the highest bound down."""
    amounts: dict[str, Decimal]


class AchievementBands(_Rule):
    kind: Literal["achievement_bands"]
    bands: Annotated[list[Band], Field(min_length=1)]


class PerformanceSteps(_Rule):
    kind: Literal["performance_steps"]
    nothing_below: Decimal = Decimal("0.3")
    step: Decimal = Decimal("0.1")
    plateau_from: Decimal = Decimal("0.8")
    """From here until full completion the share stays at this value (the 2015 scheme's 80–99%)."""
    full_at: Decimal = Decimal("1.0")


class FixedSplit(_Rule):
    kind: Literal["fixed_split"]
    fixed_share: Decimal = Decimal("0.8")
    completion_cap: Decimal | None = Decimal("1.0")
    """(our default) the performance part pays at most 100% completion; None for no cap."""


class InsurancePerCar(_Rule):
    kind: Literal["insurance_per_car"]
    amount: Decimal
    required: list[str] = ["compulsory", "own_damage", "third_party", "excess_waiver", "passengers"]
    any_when_penetration_at_least: Decimal | None = Decimal("0.7")
    penetration_of: Literal["own", "store"] = "own"
    """(our reading) the consultant's own month; ``store`` uses the whole showroom's month."""


class LoanFeeTiers(_Rule):
    kind: Literal["loan_fee_tiers"]
    threshold: Decimal = Decimal("3500")
    at_or_above: Decimal = Decimal("300")
    below: Decimal = Decimal("200")


class LoanBonus(_Rule):
    kind: Literal["loan_bonus"]
    amount: Decimal


class AccessoriesShare(_Rule):
    kind: Literal["accessories_share"]
    share: Decimal = Decimal(1) / Decimal(3)


class AboveFloorShare(_Rule):
    kind: Literal["above_floor_share"]
    share: Decimal = Decimal("0.5")


class ThresholdBonus(_Rule):
    kind: Literal["threshold_bonus"]
    at_least: Decimal = Decimal("1.2")
    amount: Decimal = Decimal("300")


class TopSellerBonus(_Rule):
    kind: Literal["top_seller_bonus"]
    amount: Decimal = Decimal("300")


class BottleTier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    more_than: int
    rate: Decimal


class PerBottleTiers(_Rule):
    """PAY-10: maintenance products sold by a service advisor, per bottle at the rate of the month's
    total (>200 bottles 10, 101-200 8, 51-100 6, up to 50 5), paid when the output target is met."""

    kind: Literal["per_bottle_tiers"]
    tiers: Annotated[list[BottleTier], Field(min_length=1)]
    requires_output_target: bool = True


class RenewalPerPolicy(_Rule):
    """INS-7: a service advisor's renewal task is 3 renewals and 20 tracked prospects a month; with
    ``min_renewals`` (2) or more renewals in the month, ``rate`` (100 CNY) per commercial policy,
    times the appraisal score (``times_score``)."""

    kind: Literal["renewal_per_policy"]
    min_renewals: int = 2
    rate: Decimal = Decimal("100")
    commercial_only: bool = True
    task_renewals: int = 3


class ProfitBonus(_Rule):
    """PAY-10: aftersales managers' bonus (服务经理/技术总监/车间主管/前台主管业绩奖金) = department net
    profit × ``rate`` (1%) × net-profit completion × (monthly appraisal score ÷ 100) × performance-sheet
    score %. Nothing when the department made no profit or has no profit target."""

    kind: Literal["profit_bonus"]
    rate: Decimal = Decimal("0.01")


class PartsPool(_Rule):
    """PAY-10: the parts department's pool = (parts sales × ``parts_rate`` + maintenance-product sales ×
    ``products_rate`` (1%) − office costs) × parts profit-target completion × the department's sheet
    score %; this employee's ``share`` of it (manager 50%, planner 30%, warehouse 20%) × (monthly
    appraisal score ÷ 100) × their performance-sheet score %."""

    kind: Literal["parts_pool"]
    parts_rate: Decimal
    products_rate: Decimal = Decimal("0.01")
    share: Decimal


class StationHeadPay(_Rule):
    """PAY-10: station head pay = (base wage + the station's service output × ``coefficient``) ×
    appraisal score ÷ 100 + incentives (manual adjustments), at least ``minimum`` (3000)."""

    kind: Literal["station_head_pay"]
    coefficient: Decimal
    minimum: Decimal = Decimal("3000")


class OnlineOrders(_Rule):
    kind: Literal["online_orders"]
    amounts: dict[str, Decimal]
    """Per car by model; ``*`` for any other model."""


Rule = Annotated[
    UnitTiers
    | AchievementBands
    | PerformanceSteps
    | FixedSplit
    | InsurancePerCar
    | LoanFeeTiers
    | LoanBonus
    | AccessoriesShare
    | AboveFloorShare
    | ThresholdBonus
    | TopSellerBonus
    | OnlineOrders
    | PerBottleTiers
    | RenewalPerPolicy
    | ProfitBonus
    | PartsPool
    | StationHeadPay,
    Field(discriminator="kind"),
]


class Plan(BaseModel):
    """A commission plan document (JSON or YAML), versioned by the month it takes effect."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    name: str
    effective_month: Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
    seniority_per_year: Decimal = Decimal("50")
    default_target_units: int | None = None
    rules: list[Rule]


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
    renewals: tuple["Renewal", ...] = ()
    sheet_score: Decimal = Decimal("100")
    """The performance-sheet score % (对应绩效考核表得分) beside the monthly appraisal score."""
    store: "StoreFigures | None" = None
    station_output: Decimal = ZERO
    """The whole station's service output of the month (every handed-over repair order)."""
    store_penetration: Decimal | None = None
    """Insured-through-store showroom deliveries ÷ showroom deliveries of the whole store."""


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
class Line:
    code: str
    description: str
    amount: Decimal
    basis: dict[str, str] = field(default_factory=dict)
    source_event_ids: tuple[str, ...] = ()


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
    score = m.appraisal_score / Decimal(100)
    c = completion(m, plan)
    showroom = [car for car in m.cars if car.channel != "online"]
    lines = [_wage(plan, m), *_seniority(plan, m)]
    for rule in plan.rules:
        produced = _apply(rule, plan, m, c, showroom)
        if rule.times_score:
            produced = [_scaled(line, score, m.appraisal_score) for line in produced]
        lines.extend(produced)
    return [line for line in lines if line.amount != ZERO or line.code == "base_wage"]


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
    return [
        Line(
            "seniority",
            f"seniority, {years} full year(s) (PAY-1)",
            amount,
            {"hired_on": m.hired_on.isoformat(), "full_years": str(years), "per_year": str(plan.seniority_per_year)},
        )
    ]


def _scaled(line: Line, score: Decimal, raw: Decimal) -> Line:
    return Line(
        line.code,
        f"{line.description} × score {raw}/100",
        money(line.amount * score),
        {**line.basis, "appraisal_score": str(raw)},
        line.source_event_ids,
    )


def _apply(rule: Rule, plan: Plan, m: Month, c: Decimal | None, showroom: list[Car]) -> list[Line]:
    ordered = sorted(showroom, key=lambda car: (car.delivered_on, car.vin))
    if isinstance(rule, UnitTiers):
        out = []
        for n, car in enumerate(ordered, start=1):
            tier = next(t for t in rule.tiers if t.upto is None or n <= t.upto)
            rate = tier.rates.get(car.grade)
            if rate is None:
                continue
            out.append(
                Line(
                    "unit_commission",
                    f"car #{n} of the month, grade {car.grade} (PAY-3)",
                    money(rate),
                    {"vin": car.vin, "nth": str(n), "grade": car.grade, "rate": str(rate)},
                    (car.event_id,),
                )
            )
        return out
    if isinstance(rule, AchievementBands):
        if c is None:
            return []
        band = max((b for b in rule.bands if c >= b.at_least), key=lambda b: b.at_least, default=None)
        if band is None:
            return []
        out = []
        for car in ordered:
            amount = band.amounts.get(car.model, band.amounts.get("*"))
            if amount is not None:
                out.append(
                    Line(
                        "unit_commission",
                        f"{car.model} at {c:.0%} achievement, band ≥{band.at_least:.0%} (PAY-9)",
                        money(amount),
                        {"vin": car.vin, "model": car.model, "achievement": str(c)},
                        (car.event_id,),
                    )
                )
        return out
    if isinstance(rule, PerformanceSteps):
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
    if isinstance(rule, FixedSplit):
        part = m.base_wage * (1 - rule.fixed_share)
        done = c if c is not None else Decimal(1)
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
    if isinstance(rule, InsurancePerCar):
        insured = [car for car in showroom if car.coverages]
        penetration = Decimal(len(insured)) / Decimal(len(showroom)) if showroom else ZERO
        if rule.penetration_of == "store":
            penetration = m.store_penetration if m.store_penetration is not None else ZERO
        any_counts = (
            rule.any_when_penetration_at_least is not None and penetration >= rule.any_when_penetration_at_least
        )
        out = []
        for car in insured:
            if any_counts or set(rule.required) <= set(car.coverages):
                out.append(
                    Line(
                        "insurance_commission",
                        f"insured through the store (PAY-4, penetration {penetration:.0%})",
                        money(rule.amount),
                        {"vin": car.vin, "coverages": ",".join(car.coverages), "penetration": str(penetration)},
                        (car.event_id,),
                    )
                )
        return out
    if isinstance(rule, LoanFeeTiers):
        return [
            Line(
                "loan_commission",
                f"loan handling fee {car.loan_fee} (PAY-5)",
                money(rule.at_or_above if car.loan_fee >= rule.threshold else rule.below),
                {"vin": car.vin, "handling_fee": str(car.loan_fee), "threshold": str(rule.threshold)},
                (car.event_id,),
            )
            for car in ordered
            if car.loan_fee is not None
        ]
    if isinstance(rule, LoanBonus):
        return [
            Line("loan_commission", "loan customer (PAY-9)", money(rule.amount), {"vin": car.vin}, (car.event_id,))
            for car in ordered
            if car.loan_fee is not None
        ]
    if isinstance(rule, AccessoriesShare):
        return [
            Line(
                "accessories_commission",
                "share of accessories margin (PAY-6)",
                money((car.accessories_price - (car.accessories_cost or ZERO)) * rule.share),
                {
                    "vin": car.vin,
                    "price": str(car.accessories_price),
                    "cost": str(car.accessories_cost),
                    "share": str(rule.share),
                },
                (car.event_id,),
            )
            for car in ordered
            if car.accessories_price is not None and car.accessories_price > (car.accessories_cost or ZERO)
        ]
    if isinstance(rule, AboveFloorShare):
        return [
            Line(
                "above_floor_share",
                "share of the price above the floor (PAY-9)",
                money((car.price - car.floor_price) * rule.share),
                {"vin": car.vin, "price": str(car.price), "floor_price": str(car.floor_price)},
                (car.event_id,),
            )
            for car in ordered
            if car.price > car.floor_price
        ]
    if isinstance(rule, ThresholdBonus):
        if c is None or c < rule.at_least:
            return []
        return [
            Line(
                "target_bonus",
                f"{c:.0%} of target (≥{rule.at_least:.0%}, PAY-7)",
                money(rule.amount),
                {"completion": str(c)},
            )
        ]
    if isinstance(rule, TopSellerBonus):
        return [Line("top_seller_bonus", "the month's top seller (PAY-7)", money(rule.amount))] if m.top_seller else []
    if isinstance(rule, OnlineOrders):
        if not m.online_specialist:
            return []
        return [
            Line(
                "online_order_commission",
                f"online order, {car.model} (PAY-8)",
                money(rule.amounts.get(car.model, rule.amounts.get("*", ZERO))),
                {"vin": car.vin, "model": car.model},
                (car.event_id,),
            )
            for car in sorted(m.cars, key=lambda car: (car.delivered_on, car.vin))
            if car.channel == "online"
        ]
    if isinstance(rule, PerBottleTiers):
        if m.bottles <= 0:
            return []
        if rule.requires_output_target and (m.output_target is None or m.output < m.output_target):
            return []
        bottle_tier = max((t for t in rule.tiers if m.bottles > t.more_than), key=lambda t: t.more_than, default=None)
        if bottle_tier is None:
            return []
        return [
            Line(
                "maintenance_products",
                f"{m.bottles} bottles at {bottle_tier.rate} (PAY-10, output {m.output} of {m.output_target})",
                money(bottle_tier.rate * m.bottles),
                {
                    "bottles": str(m.bottles),
                    "rate": str(bottle_tier.rate),
                    "output": str(m.output),
                    "output_target": str(m.output_target),
                },
                m.bottle_event_ids,
            )
        ]
    if isinstance(rule, RenewalPerPolicy):
        won = len(m.renewals)
        if won < rule.min_renewals:
            return []
        paid = [r for r in m.renewals if r.commercial or not rule.commercial_only]
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
    if isinstance(rule, ProfitBonus):
        return _profit_bonus(rule, m)
    if isinstance(rule, PartsPool):
        return _parts_pool(rule, m)
    if isinstance(rule, StationHeadPay):
        return _station_head(rule, m)
    raise AssertionError(f"unhandled rule {rule!r}")


def _completion(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    return None if actual is None or not target else actual / target


def _profit_bonus(rule: ProfitBonus, m: Month) -> list[Line]:
    store = m.store or StoreFigures()
    profit = store.aftersales_net_profit
    completion = _completion(profit, store.aftersales_net_profit_target)
    if profit is None or completion is None or profit <= 0:
        return []
    amount = profit * rule.rate * completion * m.appraisal_score / 100 * m.sheet_score / 100
    return [
        Line(
            "service_bonus",
            f"net profit {profit} × {rule.rate:.0%} × completion {completion:.2%} × score {m.appraisal_score}/100 "
            f"× sheet {m.sheet_score}% (PAY-10)",
            money(amount),
            {
                "net_profit": str(profit),
                "target": str(store.aftersales_net_profit_target),
                "rate": str(rule.rate),
                "completion": str(completion),
                "appraisal_score": str(m.appraisal_score),
                "sheet_score": str(m.sheet_score),
            },
        )
    ]


def parts_pool(rule: PartsPool, store: StoreFigures) -> Decimal | None:
    """The parts department's whole pool of the month (before each person's share)."""
    completion = _completion(store.parts_profit, store.parts_profit_target)
    if store.parts_sales is None or completion is None:
        return None
    base = store.parts_sales * rule.parts_rate + (store.maintenance_products_sales or ZERO) * rule.products_rate
    return max(ZERO, (base - store.parts_office_costs) * completion * store.parts_sheet_score / 100)


def _parts_pool(rule: PartsPool, m: Month) -> list[Line]:
    store = m.store or StoreFigures()
    pool = parts_pool(rule, store)
    if pool is None or pool == 0:
        return []
    amount = pool * rule.share * m.appraisal_score / 100 * m.sheet_score / 100
    return [
        Line(
            "parts_pool",
            f"parts pool {money(pool)} × share {rule.share:.0%} × score {m.appraisal_score}/100 × sheet {m.sheet_score}% (PAY-10)",
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


def _station_head(rule: StationHeadPay, m: Month) -> list[Line]:
    """The base wage line is paid as is; this line brings the month to (base + output × coefficient) ×
    score ÷ 100, and a top-up line to the minimum."""
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
