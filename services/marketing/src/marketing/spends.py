"""A spend as the store enters it (MKT-6), charged to a campaign or to a month's fixed running budget."""

from decimal import Decimal
from typing import Annotated, Literal

from fours_contracts.decimals import Decimals
from pydantic import BaseModel, Field, StrictBool

Amount = Annotated[Decimal, Decimals(gt=0)]


class SpendIn(BaseModel):
    kind: Literal["commitment", "invoice"] = "commitment"
    amount: Amount
    description: Annotated[str, Field(min_length=1, max_length=500)]
    approve_overrun: StrictBool = False
    """The general manager approves going over the budget it is charged to (MKT-6)."""
