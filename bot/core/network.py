"""Whether a Telegram error means the Bot API could not be reached at all (shared by scheduler/ and handlers/).

python-telegram-bot raises `NetworkError("httpx.ConnectError: …") from` the httpx exception when no HTTP
answer came back (connection refused or reset, DNS, a proxy), and `TimedOut from httpx.ConnectTimeout`
or `PoolTimeout` when the request never left. Such a failure is not the message's or the update's fault:
the sender keeps the message queued as it was, and the error handler logs one line, not a traceback.
A read timeout is not counted here: the request may have reached Telegram.

A 502 Bad Gateway or 503 Service Unavailable — from a proxy in front of the Bot API (an office's outbound
proxy, nginx before a self-hosted telegram-bot-api) or from Telegram's own front end — says the same: the
request got no further. PTB gives no status code, only the message, which starts with the HTTP phrase
(or is Telegram's description, the same phrase). Counted as attempts, an hour of a proxy's 502s would fail
every queued message. A 504 Gateway Timeout is not counted: the request may have gone through.
"""

from __future__ import annotations

import datetime as dt
import warnings

import httpx
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning


def unreachable(exc: BaseException) -> bool:
    if not isinstance(exc, TelegramError):
        return False
    cause = exc.__cause__
    if isinstance(exc, TimedOut):
        return isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)
    if type(exc) is NetworkError and exc.message.startswith(_GATEWAY_FAILED):
        return True
    return isinstance(exc, NetworkError) and isinstance(cause, httpx.TransportError)


_GATEWAY_FAILED = ("Bad Gateway", "Service Unavailable")


def retry_delay(exc: RetryAfter) -> dt.timedelta:
    """How long a 429 asks to wait."""
    with warnings.catch_warnings():  # PTB 22.2+ warns that the int will become a timedelta: take either
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=value)
