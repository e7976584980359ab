"""`siaga112 classifier train|evaluate|compare|shadow|promote` over this store (--from-events
reads its closed incidents; the promotion gate its model registry)."""

from __future__ import annotations

import argparse

from adapters.training import examples_from_events
from classifier import cli as classifier_cli
from entrypoints.cli import models


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`siaga112 classifier train|evaluate`, with --from-events reading this store."""
    from entrypoints.cli import ACTIVE_SETTINGS  # set by main() before any command runs
    from entrypoints.cli.progress import step

    classifier_cli.register(
        sub,
        examples_from_events=lambda: examples_from_events(ACTIVE_SETTINGS.get()),
        models_dir=lambda: ACTIVE_SETTINGS.get().var_dir / "models",
        step=step,
        more=models.add_commands,
    )
