"""toast_lz4: the large columns the minute tick and the digests write are compressed with lz4 on PostgreSQL.

A Monday send moment writes about 2 million characters of 督办单 into `outbox.text`, 3.5 MB of sheet items
into `sheet.items` and a 50,000-state snapshot into `digest_run.snapshot`; PostgreSQL's default compression
(pglz) spent about 50 ms of the tick's transaction on the outbox alone, lz4 a fifth of that (measured with a
copy of the rows; issue 23's 1 s budget). lz4 exists from PostgreSQL 14 when the server was built with it
(Debian's and the PGDG packages are): a server without it keeps pglz, which is what `enumvals` of
`default_toast_compression` tells. Values already stored keep their compression until rewritten. SQLite has
no such setting: nothing to do there.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COLUMNS = (("outbox", "text"), ("outbox", "reply_markup"), ("sheet", "items"), ("digest_run", "snapshot"))


def _has_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(
        sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return bool(found)


def upgrade() -> None:
    if _has_lz4():
        for table, column in COLUMNS:
            op.execute(sa.text(f'ALTER TABLE {table} ALTER COLUMN "{column}" SET COMPRESSION lz4'))


def downgrade() -> None:
    if _has_lz4():
        for table, column in COLUMNS:
            op.execute(sa.text(f'ALTER TABLE {table} ALTER COLUMN "{column}" SET COMPRESSION default'))
