"""Button data (callback_data): the one codec of every button the bot puts under a message, `kind:id[:option]`.

Every button carries only ids, never a permission: the handler looks the id up and checks that the
pressing chat (or user) may act on it, so forged data gets nothing but a refusal in the audit log.
Each is well under Telegram's 64 bytes.

The prompts' status buttons (`rp:<assignment>:<action>`, bot/render/prompts.py) had a codec of their own; it is
this one now, and it reads the same bytes, so the buttons already under users' messages keep working.

Ids are read with `parse_id`: ASCII digits only and a bound. `str.isdigit()` is true for ² and for
Arabic-Indic digits (`rp:١:done` was assignment 1), and `\\d` in a regular expression matches every
Unicode digit; an id past the column's range raised OverflowError in SQLite and an out-of-range error in
PostgreSQL. Anything else is "not ours", which the handlers answer as a stale button.
"""

from __future__ import annotations

import re
from typing import Any

REPORT = "rp"  # rp:<assignment id>:<action>  a prompt's status button (REPORT_ACTIONS)
CORRECT = "fx"  # fx:<assignment id>          更正: show the status buttons again
PICK = "pk"  # pk:<assignment id>          which task a free-text report is about
PART_PICK = "pp"  # pp:<assignment id>:<part>  which task one part of a several-task reply is about
EXTEND_DECIDE = "ex"  # ex:<request id>:ok|no       a coordinator approves or refuses an extension
EXTEND_REPORT = "er"  # er:<report id>              ask for the extension a report mentioned
BROADCAST = "bc"  # bc:<draft id>:ok|no         a coordinator confirms or cancels a broadcast
CLOSE = "cl"  # cl:<task id>[:ok|no]        a lead marks its task 办结 (asked first, then confirmed)
CARD = "sc"  # sc:<assignment id>          a 督办单's task button: open that task's report card
SHEET_PAGE = "sp"  # sp:<sheet id>:<page>        another page of a 督办单's task buttons
MYTASKS_PAGE = "mt"  # mt:<page from 1>            another page of /mytasks (of the pressing chat's unit)
OVERDUE_UNIT = "od"  # od:<unit id>                /overdue: one unit's overdue tasks
CHASE = "rm"  # rm:<draft id>:ok|no|re|sk    confirm a 催办 (re: again today; sk: skip those chased today) or cancel it
CHART = "ch"  # ch                           under a unit's weekly digest: its chart, as /chart sends it
RETURN = "rt"  # rt:<report id>[:no]          退回 a report (asks for the reason; no: 取消)
TARGET_VALUE = "tv"  # tv:<target value id>[:no]   更正 a target value: ask for the number; no: 不是这个指标
TARGET_PAGE = "tl"  # tl:<page from 1>            another page of /target (of the pressing chat or coordinator)
INVITE = "iv"  # iv:<unit id>[:ok]            /invite's which-unit question (ok: a group invite)
PICK_PAGE = "pg"  # pg:<page from 1>            another page of the 哪项任务 picker (the pressing chat's open tasks)
OVERDUE_PAGE = "op"  # op:<page from 1>            another page of /overdue's unit buttons (of the pressing chat)
KINDS = (
    REPORT,
    CORRECT,
    PICK,
    PART_PICK,
    EXTEND_DECIDE,
    EXTEND_REPORT,
    BROADCAST,
    CLOSE,
    CARD,
    SHEET_PAGE,
    MYTASKS_PAGE,
    OVERDUE_UNIT,
    CHASE,
    RETURN,
    TARGET_VALUE,
    TARGET_PAGE,
    PICK_PAGE,
    OVERDUE_PAGE,
    INVITE,
)
PAGED = (SHEET_PAGE, PART_PICK)  # their third part is a number (a page, a part), not ok|no
YES, NO, AGAIN, SKIP = "ok", "no", "re", "sk"
DONE, PROGRESS, BLOCKED, EXTEND = "done", "progress", "blocked", "extend"
REPORT_ACTIONS = (DONE, PROGRESS, BLOCKED, EXTEND)  # a prompt's buttons, in order (messages.BUTTONS: their labels)
OPTIONS = {REPORT: REPORT_ACTIONS, CHASE: (YES, NO, AGAIN, SKIP)}  # a kind's third part, when not ok|no

MAX_ID = 2**31 - 1  # the store's integer primary keys (PostgreSQL INTEGER)
MAX_USER_ID = 2**52  # Telegram: user ids have at most 52 significant bits
_ID = re.compile(r"[0-9]{1,19}")
ID_PATTERN = r"[0-9]{1,10}"  # for the handlers' routing patterns; parse() applies the bound


def parse_id(text: str | None, bound: int = MAX_ID) -> int | None:
    """A positive id written in ASCII digits, at most `bound`; None for anything else."""
    if text is None or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= bound else None


def pattern(kind: str, *, options: bool = False) -> str:
    """The routing pattern for `kind`'s buttons (a handler's CallbackQueryHandler): without the third part, or
    with one of the kind's options (ok|no unless OPTIONS says otherwise)."""
    return rf"^{kind}:{ID_PATTERN}" + (rf":(?:{'|'.join(OPTIONS.get(kind, (YES, NO)))})$" if options else "$")


def make(kind: str, *parts: int | str) -> str:
    return ":".join([kind, *(str(p) for p in parts)])


def parse(data: str | None) -> tuple[str, int, str | None] | None:
    """(kind, id, option) from button data, or None when it is not ours or malformed."""
    parts = (data or "").split(":")
    if len(parts) not in (2, 3) or parts[0] not in KINDS:
        return None
    ident = parse_id(parts[1])
    option = parts[2] if len(parts) == 3 else None
    if ident is None or not _option_fits(parts[0], option):
        return None
    return parts[0], ident, option


def _option_fits(kind: str, option: str | None) -> bool:
    """Whether `option` may follow `kind`'s id: a prompt's button needs its action; any other kind takes none,
    ok|no, one of its OPTIONS, or (PAGED) a number of up to three ASCII digits."""
    if kind == REPORT:
        return option in REPORT_ACTIONS
    if option is None or option in OPTIONS.get(kind, (YES, NO)):
        return True
    return kind in PAGED and option.isdigit() and option.isascii() and len(option) < 4


def button(text: str, data: str) -> dict[str, Any]:
    return {"text": text, "callback_data": data}


MAX_BUTTONS = 100  # Telegram refuses a message whose keyboard has more (「reply markup is too long」)


def keyboard(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bot API InlineKeyboardMarkup as JSON (what the outbox stores and PTB's de_json reads). Never more than
    MAX_BUTTONS: lists page (◀ ▶) well below it; this cut is the last guard, so that a message is never
    refused whole for its keyboard."""
    kept, left = [], MAX_BUTTONS
    for row in rows:
        if row and left > 0:
            kept.append(row[:left])
            left -= len(kept[-1])
    return {"inline_keyboard": kept}
