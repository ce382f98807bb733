"""outbox.parts_sent: how many parts of a split message went out, so a retry resumes after them;
report.chat_id and report.user_id as BIGINT (supergroup ids and newer user ids exceed 32 bits)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("report") as batch_op:
        batch_op.alter_column("chat_id", type_=sa.BigInteger(), existing_nullable=True)
        batch_op.alter_column("user_id", type_=sa.BigInteger(), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.alter_column("chat_id", type_=sa.Integer(), existing_nullable=True)
        batch_op.alter_column("user_id", type_=sa.Integer(), existing_nullable=True)
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("parts_sent")
