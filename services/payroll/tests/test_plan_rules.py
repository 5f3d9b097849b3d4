"""The seeds' worked examples, through the plan evaluator and the built-in templates."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from payroll.plans.rules import (
    Car,
    Line,
    Month,
    Registration,
    Renewal,
    StoreFigures,
    clawback,
    earned_by,
    evaluate,
    full_years,
    performance_share,
)
from payroll.plans.templates import builtin
from payroll.plans.vocabulary import InsurancePerCar, PartsPool, PerformanceSteps, Plan, StationHeadPay, Tier, UnitTiers

D = Decimal
FULL = ("compulsory", "own_damage", "third_party", "excess_waiver", "passengers")


def car(n: int, **over: object) -> Car:
    facts = {
        "event_id": f"e{n}",
        "vin": f"VIN{n:014d}",
        "grade": "A",
        "model": "T61",
        "channel": "showroom",
        "price": D("120000"),
        "floor_price": D("120000"),
        "delivered_on": date(2026, 11, 1) + timedelta(hours=n),
    }
    return Car(**{**facts, **over})  # type: ignore[arg-type]


def total(lines: list[Line], *codes: str) -> Decimal:
    return sum((line.amount for line in lines if not codes or line.code in codes), D("0.00"))


# PAY-2 (2015): base 1200, performance 3000, accessories commission 1000
@pytest.mark.parametrize(
    ("sold", "pay"), [(2, "2200.00"), (3, "3100.00"), (4, "3400.00"), (8, "4600.00"), (9, "4600.00"), (10, "5200.00")]
)
def test_pay2_worked_examples(sold: int, pay: str) -> None:
    plan = builtin()["seed-2015-sales"]
    cars = [car(n) for n in range(1, sold + 1)]
    cars[0] = replace(cars[0], accessories_price=D("3000"), accessories_cost=D("0"))
    lines = evaluate(
        plan,
        Month(
            month="2026-11",
            base_wage=D("1200"),
            hired_on=date(2026, 3, 1),
            performance_wage=D("3000"),
            target_units=10,
            cars=tuple(cars),
        ),
    )
    assert total(lines, "base_wage", "performance_pay", "accessories_commission") == D(pay)


def test_pay2_share_steps() -> None:
    rule = PerformanceSteps(kind="performance_steps")
    shares = {
        c: performance_share(D(c), rule) for c in ("0.29", "0.3", "0.39", "0.45", "0.79", "0.8", "0.99", "1.0", "1.5")
    }
    assert shares == {
        "0.29": 0,
        "0.3": D("0.3"),
        "0.39": D("0.3"),
        "0.45": D("0.4"),
        "0.79": D("0.7"),
        "0.8": D("0.8"),
        "0.99": D("0.8"),
        "1.0": 1,
        "1.5": 1,
    }


# PAY-3 (2008): tiers at the 10th/11th/15th/16th car, grade B; the 80/20 split of 1200
@pytest.mark.parametrize(
    ("nth", "grade", "rate"),
    [
        (10, "A", "200.00"),
        (11, "A", "250.00"),
        (15, "A", "250.00"),
        (16, "A", "300.00"),
        (10, "B", "150.00"),
        (11, "B", "200.00"),
        (16, "B", "250.00"),
    ],
)
def test_pay3_tiers(nth: int, grade: str, rate: str) -> None:
    cars = tuple(car(n, grade=grade) for n in range(1, nth + 1))
    lines = evaluate(builtin()["seed-2008-sales"], Month("2026-11", D("1200"), date(2026, 3, 1), cars))
    units = [line for line in lines if line.code == "unit_commission"]
    assert units[-1].amount == D(rate) and units[-1].basis["nth"] == str(nth)


def test_pay3_line_names_the_rule_the_tier_and_the_car() -> None:
    cars = tuple(car(n) for n in range(1, 12))
    lines = evaluate(builtin()["seed-2008-sales"], Month("2026-11", D("1200"), date(2026, 3, 1), cars))
    units = [line for line in lines if line.code == "unit_commission"]
    assert units[10].description.startswith("PAY-3 grade A car 11th-15th of the month (car #11)")
    assert units[0].description.startswith("PAY-3 grade A car 1st-10th of the month (car #1)")


def test_pay3_tiers_a_store_wrote_name_their_own_bounds_and_a_grade_without_a_rate_earns_nothing() -> None:
    tiers = [Tier(upto=2, rates={"A": D("100")}), Tier(upto=None, rates={"A": D("120"), "B": D("90")})]
    plan = Plan(
        code="store-tiers", name="store", effective_month="2026-01", rules=[UnitTiers(kind="unit_tiers", tiers=tiers)]
    )
    cars = (car(1, grade="B"), car(2), car(3))
    units = [
        line
        for line in evaluate(plan, Month("2026-11", D("0"), date(2026, 3, 1), cars))
        if line.code == "unit_commission"
    ]
    assert [(u.basis["nth"], u.amount) for u in units] == [("2", D("100.00")), ("3", D("120.00"))]
    assert units[1].description.startswith("PAY-3 grade A car 3rd on of the month")


def test_pay11_a_clawback_gives_back_what_the_car_earned_as_a_line_of_its_own() -> None:
    cars = tuple(car(n, grade="B") for n in range(1, 17))
    lines = evaluate(builtin()["seed-2008-sales"], Month("2026-11", D("1200"), date(2026, 3, 1), cars))
    earned = earned_by(lines, "e16")
    assert earned == D("250.00")  # grade B, 16th car
    line = clawback("VIN00000000000016", earned, paid_in="2026-11", delivered_event_id="e16", cancelled_event_id="c16")
    assert line.amount == D("-250.00") and line.code == "clawback" and "PAY-11" in line.description
    assert line.source_event_ids == ("c16", "e16")


def test_pay3_fixed_and_performance_split_times_completion_and_score() -> None:
    plan = builtin()["seed-2008-sales"]
    lines = evaluate(
        plan, Month("2026-11", D("1200"), date(2026, 3, 1), tuple(car(n) for n in range(1, 5)), appraisal_score=D("90"))
    )
    wage = next(line for line in lines if line.code == "base_wage")
    performance = next(line for line in lines if line.code == "performance_pay")
    assert wage.amount == D("960.00")
    assert performance.amount == D("108.00")  # 240 × 4/8 × 90%
    assert total(lines, "unit_commission") == D("720.00")  # 4 × 200 × 90%


# PAY-4: 100 per car with all five coverages; any insured car when penetration reaches 70%
def test_pay4_penetration_just_under_and_at_70_percent() -> None:
    plan = builtin()["seed-2015-sales"]
    partial = ("compulsory", "own_damage")
    under = [car(1, coverages=FULL)] + [car(n, coverages=partial) for n in range(2, 7)] + [car(n) for n in range(7, 11)]
    at = [car(1, coverages=FULL)] + [car(n, coverages=partial) for n in range(2, 8)] + [car(n) for n in range(8, 11)]
    assert total(
        evaluate(plan, Month("2026-11", D("1200"), date(2026, 3, 1), tuple(under))),
        "insurance_commission",
    ) == D("100.00")
    assert total(evaluate(plan, Month("2026-11", D("1200"), date(2026, 3, 1), tuple(at))), "insurance_commission") == D(
        "700.00"
    )


@pytest.mark.parametrize(("fee", "amount"), [("3499.99", "200.00"), ("3500", "300.00"), ("5000", "300.00")])
def test_pay5_loan_handling_fee_threshold(fee: str, amount: str) -> None:
    lines = evaluate(
        builtin()["seed-2015-sales"], Month("2026-11", D("1200"), date(2026, 3, 1), (car(1, loan_fee=D(fee)),))
    )
    assert total(lines, "loan_commission") == D(amount)


def test_pay6_a_third_of_accessories_margin() -> None:
    lines = evaluate(
        builtin()["seed-2015-sales"],
        Month(
            "2026-11", D("1200"), date(2026, 3, 1), (car(1, accessories_price=D("5000"), accessories_cost=D("2000")),)
        ),
    )
    assert total(lines, "accessories_commission") == D("1000.00")


def test_pay7_bonuses_and_pay8_online_orders_do_not_count_toward_showroom_targets() -> None:
    plan = builtin()["seed-2015-sales"]
    cars = (*tuple(car(n) for n in range(1, 13)), car(99, channel="online"))
    lines = evaluate(plan, Month("2026-11", D("1200"), date(2026, 3, 1), cars, target_units=10, top_seller=True))
    assert total(lines, "target_bonus") == D("300.00") and total(lines, "top_seller_bonus") == D("300.00")
    assert total(lines, "online_order_commission") == 0
    short = evaluate(
        plan, Month("2026-11", D("1200"), date(2026, 3, 1), (*cars[:11], car(99, channel="online")), target_units=10)
    )
    assert total(short, "target_bonus") == 0  # 11 showroom cars of 10 is 110%: the online order does not count
    online = evaluate(
        plan,
        Month(
            "2026-11",
            D("1200"),
            date(2026, 3, 1),
            (car(1, channel="online", model="GA3S"), car(2, channel="online", model="GS4")),
            online_specialist=True,
        ),
    )
    assert [line.amount for line in online if line.code == "online_order_commission"] == [D("200.00"), D("300.00")]


def test_pay9_band_by_achievement_loan_and_above_floor_times_score() -> None:
    plan = builtin()["seed-2013-sales"]
    cars = (
        car(1, model="T33-hatchback", loan_fee=D("2000"), price=D("101000"), floor_price=D("100000")),
        *tuple(car(n) for n in range(2, 10)),
    )
    lines = evaluate(
        plan, Month("2026-11", D("1200"), date(2026, 3, 1), cars, target_units=10, appraisal_score=D("80"))
    )
    units = [line for line in lines if line.code == "unit_commission"]
    assert units[0].amount == D("248.00")  # 90% achievement: T33 hatchback 310 × 80%
    assert units[1].amount == D("216.00")  # T61 270 × 80%
    assert total(lines, "loan_commission") == D("240.00") and total(lines, "above_floor_share") == D("400.00")
    [above] = [line for line in lines if line.code == "above_floor_share"]
    assert above.basis["taxable"] == "true" and "需完税" in above.description


@pytest.mark.parametrize(
    ("sold", "model", "amount"),
    [
        (5, "T61", "90.00"),
        (6, "T61", "120.00"),
        (9, "T33-sedan", "210.00"),
        (10, "T33-hatchback", "300.00"),
        (12, "T33-hatchback", "350.00"),
    ],
)
def test_pay9_the_second_model_table_of_the_2013_scheme(sold: int, model: str, amount: str) -> None:
    """The seed's second table, which it does not label (our reading: the sales assistants'):
    T61/T33 sedan 90/120/150/180/210/250/300, T33 hatchback 125/150/180/220/260/300/350."""
    plan = builtin()["seed-2013-sales-assistant"]
    cars = tuple(car(n, model=model) for n in range(1, sold + 1))
    lines = evaluate(plan, Month("2026-11", D("1200"), date(2026, 3, 1), cars, target_units=10))
    units = [line for line in lines if line.code == "unit_commission"]
    assert {line.amount for line in units} == {D(amount)}


def test_pay1_seniority_fifty_a_month_for_each_full_year() -> None:
    plan = builtin()["seed-2015-sales"]
    assert full_years(date(2020, 3, 1), date(2026, 11, 30)) == 6
    lines = evaluate(plan, Month("2026-11", D("1200"), date(2020, 3, 1)))
    assert total(lines, "seniority") == D("300.00")
    assert total(evaluate(plan, Month("2026-11", D("1200"), date(2026, 1, 1))), "seniority") == 0


def test_every_line_names_its_rule_inputs_and_events() -> None:
    lines = evaluate(
        builtin()["seed-2015-sales"], Month("2026-11", D("1200"), date(2026, 3, 1), (car(1, loan_fee=D("3500")),))
    )
    loan = next(line for line in lines if line.code == "loan_commission")
    assert "PAY-5" in loan.description and loan.basis["handling_fee"] == "3500" and loan.source_event_ids == ("e1",)


@pytest.mark.parametrize(
    ("bottles", "amount"),
    [(50, "250.00"), (51, "306.00"), (100, "600.00"), (101, "808.00"), (200, "1600.00"), (201, "2010.00")],
)
def test_pay10_maintenance_products_per_bottle_when_the_output_target_is_met(bottles: int, amount: str) -> None:
    plan = builtin()["seed-aftersales"]
    met = Month("2026-11", D("1300"), date(2026, 3, 1), bottles=bottles, output=D("150000"), output_target=D("150000"))
    assert total(evaluate(plan, met), "maintenance_products") == D(amount)
    missed = replace(met, output=D("149999.99"))
    capped = min(D(amount) / bottles, D("6")) * bottles  # missed from 80 %: at most 6 a bottle
    assert total(evaluate(plan, missed), "maintenance_products") == capped


@pytest.mark.parametrize(
    ("output", "bottles", "amount"),
    [
        ("120000", 250, "1500.00"),  # 80 % of the target: 10 a bottle capped at 6
        ("119999", 250, "1250.00"),  # below 80 %: at most 5
        ("119999", 40, "200.00"),  # 5 a bottle already: the cap changes nothing
        ("0", 40, "0"),  # no output, nothing
    ],
)
def test_pay10_a_missed_output_target_caps_the_bottle_rate_and_the_sheet_score_scales_it(
    output: str, bottles: int, amount: str
) -> None:
    plan = builtin()["seed-aftersales"]
    month = Month("2026-11", D("1300"), date(2026, 3, 1), bottles=bottles, output=D(output), output_target=D("150000"))
    assert total(evaluate(plan, month), "maintenance_products") == D(amount)
    on_sheet = replace(month, sheet_score=D("90"))
    assert total(evaluate(plan, on_sheet), "maintenance_products") == (D(amount) * D("0.9")).quantize(D("0.01"))


def test_ins7_renewals_pay_100_per_commercial_policy_times_the_sheet_score_from_the_second_renewal() -> None:
    plan = builtin()["seed-aftersales"]
    one = Month("2026-11", D("1300"), date(2026, 3, 1), renewals=(Renewal("r1", "V1", True),))
    assert total(evaluate(plan, one), "renewal_commission") == 0  # fewer than 2 renewals: nothing
    three = replace(
        one,
        renewals=(Renewal("r1", "V1", True), Renewal("r2", "V2", False), Renewal("r3", "V3", True)),
        sheet_score=D("90"),
        appraisal_score=D("70"),
    )
    [line] = [line for line in evaluate(plan, three) if line.code == "renewal_commission"]
    assert line.amount == D("180.00")  # 2 commercial × 100 × sheet 90 % (the appraisal score plays no part)
    assert line.source_event_ids == ("r1", "r3") and line.basis["renewals"] == "3"
    two_compulsory_only = replace(one, renewals=(Renewal("r1", "V1", False), Renewal("r2", "V2", False)))
    assert total(evaluate(plan, two_compulsory_only), "renewal_commission") == 0


def _store(**over: str) -> StoreFigures:
    return StoreFigures(**{k: D(v) for k, v in over.items()})


def test_pay10_the_service_manager_s_bonus_is_1_percent_of_net_profit_times_completion_and_both_scores() -> None:
    plan = builtin()["seed-aftersales-manager"]
    month = Month(
        "2026-11",
        D("2000"),
        date(2020, 3, 1),
        appraisal_score=D("90"),
        sheet_score=D("95"),
        store=_store(aftersales_net_profit="200000", aftersales_net_profit_target="250000"),
    )
    [line] = [line for line in evaluate(plan, month) if line.code == "service_bonus"]
    assert line.amount == D("1368.00")  # 200000 × 1% × 0.8 × 0.90 × 0.95
    loss = replace(month, store=_store(aftersales_net_profit="-5000", aftersales_net_profit_target="250000"))
    assert total(evaluate(plan, loss), "service_bonus") == 0
    assert total(evaluate(plan, replace(month, store=None)), "service_bonus") == 0


def test_pay10_the_parts_pool_is_split_50_30_20_after_office_costs_and_profit_completion() -> None:
    store = _store(
        parts_sales="300000",
        maintenance_products_sales="40000",
        parts_office_costs="2000",
        parts_profit="54000",
        parts_profit_target="60000",
    )
    amounts = []
    for share in ("0.5", "0.3", "0.2"):
        rule = PartsPool(kind="parts_pool", parts_rate=D("0.02"), share=D(share))
        plan = Plan(code="parts", name="parts", effective_month="2026-01", rules=[rule])
        month = Month("2026-11", D("1500"), date(2020, 3, 1), store=store)
        amounts.append(total(evaluate(plan, month), "parts_pool"))
    # pool = (300000 × 2% + 40000 × 1% − 2000) × 0.9 = 3960
    assert amounts == [D("1980.00"), D("1188.00"), D("792.00")]


def test_pay10_the_station_head_gets_base_plus_output_share_times_score_and_at_least_3000() -> None:
    rule = StationHeadPay(kind="station_head_pay", coefficient=D("0.01"))
    plan = Plan(code="head", name="head", effective_month="2026-01", rules=[rule])
    busy = Month("2026-11", D("1500"), date(2026, 3, 1), station_output=D("300000"), appraisal_score=D("90"))
    lines = evaluate(plan, busy)
    assert sum(line.amount for line in lines) == D("4050.00")  # (1500 + 3000) × 0.9
    quiet = replace(busy, station_output=D("100000"))
    lines = evaluate(plan, quiet)
    assert sum(line.amount for line in lines) == D("3000.00")  # (1500 + 1000) × 0.9 = 2250 → the minimum
    assert [line.code for line in lines] == ["base_wage", "performance_pay", "minimum_top_up"]


def test_pay4_penetration_can_be_the_store_s_instead_of_the_consultant_s() -> None:
    partial = car(1, coverages=("compulsory",))
    own = InsurancePerCar(kind="insurance_per_car", amount=D("100"))
    store = own.model_copy(update={"penetration_of": "store"})
    for rule, store_penetration, expected in (
        (own, D("0.9"), D("100.00")),
        (store, D("0.69"), D("0")),
        (store, D("0.7"), D("100.00")),
    ):
        plan = Plan(code="ins", name="ins", effective_month="2026-01", rules=[rule])
        month = Month("2026-11", D("1200"), date(2026, 3, 1), (partial,), store_penetration=store_penetration)
        assert total(evaluate(plan, month), "insurance_commission") == expected


def test_pay13_the_advisor_s_output_and_intake_commission_times_the_appraisal_and_the_sheet() -> None:
    plan = builtin()["seed-service-advisor"]
    month = Month(
        "2026-11",
        D("1300"),
        date(2026, 3, 1),
        output=D("200000"),
        output_target=D("160000"),
        cars_received=120,
        target_units=100,
        appraisal_score=D("95"),
        sheet_score=D("90"),
    )
    [line] = [line for line in evaluate(plan, month) if line.code == "output_commission"]
    # (200000 × 1 % × 125 % + 120 × 2 × 120 %) × 95 % × 90 % = (2500 + 288) × 0.855
    assert line.amount == D("2383.74")
    assert line.basis["output_completion"] == "1.25" and line.basis["cars_received"] == "120"
    assert "PAY-13" in line.description and "score 95" in line.description and "sheet 90" in line.description


def test_pay13_the_accident_advisor_takes_2_percent_and_no_intake_completion_and_a_missing_target_drops_its_part() -> (
    None
):
    plan = builtin()["seed-accident-advisor"]
    month = Month(
        "2026-11", D("1300"), date(2026, 3, 1), output=D("100000"), output_target=D("200000"), cars_received=30
    )
    [line] = [line for line in evaluate(plan, month) if line.code == "output_commission"]
    assert line.amount == D("1060.00")  # 100000 × 2 % × 50 % + 30 × 2
    no_target = replace(month, output_target=None)
    [line] = [line for line in evaluate(plan, no_target) if line.code == "output_commission"]
    assert line.amount == D("60.00") and "no output target" in line.description


def test_pay1_post_and_seniority_wage_follow_attendance_and_the_payslip_shows_the_days() -> None:
    plan = builtin()["seed-2015-sales"]
    full = Month("2026-11", D("1200"), date(2022, 3, 1))  # four full years on 2026-11-30: seniority 200
    assert (total(evaluate(plan, full), "base_wage"), total(evaluate(plan, full), "seniority")) == (
        D("1200.00"),
        D("200.00"),
    )
    partial = replace(full, days_worked=D("18"), days_scheduled=D("24"))
    lines = evaluate(plan, partial)
    wage = next(line for line in lines if line.code == "base_wage")
    assert wage.amount == D("900.00") and wage.basis["days_worked"] == "18" and "18 of 24 days" in wage.description
    assert total(lines, "seniority") == D("150.00")


def test_pay1_a_probationer_gets_the_post_wage_only() -> None:
    plan = builtin()["seed-2015-sales"]
    cars = tuple(car(n, coverages=FULL) for n in range(1, 4))
    month = Month(
        "2026-11", D("1200"), date(2020, 3, 1), cars, performance_wage=D("3000"), target_units=3, on_probation=True
    )
    assert [(line.code, line.amount) for line in evaluate(plan, month)] == [("base_wage", D("1200.00"))]
    half = replace(month, days_worked=D("11"), days_scheduled=D("22"))
    assert [(line.code, line.amount) for line in evaluate(plan, half)] == [("base_wage", D("600.00"))]


def test_reg_the_plate_and_the_mortgage_the_f_and_i_office_registered_are_paid_per_car() -> None:
    """REG-2/3 as plan kinds: the 2015 scheme pays its mortgage and notary commission (上户公证抵押提成,
    our default 100: the seed gives none) per financed car the office did in the month; a plan with
    ``plate_registered`` pays per plate (our default 50); each line names its registration event."""
    done = (
        Registration("r1", "VIN00000000000001", "plate"),
        Registration("r2", "VIN00000000000001", "mortgage"),
        Registration("r3", "VIN00000000000002", "plate"),
    )
    month = Month("2026-11", D("1200"), date(2026, 3, 1), (car(1), car(2)), registrations=done)
    lines = evaluate(builtin()["seed-2015-sales"], month)
    assert total(lines, "mortgage_commission") == D("100.00") and total(lines, "plate_commission") == D("0.00")
    plan = Plan.model_validate(
        {"code": "plates", "name": "plates", "effective_month": "2026-01", "rules": [{"kind": "plate_registered"}]}
    )
    plates = [line for line in evaluate(plan, month) if line.code == "plate_commission"]
    assert [(line.amount, line.source_event_ids) for line in plates] == [(D("50.00"), ("r1",)), (D("50.00"), ("r3",))]
