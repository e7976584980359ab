"""The facts behind ``/publik`` and the agency records: the ``kpis`` projection's rows, read
through the process's projection readers (the whole log on a store without projections)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from dispatch.center import DispatchCenter
from projections.kpis import KpisView
from projections.wiring import ProjectionReaders, ProjectionsUnavailable
from replay.kpi_source import FactsRead, from_log, from_projection

Reader = Callable[[datetime, datetime], FactsRead]


def facts_reader(readers: ProjectionReaders | None, center: DispatchCenter) -> Reader:
    """A reader of the facts of a period through the process's projection readers."""

    def read(start: datetime, end: datetime) -> FactsRead:
        if readers is None:
            return from_log(center, "this process reads no projections")
        try:
            view = readers.view("kpis")
        except ProjectionsUnavailable as error:  # a memory store
            return from_log(center, str(error))
        assert isinstance(view, KpisView)
        return from_projection(center, view, start, end)

    return read
