"""A fake Bot API server for sender tests: a real HTTP server on 127.0.0.1 that answers like Telegram.

Behaviour per chat id is scripted: answer normally, 403 (blocked), 429 with retry_after (a number of
times), 400 with migrate_to_chat_id, 400 "message is too long", 502 from a proxy in front of it, hang
longer than the client waits, or deliver and answer with a field python-telegram-bot cannot parse (`garble`:
`link_preview_options` as a string, which raises TypeError inside Message.de_json).
It records every sendMessage it received, so a test can count deliveries, and every sendPhoto and
sendDocument with it (multipart/form-data, as python-telegram-bot uploads a file: the file is in the params
under `photo` / `document` as {"filename", "content"}, the caption under `caption`), scripted per chat alike.

Optionally (`Script.limit`, off by default) it enforces Telegram's flood limits as a sliding window:
at most `overall` messages accepted in any `window` seconds, and `per_chat` per chat; a message beyond
either is answered 429 with retry_after (whole seconds, at least 1) and counted in `Script.rate_limited`.

For tests that run the real bot (`taskbot run`) against it, as a process of its own that can be stopped
and started again on the same port (tests/reliability/):

    python -m tests.support.fakebotapi --port P --record FILE

prints `listening P` once it accepts connections (`--limit`: with the flood limits; `GET /control/stats`
tells how many 429s they drew and how many messages were accepted), appends every delivered message to
FILE as a JSON line
(`chat_id`, `text`, `message_id`, `reply_markup`, `at`) — message ids go on from the lines FILE already
holds, so they stay unique across restarts; `--answer-delay S` answers S seconds after recording, so a
client killed in between had a message in flight — and answers getUpdates: `POST /control/updates` with a JSON
list of updates (each without `update_id`, which the server assigns) queues them; getUpdates returns those
at or after its `offset`, or waits up to `Script.poll_wait` seconds (long polling, capped) and returns [].
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs


@dataclass
class RateLimit:
    """Telegram's broadcast limits: ~30 messages a second overall, one a second per chat."""

    overall: int = 30
    per_chat: int = 1
    window: float = 1.0


@dataclass
class Script:
    forbidden: set[int] = field(default_factory=set)
    throttle: dict[int, int] = field(default_factory=dict)  # chat → how many 429s before success
    retry_after: int = 2
    migrate: dict[int, int] = field(default_factory=dict)  # old chat → new chat
    hang: dict[int, int] = field(default_factory=dict)  # chat → how many hangs before success
    hang_seconds: float = 1.5
    bad_gateway: dict[int | str, int] = field(default_factory=dict)  # chat or method → how many 502s (a proxy)
    garble: set[int] = field(default_factory=set)  # chats whose sendMessage answer PTB cannot parse
    garble_body: set[int] = field(default_factory=set)  # chats whose sendMessage answer is 200, not JSON
    received: list[dict[str, Any]] = field(default_factory=list)
    other_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # every other method but polling
    lock: threading.Lock = field(default_factory=threading.Lock)
    limit: RateLimit | None = None  # None: no flood limits (the default)
    rate_limited: int = 0  # 429s answered because of `limit`
    accepted_at: deque[float] = field(default_factory=deque)  # monotonic times of accepted messages
    chat_accepted_at: dict[int, deque[float]] = field(default_factory=dict)
    record: Path | None = None  # append each delivered message here (JSON lines)
    first_message_id: int = 1  # ids go on from an earlier run's record
    updates: list[dict[str, Any]] = field(default_factory=list)  # queued for getUpdates, oldest first
    next_update_id: int = 1
    poll_wait: float = 1.0  # longest getUpdates wait, whatever it asks
    answer_delay: float = 0.0  # sendMessage: answer this long after recording
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def push_updates(self, updates: list[dict[str, Any]]) -> None:
        """Queue updates for getUpdates, numbering them."""
        with self.arrived:
            for update in updates:
                self.updates.append({**update, "update_id": self.next_update_id})
                self.next_update_id += 1
            self.arrived.notify_all()

    def take_updates(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """getUpdates: forget what is below `offset` (confirmed), return what is left, waiting up to `wait`."""
        deadline = time.monotonic() + wait
        with self.arrived:
            while True:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                left = deadline - time.monotonic()
                if self.updates or left <= 0:
                    return self.updates[:limit]
                self.arrived.wait(left)


def _over_limit(script: Script, chat: int, now: float) -> float | None:
    """Seconds until this chat may be sent to again, if a message now would break `script.limit`; records
    the message as accepted otherwise. Call with the lock held."""
    limit = script.limit
    if limit is None:
        return None
    horizon = now - limit.window
    overall, mine = script.accepted_at, script.chat_accepted_at.setdefault(chat, deque())
    for times in (overall, mine):
        while times and times[0] <= horizon:
            times.popleft()
    waits = [
        times[-cap] + limit.window - now
        for times, cap in ((overall, limit.overall), (mine, limit.per_chat))
        if len(times) >= cap
    ]
    if waits:
        return max(waits)
    overall.append(now)
    mine.append(now)
    return None


class FakeBotApi:
    def __init__(self, port: int = 0, record: Path | None = None) -> None:
        self.script = Script(record=record)
        if record is not None and record.exists():
            with record.open(encoding="utf-8") as lines:
                self.script.first_message_id = 1 + sum(1 for _ in lines)
        script = self.script

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/control/stats"):  # for a test that runs this server as a process
                    with script.lock:
                        self.answer(200, {"rate_limited": script.rate_limited, "received": len(script.received)})
                    return
                self.answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("multipart/form-data"):
                    params = _form_data(kind, body)
                else:
                    raw = body.decode()
                    params = json.loads(raw) if "json" in kind else {k: v[0] for k, v in parse_qs(raw).items()}
                if self.path.startswith("/control/updates"):
                    script.push_updates(params if isinstance(params, list) else [params])
                    self.answer(200, {"ok": True, "result": len(script.updates)})
                    return
                method = self.path.rsplit("/", 1)[-1]
                self.answer(*respond(script, method, params))

            def answer(self, status: int, body: dict[str, Any] | None) -> None:
                """`body` None: a proxy's own error page instead of the Bot API's JSON."""
                data = json.dumps(body).encode() if body is not None else PROXY_PAGE
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if body is not None else "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def __enter__(self) -> FakeBotApi:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


PROXY_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
    b"<hr><center>nginx</center></body></html>"
)


