"""FourS event contracts: the only code services share about each other."""

from fours_contracts.base import DomainEvent, Money
from fours_contracts.envelope import CloudEvent, EnvelopeError
from fours_contracts.events import (
    ALL_EVENTS,
    Accessories,
    Coverage,
    CoveragePremium,
    CustomerRef,
    EmployeeHired,
    EmployeeUpdated,
    InsuranceBought,
    LeadCreated,
    LeadLost,
    Loan,
    OrderPlaced,
    PolicyRecorded,
    ServiceCompleted,
    TestDriveDone,
    VehicleDelivered,
    VehicleDeliveryCancelled,
    event_class,
)

__all__ = [
    "ALL_EVENTS",
    "Accessories",
    "CloudEvent",
    "Coverage",
    "CoveragePremium",
    "CustomerRef",
    "DomainEvent",
    "EmployeeHired",
    "EmployeeUpdated",
    "EnvelopeError",
    "InsuranceBought",
    "LeadCreated",
    "LeadLost",
    "Loan",
    "Money",
    "OrderPlaced",
    "PolicyRecorded",
    "ServiceCompleted",
    "TestDriveDone",
    "VehicleDelivered",
    "VehicleDeliveryCancelled",
    "event_class",
]
