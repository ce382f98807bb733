"""PostgreSQL for benchmarks: a fresh schema per store, dropped afterwards; a printed skip when away."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable

import psycopg

from bot.core import db

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres() -> tuple[Callable[[str], str], Callable[[], None]] | None:
    """(make_url(label) → a URL on a fresh schema, drop_all()), or None (printed) when PostgreSQL is away."""
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, connect_timeout=3):
            pass
    except psycopg.Error as exc:
        print(f"[postgresql] skipped: {db.redact(PG_URL)} does not answer ({str(exc).strip()[:120]})")
        return None
    schemas: dict[str, str] = {}
    sep = "&" if "?" in PG_URL else "?"

    def make(label: str) -> str:
        if label not in schemas:
            schemas[label] = f"bench_{secrets.token_hex(4)}"
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schemas[label]}"')
        return f"{PG_URL}{sep}options=-csearch_path%3D{schemas[label]}"

    def drop_all() -> None:
        with psycopg.connect(plain, autocommit=True) as conn:
            for schema in schemas.values():
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return make, drop_all
