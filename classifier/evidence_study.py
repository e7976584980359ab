"""What a cap "HIGH needs a clear sign of a false call" would cost (issue 14): a study, not a rule.

The cap: for a call where someone spoke, HIGH would require positive evidence that the call is
false, else the band is at most MEDIUM ("tidak ada tanda panggilan palsu yang jelas"). The
widest evidence the extractor has is every false-call feature it records: the call-taker's
hoax tick, a prank marker (laughter, joking, flirting, insults, a test call), an accidental
marker (pocket dial, wrong number, automatic SOS), an information / complaint request, or a
life-threat word asked about, denied, past, supposed or figurative. Silent calls (recorded
silent, or the summary says nobody spoke) keep their own rules and are not capped.

Measured on the shipped model (README, "A cap on HIGH without a clear sign of a false call"),
even this widest evidence breaks the false-call targets on the unseen set and caps none of the
probed genuine calls still banded HIGH (each of them carries a marker), so the cap is **not**
applied in scoring; nor is the other way round (``weak_only_band``: only weak signs → at most
MEDIUM), written on the probes and measured on no fresh case. Figures:
``python -m classifier.evidence_study [PROBES_FILE]``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from classifier import keywords, lexicon
from classifier.breakdown import breakdown
from classifier.evaluation import Scored, score_all
from classifier.features import MAX_TEXT_CHARS, FeatureValue
from classifier.frozen_set import (
    REALISTIC_PATH,
    UNSEEN_PATH,
    as_the_console_sends,
    load_frozen_set,
)
from classifier.inputs import CallerHistory, LabeledExample, ReportInput
from classifier.report import DEFAULT_EVAL_N, DEFAULT_EVAL_SEED
from classifier.scorer import BatchScorer, load_scorer
from classifier.synthetic import generate
from domain.taxonomy import ScoreBand

#: The recorded features that are positive evidence of a false call (all the extractor has).
FALSE_CALL_EVIDENCE = (
    "hoax_observed",
    "kw_prank_marker",
    "kw_accidental_marker",
    "kw_info_request",
    "threat_contexts",
)


#: The narrower reading tried to cap the probed calls: joking words that may be someone else's
#: ("ada anak iseng …", "becanda2 di kolam, teman …") and an information request that reports
#: something present ("mau tanya, ada buaya …") are not a clear sign.
WEAK_PRANK = frozenset(lexicon.normalize(t) for t in lexicon.terms("iseng, bercanda, becanda"))


def narrow_evidence(text: str, features: Mapping[str, FeatureValue]) -> tuple[str, ...]:
    """The evidence under the narrower reading (the summary ``text`` is read again)."""
    words, _ = lexicon.analyse(text, MAX_TEXT_CHARS)
    found = keywords.SCANNER.scan(words)
    kept = {
        "kw_prank_marker": any(m not in WEAK_PRANK for m in found[keywords.PRANK_MARKER.name]),
        "kw_info_request": "ada" not in words.split(),
    }
    return tuple(e for e in false_call_evidence(features) if kept.get(e, True))


def spoke(features: Mapping[str, FeatureValue]) -> bool:
    """Someone spoke, as the scorer sees it: not silent, and the summary does not say so."""
    return not features.get("silent") and not features.get("kw_silence_marker")


def false_call_evidence(features: Mapping[str, FeatureValue]) -> tuple[str, ...]:
    """The recorded features that say the call is false (empty: no clear sign)."""
    return tuple(name for name in FALSE_CALL_EVIDENCE if features.get(name))


def capped_band(
    band: ScoreBand, features: Mapping[str, FeatureValue], evidence: tuple[str, ...] | None = None
) -> ScoreBand:
    """The band under the cap: a spoken call with no clear sign of a false call is not HIGH."""
    signs = false_call_evidence(features) if evidence is None else evidence
    if band is ScoreBand.HIGH and spoke(features) and not signs:
        return ScoreBand.MEDIUM
    return band


def capped(result: Scored, texts: Sequence[str] | None = None) -> Scored:
    """The scored reports with every band put through the cap (the narrower one with texts)."""
    signs = [
        narrow_evidence(t, s.features) if texts is not None else None
        for s, t in zip(result.scores, texts or [""] * len(result.scores), strict=True)
    ]
    pairs = zip(result.scores, signs, strict=True)
    bands = [capped_band(s.band, s.features, e).value for s, e in pairs]
    return replace(result, bands=np.array(bands))


def weak_only_band(band: ScoreBand, text: str, features: Mapping[str, FeatureValue]) -> ScoreBand:
    """The other way round: a spoken call whose only signs are weak ones is not HIGH; a call
    with no sign at all keeps the model's band."""
    weak_only = false_call_evidence(features) and not narrow_evidence(text, features)
    if band is ScoreBand.HIGH and spoke(features) and weak_only:
        return ScoreBand.MEDIUM
    return band


