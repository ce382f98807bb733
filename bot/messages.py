"""Every user-facing Chinese text, in one place (the message catalogue).

Handlers, the digest and the CLI's Chinese tables take their words from here, so wording is changed
once and reviewed once.
"""

from __future__ import annotations

from bot.models import BLOCKED, DONE, IN_PROGRESS, PENDING

STATUS_LABELS = {
    PENDING: "未报告",
    IN_PROGRESS: "进行中",
    BLOCKED: "受阻",
    DONE: "已完成",
}

ROLE_LABELS = {"lead": "牵头", "responsible": "责任"}
