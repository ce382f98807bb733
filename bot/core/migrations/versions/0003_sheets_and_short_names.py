"""The 督办单: document.short (the short name people use in chat, as in 「成果转化 1.2」), sheet (what one
recipient was sent at one send moment), sheet_item (each planned item once), outbox.sheet_id

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.add_column(sa.Column("short", sa.String(length=40), nullable=True))
    op.create_table(
        "sheet_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sheet",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=80), nullable=False, unique=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sheet_unit_id", "sheet", ["unit_id"])
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("sheet_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_outbox_sheet_id", "sheet", ["sheet_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_constraint("fk_outbox_sheet_id", type_="foreignkey")
        batch_op.drop_column("sheet_id")
    op.drop_index("ix_sheet_unit_id", "sheet")
    op.drop_table("sheet")
    op.drop_table("sheet_item")
    with op.batch_alter_table("document") as batch_op:
        batch_op.drop_column("short")
