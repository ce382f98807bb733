"""Logging set-up with the bot token scrubbed from every record.

httpx logs each request URL at INFO and the Bot API URL contains the token (FIELD-NOTES), so httpx is
lowered to WARNING and, as a second line of defence, a filter on the root handlers replaces the token
wherever it appears in a formatted message or its arguments. A handler that fails is silent
(`logging.raiseExceptions = False`): its error report would print the exception being handled, unscrubbed.
"""

from __future__ import annotations

import logging
import re

from bot.core.settings import Settings

_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")


def scrub_token(text: str) -> str:
    """Anything shaped like a bot token (`<digits>:<30+ url-safe chars>`) replaced by `<token>`."""
    return _TOKEN_SHAPE.sub("<token>", text)


class RedactToken(logging.Filter):
    def __init__(self, token: str | None):
        super().__init__()
        self.token = token or None

    def scrub(self, text: str) -> str:
        if self.token:
            text = text.replace(self.token, "<token>")
        return scrub_token(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.scrub(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if clean != message:
            record.msg, record.args = clean, None
        return True


def setup_logging(settings: Settings) -> None:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    root = logging.getLogger()
    if not any(isinstance(f, RedactToken) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactToken(token))
        root.addHandler(handler)
    root.setLevel(settings.log_level)
    # A handler that cannot write (disk full, a closed stream) would otherwise print "--- Logging error ---"
    # to stderr with the traceback of the exception being handled when the record was logged: unscrubbed,
    # so an error whose message holds the token (an httpx URL) would reach the console and the journal.
    logging.raiseExceptions = False
    for noisy in ("httpx", "httpcore", "apscheduler.executors.default", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
