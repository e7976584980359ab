"""The layers of the code, read from its imports: each top-level package imports only the layers
below it, so there is no import cycle between packages and the domain stays at the bottom.

A failure names the importing file, the line and the imported module, e.g.
``dispatch/feeds/eido.py:16 imports replay.eido (dispatch may import only: ...)``.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Bottom first. A package may import the packages of the layers below its own, never its own
#: layer's neighbours or anything above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("domain",),  # pure: aggregates, events, values
    ("classifier", "formats"),  # the false-call model; the JSON/EIDO/PIDF-LO shapes
    ("dispatch",),  # the application: the service and its ports, the present, the feeds
    ("adapters",),  # stores, scoring, the routing advisor, tokens; build_center wires them
    ("projections",),  # read models built from the log
    ("replay",),  # audit: timelines, state at a moment, tamper evidence, KPIs
    ("console_ui", "simulator"),  # the console's files; a client that speaks HTTP only
    ("entrypoints",),  # HTTP, websockets and the siaga112 command
    ("bench",),
)
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}
#: Libraries whose use means I/O or a clock; the domain must not import them.
DOMAIN_FORBIDDEN = frozenset(
    {"socket", "sqlite3", "psycopg", "httpx", "requests", "fastapi", "os", "time", "threading"}
)

#: The database drivers: the application reaches its stores only through its ports and the
#: library's recorder interface, the adapters (``adapters/``) implement them.
STORE_DRIVERS = (
    "sqlite3",
    "psycopg",
    "psycopg_pool",
    "eventsourcing.sqlite",
    "eventsourcing.postgres",
)


@dataclass(frozen=True)
class Edge:
    """One import of one file."""

    path: Path
    line: int
    module: str

    @property
    def source(self) -> str:
        return self.path.relative_to(ROOT).parts[0]

    @property
    def target(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.module}"


def imports(path: Path) -> list[Edge]:
    """Every absolute import of a file, inside functions too."""
    edges: list[Edge] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            edges += [Edge(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            edges.append(Edge(path, node.lineno, node.module))
    return edges


@functools.cache
def project_imports() -> tuple[Edge, ...]:
    """The imports of every project file of every layered package (parsed once per run)."""
    return tuple(
        edge
        for package in RANK
        for path in sorted((ROOT / package).rglob("*.py"))
        for edge in imports(path)
    )


def test_every_top_level_package_is_placed_in_a_layer() -> None:
    packages = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and ((p / "__init__.py").exists() or p.name == "bench")
    }
    assert packages - {"tests"} == set(RANK), "add the new package to LAYERS"


def test_each_package_imports_only_the_layers_below_it() -> None:
    upward = [
        f"{edge} ({edge.source} may import only: "
        f"{', '.join(sorted(p for p, r in RANK.items() if r < RANK[edge.source])) or 'nothing'})"
        for edge in project_imports()
        if edge.target in RANK
        and edge.target != edge.source
        and RANK[edge.target] >= RANK[edge.source]
    ]
    assert upward == []


def test_the_domain_does_no_io_and_reads_no_clock() -> None:
    found = [
        str(edge)
        for edge in project_imports()
        if edge.source == "domain" and edge.target in DOMAIN_FORBIDDEN
    ]
    assert found == []


def test_the_application_imports_no_database_driver() -> None:
    found = [
        str(edge)
        for edge in project_imports()
        if edge.source == "dispatch"
        and any(edge.module == d or edge.module.startswith(d + ".") for d in STORE_DRIVERS)
    ]
    assert found == []


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    """The walker itself sees imports inside functions, so the checks above can fail."""
    module = tmp_path / "sample.py"
    module.write_text("def f() -> None:\n    from replay.eido import eido\n", encoding="utf-8")
    edges = imports(module)
    assert [(e.line, e.module) for e in edges] == [(2, "replay.eido")]
