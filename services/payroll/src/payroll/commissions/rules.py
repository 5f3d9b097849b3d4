"""The commission preview (PAY-3…9, PAY-11): of a payslip, the lines a sold car earned or gave back."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from payroll.plans.rules import ZERO, Line


def commission_lines(lines: Iterable[Line], deliveries: Mapping[str, str]) -> list[dict[str, Any]]:
    """The lines naming a delivered car (per-car commissions, late ones too) and the clawbacks, each
    with the car and the event it came from; ``deliveries`` maps a car's delivery event to its delivery."""
    items = []
    for line in lines:
        car_event = next((e for e in line.source_event_ids if e in deliveries), None)
        if car_event is None:
            continue
        items.append(
            {
                "code": line.code,
                "vin": line.basis["vin"],
                "delivery_id": deliveries[car_event],
                "rule": line.description,
                "amount": line.amount,
                "source_event_id": line.source_event_ids[0],
            }
        )
    return items


def total(items: Iterable[dict[str, Any]]) -> Decimal:
    return sum((item["amount"] for item in items), ZERO)
