"""Every event a FourS service publishes. Type names are versioned: a breaking change is a new
class with a new ``.vN`` type, published beside the old one until consumers move."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fours_contracts.base import AnnualRate, DomainEvent, Mobile, Money, Vin

Channel = Literal["showroom", "online", "key_account"]
Grade = Literal["A", "B"]
Coverage = Literal["compulsory", "own_damage", "third_party", "excess_waiver", "passengers", "other"]
ServiceType = Literal["maintenance", "repair", "warranty", "accident"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CustomerRef(_Part):
    customer_id: str
    name: str
    mobile: Mobile


class Loan(_Part):
    bank: str
    handling_fee: Money


class OrderLoan(_Part):
    """The car loan a customer's order is financed with, as quoted (the F&I office opens its
    application from it, FIN-1)."""

    bank: str
    amount: Money
    handling_fee: Money
    term_months: int | None = Field(default=None, ge=1, le=120)
    annual_rate: AnnualRate | None = None


class InsuranceBought(_Part):
    insurer: str
    coverages: list[Coverage]


class Accessories(_Part):
    price: Money
    cost: Money


class TradeIn(_Part):
    """The buyer's used car the store took in with the sale (二手车置换)."""

    vin: Vin
    model: str | None = None
    price: Money


class VehicleDelivered(DomainEvent):
    """A new car was handed over to its buyer (DOMAIN LEAD-9)."""

    event_type = "fours.leads.vehicle.delivered.v1"
    producer = "leads"

    delivery_id: str
    vin: Vin
    customer: CustomerRef
    consultant_no: str
    channel: Channel
    model: str
    grade: Grade
    price: Money
    floor_price: Money
    loan: Loan | None = None
    insurance: InsuranceBought | None = None
    accessories: Accessories | None = None
    delivered_at: datetime
    order_id: str | None = Field(default=None, description="The order the car was sold on (absent for imported sales)")
    plate_fee: Money | None = Field(
        default=None, description="The plate registration the store did for the buyer (上牌)"
    )
    trade_in: TradeIn | None = Field(default=None, description="The used car the store took in with the sale")

    def subject(self) -> str:
        return self.vin


class LeadCreated(DomainEvent):
    """A sales lead was taken in, with the campaign and channel marketing attributes it to (LEAD-1, MKT-8)."""

    event_type = "fours.leads.lead.created.v1"
    producer = "leads"

    lead_id: str
    customer_id: str
    source: str
    channel: str | None = None
    campaign_code: str | None = None
    model: str | None = None
    owner_no: str | None = None
    created_at: datetime

    def subject(self) -> str:
        return self.customer_id


class LeadLost(DomainEvent):
    """A lead was lost (战败) with a reason from the store's managed list (LEAD-4, LEAD-10)."""

    event_type = "fours.leads.lead.lost.v1"
    producer = "leads"

    lead_id: str
    customer_id: str
    owner_no: str | None = None
    reason_code: str
    note: str | None = None
    campaign_code: str | None = None
    lost_at: datetime

    def subject(self) -> str:
        return self.customer_id


class VisitRegistered(DomainEvent):
    """A customer came to the showroom (the traffic register, LEAD-3/10), with the campaign of their
    latest open lead for attribution (MKT-8)."""

    event_type = "fours.leads.visit.registered.v1"
    producer = "leads"

    visit_id: str
    customer_id: str
    received_by: str
    lead_id: str | None = None
    campaign_code: str | None = None
    channel: str | None = None
    at: datetime

    def subject(self) -> str:
        return self.customer_id


class TestDriveDone(DomainEvent):
    """A booked test drive took place, with the agreement signed and the route driven (LEAD-6)."""

    __test__ = False  # not a pytest test class
    event_type = "fours.leads.test_drive.done.v1"
    producer = "leads"

    booking_id: str
    customer_id: str
    lead_id: str | None = None
    consultant_no: str
    car_vin: Vin
    model: str
    route: str
    outcome: str
    driven_at: datetime

    def subject(self) -> str:
        return self.customer_id


