"""document.origin: whether a document came with a whole import of the tasks file or on its own (the web
review of an extraction), so that a later whole `taskbot import` archives only what the file left, not the
documents a coordinator imported from the web since (they were archived with their tasks before: the file did
not hold them). A document stored before this revision counts as the file's, as it was treated.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="tasks_file")
        )


def downgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.drop_column("origin")
