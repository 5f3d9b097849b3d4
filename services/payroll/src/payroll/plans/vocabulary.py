"""The plan vocabulary (PAY-1…10, PAY-13, INS-7): a commission plan is a versioned document made of
rules of these kinds, stored as JSON. Each kind is evaluated by its own function in
``payroll.plans.rules`` (the table ``EVALUATORS``); adding a kind is a model here and an evaluator
there. A new scheme a store writes is a new document, not new code.

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
- ``renewal_per_policy``: service advisors' insurance renewals (INS-7)
- ``profit_bonus``, ``parts_pool``, ``station_head_pay``: the aftersales managers' pay (PAY-10)
- ``output_commission``: a service advisor's output and intake commission (PAY-13)
- ``plate_per_car``: per car sold with the store's plate fee; ``used_car_per_car``: per sale with a
  trade-in the store took (PAY-9, 2013)
- ``plate_registered``: per car whose plate the F&I office registered in the month; ``mortgage_notarised``:
  per financed car whose mortgage and notarisation it did (REG-2/3, from their events)
"""

from decimal import Decimal
from typing import Annotated, Literal

from fours_contracts import Integer
from pydantic import BaseModel, ConfigDict, Field, StrictBool


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    times_score: StrictBool = False
    """Multiply the line by the month's appraisal score ÷ 100 (管理绩效达标率 / 考核得分)."""
    times_sheet: StrictBool = False
    """Multiply the line by the performance-sheet score % (对应绩效考核表得分%)."""


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    upto: Integer | None
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
    taxable: StrictBool = True
    """PAY-9: the share of the price above the floor is paid taxed (需完税): the line says so for payroll."""


class ThresholdBonus(_Rule):
    kind: Literal["threshold_bonus"]
    at_least: Decimal = Decimal("1.2")
    amount: Decimal = Decimal("300")


class TopSellerBonus(_Rule):
    kind: Literal["top_seller_bonus"]
    amount: Decimal = Decimal("300")


class BottleTier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    more_than: Integer
    rate: Decimal


class BottleCap(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at_least: Decimal
    """Output-target completion from which this cap applies (bands are read from the highest down)."""
    cap: Decimal


class PerBottleTiers(_Rule):
    """PAY-10: maintenance products sold by a service advisor, per bottle at the rate of the month's
    total (>200 bottles 10, 101-200 8, 51-100 6, up to 50 5) when the output target is met; when it is
    missed the rate is capped (seed: 单瓶最高提成 6 元 / 5 元; the seed's thresholds are blank, so **our
    default**: 6 from 80 % of the target, 5 below it, nothing without output)."""

    kind: Literal["per_bottle_tiers"]
    tiers: Annotated[list[BottleTier], Field(min_length=1)]
    requires_output_target: StrictBool = True
    """Without an output target for the month nothing is paid (completion cannot be judged)."""
    missed_target_caps: list[BottleCap] = [
        BottleCap(at_least=Decimal("0.8"), cap=Decimal("6")),
        BottleCap(at_least=Decimal("0"), cap=Decimal("5")),
    ]


class RenewalPerPolicy(_Rule):
    """INS-7: a service advisor's renewal task is 3 renewals and 20 tracked prospects a month; with
    ``min_renewals`` (2) or more renewals in the month, ``rate`` (100 CNY) per commercial policy,
    times the appraisal score (``times_score``)."""

    kind: Literal["renewal_per_policy"]
    min_renewals: Integer = 2
    rate: Decimal = Decimal("100")
    commercial_only: StrictBool = True
    task_renewals: Integer = 3


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


class OutputCommission(_Rule):
    """PAY-13 (seed 001, 服务顾问产值提成): [own output × ``rate`` × output-target completion + cars
    received × ``per_car`` (2 CNY) × intake-target completion] × (appraisal ÷ 100) × sheet %. The seed
    leaves the service advisor's rate blank (**our default** 1 %); the accident-repair advisor's version
    uses 2 % of output and no intake completion (``intake_completion`` false)."""

    kind: Literal["output_commission"]
    rate: Decimal
    per_car: Decimal = Decimal("2")
    intake_completion: StrictBool = True


class PlatePerCar(_Rule):
    """PAY-9 (2013): a plate registration commission (上牌提成) per car whose plate the store registered;
    the seed names it without an amount (**our default** 50 CNY)."""

    kind: Literal["plate_per_car"]
    amount: Decimal = Decimal("50")


class PlateRegistered(_Rule):
    """REG-2 (上牌提成): per car whose plate the store's F&I office registered in the month (from
    *vehicle registered*), credited to the car's consultant; the seeds name it without an amount
    (**our default** 50 CNY)."""

    kind: Literal["plate_registered"]
    amount: Decimal = Decimal("50")


class MortgageNotarised(_Rule):
    """REG-3 (上户公证抵押提成, seed 001's 2015 scheme): per financed car whose mortgage and loan
    notarisation the store did in the month (from *vehicle mortgaged*), credited to the car's
    consultant; the seed names it without an amount (**our default** 100 CNY)."""

    kind: Literal["mortgage_notarised"]
    amount: Decimal = Decimal("100")


class UsedCarPerCar(_Rule):
    """PAY-9 (2013): a used-car commission (二手车提成) per sale with a trade-in the store took (二手车置换);
    the seed names it without an amount (**our default** 100 CNY)."""

    kind: Literal["used_car_per_car"]
    amount: Decimal = Decimal("100")


class OnlineOrders(_Rule):
    kind: Literal["online_orders"]
    amounts: dict[str, Decimal]
    """Per car by model; ``*`` for any other model."""


AnyRule = (
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
    | StationHeadPay
    | OutputCommission
    | PlateRegistered
    | MortgageNotarised
    | PlatePerCar
    | UsedCarPerCar
)
Rule = Annotated[AnyRule, Field(discriminator="kind")]


class Plan(BaseModel):
    """A commission plan document (JSON or YAML), versioned by the month it takes effect."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    name: str
    effective_month: Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
    seniority_per_year: Decimal = Decimal("50")
    default_target_units: Integer | None = None
    pays_on_settlement: StrictBool = False
    """PAY-9 (2013): a car counts, and is paid, in the month its sale is settled, not delivered
    (完成车辆的结算工作后才能结算车辆提奖); an unsettled car earns nothing yet."""
    rules: list[Rule]