class OrderPlaced(DomainEvent):
    """A customer signed an order from an accepted quote and paid the deposit (LEAD-8)."""

    event_type = "fours.leads.order.placed.v1"
    producer = "leads"

    order_id: str
    quote_id: str
    lead_id: str | None = None
    customer_id: str
    consultant_no: str
    vin: Vin | None = None
    model: str
    grade: str
    price: Money
    floor_price: Money
    deposit: Money
    campaign_code: str | None = None
    placed_at: datetime
    loan: OrderLoan | None = Field(default=None, description="Financed with a car loan (the handover waits for it)")
    customer: CustomerRef | None = Field(default=None, description="The buyer, for the F&I office's desk")

    def subject(self) -> str:
        return self.customer_id


class VehicleSettled(DomainEvent):
    """The consultant completed the sale's settlement (完成车辆的结算工作): under the 2013 scheme the car's
    commission is paid only from then on (PAY-9)."""

    event_type = "fours.leads.vehicle.settled.v1"
    producer = "leads"

    delivery_id: str
    vin: Vin
    consultant_no: str
    settled_at: datetime
    delivered_event_id: str = Field(description="ce_id of the vehicle.delivered event of the sale")

    def subject(self) -> str:
        return self.vin


class StockCarDamaged(DomainEvent):
    """A new car in stock failed its PDI (damaged in transport or storage: 需要索赔的新商品车, seed 001);
    aftersales opens a draft warranty claim for it (CLM-1)."""

    event_type = "fours.leads.stock_car.damaged.v1"
    producer = "leads"

    vin: Vin
    model: str
    grade: str
    found_at: datetime
    notes: str | None = None
    found_by: str

    def subject(self) -> str:
        return self.vin


class VehicleDeliveryCancelled(DomainEvent):
    """A delivered sale was cancelled; consumers undo what the delivery caused (PAY-11)."""

    event_type = "fours.leads.vehicle.delivery_cancelled.v1"
    producer = "leads"

    delivery_id: str
    vin: Vin
    consultant_no: str
    reason: str
    cancelled_at: datetime
    delivered_event_id: str = Field(description="ce_id of the vehicle.delivered event this undoes")

    def subject(self) -> str:
        return self.vin


class ServiceCompleted(DomainEvent):
    """A car was handed back to its owner after service (DOMAIN AS-3)."""

    event_type = "fours.aftersales.service.completed.v1"
    producer = "aftersales"

    repair_order_id: str
    vin: Vin
    customer_id: str | None = None
    advisor_no: str
    type: ServiceType
    mileage_km: int = Field(ge=0)
    labour_amount: Money
    parts_amount: Money
    parts_cost: Money
    products_amount: Money
    product_bottles: int = Field(ge=0)
    total_amount: Money
    handed_over_at: datetime

    def subject(self) -> str:
        return self.vin


class PartsSold(DomainEvent):
    """Parts sold over the counter (柜台销售), to a walk-in customer or another garage (PARTS-7): with
    what repair orders sell (*service completed*), the parts department's month (PAY-10)."""

    event_type = "fours.aftersales.parts.sold.v1"
    producer = "aftersales"

    sale_id: str
    parts_amount: Money
    """Parts and accessories."""
    products_amount: Money
    """Maintenance products (养护用品)."""
    cost: Money
    """What the sale left the shelf at, at average cost."""
    sold_at: datetime

    def subject(self) -> str:
        return self.sale_id


class CoveragePremium(_Part):
    code: Coverage
    premium: Money


class PolicyRecorded(DomainEvent):
    """A policy became known to the store: sold with a car, renewed, or pushed by an insurer (INS-1/2).
    Published again, with the new content, when a pushed update changes it."""

    event_type = "fours.insurance.policy.recorded.v1"
    producer = "insurance"

    policy_id: str
    insurer: str
    policy_no: str
    vin: Vin
    holder_name: str
    holder_mobile: Mobile
    kind: Literal["new_car", "renewal"]
    coverages: list[CoveragePremium]
    premium: Money
    start_date: date
    end_date: date

    def subject(self) -> str:
        return self.vin


