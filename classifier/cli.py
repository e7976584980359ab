"""``classifier train`` and ``classifier evaluate``, for ``siaga112`` and ``python -m classifier``.

Both commands set ``handler`` on the parsed arguments: call ``args.handler(args)`` and exit
with the integer it returns.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from classifier import card
from classifier.compiled import CompiledModel
from classifier.inputs import LabeledExample
from classifier.model import train
from classifier.persistence import save_model
from classifier.report import (
    DEFAULT_EVAL_N,
    DEFAULT_EVAL_SEED,
    PRIOR_SHIFT_N,
    evaluate_scorer,
    run_evaluation,
    summary_line,
)
from classifier.scorer import DEFAULT_MODEL_PATH, SafeScorer
from classifier.synthetic import DEFAULT_PRESET, PRESETS, generate_tagged
from classifier.thresholds import (
    DEFAULT_COST_RATIO,
    DEFAULT_SILENT_COST_RATIO,
    InvalidThresholds,
    Thresholds,
)

DEFAULT_TRAIN_SEED = 112
DEFAULT_TRAIN_N = 16_000
#: Held-out reports scored after training, for the model card's metrics.
CARD_EVAL_N = 5000

ExamplesFromEvents = Callable[[], Iterable[LabeledExample]]
# Handlers take the parsed arguments, plus whatever context the host command passes along.
Handler = Callable[..., int]


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    examples_from_events: ExamplesFromEvents | None = None,
) -> None:
    """Add ``classifier train`` and ``classifier evaluate`` to a command-line parser."""
    parser = subparsers.add_parser(
        "classifier",
        help="train or evaluate the false-call classifier",
        description="The false-call classifier: a calibrated model that annotates 112 reports "
        "with a likelihood band (it never routes, drops or blocks a call).",
    )
    commands = parser.add_subparsers(dest="classifier_command", required=True, metavar="COMMAND")
    _add_train(commands, examples_from_events)
    _add_evaluate(commands)


def _add_train(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    examples_from_events: ExamplesFromEvents | None,
) -> None:
    p = commands.add_parser(
        "train",
        help="train a model and write it with its model card",
        description="Train on synthetic reports (a published class mix) or on closed incidents' "
        "final dispositions (--from-events), then write the skops model file and its model "
        "card (JSON) beside it. With the defaults this rebuilds the shipped model bit-for-bit.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default=DEFAULT_PRESET,
        help="class mix of the synthetic training data",
    )
    p.add_argument("--n", type=int, default=DEFAULT_TRAIN_N, help="synthetic reports to generate")
    p.add_argument("--seed", type=int, default=DEFAULT_TRAIN_SEED, help="random seed")
    p.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH, help="model file to write")
    p.add_argument(
        "--from-events",
        action="store_true",
        help="train on closed incidents from the event store instead of synthetic data",
    )
    p.add_argument(
        "--cost-ratio",
        type=float,
        default=DEFAULT_COST_RATIO,
        help="cost of banding a genuine emergency HIGH / cost of a wasted response",
    )
    p.add_argument(
        "--silent-cost-ratio",
        type=float,
        default=DEFAULT_SILENT_COST_RATIO,
        help="the same ratio for silent calls (nobody spoke); at least --cost-ratio",
    )
    p.add_argument(
        "--eval-n",
        type=int,
        default=CARD_EVAL_N,
        help="held-out synthetic reports scored for the model card's metrics",
    )
    p.set_defaults(handler=_train_handler(examples_from_events))


def _add_evaluate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        type=int,
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
    p.set_defaults(handler=_evaluate)


def _train_handler(examples_from_events: ExamplesFromEvents | None) -> Handler:
    def handle(args: argparse.Namespace, *_context: object) -> int:
        started = time.perf_counter()
        if args.from_events:
            if examples_from_events is None:
                print(
                    "--from-events needs the dispatch core: run `siaga112 classifier train "
                    "--from-events`",
                    file=sys.stderr,
                )
                return 2
            examples = list(examples_from_events())
            groups = [e.report.caller_number or f"anonymous-{i}" for i, e in enumerate(examples)]
            description = f"{len(examples)} closed incidents from the event store"
            reproduce = "siaga112 classifier train --from-events (data changes over time)"
        else:
            tagged = generate_tagged(args.n, seed=args.seed, mix=args.preset, split="train")
            examples = [t.example for t in tagged]
            groups = [t.template for t in tagged]
            description = (
                f"{args.n} synthetic reports, preset {args.preset}, split train, 3 % label noise"
            )
            reproduce = (
                f"python -m classifier train --preset {args.preset} --n {args.n} "
                f"--seed {args.seed} --cost-ratio {args.cost_ratio:g} "
                f"--silent-cost-ratio {args.silent_cost_ratio:g}"
            )
        try:
            thresholds = Thresholds.from_cost_ratio(
                args.cost_ratio, silent_cost_ratio=args.silent_cost_ratio
            )
        except InvalidThresholds as error:
            print(f"classifier train: {error}", file=sys.stderr)
            return 2
        model = train(
            examples,
            seed=args.seed,
            groups=groups,
            thresholds=thresholds,
            data_description=description,
        )
        scorer = SafeScorer(
            CompiledModel(model), version="unsaved", thresholds=thresholds, timeout_ms=0
        )
        report, _ = evaluate_scorer(scorer, n=args.eval_n, prior_shift_n=0)
        report.pop("groups", None)  # the full per-group table lives in `classifier evaluate`
        report.pop("model_version", None)  # the card states the saved file's version
        model = card.complete(model, report, reproduce)
        version = save_model(model, args.out)
        print(
            f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) version {version} "
            f"in {time.perf_counter() - started:.0f} s"
        )
        print(summary_line(report))
        return 0

    return handle


def _evaluate(args: argparse.Namespace, *_context: object) -> int:
    try:
        report = run_evaluation(
            args.model,
            out_dir=args.out,
            seed=args.seed,
            n=args.n,
            preset=args.preset,
            prior_shift_n=min(args.n, PRIOR_SHIFT_N),
        )
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary_line(report))
    print(f"report in {args.out}/evaluation.html")
    return 0
