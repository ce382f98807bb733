"""digest_run: one row per (period, audience). The tick checks the week's runs before it builds and, on
PostgreSQL, two processes take an advisory lock; the unique index makes a doubled digest impossible
whatever the backend — a second insert is ignored (db.insert_new). Rows doubled before (the bug that the
lock fixed) are reduced to the first of each pair.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text(
        "DELETE FROM digest_run WHERE id NOT IN "
        "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM digest_run GROUP BY period, audience) AS firsts)"))
    op.create_index("ux_digest_run_period_audience", "digest_run", ["period", "audience"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_digest_run_period_audience", table_name="digest_run")
