"""customer sellers; the reserving order's facts on the stock car

Customers learn who sold them a car (``customer_sellers``, filled from the deliveries), so the
customers feature no longer reads the deliveries table; a stock car keeps what its reserving order
says (planned handover, contracted model and grade), so the stock report no longer joins orders.

Revision ID: leads_0005
Revises: leads_0004
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "leads_0005"
down_revision: str | None = "leads_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_sellers",
        sa.Column("customer_id", postgresql.UUID(as_uuid=False), nullable=False),
        sa.Column("consultant_no", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "consultant_no"),
        comment="who sold a car to the customer: a consultant sees the customers they own or sold to",
    )
    op.create_index("customer_sellers_by_consultant", "customer_sellers", ["consultant_no"], unique=False)
    op.execute(
        "INSERT INTO customer_sellers (customer_id, consultant_no) "
        "SELECT DISTINCT customer_id::uuid, consultant_no FROM deliveries ON CONFLICT DO NOTHING"
    )
    op.add_column("stock_cars", sa.Column("planned_handover_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("stock_cars", sa.Column("contract_model", sa.Text(), nullable=True))
    op.add_column("stock_cars", sa.Column("contract_grade", sa.Text(), nullable=True))
    op.execute(
        "UPDATE stock_cars s SET planned_handover_at = o.planned_handover_at, contract_model = o.model, "
        "contract_grade = o.grade FROM orders o WHERE o.id = s.order_id AND o.status = 'placed'"
    )


def downgrade() -> None:
    op.drop_column("stock_cars", "contract_grade")
    op.drop_column("stock_cars", "contract_model")
    op.drop_column("stock_cars", "planned_handover_at")
    op.drop_index("customer_sellers_by_consultant", table_name="customer_sellers")
    op.drop_table("customer_sellers")
