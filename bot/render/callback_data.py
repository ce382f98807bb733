"""Button data (callback_data) other than the prompts' `rp:<assignment>:<action>` (bot/prompts.py).

Every button carries only ids, never a permission: the handler looks the id up and checks that the
pressing chat (or user) may act on it, so forged data gets nothing but a refusal in the audit log.
Each is well under Telegram's 64 bytes.
"""

from __future__ import annotations

from typing import Any

CORRECT = "fx"           # fx:<assignment id>          更正: show the status buttons again
PICK = "pk"              # pk:<assignment id>          which task a free-text report is about
EXTEND_DECIDE = "ex"     # ex:<request id>:ok|no       a coordinator approves or refuses an extension
EXTEND_REPORT = "er"     # er:<report id>              ask for the extension a report mentioned
BROADCAST = "bc"         # bc:<draft id>:ok|no         a coordinator confirms or cancels a broadcast
CLOSE = "cl"             # cl:<task id>                a lead marks its task 办结
CARD = "sc"              # sc:<assignment id>          a 督办单's task button: open that task's report card
SHEET_PAGE = "sp"        # sp:<sheet id>:<page>        another page of a 督办单's task buttons
MYTASKS_PAGE = "mt"      # mt:<page>                   another page of /mytasks (of the pressing chat's unit)
OVERDUE_UNIT = "od"      # od:<unit id>                /overdue: one unit's overdue tasks
CHASE = "rm"             # rm:<draft id>:ok|no|re       confirm a 催办 (re: again today) or cancel it
KINDS = (CORRECT, PICK, EXTEND_DECIDE, EXTEND_REPORT, BROADCAST, CLOSE, CARD, SHEET_PAGE, MYTASKS_PAGE, OVERDUE_UNIT,
         CHASE)
YES, NO, AGAIN = "ok", "no", "re"


def make(kind: str, *parts: int | str) -> str:
    return ":".join([kind, *(str(p) for p in parts)])


def parse(data: str | None) -> tuple[str, int, str | None] | None:
    """(kind, id, option) from button data, or None when it is not ours or malformed."""
    parts = (data or "").split(":")
    if len(parts) not in (2, 3) or parts[0] not in KINDS or not parts[1].isdigit():
        return None
    option = parts[2] if len(parts) == 3 else None
    again = parts[0] == CHASE and option == AGAIN
    if option not in (None, YES, NO) and not again and not (parts[0] == SHEET_PAGE and option.isdigit()
                                                            and len(option) < 4):
        return None
    return parts[0], int(parts[1]), option


def button(text: str, data: str) -> dict[str, Any]:
    return {"text": text, "callback_data": data}


def keyboard(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bot API InlineKeyboardMarkup as JSON (what the outbox stores and PTB's de_json reads)."""
    return {"inline_keyboard": [row for row in rows if row]}
