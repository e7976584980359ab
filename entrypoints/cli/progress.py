"""Progress for long commands: on a terminal only, silent in pipes, files and CI.

A command says what it is doing (``with step("verifying the hash chain"):``) or walks a
sequence (``for unit in track(units, "registering units"):``); the bar or spinner is drawn on
stderr and erased when done, so stdout keeps only the result. Nothing is drawn when stderr
is not a terminal, when ``CI`` is set or ``TERM=dumb``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

T = TypeVar("T")


def shown(stream: TextIO | None = None) -> bool:
    """Whether progress is drawn on ``stream`` (default stderr)."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


def _progress(stream: TextIO, bar: bool) -> Progress:
    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
    if bar:
        columns += [BarColumn(), MofNCompleteColumn()]
    columns.append(TimeElapsedColumn())
    console = Console(file=stream, force_terminal=True)
    return Progress(*columns, console=console, transient=True)


@contextmanager
def step(description: str, stream: TextIO | None = None) -> Iterator[None]:
    """A spinner with the elapsed time while the body runs (nothing off a terminal)."""
    stream = sys.stderr if stream is None else stream
    if not shown(stream):
        yield
        return
    with _progress(stream, bar=False) as progress:
        progress.add_task(description, total=None)
        yield


def track(
    items: Iterable[T], description: str, total: int | None = None, stream: TextIO | None = None
) -> Iterator[T]:
    """Yield ``items`` while a bar counts them (nothing off a terminal)."""
    stream = sys.stderr if stream is None else stream
    if not shown(stream):
        yield from items
        return
    if total is None and isinstance(items, Sequence):
        total = len(items)
    with _progress(stream, bar=True) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
