"""store_change: per document, the store counter's value when a row that feeds its digest rows last changed.

A coordinator's /digest after any report read the whole store again (50,000 assignments) because the one
counter of 0012 says only that something changed. With this table the digest keeps each document's share
and reads again only the documents changed since (bot/store/versioned.kept_by_document): the cost grows with
what changed, not with the store (issue 23). The same triggers as 0012 fill it, so every writer counts:
an assignment notes its task's document, a task its document, a document itself; a unit renamed or deleted
notes '*' (its name is in every document's rows). A report notes nothing: what it changes is its assignment.

One row per document (its newest value), not a log: nothing to prune. A note carries the counter as the
change's own bump left it, so a reader asks for the documents noted after the counter it kept: a change it
had not seen was noted above it.

On PostgreSQL the noting is done by 0012's deferred function at commit, after its bump of store_version: that
row's lock is taken first and held to the commit, so the store_change rows are only ever locked by a
transaction that holds it — writers queue, they do not deadlock. A transaction notes a document once (and
looks up a task's document once for its run of assignments). SQLite has one writer at a time: its row
triggers on the four tables become one trigger each that bumps and then notes, in that order (two triggers
on one event fire in an order SQLite does not promise).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

EVERY_DOCUMENT = "*"
VERSION = "(SELECT version FROM store_version WHERE id = 1)"

PG_NOTE = """
CREATE OR REPLACE FUNCTION store_change_note(changed text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF changed IS NULL
        OR current_setting('taskbot.store_noted', true) = txid_current()::text || ':' || changed THEN
        RETURN;
    END IF;
    PERFORM set_config('taskbot.store_noted', txid_current()::text || ':' || changed, true);
    INSERT INTO store_change (document_id, version) VALUES (changed, (SELECT version FROM store_version WHERE id = 1))
    ON CONFLICT (document_id) DO UPDATE SET version = EXCLUDED.version;
END $$
"""

PG_TASK_DOCUMENT = """
CREATE OR REPLACE FUNCTION store_change_task(changed_task integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('taskbot.store_noted_task', true) = txid_current()::text || ':' || changed_task THEN
        RETURN;
    END IF;
    PERFORM set_config('taskbot.store_noted_task', txid_current()::text || ':' || changed_task, true);
    PERFORM store_change_note((SELECT document_id FROM task WHERE id = changed_task));
END $$
"""

_BUMP_ONCE = """
CREATE OR REPLACE FUNCTION store_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('taskbot.store_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('taskbot.store_bumped', txid_current()::text, true);
        UPDATE store_version SET version = version + 1;
    END IF;
"""
_NOTE_ROW = """
    IF TG_TABLE_NAME = 'assignment' THEN
        IF TG_OP <> 'INSERT' THEN PERFORM store_change_task(OLD.task_id); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM store_change_task(NEW.task_id); END IF;
    ELSIF TG_TABLE_NAME = 'task' THEN
        IF TG_OP <> 'INSERT' THEN PERFORM store_change_note(OLD.document_id); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM store_change_note(NEW.document_id); END IF;
    ELSIF TG_TABLE_NAME = 'document' THEN
        IF TG_OP <> 'INSERT' THEN PERFORM store_change_note(OLD.id); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM store_change_note(NEW.id); END IF;
    ELSIF TG_TABLE_NAME = 'unit' AND TG_OP = 'DELETE' THEN
        PERFORM store_change_note('*');
    ELSIF TG_TABLE_NAME = 'unit' AND TG_OP = 'UPDATE' THEN
        IF OLD.name IS DISTINCT FROM NEW.name THEN PERFORM store_change_note('*'); END IF;
    END IF;
"""
_END = """
    RETURN NULL;
END $$
"""
PG_BUMP = _BUMP_ONCE + _NOTE_ROW + _END
PG_BUMP_0012 = _BUMP_ONCE + _END  # 0012's function, for the downgrade


def _note(documents: str) -> str:
    """A SQLite trigger body's statement noting `documents` (a SELECT of one column named d)."""
    return (
        f"INSERT OR REPLACE INTO store_change (document_id, version) SELECT d, {VERSION} FROM ({documents}) "
        "WHERE d IS NOT NULL"
    )


SQLITE_TRIGGERS = {
    "assignment_insert": ("AFTER INSERT ON assignment", "SELECT document_id AS d FROM task WHERE id = NEW.task_id"),
    "assignment_update": (
        "AFTER UPDATE ON assignment",
        "SELECT document_id AS d FROM task WHERE id IN (OLD.task_id, NEW.task_id)",
    ),
    "assignment_delete": ("AFTER DELETE ON assignment", "SELECT document_id AS d FROM task WHERE id = OLD.task_id"),
    "task_insert": ("AFTER INSERT ON task", "SELECT NEW.document_id AS d"),
    "task_update": ("AFTER UPDATE ON task", "SELECT OLD.document_id AS d UNION SELECT NEW.document_id"),
    "task_delete": ("AFTER DELETE ON task", "SELECT OLD.document_id AS d"),
    "document_insert": ("AFTER INSERT ON document", "SELECT NEW.id AS d"),
    "document_update": ("AFTER UPDATE ON document", "SELECT OLD.id AS d UNION SELECT NEW.id"),
    "document_delete": ("AFTER DELETE ON document", "SELECT OLD.id AS d"),
    "unit_update": ("AFTER UPDATE OF name ON unit WHEN OLD.name IS NOT NEW.name", f"SELECT '{EVERY_DOCUMENT}' AS d"),
    "unit_delete": ("AFTER DELETE ON unit", f"SELECT '{EVERY_DOCUMENT}' AS d"),
}


SQLITE_BUMP = "UPDATE store_version SET version = version + 1"


def upgrade() -> None:
    op.create_table(
        "store_change",
        sa.Column("document_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index("ix_store_change_version", "store_change", ["version"])
    if op.get_bind().dialect.name == "postgresql":
        for function in (PG_NOTE, PG_TASK_DOCUMENT, PG_BUMP):
            op.execute(sa.text(function))
        return
    for name in SQLITE_TRIGGERS:
        op.execute(sa.text(f"DROP TRIGGER IF EXISTS store_version_{name}"))  # 0012's, bumped alone
    for name, (event, documents) in SQLITE_TRIGGERS.items():
        op.execute(sa.text(f"CREATE TRIGGER store_change_{name} {event} BEGIN {SQLITE_BUMP}; {_note(documents)}; END"))
    # 0012's unit insert stays; a unit's update of another column than its name still moves the counter
    op.execute(sa.text(f"CREATE TRIGGER store_version_unit_update AFTER UPDATE ON unit BEGIN {SQLITE_BUMP}; END"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(PG_BUMP_0012))
        op.execute(sa.text("DROP FUNCTION IF EXISTS store_change_task(integer)"))
        op.execute(sa.text("DROP FUNCTION IF EXISTS store_change_note(text)"))
    else:
        op.execute(sa.text("DROP TRIGGER IF EXISTS store_version_unit_update"))
        for name, (event, _) in SQLITE_TRIGGERS.items():
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS store_change_{name}"))
            plain = event.split(" WHEN ")[0].replace(" OF name", "")
            op.execute(sa.text(f"CREATE TRIGGER store_version_{name} {plain} BEGIN {SQLITE_BUMP}; END"))
    op.drop_index("ix_store_change_version", table_name="store_change")
    op.drop_table("store_change")
