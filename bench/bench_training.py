"""Benchmark training the false-call classifier at full size; prints one JSON object.

The unit tests train on a few hundred synthetic reports (enough to check the behaviour); this
runs what ``classifier train`` does with its defaults (16,000 reports, the shipped model's
recipe) and times each step: generating the data, fitting (calibration included), writing the
skops file, loading and auditing it again, and scoring the held-out evaluation set.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifier import load_scorer, save_model, train
from classifier.cli import CARD_EVAL_N, DEFAULT_TRAIN_N, DEFAULT_TRAIN_SEED
from classifier.report import evaluate_scorer
from classifier.scorer import SafeScorer
from classifier.synthetic import DEFAULT_PRESET, generate_tagged


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=DEFAULT_TRAIN_N, help="training reports")
    parser.add_argument("--eval-n", type=int, default=CARD_EVAL_N, help="held-out reports")
    parser.add_argument("--seed", type=int, default=DEFAULT_TRAIN_SEED, help="random seed")
    args = parser.parse_args(argv)

    seconds: dict[str, float] = {}

    def timed(step: str, started: float) -> None:
        seconds[step] = round(time.perf_counter() - started, 3)

    started = time.perf_counter()
    tagged = generate_tagged(args.n, seed=args.seed, mix=DEFAULT_PRESET, split="train")
    timed("generate", started)
    started = time.perf_counter()
    model = train([t.example for t in tagged], seed=args.seed, groups=[t.template for t in tagged])
    timed("train", started)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.skops"
        started = time.perf_counter()
        save_model(model, path)
        timed("save", started)
        size = path.stat().st_size
        started = time.perf_counter()
        scorer = load_scorer(path, timeout_ms=0)
        timed("load", started)
    if not isinstance(scorer, SafeScorer):
        raise SystemExit("the model just written could not be loaded")
    started = time.perf_counter()
    report, _ = evaluate_scorer(scorer, n=args.eval_n, prior_shift_n=0)
    timed("evaluate", started)
    headline = report["headline"]
    result: dict[str, Any] = {
        "python": platform.python_version(),
        "train_n": args.n,
        "eval_n": report["n"],
        "seconds": seconds,
        "model_bytes": size,
        "genuine_banded_high_pct": round(100 * headline["genuine_banded_high"]["rate"], 3),
        "false_banded_high_pct": round(100 * headline["false_banded_high"]["rate"], 2),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
