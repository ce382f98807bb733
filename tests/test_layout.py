"""The repository's shape: the README's Layout block matches the tree, and imports run one way."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("bot", "handlers", "scheduler")


def _layout() -> dict[str, list[str]]:
    """README "Layout": `folder/  name name sub/`, more names on indented lines, then `— what they are`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Layout\n.*?```\n(.*?)```", text, flags=re.S)
    assert block, "README.md has no Layout code block"
    folders: dict[str, list[str]] = {}
    folder, described = "", False
    for line in block.group(1).splitlines():
        names, dash, _what = line.partition("—")
        if not line.startswith(" "):
            folder, *listed = names.split()
            folder, described = folder.rstrip("/"), False
            folders[folder] = listed
        elif not described:
            folders[folder] += names.split()
        described = described or bool(dash)
    return folders


def _modules(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"} | {
        f"{p.name}/" for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"
    }


def test_the_readme_layout_lists_every_module_and_nothing_else() -> None:
    layout = _layout()
    packages = [
        ROOT / "bot",
        *sorted(p for p in (ROOT / "bot").iterdir() if (p / "__init__.py").exists()),
        ROOT / "handlers",
        ROOT / "scheduler",
    ]
    for package in packages:
        name = str(package.relative_to(ROOT))
        assert name in layout, f"README Layout does not list {name}/"
        assert set(layout[name]) == _modules(package), f"README Layout of {name}/ differs from the tree"
    for folder in layout:
        assert (ROOT / folder).is_dir(), f"README Layout lists {folder}/, which does not exist"


def test_bot_root_holds_only_the_composition_root() -> None:
    """The Application, the CLI, the webhook server that runs the Application, `python -m bot`."""
    root = {"__init__.py", "__main__.py", "app.py", "cli.py", "inbound.py", "webhook.py"}
    assert {p.name for p in (ROOT / "bot").glob("*.py")} == root


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name.split(".")[0] for name in found} | {name for name in found if "." in name}


# --- Layers ------------------------------------------------------------------------------------------------
# The order the README's "Layout" gives, top to bottom. A module may import its own layer's package and any
# package of a lower layer; never one above, and never a peer's (two packages on one line know nothing of
# each other). Imports inside functions count as much as those at the top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("bot",),  # the composition root: app, cli, inbound, webhook, __main__ (and bot.web.server, below)
    ("handlers", "scheduler", "bot.web"),  # the entry points: Telegram updates, the clock, the 看板
    ("bot.presenters",),  # a service's result as the answer a user sees
    ("bot.chat",),  # the service layer: the use cases
    ("bot.store", "bot.extract"),  # reads and writes of the store; a document → a tasks file
    ("bot.tasksfile", "bot.reporting"),  # the tasks file; digests, rankings and the files they become
    ("bot.render", "bot.replies"),  # text and buttons (the catalogue, the 督办单); the reply parser
    ("bot.core",),  # settings, engine, tables, the vocabulary
)
# Serving the 看板 beside the bot runs the Application's update loop (bot/inbound.py): it composes, as app.py does.
COMPOSING = {"bot.web.server": "bot"}
# handlers/ stay thin: the store, the parser, the reports and the 看板 are reached through bot/chat/'s use cases.
HANDLERS_MAY_IMPORT = {"handlers", "bot.presenters", "bot.chat", "bot.render", "bot.core"}
_RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module: str) -> str | None:
    """The layer's package a module belongs to: the longest entry of LAYERS it lies in (None: not ours)."""
    if module in COMPOSING:
        return COMPOSING[module]
    parts = module.split(".")
    for cut in range(len(parts), 0, -1):
        if ".".join(parts[:cut]) in _RANK:
            return ".".join(parts[:cut])
    return None


