"""`classifier train|evaluate` from the command line, and the hook for closed incidents."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from classifier import LabeledExample
from classifier.__main__ import main
from classifier.cli import register
from classifier.synthetic import generate


def test_train_writes_a_model_and_card_that_evaluate_can_read(tmp_path: Path) -> None:
    model = tmp_path / "m.skops"
    # Small data: the full-size run is bench/bench_training.py.
    assert main(["train", "--n", "60", "--seed", "5", "--out", str(model), "--eval-n", "40"]) == 0
    card = json.loads(model.with_suffix(".card.json").read_text())
    assert card["training_data"]["examples"] == 60
    assert "python -m classifier train" in card["reproduce"]
    assert card["metrics"]["headline"]["genuine_banded_high"]["n"] > 0
    out = tmp_path / "report"
    assert main(["evaluate", "--model", str(model), "--out", str(out), "--n", "100"]) == 0
    assert (out / "evaluation.html").exists()


def test_train_from_events_uses_the_examples_the_core_provides(tmp_path: Path) -> None:
    calls: list[int] = []

    def closed_incidents() -> list[LabeledExample]:
        calls.append(1)
        return generate(60, seed=9)

    parser = argparse.ArgumentParser(prog="siaga112")
    register(parser.add_subparsers(dest="command"), examples_from_events=closed_incidents)
    model = tmp_path / "events.skops"
    args = parser.parse_args(
        ["classifier", "train", "--from-events", "--out", str(model), "--eval-n", "40"]
    )
    assert args.handler(args) == 0
    assert calls == [1]
    card = json.loads(model.with_suffix(".card.json").read_text())
    assert "event store" in card["training_data"]["description"]


def test_train_from_events_without_the_core_explains_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--from-events", "--out", str(tmp_path / "x.skops")]) == 2
    assert "siaga112 classifier train --from-events" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["train"], ["evaluate"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: python -m classifier" in capsys.readouterr().out
