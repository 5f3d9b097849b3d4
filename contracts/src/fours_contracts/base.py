"""Base class of every domain event and the value types they share."""

from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

CENT = Decimal("0.01")
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2), AfterValidator(lambda d: d.quantize(CENT))]
"""CNY amount; serialised as a decimal string so no consumer ever sees a float."""


class DomainEvent(BaseModel):
    """Data of one CloudEvent.

    Consumers ignore unknown fields, so a producer may add optional fields within a version;
    removing a field or adding a required one needs a new versioned type.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    producer: ClassVar[str]
    """Service that owns and publishes the event; its topic is ``<producer>.events``."""

    @classmethod
    def topic(cls) -> str:
        return f"{cls.producer}.events"

    def subject(self) -> str:
        """Aggregate id: the Kafka key, so one aggregate's events stay in order."""
        raise NotImplementedError
