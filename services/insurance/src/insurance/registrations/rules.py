"""REG-1..3 plate registration (上牌, seed 004's 保险贷款上牌流程): every delivered car is registered
by the store within the temporary plate's life; its papers first, then the appointment at the vehicle
administration office (车管所) and the plate; a financed car's mortgage for the lender and the
contract's notarisation (上户公证抵押) after it."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

DUE_DAYS = 15
"""REG-1: days from the handover to register (a temporary plate's life; our default)."""
State = Literal["open", "registered", "completed", "cancelled"]


@dataclass(frozen=True)
class Document:
    code: str
    label: str


DOCUMENTS: tuple[Document, ...] = (
    Document("invoice", "购车发票 the car's invoice"),
    Document("certificate", "合格证 certificate of conformity"),
    Document("compulsory_insurance", "交强险保单 compulsory insurance policy"),
    Document("purchase_tax", "购置税完税证明 purchase tax paid"),
)
"""REG-2: what the vehicle administration office asks for."""


def due_on(delivered_on: date, days: int = DUE_DAYS) -> date:
    return delivered_on + timedelta(days=days)


def overdue(due: date, registered_on: date | None, today: date) -> bool:
    """REG-1: past its due day without a plate, or plated after it."""
    return (registered_on or today) > due


def missing(documents: list[tuple[str, bool]]) -> list[str]:
    """REG-2: the papers not yet in, from (code, received)."""
    return [code for code, received in documents if not received]


def after_plate(financed: bool) -> State:
    """REG-3: a cash car is done with its plate; a financed one waits for its mortgage and notary."""
    return "registered" if financed else "completed"


def check_mortgage(notarised_on: date, mortgage_registered_on: date, registered_on: date | None) -> None:
    """REG-3: the mortgage is registered on a car with a plate, not before the car was registered."""
    if registered_on is None:
        raise ValueError("the mortgage is registered on a car that has its plate")
    if mortgage_registered_on < registered_on:
        raise ValueError("the mortgage is registered after the plate")
