"""store_version: one row whose counter moves whenever a table the scheduler's snapshot reads changes.

The minute tick keeps its planner snapshot (50,000 assignments over 10,000 tasks) between ticks and reads
this counter to know whether the store changed since (scheduler/snapshot.cached_snapshot): a quiet minute
then costs one small read instead of rebuilding the snapshot (issue 23). Triggers move it, so every
writer — the bot, a second process, `taskbot import`, a hand-made UPDATE — invalidates the cache, and
the counter commits with the change it counts.

On PostgreSQL the triggers are deferred constraint triggers that bump the row once per transaction, at
commit: the row lock is taken last and held for the commit only, so concurrent writers neither wait on
it for their whole transaction nor deadlock on it. SQLite has one writer at a time; its triggers are
plain row triggers.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("document", "task", "unit", "assignment", "report")
EVENTS = ("INSERT", "UPDATE", "DELETE")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION store_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('taskbot.store_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('taskbot.store_bumped', txid_current()::text, true);
        UPDATE store_version SET version = version + 1;
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "store_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(sa.text("INSERT INTO store_version (id, version) VALUES (1, 0)"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(PG_FUNCTION))
        for table in TABLES:
            op.execute(sa.text(
                f"CREATE CONSTRAINT TRIGGER store_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION store_version_bump()"))
        return
    for table in TABLES:
        for event in EVENTS:
            op.execute(sa.text(
                f"CREATE TRIGGER store_version_{table}_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE store_version SET version = version + 1; END"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS store_version_{table} ON {table}"))
        op.execute(sa.text("DROP FUNCTION IF EXISTS store_version_bump()"))
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(sa.text(f"DROP TRIGGER IF EXISTS store_version_{table}_{event.lower()}"))
    op.drop_table("store_version")
