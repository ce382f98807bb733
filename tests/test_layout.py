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


def test_imports_run_one_way() -> None:
    root_of_composition = {
        ROOT / "bot" / name for name in ("app.py", "cli.py", "inbound.py", "webhook.py", "__main__.py")
    }
    for path in (ROOT / "bot").rglob("*.py"):
        if path not in root_of_composition:
            assert not _imports(path) & {"handlers", "scheduler"}, f"{path.relative_to(ROOT)} imports outward"
    for path in (ROOT / "handlers").rglob("*.py"):
        assert "scheduler" not in _imports(path), f"{path.relative_to(ROOT)} imports scheduler/"
    for path in (ROOT / "scheduler").rglob("*.py"):
        assert "handlers" not in _imports(path), f"{path.relative_to(ROOT)} imports handlers/"


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
