"""digest_run.counts: the assignment counts by status a digest showed, kept when its snapshot is emptied,
so the weekly chart can draw the trend of done / in progress / blocked / not reported

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest_run") as batch_op:
        batch_op.add_column(sa.Column("counts", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("digest_run") as batch_op:
        batch_op.drop_column("counts")
