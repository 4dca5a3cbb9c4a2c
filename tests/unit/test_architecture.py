"""The house's import rules, read from the source with ast: one public face per domain, no cycles.

A domain is a folder under server/fotfeste/ (accounts, meetings, recovery, …). Another domain may
import only its `service` (what it offers: functions with plain signatures) and its `models`
(msgspec shapes, for the types those functions take and return). Its store, routes, logic and the
rest are its own business, so they can change without breaking a neighbour. Shared modules
(db, clock, dates, errors, ids, settings, kdf, workers, web/…) may be imported by anyone, and follow
the same rule when they import a domain. The composition roots assemble the domains and may
import any of their modules: app.py, cli.py, demo.py, __main__.py, processes.py, and web/deps.py
and web/state.py, which name what app.py provides to every route (the database, the account and
its write quota, the shared objects).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "fotfeste"
PUBLIC = frozenset({"service", "models"})
SHARED_PACKAGES = frozenset({"web", "migrations"})
COMPOSITION_ROOTS = frozenset(
    {"app.py", "cli.py", "demo.py", "__main__.py", "processes.py", "web/deps.py", "web/state.py"}
)


def _domains() -> frozenset[str]:
    return frozenset(
        p.name
        for p in PACKAGE.iterdir()
        if p.is_dir() and p.name not in SHARED_PACKAGES and any(p.glob("*.py"))
    )


def _module_name(path: Path) -> str:
    parts = ["fotfeste", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, *, top_level_only: bool) -> Iterator[tuple[int, str, bool]]:
    """(line, dotted name, is a `from` source) of every import; `from a import b` yields a, a.b.

    With top_level_only, imports inside functions and `if TYPE_CHECKING:` are left out: they do
    not run when the module is first imported, so they cannot make an import cycle.
    """
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, False
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            yield node.lineno, source, True
            for alias in node.names:
                yield node.lineno, f"{source}.{alias.name}", False
        elif top_level_only and (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            or (isinstance(node, ast.If) and _is_type_checking(node))
        ):
            if isinstance(node, ast.If):
                todo.extend(node.orelse)
            continue
        else:
            todo.extend(ast.iter_child_nodes(node))


def _owner(path: Path, domains: frozenset[str]) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in domains else None


def test_domains_are_found() -> None:
    # Guards the rule below against passing because it found nothing to check.
    assert {"accounts", "meetings", "recovery", "reminders", "scales", "staff"} <= _domains()


def test_a_domain_imports_another_only_through_its_service_or_models() -> None:
    domains = _domains()
    bad: set[str] = set()
    for path in _modules().values():
        if path.relative_to(PACKAGE).as_posix() in COMPOSITION_ROOTS:
            continue
        mine = _owner(path, domains)
        for line, name, is_source in _imports(path, top_level_only=False):
            parts = name.split(".")
            if len(parts) < 2 or parts[0] != "fotfeste" or parts[1] not in domains:
                continue
            if parts[1] == mine or (is_source and len(parts) == 2):
                continue  # `from fotfeste.push import service`: the name imported decides
            if len(parts) == 2 or parts[2] not in PUBLIC:
                where = path.relative_to(PACKAGE.parent)
                bad.add(f"{where}:{line} imports {'.'.join(parts[:3])}")
    assert not bad, (
        "a domain may import another domain only through its service (or models for shapes):\n"
        + "\n".join(sorted(bad))
    )


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _, imported, _ in _imports(path, top_level_only=True):
            # Importing a.b.c runs a/__init__ and a/b/__init__ first; a name that is not a
            # module (a function or class) is resolved to the module it lives in.
            parts = imported.split(".")
            for i in range(2, len(parts) + 1):
                target = ".".join(parts[:i])
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_in_a_circle() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (each line one circle):\n" + "\n".join(
        " <-> ".join(c) for c in cycles
    )


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_every_domain_has_a_thin_documented_service() -> None:
    missing = []
    for domain in sorted(_domains()):
        service = PACKAGE / domain / "service.py"
        if not service.exists():
            missing.append(f"{domain}: no service.py")
            continue
        text = service.read_text(encoding="utf-8")
        if ast.get_docstring(ast.parse(text)) is None:
            missing.append(f"{domain}/service.py: no docstring saying what the domain offers")
        if text.count("\n") >= 400:
            missing.append(f"{domain}/service.py: 400 lines or more; a face should stay thin")
    assert not missing, "\n".join(missing)
