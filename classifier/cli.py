"""``classifier train`` and ``classifier evaluate``, for ``siaga112`` and ``python -m classifier``.

Both commands set ``handler`` on the parsed arguments: call ``args.handler(args)`` and exit
with the integer it returns: 0 ok, 2 usage (bad arguments, no usable model, too little
training data). The host command may pass a ``Step`` to show progress on a terminal, and the
folder where trained models go by default.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from classifier import card
from classifier.cli_evaluate import add_evaluate, count
from classifier.compiled import CompiledModel
from classifier.importance import MetadataShortcut
from classifier.inputs import LabeledExample
from classifier.model import TrainingDataError, train
from classifier.persistence import save_model
from classifier.report import (
    evaluate_scorer,
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
#: What the card keeps of the held-out breakdown (the per-channel table stays in `evaluate`).
HELD_OUT_KEYS = ("genuine_with_speech_banded_high", "false_banded_high", "banded_high_by_class")
#: Held-out reports scored after training, for the model card's metrics.
CARD_EVAL_N = 5000
USAGE = 2

ExamplesFromEvents = Callable[[], Iterable[LabeledExample]]
# Handlers take the parsed arguments, plus whatever context the host command passes along.
Handler = Callable[..., int]
#: Shows that a stage is running (``with step("fitting"):``); the default shows nothing.
Step = Callable[[str], AbstractContextManager[object]]


def _no_step(_: str) -> AbstractContextManager[object]:
    return nullcontext()


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    examples_from_events: ExamplesFromEvents | None = None,
    models_dir: Callable[[], Path] = lambda: Path("var/models"),
    step: Step = _no_step,
    more: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None] | None = None,
) -> None:
    """Add ``classifier train`` and ``classifier evaluate`` to a command-line parser.

    ``train`` without ``--out`` writes into ``models_dir()``, never over the shipped model.
    ``more`` adds the host's own commands to the group (``compare``, ``shadow``, ``promote``).
    """
    parser = subparsers.add_parser(
        "classifier",
        help="train or evaluate the false-call classifier",
        description="The false-call classifier: a calibrated model that annotates 112 reports "
        "with a likelihood band (it never routes, drops or blocks a call).",
    )
    parser.set_defaults(handler=_help(parser))
    commands = parser.add_subparsers(dest="classifier_command", metavar="COMMAND")
    _add_train(commands, examples_from_events, models_dir, step)
    add_evaluate(commands, step)
    if more is not None:
        more(commands)


def _help(parser: argparse.ArgumentParser) -> Handler:
    def handle(*_: object) -> int:
        parser.print_help()
        return USAGE

    return handle


def _add_train(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    examples_from_events: ExamplesFromEvents | None,
    models_dir: Callable[[], Path],
    step: Step,
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
    p.add_argument(
        "--n", type=count(10), default=DEFAULT_TRAIN_N, help="synthetic reports to generate"
    )
    p.add_argument("--seed", type=int, default=DEFAULT_TRAIN_SEED, help="random seed")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"model file to write (default: <var>/models/{DEFAULT_MODEL_PATH.name}; the "
        "shipped model is never overwritten unless named here)",
    )
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
        type=count(1),
        default=CARD_EVAL_N,
        help="held-out synthetic reports scored for the model card's metrics",
    )
    p.set_defaults(handler=_train_handler(examples_from_events, models_dir, step))


def _train_handler(
    examples_from_events: ExamplesFromEvents | None, models_dir: Callable[[], Path], step: Step
) -> Handler:
    def handle(args: argparse.Namespace, *_context: object) -> int:
        try:
            return _train(args, examples_from_events, models_dir, step)
        except TrainingDataError as error:
            _refuse(
                f"too little training data: {error}; close more incidents with a final "
                "disposition, or train on synthetic data (without --from-events)"
            )
            return USAGE
        except MetadataShortcut as error:
            _refuse(f"training refused: {error}; make the data's metadata overlap as in life")
            return USAGE

    return handle


def _refuse(message: str) -> None:
    print(f"classifier: {message}", file=sys.stderr)


@dataclass(frozen=True)
class _TrainingData:
    examples: list[LabeledExample]
    groups: list[str]
    description: str
    reproduce: str


def _train(
    args: argparse.Namespace,
    examples_from_events: ExamplesFromEvents | None,
    models_dir: Callable[[], Path],
    step: Step,
) -> int:
    started = time.perf_counter()
    out: Path = args.out or models_dir() / DEFAULT_MODEL_PATH.name
    try:
        thresholds = Thresholds.from_cost_ratio(
            args.cost_ratio, silent_cost_ratio=args.silent_cost_ratio
        )
    except InvalidThresholds as error:
        _refuse(f"train: {error}")
        return USAGE
    data = _training_data(args, examples_from_events, step)
    if data is None:
        return USAGE
    with step(f"training on {len(data.examples)} reports (calibrated cross-validation)"):
        model = train(
            data.examples,
            seed=args.seed,
            groups=data.groups,
            thresholds=thresholds,
            data_description=data.description,
        )
    scorer = SafeScorer(
        CompiledModel(model), version="unsaved", thresholds=thresholds, timeout_ms=0
    )
    with step(f"scoring {args.eval_n} held-out reports for the model card"):
        report, _ = evaluate_scorer(scorer, n=args.eval_n, prior_shift_n=0)
    report.pop("groups", None)  # the full per-group table lives in `classifier evaluate`
    held = report.pop("by_class_and_channel", None)  # the per-channel table lives there too
    if held:  # the card keeps the held-out figures the goals are stated in
        report["held_out_by_class"] = {k: held[k] for k in HELD_OUT_KEYS}
    report.pop("model_version", None)  # the card states the saved file's version
    model = card.complete(model, report, data.reproduce)
    version = save_model(model, out)
    print(
        f"wrote {out} and its card {out.with_suffix('.card.json').name} "
        f"({out.stat().st_size / 1e6:.2f} MB) version {version} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    print(summary_line(report))
    return 0


def _training_data(
    args: argparse.Namespace, examples_from_events: ExamplesFromEvents | None, step: Step
) -> _TrainingData | None:
    if args.from_events:
        if examples_from_events is None:
            _refuse(
                "--from-events needs the dispatch core: run `siaga112 classifier train "
                "--from-events`"
            )
            return None
        with step("reading closed incidents from the event store"):
            examples = list(examples_from_events())
        return _TrainingData(
            examples,
            [e.report.caller_number or f"anonymous-{i}" for i, e in enumerate(examples)],
            f"{len(examples)} closed incidents from the event store",
            "siaga112 classifier train --from-events (data changes over time)",
        )
    with step(f"generating {args.n} synthetic reports"):
        tagged = generate_tagged(args.n, seed=args.seed, mix=args.preset, split="train")
    return _TrainingData(
        [t.example for t in tagged],
        [t.template for t in tagged],
        f"{args.n} synthetic reports, preset {args.preset}, split train, 3 % label noise",
        f"python -m classifier train --preset {args.preset} --n {args.n} "
        f"--seed {args.seed} --cost-ratio {args.cost_ratio:g} "
        f"--silent-cost-ratio {args.silent_cost_ratio:g}",
    )
