"""``classifier evaluate``: the evaluation report of a model file (split from
:mod:`classifier.cli`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from classifier.report import (
    DEFAULT_EVAL_N,
    DEFAULT_EVAL_SEED,
    PRIOR_SHIFT_N,
    run_evaluation,
    summary_line,
)
from classifier.synthetic import DEFAULT_PRESET, PRESETS

USAGE = 2
Handler = Callable[..., int]
Step = Callable[[str], AbstractContextManager[object]]


def count(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {minimum}, not {text}")
        return value

    return parse


def add_evaluate(commands: argparse._SubParsersAction[argparse.ArgumentParser], step: Step) -> None:
    p = commands.add_parser(
        "evaluate",
        help="evaluate a model on held-out synthetic reports",
        description="Score held-out synthetic reports (templates, streets and kelurahan never "
        "seen in training; true labels) and write evaluation.json, evaluation.html, "
        "calibration.png and precision_recall.png.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("var/classifier-evaluation"),
        help="directory for the report",
    )
    p.add_argument("--seed", type=int, default=DEFAULT_EVAL_SEED, help="generator seed")
    p.add_argument(
        "--n",
        type=count(10),
        default=DEFAULT_EVAL_N,
        help="reports to score (the default mix gives over 2,000 genuine ones)",
    )
    p.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default=DEFAULT_PRESET,
        help="class mix of the evaluation data",
    )
    p.add_argument("--model", type=Path, default=None, help="model file (default: shipped model)")
    p.set_defaults(handler=evaluate_handler(step))


def evaluate_handler(step: Step) -> Handler:
    def handle(args: argparse.Namespace, *_context: object) -> int:
        try:
            with step(f"evaluating on {args.n} held-out reports"):
                report = run_evaluation(
                    args.model,
                    out_dir=args.out,
                    seed=args.seed,
                    n=args.n,
                    preset=args.preset,
                    prior_shift_n=min(args.n, PRIOR_SHIFT_N),
                )
        except FileNotFoundError as error:
            _refuse(f"evaluate: {error}; give a model file with --model")
            return USAGE
        print(summary_line(report))
        print(f"report in {args.out}/evaluation.html")
        return 0

    return handle


def _refuse(message: str) -> None:
    print(f"classifier: {message}", file=sys.stderr)
