"""The synthetic generator: deterministic, follows the published class mixes, honest splits."""

from __future__ import annotations

from collections import Counter

import pytest

from classifier.inputs import CLASSES, GENUINE, input_problems
from classifier.phrases import Family, family_test, family_train
from classifier.synthetic import PRESETS, exact_counts, generate, generate_tagged, mix_of


def test_the_same_seed_gives_the_same_reports_and_another_seed_different_ones() -> None:
    first = generate(300, seed=7)
    assert first == generate(300, seed=7)
    assert first != generate(300, seed=8)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_the_class_mix_follows_the_preset(preset: str) -> None:
    n = 1500
    labels = Counter(e.label for e in generate(n, seed=1, mix=preset, label_noise=0.0))
    assert labels == {c: k for c, k in exact_counts(n, mix_of(preset)).items() if k}
    noisy = Counter(e.label for e in generate(n, seed=1, mix=preset, label_noise=0.03))
    for cls in CLASSES:
        assert abs(noisy[cls] / n - PRESETS[preset][cls]) < 0.03 + 2 / n


def test_the_presets_carry_the_published_figures() -> None:
    assert PRESETS["jakarta2024"][GENUINE] == pytest.approx(6_317 / 602_785)
    assert PRESETS["purworejo"]["prank"] == pytest.approx(1_147 / 2_802)
    assert PRESETS["semarang2025"][GENUINE] == pytest.approx(9_576 / 22_021)


def test_about_the_requested_share_of_labels_is_flipped() -> None:
    clean = generate(2000, seed=5, label_noise=0.0)
    noisy = generate(2000, seed=5, label_noise=0.04)
    flipped = sum(a.label != b.label for a, b in zip(clean, noisy, strict=True))
    assert 0.02 < flipped / 2000 < 0.06


def _templates(family: Family) -> set[str]:
    pools = [
        *family.genuine.values(),
        family.prank,
        family.silent,
        family.accidental,
        family.non_emergency,
        family.genuine_silent,
        family.genuine_child,
        family.prank_doubt,
    ]
    return {t for pool in pools for t in pool} - {""}


def test_train_and_test_families_share_no_template_street_or_kelurahan() -> None:
    a, b = family_train.FAMILY, family_test.FAMILY
    assert not _templates(a) & _templates(b)
    assert not set(a.kelurahan) & set(b.kelurahan)
    assert not set(a.streets) & set(b.streets)
    assert not set(a.landmarks) & set(b.landmarks)


def test_test_split_uses_only_unseen_templates() -> None:
    ids = {t.template for t in generate_tagged(500, seed=2, split="test")}
    assert all(i.startswith("test:") for i in ids)


def test_every_generated_report_is_valid_scorer_input() -> None:
    for example in generate(500, seed=4, split="test"):
        assert input_problems(example.report, example.history) == []
        assert example.report.received_at.utcoffset() is not None


def test_the_hard_cases_appear_among_genuine_reports() -> None:
    genuine = [e for e in generate(4000, seed=6, label_noise=0.0) if e.label == GENUINE]
    assert any(e.report.silent for e in genuine)
    assert any(e.report.sim_present is False for e in genuine)
    assert any(e.history.calls_1h >= 1 for e in genuine)
    assert any(e.history.prior_false >= 3 for e in genuine)
    assert any(
        e.report.call_duration_s is not None and e.report.call_duration_s <= 20 for e in genuine
    )


def test_the_generator_says_who_spoke_whatever_flag_it_sends() -> None:
    examples = generate(3000, seed=11, split="test", label_noise=0.0)
    voice = [e for e in examples if e.report.channel in ("voice", "aml")]
    assert all(e.spoke is not None for e in voice)
    assert all(e.spoke is None for e in examples if e.report.channel not in ("voice", "aml"))
    assert all(e.spoke is False for e in voice if e.report.silent is True)
    assert all(e.report.first_speech_s is None for e in voice if e.spoke is False)
    # a client that sends no flag: some calls nobody spoke on arrive without one
    assert any(e.spoke is False and e.report.silent is None for e in voice)