def _form_data(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart/form-data body as params: a field as its text, a file as {"filename", "content"}."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        params[str(name)] = {"filename": filename, "content": payload} if filename else payload.decode()
    return params


FILE_METHODS = {"sendPhoto": "photo", "sendDocument": "document"}
CAPTION_LIMIT = 1024


def _length(params: dict[str, Any], field: str = "text") -> int:
    """The text's length as Telegram counts it: after parsing HTML entities, in UTF-16 code units."""
    text = params.get(field, "")
    if params.get("parse_mode") == "HTML":
        text = html.unescape(re.sub(r"<[^<>]*>", "", text))
    return len(text.encode("utf-16-le")) // 2


MAX_BUTTONS = 100  # Telegram refuses an inline keyboard of more buttons


def _buttons(params: dict[str, Any]) -> int:
    """How many buttons the message's inline keyboard has."""
    markup = params.get("reply_markup")
    markup = json.loads(markup) if isinstance(markup, str) else markup or {}
    return sum(len(row) for row in markup.get("inline_keyboard", []))


def respond(script: Script, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """(HTTP status, JSON body; None: a proxy's page) for one Bot API call, as `script` says: the calls that
    send nothing, then a chat's scripted answer (hang, 502, 403, 429, migration), what Telegram refuses to take,
    the flood limits, and the delivery."""
    answered = _not_a_send(script, method, params)
    if answered is not None:
        return answered
    chat = int(params["chat_id"])
    with script.lock:
        hang = _take_one(script.hang, chat)
    if hang:
        time.sleep(script.hang_seconds)
        return 200, {"ok": False, "error_code": 500, "description": "too late"}
    with script.lock:
        refused = _scripted(script, chat) or _refused(params) or _flooded(script, chat)
        if refused is not None:
            return refused
        message_id = _deliver(script, chat, params)
    if script.answer_delay:  # delivered, not yet confirmed: a client killed now has a message in flight
        time.sleep(script.answer_delay)
    return _sent(script, method, chat, params, message_id)


def _not_a_send(script: Script, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any] | None] | None:
    """The answer to a call that sends no message (getMe, getUpdates, …) or that a proxy refuses by method; None
    for sendMessage, sendPhoto and sendDocument."""
    if method == "getMe":
        return 200, {
            "ok": True,
            "result": {"id": 42, "is_bot": True, "first_name": "taskbot", "username": "taskbot_test_bot"},
        }
    if method == "getUpdates":
        wait = min(float(params.get("timeout") or 0), script.poll_wait)
        updates = script.take_updates(int(params.get("offset") or 0), int(params.get("limit") or 100), wait)
        return 200, {"ok": True, "result": updates}
    if method == "getMyCommands":
        return 200, {"ok": True, "result": []}
    with script.lock:
        if _take_one(script.bad_gateway, method):
            return 502, None
    if method != "sendMessage" and method not in FILE_METHODS:
        with script.lock:
            script.other_calls.append((method, params))
        return 200, {"ok": True, "result": True}
    return None


def _take_one(counts: dict[Any, int], key: int | str) -> bool:
    """Whether `key` has one of its scripted answers left, taking it. Call with the lock held."""
    if counts.get(key, 0) > 0:
        counts[key] -= 1
        return True
    return False


def _error(code: int, description: str, **parameters: int) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    return code, {**body, "parameters": parameters} if parameters else body


def _scripted(script: Script, chat: int) -> tuple[int, dict[str, Any] | None] | None:
    """The chat's scripted answer: a proxy's 502, blocked (403), throttled (429), migrated (400). Lock held."""
    if _take_one(script.bad_gateway, chat):
        return 502, None
    if chat in script.forbidden:
        return _error(403, "Forbidden: bot was blocked by the user")
    if _take_one(script.throttle, chat):
        retry = script.retry_after
        return _error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
    if chat in script.migrate:
        description = "Bad Request: group chat was upgraded to a supergroup chat"
        return _error(400, description, migrate_to_chat_id=script.migrate[chat])
    return None


_TOO_LARGE = (  # what Telegram refuses to take, and its answer
    (lambda params: _length(params) > 4096, "Bad Request: message is too long"),
    (lambda params: _buttons(params) > MAX_BUTTONS, "Bad Request: reply markup is too long"),
    (lambda params: _length(params, "caption") > CAPTION_LIMIT, "Bad Request: message caption is too long"),
)


def _refused(params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    return next((_error(400, why) for too_large, why in _TOO_LARGE if too_large(params)), None)


def _flooded(script: Script, chat: int) -> tuple[int, dict[str, Any]] | None:
    """429 beyond the flood limits (`script.limit`), counted in `rate_limited`. Lock held."""
    wait = _over_limit(script, chat, time.monotonic())
    if wait is None:
        return None
    script.rate_limited += 1
    retry = max(1, math.ceil(wait))
    return _error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)


def _deliver(script: Script, chat: int, params: dict[str, Any]) -> int:
    """Record the message (and append it to the record file): its message id. Lock held."""
    script.received.append(params)
    message_id = script.first_message_id + len(script.received) - 1
    if script.record is not None:
        markup = params.get("reply_markup")
        line = {
            "chat_id": chat,
            "text": params.get("text", params.get("caption", "")),
            "message_id": message_id,
            "reply_markup": json.loads(markup) if isinstance(markup, str) else markup,
            "at": time.time(),
        }
        with script.record.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return message_id


def _sent(
    script: Script, method: str, chat: int, params: dict[str, Any], message_id: int
) -> tuple[int, dict[str, Any] | None]:
    """Telegram's answer to a delivered message: the Message, garbled or replaced as the chat is scripted."""
    sent = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
        "text": params.get("text", ""),
    }
    if method in FILE_METHODS:
        sent = {**sent, **_file_message(method, params, message_id)}
    if chat in script.garble:  # delivered, and answered with a field of a form PTB does not expect
        sent["link_preview_options"] = "is_disabled"
    if chat in script.garble_body:  # delivered, and a proxy's page instead of the JSON answer
        return 200, None
    return 200, {"ok": True, "result": sent}


