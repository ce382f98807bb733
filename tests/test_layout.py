"""The repository's shape: the README's Layout block matches the tree, and imports run one way."""

from __future__ import annotations

import ast
import re
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
