"""Subcommands contributed by other parts (classifier, projections, replay, bench)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommands of the parts that are installed."""
