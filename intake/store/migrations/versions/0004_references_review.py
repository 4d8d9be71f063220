"""item_refs: the order, quote, claim and other numbers found in each message; cases.needs_review

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_refs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_item_refs_key", "item_refs", ["key"])
    op.create_index("ix_item_refs_item_id", "item_refs", ["item_id"])
    op.create_index("ix_item_refs_case_id", "item_refs", ["case_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("needs_review")
    op.drop_table("item_refs")
