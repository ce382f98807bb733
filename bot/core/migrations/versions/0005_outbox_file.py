"""outbox_file (the bytes of a photo or document an outbox row sends, once per sha256) and outbox.file_id:
the weekly chart to the coordinators, the 台账 of /export

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("file_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_outbox_file_id", "outbox_file", ["file_id"], ["id"])
        batch_op.create_index("ix_outbox_file_id", ["file_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_file_id")
        batch_op.drop_constraint("fk_outbox_file_id", type_="foreignkey")
        batch_op.drop_column("file_id")
    op.drop_table("outbox_file")
