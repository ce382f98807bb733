"""The web 看板's ASGI application (Starlette): routes, the session cookie, CSRF, security headers.

Every handler is wrapped by `page` (GET) or `action` (POST), which open one store transaction, read the
session cookie and the viewer (bot/chat/web_access.py) again from the store, and refuse without one (401); an
`action` also checks the form's CSRF token (403) and runs the change through the same service the chat
uses (bot/chat), which audits it. What a page shows is chosen in bot/web/views.py; the words come from
the message catalogue (`m.WEB`), the markup from bot/web/templates (autoescaped: a unit named `<script>`
is text).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.chat import web_access
from bot.core import db
from bot.core.models import utcnow
from bot.core.settings import Settings
from bot.render import messages as m
from bot.store import audit
from bot.web.views import OverviewCache, RankingCache

HERE = Path(__file__).resolve().parent
COOKIE = "taskbot_session"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # a login link's token must not leave in a Referer
    "Cache-Control": "no-store",
}


@dataclass
class Web:
    """What the handlers share: the settings, where the engine comes from (the bot's own, or one of this
    process), the clock (tests move it), the links' base URL and the templates."""

    settings: Settings
    engine: Callable[[], AsyncEngine]
    base_url: str
    clock: Callable[[], dt.datetime] = utcnow
    templates: Jinja2Templates = field(init=False)
    ranking: RankingCache = field(default_factory=RankingCache)
    overviews: OverviewCache = field(default_factory=OverviewCache)

    def __post_init__(self) -> None:
        env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
        env.globals.update(t=m.WEB, m=m, lights=m.WEB_LIGHTS)
        env.filters["local"] = self.local
        env.filters["pct"] = lambda v: "—" if v is None else f"{v:.0%}"
        self.templates = Jinja2Templates(env=env)

    @property
    def secure(self) -> bool:
        return self.base_url.startswith("https://")

    def local(self, when: dt.datetime | None) -> str:
        return when.astimezone(self.settings.tz).strftime("%Y-%m-%d %H:%M") if when else "—"

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().astimezone(self.settings.tz).date()


def web_of(request: Request) -> Web:
    return request.app.state.web


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return web_of(request).templates.TemplateResponse(request, name, context, status_code=status)


def message(request: Request, text: str, status: int, viewer: web_access.Viewer | None = None) -> HTMLResponse:
    return render(request, "message.html", status, text=text, viewer=viewer)


Handler = Callable[[Request, AsyncSession, web_access.Viewer], Awaitable[Response]]


async def _viewer(request: Request, session: AsyncSession) -> web_access.Viewer | None:
    web = web_of(request)
    token = request.cookies.get(COOKIE)
    user_id = await web_access.session_user(session, token, now=web.now())
    if user_id is None or token is None:
        return None
    return await web_access.viewer_of(session, user_id, web.settings.coordinator_ids, web_access.csrf_token(token))


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A GET: one transaction, the viewer from the session cookie, 401 without one."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        async with db.session_scope(web_of(request).engine()) as session:
            viewer = await _viewer(request, session)
            if viewer is None:
                return message(request, m.WEB["need_login"], 401)
            return await handler(request, session, viewer)

    return endpoint


def action(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A POST: as `page`, and the form's CSRF token must match the session's (403 otherwise, audited)."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        async with db.session_scope(web_of(request).engine()) as session:
            viewer = await _viewer(request, session)
            if viewer is None:
                return message(request, m.WEB["need_login"], 401)
            form = await request.form()
            if not web_access.csrf_ok(request.cookies.get(COOKIE, ""), str(form.get("csrf") or "")):
                audit.record(session, viewer.actor, "access.refused", "web", request.url.path, action="csrf")
                return message(request, m.WEB["bad_form"], 403, viewer)
            request.state.form = form
            web_of(request).overviews.clear()  # what the action changes shows on the next 总览
            try:
                return await handler(request, session, viewer)
            finally:
                await form.close()  # an upload's spooled temporary file

    return endpoint


def forbidden(request: Request, session: AsyncSession, viewer: web_access.Viewer, what: str, ident: object) -> Response:
    """403, audited as every refusal is (`access.refused`)."""
    audit.record(session, viewer.actor, "access.refused", what, ident, action="web", path=request.url.path)
    return message(request, m.WEB["forbidden"], 403, viewer)


# --- login ----------------------------------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    """The link opened: a page with one button. Nothing is spent by a GET, so a link previewer or a virus
    scanner that fetches the link does not use it up."""
    return render(request, "login.html", token=request.path_params["token"], viewer=None)


async def login(request: Request) -> Response:
    web = web_of(request)
    async with db.session_scope(web.engine()) as session:
        result = await web_access.redeem_login(session, request.path_params["token"], now=web.now())
    if isinstance(result, str):
        return message(request, m.WEB["login_refused"], 403)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        result[1],
        max_age=int(web_access.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=web.secure,
        path="/",
    )
    return response


@action
async def logout(request: Request, session: AsyncSession, viewer: web_access.Viewer) -> Response:
    await web_access.end_session(
        session, request.cookies.get(COOKIE, ""), now=web_of(request).now(), actor=viewer.actor
    )
    response = message(request, m.WEB["logged_out"], 200)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=web_of(request).secure)
    return response


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app(web: Web) -> Starlette:
    """The 看板 as an ASGI application over `web`'s store."""
    from bot.web import actions, chase, extract, pages

    routes = [
        Route("/", pages.overview, name="overview"),
        Route("/login/{token}", login_form, methods=["GET"]),
        Route("/login/{token}", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        *pages.ROUTES,
        *actions.ROUTES,
        *chase.ROUTES,
        *extract.ROUTES,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.web = web
    return app
