"""Phrase banks for the synthetic generator: two template families written independently.

Family ``train`` and family ``test`` share no template, street, landmark or kelurahan, so an
evaluation on ``test`` measures how the model handles wording it has never seen (research
§5.3). Templates use ``{slots}`` filled by :mod:`classifier.synthetic`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One independently written set of templates and places."""

    name: str
    kelurahan: tuple[str, ...]
    streets: tuple[str, ...]
    landmarks: tuple[str, ...]
    rivers: tuple[str, ...]
    place_formats: tuple[str, ...]
    genuine: dict[str, tuple[str, ...]]  # by Category value
    genuine_silent: tuple[str, ...]  # silent but someone is there (signs of life)
    genuine_silent_plain: tuple[str, ...]  # silent, nothing heard, later found genuine
    genuine_child: tuple[str, ...]
    follow_up: tuple[str, ...]  # prefixes of a repeat call about the same emergency
    prank: tuple[str, ...]
    prank_doubt: tuple[str, ...]  # operator's doubts appended to a fake report
    silent: tuple[str, ...]
    silent_noise: tuple[str, ...]  # false silent calls with sounds in the background
    #: SMS or app reports with nothing in them (the text channels' silent calls)
    silent_text: tuple[str, ...]
    #: a genuine panic-button press or message with nothing filled in (found real on call-back)
    genuine_silent_text: tuple[str, ...]
    accidental: tuple[str, ...]
    non_emergency: tuple[str, ...]
    quotes: dict[str, tuple[str, ...]]  # caller quotes (often Banjar) by class
