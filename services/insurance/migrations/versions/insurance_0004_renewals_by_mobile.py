"""renewals by the holder's mobile (the customer 360 asks for a customer's renewals)

Revision ID: insurance_0004
Revises: insurance_0003
Create Date: 2026-11-26 01:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "insurance_0004"
down_revision: str | None = "insurance_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("renewals_by_mobile", "renewals", ["holder_mobile"], unique=False)


def downgrade() -> None:
    op.drop_index("renewals_by_mobile", table_name="renewals")
