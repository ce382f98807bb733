"""Review of an extraction on the 看板 over HTTP: upload, the tasks beside their source lines, a cell fixed and
checked by the review sheet's rules (each problem at its cell), import beside the other documents; the
refusals (a bad cell, a forged draft, no CSRF token, not a coordinator) leave the store as it was."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from sqlalchemy import func, select

from bot.core import db
from bot.core.models import Assignment, AuditLog, Document, Task, Unit
from tests.conftest import DATA
from tests.web.conftest import COORD, UNIT, Store, csrf, logged_in

PAGE = DATA / "review" / "review_html.html"  # three tasks, 市科技局 leads; units of mini.yaml
FIRST = "建设市级技术转移服务平台"


@pytest.fixture(autouse=True)
def _registry(store: Store) -> None:
    store.web.settings = store.web.settings.model_copy(update={"tasks_file": DATA / "mini.yaml"})


async def _upload(http: httpx.AsyncClient) -> str:
    form = (await http.get("/extract")).text
    files = {"document": (PAGE.name, PAGE.read_bytes(), "text/html")}
    shown = await http.post("/extract", data={"csrf": csrf(form)}, files=files)
    assert shown.status_code == 200, shown.text[:300]
    return shown.text


def _fields(page: str) -> dict[str, str]:
    """The review form's fields as the browser would send them (inputs, textareas, hidden)."""
    form = page.split('id="review-form"')[1].split("</form>")[0]
    fields = {n: html.unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', form)}
    fields |= {n: html.unescape(v) for n, v in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', form)}
    return fields


def _row(page: str, title: str) -> int:
    """The index of the task row whose 任务 is `title`."""
    return next(int(i) for i, v in re.findall(r'name="t(\d+)\.title"[^>]*>([^<]*)<', page) if v == title)


def _cell(page: str, index: int, key: str) -> str:
    row = page.split(f'id="task-{index}"')[1].split("</tr>")[0]
    return row.split(f'data-key="{key}"')[1].split("</td>")[0]


async def _documents(store: Store) -> dict[str, bool]:
    async with db.session_scope(store.engine) as session:
        return {d.id: d.archived for d in (await session.execute(select(Document))).scalars()}


async def _actions(store: Store) -> list[str]:
    async with db.session_scope(store.engine) as session:
        return list((await session.execute(select(AuditLog.action))).scalars())


async def test_a_fixed_cell_is_imported_beside_the_other_documents(store: Store) -> None:
    http = await logged_in(store, COORD)
    page = await _upload(http)
    assert 'class="this"' in page and page.count('id="task-') == 3 and FIRST in page
    fields = _fields(page)
    first = _row(page, FIRST)
    assert fields[f"t{first}.responsible"] == "市发展改革局" and fields[f"t{first}.lead"] == "市科技局"
    checked = await http.post("/extract/review", data=fields | {"do": "check"})
    assert checked.status_code == 200 and 'id="checked"' in checked.text  # as extracted, it imports

    fields = _fields(checked.text) | {f"t{first}.responsible": "市财政局", f"t{first}.deadline": "2027-03-31"}
    imported = await http.post("/extract/review", data=fields | {"do": "import"})
    assert imported.status_code == 303
    doc_id = imported.headers["location"].split("/documents/")[1].split("?")[0]
    assert await _documents(store) == {"demo-2023": False, doc_id: False}  # the other document stays live
    async with db.session_scope(store.engine) as session:
        task = (await session.execute(select(Task).where(Task.document_id == doc_id, Task.title == FIRST))).scalar_one()
        stmt = select(Unit.name).join(Assignment, Assignment.unit_id == Unit.id).where(Assignment.task_id == task.id)
        units = set((await session.execute(stmt)).scalars())
    assert units == {"市科技局", "市财政局"} and str(task.deadline) == "2027-03-31"
    shown = await http.get(imported.headers["location"])
    assert FIRST in shown.text
    assert "web.extract.import" in await _actions(store) and "import.document.add" in await _actions(store)

    again = await _upload(http)  # the same file again: the page says the import updates that document
    assert 'id="known"' in again and doc_id in again


async def test_a_bad_cell_is_shown_at_its_cell_and_the_store_is_left(store: Store) -> None:
    http = await logged_in(store, COORD)
    page = await _upload(http)
    first = _row(page, FIRST)
    before = await _documents(store)
    refused = await http.post("/extract/review", data=_fields(page) | {f"t{first}.lead": "市财正局", "do": "import"})
    assert refused.status_code == 400
    cell = _cell(refused.text, first, "lead")
    assert "invalid" in refused.text.split(f'id="task-{first}"')[1].split('data-key="lead"')[0].rsplit("<td", 1)[1]
    assert 'value="市财正局"' in cell and "did you mean &#39;市财政局&#39;?" in cell
    assert "did you mean" not in _cell(refused.text, first, "responsible")
    assert await _documents(store) == before
    assert "web.extract.refused" in await _actions(store)
    fixed = _fields(refused.text) | {f"t{first}.lead": "市财政局", "do": "check"}
    assert 'id="checked"' in (await http.post("/extract/review", data=fixed)).text  # the fix carried on


def _header_field(page: str, key: str) -> str:
    return page.split('id="document-fields"')[1].split(f'data-key="{key}"')[1].split("</label>")[0]


async def test_the_documents_own_fields_are_fixed_above_the_table(store: Store) -> None:
    """文件编号, 发文单位 and 发文日期 are fixed on the page like a task's cells: a problem shows at its field and
    imports nothing; fixed, the document is stored under them."""
    http = await logged_in(store, COORD)
    page = await _upload(http)
    fields = _fields(page)
    assert {"d.id", "d.title", "d.issuer", "d.issued"} <= set(fields)
    before = await _documents(store)
    wrong = fields | {"d.issuer": "市财正局", "d.id": "kjzh-2027", "do": "import"}
    refused = await http.post("/extract/review", data=wrong)
    assert refused.status_code == 400 and await _documents(store) == before
    issuer = _header_field(refused.text, "issuer")
    assert 'value="市财正局"' in issuer and "did you mean &#39;市财政局&#39;?" in issuer
    assert 'class="field invalid"' in refused.text.split('data-key="issuer"')[0].rsplit("<label", 1)[1]
    assert "did you mean" not in _header_field(refused.text, "id")

    fixed = _fields(refused.text) | {"d.issuer": "市财政局", "d.issued": "2027-01-15", "do": "import"}
    imported = await http.post("/extract/review", data=fixed)
    assert imported.status_code == 303 and imported.headers["location"].startswith("/documents/kjzh-2027")
    async with db.session_scope(store.engine) as session:
        document = await session.get(Document, "kjzh-2027")
        assert document is not None
        issuer_name = (await session.execute(select(Unit.name).where(Unit.id == document.issuer_id))).scalar_one()
    assert issuer_name == "市财政局" and str(document.issued) == "2027-01-15"


async def test_a_forged_draft_a_missing_token_and_a_unit_are_refused(store: Store) -> None:
    http = await logged_in(store, COORD)
    fields = _fields(await _upload(http))
    forged = fields | {"draft": fields["draft"][:-8] + "AAAAAAAA", "do": "import"}
    assert (await http.post("/extract/review", data=forged)).status_code == 403
    other = await logged_in(store, COORD)  # another session's signature does not fit
    token = csrf((await other.get("/")).text)
    assert (await other.post("/extract/review", data=fields | {"csrf": token, "do": "import"})).status_code == 403
    assert (await http.post("/extract/review", data={**fields, "csrf": "", "do": "import"})).status_code == 403
    unit = await logged_in(store, UNIT)
    token = csrf((await unit.get("/")).text)
    assert (await unit.get("/extract")).status_code == 403
    assert (await unit.post("/extract/review", data=fields | {"csrf": token, "do": "import"})).status_code == 403
    assert list(await _documents(store)) == ["demo-2023"]
    async with db.session_scope(store.engine) as session:
        refusals = (await session.execute(select(func.count()).where(AuditLog.action == "access.refused"))).scalar_one()
    assert refusals >= 4
