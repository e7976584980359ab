"""`siaga112 classifier compare|shadow|promote`: the promotion gate over this store's registry.

* ``compare --candidate FILE`` scores the frozen realistic set and the last N closed
  incidents with the live model and the candidate, and prints both per class (with 95 %
  intervals) and the genuine calls each banded HIGH (with the 95 % upper bound).
* ``shadow --candidate FILE`` registers the candidate and runs it in shadow beside the live
  model from the next start of the server (its scores recorded, never shown); ``--stop``.
* ``promote --candidate FILE`` compares, then makes the candidate live only when it bands no
  more genuine calls HIGH than the live model on every data set; otherwise it says why it
  refuses (exit 1) and records the refusal. Promotions take effect at the next start.
"""

from __future__ import annotations

import argparse
import getpass
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters.model_gate import last_closed, open_registry, read_registry, register
from adapters.scoring import model_dirs, thresholds
from adapters.storage import event_store_env
from classifier.compare import compare, frozen_sets, render
from classifier.persistence import ModelRefused, card_path, find_model_file, version_of
from classifier.scorer import DEFAULT_MODEL_PATH, NO_MODEL, BatchScorer, load_scorer
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.model_registry import GateFigures, ModelRegistry
from entrypoints.cli import failures

DEFAULT_LAST = 500


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add compare, shadow and promote to the `classifier` command group."""
    for name, text in (
        ("compare", "compare a candidate model with the live one (frozen set, closed incidents)"),
        ("promote", "make a candidate live if it bands no more genuine calls HIGH"),
    ):
        p = commands.add_parser(name, help=text, description=text)
        _candidate(p)
        p.add_argument(
            "--last",
            type=int,
            default=DEFAULT_LAST,
            help=f"closed incidents to compare on, newest last (default {DEFAULT_LAST})",
        )
        p.add_argument("--json", action="store_true", help="print the figures as JSON")
        if name == "promote":
            p.add_argument("--by", default=None, help="who promotes (default: the OS user)")
        p.set_defaults(handler=_compare if name == "compare" else _promote)
    p = commands.add_parser(
        "shadow",
        help="run a candidate model in shadow beside the live one (scores recorded, not shown)",
        description="Register a candidate model and run it in shadow from the next start: "
        "every report gets its score as a ShadowScored event, never shown, never used.",
    )
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--candidate", type=Path, help="model file (.skops)")
    group.add_argument("--stop", action="store_true", help="stop the shadow model")
    p.add_argument("--by", default=None, help="who starts it (default: the OS user)")
    p.set_defaults(handler=_shadow)


def _candidate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--candidate", type=Path, required=True, help="candidate model file (.skops)")


def _install(path: Path, settings: Settings) -> Path:
    """The model file where the server finds it by version (copied into <var>/models with its
    card when it is elsewhere)."""
    version = version_of(path.read_bytes())
    found = find_model_file(version, model_dirs(settings))
    if found is not None:
        return found
    target = settings.var_dir / "models" / f"{version.split(':')[-1][:16]}.skops"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    if card_path(path).exists():
        shutil.copyfile(card_path(path), card_path(target))
    return target


def _actor(args: argparse.Namespace) -> str:
    return f"cli:{args.by or getpass.getuser()}"


def _refuse(message: str) -> int:
    print(f"classifier: {message}", file=sys.stderr)
    return failures.USAGE


def _live_path(settings: Settings, registry: ModelRegistry | None) -> Path:
    if settings.classifier_model_path is not None:
        return settings.classifier_model_path
    if registry is not None and registry.live is not None:
        found = find_model_file(registry.live, model_dirs(settings))
        if found is not None:
            return found
    return DEFAULT_MODEL_PATH


def _scorer(path: Path, settings: Settings) -> BatchScorer | None:
    scorer = load_scorer(path, thresholds=thresholds(settings), timeout_ms=0)
    return None if scorer.version == NO_MODEL else scorer


def _figures(
    center: DispatchCenter, settings: Settings, args: argparse.Namespace
) -> tuple[list[dict[str, Any]], str] | int:
    registry = read_registry(center)
    live_path = _live_path(settings, registry)
    live, candidate = _scorer(live_path, settings), _scorer(args.candidate, settings)
    if candidate is None:
        return _refuse(f"no usable model at {args.candidate}")
    if live is None:
        return _refuse(f"the live model at {live_path} cannot be loaded")
    try:
        data = frozen_sets()
        closed = last_closed(center, max(args.last, 0))
        if closed:
            data.append((f"last {len(closed)} closed incidents", closed))
        return [compare(live, candidate, examples, name) for name, examples in data], (
            candidate.version
        )
    finally:
        live.close()
        candidate.close()


def _print(comparisons: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        rows = [c | {"gate": c["gate"].__dict__} for c in comparisons]
        print(json.dumps(rows, indent=2))
        return
    for c in comparisons:
        print(render(c))
        print()


def _with_center(settings: Settings) -> DispatchCenter:
    return DispatchCenter(env=event_store_env(settings))


def _compare(args: argparse.Namespace, settings: Settings) -> int:
    center = _with_center(settings)
    try:
        result = _figures(center, settings, args)
    finally:
        center.close()
    if isinstance(result, int):
        return result
    comparisons, _ = result
    _print(comparisons, args.json)
    reasons = [why for c in comparisons if (why := c["gate"].refusal())]
    print("gate: " + ("would refuse: " + "; ".join(reasons) if reasons else "would promote"))
    return 0


def _promote(args: argparse.Namespace, settings: Settings) -> int:
    center = _with_center(settings)
    try:
        result = _figures(center, settings, args)
        if isinstance(result, int):
            return result
        comparisons, version = result
        _print(comparisons, args.json)
        registry = open_registry(center)
        now = datetime.now(UTC)
        try:
            register(registry, _install(args.candidate, settings), actor=_actor(args), at=now)
        except ModelRefused as error:
            return _refuse(str(error))
        if registry.live == version:
            return _refuse(f"{version} is already the live model")
        figures: list[GateFigures] = [c["gate"] for c in comparisons]
        reasons = registry.promote(version, figures, actor=_actor(args), at=now)
        center.save(registry)
    finally:
        center.close()
    if reasons:
        print("promotion refused: " + "; ".join(reasons), file=sys.stderr)
        return failures.CHECK_FAILED
    print(f"promoted {version}: live from the next start of the server")
    return 0


def _shadow(args: argparse.Namespace, settings: Settings) -> int:
    center = _with_center(settings)
    try:
        registry = open_registry(center)
        now = datetime.now(UTC)
        if args.stop:
            registry.stop_shadow(actor=_actor(args), at=now)
            center.save(registry)
            print("no model runs in shadow from the next start")
            return 0
        try:
            installed = _install(args.candidate, settings)
            version, _ = register(registry, installed, actor=_actor(args), at=now)
        except ModelRefused as error:
            return _refuse(str(error))
        if registry.live == version:
            return _refuse(f"{version} is the live model")
        registry.start_shadow(version, actor=_actor(args), at=now)
        center.save(registry)
    finally:
        center.close()
    print(f"{version} runs in shadow from the next start of the server")
    return 0
