"""一键催办 on the 看板: the target chosen in a form, a preview of the units and items it reaches (kept as the
chat's draft, bot/chat/chase.py `draft`), then 确认发送 or 取消 (`confirm`, with the draft's id): what is sent
is what was shown, only the coordinator who drafted it can send it, a second submit does nothing, and a unit
chased today already is sent to again only when asked. Coordinators only, as /remind."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.chat import chase, chase_targets
from bot.chat.web_access import Viewer
from bot.core.vocab import ChaseOutcome, ChaseTarget
from bot.render import messages as m
from bot.web.app import action, forbidden, message, page, render, web_of

MAX_NOTE = 500


@page
async def chase_form(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "chase", "-")
    return render(request, "chase.html", viewer=viewer, kinds=m.WEB_CHASE_KINDS, preview=None)


def _field(request: Request, name: str) -> str:
    return str(request.state.form.get(name) or "").strip()


@action
async def chase_preview(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """The target → the preview and its draft (nothing is sent yet)."""
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "chase", "-")
    kind = _field(request, "kind")
    if kind not in set(ChaseTarget):
        return message(request, m.WEB["bad_form"], 400, viewer)
    spec, _ = chase_targets.parse(f"{kind} {_field(request, 'argument')}")
    if not isinstance(spec, chase_targets.ChaseSpec):
        return message(request, m.CHASE_TARGET_USAGE[ChaseTarget(kind)], 400, viewer)
    web = web_of(request)
    preview = await chase.preview(session, spec, now=web.now(), tz=web.settings.tz)
    if isinstance(preview, chase.Refused):
        return message(request, Markup(preview.text), 400, viewer)  # the catalogue's text, its names escaped
    draft_id = await chase.draft(session, preview, actor=viewer.actor, note=_field(request, "note")[:MAX_NOTE])
    return render(
        request,
        "chase.html",
        viewer=viewer,
        kinds=m.WEB_CHASE_KINDS,
        preview=preview,
        label=Markup(preview.label),  # CHASE_TARGET_LABELS with the name escaped
        draft_id=draft_id,
    )


@action
async def chase_confirm(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "chase", request.path_params["draft_id"])
    web = web_of(request)
    result = await chase.confirm(
        session,
        draft_id=request.path_params["draft_id"],
        actor=viewer.actor,
        send=_field(request, "send") == "1",
        again=_field(request, "again") == "1",
        now=web.now(),
        tz=web.settings.tz,
    )
    if result.outcome == ChaseOutcome.QUEUED:
        return message(request, m.WEB["chase_sent"].format(units=len(result.units), chats=result.chats), 200, viewer)
    text = m.WEB_CHASE_OUTCOMES[result.outcome].format(units="、".join(result.units))
    return message(request, text, 409 if result.outcome != ChaseOutcome.CANCELLED else 200, viewer)


ROUTES = [
    Route("/chase", chase_form, methods=["GET"]),
    Route("/chase", chase_preview, methods=["POST"]),
    Route("/chase/{draft_id:int}", chase_confirm, methods=["POST"]),
]
