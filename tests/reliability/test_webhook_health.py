"""`taskbot run --webhook` as a process: /healthz answers without the secret and tells nothing private;
the update path keeps Telegram's rules (the secret header, JSON) and the bot answers what comes in."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.core import db
from tests.reliability.conftest import FakeApi, bind_chats, free_port, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SECRET = "webhook-secret-of-the-test"


def _help(chat: int, update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "联络员"},
            "from": {"id": chat, "is_bot": False, "first_name": "联络员"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def _seed(url: str) -> list[int]:
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        return await bind_chats(engine, 3)
    finally:
        await engine.dispose()


def _get(port: int) -> httpx.Response | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    except httpx.TransportError:
        return None


async def test_healthz_and_the_update_path(tmp_path: Path, api: FakeApi, bot_factory) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    chats = await _seed(url)
    port = free_port()
    bot = bot_factory(
        url,
        args=("--webhook", "https://bot.example.org/tg/hook", "--listen", f"127.0.0.1:{port}"),
        env={"TELEGRAM_WEBHOOK_SECRET": SECRET},
    )
    bot.start()
    bot.wait_up()
    first = wait_for(lambda: _get(port), 30, "/healthz to answer")
    # the first tick runs 5 s after the start: until then the tick check fails, and the balancer hears 503
    ready = wait_for(
        lambda: (r := _get(port)) is not None and r.status_code == 200 and r,
        30,
        "/healthz to say 200 once the scheduler ticked",
    )
    body = ready.json()
    print(f"\n[/healthz] first {first.status_code} {first.json()['status']}, then {ready.status_code}: {body}")
    assert body["status"] in ("ok", "warn") and body["checks"]["tick"]["level"] == "ok"
    assert set(body["checks"]) == {"tick", "outbox", "failed", "blocked", "calendar", "schema"}
    assert all(set(check) == {"level", "value"} for check in body["checks"].values())  # no detail lines
    assert SECRET not in ready.text and "taskbot.db" not in ready.text and "单位" not in ready.text
    assert httpx.head(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200

    hook = f"http://127.0.0.1:{port}/tg/hook"
    update = _help(chats[0], 1)
    assert httpx.post(hook, json=update, timeout=5).status_code == 403  # no secret
    assert (
        httpx.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}, timeout=5).status_code
        == 403
    )
    assert (
        httpx.post(
            hook,
            content="{}",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "text/plain"},
            timeout=5,
        ).status_code
        == 403
    )
    assert (
        httpx.post(
            hook,
            content="not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
            timeout=5,
        ).status_code
        == 400
    )
    assert httpx.get(hook, timeout=5).status_code == 405
    assert not [d for d in api.deliveries() if d["chat_id"] == chats[0]]  # none of those got in
    answered = httpx.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=5)
    assert answered.status_code == 200
    wait_for(lambda: [d for d in api.deliveries() if d["chat_id"] == chats[0]], 15, "the answer to /help")
    assert bot.stop() == 0
    assert "Traceback" not in bot.log_text()