class RenewalWon(DomainEvent):
    """A policy's renewal was won: the new policy is the store's (INS-3). The credited employee is the
    renewal specialist or service advisor who worked it; payroll pays INS-7 from this."""

    event_type = "fours.insurance.renewal.won.v1"
    producer = "insurance"

    renewal_id: str
    expiring_policy_id: str
    new_policy_id: str
    vin: Vin
    insurer: str
    premium: Money
    commercial: bool = Field(description="The new policy has commercial cover (more than the compulsory one)")
    credited_no: str | None = Field(default=None, description="Employee credited with the renewal")
    renewed_at: datetime

    def subject(self) -> str:
        return self.vin


class RenewalLost(DomainEvent):
    """A renewal was lost (战败): the customer insured elsewhere or not at all, with the reason and the
    counter-measure for the non-renewal analysis (INS-3)."""

    event_type = "fours.insurance.renewal.lost.v1"
    producer = "insurance"

    renewal_id: str
    expiring_policy_id: str
    vin: Vin
    reason: str
    counter_measure: str | None = None
    credited_no: str | None = None
    lost_at: datetime

    def subject(self) -> str:
        return self.vin


class _EmployeeFacts(DomainEvent):
    producer = "payroll"

    employee_no: str
    name: str
    role: str
    team: str | None = None
    hired_on: date
    left_on: date | None = None

    def subject(self) -> str:
        return self.employee_no


class EmployeeHired(_EmployeeFacts):
    """Payroll owns staff; other services keep a read copy of the staff they need."""

    event_type = "fours.payroll.employee.hired.v1"


class EmployeeUpdated(_EmployeeFacts):
    """The full current facts of an employee after any change (role, team, leaving)."""

    event_type = "fours.payroll.employee.updated.v1"


class CalendarUpdated(DomainEvent):
    """The store entered its working-day calendar of a year (the State Council's 放假安排 with its 调休
    working weekends): on the days it lists, it overrides the library's calendar. The whole year's
    entry each time; a later one replaces an earlier one."""

    event_type = "fours.gateway.calendar.updated.v1"
    producer = "gateway"

    year: int = Field(ge=2000, le=2100)
    holidays: list[date] = Field(description="Days off, whatever the weekday")
    working_days: list[date] = Field(description="Days worked, whatever the weekday (adjusted weekends)")
    source: str = Field(description="Where the schedule comes from, e.g. the State Council notice")
    updated_by: str
    updated_at: datetime

    def subject(self) -> str:
        return str(self.year)


class _LoanStep(DomainEvent):
    """A step of a car loan application (FIN-1), keyed by the order it finances so that leads reads
    an order's steps in order."""

    producer = "insurance"

    application_id: str
    order_id: str | None = Field(default=None, description="Absent for a loan not opened from an order")
    customer_id: str | None = None
    lender: str

    def subject(self) -> str:
        return self.order_id or self.application_id


class LoanApplied(_LoanStep):
    """A loan application was opened for an order (from the order's quoted loan or by the F&I
    office): the order's handover now waits for the lender (FIN-3)."""

    event_type = "fours.insurance.loan.applied.v1"

    amount: Money
    applied_at: datetime


class LoanApproved(_LoanStep):
    """The lender approved the loan (FIN-3: a financed car may now be handed over); its handling
    fee is what PAY-5 and the 2013 loan bonus pay on."""

    event_type = "fours.insurance.loan.approved.v1"

    approved_amount: Money
    annual_rate: AnnualRate
    term_months: int = Field(ge=1, le=120)
    handling_fee: Money
    specialist_no: str | None = None
    approved_at: datetime


