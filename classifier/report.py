"""The evaluation report: JSON for machines, HTML with two plots for people."""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from string import Template
from typing import Any

from classifier import breakdown
from classifier.evaluation import Scored, metrics, rate, score_all
from classifier.frozen_set import (
    UNSEEN_PATH,
    WHOSE_JOKE_PATH,
    as_the_console_sends,
    load_frozen_set,
)
from classifier.inputs import CLASSES, GENUINE
from classifier.scorer import DEFAULT_MODEL_PATH, NO_MODEL, SafeScorer, load_scorer
from classifier.synthetic import DEFAULT_PRESET, PRESETS, exact_counts, generate, mix_of
from domain.taxonomy import ScoreBand

DEFAULT_EVAL_SEED = 2025
DEFAULT_EVAL_N = 5000
MIN_GENUINE = 2000
PRIOR_SHIFT_N = 2000
_TEMPLATE = Path(__file__).with_name("report_template.html")


def run_evaluation(
    model_path: Path | None = None,
    *,
    out_dir: Path | None = None,
    seed: int = DEFAULT_EVAL_SEED,
    n: int = DEFAULT_EVAL_N,
    preset: str = DEFAULT_PRESET,
    prior_shift_n: int = PRIOR_SHIFT_N,
) -> dict[str, Any]:
    """Evaluate a model file on held-out synthetic reports (unseen templates, true labels).

    Writes ``evaluation.json``, ``evaluation.html``, ``calibration.png`` and
    ``precision_recall.png`` to ``out_dir`` when given; returns the metrics.
    """
    scorer = load_scorer(model_path, timeout_ms=0)
    if not isinstance(scorer, SafeScorer) or scorer.version == NO_MODEL:
        raise FileNotFoundError(f"no usable model at {model_path or DEFAULT_MODEL_PATH}")
    try:
        report, result = evaluate_scorer(
            scorer, seed=seed, n=n, preset=preset, prior_shift_n=prior_shift_n
        )
    finally:
        scorer.close()
    if out_dir is not None:
        write_report(report, result, Path(out_dir))
    return report


def evaluate_scorer(
    scorer: SafeScorer,
    *,
    seed: int = DEFAULT_EVAL_SEED,
    n: int = DEFAULT_EVAL_N,
    preset: str = DEFAULT_PRESET,
    prior_shift_n: int = PRIOR_SHIFT_N,
) -> tuple[dict[str, Any], Scored]:
    """The metrics of a scorer on ``n`` held-out reports, and the scored reports."""
    examples = generate(n, seed=seed, mix=preset, split="test", label_noise=0.0)
    result = score_all(scorer, examples)
    report = metrics(result, scorer.thresholds)
    report["data"] = {
        "generator": "classifier.synthetic, split=test (templates, streets, kelurahan unseen "
        "in training), true labels (no label noise)",
        "preset": preset,
        "seed": seed,
        "enough_genuine": report["class_counts"][GENUINE] >= MIN_GENUINE,
    }
    report["model_version"] = scorer.version
    report["frozen_set"] = frozen_set_rates(scorer)
    report["by_class_and_channel"] = breakdown.breakdown(result)
    report["realistic_set"] = breakdown.realistic_set_rates(scorer)
    report["unseen_set"] = breakdown.realistic_set_rates(scorer, UNSEEN_PATH)
    report["whose_joke_set"] = breakdown.realistic_set_rates(scorer, WHOSE_JOKE_PATH)
    if prior_shift_n > 0:
        report["prior_shift"] = _prior_shift(scorer, seed, prior_shift_n, preset)
    return report, result


def frozen_set_rates(scorer: SafeScorer) -> dict[str, Any]:
    """The headline rates on the hand-written frozen set (never used for tuning), as recorded
    and as the console sends the same calls (no timing, no counts)."""
    recorded = load_frozen_set()
    out: dict[str, Any] = {
        "source": "classifier/frozen/reports.psv: hand-written, not from the generator",
        "n": len(recorded),
    }
    for name, examples in (
        ("as_recorded", recorded),
        ("as_the_console_sends", [as_the_console_sends(e) for e in recorded]),
    ):
        result = score_all(scorer, examples)
        genuine = result.labels == GENUINE
        spoken = result.spoke
        high = result.bands == ScoreBand.HIGH.value
        out[name] = {
            "genuine_banded_high": rate(genuine, high),
            "spoken_genuine_to_call_back": rate(genuine & spoken, high | result.callback_first),
            "false_banded_high": rate(~genuine, high),
            "false_banded_high_by_class": {
                c: rate(result.labels == c, high) for c in CLASSES if c != GENUINE
            },
            "safety_rules": dict(Counter(r or "none" for r in result.rules)),
        }
    return out


def _prior_shift(scorer: SafeScorer, seed: int, n: int, skip: str) -> dict[str, Any]:
    """The headline rates on the other published class mixes (research §5.3)."""
    out: dict[str, Any] = {}
    for preset in PRESETS:
        if preset == skip:
            continue
        counts = exact_counts(n, mix_of(preset))
        result = score_all(
            scorer, generate(n, seed=seed + 1, mix=preset, split="test", label_noise=0.0)
        )
        out[preset] = {"class_counts": counts, **metrics(result, scorer.thresholds)["headline"]}
    return out