def _file_message(method: str, params: dict[str, Any], message_id: int) -> dict[str, Any]:
    """What Telegram answers a sendPhoto / sendDocument with, instead of a text."""
    upload = params.get(FILE_METHODS[method]) or {}
    file_id = f"file{message_id}"
    fields: dict[str, Any] = {"text": None, "caption": params.get("caption", "")}
    if method == "sendPhoto":
        fields["photo"] = [{"file_id": file_id, "file_unique_id": file_id, "width": 1100, "height": 506}]
    else:
        fields["document"] = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": upload.get("filename"),
            "file_size": len(upload.get("content", b"")),
        }
    return {k: v for k, v in fields.items() if v is not None}


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.support.fakebotapi --port P --record FILE`: serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--record", type=Path, required=True, help="JSON lines file of delivered messages")
    parser.add_argument("--poll-wait", type=float, default=1.0, help="longest getUpdates wait, seconds")
    parser.add_argument(
        "--answer-delay", type=float, default=0.0, help="seconds between recording a sendMessage and answering it"
    )
    parser.add_argument("--limit", action="store_true", help="enforce Telegram's flood limits (30/s, 1/s a chat)")
    args = parser.parse_args(argv)
    api = FakeBotApi(port=args.port, record=args.record)
    api.script.poll_wait, api.script.answer_delay = args.poll_wait, args.answer_delay
    api.script.limit = RateLimit() if args.limit else None
    print(f"listening {api.server.server_address[1]}", flush=True)
    api.server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