def figures(result: Scored, texts: Sequence[str]) -> dict[str, Any]:
    """Genuine-with-speech HIGH, false HIGH and HIGH per class: as scored, under the cap, the
    narrower cap, and with weak signs alone capped."""

    def cells(r: Scored) -> dict[str, Any]:
        b = breakdown(r)
        keep = ("genuine_with_speech_banded_high", "false_banded_high", "banded_high_by_class")
        return {k: b[k] for k in keep}

    pairs = zip(result.scores, texts, strict=True)
    weak = [weak_only_band(s.band, t, s.features).value for s, t in pairs]
    return {
        "as_scored": cells(result),
        "capped": cells(capped(result)),
        "capped_narrow": cells(capped(result, texts)),
        "weak_only": cells(replace(result, bands=np.array(weak))),
    }


def probe_examples(path: Path) -> list[LabeledExample]:
    """Genuine calls with speech, one a line, as voice and SMS, with and without a record."""
    texts = [t.strip() for t in path.read_text("utf-8").splitlines()]
    histories = (CallerHistory(), CallerHistory(calls_30d=20, prior_false=15))
    return [
        LabeledExample(_voice(text, channel), history, "genuine", True)
        for text in texts
        if text and not text.startswith("#")
        for channel in ("voice", "sms")
        for history in histories
    ]


def _voice(text: str, channel: str) -> ReportInput:
    # As tests/unit/classifier/conftest.make_report builds a report (the probes were scored so).
    return ReportInput(
        channel=channel,
        caller_number="+6281234567890",
        sim_present=True,
        call_duration_s=75.0,
        first_speech_s=2.0,
        silent=False,
        has_location=True,
        location_source="aml",
        location_accuracy_m=15.0,
        description=text,
        category=None,
        persons_involved=None,
        injuries=None,
        hazards=(),
        received_at=datetime(2025, 6, 1, 6, 58, tzinfo=UTC),
    )


def study(scorer: BatchScorer, probes: Path | None = None) -> dict[str, Any]:
    """The cap's figures on the held-out seed, the frozen sets (as recorded and as the console
    sends them) and, when given, a file of probed genuine calls."""
    sets: dict[str, Sequence[LabeledExample]] = {
        f"held-out seed {DEFAULT_EVAL_SEED}": generate(
            DEFAULT_EVAL_N, seed=DEFAULT_EVAL_SEED, split="test", label_noise=0.0
        )
    }
    for name, path in (("realistic.psv", REALISTIC_PATH), ("unseen.psv", UNSEEN_PATH)):
        examples = load_frozen_set(path)
        sets[name] = examples
        sets[f"{name} (console)"] = [as_the_console_sends(e) for e in examples]
    if probes is not None:
        sets[probes.name] = probe_examples(probes)
    return {
        name: figures(score_all(scorer, ex), [e.report.description for e in ex])
        for name, ex in sets.items()
    }


def main(argv: Sequence[str]) -> int:
    scorer = load_scorer(timeout_ms=0)
    try:
        print(json.dumps(study(scorer, Path(argv[0]) if argv else None), indent=1))
    finally:
        scorer.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
