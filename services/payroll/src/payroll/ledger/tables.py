from sqlalchemy import ARRAY, Boolean, Column, Date, DateTime, Index, Integer, Numeric, Table, Text

from payroll.tables import metadata

car_sales = Table(
    "car_sales",
    metadata,
    Column("delivery_id", Text, primary_key=True),
    Column("delivered_event_id", Text, nullable=False, unique=True),
    Column("vin", Text, nullable=False),
    Column("consultant_no", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("model", Text),
    Column("price", Numeric(14, 2)),
    Column("floor_price", Numeric(14, 2)),
    Column("loan_fee", Numeric(14, 2)),
    Column("coverages", ARRAY(Text)),
    Column("accessories_price", Numeric(14, 2)),
    Column("accessories_cost", Numeric(14, 2)),
    Column("plate_fee", Numeric(14, 2)),
    Column("trade_in_price", Numeric(14, 2)),
    # the payroll month that counts the car: its delivery month, or the next open one when that
    # month was locked before the event arrived (a late event, PAY-12)
    Column("counted_month", Text),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False),
    Column("cancelled_event_id", Text),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_month", Text),
    # the first open month from the cancellation's: the clawback's (PAY-11)
    Column("clawback_month", Text),
    # the sale's settlement, and the payroll month that counts it for a plan paying on settlement (PAY-9)
    Column("settled_at", DateTime(timezone=True)),
    Column("settled_month", Text),
    Column("settle_counted_month", Text),
)
Index("car_sales_by_consultant_month", car_sales.c.consultant_no, car_sales.c.month)
Index("car_sales_by_consultant_cancel_month", car_sales.c.consultant_no, car_sales.c.cancel_month)

service_jobs = Table(
    "service_jobs",
    metadata,
    Column("repair_order_id", Text, primary_key=True),
    Column("completed_event_id", Text, nullable=False, unique=True),
    Column("advisor_no", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("total_amount", Numeric(14, 2), nullable=False),
    Column("product_bottles", Integer, nullable=False),
    Column("parts_amount", Numeric(14, 2), nullable=False, server_default="0", comment="parts sold on the order"),
    Column("products_amount", Numeric(14, 2), nullable=False, server_default="0", comment="maintenance products sold"),
    Column("handed_over_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False),
    Column("counted_month", Text, nullable=False),
)
Index("service_jobs_by_advisor_month", service_jobs.c.advisor_no, service_jobs.c.counted_month)

counter_sales = Table(
    "counter_sales",
    metadata,
    Column("sale_id", Text, primary_key=True),
    Column("sold_event_id", Text, nullable=False, unique=True),
    Column("parts_amount", Numeric(14, 2), nullable=False),
    Column("products_amount", Numeric(14, 2), nullable=False),
    Column("sold_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False),
    Column("counted_month", Text, nullable=False, index=True),
)
"""Parts sold over the counter (*parts sold*): with the repair orders' parts, the parts department's
month (PAY-10)."""

renewals_won = Table(
    "renewals_won",
    metadata,
    Column("renewal_id", Text, primary_key=True),
    Column("won_event_id", Text, nullable=False, unique=True),
    Column("employee_no", Text, nullable=False),
    Column("vin", Text, nullable=False),
    Column("commercial", Boolean, nullable=False),
    Column("premium", Numeric(14, 2), nullable=False),
    Column("renewed_at", DateTime(timezone=True), nullable=False),
    Column("month", Text, nullable=False),
    Column("counted_month", Text, nullable=False),
)
Index("renewals_won_by_employee_month", renewals_won.c.employee_no, renewals_won.c.counted_month)
Index("car_sales_by_counted_month", car_sales.c.counted_month)
Index("car_sales_by_clawback_month", car_sales.c.clawback_month)
Index("car_sales_by_settle_counted_month", car_sales.c.settle_counted_month)

registrations_done = Table(
    "registrations_done",
    metadata,
    Column("event_id", Text, primary_key=True, comment="the vehicle.registered / vehicle.mortgaged event"),
    Column("kind", Text, nullable=False, comment="plate (上牌) | mortgage (上户公证抵押)"),
    Column("delivery_id", Text, nullable=False),
    Column("vin", Text, nullable=False),
    Column("consultant_no", Text, nullable=False, comment="who sold the car"),
    Column("done_on", Date, nullable=False),
    Column("month", Text, nullable=False),
    Column("counted_month", Text, nullable=False, index=True),
)
"""A delivered car's plate or mortgage registered by the store's F&I office, credited to the car's
consultant in the first open month from its own (REG-2/3, PAY-13's plan kinds)."""
