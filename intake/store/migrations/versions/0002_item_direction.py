"""items.direction: incoming dealer mail or the coordinator's sent mail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("direction", sa.String(length=3), nullable=False, server_default="in"))


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("direction")