class LoanDeclined(_LoanStep):
    """The lender declined the loan, with a reason from the store's list."""

    event_type = "fours.insurance.loan.declined.v1"

    reason: str
    declined_at: datetime


class LoanWithdrawn(_LoanStep):
    """The customer withdrew the application before the money was paid out."""

    event_type = "fours.insurance.loan.withdrawn.v1"

    reason: str
    withdrawn_at: datetime


class LoanDisbursed(_LoanStep):
    """The lender paid the loan out (放款): its contract number is what its repayment statements name."""

    event_type = "fours.insurance.loan.disbursed.v1"

    contract_no: str
    amount: Money
    disbursed_on: date


class VehicleRegistered(DomainEvent):
    """A delivered car got its plate at the vehicle administration office (REG-2): aftersales knows
    the car by it at reception, payroll pays the plate commission."""

    event_type = "fours.insurance.vehicle.registered.v1"
    producer = "insurance"

    registration_id: str
    delivery_id: str
    vin: Vin
    plate: str = Field(description="Normalised: province, letter, 5 or 6 characters, no separators")
    registered_on: date
    model: str
    customer: CustomerRef
    consultant_no: str
    registered_by: str = Field(description="The plate specialist's employee number (or user)")

    def subject(self) -> str:
        return self.vin


class VehicleMortgaged(DomainEvent):
    """A financed car's mortgage was registered for the lender and the contract notarised (REG-3,
    上户公证抵押): payroll pays its commission."""

    event_type = "fours.insurance.vehicle.mortgaged.v1"
    producer = "insurance"

    registration_id: str
    delivery_id: str
    vin: Vin
    lender: str | None = None
    notarised_on: date
    mortgage_registered_on: date
    consultant_no: str
    registered_by: str

    def subject(self) -> str:
        return self.vin


ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    LeadCreated,
    LeadLost,
    VisitRegistered,
    TestDriveDone,
    OrderPlaced,
    VehicleDelivered,
    VehicleDeliveryCancelled,
    VehicleSettled,
    StockCarDamaged,
    ServiceCompleted,
    PartsSold,
    EmployeeHired,
    EmployeeUpdated,
    PolicyRecorded,
    RenewalWon,
    RenewalLost,
    CalendarUpdated,
    LoanApplied,
    LoanApproved,
    LoanDeclined,
    LoanWithdrawn,
    LoanDisbursed,
    VehicleRegistered,
    VehicleMortgaged,
)
_BY_TYPE = {cls.event_type: cls for cls in ALL_EVENTS}

_STAFF: tuple[type[DomainEvent], ...] = (EmployeeHired, EmployeeUpdated)
_HANDOVERS: tuple[type[DomainEvent], ...] = (VehicleDelivered, VehicleDeliveryCancelled)
_LOAN_STEPS: tuple[type[DomainEvent], ...] = (LoanApplied, LoanApproved, LoanDeclined, LoanWithdrawn, LoanDisbursed)
CONSUMERS: dict[str, tuple[type[DomainEvent], ...]] = {
    "leads": (*_STAFF, CalendarUpdated, *_LOAN_STEPS),
    "aftersales": (*_HANDOVERS, StockCarDamaged, VehicleRegistered, *_STAFF, CalendarUpdated),
    "insurance": (*_HANDOVERS, OrderPlaced, *_STAFF, CalendarUpdated),
    "marketing": (LeadCreated, OrderPlaced, VisitRegistered, *_HANDOVERS, CalendarUpdated),
    "payroll": (
        *_HANDOVERS,
        VehicleSettled,
        ServiceCompleted,
        PartsSold,
        RenewalWon,
        VehicleRegistered,
        VehicleMortgaged,
        CalendarUpdated,
    ),
}
"""Which service consumes which events (its consumer group is its name): the receive side of the
AsyncAPI document; a test holds it to each service's handlers."""


def event_class(event_type: str) -> type[DomainEvent] | None:
    return _BY_TYPE.get(event_type)
