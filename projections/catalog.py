"""Every projection: its name, projection class, view class per backend and its rows.

The replay tools and ``siaga112 project`` iterate this catalogue; a new read model is one
entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from projections.base import RowProjection
from projections.boards import BoardsProjection, PostgresBoardsView, SQLiteBoardsView
from projections.callers import CallersProjection, PostgresCallersView, SQLiteCallersView
from projections.kpis import KpisProjection, PostgresKpisView, SQLiteKpisView
from projections.schema import Row
from projections.tables import RowView

Backend = Literal["sqlite", "postgres"]


@dataclass(frozen=True)
class ProjectionSpec:
    """One read model of the catalogue."""

    name: str
    projection: type[RowProjection[Any]]
    views: Mapping[Backend, type[RowView]]
    rows: Callable[[RowView], dict[str, list[Row]]]
    description: str

    def view_class(self, backend: str) -> type[RowView]:
        """The view class for a backend ("sqlite" or "postgres")."""
        if backend not in self.views:
            raise ValueError(f"projection {self.name} needs SQLite or PostgreSQL, not {backend}")
        return self.views[backend]  # type: ignore[index]


def all_rows(view: RowView) -> dict[str, list[Row]]:
    """Every row of every table of a view, sorted by key: what a rebuild compares."""
    return view.dump()


CATALOG: dict[str, ProjectionSpec] = {
    spec.name: spec
    for spec in (
        ProjectionSpec(
            "boards",
            BoardsProjection,
            {"sqlite": SQLiteBoardsView, "postgres": PostgresBoardsView},
            all_rows,
            "agency boards: active incidents per agency, with timers, and every unit",
        ),
        ProjectionSpec(
            "caller_history",
            CallersProjection,
            {"sqlite": SQLiteCallersView, "postgres": PostgresCallersView},
            all_rows,
            "calls per caller number with dispositions, for the classifier",
        ),
        ProjectionSpec(
            "kpis",
            KpisProjection,
            {"sqlite": SQLiteKpisView, "postgres": PostgresKpisView},
            all_rows,
            "counts and timings per local day, agency and category",
        ),
    )
}