def write_report(report: Mapping[str, Any], result: Scored, out_dir: Path) -> dict[str, Path]:
    """Write the JSON, the HTML and the two PNG plots; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "evaluation.json",
        "html": out_dir / "evaluation.html",
        "calibration": out_dir / "calibration.png",
        "precision_recall": out_dir / "precision_recall.png",
    }
    paths["json"].write_text(json.dumps(report, indent=2) + "\n")
    _plots(result, paths["calibration"], paths["precision_recall"])
    paths["html"].write_text(_html(report))
    return paths


def _plots(result: Scored, calibration_png: Path, pr_png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import precision_recall_curve

    is_false = (result.labels != GENUINE).astype(int)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
    if 0 < is_false.sum() < len(is_false):
        frac, mean = calibration_curve(is_false, result.p_false, n_bins=10, strategy="quantile")
        ax.plot(mean, frac, "o-", label="p_false")
    ax.set(
        xlabel="mean predicted p_false",
        ylabel="observed share of false calls",
        title="Calibration (held-out templates)",
    )
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(calibration_png, dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 5))
    curves = [("false vs genuine", is_false, result.p_false)]
    curves += [
        (c, (result.labels == c).astype(int), result.p_class[:, i]) for i, c in enumerate(CLASSES)
    ]
    for name, y, p in curves:
        if 0 < y.sum() < len(y):
            precision, recall, _ = precision_recall_curve(y, p)
            ax.plot(recall, precision, label=name)
    ax.set(
        xlabel="recall",
        ylabel="precision",
        title="Precision-recall per class",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(pr_png, dpi=100)
    plt.close(fig)


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.2f} %"


def _rate_cells(r: Mapping[str, Any]) -> str:
    return (
        f"<td>{r['k']}/{r['n']}</td><td>{_pct(r['rate'])}</td>"
        f"<td>{_pct(r['upper95']['clopper_pearson'])}</td>"
    )


def _html(report: Mapping[str, Any]) -> str:
    h, model_only = report["headline"], report["model_only"]

    def pair_rows(items: Mapping[str, Any]) -> str:
        return "".join(
            f"<tr><th>{html.escape(name)}</th>{_rate_cells(g['genuine_banded_high'])}"
            f"{_rate_cells(g['false_banded_high'])}</tr>"
            for name, g in items.items()
        )

    values = {
        "model_version": html.escape(str(report.get("model_version"))),
        "thresholds": html.escape(json.dumps(report["thresholds"])),
        "data": html.escape(json.dumps(report.get("data", {}))),
        "genuine_high": _rate_cells(h["genuine_banded_high"]),
        "false_high": _rate_cells(h["false_banded_high"]),
        "genuine_goal": _pct(h["genuine_high_goal"]),
        "false_goal": _pct(h["false_high_goal"]),
        "model_genuine_high": _pct(model_only["genuine_banded_high"]["rate"]),
        "model_false_high": _pct(model_only["false_banded_high"]["rate"]),
        "brier": f"{report['ranking']['brier_false']}",
        "roc_auc": f"{report['ranking']['roc_auc_false']}",
        "bands": "".join(
            f"<tr><th>{c}</th>" + "".join(f"<td>{_pct(v)}</td>" for v in b.values()) + "</tr>"
            for c, b in report["bands_by_class"].items()
        ),
        "pr_auc": "".join(
            f"<tr><th>{c}</th><td>{'–' if v is None else f'{v:.3f}'}</td></tr>"
            for c, v in report["ranking"]["pr_auc"].items()
        ),
        "groups": pair_rows(report["groups"]),
        "prior_shift": pair_rows(report.get("prior_shift", {})),
        "frozen": pair_rows(
            {
                f"{report['frozen_set']['n']} reports, {shape.replace('_', ' ')}": rates
                for shape, rates in report["frozen_set"].items()
                if isinstance(rates, dict)
            }
            if "frozen_set" in report
            else {}
        ),
    }
    return Template(_TEMPLATE.read_text()).substitute(values)


def summary_line(report: Mapping[str, Any]) -> str:
    """One line for the terminal."""
    h = report["headline"]
    g, f = h["genuine_banded_high"], h["false_banded_high"]
    return (
        f"genuine banded HIGH {g['k']}/{g['n']} = {_pct(g['rate'])} "
        f"(95 % upper {_pct(g['upper95']['clopper_pearson'])}); "
        f"false banded HIGH {f['k']}/{f['n']} = {_pct(f['rate'])}"
        + breakdown.line(
            "held-out split",
            report.get("by_class_and_channel") or report.get("held_out_by_class"),
        )
        + _frozen_summary(report.get("frozen_set"))
        + breakdown.summary(report.get("realistic_set"))
        + breakdown.summary(report.get("unseen_set"), "unseen set")
        + breakdown.summary(report.get("whose_joke_set"), "whose-joke set")
    )


def _frozen_summary(frozen: Mapping[str, Any] | None) -> str:
    if not frozen:
        return ""
    lines = ""
    for shape in ("as_recorded", "as_the_console_sends"):
        g, f = frozen[shape]["genuine_banded_high"], frozen[shape]["false_banded_high"]
        c = frozen[shape]["spoken_genuine_to_call_back"]
        lines += (
            f"\nfrozen hand-written set, {shape.replace('_', ' ')}: genuine banded HIGH "
            f"{g['k']}/{g['n']}; spoken genuine to call-back {c['k']}/{c['n']}; "
            f"false banded HIGH {f['k']}/{f['n']} = {_pct(f['rate'])}"
        )
    return lines
