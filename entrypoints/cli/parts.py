"""Subcommands contributed by the other parts (classifier, projections, feeds, replay).

Each part has a module with ``register(subparsers)``; list it here, once.
"""

from __future__ import annotations

import argparse
import importlib

PARTS: tuple[str, ...] = (
    "entrypoints.cli.training",
    "entrypoints.cli.replay",
    "entrypoints.cli.project",
    "entrypoints.cli.feed",
    "simulator.cli",  # imported here, when the parser is built: simulator imports no dispatch
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommands of every part."""
    for module_name in PARTS:
        importlib.import_module(module_name).register(sub)