def _project_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, the import as written, the module it reaches) for every import of this project's code in `path`,
    at the top or inside a function; `from bot import inbound` reaches bot.inbound, not bot."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {alias.name}", alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's own package
                package = _module_name(path).split(".")
                package = package if path.name == "__init__.py" else package[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                whole = f"{base}.{alias.name}"
                reached = whole if _module_file(whole) is not None else base
                found.append((node.lineno, f"from {'.' * node.level}{node.module or ''} import {alias.name}", reached))
    return [(line, text, reached) for line, text, reached in found if reached.split(".")[0] in CODE]


def _code_files() -> list[Path]:
    return sorted(p for folder in CODE for p in (ROOT / folder).rglob("*.py") if "versions" not in p.parts)


def test_imports_run_down_the_layers() -> None:
    """Every import of the project's own code goes down LAYERS (or stays in its package), never up or across."""
    problems = []
    for path in _code_files():
        own = _package_of(_module_name(path))
        assert own is not None, f"{path.relative_to(ROOT)} lies in no layer: add its package to LAYERS"
        for line, text, reached in _project_imports(path):
            other = _package_of(reached)
            assert other is not None, f"{path.relative_to(ROOT)}:{line}: `{text}` reaches {reached}, in no layer"
            if other != own and _RANK[other] <= _RANK[own]:
                where = "above it" if _RANK[other] < _RANK[own] else "beside it"
                problems.append(f"{path.relative_to(ROOT)}:{line}: `{text}` — {own} imports {other}, {where}")
    assert not problems, "imports against the layer order (tests/test_layout.py LAYERS):\n" + "\n".join(problems)


def test_handlers_reach_the_store_only_through_the_services() -> None:
    """handlers/ import bot/chat/, bot/presenters/, bot/render/ and bot/core/ only (README "Layout")."""
    problems = [
        f"{path.relative_to(ROOT)}:{line}: `{text}` — handlers/ import {_package_of(reached)}; go through bot/chat/"
        for path in sorted((ROOT / "handlers").rglob("*.py"))
        for line, text, reached in _project_imports(path)
        if _package_of(reached) not in HANDLERS_MAY_IMPORT
    ]
    assert not problems, "\n".join(problems)


SHARED_HANDLER_MODULES = {"handlers.common", "handlers.quoted", "handlers.storefaults"}
"""What handler modules may import of handlers/: what every handler needs, the reply dispatcher's types, and the
error handler's store faults. None of them installs a handler."""


def _handler_imports(path: Path) -> set[str]:
    """The handlers/ modules `path` imports, by dotted name (`from handlers import x` is handlers.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("handlers."))
        elif isinstance(node, ast.ImportFrom) and node.module == "handlers" and node.level == 0:
            found.update(f"handlers.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("handlers.") and node.level == 0:
            found.add(str(node.module))
    return found


def test_no_handler_imports_another_handler() -> None:
    """A handler hands nothing on to another by calling it: a text message goes to one handler, chosen by what it
    quotes (handlers/quoted.py, routed by REPLIES in handlers/__init__.py, the one module that imports them all)."""
    for path in sorted((ROOT / "handlers").glob("*.py")):
        if path.name == "__init__.py":
            continue
        others = _handler_imports(path) - SHARED_HANDLER_MODULES
        assert not others, f"{path.relative_to(ROOT)} imports {sorted(others)}"
    for name in SHARED_HANDLER_MODULES:
        source = (ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        assert "add_handler(" not in source and "def install(" not in source, f"{name} installs handlers"


def test_the_pure_modules_stay_pure() -> None:
    """The vocabulary, the planner, the reply parser and the renderers need no store and no Telegram."""
    io = {"sqlmodel", "sqlalchemy", "telegram", "aiosqlite", "psycopg", "httpx"}
    pure = [
        ROOT / "bot/core/vocab.py",
        ROOT / "bot/core/references.py",
        ROOT / "scheduler/planner.py",
        ROOT / "bot/replies/parser.py",
        ROOT / "bot/replies/multipart.py",
        ROOT / "bot/render/sheet.py",
        ROOT / "bot/reporting/digest.py",
        ROOT / "bot/reporting/rankings.py",
        ROOT / "bot/reporting/bulletin.py",
    ]
    for path in pure:
        assert not _imports(path) & io, f"{path.relative_to(ROOT)} imports I/O"


def test_the_repository_reads_nothing_beside_it() -> None:
    """A clone has nothing next to it: no code, test or benchmark may reach outside the repository."""
    outside = re.compile(r"\.\./shared|parents?\b[^\n]*[\"']shared[\"']")
    for folder in (*CODE, "tests", "bench", "scripts"):
        for path in (ROOT / folder).rglob("*"):
            if (
                path.suffix in {".py", ".sh", ".toml", ".md"}
                and "node_modules" not in path.parts
                and path != Path(__file__).resolve()
            ):
                assert not outside.search(path.read_text(encoding="utf-8", errors="replace")), (
                    f"{path.relative_to(ROOT)} reads outside the repository"
                )


# --- References in prose resolve ---------------------------------------------------------------------------
# Docs, the README, docstrings and comments name files (`bot/chat/returns.py`, `tests/reliability/test_store_*.py`),
# modules and their members (`bot.core.db.store_fault`, `bot/chat/reports.next_state`). A rename that leaves such a
# name behind makes the prose lie; this test finds it. `SPEC` named the design card that is not in the repository:
# the design is in docs/, and prose cites that instead.
_PATH = re.compile(r"(?<![\w/.-])((?:bot|handlers|scheduler|tests|bench|scripts|docs|data)/[\w/.*-]*[\w*/])")
_DOTTED = re.compile(r"(?<![\w/.-])((?:bot|handlers|scheduler)\.[a-z_]\w*(?:\.[A-Za-z_]\w*)*)")


def _docstring_and_comment_lines(path: Path) -> list[tuple[int, str]]:
    """A module's prose: its comments and its docstrings, line by line (code and message strings are not prose)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                end = body[0].end_lineno or body[0].lineno
                found += [(n, lines[n - 1]) for n in range(body[0].lineno, end + 1)]
    return found


def _prose() -> list[tuple[Path, int, str]]:
    out = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        out += [(doc, n, line) for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1)]
    for folder in CODE:
        for path in sorted(p for p in (ROOT / folder).rglob("*.py") if "versions" not in p.parts):
            out += [(path, n, line) for n, line in _docstring_and_comment_lines(path)]
    return out


