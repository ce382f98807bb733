"""The web 看板 over HTTP (httpx on the ASGI app): login, every page and action as each role, the refusals,
escaping, no chat id or token on any page, the cookie's flags, CSRF."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import AuditLog, Outbox, Report, Task
from tests.web.conftest import (
    COORD,
    EVIL,
    GROUP,
    LEAD,
    NOW,
    OTHER,
    STRANGER,
    UNIT,
    Store,
    client,
    csrf,
    logged_in,
    login_token,
)

PAGES = ["/", "/documents", "/documents/demo-2023", "/units", "/targets", "/downloads"]


async def _actions(store: Store) -> list[str]:
    async with db.session_scope(store.engine) as session:
        return list((await session.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars())


async def test_a_link_opens_one_session_with_a_strict_httponly_cookie(store: Store) -> None:
    http = client(store)
    token = await login_token(store, COORD)
    form = await http.get(f"/login/{token}")
    assert form.status_code == 200 and f'action="/login/{token}"' in form.text  # a GET spends nothing
    response = await http.post(f"/login/{token}")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert f"max-age={8 * 3600}" in cookie
    assert (await http.get("/")).status_code == 200
    again = await client(store).post(f"/login/{token}")
    assert again.status_code == 403 and "taskbot_session" not in again.headers.get("set-cookie", "")
    assert "web.login" in await _actions(store) and "web.login.refused" in await _actions(store)


async def test_behind_https_the_cookie_is_secure(store: Store) -> None:
    store.web.base_url = "https://kanban.example.gov.cn"
    response = await client(store).post(f"/login/{await login_token(store, COORD)}")
    assert "secure" in response.headers["set-cookie"].lower()


async def test_an_expired_or_unknown_link_is_refused(store: Store) -> None:
    old = await login_token(store, COORD, now=NOW - dt.timedelta(minutes=11))
    assert (await client(store).post(f"/login/{old}")).status_code == 403
    assert (await client(store).post("/login/not-a-token")).status_code == 403


async def test_without_a_session_every_page_asks_to_log_in(store: Store) -> None:
    http = client(store)
    for path in [*PAGES, "/audit", f"/tasks/{store.task['1.2']}", "/downloads/ledger.xlsx"]:
        assert (await http.get(path)).status_code == 401, path
    assert (await http.post(f"/reports/{store.report_id}/return", data={"reason": "x"})).status_code == 401


@pytest.mark.parametrize("user", [COORD, LEAD, UNIT, OTHER])
async def test_every_page_opens_for_every_role_without_chat_ids_or_tokens(store: Store, user: int) -> None:
    http = await logged_in(store, user)
    for path in PAGES:
        response = await http.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        for secret in ("secret-token-never-shown", str(GROUP), str(UNIT), str(LEAD), str(OTHER)):
            assert secret not in response.text, (path, secret)
        assert "<script>" not in response.text  # the unit named <script>… shows escaped wherever it shows


async def test_a_unit_named_like_markup_is_text(store: Store) -> None:
    http = await logged_in(store, COORD)
    page = (await http.get("/documents/demo-2023")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "&lt;b&gt;粗体&lt;/b&gt;任务" in page
    timeline = (await http.get(f"/tasks/{store.task['1.2']}")).text
    assert "&lt;i&gt;预计&lt;/i&gt;" in timeline and "财政小王" in timeline


async def test_the_overview_shows_lights_counts_overdue_and_the_ranking_to_a_coordinator(store: Store) -> None:
    http = await logged_in(store, COORD)
    page = (await http.get("/")).text
    assert 'id="unit-lights"' in page and "light-red" in page  # 9.1 is overdue: its lead is red
    lights = page.split('id="unit-lights"')[1].split("</section>")[0]
    assert lights.index("light-red") < lights.index("light-yellow") < lights.index("light-green")  # worst first
    assert "逾期" in page and 'id="ranking"' in page and 'src="/chart.png"' in page
    chart = await http.get("/chart.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")


async def test_the_overview_on_the_wall_reloads_itself_and_the_desk_view_does_not(store: Store) -> None:
    from bot.web.pages import WALL_MINUTES

    http = await logged_in(store, COORD)
    desk = (await http.get("/")).text
    wall = (await http.get("/?wall=1")).text
    assert 'http-equiv="refresh"' not in desk and 'href="/?wall=1"' in desk
    assert f'<meta http-equiv="refresh" content="{WALL_MINUTES * 60}">' in wall
    assert f"每{WALL_MINUTES}分钟自动刷新" in wall and 'id="unit-lights"' in wall


async def test_a_unit_that_leads_nothing_sees_only_its_own_rows(store: Store) -> None:
    http = await logged_in(store, UNIT)
    page = (await http.get(f"/tasks/{store.task['1.2']}")).text
    assert "市财政局" in page and "市科技局</td>" not in page and "仅显示本单位的分工" in page
    assert 'id="ranking"' not in (await http.get("/")).text
    assert (await http.get("/chart.png")).status_code == 404
    assert (await http.get(f"/tasks/{store.task['1.1']}")).status_code == 403


async def test_a_lead_cannot_open_another_leads_task_and_the_refusal_is_audited(store: Store) -> None:
    lead = await logged_in(store, LEAD)
    assert (await lead.get(f"/tasks/{store.task['9.1']}")).status_code == 403
    other = await logged_in(store, OTHER)
    assert (await other.get(f"/tasks/{store.task['1.2']}")).status_code == 403
    assert (await other.get(f"/tasks/{store.task['9.1']}")).status_code == 200
    assert (await _actions(store)).count("access.refused") == 2


async def test_the_audit_log_is_for_coordinators_and_filters(store: Store) -> None:
    for user in (LEAD, UNIT):
        assert (await (await logged_in(store, user)).get("/audit")).status_code == 403
    http = await logged_in(store, COORD)
    page = (await http.get("/audit", params={"action": "web.login"})).text
    assert "web.login" in page and "import.task" not in page
    everything = (await http.get("/audit")).text
    assert "import.task" in everything and "市科技局" in everything  # the lead's login, by its unit
    for secret in (str(GROUP), str(UNIT), str(LEAD), str(OTHER), str(COORD)):
        assert secret not in everything, secret


async def test_a_lead_returns_a_report_through_the_chat_service(store: Store) -> None:
    http = await logged_in(store, LEAD)
    page = (await http.get(f"/tasks/{store.task['1.2']}")).text
    assert f'action="/reports/{store.report_id}/return"' in page
    response = await http.post(f"/reports/{store.report_id}/return", data={"reason": "数据不实", "csrf": csrf(page)})
    assert response.status_code == 303
    async with db.session_scope(store.engine) as session:
        report = await session.get(Report, store.report_id)
        notices = list(
            (await session.execute(select(Outbox).where(Outbox.key.startswith(f"return:{store.report_id}")))).scalars()
        )
    assert report is not None and report.return_reason == "数据不实" and report.returned_by == f"tg:{LEAD}"
    assert len(notices) == 1 and "数据不实" in notices[0].text
    after = (await http.get(f"/tasks/{store.task['1.2']}")).text
    assert "已退办" in after and f'action="/reports/{store.report_id}/return"' not in after


async def test_a_form_without_its_csrf_token_is_refused(store: Store) -> None:
    http = await logged_in(store, LEAD)
    for data in ({"reason": "x"}, {"reason": "x", "csrf": "0" * 64}):
        assert (await http.post(f"/reports/{store.report_id}/return", data=data)).status_code == 403
    async with db.session_scope(store.engine) as session:
        assert (await session.get(Report, store.report_id)).returned_at is None  # type: ignore[union-attr]


async def test_a_unit_cannot_return_a_report_of_a_task_it_does_not_lead(store: Store) -> None:
    http = await logged_in(store, OTHER)
    token = csrf((await http.get("/")).text)
    response = await http.post(f"/reports/{store.report_id}/return", data={"reason": "x", "csrf": token})
    assert response.status_code == 403
    own = await logged_in(store, UNIT)
    page = (await own.get(f"/tasks/{store.task['1.2']}")).text
    assert "/return" not in page


async def test_a_lead_closes_and_reopens_its_task(store: Store) -> None:
    http = await logged_in(store, LEAD)
    task_id = store.task["1.2"]
    token = csrf((await http.get(f"/tasks/{task_id}")).text)
    assert (await http.post(f"/tasks/{task_id}/close", data={"csrf": token})).status_code == 303
    async with db.session_scope(store.engine) as session:
        assert (await session.get(Task, task_id)).closed_at is not None  # type: ignore[union-attr]
    assert (await http.post(f"/tasks/{task_id}/reopen", data={"csrf": token})).status_code == 303
    unit = await logged_in(store, UNIT)
    refused = await unit.post(f"/tasks/{task_id}/close", data={"csrf": csrf((await unit.get("/")).text)})
    assert refused.status_code == 403
    assert {"task.close", "task.reopen"} <= set(await _actions(store))


async def test_downloads_the_ledger_in_the_viewers_scope(store: Store) -> None:
    http = await logged_in(store, UNIT)
    response = await http.get("/downloads/ledger.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value}
    assert "市财政局" in cells and EVIL not in cells
    assert (await http.get("/downloads/bulletin-month.docx")).status_code == 403
    coord = await logged_in(store, COORD)
    docx = await coord.get("/downloads/bulletin-month.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


async def test_logout_ends_the_session(store: Store) -> None:
    http = await logged_in(store, COORD)
    token = csrf((await http.get("/")).text)
    assert (await http.post("/logout", data={"csrf": token})).status_code == 200
    assert (await http.get("/")).status_code == 401


async def test_a_stranger_gets_no_session(store: Store) -> None:
    from bot.chat import web_access

    async with db.session_scope(store.engine) as session:
        assert await web_access.viewer_of(session, STRANGER, [COORD]) is None
        assert await web_access.viewer_of(session, GROUP, [COORD]) is None  # a group's id is no person


async def test_a_unit_reports_from_the_web_through_the_chat_service(store: Store) -> None:
    from tests.support.store import assignment_id

    http = await logged_in(store, UNIT)
    mine = await assignment_id(store.engine, "市财政局", "2.1")
    page = (await http.get(f"/tasks/{store.task['2.1']}")).text
    assert f'action="/assignments/{mine}/report"' in page
    response = await http.post(f"/assignments/{mine}/report", data={"text": "已完成80%", "csrf": csrf(page)})
    assert response.status_code == 303
    async with db.session_scope(store.engine) as session:
        stored = (await session.execute(select(Report).where(Report.assignment_id == mine))).scalar_one()
    assert stored.text == "已完成80%" and stored.percent == 80 and stored.source == "web"
    theirs = await assignment_id(store.engine, "市科技局", "1.2")
    refused = await http.post(f"/assignments/{theirs}/report", data={"text": "x", "csrf": csrf(page)})
    assert refused.status_code == 403


async def test_a_coordinator_chases_after_a_preview_and_only_then(store: Store) -> None:
    http = await logged_in(store, COORD)
    form = (await http.get("/chase")).text
    preview = await http.post("/chase", data={"kind": "overdue", "argument": "", "csrf": csrf(form)})
    assert preview.status_code == 200 and "&lt;script&gt;" in preview.text
    async with db.session_scope(store.engine) as session:
        assert (await session.execute(select(Outbox).where(Outbox.key.startswith("chase:")))).first() is None
    draft = preview.text.split('action="/chase/')[1].split('"')[0]
    sent = await http.post(f"/chase/{draft}", data={"send": "1", "csrf": csrf(preview.text)})
    assert sent.status_code == 200 and "已发送催办" in sent.text
    again = await http.post(f"/chase/{draft}", data={"send": "1", "csrf": csrf(preview.text)})
    assert again.status_code == 409
    async with db.session_scope(store.engine) as session:
        queued = list((await session.execute(select(Outbox).where(Outbox.key.startswith("chase:")))).scalars())
    assert len(queued) == 1  # the one bound unit with overdue work: <script>… (9.1)
    lead = await logged_in(store, LEAD)
    assert (await lead.get("/chase")).status_code == 403
    token = csrf((await lead.get("/")).text)
    assert (await lead.post("/chase", data={"kind": "overdue", "csrf": token})).status_code == 403
    assert (await lead.post(f"/chase/{draft}", data={"send": "1", "csrf": token})).status_code == 403


async def test_a_coordinator_invites_an_unbound_unit_from_the_units_page(store: Store) -> None:
    from bot.core.models import Invite, Unit

    http = await logged_in(store, COORD)
    page = (await http.get("/units")).text
    async with db.session_scope(store.engine) as session:
        unbound = (await session.execute(select(Unit.id).where(Unit.name == "蓬江区人民政府"))).scalar_one()
    assert f'action="/units/{unbound}/invite"' in page
    made = await http.post(f"/units/{unbound}/invite", data={"csrf": csrf(page)})
    assert made.status_code == 200 and "/start " in made.text
    code = made.text.split("/start ")[1].split("<")[0].strip()
    async with db.session_scope(store.engine) as session:
        stored = list((await session.execute(select(Invite.code_hash))).scalars())
    assert code not in stored and len(stored) == 1  # the hash only
    unit = await logged_in(store, UNIT)
    token = csrf((await unit.get("/")).text)
    assert (await unit.post(f"/units/{unbound}/invite", data={"csrf": token})).status_code == 403


async def test_an_extraction_is_shown_beside_its_source_lines(store: Store) -> None:
    from pathlib import Path

    document = Path(__file__).resolve().parents[1] / "data" / "extract" / "boluo_kjcx.txt"
    http = await logged_in(store, COORD)
    form = (await http.get("/extract")).text
    files = {"document": (document.name, document.read_bytes(), "text/plain")}
    shown = await http.post("/extract", data={"csrf": csrf(form)}, files=files)
    assert shown.status_code == 200 and 'id="extraction"' in shown.text and 'class="this"' in shown.text
    assert shown.text.count('<tr id="task-') > 3 and 'id="review-form"' in shown.text
    assert "web.extract" in await _actions(store)
    unit = await logged_in(store, UNIT)
    assert (await unit.get("/extract")).status_code == 403
    refused = await unit.post("/extract", data={"csrf": csrf((await unit.get("/")).text)}, files=files)
    assert refused.status_code == 403
