"""A spend as the store enters it (MKT-6), charged to a campaign or to a month's fixed running budget."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

Amount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class SpendIn(BaseModel):
    kind: Literal["commitment", "invoice"] = "commitment"
    amount: Amount
    description: Annotated[str, Field(min_length=1, max_length=500)]
    approve_overrun: bool = False
    """The general manager approves going over the budget it is charged to (MKT-6)."""
