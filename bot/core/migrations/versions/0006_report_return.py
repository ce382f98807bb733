"""report.returned_at / returned_by / return_reason: 退办, a report a lead of the task or a coordinator sent
back with a reason (the row stays; it no longer counts); an index on returned_at for the tick, which
reads the returned reports every minute to ask their units again, and one on created_at for the leads'
daily notice, which reads one day's reports

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("returned_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column("return_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index("ix_report_returned_at", ["returned_at"], unique=False)
        batch_op.create_index("ix_report_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_index("ix_report_created_at")
        batch_op.drop_index("ix_report_returned_at")
        batch_op.drop_column("return_reason")
        batch_op.drop_column("returned_by")
        batch_op.drop_column("returned_at")