def _module_file(dotted: str) -> Path | None:
    base = ROOT / dotted.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _defines(module: Path, name: str) -> bool:
    """Whether the module defines `name` at its top level or as a member of one of its classes (read, not imported)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                if any(isinstance(e, ast.Name) and e.id == name for e in elements):
                    return True
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            return True
    return False


def _resolves(dotted: str) -> bool:
    """`a.b.c.name`: the longest prefix that is a module of the project, then its members by name."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module = _module_file(".".join(parts[:cut]))
        if module is not None:
            return all(_defines(module, name) for name in parts[cut : cut + 1])
    return False


def _telegram_bot_member(dotted: str) -> bool:
    """`bot.set_my_commands`, `bot.username`: PTB's Bot object in prose, not this package."""
    from telegram import Bot

    head, _, member = dotted.partition(".")
    return head == "bot" and hasattr(Bot, member.split(".")[0])


def _path_resolves(found: str) -> bool:
    """`docs/x.md`, `tests/reliability/test_store_*.py`, or a module path and a member: `bot/core/db.upgrade`."""
    found = found.rstrip("/.")
    if "*" in found:
        return any(ROOT.glob(found))
    if (ROOT / found).exists():
        return True
    head, _, last = found.rpartition("/")
    stem, dot, member = last.partition(".")
    module = ROOT / head / f"{stem}.py"
    return bool(dot) and module.exists() and _defines(module, member.split(".")[0])


def _stale(line: str) -> list[str]:
    stale = [found for found in _PATH.findall(line) if not _path_resolves(found)]
    for found in _DOTTED.findall(line):
        if not _resolves(found) and not _telegram_bot_member(found):
            stale.append(found)
    if re.search(r"\bSPEC\b", line):
        stale.append("SPEC (the design is in docs/)")
    return stale


def test_every_path_and_dotted_name_in_prose_resolves() -> None:
    problems = [f"{path.relative_to(ROOT)}:{n}: {name}" for path, n, line in _prose() for name in _stale(line)]
    assert not problems, "names that no longer resolve:\n" + "\n".join(problems)


def test_every_not_built_yet_mark_is_listed_in_the_docs_index() -> None:
    """A part marked *(not built yet)* in docs/ is listed under docs/README.md's "Design ahead of the code" (and a
    built part loses both), so the pages never claim that something built is missing or the reverse."""
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8").split("## Design ahead of the code", 1)[1]
    listed = re.findall(r"^- \*\*(.+?)\*\*", index, flags=re.M)
    marked = [
        (doc.name, n)
        for doc in sorted((ROOT / "docs").glob("*.md"))
        if doc.name != "README.md"
        for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1)
        if "*(not built yet)*" in line
    ]
    assert bool(marked) == bool(listed), f"marks {marked} against entries {listed} in docs/README.md"
