"""The 看板's actions (POST, CSRF-checked by `action`): each enters the same service as the chat does, with the
viewer's private chat as the chat (a private chat's id is its user's id) — 退办 (bot/chat/returns.py), 办结 and
reopen (bot/chat/closing.py), a 延期 decision (bot/chat/deadline_extension.py). The service checks who may,
audits, and queues the notices; the page only says what happened and goes back where it came from."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.chat import binding, closing, invites, reports, returns
from bot.chat.binding import invite_link
from bot.chat.deadline_extension import decide_extension
from bot.chat.roles import coordinator_ids
from bot.chat.web_access import Viewer
from bot.core.models import ExtensionRequest, Report, Task, Unit
from bot.core.vocab import CloseOutcome, Refusal, ReportOutcome, ReportSource, ReturnOutcome
from bot.render import messages as m
from bot.replies.parser import parse_reply
from bot.store.assignment_views import assignment_view
from bot.web.app import action, forbidden, message, render, web_of
from bot.web.views import task_access


def _field(request: Request, name: str) -> str:
    return str(request.state.form.get(name) or "")


def _back(task_id: int) -> Response:
    return RedirectResponse(f"/tasks/{task_id}?done=1", status_code=303)


def _refused(request: Request, viewer: Viewer, outcome: str) -> Response:
    reason = m.WEB_REFUSALS.get(outcome, outcome)  # a reason already in words passes through
    return message(request, m.WEB["refused"].format(reason=reason), 409, viewer)


async def _task_of_report(session: AsyncSession, report_id: int) -> int | None:
    report = await session.get(Report, report_id)
    if report is None:
        return None
    view = await assignment_view(session, report.assignment_id)
    return view.task_id if view else None


@action
async def return_report(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """退办 with its reason."""
    report_id = request.path_params["report_id"]
    task_id = await _task_of_report(session, report_id)
    if task_id is None:
        return message(request, m.WEB["not_found"], 404, viewer)
    if await task_access(session, viewer, task_id) is None:
        return forbidden(request, session, viewer, "report", report_id)
    result = await returns.return_report(
        session,
        report_id,
        _field(request, "reason"),
        chat_id=viewer.user_id,
        user_id=viewer.user_id,
        coordinator=viewer.coordinator,
        now=web_of(request).now(),
    )
    if result.outcome == ReturnOutcome.NOT_ALLOWED:
        return message(request, m.WEB["forbidden"], 403, viewer)
    return _back(task_id) if result.outcome == ReturnOutcome.RETURNED else _refused(request, viewer, result.outcome)


async def _coordinators(request: Request, session: AsyncSession) -> set[int]:
    return await coordinator_ids(session, web_of(request).settings.coordinator_ids)


@action
async def close_task(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """办结, by a lead unit (as in chat)."""
    task_id = request.path_params["task_id"]
    result = await closing.close_task(
        session,
        chat_id=viewer.user_id,
        task_id=task_id,
        user_id=viewer.user_id,
        now=web_of(request).now(),
        coordinators=await _coordinators(request, session),
    )
    if result.outcome in (CloseOutcome.NOT_LEAD, CloseOutcome.UNBOUND):
        return message(request, m.WEB["forbidden"], 403, viewer)
    return _back(task_id) if result.outcome == CloseOutcome.CLOSED else _refused(request, viewer, result.outcome)


@action
async def reopen_task(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """Reopen a task 办结: a lead unit or a coordinator."""
    task_id = request.path_params["task_id"]
    task = await session.get(Task, task_id)
    if task is None:
        return message(request, m.WEB["not_found"], 404, viewer)
    result = await closing.reopen_task(
        session,
        f"{task.document_id}/{task.key}",  # the reference that names one task whatever the short names
        chat_id=viewer.user_id,
        user_id=viewer.user_id,
        coordinator=viewer.coordinator,
        now=web_of(request).now(),
        coordinators=await _coordinators(request, session),
    )
    if result.outcome in (CloseOutcome.NOT_LEAD, CloseOutcome.UNBOUND):
        return message(request, m.WEB["forbidden"], 403, viewer)
    return _back(task_id) if result.outcome == CloseOutcome.REOPENED else _refused(request, viewer, result.outcome)


@action
async def decide(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """A 延期 request approved or refused: coordinators only (as in chat)."""
    request_id = request.path_params["request_id"]
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "extension_request", request_id)
    pending = await session.get(ExtensionRequest, request_id)
    if pending is None:
        return message(request, m.WEB["not_found"], 404, viewer)
    approve = _field(request, "verdict") == "approve"
    decision = await decide_extension(
        session, request_id=request_id, approve=approve, user_id=viewer.user_id, now=web_of(request).now()
    )
    if decision.view is None:
        return _refused(request, viewer, decision.outcome)
    return _back(decision.view.task_id) if decision.outcome != "already" else _refused(request, viewer, "already")


@action
async def report(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """A unit's contact reports on its own assignment from the web: the chat's `submit_report` with the reply
    parser's reading of the text (source `web`); the service refuses another unit's assignment (audited)."""
    assignment_id = request.path_params["assignment_id"]
    view = await assignment_view(session, assignment_id)
    if view is None:
        return message(request, m.WEB["not_found"], 404, viewer)
    text = _field(request, "text")
    at = web_of(request).now().astimezone(web_of(request).settings.tz)
    result = await reports.submit_report(
        session,
        chat_id=viewer.user_id,
        assignment_id=assignment_id,
        text=text,
        parsed=parse_reply(text, at),
        source=ReportSource.WEB,
        user_id=viewer.user_id,
        user_name=viewer.unit,
        at=at,
    )
    if result.outcome in (Refusal.NOT_YOURS, Refusal.UNBOUND, Refusal.SUPERVISING):
        return message(request, m.WEB["forbidden"], 403, viewer)
    if result.outcome == ReportOutcome.STORED:
        return _back(view.task_id)
    return _refused(request, viewer, m.WEB_REPORT_REFUSALS.get(result.outcome, result.outcome))


@action
async def invite(request: Request, session: AsyncSession, viewer: Viewer) -> Response:
    """A coordinator's invite for a unit (the chat's /invite: `invites.invite_from_chat`, audited): the code
    is shown once on this page and not kept (only its hash is stored)."""
    if not viewer.coordinator:
        return forbidden(request, session, viewer, "unit", request.path_params["unit_id"])
    unit = await session.get(Unit, request.path_params["unit_id"])
    if unit is None:
        return message(request, m.WEB["not_found"], 404, viewer)
    web = web_of(request)
    issued = await invites.invite_from_chat(
        session, invites.InviteRequest(unit.name), user_id=viewer.user_id, now=web.now()
    )
    if isinstance(issued, invites.InviteRefusal):
        return message(request, m.WEB["invite_group"], 409, viewer)
    username = web.settings.telegram_bot_username
    link = invite_link(username, issued.code, group=False) if username else None
    return render(request, "invite.html", viewer=viewer, issued=issued, link=link, days=binding.DEFAULT_EXPIRY.days)


ROUTES = [
    Route("/units/{unit_id:int}/invite", invite, methods=["POST"]),
    Route("/assignments/{assignment_id:int}/report", report, methods=["POST"]),
    Route("/reports/{report_id:int}/return", return_report, methods=["POST"]),
    Route("/tasks/{task_id:int}/close", close_task, methods=["POST"]),
    Route("/tasks/{task_id:int}/reopen", reopen_task, methods=["POST"]),
    Route("/extensions/{request_id:int}/decide", decide, methods=["POST"]),
]
