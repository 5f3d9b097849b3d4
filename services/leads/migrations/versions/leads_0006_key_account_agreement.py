"""key-account agreement on customers (LEAD-3 corrected)

Only a company that signed an agreement with the store is a key account; without one it belongs to
the showroom. Existing company customers start without one: a sales manager marks those that signed.

Revision ID: leads_0006
Revises: leads_0005
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "leads_0006"
down_revision: str | None = "leads_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "customers",
        sa.Column(
            "key_account_agreement",
            sa.Boolean(),
            server_default="false",
            nullable=False,
            comment="the company signed an agreement with the store: a key account (LEAD-3)",
        ),
    )
    op.alter_column(
        "customers",
        "company",
        comment="set for company, group and institution buyers",
        existing_comment="set for company, group and institution buyers (key accounts)",
        existing_type=sa.Text(),
    )


def downgrade() -> None:
    op.alter_column(
        "customers",
        "company",
        comment="set for company, group and institution buyers (key accounts)",
        existing_comment="set for company, group and institution buyers",
        existing_type=sa.Text(),
    )
    op.drop_column("customers", "key_account_agreement")
